//! `claude-session end`.

use super::read_text_arg;
use crate::cli::EndArgs;
use crate::env::Env;
use crate::error::Result;
use crate::ops::end::{EndRequest, end, preview};

pub fn run(env: &Env, args: &EndArgs, out: &mut super::Printer) -> Result<()> {
    let mut request = EndRequest {
        session: crate::cli::session_of(&args.id, &args.session_flag),
        claude_session: args.claude_session.clone(),
        score: args.score,
        summary: None,
        no_backup: args.no_backup,
        push: args.push,
        handoff: args.handoff,
    };
    if args.dry_run {
        return out.outcome(&preview(env, &request)?);
    }
    if let Some(path) = &args.summary_file {
        request.summary = Some(read_text_arg(env, path)?);
    }
    let outcome = end(env, &request)?;
    if args.sync {
        let sync = crate::ops::sync::after(env, &outcome.session_id);
        return out.outcome(&crate::ops::sync::WithSync {
            inner: outcome,
            sync,
        });
    }
    out.outcome(&outcome)
}
