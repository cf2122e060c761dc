//! Which session an event belongs to: the one its Claude Code session is bound to; else the
//! project's only active session; else the Claude session's inbox (adopted by `start` and
//! `resume`), so nothing is dropped. Reads a binding file and the small `index.json`; no YAML,
//! no git, no child process.
//!
//! A Claude session bound to a paused session keeps recording into it. The "only active
//! session" fallback ignores paused sessions: with none active, events wait in the inbox, so
//! that whichever session the user picks next (`/resume` or `/start`) adopts them.

use super::Env;
use super::wire::Payload;
use crate::error::{Error, Result};
use crate::paths::Project;
use crate::registry::{self, Workspace};
use crate::session::{Event, Status};
use std::path::{Path, PathBuf};

/// Where an event goes.
#[derive(Debug, Clone)]
pub enum Target {
    Session(Workspace),
    Inbox(String),
}

#[derive(Debug, Clone)]
pub struct Routed {
    pub project: Project,
    pub target: Target,
    /// The payload's Claude Code session id, when it is usable as one.
    pub claude_id: Option<String>,
    /// The directory the event happened in (the payload's `cwd`).
    pub cwd: PathBuf,
}

impl Routed {
    pub fn session(&self) -> Option<&Workspace> {
        match &self.target {
            Target::Session(ws) => Some(ws),
            Target::Inbox(_) => None,
        }
    }
}

/// The payload's `cwd`; else `CLAUDE_PROJECT_DIR`; else our working directory (Claude Code
/// starts hooks in the session's cwd).
pub fn cwd_of(payload: &Payload) -> Result<PathBuf> {
    if let Some(cwd) = payload.cwd.as_deref().filter(|c| !c.is_empty()) {
        return Ok(PathBuf::from(cwd));
    }
    if let Some(dir) = std::env::var_os("CLAUDE_PROJECT_DIR").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    std::env::current_dir().map_err(|e| Error::io("read the current directory", ".", e))
}

/// The payload's Claude session id when it can name a file.
pub fn claude_id(payload: &Payload) -> Option<String> {
    payload
        .session_id
        .as_deref()
        .map(str::trim)
        .filter(|id| registry::valid_claude_id(id))
        .map(str::to_string)
}

/// The workspace of an open session `id` (its folder is still in `sessions/active`).
pub fn active_workspace(project: &Project, id: &str) -> Option<Workspace> {
    // The id comes from a file: keep it a plain folder name.
    if id.is_empty() || id.starts_with('.') || id.contains(['/', '\\']) {
        return None;
    }
    let dir = project.sessions_active().join(id);
    dir.is_dir().then(|| Workspace {
        id: id.to_string(),
        dir,
        archived: false,
    })
}

/// The open session a Claude session is bound to; a binding to an ended session counts as none.
pub fn bound_workspace(project: &Project, claude_id: &str) -> Option<Workspace> {
    registry::bound_session(project, claude_id).and_then(|id| active_workspace(project, &id))
}

/// The project's only active session, per the index.
pub fn only_active(env: &Env, project: &Project) -> Result<Option<Workspace>> {
    if !project.dir.is_dir() {
        return Ok(None);
    }
    let open = registry::open_sessions(project, env.hook_wait())?;
    let mut active = open
        .into_iter()
        .filter(|(_, entry)| entry.status == Status::Active);
    Ok(match (active.next(), active.next()) {
        (Some((ws, _)), None) => Some(ws),
        _ => None,
    })
}

/// Finds the project of the payload's `cwd` and the target of its events.
pub fn route(env: &Env, payload: &Payload) -> Result<Routed> {
    let cwd = cwd_of(payload)?;
    let project = Project::discover(&env.layout, &cwd)?;
    let claude_id = claude_id(payload);
    if let Some(ws) = claude_id
        .as_deref()
        .and_then(|id| bound_workspace(&project, id))
    {
        return Ok(Routed {
            project,
            target: Target::Session(ws),
            claude_id,
            cwd,
        });
    }
    // The index may need a rebuild that waits on a busy session lock: rather than lose the
    // event, keep it in the inbox (the Stop hook or the next start/resume adopts it).
    let only = match only_active(env, &project) {
        Ok(found) => found,
        Err(_) if claude_id.is_some() => None,
        Err(e) => return Err(e),
    };
    let target = match (only, &claude_id) {
        (Some(ws), _) => Target::Session(ws),
        (None, Some(id)) => Target::Inbox(id.clone()),
        (None, None) => {
            return Err(Error::invalid(
                "no session to record into, and no usable session_id to keep the event for later",
                project.path.display(),
            ));
        }
    };
    Ok(Routed {
        project,
        target,
        claude_id,
        cwd,
    })
}

/// Appends the event to its session's journal, or to the Claude session's inbox.
/// When the session's folder went away meanwhile (ended, moved), the event goes to the inbox.
pub fn deliver(routed: &Routed, event: &Event) -> Result<()> {
    match (&routed.target, &routed.claude_id) {
        (Target::Session(ws), claude_id) => match registry::record(ws, event) {
            Err(_) if claude_id.is_some() && !ws.dir.is_dir() => {
                registry::to_inbox(&routed.project, claude_id.as_deref().unwrap_or(""), event)
            }
            other => other,
        },
        (Target::Inbox(id), _) => registry::to_inbox(&routed.project, id, event),
    }
}

/// A file path from a tool, relative to the project root when inside it (through a symlink
/// too: `Project::relative` resolves it), else absolute.
pub fn project_path(project: &Project, cwd: &Path, file: &str) -> String {
    project.relative(&cwd.join(file))
}
