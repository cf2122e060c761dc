//! `claude-session start`.

use crate::cli::StartArgs;
use crate::env::Env;
use crate::error::Result;
use crate::ops::start::{StartRequest, plan, start};

pub fn run(env: &Env, args: &StartArgs, out: &mut super::Printer) -> Result<()> {
    if args.dry_run {
        return out.outcome(&plan(env, args.new)?);
    }
    out.outcome(&start(
        env,
        &StartRequest {
            focus: args.focus.join(" "),
            agent: args.agent.clone(),
            claude_session: args.claude_session.clone(),
            new: args.new,
            metadata: None,
        },
    )?)
}
