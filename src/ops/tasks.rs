//! `tasks`: the session's task list as of now (Claude Code's task tools, folded from the
//! journal and reconciled with its task folders). Reads only: `pause` and `end` write
//! `tasks.json`.

use super::pick;
use crate::env::Env;
use crate::error::Result;
use crate::registry;
use crate::tasks::{self, TaskList};
use serde::Serialize;

#[derive(Debug, Clone, Default)]
pub struct TasksRequest {
    /// Session id or unique prefix; `None`: the conversation's or the only open session.
    pub session: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TasksOutcome {
    /// `tasks.json`'s fields: `sessionId`, `tasks`, `metrics`.
    #[serde(flatten)]
    pub list: TaskList,
    pub workspace: String,
    pub archived: bool,
    /// Where `pause` and `end` write the list.
    pub tasks_file: String,
    /// Task files that could not be read (skipped).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

pub fn tasks(env: &Env, request: &TasksRequest) -> Result<TasksOutcome> {
    let project = env.project()?;
    let ws = pick::open_for(env, &project, request.session.as_deref(), None)?;
    let doc = registry::load(&ws, env.wait())?;
    // An ended session's list is the one `end` wrote; an open one's is computed live.
    let (list, warnings) = match tasks::load(&ws).filter(|_| ws.archived) {
        Some(list) => (list, Vec::new()),
        None => {
            let current = tasks::current(&ws, &doc, env.now()?);
            (current.list, current.warnings)
        }
    };
    Ok(TasksOutcome {
        list,
        tasks_file: ws
            .dir
            .join(tasks::TASKS_FILE)
            .to_string_lossy()
            .into_owned(),
        workspace: ws.dir.to_string_lossy().into_owned(),
        archived: ws.archived,
        warnings,
    })
}
