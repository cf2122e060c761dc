//! `track`: one artifact appended to the session's journal, O(1) and lock-free.

use crate::env::Env;
use crate::error::{Error, Result};
use crate::git;
use crate::registry;
use crate::session::{Action, Event};
use serde::Serialize;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct TrackRequest {
    /// As the user gave it: relative to the environment's directory, or absolute.
    pub file: PathBuf,
    /// `None`: created when git does not track the file, else modified.
    pub action: Option<Action>,
    /// Session id or unique prefix; `None`: the project's open session.
    pub session: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TrackOutcome {
    pub session_id: String,
    /// Relative to the project.
    pub path: String,
    pub action: Action,
}

pub fn track(env: &Env, request: &TrackRequest) -> Result<TrackOutcome> {
    let project = env.project()?;
    let ws = super::pick::open(env, &project, request.session.as_deref())?;
    if ws.archived {
        return Err(Error::invalid(
            "the session has ended; start a new one",
            &ws.id,
        ));
    }
    let relative = project.relative(&env.absolute(&request.file));
    let action = match request.action {
        Some(action) => action,
        None if git::is_tracked(&project.path, &relative) => Action::Modified,
        None => Action::Created,
    };
    registry::record(
        &ws,
        &Event::Artifact {
            at: env.now()?,
            path: relative.clone(),
            action,
        },
    )?;
    Ok(TrackOutcome {
        session_id: ws.id,
        path: relative,
        action,
    })
}
