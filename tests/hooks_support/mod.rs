//! Shared helpers of the hook tests: a temp state root and git repository, the real binary,
//! the captured Claude Code payloads rewritten to point at them.
#![allow(dead_code)]

#[path = "../hermetic/mod.rs"]
mod hermetic;
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_claude-session");
pub const FIXTURE_CLAUDE_ID: &str = "7e7467ed-61fa-418e-8f5e-a815690dedad";
pub const NOW: &str = "2025-10-25T14:30:00Z";
const FIXTURE_CWD: &str = "/home/dev/src/webapp";
const FIXTURE_TRANSCRIPTS: &str = "/home/dev/.claude/projects/-home-dev-src-webapp";

pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Every captured payload, in firing order.
pub fn fixture_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixtures_dir().join("hook-inputs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    names
}

pub struct TestEnv {
    pub tmp: tempfile::TempDir,
    /// The state root (`CLAUDE_SESSION_HOME`).
    pub root: PathBuf,
    /// A git repository with one commit on `main`.
    pub repo: PathBuf,
    /// A copy of the transcript fixtures, where payloads' `transcript_path` point.
    pub transcripts: PathBuf,
    pub now: String,
}

impl TestEnv {
    pub fn new() -> TestEnv {
        let tmp = tempfile::tempdir().unwrap();
        let base = tmp.path().canonicalize().unwrap();
        let root = base.join("state");
        let repo = base.join("webapp");
        let transcripts = base.join("transcripts");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::create_dir_all(&repo).unwrap();
        copy_dir(&fixtures_dir().join("transcripts"), &transcripts);
        let env = TestEnv {
            tmp,
            root,
            repo,
            transcripts,
            now: NOW.to_string(),
        };
        env.git(&["init", "-q", "-b", "main"]);
        std::fs::write(env.repo.join("README.md"), "hello\n").unwrap();
        env.git(&["add", "."]);
        env.git(&["commit", "-q", "-m", "init"]);
        env
    }

    /// A second repository (another project) inside the same temp folder.
    pub fn other_repo(&self, name: &str) -> PathBuf {
        let path = self.tmp.path().canonicalize().unwrap().join(name);
        std::fs::create_dir_all(&path).unwrap();
        let status = self
            .base_command("git")
            .args(["init", "-q", "-b", "main"])
            .current_dir(&path)
            .status()
            .unwrap();
        assert!(status.success());
        path
    }

    fn base_command(&self, program: &str) -> Command {
        let mut cmd = Command::new(program);
        hermetic::isolate(&mut cmd)
            .env("HOME", self.tmp.path())
            .env("CLAUDE_SESSION_HOME", &self.root)
            .env("CLAUDE_SESSION_NOW", &self.now);
        cmd
    }

    pub fn git(&self, args: &[&str]) {
        let status = self
            .base_command("git")
            .args(args)
            .current_dir(&self.repo)
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?}");
    }

    /// The binary, run in the repository.
    pub fn cmd(&self) -> Command {
        let mut cmd = self.base_command(BIN);
        cmd.current_dir(&self.repo);
        cmd
    }

    /// Runs a CLI command that must succeed; its stdout.
    pub fn run(&self, args: &[&str]) -> String {
        let out = self.cmd().args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    /// Starts a new session (bound to `claude` when given), even when another is paused; its id.
    pub fn start(&self, focus: &str, claude: Option<&str>) -> String {
        self.start_in(&self.repo, focus, claude)
    }

    pub fn start_in(&self, dir: &Path, focus: &str, claude: Option<&str>) -> String {
        let mut cmd = self.cmd();
        cmd.current_dir(dir).args(["start", "--new"]);
        if let Some(id) = claude {
            cmd.args(["--claude-session", id]);
        }
        cmd.args(["--", focus]);
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).unwrap();
        text.lines()
            .next()
            .and_then(|l| l.strip_prefix("✅ Session started: "))
            .expect("start announces the id")
            .to_string()
    }

    /// Runs `hook NAME` with `stdin`; asserts the contract (exit 0, nothing on stderr about
    /// panics) and returns the output.
    pub fn hook(&self, name: &str, stdin: &[u8]) -> Output {
        self.hook_in(&self.repo, name, stdin)
    }

    pub fn hook_in(&self, dir: &Path, name: &str, stdin: &[u8]) -> Output {
        let mut child = self
            .cmd()
            .current_dir(dir)
            .args(["hook", name])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        {
            let mut input = child.stdin.take().unwrap();
            // The hook reads everything; a write error would mean it did not.
            input.write_all(stdin).unwrap();
        }
        let out = child.wait_with_output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "hook {name} exited {:?}: {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        out
    }

    /// A captured payload with its paths pointing into this environment.
    pub fn fixture(&self, name: &str) -> String {
        let text = std::fs::read_to_string(fixtures_dir().join("hook-inputs").join(name)).unwrap();
        self.rewrite(&text)
    }

    pub fn rewrite(&self, text: &str) -> String {
        text.replace(FIXTURE_TRANSCRIPTS, &self.transcripts.to_string_lossy())
            .replace(FIXTURE_CWD, &self.repo.to_string_lossy())
    }

    /// A payload for another Claude session id (and optionally another project).
    pub fn fixture_as(&self, name: &str, claude_id: &str, repo: Option<&Path>) -> String {
        let mut text = self.fixture(name).replace(FIXTURE_CLAUDE_ID, claude_id);
        if let Some(repo) = repo {
            text = text.replace(&*self.repo.to_string_lossy(), &repo.to_string_lossy());
        }
        text
    }

    /// `show ID --json`.
    pub fn show(&self, id: &str) -> Value {
        serde_json::from_str(&self.run(&["show", id, "--json"])).unwrap()
    }

    pub fn hooks_log(&self) -> String {
        std::fs::read_to_string(self.root.join("claude-session/logs/hooks.log")).unwrap_or_default()
    }

    pub fn project_dir(&self) -> PathBuf {
        self.project_dir_of(&self.repo)
    }

    pub fn project_dir_of(&self, repo: &Path) -> PathBuf {
        let projects = self.root.join("claude-session/projects");
        let name = repo.file_name().unwrap().to_string_lossy().into_owned();
        std::fs::read_dir(&projects)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .rsplit_once('-')
                    .is_some_and(|(n, _)| n == name)
            })
            .expect("project folder")
    }

    pub fn workspace(&self, id: &str) -> PathBuf {
        self.project_dir().join("sessions/active").join(id)
    }

    pub fn journal(&self, id: &str) -> String {
        std::fs::read_to_string(self.workspace(id).join("events.jsonl")).unwrap_or_default()
    }

    pub fn pause_state(&self) -> Value {
        std::fs::read_to_string(self.root.join("pause-state.json"))
            .map(|t| serde_json::from_str(&t).unwrap())
            .unwrap_or(Value::Null)
    }

    /// Files moved aside as unreadable anywhere under the state root.
    pub fn corrupt_files(&self) -> Vec<PathBuf> {
        let mut found = Vec::new();
        walk(&self.root, &mut |p| {
            if p.to_string_lossy().contains(".corrupt-") {
                found.push(p.to_path_buf());
            }
        });
        found
    }

    /// Replaces the temp paths and the project slug's hash in text meant for snapshots.
    pub fn redact(&self, text: &str) -> String {
        let slug = self
            .project_dir()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        text.replace(
            &*self.tmp.path().canonicalize().unwrap().to_string_lossy(),
            "[TMP]",
        )
        .replace(&slug, "[SLUG]")
    }
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

pub fn walk(dir: &Path, each: &mut dyn FnMut(&Path)) {
    let Ok(entries) = std::fs::read_dir(dir) else {
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
pub fn additional_context(out: &Output) -> Option<String> {
    let text = String::from_utf8_lossy(&out.stdout);
    if text.trim().is_empty() {
        return None;
    }
    let value: Value = serde_json::from_str(&text).expect("stdout is one JSON object");
    Some(
        value["hookSpecificOutput"]["additionalContext"]
            .as_str()
            .expect("additionalContext")
            .to_string(),
    )
}
