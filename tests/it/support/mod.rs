//! The one test environment of every integration test: a temp folder holding HOME, the state
//! root (`CLAUDE_SESSION_HOME`) and a project (by default a git repository with one commit),
//! the real binary run there with a fixed clock, and nothing of the caller's environment but
//! `PATH` (see [`isolate`]).
//!
//! `TestEnv::new()` is the default world; `TestEnv::builder()` changes where things are and
//! what the first commit holds. Each area keeps its own world (its snapshots and commit hashes
//! depend on it) as a `world()` function over this builder, in the area's `mod.rs`.
#![allow(dead_code)]

mod files;
mod race;
pub use files::*;
pub use race::*;

use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;

pub const BIN: &str = env!("CARGO_BIN_EXE_claude-session");
/// The fixed clock of every command unless a test moves it with [`TestEnv::at`].
pub const NOW: &str = "2025-10-25T14:30:00Z";
/// The author and committer date of every git commit, so commit hashes are stable.
pub const GIT_DATE: &str = "2025-10-25T12:00:00Z";
/// The Claude session id in the captured hook payloads.
pub const FIXTURE_CLAUDE_ID: &str = "7e7467ed-61fa-418e-8f5e-a815690dedad";
const FIXTURE_CWD: &str = "/home/dev/src/webapp";
const FIXTURE_TRANSCRIPTS: &str = "/home/dev/.claude/projects/-home-dev-src-webapp";

/// The environment every child process of a test starts from: nothing inherited but `PATH`
/// (no `CLAUDE_*`, `GIT_SSH*` or soft-fail setting of the developer's shell leaks in), UTC, no
/// user or system git configuration, and a fixed git identity and date.
pub fn isolate(cmd: &mut Command) -> &mut Command {
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("TZ", "UTC")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .env("GIT_AUTHOR_DATE", GIT_DATE)
        .env("GIT_COMMITTER_DATE", GIT_DATE)
}

/// Where the state root goes.
#[derive(Clone, Copy)]
enum StateAt {
    /// `<root>/state`.
    Root,
    /// `<home>/.claude`, where it is without `CLAUDE_SESSION_HOME`.
    Home,
    /// A folder inside the project (not ignored by git).
    Project(&'static str),
}

/// How a [`TestEnv`] is made; see [`TestEnv::builder`].
pub struct Builder {
    project: &'static str,
    git: bool,
    files: Vec<(String, Vec<u8>)>,
    message: &'static str,
    clock: String,
    state: StateAt,
    claude_config_dir: bool,
    env: Vec<(String, String)>,
    transcripts: bool,
}

impl Builder {
    /// The project is a git repository `<root>/<name>` on `main` with one commit.
    pub fn repo(mut self, name: &'static str) -> Builder {
        self.project = name;
        self.git = true;
        self
    }

    /// The project is an empty folder `<root>/<name>`, no git (`files` after this fills it).
    pub fn folder(mut self, name: &'static str) -> Builder {
        self.project = name;
        self.git = false;
        self.files.clear();
        self
    }

    /// The files of the first commit (of the folder without git), instead of `README.md`.
    pub fn files(mut self, files: &[(&str, &str)]) -> Builder {
        self.files = files
            .iter()
            .map(|(path, text)| (path.to_string(), text.as_bytes().to_vec()))
            .collect();
        self
    }

    /// The message of the first commit.
    pub fn message(mut self, message: &'static str) -> Builder {
        self.message = message;
        self
    }

    /// The fixed clock the commands start with.
    pub fn clock(mut self, now: &str) -> Builder {
        self.clock = now.to_string();
        self
    }

    /// The state root at `~/.claude` (the default place without `CLAUDE_SESSION_HOME`).
    pub fn state_in_home(mut self) -> Builder {
        self.state = StateAt::Home;
        self
    }

    /// The state root inside the project, at `relative`.
    pub fn state_in_project(mut self, relative: &'static str) -> Builder {
        self.state = StateAt::Project(relative);
        self
    }

    /// Claude Code's folder at `<root>/claude-config` through `CLAUDE_CONFIG_DIR` (else it is
    /// `~/.claude`).
    pub fn claude_config_dir(mut self) -> Builder {
        self.claude_config_dir = true;
        self
    }

    /// An environment variable of every command (after the isolation, so `PATH` can be set).
    pub fn env(mut self, key: &str, value: &str) -> Builder {
        self.env.push((key.to_string(), value.to_string()));
        self
    }

    /// A copy of the transcript fixtures at `<root>/transcripts`, where the captured hook
    /// payloads ([`TestEnv::fixture`]) point.
    pub fn transcripts(mut self) -> Builder {
        self.transcripts = true;
        self
    }

    pub fn build(self) -> TestEnv {
        let tmp = tempfile::tempdir().expect("temp dir");
        let root = tmp.path().canonicalize().expect("canonical temp dir");
        let home = root.join("home");
        let project = root.join(self.project);
        let state = match self.state {
            StateAt::Root => root.join("state"),
            StateAt::Home => home.join(".claude"),
            StateAt::Project(relative) => project.join(relative),
        };
        std::fs::create_dir_all(&home).expect("home");
        std::fs::create_dir_all(&project).expect("project");
        let mut extra: Vec<(String, String)> = self.env;
        if self.claude_config_dir {
            let claude = root.join("claude-config").to_string_lossy().into_owned();
            extra.insert(0, ("CLAUDE_CONFIG_DIR".to_string(), claude));
        }
        let env = TestEnv {
            _tmp: tmp,
            root,
            home,
            state,
            project,
            clock: Mutex::new(self.clock),
            extra: Mutex::new(extra),
        };
        for (path, bytes) in &self.files {
            env.write(path, bytes);
        }
        if self.git {
            env.git(&["init", "-q", "-b", "main"]);
            env.git(&["add", "-A"]);
            env.git(&["commit", "-q", "-m", self.message]);
        }
        // After the commit, so a state root inside the project is not in it.
        std::fs::create_dir_all(&env.state).expect("state root");
        if self.transcripts {
            copy_dir(&fixtures_dir().join("transcripts"), &env.transcripts());
        }
        env
    }
}

/// A temp world: see the module documentation.
pub struct TestEnv {
    _tmp: tempfile::TempDir,
    /// The canonical temp folder everything else is in.
    pub root: PathBuf,
    /// `HOME` of every command: `<root>/home`.
    pub home: PathBuf,
    /// The state root, `CLAUDE_SESSION_HOME`: `<root>/state` unless the builder said otherwise.
    pub state: PathBuf,
    /// Where commands run unless told otherwise: `<root>/project` unless named otherwise.
    pub project: PathBuf,
    clock: Mutex<String>,
    extra: Mutex<Vec<(String, String)>>,
}

impl TestEnv {
    /// A git project with `README.md` in one commit, state at `<root>/state`, clock at [`NOW`].
    pub fn new() -> TestEnv {
        TestEnv::builder().build()
    }

    pub fn builder() -> Builder {
        Builder {
            project: "project",
            git: true,
            files: vec![("README.md".to_string(), b"# demo\n".to_vec())],
            message: "initial",
            clock: NOW.to_string(),
            state: StateAt::Root,
            claude_config_dir: false,
            env: Vec::new(),
            transcripts: false,
        }
    }

    // --- the environment of the commands ---

    /// Sets the clock of the following commands.
    pub fn at(&self, now: &str) {
        *self.clock.lock().unwrap() = now.to_string();
    }

    /// Sets an environment variable of the following commands (replacing an earlier value).
    pub fn set_env(&self, key: &str, value: &str) {
        let mut extra = self.extra.lock().unwrap();
        extra.retain(|(k, _)| k != key);
        extra.push((key.to_string(), value.to_string()));
    }

    /// Gives `cmd` the environment of this world.
    pub fn apply<'c>(&self, cmd: &'c mut Command) -> &'c mut Command {
        isolate(cmd)
            .env("HOME", &self.home)
            .env("CLAUDE_SESSION_HOME", &self.state)
            .env("CLAUDE_SESSION_NOW", self.clock.lock().unwrap().as_str());
        for (key, value) in self.extra.lock().unwrap().iter() {
            cmd.env(key, value);
        }
        cmd
    }

    /// `program` with this world's environment, in the project.
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut cmd = Command::new(program);
        self.apply(&mut cmd).current_dir(&self.project);
        cmd
    }

    /// claude-session `args`, in the project, stdin empty.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = self.command(BIN);
        cmd.args(args).stdin(Stdio::null());
        cmd
    }

    /// claude-session `args` in `dir`.
    pub fn cmd_in(&self, dir: &Path, args: &[&str]) -> Command {
        let mut cmd = self.cmd(args);
        cmd.current_dir(dir);
        cmd
    }

    // --- running claude-session ---

    pub fn run(&self, args: &[&str]) -> Out {
        self.cmd(args).capture()
    }

    pub fn run_in(&self, dir: &Path, args: &[&str]) -> Out {
        self.cmd_in(dir, args).capture()
    }

    /// Runs with `input` on stdin.
    pub fn run_stdin(&self, args: &[&str], input: impl AsRef<[u8]>) -> Out {
        self.cmd(args).capture_stdin(input)
    }

    /// Runs, requiring success; stdout.
    #[track_caller]
    pub fn ok(&self, args: &[&str]) -> String {
        self.run(args).ok().stdout
    }

    #[track_caller]
    pub fn ok_in(&self, dir: &Path, args: &[&str]) -> String {
        self.run_in(dir, args).ok().stdout
    }

    /// Runs, requiring exit code 1; stderr.
    #[track_caller]
    pub fn fails(&self, args: &[&str]) -> String {
        self.run(args).fails().stderr
    }

    #[track_caller]
    pub fn fails_in(&self, dir: &Path, args: &[&str]) -> String {
        self.run_in(dir, args).fails().stderr
    }

    /// `hook NAME` with `payload` on stdin, in the project; a hook always exits 0.
    #[track_caller]
    pub fn hook(&self, name: &str, payload: impl AsRef<[u8]>) -> Out {
        self.hook_in(&self.project, name, payload)
    }

    #[track_caller]
    pub fn hook_in(&self, dir: &Path, name: &str, payload: impl AsRef<[u8]>) -> Out {
        let out = self
            .cmd_in(dir, &["hook", name])
            .capture_stdin(payload.as_ref());
        assert_eq!(
            out.code, 0,
            "hook {name} exited {}: {}",
            out.code, out.stderr
        );
        out
    }

    /// `start FOCUS` (FOCUS one argument); the new session's id.
    #[track_caller]
    pub fn start(&self, focus: &str) -> String {
        started_id(&self.ok(&["start", focus]))
    }

    // --- git ---

    /// git `args` in the project, required to succeed; stdout without its final newline.
    #[track_caller]
    pub fn git(&self, args: &[&str]) -> String {
        self.git_in(&self.project, args)
    }

    #[track_caller]
    pub fn git_in(&self, dir: &Path, args: &[&str]) -> String {
        let out = self.command("git").current_dir(dir).args(args).capture();
        assert_eq!(out.code, 0, "git {args:?} failed: {}", out.stderr);
        out.stdout.trim_end().to_string()
    }

    /// Whether git `args` succeeds in the project.
    pub fn git_ok(&self, args: &[&str]) -> bool {
        self.command("git").args(args).capture().code == 0
    }

    pub fn head(&self) -> String {
        self.git(&["rev-parse", "HEAD"])
    }

    pub fn branch(&self) -> String {
        self.git(&["rev-parse", "--abbrev-ref", "HEAD"])
    }

    // --- files ---

    /// Writes a file of the project, making its folders.
    pub fn write(&self, relative: &str, content: impl AsRef<[u8]>) {
        let path = self.project.join(relative);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, content).expect("write");
    }

    /// A file of the project as text.
    pub fn read(&self, relative: &str) -> String {
        read(&self.project.join(relative))
    }

    pub fn read_bytes(&self, relative: &str) -> Vec<u8> {
        let path = self.project.join(relative);
        std::fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
    }

    /// A folder `<root>/<name>` (made if missing).
    pub fn dir(&self, name: &str) -> PathBuf {
        let dir = self.root.join(name);
        std::fs::create_dir_all(&dir).expect("mkdir");
        dir
    }

    /// Writes the state root's `config.toml`.
    pub fn config(&self, text: &str) {
        let dir = self.state.join("claude-session");
        std::fs::create_dir_all(&dir).expect("mkdir");
        std::fs::write(dir.join("config.toml"), text).expect("config.toml");
    }

    /// Claude Code's folder as the binary sees it.
    pub fn claude_dir(&self) -> PathBuf {
        self.extra
            .lock()
            .unwrap()
            .iter()
            .find(|(k, _)| k == "CLAUDE_CONFIG_DIR")
            .map(|(_, v)| PathBuf::from(v))
            .unwrap_or_else(|| self.home.join(".claude"))
    }

    // --- the state root ---

    /// The folder of the project at `project` under the state root: `<name>-<8 hex digits>`.
    pub fn project_dir_of(&self, project: &Path) -> PathBuf {
        let projects = self.state.join("claude-session/projects");
        let name = project.file_name().unwrap().to_string_lossy().into_owned();
        let found: Vec<PathBuf> = std::fs::read_dir(&projects)
            .unwrap_or_else(|e| panic!("{}: {e}", projects.display()))
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .rsplit_once('-')
                    .is_some_and(|(n, hash)| n == name && hash.len() == 8)
            })
            .collect();
        assert_eq!(found.len(), 1, "one project folder for {name}: {found:?}");
        found.into_iter().next().unwrap()
    }

    pub fn project_dir(&self) -> PathBuf {
        self.project_dir_of(&self.project)
    }

    pub fn active_dir(&self, id: &str) -> PathBuf {
        self.project_dir().join("sessions/active").join(id)
    }

    pub fn archive_dir(&self, id: &str) -> PathBuf {
        self.project_dir().join("sessions/archive").join(id)
    }

    /// The session's workspace, active or archived.
    pub fn workspace(&self, id: &str) -> PathBuf {
        let active = self.active_dir(id);
        if active.exists() {
            active
        } else {
            self.archive_dir(id)
        }
    }

    pub fn snapshots(&self, id: &str) -> PathBuf {
        self.workspace(id).join("snapshots")
    }

    /// The session's events.jsonl ("" if none).
    pub fn journal(&self, id: &str) -> String {
        std::fs::read_to_string(self.workspace(id).join("events.jsonl")).unwrap_or_default()
    }

    /// Appends raw events to a session's journal, as the hooks do.
    pub fn append_events(&self, id: &str, events: &[Value]) {
        let mut file = std::fs::OpenOptions::new()
            .append(true)
            .open(self.workspace(id).join("events.jsonl"))
            .expect("open the journal");
        for event in events {
            writeln!(file, "{event}").expect("append");
        }
    }

    pub fn hooks_log(&self) -> String {
        std::fs::read_to_string(self.state.join("claude-session/logs/hooks.log"))
            .unwrap_or_default()
    }

    pub fn pause_state_path(&self) -> PathBuf {
        self.state.join("pause-state.json")
    }

    /// pause-state.json, `null` if there is none.
    pub fn pause_state(&self) -> Value {
        std::fs::read_to_string(self.pause_state_path())
            .map(|text| serde_json::from_str(&text).expect("pause-state.json parses"))
            .unwrap_or(Value::Null)
    }

    /// The project's pause record, if any.
    pub fn pause_record(&self) -> Option<Value> {
        self.pause_state()
            .get("projects")
            .and_then(|p| p.get(self.project.to_string_lossy().as_ref()))
            .cloned()
    }

    /// The document of a `--json` command (`args` include `--json`), required to succeed.
    /// Every such document is an object with `"version": 1` and the command's name.
    #[track_caller]
    pub fn json(&self, args: &[&str]) -> Value {
        assert!(args.contains(&"--json"), "{args:?} asks for JSON");
        let doc = parse_json(&self.ok(args));
        let command = args.iter().find(|a| !a.starts_with('-')).expect("command");
        assert_eq!(doc["version"], 1, "{args:?}: {doc}");
        // Nested commands are named in full: `restore checkpoint`, `handoff export`.
        let named = doc["command"].as_str().unwrap_or_default();
        assert_eq!(named.split(' ').next(), Some(*command), "{args:?}: {doc}");
        doc
    }

    /// Like [`TestEnv::json`], with `input` on stdin.
    #[track_caller]
    pub fn json_stdin(&self, args: &[&str], input: &str) -> Value {
        let doc = parse_json(&self.run_stdin(args, input).ok().stdout);
        assert_eq!(doc["version"], 1, "{args:?}: {doc}");
        doc
    }

    /// `show ID --json`.
    #[track_caller]
    pub fn show(&self, id: &str) -> Value {
        self.json(&["show", id, "--json"])
    }

    /// The ids of a session's checkpoints (`checkpoints ID --json`).
    #[track_caller]
    pub fn checkpoint_ids(&self, id: &str) -> Vec<String> {
        self.json(&["checkpoints", id, "--json"])["checkpoints"]
            .as_array()
            .expect("checkpoints")
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect()
    }

    /// A checkpoint's manifest.
    pub fn manifest(&self, session: &str, checkpoint: &str) -> Value {
        let path = self
            .snapshots(session)
            .join(format!("{checkpoint}.manifest.json"));
        parse_json(&read(&path))
    }

    /// Files moved aside as unreadable anywhere under the state root.
    pub fn corrupt_files(&self) -> Vec<PathBuf> {
        let mut found = Vec::new();
        walk(&self.state, &mut |p| {
            if p.to_string_lossy().contains(".corrupt-") {
                found.push(p.to_path_buf());
            }
        });
        found
    }

    /// `text` with the temp folder as `[TMP]` and each project folder's hash (of the random temp
    /// path) as `[HASH]`, so snapshots are stable.
    pub fn redact(&self, text: &str) -> String {
        let mut text = text.replace(&*self.root.to_string_lossy(), "[TMP]");
        // Hashes of journal bytes, which hold temp paths.
        for key in ["folded_tail: ", "\"folded_tail\": \""] {
            let mut from = 0;
            while let Some(at) = text[from..].find(key).map(|n| from + n + key.len()) {
                text.replace_range(at..(at + 16).min(text.len()), "[TAIL-HASH-----]");
                from = at;
            }
        }
        // session.yaml's trailer hashes the file, temp paths included.
        if let Some(at) = text.find("# claude-session: complete, ") {
            let end = text[at..].find('\n').map_or(text.len(), |n| at + n);
            text.replace_range(at..end, "# claude-session: complete, [TRAILER]");
        }
        let projects = self.state.join("claude-session/projects");
        for entry in std::fs::read_dir(projects).into_iter().flatten().flatten() {
            let slug = entry.file_name().to_string_lossy().into_owned();
            if let Some((name, _)) = slug.rsplit_once('-') {
                text = text.replace(&slug, &format!("{name}-[HASH]"));
            }
        }
        text
    }

    // --- captured Claude Code hook payloads ---

    /// Where [`Builder::transcripts`] copies the transcript fixtures.
    pub fn transcripts(&self) -> PathBuf {
        self.root.join("transcripts")
    }

    /// A captured payload with its paths pointing into this world (the project as `cwd`).
    /// `name` is a file of `tests/fixtures/hook-inputs` (Claude Code 2.1.197), or a path under
    /// `tests/fixtures` such as `hook-inputs-2.1.332/008-PostToolUse-Agent.json`.
    pub fn fixture(&self, name: &str) -> String {
        let path = if name.contains('/') {
            fixtures_dir().join(name)
        } else {
            fixtures_dir().join("hook-inputs").join(name)
        };
        read(&path)
            .replace(FIXTURE_TRANSCRIPTS, &self.transcripts().to_string_lossy())
            .replace(FIXTURE_CWD, &self.project.to_string_lossy())
    }

    /// A captured payload of another Claude session (and optionally of another project).
    pub fn fixture_as(&self, name: &str, claude_id: &str, project: Option<&Path>) -> String {
        let mut text = self.fixture(name).replace(FIXTURE_CLAUDE_ID, claude_id);
        if let Some(project) = project {
            text = text.replace(&*self.project.to_string_lossy(), &project.to_string_lossy());
        }
        text
    }
}

/// What a finished command left: its exit code (-1 if killed by a signal) and output.
#[derive(Debug)]
pub struct Out {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Out {
    /// Requires exit code 0.
    #[track_caller]
    pub fn ok(self) -> Out {
        assert_eq!(
            self.code, 0,
            "expected success\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// Requires exit code 1 (a refusal, not a crash).
    #[track_caller]
    pub fn fails(self) -> Out {
        assert_eq!(
            self.code, 1,
            "expected exit 1\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

/// Running a prepared [`Command`] to its end.
pub trait Capture {
    /// Runs with stdout and stderr captured.
    fn capture(&mut self) -> Out;
    /// Runs with `input` on stdin.
    fn capture_stdin(&mut self, input: impl AsRef<[u8]>) -> Out;
}

impl Capture for Command {
    fn capture(&mut self) -> Out {
        let output = self.output().expect("run the command");
        out_of(output)
    }

    fn capture_stdin(&mut self, input: impl AsRef<[u8]>) -> Out {
        let mut child = self
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run the command");
        {
            let mut stdin = child.stdin.take().expect("stdin");
            // Every reader here reads all its input; a write error would mean it did not.
            stdin.write_all(input.as_ref()).expect("write stdin");
        }
        out_of(child.wait_with_output().expect("wait for the command"))
    }
}

/// Waits for a child spawned with its stdout and stderr piped.
pub fn finish(child: std::process::Child) -> Out {
    out_of(child.wait_with_output().expect("wait for the command"))
}

fn out_of(output: std::process::Output) -> Out {
    Out {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The session id a `start` report announces.
#[track_caller]
pub fn started_id(report: &str) -> String {
    report
        .lines()
        .find_map(|l| l.strip_prefix("✅ Session started: "))
        .unwrap_or_else(|| panic!("the start report names the session: {report}"))
        .trim()
        .to_string()
}

#[track_caller]
pub fn parse_json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}
