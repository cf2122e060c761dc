//! `claude-session tracker flush | status | retry | run NAME -- COMMAND…`.

use crate::cli::TrackerCommand;
use crate::env::Env;
use crate::error::Result;
use crate::ops::tracker::{self, RunRequest};
use std::time::Duration;

pub fn run(env: &Env, command: &TrackerCommand, out: &mut super::Printer) -> Result<()> {
    match command {
        TrackerCommand::Flush => out.outcome(&tracker::flush(env)?),
        TrackerCommand::Status => out.outcome(&tracker::status(env)?),
        TrackerCommand::Retry => out.outcome(&tracker::retry(env)?),
        TrackerCommand::Run(args) => out.outcome(&tracker::run(
            env,
            &RunRequest {
                name: args.name.clone(),
                command: args.command.clone(),
                timeout: Duration::from_secs(args.timeout),
                session: args.session.clone(),
            },
        )?),
    }
}
