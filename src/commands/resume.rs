//! `claude-session resume`.

use crate::cli::ResumeArgs;
use crate::env::Env;
use crate::error::Result;
use crate::ops::resume::{OnMismatch, ResumeRequest, resume};

pub fn run(env: &Env, args: &ResumeArgs, out: &mut super::Printer) -> Result<()> {
    let on_mismatch = if args.switch_branch {
        OnMismatch::Switch
    } else if args.stay {
        OnMismatch::Stay
    } else {
        OnMismatch::Ask
    };
    out.outcome(&resume(
        env,
        &ResumeRequest {
            session: crate::cli::session_of(&args.id, &args.session_flag),
            on_mismatch,
            claude_session: args.claude_session.clone(),
        },
    )?)
}
