//! Shared helpers of the continuity tests: a temp HOME, state root and real git repository,
//! and the real binary driven with a fixed clock.
#![allow(dead_code)]

#[path = "../hermetic/mod.rs"]
mod hermetic;
use std::cell::RefCell;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_claude-session");
pub const T0: &str = "2026-03-14T10:00:00Z";

pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Out {
    pub fn ok(self) -> Out {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

pub struct Env {
    pub tmp: tempfile::TempDir,
    pub home: PathBuf,
    pub state: PathBuf,
    /// The project: a git repository (or a plain folder for `Env::plain`).
    pub repo: PathBuf,
    now: RefCell<String>,
    extra: RefCell<Vec<(String, String)>>,
}

fn base_command(program: &str, env: &Env) -> Command {
    let mut command = Command::new(program);
    hermetic::isolate(&mut command)
        .current_dir(&env.repo)
        .env("HOME", &env.home)
        .env("CLAUDE_SESSION_HOME", &env.state)
        .env("CLAUDE_SESSION_NOW", env.now.borrow().as_str());
    for (k, v) in env.extra.borrow().iter() {
        command.env(k, v);
    }
    command
}

impl Env {
    /// A git repository on `main` with one commit (README.md, src/lib.rs).
    pub fn new() -> Env {
        let env = Env::plain();
        env.git(&["init", "-q", "-b", "main"]);
        env.write("README.md", "# Demo\n\nA small demo project for tests.\n");
        env.write("src/lib.rs", "pub fn answer() -> u32 {\n    42\n}\n");
        env.git(&["add", "-A"]);
        env.git(&["commit", "-q", "-m", "Initial commit"]);
        env
    }

    /// A plain folder, not a git repository.
    pub fn plain() -> Env {
        let tmp = tempfile::tempdir().expect("temp dir");
        let root = tmp.path().canonicalize().expect("canonical temp dir");
        let home = root.join("home");
        let state = root.join("state");
        let repo = root.join("demo");
        for dir in [&home, &state, &repo] {
            std::fs::create_dir_all(dir).expect("create dir");
        }
        Env {
            tmp,
            home,
            state,
            repo,
            now: RefCell::new(T0.to_string()),
            extra: RefCell::new(Vec::new()),
        }
    }

    /// Sets the clock of the following commands.
    pub fn at(&self, now: &str) {
        *self.now.borrow_mut() = now.to_string();
    }

    /// Adds an environment variable to the following commands.
    pub fn set_env(&self, key: &str, value: &str) {
        self.extra
            .borrow_mut()
            .push((key.to_string(), value.to_string()));
    }

    pub fn root(&self) -> PathBuf {
        self.repo.parent().expect("parent").to_path_buf()
    }

    /// Runs claude-session with `args`.
    pub fn cs(&self, args: &[&str]) -> Out {
        self.cs_in(args, None)
    }

    /// Runs claude-session with `args` and `stdin`.
    pub fn cs_stdin(&self, args: &[&str], stdin: &str) -> Out {
        self.cs_in(args, Some(stdin))
    }

    fn cs_in(&self, args: &[&str], stdin: Option<&str>) -> Out {
        let mut command = base_command(BIN, self);
        command
            .args(args)
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("run claude-session");
        if let Some(text) = stdin {
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(text.as_bytes())
                .expect("write stdin");
        }
        let output = child.wait_with_output().expect("wait");
        Out {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Runs git in the project; panics on failure; returns trimmed stdout.
    pub fn git(&self, args: &[&str]) -> String {
        self.git_in(&self.repo, args)
    }

    pub fn git_in(&self, dir: &Path, args: &[&str]) -> String {
        let output = base_command("git", self)
            .current_dir(dir)
            .args(args)
            .output()
            .expect("run git");
        assert!(
            output.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).trim().to_string()
    }

    /// Runs git and reports success without panicking.
    pub fn git_ok(&self, args: &[&str]) -> bool {
        base_command("git", self)
            .args(args)
            .output()
            .expect("run git")
            .status
            .success()
    }

    pub fn write(&self, relative: &str, content: &str) {
        let path = self.repo.join(relative);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, content).expect("write");
    }

    pub fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.repo.join(relative)).expect("read")
    }

    pub fn head(&self) -> String {
        self.git(&["rev-parse", "HEAD"])
    }

    pub fn branch(&self) -> String {
        self.git(&["rev-parse", "--abbrev-ref", "HEAD"])
    }

    pub fn pause_state_path(&self) -> PathBuf {
        self.state.join("pause-state.json")
    }

    pub fn pause_state(&self) -> serde_json::Value {
        match std::fs::read_to_string(self.pause_state_path()) {
            Ok(text) => serde_json::from_str(&text).expect("pause-state.json parses"),
            Err(_) => serde_json::json!({}),
        }
    }

    /// The project's pause record, if any.
    pub fn pause_record(&self) -> Option<serde_json::Value> {
        self.pause_state()
            .get("projects")
            .and_then(|p| p.get(self.repo.to_string_lossy().as_ref()))
            .cloned()
    }

    pub fn slug(&self) -> String {
        claude_session::paths::project_slug(&self.repo, "demo")
    }

    pub fn project_dir(&self) -> PathBuf {
        self.state
            .join("claude-session")
            .join("projects")
            .join(self.slug())
    }

    /// The session document (session.yaml, active or archived) as JSON via `show --json`.
    pub fn show(&self, id: &str) -> serde_json::Value {
        let out = self.cs(&["show", id, "--json"]).ok();
        serde_json::from_str(&out.stdout).expect("show --json parses")
    }

    /// Starts a session with `focus`; returns its id.
    pub fn start(&self, focus: &str) -> String {
        let out = self.cs(&["start", focus]).ok();
        let line = out
            .stdout
            .lines()
            .find(|l| l.contains("Session started:"))
            .expect("start announces the session")
            .to_string();
        line.rsplit(' ').next().expect("id").to_string()
    }

    /// Replaces the temp root and the project's slug hash so snapshots are stable.
    pub fn scrub(&self, text: &str) -> String {
        text.replace(&self.root().to_string_lossy().into_owned(), "[TMP]")
            .replace(&self.slug(), "demo-[SLUG]")
    }

    /// Appends raw events to a session's journal, as the hooks do.
    pub fn append_events(&self, id: &str, lines: &[serde_json::Value]) {
        let journal = self
            .project_dir()
            .join("sessions/active")
            .join(id)
            .join("events.jsonl");
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(&journal)
            .expect("open journal");
        for line in lines {
            writeln!(file, "{line}").expect("append");
        }
    }
}
