//! Helpers on files, folders, journals and hook output that need no [`super::TestEnv`].

use super::Out;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The repository's `tests/fixtures`.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A file of the repository (`commands/start.md`, `hooks/hooks.json`…) as text.
pub fn repo_file(relative: &str) -> String {
    read(&Path::new(env!("CARGO_MANIFEST_DIR")).join(relative))
}

/// Every captured hook payload, in firing order.
pub fn hook_fixture_names() -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(fixtures_dir().join("hook-inputs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    names
}

#[track_caller]
pub fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

#[track_caller]
pub fn yaml(path: &Path) -> serde_yaml_ng::Value {
    serde_yaml_ng::from_str(&read(path)).expect("valid YAML")
}

/// Writes an executable script.
pub fn write_executable(path: &Path, text: &str) {
    use std::os::unix::fs::PermissionsExt;
    fs::write(path, text).expect("script");
    fs::set_permissions(path, fs::Permissions::from_mode(0o755)).expect("chmod");
}

pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Calls `each` with every file below `dir`.
/// Every file and folder under `dir`, relative to it, sorted: what a "nothing else was
/// written" check compares.
pub fn entries_under(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path.clone());
            }
            found.push(
                path.strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
            );
        }
    }
    found.sort();
    found
}

/// The files directly in `dir` whose names start with `prefix`, sorted.
pub fn files_starting(dir: &Path, prefix: &str) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(prefix))
        .map(|e| e.path())
        .collect();
    found.sort();
    found
}

pub fn walk(dir: &Path, each: &mut dyn FnMut(&Path)) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, each);
        } else {
            each(&path);
        }
    }
}

/// Every regular file below `dir`: relative path → bytes.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in fs::read_dir(&current).unwrap() {
            let entry = entry.unwrap();
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                stack.push(entry.path());
            } else if kind.is_file() {
                let rel = entry
                    .path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.insert(rel, fs::read(entry.path()).unwrap());
            }
        }
    }
    out
}

/// blake3 of every file below `dir` (for "did anything change" checks on `.git`).
pub fn digest_tree(dir: &Path) -> BTreeMap<String, String> {
    tree(dir)
        .into_iter()
        .map(|(k, v)| (k, blake3::hash(&v).to_hex().to_string()))
        .collect()
}

pub fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

/// Distinct inodes of data files below `dir` (manifests and locks left out), with the bytes
/// they occupy on disk: what a checkpoint really costs.
pub fn data_inodes(dir: &Path) -> (BTreeSet<(u64, u64)>, u64) {
    use std::os::unix::fs::MetadataExt;
    let mut seen = BTreeSet::new();
    let mut allocated = 0;
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in fs::read_dir(&current).unwrap() {
            let entry = entry.unwrap();
            let path = entry.path();
            let meta = fs::symlink_metadata(&path).unwrap();
            if meta.is_dir() {
                stack.push(path);
                continue;
            }
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name.ends_with(".manifest.json") || name.ends_with(".lock") {
                continue;
            }
            if seen.insert((meta.dev(), meta.ino())) {
                allocated += meta.blocks() * 512;
            }
        }
    }
    (seen, allocated)
}

/// Polls `done` until it holds or `limit` passes; whether it held.
pub fn wait_for(limit: Duration, mut done: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + limit;
    loop {
        if done() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The journal's events of one kind.
pub fn events_of(journal: &str, kind: &str) -> Vec<Value> {
    journal
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter(|v| v["event"] == kind)
        .collect()
}

/// The additionalContext of a SessionStart / UserPromptSubmit hook's stdout.
/// The line SessionStart shows the user (`systemMessage`), if any.
pub fn user_line(out: &Out) -> Option<String> {
    if out.stdout.trim().is_empty() {
        return None;
    }
    let value: Value = serde_json::from_str(&out.stdout).expect("stdout is one JSON object");
    value["systemMessage"].as_str().map(str::to_string)
}

pub fn additional_context(out: &Out) -> Option<String> {
    if out.stdout.trim().is_empty() {
        return None;
    }
    let value: Value = serde_json::from_str(&out.stdout).expect("stdout is one JSON object");
    Some(
        value["hookSpecificOutput"]["additionalContext"]
            .as_str()
            .expect("additionalContext")
            .to_string(),
    )
}
