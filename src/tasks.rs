//! The session's task list, `tasks.json` in the workspace (seed 004's schema): Claude Code's
//! task tools (`TaskCreate`/`TaskUpdate`, `TodoWrite`) and task events as the hooks recorded them
//! in the journal, reconciled with the task files Claude Code keeps under
//! `<claude dir>/tasks/<conversation id>/` (the folder wins for the final status).
//!
//! CONTRACT (issue 15): the types and the signatures below are shared by the tasks, documents
//! and memory work; bodies marked `skeleton` are filled in by the tasks work.

use crate::error::Result;
use crate::registry::Workspace;
use serde::{Deserialize, Serialize};

pub const TASKS_FILE: &str = "tasks.json";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    Pending,
    InProgress,
    Completed,
    Failed,
    Blocked,
}

impl TaskStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::Pending => "pending",
            TaskStatus::InProgress => "in_progress",
            TaskStatus::Completed => "completed",
            TaskStatus::Failed => "failed",
            TaskStatus::Blocked => "blocked",
        }
    }
    /// Still to do: pending, in progress or blocked.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            TaskStatus::Pending | TaskStatus::InProgress | TaskStatus::Blocked
        )
    }
}

/// One task of `tasks.json`. The seed's keys first, in its order; ours after them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Task {
    pub id: String,
    pub title: String,
    /// Who owns it: the task's owner, else the subagent type that ran it, else `main`.
    pub agent: String,
    pub status: TaskStatus,
    pub estimated_minutes: Option<u64>,
    /// Minutes from the first `in_progress` to `completed` (or to now while in progress).
    pub actual_minutes: Option<u64>,
    /// Artifacts recorded while the task was in progress (project-relative paths).
    pub files: Vec<String>,
    /// Ids of the tasks this one waits for.
    pub blockers: Vec<String>,
    pub output: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `TaskCreate`, `TodoWrite`…: which Claude Code tool the task came from.
    #[serde(default)]
    pub source: String,
    /// The Claude Code conversation it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claude_session: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<jiff::Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<jiff::Timestamp>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskMetrics {
    pub total_tasks: u64,
    pub completed: u64,
    pub failed: u64,
    pub blocked: u64,
    /// Sum of `actualMinutes`.
    pub time_spent: u64,
    /// Sum of `estimatedMinutes`.
    pub time_estimated: u64,
}

/// `tasks.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskList {
    pub version: u32,
    pub session_id: String,
    pub tasks: Vec<Task>,
    pub metrics: TaskMetrics,
}

impl TaskList {
    pub fn empty(session_id: &str) -> TaskList {
        TaskList {
            version: crate::store::STATE_VERSION,
            session_id: session_id.to_string(),
            tasks: Vec::new(),
            metrics: TaskMetrics::default(),
        }
    }
    /// Tasks still to do (pending, in progress, blocked), in list order.
    pub fn open(&self) -> impl Iterator<Item = &Task> {
        self.tasks.iter().filter(|t| t.status.is_open())
    }
    /// Completed / total, `None` with no tasks.
    pub fn completion_rate(&self) -> Option<f64> {
        (self.metrics.total_tasks > 0)
            .then(|| self.metrics.completed as f64 / self.metrics.total_tasks as f64)
    }
    /// Actual / estimated minutes over the tasks that have both, `None` without any.
    pub fn time_efficiency(&self) -> Option<f64> {
        let (actual, estimated) = self
            .tasks
            .iter()
            .filter_map(|t| Some((t.actual_minutes?, t.estimated_minutes?)))
            .fold((0u64, 0u64), |(a, e), (x, y)| (a + x, e + y));
        (estimated > 0).then(|| actual as f64 / estimated as f64)
    }
}

/// The session's task list as of now: the journal's task events folded, reconciled with the
/// task folders of the session's conversations, written to the workspace's `tasks.json`
/// (unchanged content is not rewritten). `pause` and `end` call it. (skeleton)
pub fn reconcile(ws: &Workspace, doc: &crate::session::SessionDoc) -> Result<TaskList> {
    let _ = ws;
    Ok(TaskList::empty(&doc.session.id))
}

/// The workspace's `tasks.json` as last written; `None` when there is none. (skeleton)
pub fn load(ws: &Workspace) -> Option<TaskList> {
    match crate::store::read_json::<TaskList>(&ws.dir.join(TASKS_FILE)) {
        Ok(crate::store::Loaded::Found(list)) => Some(list),
        _ => None,
    }
}
