//! claude-session: keeps a Claude Code session's thread under `~/.claude` so it is never lost.

#[cfg(test)]
mod architecture_tests;
pub(crate) mod archive;
pub mod cli;
pub(crate) mod clipboard;
pub(crate) mod clock;
pub(crate) mod commands;
pub(crate) mod config;
pub(crate) mod context_file;
pub(crate) mod detach;
pub(crate) mod documents;
pub(crate) mod embedded;
pub(crate) mod env;
pub mod error;
pub(crate) mod fault;
pub(crate) mod git;
pub(crate) mod handoff;
pub(crate) mod handoff_op;
pub mod hook;
pub(crate) mod hooklog;
pub(crate) mod leftovers;
// Contract first: the callers land with issue 15's work.
pub mod mcp;
pub(crate) mod memory;
pub(crate) mod net;
pub(crate) mod ops;
pub mod paths;
pub(crate) mod pause_state;
pub(crate) mod process;
pub(crate) mod progress;
pub mod redact;
pub(crate) mod registry;
pub(crate) mod remind;
pub(crate) mod render;
pub(crate) mod session;
pub(crate) mod settings;
pub(crate) mod snapshot;
pub mod statusline;
pub(crate) mod store;
pub mod surface;
pub(crate) mod tasks;
pub(crate) mod templates;
pub mod transcript;

pub use error::{Error, Result};

use cli::{Cli, Command};
use env::Env;
use std::io::Write;

/// Set to 1 for the same effect as `--soft-fail`.
pub const SOFT_FAIL_ENV: &str = "CLAUDE_SESSION_SOFT_FAIL";

/// Runs one parsed command line, writing its outcome to `out`. With `--soft-fail` an error is
/// written to `out` as a readable line and the run counts as a success; with `--json` an error
/// is a JSON document on `out` (and the run still fails).
pub fn run(cli: Cli, out: &mut dyn Write) -> Result<()> {
    if cli.plugin {
        surface::set(surface::Surface::Plugin);
    }
    let soft = cli.soft_fail || std::env::var(SOFT_FAIL_ENV).is_ok_and(|v| v == "1");
    // Hooks exit 0 whatever happens and print only what Claude Code reads.
    if let Command::Hook(args) = &cli.command {
        commands::hook::run(args, out);
        return Ok(());
    }
    // The status line prints one line or nothing, and exits 0 whatever happens.
    if let Command::Statusline(args) = &cli.command {
        commands::statusline::run(cli.project.as_deref(), args, cli.json, out);
        return Ok(());
    }
    // The MCP server speaks JSON-RPC on stdout: errors are its replies, never a printed line.
    if let Command::Mcp(args) = &cli.command {
        return commands::mcp::run(cli.project.as_deref(), args, out);
    }
    let mut printer = commands::Printer::new(out, cli.json, cli.command.name());
    match dispatch(&cli, &mut printer) {
        // Already printed as its outcome (doctor's problems): only the exit status is left.
        Err(Error::Reported(e)) => {
            if soft {
                Ok(())
            } else {
                Err(Error::Reported(e))
            }
        }
        Err(e) if printer.json() => {
            printer.error(&e)?;
            if soft {
                Ok(())
            } else {
                Err(Error::Reported(Box::new(e)))
            }
        }
        Err(e) if soft => commands::emit(
            printer.raw(),
            &format!("⚠️ claude-session could not do this: {}\n", e.one_line()),
        ),
        other => other,
    }
}

fn dispatch(cli: &Cli, out: &mut commands::Printer) -> Result<()> {
    let mut ctx = Env::for_command(cli.project.as_deref())?;
    ctx.command = cli.command.name();
    match &cli.command {
        Command::Start(args) => commands::start::run(&ctx, args, out),
        Command::Track(args) => commands::track::run(&ctx, args, out),
        Command::Status(args) => commands::status::run(&ctx, args, out),
        Command::List(args) => commands::list::run(&ctx, args, out),
        Command::Show(args) => commands::show::run(&ctx, args, out),
        Command::End(args) => commands::end::run(&ctx, args, out),
        Command::Config(args) => commands::config::run(&ctx, args, out),
        Command::Pause(args) => commands::pause::run(&ctx, args, out),
        Command::Resume(args) => commands::resume::run(&ctx, args, out),
        Command::Handoff(command) => commands::handoff::run(&ctx, command, out),
        Command::Install(args) => commands::install::run(&ctx, args, out),
        Command::Uninstall(args) => commands::uninstall::run(&ctx, args, out),
        Command::Doctor(args) => commands::doctor::run(&ctx, args, out),
        Command::Checkpoint(args) => commands::checkpoint::run(&ctx, args, out),
        Command::Checkpoints(args) => commands::checkpoints::run(&ctx, args, out),
        Command::Restore(args) => commands::restore::run(&ctx, args, out),
        Command::Backup(args) => commands::backup::run(&ctx, args, out),
        Command::Backups(args) => commands::backups::run(&ctx, args, out),
        Command::Hook(_) | Command::Statusline(_) | Command::Mcp(_) => Ok(()),
        Command::Remind(args) => commands::remind::run(&ctx, args, out),
        Command::Sync(command) => commands::sync::run(&ctx, command, out),
        Command::Tracker(command) => commands::tracker::run(&ctx, command, out),
        Command::Tasks(args) => commands::tasks::run(&ctx, args, out),
        Command::Memory(command) => commands::memory::run(&ctx, command, out),
    }
}
