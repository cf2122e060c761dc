//! `claude-session pause`.

use super::read_text_arg;
use crate::cli::PauseArgs;
use crate::env::Env;
use crate::error::Result;
use crate::ops::pause::{PauseRequest, pause, preview};

pub fn run(env: &Env, args: &PauseArgs, out: &mut super::Printer) -> Result<()> {
    let summary = match &args.summary_file {
        Some(path) => Some(read_text_arg(env, path)?),
        None => None,
    };
    if args.dry_run {
        let session = crate::cli::session_of(&args.id, &args.session_flag);
        return out.outcome(&preview(env, session.as_deref())?);
    }
    let outcome = pause(
        env,
        &PauseRequest {
            session: crate::cli::session_of(&args.id, &args.session_flag),
            claude_session: args.claude_session.clone(),
            summary,
            note: args.note.clone(),
            wip_commit: args.wip_commit,
            handoff: args.handoff,
            full: args.full,
        },
    )?;
    let id = outcome.session_id.clone();
    out.outcome_then_sync(env, outcome, &id, args.sync)
}
