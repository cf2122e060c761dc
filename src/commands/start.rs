//! `claude-session start`.

use super::read_text_arg;
use crate::cli::StartArgs;
use crate::env::Env;
use crate::error::Result;
use crate::ops::start::{StartRequest, plan, start};

pub fn run(env: &Env, args: &StartArgs, out: &mut super::Printer) -> Result<()> {
    if args.dry_run {
        return out.outcome(&plan(env, args.new)?);
    }
    let mut objectives: Vec<String> = args
        .plan
        .iter()
        .map(|o| o.trim().to_string())
        .filter(|o| !o.is_empty())
        .collect();
    if let Some(path) = &args.plan_file {
        objectives.extend(crate::documents::parse_objectives(&read_text_arg(
            env, path,
        )?));
    }
    out.outcome(&start(
        env,
        &StartRequest {
            focus: args.focus.join(" "),
            agent: args.agent.clone(),
            claude_session: args.claude_session.clone(),
            new: args.new,
            metadata: None,
            objectives,
        },
    )?)
}
