//! `session-end` (SessionEnd): Claude Code gives all SessionEnd hooks 1.5 s together, so the
//! hook only appends the Claude session's end and starts a detached worker
//! (`hook session-end-worker <job JSON>`) that outlives Claude Code. The worker counts the
//! transcript's tokens and, when the session is still active and no other Claude Code window
//! still works on it, pauses it the way /pause would: a context file, status paused and a pause
//! record with `auto: true` that the next session-start resumes by itself.

use super::route::{self, Routed, Target, deliver};
use super::wire::Payload;
use super::{Env, Outcome, expect_event};

use crate::detach;
use crate::error::{Error, Result};
use crate::ops::pause;
use crate::paths::Project;
use crate::registry::{self, Workspace};
use crate::session::{ClaudeSession, Event, SessionDoc, Status};
use crate::transcript::{self, Unreadable};
use crate::{clock, git};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A bound Claude session with no sign of life for this long is taken for dead (it crashed or
/// was killed before its SessionEnd) and does not keep its session from being paused.
const ALIVE_WITHIN: Duration = Duration::from_secs(12 * 3600);

/// What the worker needs, passed as one JSON argument.
#[derive(Debug, Serialize, Deserialize)]
pub struct EndJob {
    pub claude_session: String,
    pub project_dir: PathBuf,
    /// The session the fast part recorded into; `None` when it went to the inbox.
    pub session: Option<String>,
    pub transcript_path: Option<String>,
    pub reason: Option<String>,
    pub ended_at: Timestamp,
}

pub fn session_end(env: &Env, payload: &Payload) -> Result<Outcome> {
    if let Some(ignored) = expect_event("session-end", payload, "SessionEnd") {
        return Ok(ignored);
    }
    let Some(claude) = route::claude_id(payload) else {
        return Err(Error::invalid("no usable session_id", "SessionEnd"));
    };
    let routed = route::route(env, payload)?;
    let now = clock::now()?;
    deliver(
        &routed,
        &Event::ClaudeEnded {
            at: now,
            claude_session: claude.clone(),
            reason: payload.reason.clone(),
            tokens: None,
        },
    )?;
    let job = EndJob {
        claude_session: claude,
        project_dir: routed.project.path.clone(),
        session: routed.session().map(|ws| ws.id.clone()),
        transcript_path: payload.transcript_path.clone(),
        reason: payload.reason.clone(),
        ended_at: now,
    };
    let job = serde_json::to_string(&job)
        .map_err(|e| Error::invalid(format!("cannot serialise: {e}"), "session-end job"))?;
    detach::spawn(
        &detach::current_program()?,
        &[
            OsStr::new("hook"),
            OsStr::new(super::END_WORKER),
            OsStr::new(&job),
        ],
    )?;
    Ok(Outcome::quiet())
}

/// The detached half. The auto-pause comes first (it is what keeps the work from being lost),
/// then the token count, which may take a while on a large transcript; a failure of one step
/// does not stop the other. The token event is the worker's last write. The transcript is read
/// within [`transcript::Limits::WORKER`] (a regular file only, 1 GiB, 60 s, lines up to
/// 64 MiB); what was skipped is noted in the hook log.
pub fn worker(env: &Env, args: &[OsString]) -> Result<Outcome> {
    let raw = args
        .first()
        .ok_or_else(|| Error::invalid("no job given", super::END_WORKER))?;
    let job: EndJob = serde_json::from_str(&raw.to_string_lossy())
        .map_err(|e| Error::invalid(format!("unreadable job: {e}"), super::END_WORKER))?;
    let project = Project::discover(&env.layout, &job.project_dir)?;
    let ws = job
        .session
        .as_deref()
        .and_then(|id| route::active_workspace(&project, id));
    let mut trouble = Vec::new();

    if let Some(ws) = &ws
        && let Err(e) = auto_pause(env, &project, ws, &job)
    {
        trouble.push(format!("auto-pause: {e}"));
    }
    let mut notes = Vec::new();
    if let Some(path) = job.transcript_path.as_deref().map(Path::new) {
        let limits = transcript::Limits::WORKER;
        match transcript::usage(path, limits) {
            Ok(scan) => {
                if let Some(skipped) = scan.skipped.describe(&limits) {
                    notes.push(format!("transcript {}: {skipped}", path.display()));
                }
                if let Err(e) = record_tokens(&project, ws.as_ref(), &job, scan.value) {
                    trouble.push(format!("tokens: {e}"));
                }
            }
            // Deleted already, or never written: nothing to count.
            Err(Unreadable::Missing) => {}
            Err(e @ Unreadable::NotRegular(_)) => {
                notes.push(format!("transcript {} skipped: {e}", path.display()));
            }
            Err(Unreadable::Failed(e)) => trouble.push(format!("tokens: {e}")),
        }
    }
    match (trouble.is_empty(), notes.is_empty()) {
        (true, true) => Ok(Outcome::quiet()),
        (true, false) => Ok(Outcome::Noted(None, notes.join("; "))),
        (false, _) => {
            trouble.extend(notes.into_iter().map(|n| format!("note: {n}")));
            Err(Error::invalid(trouble.join("; "), &job.claude_session))
        }
    }
}

/// The token count's event, the worker's last write: into the session the fast part recorded
/// into, else the one bound meanwhile (`start --claude-session` adopted the inbox), else the
/// inbox.
fn record_tokens(
    project: &Project,
    ws: Option<&Workspace>,
    job: &EndJob,
    tokens: crate::session::TokenUsage,
) -> Result<()> {
    let session = ws
        .cloned()
        .or_else(|| route::bound_workspace(project, &job.claude_session));
    let routed = Routed {
        project: project.clone(),
        target: match session {
            Some(ws) => Target::Session(ws),
            None => Target::Inbox(job.claude_session.clone()),
        },
        claude_id: Some(job.claude_session.clone()),
        cwd: project.path.clone(),
    };
    deliver(
        &routed,
        &Event::ClaudeEnded {
            at: job.ended_at,
            claude_session: job.claude_session.clone(),
            reason: job.reason.clone(),
            tokens: Some(tokens),
        },
    )
}

/// Pauses the session when it is still active and no other Claude Code window works on it;
/// returns whether it did. The pause itself is `pause`'s own ([`pause::save`]): context file,
/// pause record (never replacing a record the user made for another session), then status.
fn auto_pause(env: &Env, project: &Project, ws: &Workspace, job: &EndJob) -> Result<bool> {
    let wait = env.wait();
    let _lock = registry::lock_project(project, wait)?;
    if !ws.dir.is_dir() {
        return Ok(false); // ended meanwhile
    }
    let doc = registry::load(ws, wait)?;
    if doc.session.status != Status::Active || others_running(project, ws, &doc, job) {
        return Ok(false);
    }
    let dirty = git::changes(&project.path)
        .map(|changes| changes.into_iter().map(|c| c.path).collect())
        .unwrap_or_default();
    let saved = pause::save(
        env,
        project,
        ws,
        &doc,
        &pause::Facts {
            reason: "auto-pause",
            summary: None,
            note: None,
            full: false,
            wip_commit: None,
            handoff: false,
            claude_session: Some(job.claude_session.clone()),
            dirty,
            wait,
            supersedes: None,
        },
        pause::RecordPolicy::KeepOthers,
    )?;
    // Nobody reads a detached worker's output: what the pause could not do goes to the log.
    let rotation = crate::hooklog::Rotation::from_config(env.config());
    for problem in saved.tasks_problem.iter().chain(&saved.tasks_warnings) {
        let line = format!(
            "{} session-end auto-pause tasks: {problem}",
            crate::clock::now_for_log()
        );
        let _ = crate::hooklog::append(&env.layout, rotation, &line);
    }
    Ok(true)
}

/// Whether another Claude Code session bound to this session is still running: it has not
/// ended, its binding still names this session, and it showed a sign of life (its transcript
/// written, else its binding) within [`ALIVE_WITHIN`].
fn others_running(project: &Project, ws: &Workspace, doc: &SessionDoc, job: &EndJob) -> bool {
    doc.claude_sessions
        .iter()
        .filter(|c| c.id != job.claude_session && c.ended_at.is_none())
        .filter(|c| registry::bound_session(project, &c.id).as_deref() == Some(ws.id.as_str()))
        .any(|c| alive(c, job))
}

fn alive(claude: &ClaudeSession, job: &EndJob) -> bool {
    // Transcripts of one project share a folder: a sibling of ours, named by the session id.
    let transcript = claude
        .transcript_path
        .as_ref()
        .map(PathBuf::from)
        .or_else(|| {
            job.transcript_path
                .as_deref()
                .and_then(|p| Path::new(p).parent())
                .map(|dir| dir.join(format!("{}.jsonl", claude.id)))
        });
    if let Some(modified) = transcript
        .and_then(|path| std::fs::metadata(path).ok())
        .and_then(|meta| meta.modified().ok())
    {
        return clock::system_time()
            .duration_since(modified)
            .map_or(true, |age| age < ALIVE_WITHIN);
    }
    match (claude.bound_at, clock::now()) {
        (Some(bound), Ok(now)) => {
            now.as_second() - bound.as_second() < ALIVE_WITHIN.as_secs() as i64
        }
        _ => false,
    }
}
