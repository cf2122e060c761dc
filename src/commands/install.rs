//! `claude-session install [--dry-run] [--force] [--scope user|project]`.

use crate::cli::{InstallArgs, Scope as CliScope};
use crate::env::Env;
use crate::error::Result;
use crate::ops::install::{InstallRequest, Scope, install};

pub fn run(env: &Env, args: &InstallArgs, out: &mut super::Printer) -> Result<()> {
    let request = InstallRequest {
        scope: match args.scope {
            CliScope::User => Scope::User,
            CliScope::Project => Scope::Project,
        },
        dry_run: args.dry_run,
        force: args.force,
    };
    out.outcome(&install(env, &request)?)
}
