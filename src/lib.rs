//! claude-session: keeps a Claude Code session's thread under `~/.claude` so it is never lost.

pub mod archive;
pub mod cli;
pub mod clock;
pub mod commands;
pub mod config;
pub mod context;
pub mod context_file;
pub mod error;
pub mod git;
pub mod paths;
pub mod pause_state;
pub mod progress;
pub mod registry;
pub mod report;
pub mod session;
pub mod snapshot;
pub mod store;
pub mod templates;

pub use error::{Error, Result};

use cli::{Cli, Command};
use context::Context;
use std::io::Write;

/// Runs one parsed command line, writing its report to `out`.
pub fn run(cli: Cli, out: &mut dyn Write) -> Result<()> {
    let ctx = Context::new(cli.project.as_deref())?;
    match &cli.command {
        Command::Start(args) => commands::start::run(&ctx, args, out),
        Command::Track(args) => commands::track::run(&ctx, args, out),
        Command::Status(args) => commands::status::run(&ctx, args, out),
        Command::List(args) => commands::list::run(&ctx, args, out),
        Command::Show(args) => commands::show::run(&ctx, args, out),
        Command::End(args) => commands::end::run(&ctx, args, out),
        Command::Config(args) => commands::config::run(&ctx, args, out),
        Command::Checkpoint(args) => commands::checkpoint::run(&ctx, args, out),
        Command::Checkpoints(args) => commands::checkpoints::run(&ctx, args, out),
        Command::Restore(args) => commands::restore::run(&ctx, args, out),
        Command::Backup(args) => commands::backup::run(&ctx, args, out),
        Command::Backups(args) => commands::backups::run(&ctx, args, out),
    }
}
