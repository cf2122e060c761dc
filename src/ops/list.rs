//! `list` (the project's sessions, open, archived or all) and `status` (its open sessions), with
//! metrics refreshed to now.

use crate::env::Env;
use crate::error::Result;
use crate::registry::{self, Which, Workspace};
use crate::session::{SessionDoc, Status};
use serde::Serialize;

/// One session as `list` and `status` show it.
#[derive(Debug, Clone, Serialize)]
pub struct SessionSummary {
    pub id: String,
    pub status: Status,
    pub focus: String,
    pub agent: String,
    pub date: String,
    pub start_time: String,
    pub end_time: Option<String>,
    pub duration_minutes: u64,
    pub files_created: u64,
    pub files_modified: u64,
    pub checkpoints: u64,
    pub rulemap_score: Option<f64>,
    pub archived: bool,
    pub workspace: String,
    /// Subagent tasks recorded.
    pub agents: usize,
    /// Prompts recorded.
    pub prompts: u64,
}

impl SessionSummary {
    pub fn new(ws: &Workspace, doc: &SessionDoc) -> SessionSummary {
        SessionSummary {
            id: ws.id.clone(),
            status: doc.session.status,
            focus: doc.session.focus.clone(),
            agent: doc.session.agent.clone(),
            date: doc.session.date.clone(),
            start_time: doc.session.start_time.clone(),
            end_time: doc.session.end_time.clone(),
            duration_minutes: doc.metrics.duration_minutes,
            files_created: doc.metrics.files_created,
            files_modified: doc.metrics.files_modified,
            checkpoints: doc.metrics.checkpoints,
            rulemap_score: doc.rulemap_score,
            archived: ws.archived,
            workspace: ws.dir.to_string_lossy().into_owned(),
            agents: doc.agents.len(),
            prompts: doc.prompts.count,
        }
    }
}

/// Which sessions `list` shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ListScope {
    /// Open (active or paused) sessions.
    #[default]
    Open,
    Archived,
    All,
}

#[derive(Debug, Clone, Default)]
pub struct ListRequest {
    pub scope: ListScope,
}

#[derive(Debug, Clone, Serialize)]
pub struct ListOutcome {
    pub sessions: Vec<SessionSummary>,
}

pub fn list(env: &Env, request: &ListRequest) -> Result<ListOutcome> {
    let project = env.project()?;
    let which = match request.scope {
        ListScope::Open => Which::Active,
        ListScope::Archived => Which::Archived,
        ListScope::All => Which::All,
    };
    let now = env.now()?;
    registry::reconcile_index(&project, env.wait())?;
    let mut sessions = Vec::new();
    for ws in registry::workspaces(&project, which)? {
        let Some(mut doc) = registry::load_or_quarantine(&project, &ws, env.wait())? else {
            continue;
        };
        doc.refresh_metrics(Some(now));
        sessions.push(SessionSummary::new(&ws, &doc));
    }
    Ok(ListOutcome { sessions })
}

#[derive(Debug, Clone, Default)]
pub struct StatusRequest {}

#[derive(Debug, Clone, Serialize)]
pub struct StatusOutcome {
    /// The project's path.
    pub project: String,
    pub project_name: String,
    /// Its open sessions.
    pub sessions: Vec<SessionSummary>,
}

pub fn status(env: &Env, _request: &StatusRequest) -> Result<StatusOutcome> {
    let project = env.project()?;
    let now = env.now()?;
    registry::reconcile_index(&project, env.wait())?;
    let mut sessions = Vec::new();
    for (ws, _) in registry::open_sessions(&project, env.wait())? {
        let Some(mut doc) = registry::load_or_quarantine(&project, &ws, env.wait())? else {
            continue;
        };
        doc.refresh_metrics(Some(now));
        sessions.push(SessionSummary::new(&ws, &doc));
    }
    Ok(StatusOutcome {
        project: project.path.to_string_lossy().into_owned(),
        project_name: project.name.clone(),
        sessions,
    })
}
