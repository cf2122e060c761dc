//! `install`, `uninstall` and `doctor`: the settings.json corpus, command files, scopes and
//! the health checks, in a throwaway HOME / Claude Code folder / state folder.
//!
//! The reading of "our" hook entries below is written here again on purpose, so the tests do
//! not check the library with itself.

mod cli;
mod doctor;
mod scopes;
mod settings;
mod undo;

use crate::support::{Builder, TestEnv, fixtures_dir};
use serde_json::Value;
use std::path::{Path, PathBuf};

pub const STAMP: &str = "20251025T143000Z";
pub const PLACEHOLDER: &str = "__CLAUDE_SESSION_BIN__";
/// PATH of the binary unless a test gives it more: no claude-session, no claude.
pub const SYSTEM_PATH: &str = "/usr/bin:/bin";

/// This area's world: an empty project folder, Claude Code's folder at
/// `<root>/claude-config` (CLAUDE_CONFIG_DIR) and PATH with system folders only.
pub fn world() -> TestEnv {
    builder().claude_config_dir().build()
}

/// The same in a git repository (one commit), for `git status` after a project-scope install.
pub fn repo_world() -> TestEnv {
    TestEnv::builder()
        .env("PATH", SYSTEM_PATH)
        .claude_config_dir()
        .build()
}

/// The same with Claude Code's folder at `~/.claude` (no CLAUDE_CONFIG_DIR).
pub fn world_without_config_dir() -> TestEnv {
    builder().build()
}

fn builder() -> Builder {
    TestEnv::builder()
        .folder("project")
        .env("PATH", SYSTEM_PATH)
}

/// The paths and files of Claude Code's folder.
pub trait ClaudeFolder {
    fn settings(&self) -> PathBuf;
    fn commands_dir(&self) -> PathBuf;
    fn write_settings(&self, bytes: &[u8]);
    fn read_settings(&self) -> Option<Vec<u8>>;
    /// Backup files beside settings.json, sorted.
    fn settings_backups(&self) -> Vec<PathBuf>;
}

impl ClaudeFolder for TestEnv {
    fn settings(&self) -> PathBuf {
        self.claude_dir().join("settings.json")
    }

    fn commands_dir(&self) -> PathBuf {
        self.claude_dir().join("commands")
    }

    fn write_settings(&self, bytes: &[u8]) {
        std::fs::create_dir_all(self.claude_dir()).expect("mkdir");
        std::fs::write(self.settings(), bytes).expect("write settings");
    }

    fn read_settings(&self) -> Option<Vec<u8>> {
        std::fs::read(self.settings()).ok()
    }

    fn settings_backups(&self) -> Vec<PathBuf> {
        backups_in(&self.claude_dir(), "settings.json")
    }
}

/// The binary under test, as it names itself (canonical path).
pub fn bin() -> String {
    let path = PathBuf::from(crate::support::BIN);
    path.canonicalize()
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned()
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn settings_fixtures() -> PathBuf {
    fixtures_dir().join("settings")
}

/// A fixture's bytes, with the placeholder replaced by the binary's path.
pub fn fixture(name: &str) -> Vec<u8> {
    let bytes = std::fs::read(settings_fixtures().join(name)).expect("fixture");
    match String::from_utf8(bytes.clone()) {
        Ok(text) => text.replace(PLACEHOLDER, &bin()).into_bytes(),
        Err(_) => bytes,
    }
}

pub fn fixture_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(settings_fixtures())
        .expect("fixtures folder")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    names
}

pub fn backups_in(dir: &Path, file_name: &str) -> Vec<PathBuf> {
    let prefix = format!("{file_name}.claude-session-backup-");
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with(&prefix))
                })
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found
}

/// Our hooks as the repository's hooks/hooks.json declares them: (event, matcher, name, timeout).
pub fn wanted_hooks() -> Vec<(String, Option<String>, String, Option<u64>)> {
    let text = std::fs::read_to_string(repo_root().join("hooks/hooks.json")).expect("hooks.json");
    let value: Value = serde_json::from_str(&text).expect("hooks.json parses");
    let mut wanted = Vec::new();
    for (event, groups) in value["hooks"].as_object().expect("hooks object") {
        for group in groups.as_array().expect("groups") {
            let matcher = group
                .get("matcher")
                .and_then(Value::as_str)
                .map(String::from);
            for entry in group["hooks"].as_array().expect("entries") {
                let command = entry["command"].as_str().expect("command");
                let name = command
                    .strip_prefix("claude-session hook ")
                    .expect("a claude-session hook command");
                wanted.push((
                    event.clone(),
                    matcher.clone(),
                    name.to_string(),
                    entry.get("timeout").and_then(Value::as_u64),
                ));
            }
        }
    }
    wanted
}

/// True for a command that is exactly some `claude-session` run as `hook <name>` (a command
/// doing more than that is the user's own).
pub fn is_our_command(command: &str) -> bool {
    let words: Vec<String> = command
        .split_whitespace()
        .map(|w| w.trim_matches(|c| c == '"' || c == '\'').to_string())
        .collect();
    words.len() == 3
        && words[1] == "hook"
        && (words[0] == "claude-session" || words[0].ends_with("/claude-session"))
}

/// Every entry of ours: (event, matcher, entry).
pub fn ours(value: &Value) -> Vec<(String, Option<String>, Value)> {
    let mut found = Vec::new();
    let Some(events) = value.get("hooks").and_then(Value::as_object) else {
        return found;
    };
    for (event, groups) in events {
        for group in groups.as_array().into_iter().flatten() {
            let matcher = group
                .get("matcher")
                .and_then(Value::as_str)
                .map(String::from);
            for entry in group
                .get("hooks")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if entry
                    .get("command")
                    .and_then(Value::as_str)
                    .is_some_and(is_our_command)
                {
                    found.push((event.clone(), matcher.clone(), entry.clone()));
                }
            }
        }
    }
    found
}

/// The settings without our entries, with emptied groups / event arrays / `hooks` pruned.
pub fn foreign(value: &Value) -> Value {
    let mut value = value.clone();
    if let Some(events) = value.get_mut("hooks").and_then(Value::as_object_mut) {
        for groups in events.values_mut() {
            if let Some(groups) = groups.as_array_mut() {
                for group in groups.iter_mut() {
                    if let Some(entries) = group.get_mut("hooks").and_then(Value::as_array_mut) {
                        entries.retain(|e| {
                            !e.get("command")
                                .and_then(Value::as_str)
                                .is_some_and(is_our_command)
                        });
                    }
                }
                groups.retain(|g| {
                    g.get("hooks")
                        .and_then(Value::as_array)
                        .is_none_or(|e| !e.is_empty())
                });
            }
        }
        events.retain(|_, g| g.as_array().is_none_or(|g| !g.is_empty()));
        if events.is_empty() {
            value.as_object_mut().expect("object").remove("hooks");
        }
    }
    value
}

/// Parses settings bytes (a UTF-8 BOM allowed; empty means `{}`).
pub fn parse(bytes: &[u8]) -> Value {
    let text = std::str::from_utf8(bytes).expect("UTF-8");
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Value::Object(Default::default());
    }
    serde_json::from_str(text).expect("settings parse")
}

/// Asserts that `value` holds each of our hooks exactly once, as hooks.json wants it, running
/// `binary`, and nothing else of ours.
#[track_caller]
pub fn assert_exactly_our_hooks(value: &Value, binary: &str, context: &str) {
    let found = ours(value);
    let wanted = wanted_hooks();
    assert_eq!(
        found.len(),
        wanted.len(),
        "{context}: entries of ours: {found:#?}"
    );
    for (event, matcher, name, timeout) in wanted {
        let command = format!("\"{binary}\" hook {name}");
        let matching: Vec<_> = found
            .iter()
            .filter(|(e, m, entry)| {
                *e == event
                    && m.as_deref().unwrap_or("") == matcher.as_deref().unwrap_or("")
                    && entry["command"] == command
                    && entry["type"] == "command"
                    && entry.get("timeout").and_then(Value::as_u64) == timeout
            })
            .collect();
        assert_eq!(
            matching.len(),
            1,
            "{context}: hook {name} ({event}): {found:#?}"
        );
    }
}

/// True when `small` can be obtained from `big` by deleting bytes: `big` only added to `small`.
pub fn is_subsequence(small: &[u8], big: &[u8]) -> bool {
    let mut rest = big.iter();
    small.iter().all(|b| rest.any(|c| c == b))
}

/// A unified diff for snapshots: the binary's path as `<BIN>`, CR shown.
pub fn diff_for_snapshot(before: &[u8], after: &[u8]) -> String {
    let clean = |bytes: &[u8]| {
        String::from_utf8_lossy(bytes)
            .replace(&bin(), "<BIN>")
            .replace('\r', "\\r")
            .replace('\u{feff}', "<BOM>")
    };
    let (before, after) = (clean(before), clean(after));
    let diff = similar::TextDiff::from_lines(&before, &after)
        .unified_diff()
        .context_radius(2)
        .header("before", "after")
        .to_string();
    if diff.is_empty() {
        "(no change)\n".to_string()
    } else {
        diff
    }
}

/// A folder for PATH holding `claude-session` (a link to the binary under test) and a stand-in
/// `claude` that prints a version the way Claude Code does.
pub fn path_dir(env: &TestEnv) -> PathBuf {
    let dir = env.root.join("path-bin");
    if dir.exists() {
        return dir;
    }
    std::fs::create_dir_all(&dir).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::os::unix::fs::symlink(bin(), dir.join("claude-session")).unwrap();
        let claude = dir.join("claude");
        std::fs::write(&claude, "#!/bin/sh\necho '2.1.197 (Claude Code)'\n").unwrap();
        std::fs::set_permissions(&claude, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    dir
}

/// PATH finds the binary under test (and a stand-in `claude`) from now on.
pub fn binary_on_path(env: &TestEnv) {
    let dir = path_dir(env);
    env.set_env("PATH", &format!("{}:{SYSTEM_PATH}", dir.display()));
}

/// Every file and folder under `dir` (folders end in `/`), relative and sorted; `[]` when `dir`
/// does not exist.
pub fn paths_under(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            let mut name = path
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(path.clone());
                name.push('/');
            }
            found.push(name);
        }
    }
    found.sort();
    found
}

/// The last line doctor must print for the marks of its checklist: it counts every ✗ and `!`.
pub fn expected_verdict(text: &str) -> String {
    let count = |mark: &str| {
        text.lines()
            .filter(|l| l.trim_start().starts_with(mark))
            .count()
    };
    let (problems, warnings) = (count("✗ "), count("! "));
    let warnings = match warnings {
        0 => String::new(),
        1 => "1 warning".to_string(),
        n => format!("{n} warnings"),
    };
    match (problems, warnings.is_empty()) {
        (0, true) => "All good.".to_string(),
        (0, false) => format!("No problems, {warnings}."),
        (1, true) => "1 problem found.".to_string(),
        (n, true) => format!("{n} problems found."),
        (1, false) => format!("1 problem found, {warnings}."),
        (n, false) => format!("{n} problems found, {warnings}."),
    }
}

/// Doctor's report ends with the verdict its marks call for, on a line of its own.
#[track_caller]
pub fn assert_verdict_agrees(text: &str) {
    let verdict = expected_verdict(text);
    assert!(
        text.ends_with(&format!("\n{verdict}\n")),
        "the last line should be `{verdict}`:\n{text}"
    );
}
