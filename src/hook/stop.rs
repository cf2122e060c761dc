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
    let routed = route::route(env, payload)?;
    let Target::Session(ws) = &routed.target else {
        return Ok(Outcome::quiet());
    };
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
