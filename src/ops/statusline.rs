//! `statusline`: what Claude Code's status line shows about this conversation's session. Runs
//! every few hundred milliseconds, so it reads only the conversation's binding and `index.json`
//! (plus `remind-state.json`, and `config.toml` when no reminder interval is set): no git, no
//! YAML, no child process, and it never writes (a missing or unreadable index reads as empty).

use crate::clock;
use crate::env::Env;
use crate::error::Result;
use crate::paths::Project;
use crate::registry::{self, IndexEntry};
use crate::remind::RemindState;
use crate::session::Status;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct StatuslineRequest {
    /// Where Claude Code runs (the payload's project or current directory).
    pub dir: PathBuf,
    /// The Claude Code conversation (the payload's `session_id`), when usable as one.
    pub claude_id: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatuslineOutcome {
    /// The project has claude-session state (a folder under the state root); without it the
    /// line stays empty: the user does not use claude-session here.
    pub in_use: bool,
    /// The session the line is about: the conversation's own, else the only active one, else
    /// a paused one waiting for `/resume`.
    pub session: Option<ShownSession>,
    /// Active sessions of the project (several and none bound: none is shown).
    pub active: usize,
    /// Paused sessions of the project.
    pub paused: usize,
    /// A paused session other than the one shown, waiting for `/resume`.
    pub pause_waiting: Option<Waiting>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Waiting {
    pub id: String,
    pub number: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ShownSession {
    pub id: String,
    /// The day's number from the id (`007`), when the id has one.
    pub number: Option<String>,
    pub focus: String,
    pub status: Status,
    /// Bound to this conversation (not just the project's only active session).
    pub bound: bool,
    /// Files created or modified, as of the end of the last turn.
    pub files: u64,
    /// A checkpoint was taken (else the minutes count from the start).
    pub checkpointed: bool,
    /// Minutes since the last checkpoint, or since the start when there is none.
    pub minutes_since_checkpoint: Option<u64>,
    /// Minutes without a checkpoint after which one is overdue (`remind` interval when
    /// reminders are on, else `checkpoints.auto_minutes`; none when both are off).
    pub overdue_after: Option<u64>,
    pub checkpoint_overdue: bool,
}

pub fn statusline(env: &Env, request: &StatuslineRequest) -> Result<StatuslineOutcome> {
    let mut outcome = StatuslineOutcome {
        in_use: false,
        session: None,
        active: 0,
        paused: 0,
        pause_waiting: None,
    };
    let project = Project::discover(&env.layout, &request.dir)?;
    if !project.dir.is_dir() {
        return Ok(outcome);
    }
    outcome.in_use = true;
    let index = registry::peek_index(&project).unwrap_or_default();
    // Entries whose folder is gone (ended meanwhile, or a start killed before its rename) are
    // not open sessions.
    let open: Vec<(String, IndexEntry)> = index
        .sessions
        .into_iter()
        .filter(|(id, entry)| {
            entry.status != Status::Completed && project.sessions_active().join(id).is_dir()
        })
        .collect();
    outcome.active = open
        .iter()
        .filter(|(_, e)| e.status == Status::Active)
        .count();
    outcome.paused = open.len() - outcome.active;
    let bound = request
        .claude_id
        .as_deref()
        .and_then(|id| registry::bound_session(&project, id))
        .and_then(|id| open.iter().find(|(open_id, _)| *open_id == id));
    let only_active = || {
        let mut active = open.iter().filter(|(_, e)| e.status == Status::Active);
        match (active.next(), active.next()) {
            (Some(found), None) => Some(found),
            _ => None,
        }
    };
    let newest_paused = || {
        open.iter()
            .filter(|(_, e)| e.status == Status::Paused)
            .max_by_key(|(id, e)| (e.started_at, id.clone()))
    };
    let (shown, is_bound) = match bound {
        Some(found) => (Some(found), true),
        None if outcome.active > 0 => (only_active(), false),
        None => (newest_paused(), false),
    };
    let now = env.now()?;
    if let Some((id, entry)) = shown {
        outcome.session = Some(shown_session(env, id, entry, is_bound, now));
    }
    let shown_id = shown.map(|(id, _)| id.as_str());
    let shown_active = shown.is_some_and(|(_, e)| e.status == Status::Active);
    if shown_active || shown.is_none() {
        outcome.pause_waiting = newest_paused()
            .filter(|(id, _)| Some(id.as_str()) != shown_id)
            .map(|(id, _)| Waiting {
                id: id.clone(),
                number: day_number(id),
            });
    }
    Ok(outcome)
}

fn shown_session(
    env: &Env,
    id: &str,
    entry: &IndexEntry,
    bound: bool,
    now: Timestamp,
) -> ShownSession {
    let since = entry.last_checkpoint_at.or(entry.started_at);
    let minutes = since.map(|at| clock::minutes_between(at, now));
    let overdue_after = match entry.status {
        Status::Active => overdue_after(env),
        _ => None,
    };
    ShownSession {
        id: id.to_string(),
        number: day_number(id),
        focus: entry.focus.clone(),
        status: entry.status,
        bound,
        files: entry.files,
        checkpointed: entry.last_checkpoint_at.is_some(),
        minutes_since_checkpoint: minutes,
        checkpoint_overdue: matches!((minutes, overdue_after), (Some(m), Some(limit)) if m >= limit),
        overdue_after,
    }
}

/// The reminder interval when reminders are on, else the automatic checkpoint interval.
fn overdue_after(env: &Env) -> Option<u64> {
    // A plain read: the status line never moves a corrupt file aside (the next command does).
    let remind = std::fs::read(env.layout.remind_state())
        .ok()
        .and_then(|bytes| serde_json::from_slice::<RemindState>(&bytes).ok());
    if let Some(state) = remind.filter(|s| s.enabled && s.interval_minutes > 0) {
        return Some(state.interval_minutes);
    }
    let auto = u64::from(env.config().checkpoints.auto_minutes);
    (auto > 0).then_some(auto)
}

/// `<state>/claude-session/statusline.json`: the user's status line command that
/// `install --statusline=wrap` replaced with ours, so that `statusline --wrap` runs it and
/// uninstall puts it back exactly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Wrapped {
    pub version: u32,
    /// The settings file whose `statusLine.command` was replaced.
    pub settings: String,
    /// The user's command.
    pub command: String,
    /// The command's JSON string exactly as it was written in the file.
    pub original: String,
}

pub fn wrapped_path(layout: &crate::paths::Layout) -> PathBuf {
    layout.app_dir().join("statusline.json")
}

/// The wrapped command, read without ever moving the file aside (the status line never writes).
pub fn read_wrapped(layout: &crate::paths::Layout) -> Option<Wrapped> {
    let bytes = std::fs::read(wrapped_path(layout)).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// How long the user's own status line command may take.
const WRAPPED_TIMEOUT: Duration = Duration::from_secs(5);

/// Runs the user's status line command as Claude Code would (`sh -c`, the payload on stdin, in
/// the session's directory); its output, or `None` when it fails or takes too long.
pub fn run_wrapped(command: &str, payload: &[u8], dir: Option<&Path>) -> Option<String> {
    let mut run = crate::process::Run::new("sh")
        .arg("-c")
        .arg(command)
        .stdin(payload.to_vec())
        .timeout(WRAPPED_TIMEOUT);
    if let Some(dir) = dir.filter(|d| d.is_dir()) {
        run = run.current_dir(dir);
    }
    let finished = run.run().ok()?;
    (!finished.timed_out).then(|| finished.stdout_text())
}

/// `007` from `2025-10-25-session-007-auth`.
fn day_number(id: &str) -> Option<String> {
    let rest = id.get(11..)?.strip_prefix("session-")?;
    let number: String = rest.chars().take_while(char::is_ascii_digit).collect();
    (!number.is_empty()).then_some(number)
}

#[cfg(test)]
mod tests {
    use super::day_number;

    #[test]
    fn the_day_number_comes_from_the_id() {
        assert_eq!(
            day_number("2025-10-25-session-007-auth").as_deref(),
            Some("007")
        );
        assert_eq!(day_number("2025-10-25-session-012").as_deref(), Some("012"));
        assert_eq!(day_number("odd"), None);
        assert_eq!(day_number("2025-10-25-other-001"), None);
    }
}
