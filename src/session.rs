//! A session's document (`session.yaml`, the seed's schema plus added fields) and its journal
//! (`events.jsonl`). Writers only append events; readers fold new events into the document.

use crate::clock;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

pub const SESSION_FILE: &str = "session.yaml";
pub const JOURNAL_FILE: &str = "events.jsonl";
/// Last user prompts kept in the document, for context files and compaction snapshots.
pub const PROMPTS_KEPT: usize = 5;
/// Longest prompt text kept, in characters.
pub const PROMPT_CHARS: usize = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Active,
    Paused,
    Completed,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Paused => "paused",
            Status::Completed => "completed",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Created,
    Modified,
}

/// `session.yaml`. The first five keys are the seed's schema and are never renamed.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionDoc {
    pub session: Header,
    #[serde(default)]
    pub artifacts: Artifacts,
    #[serde(default)]
    pub checkpoints: Vec<CheckpointEntry>,
    #[serde(default)]
    pub metrics: Metrics,
    #[serde(default)]
    pub rulemap_score: Option<f64>,
    #[serde(default)]
    pub project: ProjectRef,
    #[serde(default)]
    pub git: GitInfo,
    #[serde(default)]
    pub claude_sessions: Vec<ClaudeSession>,
    #[serde(default)]
    pub agents: Vec<AgentTask>,
    #[serde(default)]
    pub prompts: Prompts,
    #[serde(default)]
    pub journal: JournalMark,
    /// Commands run with `tracker run` (tests, audits, lints), in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub maintenance_runs: Vec<MaintenanceRun>,
    /// Keys we do not know (added by a user or a newer version) survive a rewrite.
    #[serde(flatten)]
    pub extra: serde_yaml_ng::Mapping,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Header {
    pub id: String,
    pub date: String,
    pub start_time: String,
    pub end_time: Option<String>,
    pub focus: String,
    pub agent: String,
    pub status: Status,
    /// Exact instants behind `start_time`/`end_time`, for durations across days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<Timestamp>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Artifacts {
    #[serde(default)]
    pub created: Vec<String>,
    #[serde(default)]
    pub modified: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct CheckpointEntry {
    pub id: String,
    pub time: String,
    pub description: String,
    pub files_snapshot: Vec<String>,
    /// Fields later versions add (file counts, bytes, deleted files) are kept as they are.
    #[serde(flatten)]
    pub extra: serde_yaml_ng::Mapping,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Metrics {
    /// Active minutes: from start to end (or now), paused periods excluded.
    #[serde(default)]
    pub duration_minutes: u64,
    /// Minutes from start to end (or now), paused periods included.
    #[serde(default)]
    pub wall_minutes: u64,
    /// Seconds spent paused in pauses that are over.
    #[serde(default)]
    pub paused_seconds: u64,
    /// When the current pause began (`None` when not paused).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paused_since: Option<Timestamp>,
    #[serde(default)]
    pub files_created: u64,
    #[serde(default)]
    pub files_modified: u64,
    #[serde(default)]
    pub checkpoints: u64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ProjectRef {
    #[serde(default)]
    pub path: String,
    #[serde(default)]
    pub name: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct GitInfo {
    #[serde(default)]
    pub starting_branch: Option<String>,
    #[serde(default)]
    pub starting_commit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ending_branch: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ending_commit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commits_count: Option<u64>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uncommitted_files: Vec<String>,
}

/// Token use of API responses, each `message.id`+`requestId` counted once.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct TokenUsage {
    pub responses: u64,
    pub input_tokens: u64,
    pub output_tokens: u64,
    pub cache_creation_input_tokens: u64,
    pub cache_read_input_tokens: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ClaudeSession {
    pub id: String,
    #[serde(default)]
    pub bound_at: Option<Timestamp>,
    /// The latest (re)binding: an end reported for an earlier time does not end it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_bound_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transcript_path: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_reason: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tokens: Option<TokenUsage>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct AgentTask {
    pub tool_use_id: String,
    #[serde(default)]
    pub subagent_type: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub started_at: Option<Timestamp>,
    pub status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_tokens: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<String>,
    /// Whether the agent ran in the background (Claude Code 2.1.198+ by default).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub background: bool,
    /// The start of the agent's last message (SubagentStop), cut to [`RESULT_CHARS`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<String>,
}

/// How much of a subagent's last message is kept as its result.
pub const RESULT_CHARS: usize = 300;

/// Tasks keyed by this prefix hold a SubagentStop that came before its task had an agent id
/// (synchronous agents: SubagentStop fires before PostToolUse); PostToolUse merges them.
const STOPPED_PREFIX: &str = "agent:";

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Prompts {
    #[serde(default)]
    pub count: u64,
    #[serde(default)]
    pub last_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recent: Vec<String>,
}

/// How much of the journal the document already holds.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct JournalMark {
    #[serde(default)]
    pub folded_bytes: u64,
    #[serde(default)]
    pub events: u64,
    #[serde(default)]
    pub last_event_at: Option<Timestamp>,
    /// When the newest checkpoint was taken (the prompt hook's reminder reads it via the index).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_checkpoint_at: Option<Timestamp>,
    /// A hash of the folded journal's last bytes: a journal replaced by another one (of any
    /// length) no longer matches, and is folded again from the start.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub folded_tail: Option<String>,
}

/// A command run with `tracker run`: what the Cloud Tracker's `maintenance_runs` receive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MaintenanceRun {
    pub name: String,
    pub command: String,
    pub started_at: Timestamp,
    pub duration_ms: u64,
    /// `exit status: 0`, `timed out`, …
    pub status: String,
    pub success: bool,
    /// The last lines of its output, secrets redacted.
    pub result: String,
}

/// One line of `events.jsonl`. Unknown kinds (from newer versions) are skipped, not fatal.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    Started {
        at: Timestamp,
        id: String,
        focus: String,
        agent: String,
        project_path: String,
        project_name: String,
        #[serde(default)]
        branch: Option<String>,
        #[serde(default)]
        commit: Option<String>,
        /// Key/value metadata given at the start (the MCP tool's `metadata`), kept in
        /// `session.yaml` under `metadata`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        metadata: Option<serde_json::Map<String, serde_json::Value>>,
    },
    Artifact {
        at: Timestamp,
        path: String,
        action: Action,
    },
    TaskStarted {
        at: Timestamp,
        tool_use_id: String,
        #[serde(default)]
        subagent_type: String,
        #[serde(default)]
        description: String,
    },
    TaskFinished {
        at: Timestamp,
        tool_use_id: String,
        status: String,
        #[serde(default)]
        duration_ms: Option<u64>,
        #[serde(default)]
        total_tokens: Option<u64>,
        #[serde(default)]
        agent_id: Option<String>,
        #[serde(default)]
        subagent_type: Option<String>,
        #[serde(default)]
        description: Option<String>,
    },
    /// PostToolUse of a background agent (`status: async_launched`): it runs on.
    TaskLaunched {
        at: Timestamp,
        tool_use_id: String,
        #[serde(default)]
        agent_id: Option<String>,
    },
    /// SubagentStop: an agent finished, with the start of its last message.
    SubagentStopped {
        at: Timestamp,
        agent_id: String,
        #[serde(default)]
        agent_type: Option<String>,
        #[serde(default)]
        result: Option<String>,
    },
    Prompt {
        at: Timestamp,
        #[serde(default)]
        text: String,
    },
    ClaudeBound {
        at: Timestamp,
        claude_session: String,
        #[serde(default)]
        source: Option<String>,
        #[serde(default)]
        transcript_path: Option<String>,
    },
    ClaudeEnded {
        at: Timestamp,
        claude_session: String,
        #[serde(default)]
        reason: Option<String>,
        #[serde(default)]
        tokens: Option<TokenUsage>,
    },
    Checkpoint {
        at: Timestamp,
        entry: CheckpointEntry,
    },
    StatusChanged {
        at: Timestamp,
        status: Status,
    },
    Ended {
        at: Timestamp,
        #[serde(default)]
        score: Option<f64>,
        #[serde(default)]
        git: GitInfo,
    },
    /// An inbox's events were appended just before this line (one write with them); `digest`
    /// identifies the inbox file, so a retried adoption never appends them twice.
    InboxAdopted {
        at: Timestamp,
        claude_session: String,
        digest: String,
        events: usize,
    },
    MaintenanceRan {
        at: Timestamp,
        run: MaintenanceRun,
    },
    /// PostToolUse of Claude Code's `TaskCreate`: a task of its task list was made. (The
    /// `Task*` events above are subagents; these are the task list's items.)
    TodoCreated {
        at: Timestamp,
        /// Claude Code's id (`1`, `2`…, per conversation); `None` when the response had none.
        #[serde(default)]
        task_id: Option<String>,
        #[serde(default)]
        subject: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        description: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        owner: Option<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        blocked_by: Vec<String>,
        #[serde(default, skip_serializing_if = "TaskMeta::is_empty")]
        metadata: TaskMeta,
        #[serde(flatten)]
        caller: TaskCaller,
    },
    /// PostToolUse of `TaskUpdate`: what the call changed (absent fields: unchanged).
    TodoUpdated {
        at: Timestamp,
        task_id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        subject: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        description: Option<String>,
        /// The new status (`pending`, `in_progress`, `completed`, `deleted`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        status: Option<String>,
        /// The status before, when Claude Code reported the change.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        status_from: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        owner: Option<String>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        add_blocked_by: Vec<String>,
        #[serde(default, skip_serializing_if = "TaskMeta::is_empty")]
        metadata: TaskMeta,
        #[serde(flatten)]
        caller: TaskCaller,
    },
    /// PostToolUse of `TodoWrite`: the whole todo list as written (it replaces the last one).
    TodosWritten {
        at: Timestamp,
        todos: Vec<TodoItem>,
        /// How many todos the call had (more than `todos` holds when the list was capped).
        #[serde(default)]
        total: usize,
        #[serde(flatten)]
        caller: TaskCaller,
    },
    /// Claude Code's `TaskCreated` / `TaskCompleted` hook events (`kind`: created, completed).
    #[serde(rename = "task_event")]
    TaskLifecycle {
        at: Timestamp,
        kind: String,
        task_id: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        subject: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        description: Option<String>,
        #[serde(flatten)]
        caller: TaskCaller,
    },
    #[serde(other)]
    Unknown,
}

/// Who made a task-list call: the conversation, and the subagent when a subagent made it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TaskCaller {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claude_session: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agent_id: Option<String>,
}

/// The task `metadata` keys we use (Claude Code lets the model put anything there); absent
/// keys were not given.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TaskMeta {
    /// `estimatedMinutes` (or `estimated_minutes`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_minutes: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
    /// `failed: true` or `status: "failed"` (Claude Code has no failed status of its own).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failed: Option<bool>,
}

impl TaskMeta {
    pub fn is_empty(&self) -> bool {
        *self == TaskMeta::default()
    }
}

/// One item of a `TodoWrite` list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TodoItem {
    pub content: String,
    #[serde(default)]
    pub status: String,
}

impl Event {
    pub fn at(&self) -> Option<Timestamp> {
        match self {
            Event::Started { at, .. }
            | Event::Artifact { at, .. }
            | Event::TaskStarted { at, .. }
            | Event::TaskFinished { at, .. }
            | Event::TaskLaunched { at, .. }
            | Event::SubagentStopped { at, .. }
            | Event::Prompt { at, .. }
            | Event::ClaudeBound { at, .. }
            | Event::ClaudeEnded { at, .. }
            | Event::Checkpoint { at, .. }
            | Event::StatusChanged { at, .. }
            | Event::Ended { at, .. }
            | Event::InboxAdopted { at, .. }
            | Event::MaintenanceRan { at, .. }
            | Event::TodoCreated { at, .. }
            | Event::TodoUpdated { at, .. }
            | Event::TodosWritten { at, .. }
            | Event::TaskLifecycle { at, .. } => Some(*at),
            Event::Unknown => None,
        }
    }

    /// The JSON line for the journal.
    pub fn to_line(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| String::from("{\"event\":\"unknown\"}"))
    }
}

/// Whole seconds from `from` to `to`; 0 when `to` is earlier (a clock set back).
fn seconds_between(from: Timestamp, to: Timestamp) -> u64 {
    u64::try_from(to.as_second() - from.as_second()).unwrap_or(0)
}

impl SessionDoc {
    /// The document a `Started` event describes.
    pub fn from_started(event: &Event) -> Option<SessionDoc> {
        let Event::Started {
            at,
            id,
            focus,
            agent,
            project_path,
            project_name,
            branch,
            commit,
            metadata,
        } = event
        else {
            return None;
        };
        let mut extra = serde_yaml_ng::Mapping::new();
        if let Some(metadata) = metadata.as_ref().filter(|m| !m.is_empty())
            && let Ok(value) = serde_yaml_ng::to_value(metadata)
        {
            extra.insert("metadata".into(), value);
        }
        Some(SessionDoc {
            session: Header {
                id: id.clone(),
                date: clock::local_date(*at),
                start_time: clock::local_time(*at),
                end_time: None,
                focus: focus.clone(),
                agent: agent.clone(),
                status: Status::Active,
                started_at: Some(*at),
                ended_at: None,
            },
            artifacts: Artifacts::default(),
            checkpoints: Vec::new(),
            metrics: Metrics::default(),
            rulemap_score: None,
            project: ProjectRef {
                path: project_path.clone(),
                name: project_name.clone(),
            },
            git: GitInfo {
                starting_branch: branch.clone(),
                starting_commit: commit.clone(),
                ..GitInfo::default()
            },
            claude_sessions: Vec::new(),
            agents: Vec::new(),
            prompts: Prompts::default(),
            journal: JournalMark::default(),
            maintenance_runs: Vec::new(),
            extra,
        })
    }

    /// Folds a batch of events in order. Every step is idempotent on sets (artifacts, tasks,
    /// Claude sessions), so replaying a journal from the start rebuilds the same document.
    pub fn fold<'a>(&mut self, events: impl IntoIterator<Item = &'a Event>) {
        let mut created: HashSet<String> = self.artifacts.created.iter().cloned().collect();
        let mut modified: HashSet<String> = self.artifacts.modified.iter().cloned().collect();
        for event in events {
            if let Some(at) = event.at() {
                self.journal.events += 1;
                if self.journal.last_event_at.is_none_or(|last| at > last) {
                    self.journal.last_event_at = Some(at);
                }
            }
            match event {
                Event::Started { .. } | Event::InboxAdopted { .. } | Event::Unknown => {}
                // The task list is folded by `tasks` into tasks.json, not into session.yaml.
                Event::TodoCreated { .. }
                | Event::TodoUpdated { .. }
                | Event::TodosWritten { .. }
                | Event::TaskLifecycle { .. } => {}
                // Replaying a journal must not list a run twice.
                Event::MaintenanceRan { run, .. } => {
                    if !self.maintenance_runs.contains(run) {
                        self.maintenance_runs.push(run.clone());
                    }
                }

                Event::Artifact { path, action, .. } => {
                    // The first action recorded for a path wins: created stays created.
                    if created.contains(path) || modified.contains(path) {
                        continue;
                    }
                    match action {
                        Action::Created => {
                            created.insert(path.clone());
                            self.artifacts.created.push(path.clone());
                        }
                        Action::Modified => {
                            modified.insert(path.clone());
                            self.artifacts.modified.push(path.clone());
                        }
                    }
                }
                Event::TaskStarted {
                    at,
                    tool_use_id,
                    subagent_type,
                    description,
                } => {
                    let task = self.task_mut(tool_use_id);
                    task.started_at.get_or_insert(*at);
                    if task.subagent_type.is_empty() {
                        task.subagent_type = subagent_type.clone();
                    }
                    if task.description.is_empty() {
                        task.description = description.clone();
                    }
                }
                Event::TaskFinished {
                    at,
                    tool_use_id,
                    status,
                    duration_ms,
                    total_tokens,
                    agent_id,
                    subagent_type,
                    description,
                } => {
                    let task = self.task_mut(tool_use_id);
                    task.status = status.clone();
                    task.ended_at = Some(*at);
                    task.duration_ms = duration_ms.or(task.duration_ms);
                    task.total_tokens = total_tokens.or(task.total_tokens);
                    task.agent_id = agent_id.clone().or(task.agent_id.take());
                    if task.subagent_type.is_empty() {
                        task.subagent_type = subagent_type.clone().unwrap_or_default();
                    }
                    if task.description.is_empty() {
                        task.description = description.clone().unwrap_or_default();
                    }
                    if let Some(agent) = agent_id {
                        self.merge_stopped(tool_use_id, agent);
                    }
                }
                Event::TaskLaunched {
                    at,
                    tool_use_id,
                    agent_id,
                } => {
                    let task = self.task_mut(tool_use_id);
                    task.started_at.get_or_insert(*at);
                    task.background = true;
                    task.status = "running".to_string();
                    task.agent_id = agent_id.clone().or(task.agent_id.take());
                    if let Some(agent) = agent_id {
                        self.merge_stopped(tool_use_id, agent);
                    }
                }
                Event::SubagentStopped {
                    at,
                    agent_id,
                    agent_type,
                    result,
                } => {
                    let known = self
                        .agents
                        .iter()
                        .position(|t| t.agent_id.as_deref() == Some(agent_id.as_str()));
                    let task = match known {
                        Some(i) => &mut self.agents[i],
                        None => self.task_mut(&format!("{STOPPED_PREFIX}{agent_id}")),
                    };
                    task.agent_id.get_or_insert_with(|| agent_id.clone());
                    if task.subagent_type.is_empty() {
                        task.subagent_type = agent_type.clone().unwrap_or_default();
                    }
                    task.result = result.clone().or(task.result.take());
                    // A synchronous agent's PostToolUse, later, sets its own status and time.
                    if task.status == "running" {
                        task.status = "completed".to_string();
                        task.ended_at = Some(*at);
                        if task.duration_ms.is_none() {
                            task.duration_ms = task.started_at.map(|from| {
                                u64::try_from(at.as_millisecond() - from.as_millisecond())
                                    .unwrap_or(0)
                            });
                        }
                    }
                }
                Event::Prompt { at, text } => {
                    self.prompts.count += 1;
                    self.prompts.last_at = Some(*at);
                    if !text.trim().is_empty() {
                        self.prompts.recent.push(truncate_chars(text, PROMPT_CHARS));
                        let excess = self.prompts.recent.len().saturating_sub(PROMPTS_KEPT);
                        self.prompts.recent.drain(..excess);
                    }
                }
                Event::ClaudeBound {
                    at,
                    claude_session,
                    source,
                    transcript_path,
                } => {
                    let record = self.claude_mut(claude_session);
                    record.bound_at.get_or_insert(*at);
                    if record.last_bound_at.is_none_or(|last| *at > last) {
                        record.last_bound_at = Some(*at);
                    }
                    // Bound again after it ended (`claude --resume`): it is running again.
                    if record.ended_at.is_some_and(|ended| ended <= *at) {
                        record.ended_at = None;
                        record.end_reason = None;
                    }
                    if source.is_some() {
                        record.source = source.clone();
                    }
                    if transcript_path.is_some() {
                        record.transcript_path = transcript_path.clone();
                    }
                }
                Event::ClaudeEnded {
                    at,
                    claude_session,
                    reason,
                    tokens,
                } => {
                    let record = self.claude_mut(claude_session);
                    // The detached worker reports tokens after the fact: when the conversation
                    // was resumed (bound again) since, it is running, and only the tokens count.
                    if record.last_bound_at.is_none_or(|bound| *at >= bound) {
                        record.ended_at = Some(*at);
                        record.end_reason = reason.clone();
                    }
                    if tokens.is_some() {
                        record.tokens = *tokens;
                    }
                }
                Event::Checkpoint { at, entry } => {
                    if !self.checkpoints.iter().any(|c| c.id == entry.id) {
                        self.checkpoints.push(entry.clone());
                    }
                    if self
                        .journal
                        .last_checkpoint_at
                        .is_none_or(|last| *at > last)
                    {
                        self.journal.last_checkpoint_at = Some(*at);
                    }
                }
                Event::StatusChanged { at, status } => {
                    if self.session.status != Status::Completed {
                        self.session.status = *status;
                        match status {
                            Status::Paused => {
                                self.metrics.paused_since.get_or_insert(*at);
                            }
                            _ => self.end_pause(*at),
                        }
                    }
                }
                Event::Ended { at, score, git } => {
                    self.end_pause(*at);
                    self.session.status = Status::Completed;
                    self.session.ended_at = Some(*at);
                    self.session.end_time = Some(clock::local_time(*at));
                    self.rulemap_score = *score;
                    self.git.ending_branch = git.ending_branch.clone();
                    self.git.ending_commit = git.ending_commit.clone();
                    self.git.commits_count = git.commits_count;
                    self.git.uncommitted_files = git.uncommitted_files.clone();
                }
            }
        }
        self.refresh_metrics(None);
    }

    /// Recomputes the seed's metrics; `now` gives a live duration for open sessions. The
    /// duration is active time: paused periods are left out (`wall_minutes` has them).
    pub fn refresh_metrics(&mut self, now: Option<Timestamp>) {
        self.metrics.files_created = self.artifacts.created.len() as u64;
        self.metrics.files_modified = self.artifacts.modified.len() as u64;
        self.metrics.checkpoints = self.checkpoints.len() as u64;
        if let Some(start) = self.session.started_at {
            let end = self.session.ended_at.or(now);
            if let Some(end) = end {
                let wall = seconds_between(start, end);
                let open_pause = self
                    .metrics
                    .paused_since
                    .map_or(0, |since| seconds_between(since, end));
                let paused = (self.metrics.paused_seconds + open_pause).min(wall);
                self.metrics.wall_minutes = wall / 60;
                self.metrics.duration_minutes = (wall - paused) / 60;
            }
        }
    }

    /// Closes the current pause, if any, at `at`.
    fn end_pause(&mut self, at: Timestamp) {
        if let Some(since) = self.metrics.paused_since.take() {
            self.metrics.paused_seconds += seconds_between(since, at);
        }
    }

    /// Folds a SubagentStop that arrived before the task knew its agent id into that task.
    fn merge_stopped(&mut self, tool_use_id: &str, agent_id: &str) {
        let key = format!("{STOPPED_PREFIX}{agent_id}");
        let Some(stopped) = self.agents.iter().position(|t| t.tool_use_id == key) else {
            return;
        };
        let stopped = self.agents.remove(stopped);
        let task = self.task_mut(tool_use_id);
        task.result = task.result.take().or(stopped.result);
        if task.subagent_type.is_empty() {
            task.subagent_type = stopped.subagent_type;
        }
        if task.status == "running" {
            task.status = stopped.status;
            task.ended_at = task.ended_at.or(stopped.ended_at);
        }
    }

    fn task_mut(&mut self, tool_use_id: &str) -> &mut AgentTask {
        let index = match self
            .agents
            .iter()
            .position(|t| t.tool_use_id == tool_use_id)
        {
            Some(i) => i,
            None => {
                self.agents.push(AgentTask {
                    tool_use_id: tool_use_id.to_string(),
                    subagent_type: String::new(),
                    description: String::new(),
                    started_at: None,
                    status: "running".to_string(),
                    ended_at: None,
                    duration_ms: None,
                    total_tokens: None,
                    agent_id: None,
                    background: false,
                    result: None,
                });
                self.agents.len() - 1
            }
        };
        &mut self.agents[index]
    }

    fn claude_mut(&mut self, id: &str) -> &mut ClaudeSession {
        let index = match self.claude_sessions.iter().position(|c| c.id == id) {
            Some(i) => i,
            None => {
                self.claude_sessions.push(ClaudeSession {
                    id: id.to_string(),
                    bound_at: None,
                    last_bound_at: None,
                    source: None,
                    transcript_path: None,
                    ended_at: None,
                    end_reason: None,
                    tokens: None,
                });
                self.claude_sessions.len() - 1
            }
        };
        &mut self.claude_sessions[index]
    }

    /// Token use summed over the bound Claude sessions.
    pub fn total_tokens(&self) -> TokenUsage {
        let mut sum = TokenUsage::default();
        for t in self
            .claude_sessions
            .iter()
            .filter_map(|c| c.tokens.as_ref())
        {
            sum.responses += t.responses;
            sum.input_tokens += t.input_tokens;
            sum.output_tokens += t.output_tokens;
            sum.cache_creation_input_tokens += t.cache_creation_input_tokens;
            sum.cache_read_input_tokens += t.cache_read_input_tokens;
        }
        sum
    }
}

/// Lowercase; runs of non-alphanumerics become one `-`; trimmed; at most 30 characters.
pub fn sanitize_focus(focus: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    // Lowercase first: some letters lowercase to a letter plus a combining mark (İ → i̇),
    // and only the alphanumerics of the result belong in an id.
    for c in focus.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
            dash = false;
        } else if !dash && !out.is_empty() {
            out.push('-');
            dash = true;
        }
    }
    let cut: String = out.chars().take(30).collect();
    cut.trim_matches('-').to_string()
}

pub fn truncate_chars(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((index, _)) => format!("{}…", &text[..index]),
        None => text.to_string(),
    }
}

/// Parses journal bytes: complete lines only; returns the events and how many bytes were consumed.
/// Lines that do not parse are counted and skipped.
pub fn parse_journal(bytes: &[u8]) -> (Vec<Event>, usize, usize) {
    let complete = match bytes.iter().rposition(|b| *b == b'\n') {
        Some(last) => last + 1,
        None => 0,
    };
    let mut events = Vec::new();
    let mut bad = 0;
    for line in bytes[..complete].split(|b| *b == b'\n') {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match serde_json::from_slice::<Event>(line) {
            Ok(event) => events.push(event),
            Err(_) => bad += 1,
        }
    }
    (events, complete, bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn focus_is_sanitised_as_the_seed_says() {
        assert_eq!(
            sanitize_focus("Authentication feature"),
            "authentication-feature"
        );
        assert_eq!(sanitize_focus("  --API__design!! "), "api-design");
        assert_eq!(sanitize_focus("!!!"), "");
        assert_eq!(
            sanitize_focus("Überprüfung der Daten"),
            "überprüfung-der-daten"
        );
        // Cut at 30 characters, then trimmed of a dangling dash.
        assert_eq!(
            sanitize_focus("abcdefghijklmnopqrstuvwxyz abcd efg"),
            "abcdefghijklmnopqrstuvwxyz-abc"
        );
        assert_eq!(
            sanitize_focus("abcdefghijklmnopqrstuvwxyzabc efg"),
            "abcdefghijklmnopqrstuvwxyzabc"
        );
    }

    #[test]
    fn a_partial_last_line_is_left_for_the_next_fold() {
        let line = r#"{"event":"prompt","at":"2025-10-25T14:30:00Z","text":"hi"}"#;
        let bytes = format!("{line}\n{{\"event\":\"pro");
        let (events, consumed, bad) = parse_journal(bytes.as_bytes());
        assert_eq!(events.len(), 1);
        assert_eq!(consumed, line.len() + 1);
        assert_eq!(bad, 0);
    }

    #[test]
    fn the_first_action_for_a_path_wins() {
        let at: Timestamp = "2025-10-25T14:30:00Z".parse().unwrap();
        let started = Event::Started {
            at,
            id: "x".into(),
            focus: String::new(),
            agent: "claude".into(),
            project_path: "/p".into(),
            project_name: "p".into(),
            branch: None,
            commit: None,
            metadata: None,
        };
        let mut doc = SessionDoc::from_started(&started).unwrap();
        let artifact = |path: &str, action| Event::Artifact {
            at,
            path: path.into(),
            action,
        };
        doc.fold(&[
            artifact("a", Action::Created),
            artifact("a", Action::Modified),
            artifact("b", Action::Modified),
            artifact("b", Action::Created),
            artifact("a", Action::Created),
        ]);
        assert_eq!(doc.artifacts.created, vec!["a"]);
        assert_eq!(doc.artifacts.modified, vec!["b"]);
        assert_eq!(doc.metrics.files_created, 1);
    }
}

#[cfg(test)]
mod claude_session_tests {
    use super::*;

    #[test]
    fn a_late_token_report_does_not_end_a_resumed_conversation() {
        let t = |s: &str| -> Timestamp { s.parse().unwrap() };
        let started = Event::Started {
            at: t("2025-10-25T14:00:00Z"),
            id: "x".into(),
            focus: String::new(),
            agent: "claude".into(),
            project_path: "/p".into(),
            project_name: "p".into(),
            branch: None,
            commit: None,
            metadata: None,
        };
        let mut doc = SessionDoc::from_started(&started).unwrap();
        let bound = |at| Event::ClaudeBound {
            at: t(at),
            claude_session: "a".into(),
            source: None,
            transcript_path: None,
        };
        let ended = |at, tokens: Option<TokenUsage>| Event::ClaudeEnded {
            at: t(at),
            claude_session: "a".into(),
            reason: Some("other".into()),
            tokens,
        };
        let usage = TokenUsage {
            responses: 2,
            output_tokens: 40,
            ..TokenUsage::default()
        };
        // Ends at 14:10; resumed at 14:11; the worker's token report for 14:10 lands after.
        doc.fold(&[
            bound("2025-10-25T14:00:00Z"),
            ended("2025-10-25T14:10:00Z", None),
            bound("2025-10-25T14:11:00Z"),
            ended("2025-10-25T14:10:00Z", Some(usage)),
        ]);
        let record = &doc.claude_sessions[0];
        assert_eq!(record.ended_at, None, "still running");
        assert_eq!(record.tokens, Some(usage));
        // Its real end later counts.
        doc.fold(&[ended("2025-10-25T15:00:00Z", None)]);
        assert_eq!(
            doc.claude_sessions[0].ended_at,
            Some(t("2025-10-25T15:00:00Z"))
        );
    }
}
