//! The hooks Claude Code runs: the captured payloads replayed, routing between sessions,
//! session-start and session-end, reminders, garbage input, concurrency, and hooks.json.

mod concurrency;
mod fixtures;
mod garbage;
mod json;
mod remind;
mod routing;
mod session_end;
mod session_start;

use crate::support::{TestEnv, started_id};
use std::path::Path;

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
