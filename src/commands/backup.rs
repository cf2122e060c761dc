//! `claude-session backup daily|milestone NAME|prune`: whole-project backups.

use crate::cli::{BackupArgs, BackupWhat};
use crate::env::Env;
use crate::error::Result;
use crate::ops::backup::{self, MilestoneRequest, PruneRequest};

pub fn run(env: &Env, args: &BackupArgs, out: &mut super::Printer) -> Result<()> {
    match &args.what {
        BackupWhat::Daily => out.outcome(&backup::daily(env)?),
        BackupWhat::Milestone(args) => {
            let request = MilestoneRequest {
                name: args.name.join(" "),
            };
            out.outcome(&backup::milestone(env, &request)?)
        }
        BackupWhat::Prune(args) => {
            let request = PruneRequest {
                keep_daily: args.keep_daily,
            };
            out.outcome(&backup::prune(env, &request)?)
        }
    }
}
