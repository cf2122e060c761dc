//! The session's task list, `tasks.json` in the workspace (seed 004's schema): Claude Code's
//! task tools (`TaskCreate`/`TaskUpdate`, `TodoWrite`) and task events as the hooks recorded them
//! in the journal, reconciled with the task files Claude Code keeps under
//! `<claude dir>/tasks/<conversation id>/` (the folder wins for the final status).
//!
//! - Ids are Claude Code's (`1`, `2`…). They restart in every conversation: when a session
//!   holds task lists of several conversations, the ids of all but the first read
//!   `<id>@<first 8 characters of the conversation id>`. `TodoWrite` todos get `todo-N`, N by
//!   the first appearance of their text; a `TodoWrite` replaces the list of its writer (the main
//!   conversation or one subagent): an open todo that is no longer in it is dropped, a
//!   completed one stays. `TaskUpdate` with status `deleted` removes a task.
//! - Status: `pending`, `in_progress`, `completed` as the tools say; `blocked` is a pending task
//!   with a blocker (`blockedBy`) not completed; `failed` when the task's metadata says so
//!   (`metadata.failed: true` or `metadata.status: "failed"`): Claude Code has no failed status.
//! - Minutes: from the first `in_progress` to `completed` (to now while in progress), whole
//!   minutes rounded up, at least 1 once started. Files: `metadata.files` plus the artifacts
//!   recorded while the task was in progress.
//! - The task folder wins for status, subject, owner, blockers and metadata; a task only in the
//!   folder is added. An unreadable task file is skipped with a warning.

use crate::error::Result;
use crate::registry::Workspace;
use crate::session::{Event, SessionDoc, TaskCaller, TaskMeta, TodoItem};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

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

impl Task {
    /// One line for next steps, context files and handoffs: `#2 Fix bug (blocked by #1)`.
    pub fn step_line(&self) -> String {
        let state = match self.status {
            TaskStatus::Blocked if !self.blockers.is_empty() => {
                let ids: Vec<String> = self.blockers.iter().map(|b| format!("#{b}")).collect();
                format!("blocked by {}", ids.join(", "))
            }
            TaskStatus::InProgress => "in progress".to_string(),
            other => other.as_str().to_string(),
        };
        let agent = if self.agent == MAIN_AGENT {
            String::new()
        } else {
            format!(", {}", self.agent)
        };
        format!("#{} {} ({state}{agent})", self.id, self.title)
    }
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

/// The agent of a task nobody owns and no subagent made.
pub const MAIN_AGENT: &str = "main";

/// The task list as of `now`, and what could not be read (for a warning; never fatal).
#[derive(Debug, Clone)]
pub struct Current {
    pub list: TaskList,
    pub warnings: Vec<String>,
}

/// The session's task list as of `now`: the journal's task events folded, reconciled with the
/// task folders of the session's conversations, written to the workspace's `tasks.json`
/// (unchanged content is not rewritten). `pause` and `end` call it; the warnings are theirs to
/// report (this layer never prints).
pub fn reconcile(ws: &Workspace, doc: &SessionDoc, now: Timestamp) -> Result<Current> {
    let current = current(ws, doc, now);
    if ws.dir.is_dir() && load(ws).as_ref() != Some(&current.list) {
        crate::store::write_json(&ws.dir.join(TASKS_FILE), &current.list)?;
    }
    Ok(current)
}

/// The workspace's `tasks.json` as last written; `None` when there is none.
pub fn load(ws: &Workspace) -> Option<TaskList> {
    match crate::store::read_json::<TaskList>(&ws.dir.join(TASKS_FILE)) {
        Ok(crate::store::Loaded::Found(list)) => Some(list),
        _ => None,
    }
}

/// The task list as of `now`, computed and not written: the journal folded, then each of the
/// session's conversations' task folders (`<claude dir>/tasks/<conversation id>/`).
pub fn current(ws: &Workspace, doc: &SessionDoc, now: Timestamp) -> Current {
    let mut warnings = Vec::new();
    let events = match std::fs::read(ws.journal()) {
        Ok(bytes) => crate::session::parse_journal(&bytes).0,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => {
            warnings.push(format!(
                "cannot read the journal: {e} ({})",
                ws.journal().display()
            ));
            Vec::new()
        }
    };
    let mut fold = Fold::default();
    for event in &events {
        fold.apply(event);
    }
    match crate::paths::claude_config_dir() {
        Ok(claude_dir) => {
            for conversation in &doc.claude_sessions {
                if !crate::registry::valid_claude_id(&conversation.id) {
                    continue;
                }
                let dir = task_folder(&claude_dir, &conversation.id);
                for (id, file) in read_folder(&dir, &mut warnings) {
                    fold.apply_file(&conversation.id, &id, &file, &doc.project.path);
                }
            }
        }
        Err(e) => warnings.push(format!("task folders not read: {e}")),
    }
    Current {
        list: fold.finish(&doc.session.id, &events, now),
        warnings,
    }
}

/// Where Claude Code keeps a conversation's tasks: `<claude dir>/tasks/<conversation id>/`.
pub fn task_folder(claude_dir: &Path, conversation: &str) -> PathBuf {
    claude_dir.join("tasks").join(conversation)
}

/// The `*.json` task files of a folder, by file name order; unreadable ones are skipped and said.
fn read_folder(dir: &Path, warnings: &mut Vec<String>) -> Vec<(String, Value)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut paths: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort_by_key(|p| {
        let stem = p
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        (stem.parse::<u64>().unwrap_or(u64::MAX), stem)
    });
    let mut found = Vec::new();
    for path in paths {
        let parsed = std::fs::read(&path)
            .map_err(|e| e.to_string())
            .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).map_err(|e| e.to_string()));
        let value = match parsed {
            Ok(value @ Value::Object(_)) => value,
            Ok(_) => {
                warnings.push(format!(
                    "skipped a task file that is not an object ({})",
                    path.display()
                ));
                continue;
            }
            Err(e) => {
                warnings.push(format!(
                    "skipped an unreadable task file: {e} ({})",
                    path.display()
                ));
                continue;
            }
        };
        let id = id_of(value.get("id"))
            .or_else(|| path.file_stem().map(|s| s.to_string_lossy().into_owned()));
        let Some(id) = id else { continue };
        // The file's time stands in for when its status last changed.
        let changed = std::fs::metadata(&path)
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| Timestamp::try_from(t).ok());
        let mut value = value;
        if let (Some(changed), Value::Object(map)) = (changed, &mut value) {
            map.insert(FILE_TIME.to_string(), Value::String(changed.to_string()));
        }
        found.push((id, value));
    }
    found
}

/// Where `read_folder` puts a task file's modification time.
const FILE_TIME: &str = "\u{0}mtime";

/// An id: a string or a whole number.
pub fn id_of(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) if n.is_u64() => Some(n.to_string()),
        _ => None,
    }
}

/// A count of minutes: a non-negative number (rounded) or a numeric string.
pub fn minutes_of(v: Option<&Value>) -> Option<u64> {
    let number = match v? {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => s.trim().parse::<f64>().ok()?,
        _ => return None,
    };
    (number >= 0.0 && number.is_finite()).then(|| number.round() as u64)
}

/// Most bytes kept of `metadata.output`.
pub const OUTPUT_BYTES: usize = 2048;

/// The `metadata` keys we use, from a task's metadata object; `relative` turns a file path into
/// a project-relative one.
pub fn meta_of(meta: &Value, relative: &dyn Fn(&str) -> String) -> TaskMeta {
    if !meta.is_object() {
        return TaskMeta::default();
    }
    const MAX_FILES: usize = 200;
    let path_ok = |f: &&str| !f.is_empty() && f.len() <= 4096;
    let files = match meta.get("files") {
        Some(Value::Array(list)) => Some(
            list.iter()
                .take(MAX_FILES)
                .filter_map(Value::as_str)
                .filter(path_ok)
                .map(relative)
                .collect(),
        ),
        Some(Value::String(one)) if path_ok(&one.as_str()) => Some(vec![relative(one)]),
        Some(Value::Null) => Some(Vec::new()),
        _ => None,
    };
    let output = match meta.get("output") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => Some(other.to_string()),
    }
    .map(|o| {
        if o.len() > OUTPUT_BYTES {
            format!("{}…", crate::templates::cut_bytes(&o, OUTPUT_BYTES - 3))
        } else {
            o
        }
    });
    let failed = match (
        meta.get("failed"),
        meta.get("status").and_then(Value::as_str),
    ) {
        (Some(Value::Bool(b)), _) => Some(*b),
        (_, Some(status)) => Some(status.eq_ignore_ascii_case("failed")),
        _ => None,
    };
    TaskMeta {
        estimated_minutes: minutes_of(meta.get("estimatedMinutes"))
            .or_else(|| minutes_of(meta.get("estimated_minutes"))),
        files,
        output,
        failed,
    }
}

// --- the fold ---

/// A task's key: its conversation and Claude Code's id; todos have no conversation.
type Key = (String, String);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Raw {
    Pending,
    InProgress,
    Completed,
}

#[derive(Debug, Clone)]
struct Draft {
    title: String,
    description: Option<String>,
    raw: Raw,
    failed: bool,
    owner: Option<String>,
    agent_type: Option<String>,
    estimated: Option<u64>,
    meta_files: Vec<String>,
    output: Option<String>,
    blocked_by: Vec<String>,
    started_at: Option<Timestamp>,
    completed_at: Option<Timestamp>,
    /// The periods in progress (an open one has no end).
    spans: Vec<(Timestamp, Option<Timestamp>)>,
    source: String,
    claude_session: Option<String>,
    /// A todo's list: the subagent that wrote it, or "" for the main conversation.
    todo_scope: Option<String>,
}

impl Draft {
    fn new(source: &str, claude_session: Option<String>) -> Draft {
        Draft {
            title: String::new(),
            description: None,
            raw: Raw::Pending,
            failed: false,
            owner: None,
            agent_type: None,
            estimated: None,
            meta_files: Vec::new(),
            output: None,
            blocked_by: Vec::new(),
            started_at: None,
            completed_at: None,
            spans: Vec::new(),
            source: source.to_string(),
            claude_session,
            todo_scope: None,
        }
    }

    fn close_span(&mut self, at: Timestamp) {
        if let Some(last) = self.spans.last_mut()
            && last.1.is_none()
        {
            last.1 = Some(at.max(last.0));
        }
    }

    /// A status from the tools; unknown words change nothing.
    fn set_status(&mut self, status: &str, at: Timestamp) {
        let raw = match status {
            "pending" => Raw::Pending,
            "in_progress" => Raw::InProgress,
            "completed" => Raw::Completed,
            _ => return,
        };
        if raw == self.raw {
            return;
        }
        match raw {
            Raw::InProgress => {
                self.spans.push((at, None));
                self.started_at.get_or_insert(at);
                self.completed_at = None;
            }
            Raw::Completed => {
                self.close_span(at);
                self.completed_at = Some(at);
            }
            Raw::Pending => {
                self.close_span(at);
                self.completed_at = None;
            }
        }
        self.raw = raw;
    }

    fn apply_meta(&mut self, meta: &TaskMeta, at: Timestamp) {
        if let Some(minutes) = meta.estimated_minutes {
            self.estimated = Some(minutes);
        }
        if let Some(files) = &meta.files {
            self.meta_files = files.clone();
        }
        if let Some(output) = &meta.output {
            self.output = Some(output.clone());
        }
        match meta.failed {
            Some(true) if !self.failed => {
                self.failed = true;
                self.close_span(at);
                self.completed_at.get_or_insert(at);
            }
            Some(false) => self.failed = false,
            _ => {}
        }
    }

    fn note_caller(&mut self, caller: &TaskCaller) {
        if self.agent_type.is_none() {
            self.agent_type = caller.agent_type.clone();
        }
        if self.claude_session.is_none() {
            self.claude_session = caller.claude_session.clone();
        }
    }
}

#[derive(Debug, Default)]
struct Fold {
    order: Vec<Key>,
    tasks: HashMap<Key, Draft>,
    todo_numbers: HashMap<String, usize>,
}

fn conversation(caller: &TaskCaller) -> String {
    caller.claude_session.clone().unwrap_or_default()
}

impl Fold {
    fn entry(&mut self, key: Key, source: &str, claude_session: Option<String>) -> &mut Draft {
        if !self.tasks.contains_key(&key) {
            if !self.order.contains(&key) {
                self.order.push(key.clone());
            }
            self.tasks
                .insert(key.clone(), Draft::new(source, claude_session));
        }
        self.tasks.get_mut(&key).expect("inserted above")
    }

    fn apply(&mut self, event: &Event) {
        match event {
            Event::TodoCreated {
                at,
                task_id: Some(task_id),
                subject,
                description,
                owner,
                blocked_by,
                metadata,
                caller,
            } => {
                let key = (conversation(caller), task_id.clone());
                let task = self.entry(key, "TaskCreate", caller.claude_session.clone());
                if !subject.is_empty() {
                    task.title = subject.clone();
                }
                if description.is_some() {
                    task.description = description.clone();
                }
                if owner.is_some() {
                    task.owner = owner.clone();
                }
                for id in blocked_by {
                    if !task.blocked_by.contains(id) {
                        task.blocked_by.push(id.clone());
                    }
                }
                task.apply_meta(metadata, *at);
                task.note_caller(caller);
            }
            Event::TodoUpdated {
                at,
                task_id,
                subject,
                description,
                status,
                owner,
                add_blocked_by,
                metadata,
                caller,
                ..
            } => {
                let key = (conversation(caller), task_id.clone());
                if status.as_deref() == Some("deleted") {
                    self.tasks.remove(&key);
                    return;
                }
                let task = self.entry(key, "TaskCreate", caller.claude_session.clone());
                if let Some(subject) = subject.as_ref().filter(|s| !s.is_empty()) {
                    task.title = subject.clone();
                }
                if description.is_some() {
                    task.description = description.clone();
                }
                if owner.is_some() {
                    task.owner = owner.clone().filter(|o| !o.is_empty());
                }
                for id in add_blocked_by {
                    if !task.blocked_by.contains(id) {
                        task.blocked_by.push(id.clone());
                    }
                }
                if let Some(status) = status {
                    task.set_status(status, *at);
                }
                task.apply_meta(metadata, *at);
                task.note_caller(caller);
            }
            Event::TaskLifecycle {
                at,
                kind,
                task_id,
                subject,
                description,
                caller,
            } => {
                let key = (conversation(caller), task_id.clone());
                let task = self.entry(key, "TaskCreate", caller.claude_session.clone());
                if task.title.is_empty()
                    && let Some(subject) = subject
                {
                    task.title = subject.clone();
                }
                if task.description.is_none() {
                    task.description = description.clone();
                }
                if kind == "completed" {
                    task.set_status("completed", *at);
                }
                task.note_caller(caller);
            }
            Event::TodosWritten {
                at, todos, caller, ..
            } => self.write_todos(*at, todos, caller),
            _ => {}
        }
    }

    fn write_todos(&mut self, at: Timestamp, todos: &[TodoItem], caller: &TaskCaller) {
        let scope = caller.agent_id.clone().unwrap_or_default();
        let mut keys = Vec::new();
        for todo in todos {
            let next = self.todo_numbers.len() + 1;
            let n = *self
                .todo_numbers
                .entry(todo.content.clone())
                .or_insert(next);
            keys.push((String::new(), format!("todo-{n}")));
        }
        // The list is replaced: open todos of this writer that it no longer holds are dropped.
        self.tasks.retain(|key, task| {
            task.todo_scope.as_deref() != Some(scope.as_str())
                || keys.contains(key)
                || task.raw == Raw::Completed
                || task.failed
        });
        for (todo, key) in todos.iter().zip(keys) {
            let task = self.entry(key, "TodoWrite", caller.claude_session.clone());
            task.todo_scope = Some(scope.clone());
            task.title = todo.content.clone();
            task.set_status(&todo.status, at);
            task.note_caller(caller);
        }
    }

    /// A task file of conversation `conv`: the folder wins for status, subject, owner,
    /// blockers and metadata.
    fn apply_file(&mut self, conv: &str, id: &str, file: &Value, project_root: &str) {
        let key = (conv.to_string(), id.to_string());
        let changed = file
            .get(FILE_TIME)
            .and_then(Value::as_str)
            .and_then(|t| t.parse::<Timestamp>().ok());
        let task = self.entry(key, "TaskCreate", Some(conv.to_string()));
        let text = |k: &str| file.get(k).and_then(Value::as_str).map(str::to_string);
        if let Some(subject) = text("subject").filter(|s| !s.is_empty()) {
            task.title = subject;
        }
        if let Some(description) = text("description") {
            task.description = Some(description);
        }
        task.owner = text("owner").filter(|o| !o.is_empty());
        if let Some(list) = file.get("blockedBy").and_then(Value::as_array) {
            task.blocked_by = list.iter().filter_map(|v| id_of(Some(v))).collect();
        }
        let at = changed.or(task.completed_at).or(task.started_at);
        if let (Some(status), Some(at)) = (text("status"), at) {
            task.set_status(&status, at);
        } else if let Some(status) = text("status") {
            // No time at all: the status alone.
            task.raw = match status.as_str() {
                "in_progress" => Raw::InProgress,
                "completed" => Raw::Completed,
                "pending" => Raw::Pending,
                _ => task.raw,
            };
        }
        if let Some(meta) = file.get("metadata") {
            let root = Path::new(project_root);
            let relative = |f: &str| match Path::new(f).strip_prefix(root) {
                Ok(rel) if f.starts_with('/') => rel.to_string_lossy().into_owned(),
                _ => f.to_string(),
            };
            let meta = meta_of(meta, &relative);
            if let Some(at) = at {
                task.apply_meta(&meta, at);
            } else {
                task.estimated = meta.estimated_minutes.or(task.estimated);
                task.failed = meta.failed.unwrap_or(task.failed);
            }
        }
    }

    fn finish(self, session_id: &str, events: &[Event], now: Timestamp) -> TaskList {
        let artifacts: Vec<(Timestamp, &str)> = events
            .iter()
            .filter_map(|e| match e {
                Event::Artifact { at, path, .. } => Some((*at, path.as_str())),
                _ => None,
            })
            .collect();
        // The first conversation's ids stay as Claude Code gave them; later ones are qualified.
        let mut conversations: Vec<&str> = Vec::new();
        for key in &self.order {
            if !key.0.is_empty()
                && self.tasks.contains_key(key)
                && !conversations.contains(&key.0.as_str())
            {
                conversations.push(&key.0);
            }
        }
        let display = |conv: &str, id: &str| -> String {
            if conv.is_empty() || conversations.first() == Some(&conv) {
                id.to_string()
            } else {
                format!("{id}@{}", crate::templates::cut_bytes(conv, 8))
            }
        };
        let mut tasks = Vec::new();
        for key in &self.order {
            let Some(draft) = self.tasks.get(key) else {
                continue;
            };
            let blocking = draft.blocked_by.iter().any(|b| {
                self.tasks
                    .get(&(key.0.clone(), b.clone()))
                    .is_some_and(|t| t.raw != Raw::Completed || t.failed)
            });
            let status = match draft.raw {
                _ if draft.failed => TaskStatus::Failed,
                Raw::Completed => TaskStatus::Completed,
                Raw::InProgress => TaskStatus::InProgress,
                Raw::Pending if blocking => TaskStatus::Blocked,
                Raw::Pending => TaskStatus::Pending,
            };
            let end = match status {
                TaskStatus::InProgress => Some(now),
                TaskStatus::Completed | TaskStatus::Failed => draft.completed_at,
                _ => draft.spans.last().and_then(|s| s.1),
            };
            let actual_minutes = match (draft.started_at, end) {
                (Some(start), Some(end)) => {
                    let seconds = end.duration_since(start).as_secs().max(0) as u64;
                    Some(seconds.div_ceil(60).max(1))
                }
                _ => None,
            };
            let mut files: BTreeSet<String> = draft.meta_files.iter().cloned().collect();
            for (at, path) in &artifacts {
                let inside = draft
                    .spans
                    .iter()
                    .any(|(from, to)| at >= from && *at <= to.unwrap_or(now));
                if inside {
                    files.insert(path.to_string());
                }
            }
            let agent = draft
                .owner
                .clone()
                .or_else(|| draft.agent_type.clone())
                .unwrap_or_else(|| MAIN_AGENT.to_string());
            tasks.push(Task {
                id: display(&key.0, &key.1),
                title: draft.title.clone(),
                agent,
                status,
                estimated_minutes: draft.estimated,
                actual_minutes,
                files: files.into_iter().collect(),
                blockers: draft
                    .blocked_by
                    .iter()
                    .map(|b| display(&key.0, b))
                    .collect(),
                output: draft.output.clone(),
                description: draft.description.clone().filter(|d| !d.is_empty()),
                source: draft.source.clone(),
                claude_session: draft.claude_session.clone(),
                started_at: draft.started_at,
                completed_at: match status {
                    TaskStatus::Completed | TaskStatus::Failed => draft.completed_at,
                    _ => None,
                },
            });
        }
        let mut list = TaskList::empty(session_id);
        list.metrics = metrics(&tasks);
        list.tasks = tasks;
        list
    }
}

/// The list's counts and sums.
pub fn metrics(tasks: &[Task]) -> TaskMetrics {
    let count = |status| tasks.iter().filter(|t| t.status == status).count() as u64;
    TaskMetrics {
        total_tasks: tasks.len() as u64,
        completed: count(TaskStatus::Completed),
        failed: count(TaskStatus::Failed),
        blocked: count(TaskStatus::Blocked),
        time_spent: tasks.iter().filter_map(|t| t.actual_minutes).sum(),
        time_estimated: tasks.iter().filter_map(|t| t.estimated_minutes).sum(),
    }
}

/// Folds journal events alone (no task folder) as of `now`.
#[cfg(test)]
pub fn fold(session_id: &str, events: &[Event], now: Timestamp) -> TaskList {
    let mut fold = Fold::default();
    for event in events {
        fold.apply(event);
    }
    fold.finish(session_id, events, now)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minute: i64) -> Timestamp {
        Timestamp::from_second(1_760_000_000 + minute * 60).unwrap()
    }

    fn caller(conversation: &str, agent: Option<&str>) -> TaskCaller {
        TaskCaller {
            claude_session: Some(conversation.to_string()),
            agent_type: agent.map(str::to_string),
            agent_id: agent.map(|a| format!("{a}-id")),
        }
    }

    fn created(minute: i64, conversation: &str, id: &str, subject: &str) -> Event {
        Event::TodoCreated {
            at: at(minute),
            task_id: Some(id.to_string()),
            subject: subject.to_string(),
            description: None,
            owner: None,
            blocked_by: Vec::new(),
            metadata: TaskMeta::default(),
            caller: caller(conversation, None),
        }
    }

    fn status(minute: i64, conversation: &str, id: &str, status: &str) -> Event {
        Event::TodoUpdated {
            at: at(minute),
            task_id: id.to_string(),
            subject: None,
            description: None,
            status: Some(status.to_string()),
            status_from: None,
            owner: None,
            add_blocked_by: Vec::new(),
            metadata: TaskMeta::default(),
            caller: caller(conversation, None),
        }
    }

    fn todos(minute: i64, agent: Option<&str>, items: &[(&str, &str)]) -> Event {
        Event::TodosWritten {
            at: at(minute),
            todos: items
                .iter()
                .map(|(content, status)| TodoItem {
                    content: content.to_string(),
                    status: status.to_string(),
                })
                .collect(),
            total: items.len(),
            caller: caller("c1", agent),
        }
    }

    fn summary(list: &TaskList) -> Vec<(String, &'static str, Option<u64>)> {
        list.tasks
            .iter()
            .map(|t| (t.id.clone(), t.status.as_str(), t.actual_minutes))
            .collect()
    }

    #[test]
    fn ids_of_a_second_conversation_are_qualified_and_blockers_stay_within_one() {
        let events = [
            created(0, "aaaaaaaa-1111", "1", "first"),
            created(1, "bbbbbbbb-2222", "1", "other first"),
            Event::TodoUpdated {
                at: at(2),
                task_id: "2".into(),
                subject: Some("second".into()),
                description: None,
                status: None,
                status_from: None,
                owner: None,
                add_blocked_by: vec!["1".into()],
                metadata: TaskMeta::default(),
                caller: caller("bbbbbbbb-2222", None),
            },
        ];
        let list = fold("s", &events, at(10));
        let ids: Vec<(&str, Vec<String>, TaskStatus)> = list
            .tasks
            .iter()
            .map(|t| (t.id.as_str(), t.blockers.clone(), t.status))
            .collect();
        assert_eq!(
            ids,
            [
                ("1", vec![], TaskStatus::Pending),
                ("1@bbbbbbbb", vec![], TaskStatus::Pending),
                (
                    "2@bbbbbbbb",
                    vec!["1@bbbbbbbb".to_string()],
                    TaskStatus::Blocked
                ),
            ]
        );
    }

    #[test]
    fn minutes_run_from_the_first_start_and_reopening_clears_completion() {
        let events = [
            created(0, "c1", "1", "a"),
            status(1, "c1", "1", "in_progress"),
            status(3, "c1", "1", "pending"),
            status(5, "c1", "1", "in_progress"),
            status(9, "c1", "1", "completed"),
            status(10, "c1", "1", "in_progress"),
            created(0, "c1", "2", "b"),
            status(2, "c1", "2", "deleted"),
            // A completion with no start: no minutes.
            created(0, "c1", "3", "c"),
            status(4, "c1", "3", "completed"),
        ];
        let list = fold("s", &events, at(12));
        assert_eq!(
            summary(&list),
            [
                ("1".to_string(), "in_progress", Some(11)),
                ("3".to_string(), "completed", None),
            ]
        );
        assert!(list.tasks[0].completed_at.is_none());
    }

    #[test]
    fn a_todo_list_replaces_only_its_writers_list() {
        let events = [
            todos(0, None, &[("plan", "completed"), ("build", "in_progress")]),
            todos(1, Some("Explore"), &[("look", "in_progress")]),
            // The main list again, without "build": dropped; "plan" (completed) stays.
            todos(2, None, &[("ship", "pending")]),
        ];
        let list = fold("s", &events, at(3));
        let rows: Vec<(&str, &str, &str)> = list
            .tasks
            .iter()
            .map(|t| (t.id.as_str(), t.title.as_str(), t.agent.as_str()))
            .collect();
        assert_eq!(
            rows,
            [
                ("todo-1", "plan", "main"),
                ("todo-3", "look", "Explore"),
                ("todo-4", "ship", "main"),
            ]
        );
    }

    #[test]
    fn metadata_reads_both_spellings_and_failure() {
        let meta = meta_of(
            &serde_json::json!({"estimated_minutes": 2.6, "status": "failed", "output": {"ok": 1}}),
            &|f| f.to_string(),
        );
        assert_eq!(meta.estimated_minutes, Some(3));
        assert_eq!(meta.failed, Some(true));
        assert_eq!(meta.output.as_deref(), Some("{\"ok\":1}"));
        let meta = meta_of(
            &serde_json::json!({"estimatedMinutes": -1, "failed": false, "files": [1, "a"]}),
            &|f| format!("rel/{f}"),
        );
        assert_eq!(meta.estimated_minutes, None);
        assert_eq!(meta.failed, Some(false));
        assert_eq!(meta.files, Some(vec!["rel/a".to_string()]));
        assert!(meta_of(&serde_json::json!([1]), &|f| f.to_string()).is_empty());
    }

    #[test]
    fn an_event_line_round_trips_with_its_caller_flattened() {
        let event = status(1, "c1", "7", "completed");
        let line = event.to_line();
        assert!(line.contains("\"event\":\"todo_updated\""), "{line}");
        assert!(line.contains("\"claude_session\":\"c1\""), "{line}");
        let back: Event = serde_json::from_str(&line).unwrap();
        assert!(
            matches!(back, Event::TodoUpdated { ref caller, .. } if caller.claude_session.as_deref() == Some("c1"))
        );
        let lifecycle = Event::TaskLifecycle {
            at: at(0),
            kind: "created".into(),
            task_id: "1".into(),
            subject: None,
            description: None,
            caller: TaskCaller::default(),
        };
        assert!(lifecycle.to_line().contains("\"event\":\"task_event\""));
    }
}
