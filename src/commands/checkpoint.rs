//! `claude-session checkpoint [DESCRIPTION] [--files F...]`: a checkpoint of the session's files.
//! `--auto` (hidden, spawned detached by the Stop hook) takes one only when it is due.

use crate::cli::CheckpointArgs;
use crate::env::Env;
use crate::error::Result;
use crate::hooklog;
use crate::ops::checkpoint::{
    AutoCheckpointRequest, CheckpointRequest, auto_checkpoint, checkpoint,
};

pub fn run(env: &Env, args: &CheckpointArgs, out: &mut super::Printer) -> Result<()> {
    if args.auto {
        let request = AutoCheckpointRequest {
            session: args.session.clone(),
        };
        return match auto_checkpoint(env, &request) {
            Ok(outcome) => out.outcome(&outcome),
            // Spawned detached with no stdio: the hook log is where a failure can be seen.
            Err(e) => {
                let line = format!(
                    "{} checkpoint --auto error: {}",
                    crate::clock::now_for_log(),
                    e.one_line()
                );
                let rotation = hooklog::Rotation::from_config(env.config());
                let _ = hooklog::append(&env.layout, rotation, &line);
                Err(e)
            }
        };
    }
    let request = CheckpointRequest {
        description: args.description.join(" "),
        files: args.files.clone(),
        session: args.session.clone(),
    };
    out.outcome(&checkpoint(env, &request)?)
}
