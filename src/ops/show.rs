//! `show`: one session in full, with live metrics.

use crate::env::Env;
use crate::error::Result;
use crate::registry;
use crate::session::SessionDoc;
use serde::Serialize;

#[derive(Debug, Clone)]
pub struct ShowRequest {
    /// Session id or unique prefix.
    pub id: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ShowOutcome {
    /// The session document (session.yaml's fields), metrics refreshed to now.
    #[serde(flatten)]
    pub doc: SessionDoc,
    pub workspace: String,
    pub archived: bool,
    /// Token use summed over the Claude Code conversations bound to the session.
    pub tokens: crate::session::TokenUsage,
    /// Steps of an interrupted `end` still to do (`claude-session end` finishes them).
    pub end_pending: Vec<String>,
}

pub fn show(env: &Env, request: &ShowRequest) -> Result<ShowOutcome> {
    let project = env.project()?;
    let ws = registry::resolve(&project, &request.id)?;
    let mut doc = registry::load(&ws, env.wait())?;
    doc.refresh_metrics(Some(env.now()?));
    Ok(ShowOutcome {
        workspace: ws.dir.to_string_lossy().into_owned(),
        archived: ws.archived,
        tokens: doc.total_tokens(),
        end_pending: super::end::unfinished(&project, &ws.id)
            .map(|marker| marker.pending())
            .unwrap_or_default(),
        doc,
    })
}
