//! `stop` (Stop, the end of every turn): folds what the hooks appended into `session.yaml` and
//! refreshes the session's line in `index.json` (the prompt hook reads checkpoint times there).

use super::route::{self, Target};
use super::wire::Payload;
use super::{Env, Outcome, expect_event};
use crate::error::{Error, Result};
use crate::paths::Project;
use crate::registry::{self, Workspace};
use crate::session::SessionDoc;
use crate::{clock, detach, snapshot};
use std::ffi::OsStr;

pub fn stop(env: &Env, payload: &Payload) -> Result<Outcome> {
    if let Some(ignored) = expect_event("stop", payload, "Stop") {
        return Ok(ignored);
    }
    let mut routed = route::route(env, payload)?;
    if let (Target::Inbox(claude_id), Some(transcript)) =
        (&routed.target, payload.transcript_path.as_deref())
        && registry::fork_pending(&routed.project, claude_id)
        && let Some(ws) = join_parent_session(env, &routed.project, claude_id, transcript)?
    {
        routed.target = Target::Session(ws);
    }
    let Target::Session(ws) = &routed.target else {
        return Ok(Outcome::quiet());
    };
    // A fork bound meanwhile (or by a join killed before it cleared its mark) looks no more.
    if let Some(claude_id) = &routed.claude_id
        && registry::fork_pending(&routed.project, claude_id)
    {
        registry::clear_fork(&routed.project, claude_id)?;
    }
    let wait = env.hook_wait();
    // Events that waited in this conversation's inbox (no session could be told apart when
    // they happened) belong to the session it records into now.
    if let Some(claude_id) = &routed.claude_id {
        registry::adopt_inbox(&routed.project, claude_id, ws)?;
    }
    let doc = match registry::lock_project(&routed.project, wait) {
        Ok(_lock) => {
            let doc = registry::load(ws, wait)?;
            registry::refresh_index_entry(&routed.project, ws, &doc, wait)?;
            doc
        }
        // A command holds the project (ending, pausing): fold anyway, the index is its job.
        Err(Error::Busy { .. }) => registry::load(ws, wait)?,
        Err(e) => return Err(e),
    };
    trigger_auto_checkpoint_if_due(env, &routed.project, ws, &doc)?;
    Ok(Outcome::quiet())
}

/// A fork joins the session of the conversation it was forked from: the one whose transcript
/// starts with the same user message (a fork's transcript begins with copies of its parent's
/// lines; it does not exist yet at SessionStart). Every conversation with that first message
/// must be bound to one and the same open session; otherwise the fork stays unbound (its
/// records wait in the inbox for /start or /resume) and stops looking.
fn join_parent_session(
    env: &Env,
    project: &Project,
    claude_id: &str,
    transcript: &str,
) -> Result<Option<Workspace>> {
    let own = std::path::Path::new(transcript);
    let Some(first) = crate::transcript::first_user_uuid(own) else {
        return Ok(None); // nothing written yet: look again at the next turn
    };
    let folder = own.parent().unwrap_or(std::path::Path::new("."));
    let mut sessions: Vec<String> = registry::bindings(project)?
        .into_iter()
        .filter(|(other, _)| other != claude_id)
        .filter(|(other, _)| {
            crate::transcript::first_user_uuid(&folder.join(format!("{other}.jsonl"))).as_deref()
                == Some(first.as_str())
        })
        .map(|(_, session)| session)
        .collect();
    sessions.sort();
    sessions.dedup();
    let parent = match sessions.as_slice() {
        [only] => route::active_workspace(project, only),
        _ => None,
    };
    if let Some(ws) = &parent {
        let _lock = registry::lock_project(project, env.hook_wait())?;
        crate::ops::bind::bind(
            env,
            project,
            ws,
            &crate::ops::bind::BindRequest {
                claude_session: claude_id.to_string(),
                source: "fork".to_string(),
                transcript_path: Some(transcript.to_string()),
            },
        )?;
    }
    registry::clear_fork(project, claude_id)?;
    Ok(parent)
}

/// Automatic checkpoints: when one is due (`checkpoints.auto_minutes` of activity since the last
/// checkpoint or the start), `claude-session checkpoint --auto` runs detached so the turn never
/// waits for the copy; it re-checks under its own lock, so a spurious spawn is harmless.
pub fn trigger_auto_checkpoint_if_due(
    env: &Env,
    project: &Project,
    ws: &Workspace,
    doc: &SessionDoc,
) -> Result<()> {
    let minutes = i64::from(env.config().checkpoints.auto_minutes);
    if !snapshot::auto_checkpoint_due(doc, clock::now()?, minutes) {
        return Ok(());
    }
    let program = detach::current_program()?;
    let args: [&OsStr; 6] = [
        OsStr::new("--project"),
        project.path.as_os_str(),
        OsStr::new("checkpoint"),
        OsStr::new("--auto"),
        OsStr::new("--session"),
        OsStr::new(&ws.id),
    ];
    detach::spawn(&program, &args).map(|_| ())
}
