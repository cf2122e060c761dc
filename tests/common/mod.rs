//! Hermetic test environment: a temp HOME and state root, real git repositories, a fixed clock.
#![allow(dead_code)]

#[path = "../hermetic/mod.rs"]
mod hermetic;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_claude-session");
pub const FIXED_NOW: &str = "2025-10-25T14:30:00";

pub struct Env {
    pub tmp: tempfile::TempDir,
    pub home: PathBuf,
    pub state: PathBuf,
    pub now: Option<String>,
}

impl Env {
    pub fn new() -> Env {
        let tmp = tempfile::tempdir().expect("temp dir");
        let root = tmp.path().canonicalize().expect("canonical temp dir");
        let home = root.join("home");
        let state = home.join(".claude");
        std::fs::create_dir_all(&home).unwrap();
        Env {
            tmp,
            home,
            state,
            now: Some(FIXED_NOW.to_string()),
        }
    }

    pub fn root(&self) -> PathBuf {
        self.home.parent().unwrap().to_path_buf()
    }

    /// Sets the environment every child process of a test gets.
    pub fn apply(&self, cmd: &mut Command) {
        hermetic::isolate(cmd)
            .env("HOME", &self.home)
            .env("CLAUDE_SESSION_HOME", &self.state);
        match &self.now {
            Some(now) => cmd.env("CLAUDE_SESSION_NOW", now),
            None => cmd.env_remove("CLAUDE_SESSION_NOW"),
        };
    }

    pub fn cmd(&self, dir: &Path, args: &[&str]) -> Command {
        let mut cmd = Command::new(BIN);
        cmd.args(args).current_dir(dir).stdin(Stdio::null());
        self.apply(&mut cmd);
        cmd
    }

    pub fn run(&self, dir: &Path, args: &[&str]) -> Output {
        self.cmd(dir, args).output().expect("run claude-session")
    }

    /// Runs and requires success; returns stdout.
    pub fn ok(&self, dir: &Path, args: &[&str]) -> String {
        let out = self.run(dir, args);
        assert!(
            out.status.success(),
            "claude-session {args:?} failed: {}\n{}",
            String::from_utf8_lossy(&out.stderr),
            String::from_utf8_lossy(&out.stdout)
        );
        String::from_utf8(out.stdout).expect("utf-8 stdout")
    }

    /// Runs and requires failure with exit code 1; returns stderr.
    pub fn fails(&self, dir: &Path, args: &[&str]) -> String {
        let out = self.run(dir, args);
        assert_eq!(
            out.status.code(),
            Some(1),
            "expected exit 1 from {args:?}; stdout: {}; stderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stderr).expect("utf-8 stderr")
    }

    /// Runs `hook <name>` with `payload` on stdin; a hook always exits 0. Returns its stdout.
    pub fn hook(&self, dir: &Path, name: &str, payload: &serde_json::Value) -> String {
        use std::io::Write;
        let mut cmd = self.cmd(dir, &["hook", name]);
        cmd.stdin(Stdio::piped()).stdout(Stdio::piped());
        let mut child = cmd.spawn().expect("run the hook");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(payload.to_string().as_bytes())
            .expect("write the payload");
        let out = child.wait_with_output().expect("hook output");
        assert_eq!(out.status.code(), Some(0), "a hook exits 0");
        String::from_utf8(out.stdout).expect("utf-8 stdout")
    }

    pub fn git(&self, dir: &Path, args: &[&str]) -> String {
        let mut cmd = Command::new("git");
        cmd.args(args).current_dir(dir);
        self.apply(&mut cmd);
        let out = cmd.output().expect("run git");
        assert!(
            out.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// A git repository with one commit (README.md) on branch `main`.
    pub fn repo(&self, name: &str) -> PathBuf {
        let dir = self.root().join(name);
        std::fs::create_dir_all(&dir).unwrap();
        self.git(&dir, &["init", "-q", "-b", "main"]);
        std::fs::write(dir.join("README.md"), "# demo\n").unwrap();
        self.git(&dir, &["add", "-A"]);
        self.git(&dir, &["commit", "-q", "-m", "initial"]);
        dir
    }

    /// A plain folder outside git.
    pub fn plain_dir(&self, name: &str) -> PathBuf {
        let dir = self.root().join(name);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// The project's folder under the state root.
    pub fn project_dir(&self, project: &Path) -> PathBuf {
        let projects = self.state.join("claude-session").join("projects");
        let name = project.file_name().unwrap().to_string_lossy().into_owned();
        let found: Vec<PathBuf> = std::fs::read_dir(&projects)
            .expect("projects folder")
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with(&format!("{name}-"))
            })
            .collect();
        assert_eq!(found.len(), 1, "one project folder for {name}: {found:?}");
        found.into_iter().next().unwrap()
    }

    pub fn active_dir(&self, project: &Path, id: &str) -> PathBuf {
        self.project_dir(project).join("sessions/active").join(id)
    }

    pub fn archive_dir(&self, project: &Path, id: &str) -> PathBuf {
        self.project_dir(project).join("sessions/archive").join(id)
    }

    /// Replaces temp paths so snapshots are stable.
    pub fn redact(&self, text: &str) -> String {
        let mut text = text.replace(&self.root().to_string_lossy().into_owned(), "[TMP]");
        // Project slugs hash the (random) temp path.
        let projects = self.state.join("claude-session").join("projects");
        if let Ok(entries) = std::fs::read_dir(projects) {
            for entry in entries.flatten() {
                let slug = entry.file_name().to_string_lossy().into_owned();
                if let Some((name, _)) = slug.rsplit_once('-') {
                    text = text.replace(&slug, &format!("{name}-[HASH]"));
                }
            }
        }
        text
    }
}

/// The session id a `start` report announces.
pub fn started_id(report: &str) -> String {
    report
        .lines()
        .find_map(|l| l.strip_prefix("✅ Session started: "))
        .expect("start report names the session")
        .trim()
        .to_string()
}

pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

pub fn yaml(path: &Path) -> serde_yaml_ng::Value {
    serde_yaml_ng::from_str(&read(path)).expect("valid YAML")
}
