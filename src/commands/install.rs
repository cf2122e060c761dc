//! `claude-session install [--dry-run] [--force] [--scope user|project] [--mcp]
//! [--statusline[=set|wrap]]`.

use crate::cli::{InstallArgs, Scope as CliScope, StatuslineMode as CliMode};
use crate::env::Env;
use crate::error::Result;
use crate::ops::install::{InstallRequest, Scope, install};
use crate::ops::register::StatuslineMode;

pub fn run(env: &Env, args: &InstallArgs, out: &mut super::Printer) -> Result<()> {
    let request = InstallRequest {
        scope: match args.scope {
            CliScope::User => Scope::User,
            CliScope::Project => Scope::Project,
        },
        dry_run: args.dry_run,
        force: args.force,
        mcp: args.mcp,
        statusline: args.statusline.map(|mode| match mode {
            CliMode::Set => StatuslineMode::Set,
            CliMode::Wrap => StatuslineMode::Wrap,
        }),
    };
    out.outcome(&install(env, &request)?)
}
