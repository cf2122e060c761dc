//! `post-todo` (PostToolUse on TaskCreate|TaskUpdate|TodoWrite), `task-created` and
//! `task-completed` (the TaskCreated / TaskCompleted events): Claude Code's task list, one
//! journal line per call. Hot path: no git, no child process, no YAML; every field optional and
//! read tolerantly (a wrong type reads as absent), every string and list capped.

use super::route::{self, Routed, deliver};
use super::wire::{self, Notes, Payload};
use super::{Env, Outcome, expect_event};
use crate::clock;
use crate::error::{Error, Result};
use crate::session::{Event, TaskCaller, TaskMeta, TodoItem};
use serde_json::Value;

/// The tools `post-todo` records.
pub const TODO_TOOLS: &[&str] = &["TaskCreate", "TaskUpdate", "TodoWrite"];

/// Most todos of one TodoWrite recorded (the count is kept); most ids in a blocker list;
/// most files in `metadata.files`.
const MAX_TODOS: usize = 100;
const MAX_IDS: usize = 50;
const MAX_FILES: usize = 200;

fn caller(payload: &Payload) -> TaskCaller {
    TaskCaller {
        claude_session: route::claude_id(payload),
        agent_type: payload.agent_type.clone().filter(|t| !t.is_empty()),
        agent_id: payload.agent_id.clone().filter(|t| !t.is_empty()),
    }
}

/// A part of the payload as a JSON value; anything unreadable is `Null`.
fn value(raw: Option<&serde_json::value::RawValue>) -> Value {
    raw.and_then(|r| serde_json::from_str(r.get()).ok())
        .unwrap_or(Value::Null)
}

/// A string field, capped; other types read as absent.
fn text(notes: &Notes, v: &Value, key: &str, field: &str, max: usize) -> Option<String> {
    let text = v.get(key)?.as_str()?;
    Some(notes.cap(field, text.into(), max).into_owned())
}

/// An id: a string or a whole number (`"3"` and `3` are the same task).
fn id(notes: &Notes, v: Option<&Value>, field: &str) -> Option<String> {
    let text = match v? {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) if n.is_u64() => n.to_string(),
        _ => return None,
    };
    (!text.is_empty()).then(|| notes.cap(field, text.into(), wire::NAME_BYTES).into_owned())
}

fn ids(notes: &Notes, v: Option<&Value>, field: &str) -> Vec<String> {
    let Some(list) = v.and_then(Value::as_array) else {
        return Vec::new();
    };
    if list.len() > MAX_IDS {
        notes.push(format!("kept {MAX_IDS} of {} ids of {field}", list.len()));
    }
    list.iter()
        .take(MAX_IDS)
        .filter_map(|item| id(notes, Some(item), field))
        .collect()
}

/// The `metadata` keys we use; file paths made project-relative.
fn metadata(notes: &Notes, v: Option<&Value>, routed: &Routed) -> TaskMeta {
    let Some(meta) = v.filter(|m| m.is_object()) else {
        return TaskMeta::default();
    };
    if meta
        .get("files")
        .and_then(Value::as_array)
        .is_some_and(|l| l.len() > MAX_FILES)
    {
        notes.push(format!("kept {MAX_FILES} metadata.files"));
    }
    if meta.get("output").is_some_and(|o| {
        o.as_str().map_or(o.to_string().len(), str::len) > crate::tasks::OUTPUT_BYTES
    }) {
        notes.push(format!(
            "cut metadata.output to {} bytes",
            crate::tasks::OUTPUT_BYTES
        ));
    }
    crate::tasks::meta_of(meta, &|f| {
        route::project_path(&routed.project, &routed.cwd, f)
    })
}

/// PostToolUse of TaskCreate, TaskUpdate or TodoWrite.
pub fn post_todo(env: &Env, payload: &Payload) -> Result<Outcome> {
    if let Some(ignored) = expect_event("post-todo", payload, "PostToolUse") {
        return Ok(ignored);
    }
    let tool = payload.tool_name.as_deref().unwrap_or("");
    if !TODO_TOOLS.contains(&tool) {
        return Ok(Outcome::Ignored(format!(
            "tool `{tool}` is not one of {}",
            TODO_TOOLS.join("|")
        )));
    }
    let notes = &payload.notes;
    let input = value(payload.tool_input);
    let response = value(payload.tool_response);
    if response.get("success") == Some(&Value::Bool(false)) {
        return Ok(Outcome::Ignored(format!("{tool} did not succeed")));
    }
    let at = clock::now()?;
    let routed = route::route(env, payload)?;
    let from_input = |key: &str, max| text(notes, &input, key, &format!("tool_input.{key}"), max);
    let event = match tool {
        "TaskCreate" => {
            let task = response.get("task").unwrap_or(&Value::Null);
            Event::TodoCreated {
                at,
                task_id: id(notes, task.get("id"), "tool_response.task.id"),
                subject: from_input("subject", wire::TITLE_BYTES)
                    .or_else(|| {
                        let field = "tool_response.task.subject";
                        text(notes, task, "subject", field, wire::TITLE_BYTES)
                    })
                    .unwrap_or_default(),
                description: from_input("description", wire::TEXT_BYTES),
                owner: from_input("owner", wire::NAME_BYTES),
                blocked_by: ids(notes, input.get("blockedBy"), "tool_input.blockedBy"),
                metadata: metadata(notes, input.get("metadata"), &routed),
                caller: caller(payload),
            }
        }
        "TaskUpdate" => {
            let Some(task_id) = id(notes, input.get("taskId"), "tool_input.taskId")
                .or_else(|| id(notes, response.get("taskId"), "tool_response.taskId"))
            else {
                return Err(Error::invalid("no taskId", "PostToolUse TaskUpdate"));
            };
            let change = response.get("statusChange").unwrap_or(&Value::Null);
            Event::TodoUpdated {
                at,
                task_id,
                subject: from_input("subject", wire::TITLE_BYTES),
                description: from_input("description", wire::TEXT_BYTES),
                status: text(notes, change, "to", "statusChange.to", wire::NAME_BYTES)
                    .or_else(|| from_input("status", wire::NAME_BYTES)),
                status_from: text(notes, change, "from", "statusChange.from", wire::NAME_BYTES),
                owner: from_input("owner", wire::NAME_BYTES),
                add_blocked_by: ids(notes, input.get("addBlockedBy"), "tool_input.addBlockedBy"),
                metadata: metadata(notes, input.get("metadata"), &routed),
                caller: caller(payload),
            }
        }
        _ => {
            let list = input
                .get("todos")
                .and_then(Value::as_array)
                .or_else(|| response.get("newTodos").and_then(Value::as_array));
            let Some(list) = list else {
                return Err(Error::invalid("no todos list", "PostToolUse TodoWrite"));
            };
            if list.len() > MAX_TODOS {
                notes.push(format!("kept {MAX_TODOS} of {} todos", list.len()));
            }
            let todos = list
                .iter()
                .take(MAX_TODOS)
                .filter_map(|item| {
                    Some(TodoItem {
                        content: text(notes, item, "content", "todos.content", wire::TITLE_BYTES)?,
                        status: text(notes, item, "status", "todos.status", wire::NAME_BYTES)
                            .unwrap_or_default(),
                    })
                })
                .collect();
            Event::TodosWritten {
                at,
                todos,
                total: list.len(),
                caller: caller(payload),
            }
        }
    };
    record(&routed, &event)
}

fn record(routed: &Routed, event: &Event) -> Result<Outcome> {
    deliver(routed, event)?;
    Ok(Outcome::quiet())
}

/// TaskCreated and TaskCompleted: `kind` is `created` or `completed`.
pub fn task_event(env: &Env, payload: &Payload, name: &str, expected: &str) -> Result<Outcome> {
    if let Some(ignored) = expect_event(name, payload, expected) {
        return Ok(ignored);
    }
    let Some(task_id) = payload.task_id.clone().filter(|id| !id.trim().is_empty()) else {
        return Err(Error::invalid("no task_id", expected.to_string()));
    };
    let routed = route::route(env, payload)?;
    let kind = if expected == "TaskCompleted" {
        "completed"
    } else {
        "created"
    };
    record(
        &routed,
        &Event::TaskLifecycle {
            at: clock::now()?,
            kind: kind.to_string(),
            task_id: task_id.trim().to_string(),
            subject: payload.task_subject.clone(),
            description: payload.task_description.clone(),
            caller: caller(payload),
        },
    )
}
