//! The command line, as clap sees it.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "claude-session",
    version,
    about = "Makes Claude Code sessions unlosable: workspaces, pause/resume, checkpoints, backups."
)]
pub struct Cli {
    /// Act on the project holding this directory (default: the current directory).
    #[arg(long, global = true, value_name = "DIR")]
    pub project: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start a session: creates its workspace and announces it.
    Start(StartArgs),
    /// Record a file the session created or modified.
    Track(TrackArgs),
    /// The current project's open sessions, with live metrics.
    Status(StatusArgs),
    /// List the project's sessions.
    List(ListArgs),
    /// Show one session in full.
    Show(ShowArgs),
    /// End a session: metrics, score, summary, archive and backup.
    End(EndArgs),
    /// Print the effective settings and where each came from.
    Config(ConfigArgs),
    /// Run a Claude Code hook (reads the event JSON on stdin; always exits 0).
    Hook(HookArgs),
    /// Checkpoint reminders in Claude Code: show, turn on or off, or set the interval.
    Remind(RemindArgs),
}

#[derive(Debug, Args)]
pub struct StartArgs {
    /// What the session is about.
    pub focus: Vec<String>,
    /// The agent doing the work.
    #[arg(long, default_value = "claude")]
    pub agent: String,
    /// Bind this Claude Code session id to the new session.
    #[arg(long, value_name = "ID")]
    pub claude_session: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TrackAction {
    Created,
    Modified,
}

#[derive(Debug, Args)]
pub struct TrackArgs {
    /// The file, relative to the current directory or absolute.
    pub file: PathBuf,
    /// Default: created when git does not track the file, else modified.
    #[arg(long, value_enum)]
    pub action: Option<TrackAction>,
    /// Session id or unique prefix (default: the project's open session).
    #[arg(long, value_name = "ID")]
    pub session: Option<String>,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Machine-readable output.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only archived (completed) sessions.
    #[arg(long, conflicts_with = "all")]
    pub archived: bool,
    /// Open and archived sessions.
    #[arg(long)]
    pub all: bool,
    /// Machine-readable output.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Session id or unique prefix.
    pub id: String,
    /// Machine-readable output.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct EndArgs {
    /// Session id or unique prefix (default: the project's open session).
    pub id: Option<String>,
    /// RULEMAP score, 0 to 10.
    #[arg(long)]
    pub score: Option<f64>,
    /// The session summary: a markdown file, or - for standard input.
    #[arg(long, value_name = "FILE")]
    pub summary_file: Option<PathBuf>,
    /// Do not write the ZIP backup.
    #[arg(long)]
    pub no_backup: bool,
}

#[derive(Debug, Args)]
pub struct ConfigArgs {
    /// Machine-readable output.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct HookArgs {
    /// post-edit, pre-task, post-task, session-start, session-end, pre-compact, prompt or stop.
    pub name: String,
    /// Used by hidden modes only.
    #[arg(hide = true, trailing_var_arg = true, allow_hyphen_values = true)]
    pub rest: Vec<String>,
}

#[derive(Debug, Args)]
pub struct RemindArgs {
    #[command(subcommand)]
    pub action: Option<RemindAction>,
}

#[derive(Debug, Subcommand)]
pub enum RemindAction {
    /// Remind at the current interval (default `remind.default_minutes`).
    On,
    /// Stop reminding.
    Off,
    /// Remind after this many minutes without a checkpoint (turns reminders on).
    Every {
        #[arg(value_parser = clap::value_parser!(u64).range(1..=1440))]
        minutes: u64,
    },
}
