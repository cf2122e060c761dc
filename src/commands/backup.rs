//! `claude-session backup daily|milestone NAME|prune`: whole-project backups.

use crate::cli::{BackupArgs, BackupWhat};
use crate::env::Env;
use crate::error::Result;
use crate::ops::backup::{self, BackupStart, MilestoneRequest, PruneRequest};
use crate::render::Human;

/// The size of what is about to be written, on stderr (the report stays alone on stdout).
fn announce(start: &BackupStart) {
    eprint!("{}", start.human());
}

pub fn run(env: &Env, args: &BackupArgs, out: &mut super::Printer) -> Result<()> {
    match &args.what {
        BackupWhat::Daily => out.outcome(&backup::daily(env, &mut announce)?),
        BackupWhat::Milestone(args) => {
            let request = MilestoneRequest {
                name: args.name.join(" "),
            };
            out.outcome(&backup::milestone(env, &request, &mut announce)?)
        }
        BackupWhat::Prune(args) => {
            let request = PruneRequest {
                keep_daily: args.keep_daily,
            };
            out.outcome(&backup::prune(env, &request)?)
        }
    }
}
