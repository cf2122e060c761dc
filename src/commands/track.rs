//! `claude-session track FILE`: one append to the session's journal, O(1) and lock-free.

use super::{emit, pick_open};
use crate::cli::{TrackAction, TrackArgs};
use crate::context::Context;
use crate::error::{Error, Result};
use crate::git;
use crate::registry;
use crate::session::{Action, Event};
use std::io::Write;

pub fn run(ctx: &Context, args: &TrackArgs, out: &mut dyn Write) -> Result<()> {
    let project = ctx.project()?;
    let ws = pick_open(ctx, &project, args.session.as_deref())?;
    if ws.archived {
        return Err(Error::invalid(
            "the session has ended; start a new one",
            &ws.id,
        ));
    }
    let relative = project.relative(&ctx.absolute(&args.file));
    let action = match args.action {
        Some(TrackAction::Created) => Action::Created,
        Some(TrackAction::Modified) => Action::Modified,
        None if git::is_tracked(&project.path, &relative) => Action::Modified,
        None => Action::Created,
    };
    registry::record(
        &ws,
        &Event::Artifact {
            at: ctx.now()?,
            path: relative.clone(),
            action,
        },
    )?;
    let word = match action {
        Action::Created => "created",
        Action::Modified => "modified",
    };
    emit(
        out,
        &format!("✅ Tracked: {relative} ({word}) in {}\n", ws.id),
    )
}
