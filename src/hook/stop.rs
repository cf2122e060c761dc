//! `stop` (Stop, the end of every turn): folds what the hooks appended into `session.yaml` and
//! refreshes the session's line in `index.json` (the prompt hook reads checkpoint times there).

use super::route::{self, Target};
use super::wire::Payload;
use super::{HookEnv, Outcome, expect_event};
use crate::error::{Error, Result};
use crate::paths::Project;
use crate::registry::{self, Workspace};
use crate::session::SessionDoc;
use std::time::Duration;

pub fn stop(env: &HookEnv, payload: &Payload) -> Result<Outcome> {
    if let Some(ignored) = expect_event("stop", payload, "Stop") {
        return Ok(ignored);
    }
    let routed = route::route(env, payload)?;
    let Target::Session(ws) = &routed.target else {
        return Ok(Outcome::quiet());
    };
    let wait = env.hook_wait();
    let doc = match registry::lock_project(&routed.project, wait) {
        Ok(_lock) => {
            let doc = registry::load(ws, wait)?;
            refresh_index(&routed.project, ws, &doc, wait)?;
            doc
        }
        // A command holds the project (ending, pausing): fold anyway, the index is its job.
        Err(Error::Busy { .. }) => registry::load(ws, wait)?,
        Err(e) => return Err(e),
    };
    trigger_auto_checkpoint_if_due(env, &routed.project, ws, &doc);
    Ok(Outcome::quiet())
}

/// Rewrites the session's index entry when the document says something else; the caller holds
/// the project lock, so no command changes the session's status meanwhile.
fn refresh_index(
    project: &Project,
    ws: &Workspace,
    doc: &SessionDoc,
    wait: Duration,
) -> Result<()> {
    if !ws.dir.is_dir() {
        return Ok(());
    }
    let fresh = registry::index_entry(doc);
    let index = registry::read_index(project, wait)?;
    if index.sessions.get(&ws.id) == Some(&fresh) {
        return Ok(());
    }
    registry::set_index(project, &ws.id, Some(fresh), wait)
}

/// The place for automatic checkpoints (the recovery work): when one is due (e.g. after
/// `checkpoints.auto_minutes` of activity since `doc.journal.last_checkpoint_at`), spawn
/// `claude-session checkpoint --auto` detached (`crate::detach::spawn`) so the turn never waits.
/// Not implemented yet: it does nothing.
pub fn trigger_auto_checkpoint_if_due(
    _env: &HookEnv,
    _project: &Project,
    _ws: &Workspace,
    _doc: &SessionDoc,
) {
}
