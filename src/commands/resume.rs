//! `claude-session resume`.

use crate::cli::ResumeArgs;
use crate::env::Env;
use crate::error::Result;
use crate::ops::resume::{OnMismatch, ResumeReport, ResumeRequest, picker_hint, resume};

pub fn run(env: &Env, args: &ResumeArgs, out: &mut super::Printer) -> Result<()> {
    let on_mismatch = if args.switch_branch {
        OnMismatch::Switch
    } else if args.stay {
        OnMismatch::Stay
    } else {
        OnMismatch::Ask
    };
    let outcome = resume(
        env,
        &ResumeRequest {
            session: crate::cli::session_of(&args.id, &args.session_flag),
            on_mismatch,
            claude_session: args.claude_session.clone(),
        },
    )?;
    let picker_hint = picker_hint(env, args.claude_session.as_deref())?;
    out.outcome(&ResumeReport {
        outcome,
        picker_hint,
    })
}
