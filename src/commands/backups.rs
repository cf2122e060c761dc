//! `claude-session backups`: every session, daily and milestone backup of the project, and the
//! folders restores made, with size and date.

use crate::cli::BackupsArgs;
use crate::env::Env;
use crate::error::Result;
use crate::ops::backup;

pub fn run(env: &Env, _args: &BackupsArgs, out: &mut super::Printer) -> Result<()> {
    out.outcome(&backup::list(env)?)
}
