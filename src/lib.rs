//! claude-session: keeps a Claude Code session's thread under `~/.claude` so it is never lost.

pub mod archive;
pub mod cli;
pub mod clock;
pub mod commands;
pub mod config;
pub mod context;
pub mod context_file;
pub mod detach;
pub mod error;
pub mod git;
pub mod hook;
pub mod hooklog;
pub mod paths;
pub mod pause_state;
pub mod registry;
pub mod remind;
pub mod report;
pub mod session;
pub mod store;
pub mod templates;
pub mod transcript;

pub use error::{Error, Result};

use cli::{Cli, Command};
use context::Context;
use std::io::Write;

/// Runs one parsed command line, writing its report to `out`.
pub fn run(cli: Cli, out: &mut dyn Write) -> Result<()> {
    // Hooks exit 0 whatever happens, so they must not fail on the context below.
    if let Command::Hook(args) = &cli.command {
        commands::hook::run(args, out);
        return Ok(());
    }
    let ctx = Context::new(cli.project.as_deref())?;
    match &cli.command {
        Command::Start(args) => commands::start::run(&ctx, args, out),
        Command::Track(args) => commands::track::run(&ctx, args, out),
        Command::Status(args) => commands::status::run(&ctx, args, out),
        Command::List(args) => commands::list::run(&ctx, args, out),
        Command::Show(args) => commands::show::run(&ctx, args, out),
        Command::End(args) => commands::end::run(&ctx, args, out),
        Command::Config(args) => commands::config::run(&ctx, args, out),
        Command::Hook(_) => Ok(()),
        Command::Remind(args) => commands::remind::run(&ctx, args, out),
    }
}
