//! The hooks Claude Code runs: the captured payloads replayed, routing between sessions,
//! session-start and session-end, reminders, garbage input, concurrency, and hooks.json.

mod concurrency;
mod current_claude_code;
mod fixtures;
mod fuzz;
mod garbage;
mod json;
mod limits;
mod remind;
mod routing;
mod session_end;
mod session_start;
mod tolerance;
mod transcripts;

use crate::support::{TestEnv, started_id, wait_for};
use std::path::Path;
use std::time::Duration;

/// This area's world: a git repository `webapp` (the project of the captured payloads) with
/// one commit, and the transcript fixtures the payloads point at.
pub fn world() -> TestEnv {
    TestEnv::builder()
        .repo("webapp")
        .files(&[("README.md", "hello\n")])
        .message("init")
        .transcripts()
        .build()
}

/// Starts a new session (bound to `claude` when given), even when another is paused; its id.
#[track_caller]
pub fn start(env: &TestEnv, focus: &str, claude: Option<&str>) -> String {
    start_in(env, &env.project, focus, claude)
}

#[track_caller]
pub fn start_in(env: &TestEnv, dir: &Path, focus: &str, claude: Option<&str>) -> String {
    let mut args = vec!["start", "--new"];
    if let Some(id) = claude {
        args.extend(["--claude-session", id]);
    }
    args.extend(["--", focus]);
    started_id(&env.ok_in(dir, &args))
}

/// [`TestEnv::redact`] as this area's snapshots spell it: the project's slug as `[SLUG]`.
pub fn redact(env: &TestEnv, text: &str) -> String {
    env.redact(text).replace("webapp-[HASH]", "[SLUG]")
}

/// The processes running with this world's state root (detached hook workers inherit
/// `CLAUDE_SESSION_HOME`), found through `/proc/<pid>/environ`.
pub fn workers(env: &TestEnv) -> Vec<u32> {
    let marker = format!("CLAUDE_SESSION_HOME={}", env.state.display());
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        // Unreadable (gone meanwhile) or empty (a zombie): not running.
        let Ok(environ) = std::fs::read(entry.path().join("environ")) else {
            continue;
        };
        if environ.split(|b| *b == 0).any(|v| v == marker.as_bytes()) {
            found.push(pid);
        }
    }
    found
}

/// Waits until no process of this world runs any more; whether that happened within `limit`.
pub fn settle(env: &TestEnv, limit: Duration) -> bool {
    wait_for(limit, || workers(env).is_empty())
}

/// Kills what is still running of this world when dropped, so that a failing test leaves no
/// runaway worker behind (they are this test's own processes, found by their environment).
pub struct Reaper<'a>(pub &'a TestEnv);

impl Drop for Reaper<'_> {
    fn drop(&mut self) {
        for pid in workers(self.0) {
            let _ = std::process::Command::new("kill")
                .args(["-9", &pid.to_string()])
                .status();
        }
    }
}
