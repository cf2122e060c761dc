//! Shared helpers of the recovery tests: a temporary home, state root and git project, and the
//! real binary run in them with a fixed clock.
#![allow(dead_code)]

#[path = "../hermetic/mod.rs"]
mod hermetic;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const BIN: &str = env!("CARGO_BIN_EXE_claude-session");
pub const NOW: &str = "2025-10-25T14:30:00";

pub struct Env {
    pub temp: tempfile::TempDir,
    pub home: PathBuf,
    pub root: PathBuf,
    pub project: PathBuf,
    pub now: String,
}

impl Env {
    /// A git project with one commit (`README.md`, `src/main.rs`) and an empty state root.
    pub fn new() -> Env {
        let env = Env::bare();
        fs::create_dir_all(&env.project).unwrap();
        env.git(&["init", "-q", "-b", "main", "."]);
        env.write("README.md", b"# demo\n");
        env.write("src/main.rs", b"fn main() {}\n");
        env.git(&["add", "-A"]);
        env.git(&["commit", "-q", "-m", "initial"]);
        env
    }

    /// Folders only: no project content, no git.
    pub fn bare() -> Env {
        let temp = tempfile::tempdir().unwrap();
        let base = temp.path().canonicalize().unwrap();
        let home = base.join("home");
        let root = base.join("state");
        let project = base.join("project");
        fs::create_dir_all(&home).unwrap();
        fs::create_dir_all(&root).unwrap();
        Env {
            temp,
            home,
            root,
            project,
            now: NOW.to_string(),
        }
    }

    pub fn base(&self) -> PathBuf {
        self.temp.path().canonicalize().unwrap()
    }

    fn command(&self, program: &str, dir: &Path) -> Command {
        let mut cmd = Command::new(program);
        hermetic::isolate(&mut cmd)
            .current_dir(dir)
            .env("HOME", &self.home)
            .env("CLAUDE_SESSION_HOME", &self.root)
            .env("CLAUDE_SESSION_NOW", &self.now);
        cmd
    }

    pub fn git(&self, args: &[&str]) -> String {
        let out = self
            .command("git", &self.project)
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Runs the binary in the project.
    pub fn run(&self, args: &[&str]) -> Output {
        self.command(BIN, &self.project)
            .args(args)
            .output()
            .unwrap()
    }

    /// Runs the binary, requiring success; returns stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert!(
            out.status.success(),
            "claude-session {args:?} failed ({:?}):\nstdout: {}\nstderr: {}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Runs the binary, requiring exit code 1; returns stderr.
    pub fn fails(&self, args: &[&str]) -> String {
        let out = self.run(args);
        assert_eq!(
            out.status.code(),
            Some(1),
            "claude-session {args:?} should fail:\nstdout: {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stderr).into_owned()
    }

    pub fn write(&self, relative: &str, bytes: &[u8]) {
        let path = self.project.join(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }

    pub fn read(&self, relative: &str) -> Vec<u8> {
        fs::read(self.project.join(relative)).unwrap()
    }

    /// Starts a session and returns its id.
    pub fn start(&self, focus: &str) -> String {
        let out = self.ok(&["start", focus]);
        out.lines()
            .find_map(|l| l.strip_prefix("✅ Session started: "))
            .expect("start announces the id")
            .trim()
            .to_string()
    }

    /// The project's folder in the state root (there is exactly one).
    pub fn project_dir(&self) -> PathBuf {
        let projects = self.root.join("claude-session").join("projects");
        let mut found: Vec<PathBuf> = fs::read_dir(&projects)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(
            found.len(),
            1,
            "one project folder in {}",
            projects.display()
        );
        found.pop().unwrap()
    }

    pub fn workspace(&self, id: &str) -> PathBuf {
        let active = self.project_dir().join("sessions/active").join(id);
        if active.exists() {
            active
        } else {
            self.project_dir().join("sessions/archive").join(id)
        }
    }

    pub fn snapshots(&self, id: &str) -> PathBuf {
        self.workspace(id).join("snapshots")
    }

    /// Checkpoint ids of a session (from `checkpoints --json`).
    pub fn checkpoint_ids(&self, id: &str) -> Vec<String> {
        let json: serde_json::Value =
            serde_json::from_str(&self.ok(&["checkpoints", id, "--json"])).unwrap();
        json["checkpoints"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect()
    }

    pub fn manifest(&self, session: &str, checkpoint: &str) -> serde_json::Value {
        let path = self
            .snapshots(session)
            .join(format!("{checkpoint}.manifest.json"));
        serde_json::from_slice(&fs::read(path).unwrap()).unwrap()
    }

    pub fn config(&self, text: &str) {
        let dir = self.root.join("claude-session");
        fs::create_dir_all(&dir).unwrap();
        fs::write(dir.join("config.toml"), text).unwrap();
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

#[cfg(unix)]
pub fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

/// Distinct inodes of data files below `dir` (manifests and locks left out), with the bytes
/// they occupy on disk: what a checkpoint really costs.
#[cfg(unix)]
pub fn data_inodes(dir: &Path) -> (std::collections::BTreeSet<(u64, u64)>, u64) {
    use std::os::unix::fs::MetadataExt;
    let mut seen = std::collections::BTreeSet::new();
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

/// blake3 of every file below `dir` (for "did anything change" checks on `.git`).
pub fn digest_tree(dir: &Path) -> BTreeMap<String, String> {
    tree(dir)
        .into_iter()
        .map(|(k, v)| (k, blake3::hash(&v).to_hex().to_string()))
        .collect()
}
