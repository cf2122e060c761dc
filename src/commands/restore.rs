//! `claude-session restore checkpoint|backup|daily|milestone`: brings files back from a
//! checkpoint (into a new folder, or into the project with `--in-place`), from a session's ZIP
//! backup, or from a daily or milestone backup.

use crate::cli::{RestoreArgs, RestoreWhat};
use crate::env::Env;
use crate::error::Result;
use crate::ops::restore::{
    FolderKind, RestoreBackupRequest, RestoreCheckpointRequest, RestoreFolderBackupRequest,
    restore_backup, restore_checkpoint, restore_folder_backup,
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
        RestoreWhat::Daily(args) => {
            let request = RestoreFolderBackupRequest {
                kind: FolderKind::Daily,
                name: args.date.clone(),
                to: args.to.clone(),
                force: args.force,
            };
            out.outcome(&restore_folder_backup(env, &request)?)
        }
        RestoreWhat::Milestone(args) => {
            let request = RestoreFolderBackupRequest {
                kind: FolderKind::Milestone,
                name: args.name.clone(),
                to: args.to.clone(),
                force: args.force,
            };
            out.outcome(&restore_folder_backup(env, &request)?)
        }
    }
}
