//! `bind`: a Claude Code conversation records into a session from now on. The binding file,
//! a journal event, and the conversation's inbox (what its hooks recorded before any session
//! was bound) adopted into the session. Used by start, pause, resume and the SessionStart hook.

use crate::env::Env;
use crate::error::Result;
use crate::paths::Project;
use crate::registry::{self, Workspace};
use crate::session::Event;
use serde::Serialize;

#[derive(Debug, Clone)]
pub struct BindRequest {
    /// Claude Code's session id (checked by the caller with `pick::checked_claude_id`).
    pub claude_session: String,
    /// Where the binding came from: `command`, or SessionStart's `source` (startup, resume…).
    pub source: String,
    pub transcript_path: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BindOutcome {
    pub session_id: String,
    pub claude_session: String,
    /// Events taken over from the conversation's inbox.
    pub adopted_events: usize,
}

/// Binds; the caller holds the project lock. The journal event is a lock-free append: callers
/// that need the folded document load (or commit) afterwards.
pub fn bind(
    env: &Env,
    project: &Project,
    ws: &Workspace,
    request: &BindRequest,
) -> Result<BindOutcome> {
    if registry::bound_session(project, &request.claude_session).as_deref() != Some(ws.id.as_str())
    {
        registry::bind(project, &request.claude_session, &ws.id)?;
    }
    registry::record(
        ws,
        &Event::ClaudeBound {
            at: env.now()?,
            claude_session: request.claude_session.clone(),
            source: Some(request.source.clone()),
            transcript_path: request.transcript_path.clone(),
        },
    )?;
    let adopted_events = registry::adopt_inbox(project, &request.claude_session, ws)?;
    Ok(BindOutcome {
        session_id: ws.id.clone(),
        claude_session: request.claude_session.clone(),
        adopted_events,
    })
}

/// A binding made by a command (`--claude-session` or `$CLAUDE_CODE_SESSION_ID`).
pub fn by_command(claude_session: &str) -> BindRequest {
    BindRequest {
        claude_session: claude_session.to_string(),
        source: "command".to_string(),
        transcript_path: None,
    }
}
