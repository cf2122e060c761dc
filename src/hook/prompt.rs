//! `prompt` (UserPromptSubmit): counts the prompt (its text kept short) and, when reminders are
//! on (`claude-session remind`), adds a one-line reminder to checkpoint — at most once per
//! interval per session. The reminder's bookkeeping waits for its lock at most the hook wait;
//! when busy the reminder is skipped, never the prompt.

use super::route::{self, Target, deliver};
use super::wire::Payload;
use super::{Env, Outcome, context_output, expect_event};
use crate::clock;
use crate::error::{Error, Result};
use crate::paths::Project;
use crate::registry::{self, Workspace};
use crate::remind::{self, RemindState};
use crate::session::{self, Event, Status};
use jiff::Timestamp;

pub fn prompt(env: &Env, payload: &Payload) -> Result<Outcome> {
    if let Some(ignored) = expect_event("prompt", payload, "UserPromptSubmit") {
        return Ok(ignored);
    }
    let text = payload.prompt.as_deref().unwrap_or("");
    if !typed_by_the_user(payload, text) {
        // A background agent's result (`<task-notification>`) or another prompt Claude Code
        // made itself: SubagentStop records the agent; nothing here was typed.
        return Ok(Outcome::quiet());
    }
    let now = clock::now()?;
    let routed = route::route(env, payload)?;
    deliver(
        &routed,
        &Event::Prompt {
            at: now,
            text: session::truncate_chars(text, session::PROMPT_CHARS),
        },
    )?;
    let Target::Session(ws) = &routed.target else {
        return Ok(Outcome::quiet());
    };
    Ok(Outcome::Done(reminder(env, &routed.project, ws, now)?))
}

/// Claude Code 2.1.198+ submits a background agent's result as a prompt starting with
/// `<task-notification>`; a `source` field, where present, says who wrote the prompt.
fn typed_by_the_user(payload: &Payload, text: &str) -> bool {
    if payload
        .source
        .as_deref()
        .is_some_and(|source| source != "user")
    {
        return false;
    }
    !text.trim_start().starts_with("<task-notification>")
}

/// The reminder to print, if one is due; records that it was given.
fn reminder(
    env: &Env,
    project: &Project,
    ws: &Workspace,
    now: Timestamp,
) -> Result<Option<String>> {
    // Cheap checks first: most prompts stop at a missing or disabled file.
    let Some(state) = remind::read(&env.layout)? else {
        return Ok(None);
    };
    if !state.enabled {
        return Ok(None);
    }
    let index = registry::read_index(project, env.hook_wait())?;
    let Some(entry) = index.sessions.get(&ws.id) else {
        return Ok(None);
    };
    if entry.status != Status::Active {
        return Ok(None);
    }
    let Some(since) = entry.last_checkpoint_at.max(entry.started_at) else {
        return Ok(None);
    };
    if state.due(&ws.id, since, now).is_none() {
        return Ok(None);
    }
    let interval = state.interval_minutes;
    let claimed = remind::update(
        &env.layout,
        env.hook_wait(),
        || RemindState::new(interval),
        now,
        |state| {
            // Another prompt may have reminded meanwhile: decide again under the lock.
            let due = state.due(&ws.id, since, now);
            if due.is_some() {
                state.last_reminded.insert(ws.id.clone(), now);
            }
            due
        },
    );
    let minutes = match claimed {
        Ok(Some(minutes)) => minutes,
        Ok(None) | Err(Error::Busy { .. }) => return Ok(None),
        Err(e) => return Err(e),
    };
    let line = format!(
        "claude-session: no checkpoint for {} in session {} — {} or `claude-session checkpoint`. \
         Mention this to the user in one short line.",
        describe_minutes(minutes),
        ws.id,
        crate::surface::slash("pause")
    );
    Ok(Some(context_output("UserPromptSubmit", &line)))
}

fn describe_minutes(minutes: u64) -> String {
    match minutes {
        0..=119 => format!("{minutes} min"),
        120..=2879 => format!("{} h", minutes / 60),
        _ => format!("{} days", minutes / 1440),
    }
}

#[cfg(test)]
mod tests {
    use super::describe_minutes;

    #[test]
    fn long_gaps_read_in_hours_and_days() {
        assert_eq!(describe_minutes(45), "45 min");
        assert_eq!(describe_minutes(125), "2 h");
        assert_eq!(describe_minutes(4400), "3 days");
    }
}
