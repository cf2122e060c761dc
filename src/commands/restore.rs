//! `claude-session restore checkpoint|backup`: brings files back from a checkpoint (into a new
//! folder, or into the project with `--in-place`) or from a session's ZIP backup.

use crate::cli::{RestoreArgs, RestoreWhat};
use crate::env::Env;
use crate::error::Result;
use crate::ops::restore::{
    RestoreBackupRequest, RestoreCheckpointRequest, restore_backup, restore_checkpoint,
};

pub fn run(env: &Env, args: &RestoreArgs, out: &mut super::Printer) -> Result<()> {
    match &args.what {
        RestoreWhat::Checkpoint(args) => {
            let request = RestoreCheckpointRequest {
                session: args.session.clone(),
                checkpoint: args.checkpoint.clone(),
                to: args.to.clone(),
                in_place: args.in_place,
                dry_run: args.dry_run,
                force: args.force,
            };
            out.outcome(&restore_checkpoint(env, &request)?)
        }
        RestoreWhat::Backup(args) => {
            let request = RestoreBackupRequest {
                session: args.session.clone(),
                to: args.to.clone(),
                force: args.force,
            };
            out.outcome(&restore_backup(env, &request)?)
        }
    }
}
