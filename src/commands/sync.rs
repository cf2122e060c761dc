//! `claude-session sync push|pull|status`.

use crate::cli::SyncCommand;
use crate::env::Env;
use crate::error::{Error, Result};
use crate::ops::sync::{PushRequest, pull, push, status};

pub fn run(env: &Env, command: &SyncCommand, out: &mut super::Printer) -> Result<()> {
    match command {
        SyncCommand::Push(args) => {
            let outcome = push(
                env,
                &PushRequest {
                    session: args.id.clone(),
                },
            )?;
            // Nothing or not everything reached the remote: one line, exit 1 (the records
            // stay committed locally and `sync status` lists them).
            match outcome.failure() {
                Some(line) => Err(Error::Git {
                    detail: line,
                    place: outcome.remote,
                }),
                None => out.outcome(&outcome),
            }
        }
        SyncCommand::Pull => out.outcome(&pull(env)?),
        SyncCommand::Status => out.outcome(&status(env)?),
    }
}
