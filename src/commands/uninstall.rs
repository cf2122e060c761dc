//! `claude-session uninstall [--dry-run] [--scope user|project]`.

use crate::cli::{Scope as CliScope, UninstallArgs};
use crate::env::Env;
use crate::error::Result;
use crate::ops::install::{Scope, UninstallRequest, uninstall};

pub fn run(env: &Env, args: &UninstallArgs, out: &mut super::Printer) -> Result<()> {
    let request = UninstallRequest {
        scope: match args.scope {
            CliScope::User => Scope::User,
            CliScope::Project => Scope::Project,
        },
        dry_run: args.dry_run,
    };
    out.outcome(&uninstall(env, &request)?)
}
