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
    /// Accept a file outside the project (recorded by its absolute path).
    pub outside: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct TrackOutcome {
    pub session_id: String,
    /// Relative to the project.
    pub path: String,
    pub action: Action,
    /// The file lies outside the project (`outside` was asked for).
    pub outside_project: bool,
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
    let absolute = env.absolute(&request.file);
    let shown = request.file.display();
    match std::fs::metadata(&absolute) {
        Err(_) => {
            return Err(Error::invalid(
                "no such file; track records files that exist",
                shown,
            ));
        }
        Ok(meta) if meta.is_dir() => {
            return Err(Error::invalid(
                "a folder, not a file; track the files in it one by one",
                shown,
            ));
        }
        Ok(meta) if !meta.is_file() => {
            return Err(Error::invalid("not a regular file", shown));
        }
        Ok(_) => {}
    }
    let relative = project.relative(&absolute);
    let outside_project = std::path::Path::new(&relative).is_absolute();
    if outside_project && !request.outside {
        return Err(Error::invalid(
            format!(
                "outside the project ({}); `--outside` records it anyway",
                project.path.display()
            ),
            shown,
        ));
    }
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
        outside_project,
    })
}
