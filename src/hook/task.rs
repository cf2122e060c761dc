//! `pre-task` / `post-task` (Pre/PostToolUse on Agent|Task): a subagent task, keyed by the
//! tool_use_id, from its start to its result (status, duration, tokens).

use super::route::{self, deliver};
use super::wire::Payload;
use super::{Env, Outcome, expect_event};
use crate::clock;
use crate::error::{Error, Result};
use crate::session::{self, Event};

/// `tool_response.status` of an agent started in the background.
const ASYNC_LAUNCHED: &str = "async_launched";

/// SubagentStop: the agent is done; its last message, cut short, is the task's result.
pub fn subagent_stop(env: &Env, payload: &Payload) -> Result<Outcome> {
    if let Some(ignored) = expect_event("subagent-stop", payload, "SubagentStop") {
        return Ok(ignored);
    }
    let Some(agent_id) = payload.agent_id.as_deref().filter(|id| !id.is_empty()) else {
        return Err(Error::invalid("no agent_id", "SubagentStop"));
    };
    let result = payload
        .last_assistant_message
        .as_deref()
        .map(|text| session::truncate_chars(text.trim(), session::RESULT_CHARS))
        .filter(|text| !text.is_empty());
    let routed = route::route(env, payload)?;
    deliver(
        &routed,
        &Event::SubagentStopped {
            at: clock::now()?,
            agent_id: agent_id.to_string(),
            agent_type: payload.agent_type.clone(),
            result,
        },
    )?;
    Ok(Outcome::quiet())
}

/// `Agent` since Claude Code 2.1.63, `Task` before.
pub const TASK_TOOLS: &[&str] = &["Agent", "Task"];

fn task_tool<'p>(
    name: &str,
    payload: &'p Payload,
    event: &str,
) -> Result<Result<&'p str, Outcome>> {
    if let Some(ignored) = expect_event(name, payload, event) {
        return Ok(Err(ignored));
    }
    let tool = payload.tool_name.as_deref().unwrap_or("");
    if !TASK_TOOLS.contains(&tool) {
        return Ok(Err(Outcome::Ignored(format!(
            "tool `{tool}` is not one of {}",
            TASK_TOOLS.join("|")
        ))));
    }
    match payload.tool_use_id.as_deref().filter(|id| !id.is_empty()) {
        Some(id) => Ok(Ok(id)),
        None => Err(Error::invalid("no tool_use_id", format!("{event} {tool}"))),
    }
}

pub fn pre_task(env: &Env, payload: &Payload) -> Result<Outcome> {
    let id = match task_tool("pre-task", payload, "PreToolUse")? {
        Ok(id) => id,
        Err(outcome) => return Ok(outcome),
    };
    let input = payload.tool_input();
    let routed = route::route(env, payload)?;
    deliver(
        &routed,
        &Event::TaskStarted {
            at: clock::now()?,
            tool_use_id: id.to_string(),
            subagent_type: input.subagent_type.unwrap_or_default().into_owned(),
            description: input.description.unwrap_or_default().into_owned(),
        },
    )?;
    Ok(Outcome::quiet())
}

pub fn post_task(env: &Env, payload: &Payload) -> Result<Outcome> {
    let id = match task_tool("post-task", payload, "PostToolUse")? {
        Ok(id) => id,
        Err(outcome) => return Ok(outcome),
    };
    let input = payload.tool_input();
    let response = payload.tool_response();
    let routed = route::route(env, payload)?;
    // Since Claude Code 2.1.198 agents run in the background: the tool returns at once and the
    // agent's end comes as SubagentStop.
    if response.status.as_deref() == Some(ASYNC_LAUNCHED) {
        deliver(
            &routed,
            &Event::TaskLaunched {
                at: clock::now()?,
                tool_use_id: id.to_string(),
                agent_id: response.agent_id,
            },
        )?;
        return Ok(Outcome::quiet());
    }
    deliver(
        &routed,
        &Event::TaskFinished {
            at: clock::now()?,
            tool_use_id: id.to_string(),
            // PostToolUse fires for tools that succeeded.
            status: response.status.unwrap_or_else(|| "completed".to_string()),
            duration_ms: response.total_duration_ms,
            total_tokens: response.total_tokens,
            agent_id: response.agent_id,
            subagent_type: input
                .subagent_type
                .map(|s| s.into_owned())
                .or(response.agent_type),
            description: input.description.map(|s| s.into_owned()),
        },
    )?;
    Ok(Outcome::quiet())
}
