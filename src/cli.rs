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
    /// Snapshot the session's files (its artifacts and what git sees changed) into a checkpoint.
    Checkpoint(CheckpointArgs),
    /// List a session's checkpoints.
    Checkpoints(CheckpointsArgs),
    /// Restore a checkpoint or a session backup.
    Restore(RestoreArgs),
    /// Daily and milestone backups of the project, and pruning old daily ones.
    Backup(BackupArgs),
    /// List the project's session, daily and milestone backups.
    Backups(BackupsArgs),
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
pub struct CheckpointArgs {
    /// What this checkpoint marks.
    pub description: Vec<String>,
    /// Snapshot these files or folders instead of the default set.
    #[arg(long, num_args = 1.., value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// Session id or unique prefix (default: the project's open session).
    #[arg(long, value_name = "ID")]
    pub session: Option<String>,
    /// Only when due (`checkpoints.auto_minutes` of activity since the last one); else silent.
    #[arg(long, hide = true)]
    pub auto: bool,
}

#[derive(Debug, Args)]
pub struct CheckpointsArgs {
    /// Session id or unique prefix (default: the project's open session).
    pub session: Option<String>,
    /// Machine-readable output.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct RestoreArgs {
    #[command(subcommand)]
    pub what: RestoreWhat,
}

#[derive(Debug, Subcommand)]
pub enum RestoreWhat {
    /// Restore a checkpoint's files: into a new folder (default), or into the project.
    Checkpoint(RestoreCheckpointArgs),
    /// Unpack a session's ZIP backup into a new folder.
    Backup(RestoreBackupArgs),
}

#[derive(Debug, Args)]
pub struct RestoreCheckpointArgs {
    /// Session id or unique prefix.
    pub session: String,
    /// Checkpoint id, unique prefix or number.
    pub checkpoint: String,
    /// Restore into this folder (default: sessions/active/<session>-<checkpoint>-restored/).
    #[arg(long, value_name = "DIR", conflicts_with = "in_place")]
    pub to: Option<PathBuf>,
    /// Put the files back into the project (after a safety checkpoint of what they replace).
    #[arg(long)]
    pub in_place: bool,
    /// Show what would change and stop.
    #[arg(long)]
    pub dry_run: bool,
    /// Write into an existing target folder instead of choosing a new name.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct RestoreBackupArgs {
    /// Session id or unique prefix (of a backup in backups/sessions/).
    pub session: String,
    /// Restore into this folder (default: sessions/active/<session>-restored/).
    #[arg(long, value_name = "DIR")]
    pub to: Option<PathBuf>,
    /// Write into an existing target folder instead of choosing a new name.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct BackupArgs {
    #[command(subcommand)]
    pub what: BackupWhat,
}

#[derive(Debug, Subcommand)]
pub enum BackupWhat {
    /// Back up the project's files and sessions into backups/daily/<date>/.
    Daily,
    /// Back up the project's files and sessions into backups/milestones/<name>/.
    Milestone(MilestoneArgs),
    /// Delete the oldest daily backups beyond the newest N days (milestones are never pruned).
    Prune(PruneArgs),
}

#[derive(Debug, Args)]
pub struct MilestoneArgs {
    /// The milestone's name, e.g. v1.0-release.
    pub name: Vec<String>,
}

#[derive(Debug, Args)]
pub struct PruneArgs {
    /// Days of daily backups to keep (default: config backups.keep_daily).
    #[arg(long, value_name = "N")]
    pub keep_daily: Option<u32>,
}

#[derive(Debug, Args)]
pub struct BackupsArgs {
    /// Machine-readable output.
    #[arg(long)]
    pub json: bool,
}
