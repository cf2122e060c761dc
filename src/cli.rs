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
    /// Print errors as a readable line on stdout and exit 0 (for `!` lines of slash commands,
    /// which Claude Code aborts on a non-zero exit). Also set by CLAUDE_SESSION_SOFT_FAIL=1.
    #[arg(long, global = true)]
    pub soft_fail: bool,
    /// Print the outcome as one JSON document (with a `version` field); errors too, on stdout.
    #[arg(long, global = true)]
    pub json: bool,
    /// Name slash commands as the plugin offers them (/session-keeper:resume instead of
    /// /resume); the plugin's command files pass it.
    #[arg(long, global = true)]
    pub plugin: bool,
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
    /// Pause the session: context file, pause record, optional WIP commit.
    Pause(PauseArgs),
    /// Resume the paused session: branch check, context, next steps.
    Resume(ResumeArgs),
    /// Hand the work to claude.ai and take its answer back.
    #[command(subcommand)]
    Handoff(HandoffCommand),
    /// Register the hooks and slash commands with Claude Code (settings.json is merged, never clobbered).
    Install(InstallArgs),
    /// Remove our hooks and our unmodified slash command files, and what install created (settings.json, folders) once empty.
    Uninstall(UninstallArgs),
    /// Check the installation: hooks, binary paths, command files, state folder, hook speed.
    Doctor(DoctorArgs),
    /// Snapshot the session's files (its artifacts and what git sees changed) into a checkpoint.
    Checkpoint(CheckpointArgs),
    /// List a session's checkpoints.
    Checkpoints(CheckpointsArgs),
    /// Restore a checkpoint, or a session, daily or milestone backup.
    Restore(RestoreArgs),
    /// Daily and milestone backups of the project, and pruning old daily ones.
    Backup(BackupArgs),
    /// List the project's session, daily and milestone backups, and the folders restores made.
    Backups(BackupsArgs),
    /// Run a Claude Code hook (reads the event JSON on stdin; always exits 0).
    Hook(HookArgs),
    /// Checkpoint reminders in Claude Code: show, turn on or off, or set the interval.
    Remind(RemindArgs),
    /// Run the MCP server (JSON-RPC over stdin/stdout) that gives Claude the session tools.
    Mcp(McpArgs),
    /// Print the status line Claude Code shows (reads its JSON payload on stdin; always exits 0).
    Statusline(StatuslineArgs),
    /// Sync session records through the project's git remote (other clones continue them).
    #[command(subcommand)]
    Sync(SyncCommand),
    /// The Cloud Tracker: send queued session records, list pending and parked ones, record maintenance runs.
    #[command(subcommand)]
    Tracker(TrackerCommand),
    /// The session's task list (Claude Code's task tools): status, agent, minutes, files, metrics.
    Tasks(TasksArgs),
    /// The project's memory (architecture, patterns, decisions, errors) that later sessions start from.
    #[command(subcommand)]
    Memory(MemoryCommand),
}

#[derive(Debug, Args)]
pub struct TasksArgs {
    /// Session id or unique prefix (default: the project's open session).
    #[arg(value_name = "ID")]
    pub id: Option<String>,
    /// The same as the positional ID (every command that acts on one session takes both).
    #[arg(long = "session", value_name = "ID", conflicts_with = "id")]
    pub session_flag: Option<String>,
}

// --- memory (issue 15) ---
#[derive(Debug, Subcommand)]
pub enum MemoryCommand {
    /// Add an entry: KIND is architecture, pattern, decision or error (plural too); TEXT's first line is its title (- reads standard input).
    Add(MemoryAddArgs),
    /// List the entries, of one kind or all.
    List(MemoryListArgs),
    /// Search the entries: ranked by words and tags (tags weigh more than titles, titles more than text).
    Search(MemorySearchArgs),
    /// Move an entry to memory/forgotten.md (nothing is deleted).
    Forget(MemoryForgetArgs),
}

#[derive(Debug, Args)]
pub struct MemoryAddArgs {
    #[arg(value_parser = parse_memory_kind)]
    pub kind: String,
    /// The entry: its first line is the title, the rest its text; several words are joined.
    #[arg(required = true, num_args = 1..)]
    pub text: Vec<String>,
    /// Tags, comma-separated (search weighs them most).
    #[arg(long, value_name = "A,B")]
    pub tags: Vec<String>,
    /// A pattern's approach.
    #[arg(long, value_name = "TEXT")]
    pub approach: Option<String>,
    /// A pattern's outcome.
    #[arg(long, value_name = "TEXT")]
    pub outcome: Option<String>,
    /// A pattern's lesson (repeat for several).
    #[arg(long = "lesson", value_name = "TEXT")]
    pub lessons: Vec<String>,
}

#[derive(Debug, Args)]
pub struct MemoryListArgs {
    /// architecture, pattern, decision or error (plural too); default: all.
    #[arg(value_parser = parse_memory_kind)]
    pub kind: Option<String>,
}

#[derive(Debug, Args)]
pub struct MemorySearchArgs {
    /// Words to look for (several are joined).
    #[arg(required = true, num_args = 1..)]
    pub query: Vec<String>,
    /// How many entries to show at most.
    #[arg(long, value_name = "N", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=10_000))]
    pub limit: u64,
}

#[derive(Debug, Args)]
pub struct MemoryForgetArgs {
    /// The entry's id (or a unique prefix), as `memory list` shows it.
    pub id: String,
}

/// The kind's canonical name (`decisions` → `decision`).
fn parse_memory_kind(text: &str) -> Result<String, String> {
    crate::memory::Kind::parse(text)
        .map(|kind| kind.as_str().to_string())
        .ok_or_else(|| {
            "not a memory kind; give architecture, pattern, decision or error".to_string()
        })
}
// --- end memory ---

#[derive(Debug, Subcommand)]
pub enum TrackerCommand {
    /// Send the queued session records (`end` starts this in the background).
    Flush,
    /// List the records waiting in the outbox and the ones the server refused.
    Status,
    /// Send the refused (parked) records again.
    Retry,
    /// Run a maintenance command (tests, audit, lint) and record it in the session.
    Run(TrackerRunArgs),
}

#[derive(Debug, Args)]
pub struct TrackerRunArgs {
    /// A short name for the run (`tests`, `audit`).
    pub name: String,
    /// Time limit in seconds.
    #[arg(long, default_value_t = 600, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub timeout: u64,
    /// Session id or unique prefix (default: the only open session).
    #[arg(long = "session", value_name = "ID")]
    pub session: Option<String>,
    /// The command and its arguments, after `--`.
    #[arg(last = true, required = true, value_name = "COMMAND")]
    pub command: Vec<String>,
}

// --- sync (issue 14) ---
#[derive(Debug, Subcommand)]
pub enum SyncCommand {
    /// Commit the sessions' records to refs/claude-session/<machine>/<session> and push them.
    Push(SyncPushArgs),
    /// Fetch the remote's records: merge events, import the newest paused session, carry out ends.
    Pull,
    /// What is pushed, what is not, and what other machines pushed (no network).
    Status,
}

#[derive(Debug, Args)]
pub struct SyncPushArgs {
    /// The session (id or prefix); default: every open session and ended ones synced before.
    pub id: Option<String>,
}
// --- end sync ---

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
    /// Start a new session even when one is paused (the paused one stays paused).
    #[arg(long)]
    pub new: bool,
    /// An objective of the session (repeatable): writes the workspace's plan.md.
    #[arg(long = "plan", value_name = "OBJECTIVE")]
    pub plan: Vec<String>,
    /// Objectives from a file (one per line, or a markdown list), or - for standard input.
    #[arg(long, value_name = "FILE")]
    pub plan_file: Option<PathBuf>,
    /// Only say what `start` would do; change nothing.
    #[arg(long)]
    pub dry_run: bool,
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
    /// Accept a file outside the project (checkpoints list it as not copied: they hold the
    /// project's files only).
    #[arg(long)]
    pub outside: bool,
}

#[derive(Debug, Args)]
pub struct StatusArgs {}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only archived (completed) sessions.
    #[arg(long, conflicts_with = "all")]
    pub archived: bool,
    /// Open and archived sessions.
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// Session id, unique prefix, or today's number (`007`).
    #[arg(required_unless_present = "session_flag")]
    pub id: Option<String>,
    /// The same as the positional ID (every command that acts on one session takes both).
    #[arg(long = "session", value_name = "ID", conflicts_with = "id")]
    pub session_flag: Option<String>,
}

#[derive(Debug, Args)]
pub struct EndArgs {
    /// Session id or unique prefix (default: the project's open session).
    pub id: Option<String>,
    /// The same as the positional ID (every command that acts on one session takes both).
    #[arg(long = "session", value_name = "ID", conflicts_with = "id")]
    pub session_flag: Option<String>,
    /// RULEMAP score, 0 to 10: a self-assessment of how well the session followed the
    /// project's rules (its CLAUDE.md, conventions, tests). Recorded in session.yaml and the
    /// summary log; left out when not given.
    #[arg(long, value_name = "0-10", allow_hyphen_values = true, value_parser = parse_score)]
    pub score: Option<f64>,
    /// The session summary: a markdown file, or - for standard input.
    #[arg(long, value_name = "FILE")]
    pub summary_file: Option<PathBuf>,
    /// Do not write the ZIP backup.
    #[arg(long)]
    pub no_backup: bool,
    /// Push the current branch afterwards (git CLI, never prompting, with a time limit).
    #[arg(long)]
    pub push: bool,
    /// Also export a claude.ai handoff (see `handoff export`).
    #[arg(long)]
    pub handoff: bool,
    /// Afterwards commit the session's record and push it to the project's git remote (see `sync`).
    #[arg(long)]
    pub sync: bool,
    /// Only show what `end` would record (the numbers to approve: duration, tasks, files,
    /// commits, uncommitted files, agents, quality); change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Archive without asking: the approval is given (scripts, or after the user said yes).
    /// Without it `end` asks on a terminal and refuses elsewhere.
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// The Claude Code conversation ending it: with several sessions open, its own is ended.
    #[arg(long, value_name = "ID")]
    pub claude_session: Option<String>,
}

#[derive(Debug, Args)]
pub struct PauseArgs {
    /// Session id or unique prefix (default: the project's open session).
    pub id: Option<String>,
    /// The same as the positional ID (every command that acts on one session takes both).
    #[arg(long = "session", value_name = "ID", conflicts_with = "id")]
    pub session_flag: Option<String>,
    /// A note for whoever resumes.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// Claude's summary (Summary, Accomplished, In progress, Next steps, Open questions): a
    /// markdown file, or - for standard input.
    #[arg(long, value_name = "FILE")]
    pub summary_file: Option<PathBuf>,
    /// Commit everything first (`git add -A`, no hooks run; `.env*` files stay out) as a WIP
    /// commit.
    #[arg(long)]
    pub wip_commit: bool,
    /// Also export a claude.ai handoff (see `handoff export`).
    #[arg(long)]
    pub handoff: bool,
    /// Afterwards commit the session's record and push it to the project's git remote (see `sync`).
    #[arg(long)]
    pub sync: bool,
    /// Bind this Claude Code session id to the session.
    #[arg(long, value_name = "ID")]
    pub claude_session: Option<String>,
    /// Write the whole context file, ignoring `context.budget_bytes`.
    #[arg(long)]
    pub full: bool,
    /// Only show what would be saved; change nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct ResumeArgs {
    /// Session id or unique prefix (default: the one the pause record names).
    pub id: Option<String>,
    /// The same as the positional ID (every command that acts on one session takes both).
    #[arg(long = "session", value_name = "ID", conflicts_with = "id")]
    pub session_flag: Option<String>,
    /// On a branch mismatch: check out the paused branch (refused when files are uncommitted).
    #[arg(long, conflicts_with = "stay")]
    pub switch_branch: bool,
    /// On a branch mismatch: continue on the current branch.
    #[arg(long)]
    pub stay: bool,
    /// Bind this Claude Code session id to the session.
    #[arg(long, value_name = "ID")]
    pub claude_session: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum HandoffCommand {
    /// Write a self-contained transfer prompt for claude.ai (secrets redacted).
    Export(HandoffExportArgs),
    /// Store claude.ai's answer; the next start or resume shows it.
    Import(HandoffImportArgs),
}

#[derive(Debug, Args)]
pub struct HandoffExportArgs {
    /// Write the prompt to this file (never replaces an existing one).
    #[arg(long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Copy the prompt to the clipboard (wl-copy, xclip, xsel or pbcopy).
    #[arg(long)]
    pub clipboard: bool,
    /// Size limit of the prompt in bytes.
    #[arg(long, value_name = "N", default_value_t = crate::handoff::DEFAULT_MAX_BYTES)]
    pub max_bytes: usize,
}

#[derive(Debug, Args)]
pub struct HandoffImportArgs {
    /// claude.ai's answer: a file, or - (the default) for standard input.
    #[arg(value_name = "FILE", default_value = "-")]
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct ConfigArgs {}

/// Which Claude Code settings an install goes into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Scope {
    /// `$CLAUDE_CONFIG_DIR` (default `~/.claude`): settings.json and commands/.
    #[default]
    User,
    /// The project's `.claude/`: settings.json and commands/.
    Project,
}

#[derive(Debug, Args)]
pub struct InstallArgs {
    /// Show what would change (a diff of settings.json) and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Replace command files you changed too (each is copied to a backup first).
    #[arg(long)]
    pub force: bool,
    #[arg(long, value_enum, default_value_t = Scope::User)]
    pub scope: Scope,
    /// Also register the MCP server for the user in ~/.claude.json (what `claude mcp add -s user
    /// claude-session -- <this binary> mcp` writes).
    #[arg(long)]
    pub mcp: bool,
    /// Also show the session in Claude Code's status line: set only when you have none; `wrap`
    /// keeps your status line command and appends the session to its output.
    #[arg(
        long,
        value_enum,
        value_name = "MODE",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "set"
    )]
    pub statusline: Option<StatuslineMode>,
}

/// How `install --statusline` treats a status line the user already has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatuslineMode {
    /// Set ours only when settings.json has no `statusLine` (yours is never replaced).
    Set,
    /// Run your status line command and append the session to its output.
    Wrap,
}

#[derive(Debug, Args)]
pub struct UninstallArgs {
    /// Show what would change and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    #[arg(long, value_enum, default_value_t = Scope::User)]
    pub scope: Scope,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Remove what interrupted operations left behind (unfinished checkpoints, staging folders,
    /// temp files older than a minute); an inbox being adopted is kept.
    #[arg(long)]
    pub repair: bool,
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
    #[arg(value_name = "ID")]
    pub id: Option<String>,
    /// The same as the positional ID (every command that acts on one session takes both).
    #[arg(long = "session", value_name = "ID", conflicts_with = "id")]
    pub session_flag: Option<String>,
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
    /// Unpack a daily backup (project.zip and sessions.zip) into a new folder.
    Daily(RestoreDailyArgs),
    /// Unpack a milestone backup (project.zip and sessions.zip) into a new folder.
    Milestone(RestoreMilestoneArgs),
}

#[derive(Debug, Args)]
pub struct RestoreCheckpointArgs {
    /// Session id or unique prefix.
    pub session: String,
    /// Checkpoint id, unique prefix or number.
    pub checkpoint: String,
    /// Restore into this folder (default: <project state>/restored/<session>-<checkpoint>-restored/).
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
    /// Restore into this folder (default: <project state>/restored/<session>-restored/).
    #[arg(long, value_name = "DIR")]
    pub to: Option<PathBuf>,
    /// Write into an existing target folder instead of choosing a new name.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct RestoreDailyArgs {
    /// The daily backup's name as `backups` lists it: YYYY-MM-DD, or YYYY-MM-DD-N for a later
    /// one of the same day.
    #[arg(value_name = "DATE")]
    pub date: String,
    /// Restore into this folder (default: <project state>/restored/daily-<date>-restored/).
    #[arg(long, value_name = "DIR")]
    pub to: Option<PathBuf>,
    /// Write into an existing target folder instead of choosing a new name.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct RestoreMilestoneArgs {
    /// The milestone's name, e.g. v1.0-release.
    pub name: String,
    /// Restore into this folder (default: <project state>/restored/milestone-<name>-restored/).
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
    #[arg(required = true)]
    pub name: Vec<String>,
}

#[derive(Debug, Args)]
pub struct PruneArgs {
    /// Days of daily backups to keep, at least 1 (default: config backups.keep_daily).
    #[arg(long, value_name = "N", allow_hyphen_values = true, value_parser = parse_keep_daily)]
    pub keep_daily: Option<u32>,
}

#[derive(Debug, Args)]
pub struct BackupsArgs {}

#[derive(Debug, Args)]
pub struct HookArgs {
    /// post-edit, pre-task, post-task, session-start, session-end, pre-compact, prompt or stop.
    pub name: String,
    /// Used by hidden modes only.
    #[arg(hide = true, trailing_var_arg = true, allow_hyphen_values = true)]
    pub rest: Vec<String>,
}

#[derive(Debug, Args)]
pub struct McpArgs {}

#[derive(Debug, Args)]
pub struct StatuslineArgs {
    /// Run the status line command that `install --statusline=wrap` kept, then append ours.
    #[arg(long)]
    pub wrap: bool,
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
        #[arg(allow_hyphen_values = true, value_parser = parse_remind_minutes)]
        minutes: u64,
    },
}

impl Command {
    /// The command's name as `--json` documents give it (`handoff export`, `backup daily`).
    pub fn name(&self) -> String {
        let sub = match self {
            Command::Handoff(HandoffCommand::Export(_)) => Some("export"),
            Command::Handoff(HandoffCommand::Import(_)) => Some("import"),
            Command::Restore(args) => Some(match args.what {
                RestoreWhat::Checkpoint(_) => "checkpoint",
                RestoreWhat::Backup(_) => "backup",
                RestoreWhat::Daily(_) => "daily",
                RestoreWhat::Milestone(_) => "milestone",
            }),
            Command::Sync(SyncCommand::Push(_)) => Some("push"),
            Command::Sync(SyncCommand::Pull) => Some("pull"),
            Command::Sync(SyncCommand::Status) => Some("status"),
            Command::Tracker(cmd) => Some(match cmd {
                TrackerCommand::Flush => "flush",
                TrackerCommand::Status => "status",
                TrackerCommand::Retry => "retry",
                TrackerCommand::Run(_) => "run",
            }),
            Command::Memory(cmd) => Some(match cmd {
                MemoryCommand::Add(_) => "add",
                MemoryCommand::List(_) => "list",
                MemoryCommand::Search(_) => "search",
                MemoryCommand::Forget(_) => "forget",
            }),
            Command::Backup(args) => Some(match args.what {
                BackupWhat::Daily => "daily",
                BackupWhat::Milestone(_) => "milestone",
                BackupWhat::Prune(_) => "prune",
            }),
            _ => None,
        };
        let main = match self {
            Command::Start(_) => "start",
            Command::Track(_) => "track",
            Command::Status(_) => "status",
            Command::List(_) => "list",
            Command::Show(_) => "show",
            Command::End(_) => "end",
            Command::Config(_) => "config",
            Command::Pause(_) => "pause",
            Command::Resume(_) => "resume",
            Command::Handoff(_) => "handoff",
            Command::Install(_) => "install",
            Command::Uninstall(_) => "uninstall",
            Command::Doctor(_) => "doctor",
            Command::Checkpoint(_) => "checkpoint",
            Command::Checkpoints(_) => "checkpoints",
            Command::Restore(_) => "restore",
            Command::Backup(_) => "backup",
            Command::Backups(_) => "backups",
            Command::Hook(_) => "hook",
            Command::Remind(_) => "remind",
            Command::Mcp(_) => "mcp",
            Command::Statusline(_) => "statusline",
            Command::Sync(_) => "sync",
            Command::Tracker(_) => "tracker",
            Command::Tasks(_) => "tasks",
            Command::Memory(_) => "memory",
        };
        match sub {
            Some(sub) => format!("{main} {sub}"),
            None => main.to_string(),
        }
    }
}

/// Which session a command names: the positional id or `--session`.
pub fn session_of(id: &Option<String>, flag: &Option<String>) -> Option<String> {
    id.clone().or_else(|| flag.clone())
}

/// Whole numbers and decimals in a range, checked the same way wherever they are given (with or
/// without `--dry-run`); the message names the range.
fn parse_in_range(text: &str, min: f64, max: f64, whole: bool) -> Result<f64, String> {
    let value: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("not a number; give one from {min} to {max}"))?;
    if !value.is_finite() || value < min || value > max || (whole && value.fract() != 0.0) {
        let kind = if whole { "a whole number" } else { "a number" };
        return Err(format!("out of range; give {kind} from {min} to {max}"));
    }
    Ok(value)
}

fn parse_score(text: &str) -> Result<f64, String> {
    parse_in_range(text, 0.0, 10.0, false)
}

fn parse_keep_daily(text: &str) -> Result<u32, String> {
    parse_in_range(text, 1.0, 3650.0, true).map(|v| v as u32)
}

fn parse_remind_minutes(text: &str) -> Result<u64, String> {
    parse_in_range(text, 1.0, 1440.0, true).map(|v| v as u64)
}
