//! `install` and `uninstall`: the slash command files and our hooks in Claude Code's
//! settings.json, without touching anything that is not ours (see `settings.rs` for the merge).
//!
//! Safety rules: everything is planned (and a bad settings.json refused) before the first write;
//! settings.json is backed up before it changes and written atomically, keeping its permissions
//! and any symlink in front of it; a command file that differs from every version we shipped is
//! the user's and is only replaced with `force`, after a backup. Uninstall removes exactly our
//! hook entries and the command files we shipped that nobody changed.
//!
//! Install then uninstall leaves the tree as it was: install records what it made that was not
//! there (settings.json, folders) in `<state>/claude-session/installs.json`, and uninstall removes
//! those again once nothing of the user's is in them (a settings.json without keys, an empty
//! folder). A file that did not exist gets no backup, and the install lock file goes away at the
//! end of each run.
//!
//! The file helpers here (where Claude Code's files are, reading and writing settings.json) are
//! shared with `doctor`.

use super::register::{self, McpPlan, McpReport, StatuslineMode, StatuslinePlan, StatuslineReport};
use crate::embedded::{self, CommandFile};
use crate::env::Env;
use crate::error::{Error, IoContext, Result};
use crate::process;
use crate::settings::{self, BINARY_NAME, Edit};
use crate::{clock, store};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The mode of files we create (markdown and settings we write hold no secret).
const NEW_FILE_MODE: u32 = 0o644;

/// Which Claude Code settings an install goes into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// `$CLAUDE_CONFIG_DIR` (default `~/.claude`).
    #[default]
    User,
    /// The project's `.claude/`.
    Project,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::User => "user",
            Scope::Project => "project",
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct InstallRequest {
    pub scope: Scope,
    /// Plan and report, write nothing.
    pub dry_run: bool,
    /// Replace command files the user changed too (after a backup).
    pub force: bool,
    /// Also register the MCP server in `~/.claude.json` (user scope only).
    pub mcp: bool,
    /// Also set the status line (user scope only).
    pub statusline: Option<StatuslineMode>,
}

#[derive(Debug, Clone, Default)]
pub struct UninstallRequest {
    pub scope: Scope,
    pub dry_run: bool,
}

/// What happened (or, in a dry run, would happen) to settings.json.
#[derive(Debug, Clone, Serialize)]
pub struct SettingsReport {
    pub path: String,
    /// The file was there before.
    pub existed: bool,
    /// Our hooks changed (or would change).
    pub changed: bool,
    /// The merge's account of each change, in the past tense ("added hook post-edit ...").
    pub changes: Vec<String>,
    /// The copy of the previous file, when one was written.
    pub backup: Option<String>,
    /// A dry run's unified diff of the file.
    pub diff: Option<String>,
    /// Uninstall removed (would remove) the file: install had made it, and nothing of the user's
    /// is in it.
    pub removed: bool,
}

/// What an install does to one command file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InstallAction {
    Add,
    UpToDate,
    /// An earlier version we shipped: ours to replace.
    Update,
    /// Differs from every version we shipped: the user's, kept.
    KeepYours,
    /// The user's, replaced under `force` after a backup.
    ReplaceYours,
}

impl InstallAction {
    /// The file is (or would be) written.
    pub fn writes(self) -> bool {
        !matches!(self, InstallAction::UpToDate | InstallAction::KeepYours)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct InstalledCommand {
    pub file: String,
    pub path: String,
    pub action: InstallAction,
    /// The copy of the user's file replaced under `force`.
    pub backup: Option<String>,
}

/// Why the slash commands, which run `claude-session` by name, would not run this binary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum PathProblem {
    /// Nothing called `claude-session` on PATH; `dir` holds this binary.
    NotOnPath { dir: String },
    /// PATH finds another `claude-session` first.
    OtherBinary { found: String },
}

impl PathProblem {
    /// One line, as install's note and doctor's check say it.
    pub fn message(&self) -> String {
        match self {
            PathProblem::NotOnPath { dir } => format!(
                "`{}` is not on PATH, and the slash commands run it by name: add {dir} to PATH",
                settings::BINARY_NAME
            ),
            PathProblem::OtherBinary { found } => format!(
                "`{}` on PATH is {found}, not this binary; the slash commands will run that one",
                settings::BINARY_NAME
            ),
        }
    }
}

/// claude-session found installed somewhere else that Claude Code also reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Elsewhere {
    /// Our hooks or command files in the other scope's folder.
    Scope {
        scope: Scope,
        /// The settings file there that registers hooks of ours.
        hooks_in: Option<String>,
        /// The commands folder there and the command files of our names in it.
        commands_dir: String,
        commands: Vec<String>,
    },
    /// A claude-session plugin enabled in another settings file.
    Plugin { id: String, settings: String },
}

#[derive(Debug, Clone, Serialize)]
pub struct InstallOutcome {
    pub scope: Scope,
    pub dry_run: bool,
    /// This binary.
    pub binary: String,
    /// What the hooks run: this binary's path, or its bare name when a project scope install
    /// finds this same binary on PATH (the project's settings.json is usually committed).
    pub hook_program: String,
    /// A project's settings hold this machine's path of the binary (PATH does not find it).
    pub machine_specific_path: bool,
    pub settings: SettingsReport,
    pub commands_dir: String,
    pub commands: Vec<InstalledCommand>,
    /// The binary lies in a cargo build folder (`cargo clean` would break the hooks).
    pub binary_in_build_folder: bool,
    /// claude-session plugins the same settings file enables (their hooks would run too).
    pub plugins: Vec<String>,
    /// The other scope or a plugin elsewhere that installs claude-session too.
    pub elsewhere: Vec<Elsewhere>,
    pub path_problem: Option<PathProblem>,
    /// The MCP server in `~/.claude.json`: asked for with `--mcp`, or an entry of ours found
    /// there (kept up to date).
    pub mcp: Option<McpReport>,
    /// The status line: asked for with `--statusline`, or one of ours found (kept up to date).
    pub statusline: Option<StatuslineReport>,
    /// Something was (or would be) written.
    pub changed: bool,
}

/// What an uninstall does to one command file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UninstallAction {
    NotThere,
    /// A version we shipped: removed.
    Remove,
    /// Differs from every version we shipped: the user's, kept.
    KeepYours,
}

#[derive(Debug, Clone, Serialize)]
pub struct UninstalledCommand {
    pub file: String,
    pub path: String,
    pub action: UninstallAction,
}

#[derive(Debug, Clone, Serialize)]
pub struct UninstallOutcome {
    pub scope: Scope,
    pub dry_run: bool,
    pub settings: SettingsReport,
    pub commands_dir: String,
    pub commands: Vec<UninstalledCommand>,
    /// Folders install had made that are (would be) removed, empty again.
    pub removed_dirs: Vec<String>,
    /// Backups of the user's files (settings.json, command files) that stay where they are.
    pub kept_backups: Vec<String>,
    /// The MCP server entry of ours in `~/.claude.json` (user scope).
    pub mcp: Option<McpReport>,
    /// Our status line (user scope).
    pub statusline: Option<StatuslineReport>,
    /// Something of ours was (or would be) removed.
    pub changed: bool,
}

/// Where Claude Code reads the settings and commands of a scope.
#[derive(Debug, Clone)]
pub struct Target {
    pub scope: Scope,
    /// The scope's Claude Code folder (`~/.claude`, `<project>/.claude`).
    pub dir: PathBuf,
    pub settings: PathBuf,
    pub commands_dir: PathBuf,
}

/// Claude Code's own folder (moved to `paths`, which the task list reads it from too).
pub use crate::paths::claude_config_dir;

pub fn target(env: &Env, scope: Scope) -> Result<Target> {
    let dir = match scope {
        Scope::User => claude_config_dir()?,
        Scope::Project => env.project()?.path.join(".claude"),
    };
    Ok(Target {
        scope,
        settings: dir.join("settings.json"),
        commands_dir: dir.join("commands"),
        dir,
    })
}

impl Scope {
    fn other(self) -> Scope {
        match self {
            Scope::User => Scope::Project,
            Scope::Project => Scope::User,
        }
    }
}

/// True when two paths name the same folder (the project's `.claude` can be `~/.claude`).
pub fn same_dir(a: &Path, b: &Path) -> bool {
    a == b || matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
}

/// The absolute path of the running binary: what the hooks will run.
pub fn binary_path() -> Result<String> {
    let exe = std::env::current_exe().at("find the running binary", "claude-session")?;
    let exe = exe.canonicalize().unwrap_or(exe);
    exe.to_str()
        .map(str::to_string)
        .ok_or_else(|| Error::invalid("the binary's path is not UTF-8", exe.display()))
}

/// The file a write to `path` must go to: the target of a symlink (a dotfiles manager's link
/// stays a link), else `path` itself.
pub fn write_target(path: &Path) -> Result<PathBuf> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => path.canonicalize().map_err(|e| {
            Error::invalid(
                format!("a symlink whose target cannot be opened ({e}); fix or remove it"),
                path.display(),
            )
        }),
        _ => Ok(path.to_path_buf()),
    }
}

/// A file's bytes, `None` when it does not exist.
pub fn read_optional(path: &Path) -> Result<Option<Vec<u8>>> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io("read", path, e)),
    }
}

/// settings.json as text; not UTF-8 is refused (we never rewrite what we cannot read).
pub fn read_settings(path: &Path) -> Result<Option<String>> {
    match read_optional(path)? {
        None => Ok(None),
        Some(bytes) => String::from_utf8(bytes).map(Some).map_err(|_| {
            Error::invalid(
                "settings.json is not UTF-8 text; left it untouched",
                path.display(),
            )
        }),
    }
}

/// Turns a refusal from the merge into the command's error, naming the file.
fn refused(path: &Path, e: settings::SettingsError) -> Error {
    Error::invalid(format!("{e}; left it untouched"), path.display())
}

/// Copies `bytes` (the previous content of `path`) to `<path>.claude-session-backup-<UTC stamp>`,
/// never over an earlier backup, with the original's permissions.
fn backup(path: &Path, bytes: &[u8], mode: Option<u32>) -> Result<PathBuf> {
    let stamp = clock::file_stamp_utc(clock::now()?);
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".claude-session-backup-{stamp}"));
    for n in 1.. {
        let mut candidate = name.clone();
        if n > 1 {
            candidate.push(format!("-{n}"));
        }
        let backup = path.with_file_name(candidate);
        if store::write_new_atomic_mode(&backup, bytes, mode)? {
            return Ok(backup);
        }
    }
    unreachable!("an unbounded search for a free name ends")
}

/// Writes a changed settings.json: a backup first when `keep_backup` (there is something of the
/// user's to keep), then a check that nobody changed the file meanwhile (Claude Code rewrites it
/// too), then an atomic replace.
pub(super) fn write_settings(
    path: &Path,
    original: Option<&str>,
    new_text: &str,
    keep_backup: bool,
) -> Result<Option<PathBuf>> {
    let real = write_target(path)?;
    let mode = store::file_mode(&real);
    let saved = match original {
        Some(text) if keep_backup => Some(backup(path, text.as_bytes(), mode)?),
        _ => None,
    };
    check_unchanged(path, &real, original)?;
    store::write_atomic_mode(&real, new_text.as_bytes(), mode.or(Some(NEW_FILE_MODE)))?;
    Ok(saved)
}

/// Refuses when settings.json is no longer what was read and merged.
pub(super) fn check_unchanged(path: &Path, real: &Path, original: Option<&str>) -> Result<()> {
    let now = read_optional(real)?;
    if now.as_deref() != original.map(str::as_bytes) {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        return Err(Error::invalid(
            format!(
                "{name} changed while we were merging (Claude Code may be writing it); \
                 nothing written, run the command again"
            ),
            path.display(),
        ));
    }
    Ok(())
}

/// A unified diff of a settings change, for a dry run.
pub(super) fn diff(path: &Path, before: Option<&str>, after: &str, what: &str) -> String {
    let old_label = match before {
        Some(_) => path.display().to_string(),
        None => "/dev/null".to_string(),
    };
    let new_label = format!("{} ({what})", path.display());
    similar::TextDiff::from_lines(before.unwrap_or(""), after)
        .unified_diff()
        .context_radius(3)
        .header(&old_label, &new_label)
        .to_string()
}

/// Why the slash commands, which run `claude-session` by name, would not find `binary`.
pub fn path_problem(binary: &str) -> Option<PathProblem> {
    match process::find_on_path(settings::BINARY_NAME) {
        None => Some(PathProblem::NotOnPath {
            dir: Path::new(binary)
                .parent()
                .map(|d| d.display().to_string())
                .unwrap_or_default(),
        }),
        Some(found) => {
            let found = found.canonicalize().unwrap_or(found);
            (found != Path::new(binary)).then(|| PathProblem::OtherBinary {
                found: found.display().to_string(),
            })
        }
    }
}

/// Serialises concurrent installs and uninstalls; a dry run writes nothing, not even a lock file.
/// The lock file is removed at the end of a run ([`finish`]).
fn install_lock(env: &Env, dry_run: bool) -> Result<Option<store::LockGuard>> {
    if dry_run {
        return Ok(None);
    }
    store::lock(&env.layout.app_dir().join("install"), env.wait()).map(Some)
}

// ---------------------------------------------------------------------------------------------
// What install made, so that uninstall can take exactly that away.

/// `<state>/claude-session/installs.json`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Made {
    version: u32,
    /// Folders made to hold this file and the install lock (the state folder and any missing
    /// parent), outermost first: removed with this file when empty.
    #[serde(default)]
    state_dirs: Vec<PathBuf>,
    /// Per Claude Code folder of a scope (its path), what install made there.
    #[serde(default)]
    targets: BTreeMap<String, MadeIn>,
    /// What `install --mcp` made in `~/.claude.json` that was not there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    claude_json: Option<MadeClaudeJson>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct MadeClaudeJson {
    /// The file itself.
    #[serde(default)]
    file: bool,
    /// Its `mcpServers` object.
    #[serde(default)]
    servers: bool,
}

impl Made {
    fn is_empty(&self) -> bool {
        self.targets.is_empty() && self.claude_json.is_none()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct MadeIn {
    /// settings.json did not exist before install.
    #[serde(default)]
    settings: bool,
    /// Folders that did not exist before install, outermost first.
    #[serde(default)]
    dirs: Vec<PathBuf>,
}

impl MadeIn {
    fn is_empty(&self) -> bool {
        !self.settings && self.dirs.is_empty()
    }
}

fn made_path(env: &Env) -> PathBuf {
    env.layout.app_dir().join("installs.json")
}

/// The record; a dry run only reads (a corrupt record counts as empty, and is left in place).
fn load_made(env: &Env, dry_run: bool) -> Result<Made> {
    let path = made_path(env);
    if dry_run {
        return Ok(read_optional(&path)?
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default());
    }
    Ok(match store::read_json::<Made>(&path)? {
        store::Loaded::Found(made) => made,
        store::Loaded::Missing | store::Loaded::Corrupt { .. } => Made::default(),
    })
}

/// Writes the record, or removes it when it holds nothing.
fn save_made(env: &Env, made: &mut Made) -> Result<()> {
    let path = made_path(env);
    if made.is_empty() {
        return store::remove_file(&path);
    }
    made.version = store::STATE_VERSION;
    store::write_json(&path, made)
}

fn key(dir: &Path) -> String {
    dir.display().to_string()
}

/// The folders on the way to `dir` (itself included) that do not exist yet, outermost first.
fn missing_dirs(dir: &Path) -> Vec<PathBuf> {
    let mut missing = Vec::new();
    let mut at = Some(dir);
    while let Some(d) = at {
        if d.as_os_str().is_empty() || std::fs::symlink_metadata(d).is_ok() {
            break;
        }
        missing.push(d.to_path_buf());
        at = d.parent();
    }
    missing.reverse();
    missing
}

fn add_dirs(to: &mut Vec<PathBuf>, dirs: &[PathBuf]) {
    for dir in dirs {
        if !to.contains(dir) {
            to.push(dir.clone());
        }
    }
}

/// Removes the folders of `dirs` that are empty, deepest first; the ones removed.
fn remove_empty_dirs(dirs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut sorted = dirs.to_vec();
    sorted.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
    let mut removed = Vec::new();
    for dir in sorted {
        if store::remove_empty_dir(&dir)? {
            removed.push(dir);
        }
    }
    Ok(removed)
}

/// The folders of `dirs` that would be empty once `removed` (files and folders) are gone,
/// deepest first (a dry run's answer to [`remove_empty_dirs`]).
fn would_be_empty(dirs: &[PathBuf], mut removed: Vec<PathBuf>) -> Vec<PathBuf> {
    let mut sorted = dirs.to_vec();
    sorted.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
    let mut empty = Vec::new();
    for dir in sorted {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        if entries
            .filter_map(|e| e.ok())
            .all(|e| removed.contains(&e.path()))
        {
            removed.push(dir.clone());
            empty.push(dir);
        }
    }
    empty
}

/// Ends a run that wrote: the lock file goes, and once the record is gone, so do the folders
/// made to hold it (when nothing else came into them). Tidying only: the work is done, so a
/// failure here is not the command's.
fn finish(lock: Option<store::LockGuard>, made: &Made, state_dirs: &[PathBuf]) {
    let Some(lock) = lock else {
        return;
    };
    let _ = lock.remove();
    if made.is_empty() {
        let mut dirs = made.state_dirs.clone();
        add_dirs(&mut dirs, state_dirs);
        let _ = remove_empty_dirs(&dirs);
    }
}

/// True when a settings text holds nothing but our hooks (nothing of the user's to back up).
fn only_ours(text: &str) -> bool {
    settings::uninstall(text).is_ok_and(|edit| settings::is_empty_document(&edit.text))
}

/// The backups we wrote of the user's files in a scope's folder (settings.json, command files).
fn backups_in(target: &Target) -> Vec<String> {
    let mut found = Vec::new();
    let mut look = |dir: &Path, file_name: &str| {
        let prefix = format!("{file_name}.claude-session-backup-");
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            if entry.file_name().to_string_lossy().starts_with(&prefix) {
                found.push(entry.path().display().to_string());
            }
        }
    };
    look(&target.dir, "settings.json");
    for file in embedded::COMMANDS.iter() {
        look(&target.commands_dir, file.file_name);
    }
    look(&skill_dir(target), embedded::SKILL_FILE.file_name);
    found.sort();
    found
}

// ---------------------------------------------------------------------------------------------
// Installed elsewhere too.

/// The other scope's hooks and command files, and claude-session plugins enabled in the other
/// settings files Claude Code reads here (not `target`'s own: its plugins are reported apart).
fn installed_elsewhere(env: &Env, target: &Target) -> Vec<Elsewhere> {
    let mut found = Vec::new();
    let Ok(other) = self::target(env, target.scope.other()) else {
        return found;
    };
    if same_dir(&other.dir, &target.dir) {
        return found;
    }
    let read = |path: &Path| {
        write_target(path)
            .and_then(|real| read_settings(&real))
            .ok()
            .flatten()
    };
    let other_text = read(&other.settings);
    let hooks_in = other_text
        .as_deref()
        .and_then(|text| settings::registered(text).ok())
        .filter(|found| !found.is_empty())
        .map(|_| other.settings.display().to_string());
    let commands: Vec<String> = embedded::COMMANDS
        .iter()
        .filter(|file| other.commands_dir.join(file.file_name).is_file())
        .map(|file| file.file_name.to_string())
        .collect();
    if hooks_in.is_some() || !commands.is_empty() {
        found.push(Elsewhere::Scope {
            scope: other.scope,
            hooks_in,
            commands_dir: other.commands_dir.display().to_string(),
            commands,
        });
    }
    let project_dir = match target.scope {
        Scope::Project => &target.dir,
        Scope::User => &other.dir,
    };
    let mut files = vec![(other.settings.clone(), other_text)];
    let local = project_dir.join("settings.local.json");
    let local_text = read(&local);
    files.push((local, local_text));
    for (path, text) in files {
        for id in settings::enabled_plugins(text.as_deref().unwrap_or("")) {
            found.push(Elsewhere::Plugin {
                id,
                settings: path.display().to_string(),
            });
        }
    }
    found
}

// ---------------------------------------------------------------------------------------------

/// Where the session-manager skill goes: `<claude dir>/skills/session-manager/`.
fn skill_dir(target: &Target) -> PathBuf {
    target.dir.join("skills").join(embedded::SKILL_NAME)
}

/// A command file by its name (`start.md`), the skill by its path under the commands folder's
/// parent (`../skills/session-manager/SKILL.md`), as install lists them under `commands`.
fn installed_name(target: &Target, path: &Path) -> String {
    match path.strip_prefix(&target.commands_dir) {
        Ok(name) => name.display().to_string(),
        Err(_) => path
            .strip_prefix(&target.dir)
            .map(|rel| format!("../{}", rel.display()))
            .unwrap_or_else(|_| path.display().to_string()),
    }
}

fn plan_command(
    dir: &Path,
    file: &CommandFile,
    force: bool,
) -> Result<(InstallAction, Option<Vec<u8>>)> {
    let existing = read_optional(&dir.join(file.file_name))?;
    let action = match &existing {
        None => InstallAction::Add,
        Some(bytes) if embedded::is_current(file.file_name, bytes) => InstallAction::UpToDate,
        Some(bytes) if embedded::is_shipped(file.file_name, bytes) => InstallAction::Update,
        Some(_) if force => InstallAction::ReplaceYours,
        Some(_) => InstallAction::KeepYours,
    };
    Ok((action, existing))
}

/// Plans the settings change: the edit, or a refusal naming the file.
fn plan_settings(path: &Path, original: Option<&str>, program: &str) -> Result<Edit> {
    let desired = settings::desired_hooks(embedded::HOOKS_JSON, program)
        .map_err(|e| Error::invalid(e.to_string(), "embedded hooks.json"))?;
    settings::install(original.unwrap_or(""), &desired).map_err(|e| refused(path, e))
}

pub fn install(env: &Env, request: &InstallRequest) -> Result<InstallOutcome> {
    let user = request.scope == Scope::User;
    if !user && (request.mcp || request.statusline.is_some()) {
        return Err(Error::invalid(
            "--mcp and --statusline register for the user (~/.claude.json, the user's \
             settings.json); run them without --scope project",
            "install",
        ));
    }
    let target = target(env, request.scope)?;
    let binary = binary_path()?;
    let dry = request.dry_run;
    let path_problem = path_problem(&binary);
    // A project's settings.json is usually committed: the bare name works on every machine that
    // has claude-session on PATH, a path only on this one.
    let by_name = target.scope == Scope::Project && path_problem.is_none();
    let hook_program = if by_name {
        BINARY_NAME.to_string()
    } else {
        binary.clone()
    };
    // What is not there yet, seen before the lock or a write makes any of it.
    let state_dirs = missing_dirs(&env.layout.app_dir());
    let mut target_dirs = missing_dirs(&target.commands_dir);
    let skill_dir = skill_dir(&target);
    target_dirs.extend(missing_dirs(&skill_dir));
    let lock = install_lock(env, dry)?;
    let mut made = load_made(env, dry)?;
    let made_settings = made
        .targets
        .get(&key(&target.dir))
        .is_some_and(|m| m.settings);

    let settings_path = &target.settings;
    let original = read_settings(&write_target(settings_path)?)?;
    let mut edit = plan_settings(settings_path, original.as_deref(), &hook_program)?;
    // The status line and the MCP entry are the user's: planned (and a bad file refused) with
    // the rest, before any write. Not asked for, an entry of ours is only kept up to date, and
    // a ~/.claude.json we cannot read is none of this run's business.
    let status_plan: Option<StatuslinePlan> = match user {
        true => Some(register::plan_statusline_install(
            &env.layout,
            settings_path,
            &edit.text,
            &hook_program,
            request.statusline,
        )?),
        false => None,
    };
    if let Some(plan) = &status_plan {
        edit.text.clone_from(&plan.text);
        edit.changes.extend(plan.changes.iter().cloned());
    }
    let mcp_plan: Option<McpPlan> = match register::plan_mcp_install(&binary, request.mcp) {
        _ if !user => None,
        Ok(plan) => Some(plan),
        Err(e) if request.mcp => return Err(e),
        Err(_) => None,
    };
    let settings_change = original.as_deref() != Some(edit.text.as_str());
    // Every command file is planned (and read) before the first write.
    let plans = embedded::COMMANDS
        .iter()
        .map(|file| plan_command(&target.commands_dir, file, request.force))
        .collect::<Result<Vec<_>>>()?;
    let skill_plan = plan_command(&skill_dir, &embedded::SKILL_FILE, request.force)?;

    let mut report = SettingsReport {
        path: settings_path.display().to_string(),
        existed: original.is_some(),
        changed: settings_change,
        changes: if settings_change {
            edit.changes.clone()
        } else {
            Vec::new()
        },
        backup: None,
        diff: None,
        removed: false,
    };
    // What install makes is recorded before it is made: killed after making settings.json or
    // a folder but before recording it, a later uninstall could not tell they were install's
    // and would leave them. Recorded but not made (a kill in between) is harmless: uninstall
    // removes only what is there and holds nothing of the user's.
    if !dry {
        let before = made.clone();
        let entry = made.targets.entry(key(&target.dir)).or_default();
        entry.settings |= original.is_none() && settings_change;
        add_dirs(&mut entry.dirs, &target_dirs);
        if entry.is_empty() {
            made.targets.remove(&key(&target.dir));
        }
        if let Some(plan) = mcp_plan.as_ref().filter(|p| p.changes())
            && (plan.creates_file || plan.creates_servers)
        {
            let entry = made.claude_json.get_or_insert_with(MadeClaudeJson::default);
            entry.file |= plan.creates_file;
            entry.servers |= plan.creates_servers;
        }
        if !made.is_empty() {
            add_dirs(&mut made.state_dirs, &state_dirs);
        }
        if made != before {
            save_made(env, &mut made)?;
        }
        // The record of a wrapped status line command before the settings that replace it.
        if let Some(wrapped) = status_plan.as_ref().and_then(|p| p.save.as_ref()) {
            register::save_wrapped(&env.layout, wrapped)?;
        }
    }
    if settings_change {
        if dry {
            report.diff = Some(diff(
                settings_path,
                original.as_deref(),
                &edit.text,
                "after install",
            ));
        } else {
            // A file install made that holds only our hooks has nothing worth a copy.
            let keep_backup = !(made_settings && original.as_deref().is_some_and(only_ours));
            let saved =
                write_settings(settings_path, original.as_deref(), &edit.text, keep_backup)?;
            crate::fault::point("install.settings");
            report.backup = saved.map(|p| p.display().to_string());
        }
    }

    let mut commands = Vec::new();
    let files = embedded::COMMANDS
        .iter()
        .map(|file| (&target.commands_dir, file))
        .chain(std::iter::once((&skill_dir, &embedded::SKILL_FILE)));
    for ((dir, file), (action, existing)) in files.zip(plans.into_iter().chain([skill_plan])) {
        let path = dir.join(file.file_name);
        let mut saved = None;
        if !dry && action.writes() {
            let real = write_target(&path)?;
            let mode = store::file_mode(&real);
            if action == InstallAction::ReplaceYours
                && let Some(bytes) = &existing
            {
                saved = Some(backup(&path, bytes, mode)?.display().to_string());
            }
            store::write_atomic_mode(&real, file.text.as_bytes(), mode.or(Some(NEW_FILE_MODE)))?;
        }
        commands.push(InstalledCommand {
            file: installed_name(&target, &path),
            path: path.display().to_string(),
            action,
            backup: saved,
        });
    }

    let mcp = match &mcp_plan {
        Some(plan) if request.mcp || plan.action != register::McpAction::NotThere => {
            Some(register::apply_mcp(plan, dry)?)
        }
        _ => None,
    };

    finish(lock, &made, &state_dirs);

    let changed = settings_change
        || commands.iter().any(|c| c.action.writes())
        || mcp.as_ref().is_some_and(|m| m.changed);
    Ok(InstallOutcome {
        mcp,
        statusline: status_plan.and_then(|p| p.report),
        scope: target.scope,
        dry_run: dry,
        binary_in_build_folder: binary.contains("/target/debug/")
            || binary.contains("/target/release/"),
        plugins: settings::enabled_plugins(original.as_deref().unwrap_or("")),
        elsewhere: installed_elsewhere(env, &target),
        machine_specific_path: target.scope == Scope::Project && !by_name,
        path_problem,
        hook_program,
        binary,
        settings: report,
        commands_dir: target.commands_dir.display().to_string(),
        commands,
        changed,
    })
}

pub fn uninstall(env: &Env, request: &UninstallRequest) -> Result<UninstallOutcome> {
    let user = request.scope == Scope::User;
    let target = target(env, request.scope)?;
    let dry = request.dry_run;
    let state_dirs = missing_dirs(&env.layout.app_dir());
    let lock = install_lock(env, dry)?;
    let mut made = load_made(env, dry)?;
    let made_here = made
        .targets
        .get(&key(&target.dir))
        .cloned()
        .unwrap_or_default();

    let settings_path = &target.settings;
    let real = write_target(settings_path)?;
    let original = read_settings(&real)?;
    let mut edit = match &original {
        Some(text) => Some(settings::uninstall(text).map_err(|e| refused(settings_path, e))?),
        None => None,
    };
    // Our status line goes too (a wrapped command of the user's comes back byte for byte).
    let status_plan = match user {
        true => Some(register::plan_statusline_uninstall(
            &env.layout,
            settings_path,
            edit.as_ref().map_or("", |e| e.text.as_str()),
        )?),
        false => None,
    };
    if let (Some(plan), Some(edit)) = (&status_plan, &mut edit) {
        edit.text.clone_from(&plan.text);
        edit.changes.extend(plan.changes.iter().cloned());
    }
    let made_json = made.claude_json.clone().unwrap_or_default();
    let mcp_plan = match user {
        true => Some(register::plan_mcp_uninstall(
            made_json.servers,
            made_json.file,
        )?),
        false => None,
    };
    let mut report = SettingsReport {
        path: settings_path.display().to_string(),
        existed: original.is_some(),
        changed: false,
        changes: Vec::new(),
        backup: None,
        diff: None,
        removed: false,
    };
    let is_link =
        std::fs::symlink_metadata(settings_path).is_ok_and(|m| m.file_type().is_symlink());
    let mut removed_paths = Vec::new();
    if let (Some(before), Some(edit)) = (&original, &edit) {
        // A file install made goes again once nothing of the user's is in it; no backup: there
        // was no file before.
        let remove = made_here.settings && !is_link && settings::is_empty_document(&edit.text);
        if remove {
            report.changed = true;
            report.removed = true;
            report.changes = edit.changes.clone();
            removed_paths.push(settings_path.clone());
            if dry {
                report.diff = Some(diff(
                    settings_path,
                    Some(before),
                    "",
                    "after uninstall: removed",
                ));
            } else {
                check_unchanged(settings_path, &real, Some(before))?;
                store::remove_file(settings_path)?;
            }
        } else if edit.changed(before) {
            report.changed = true;
            report.changes = edit.changes.clone();
            if dry {
                report.diff = Some(diff(
                    settings_path,
                    Some(before),
                    &edit.text,
                    "after uninstall",
                ));
            } else {
                let saved = write_settings(settings_path, Some(before), &edit.text, true)?;
                report.backup = saved.map(|p| p.display().to_string());
            }
        }
    }

    if !dry && status_plan.as_ref().is_some_and(|p| p.forget) {
        register::forget_wrapped(&env.layout)?;
    }

    let mut commands = Vec::new();
    let skill_dir = skill_dir(&target);
    let files = embedded::COMMANDS
        .iter()
        .map(|file| (&target.commands_dir, file))
        .chain(std::iter::once((&skill_dir, &embedded::SKILL_FILE)));
    for (dir, file) in files {
        let path = dir.join(file.file_name);
        let action = match read_optional(&path)? {
            None => UninstallAction::NotThere,
            Some(bytes) if embedded::is_shipped(file.file_name, &bytes) => {
                if !dry {
                    store::remove_file(&path)?;
                }
                removed_paths.push(path.clone());
                UninstallAction::Remove
            }
            Some(_) => UninstallAction::KeepYours,
        };
        commands.push(UninstalledCommand {
            file: installed_name(&target, &path),
            path: path.display().to_string(),
            action,
        });
    }

    let mcp = match &mcp_plan {
        Some(plan) => Some(register::apply_mcp(plan, dry)?),
        None => None,
    };

    let removed_dirs = if dry {
        would_be_empty(&made_here.dirs, removed_paths)
    } else {
        let removed = remove_empty_dirs(&made_here.dirs)?;
        let before = made.clone();
        made.targets.remove(&key(&target.dir));
        if mcp
            .as_ref()
            .is_some_and(|m| m.action != register::McpAction::Skipped)
        {
            made.claude_json = None;
        }
        if made != before {
            save_made(env, &mut made)?;
        }
        removed
    };
    finish(lock, &made, &state_dirs);

    let changed = report.changed
        || commands.iter().any(|c| c.action == UninstallAction::Remove)
        || !removed_dirs.is_empty()
        || mcp.as_ref().is_some_and(|m| m.changed);
    let kept_backups = backups_in(&target)
        .into_iter()
        .filter(|b| report.backup.as_ref() != Some(b))
        .collect();
    Ok(UninstallOutcome {
        scope: target.scope,
        dry_run: dry,
        settings: report,
        commands_dir: target.commands_dir.display().to_string(),
        commands,
        removed_dirs: removed_dirs
            .iter()
            .map(|d| d.display().to_string())
            .collect(),
        kept_backups,
        mcp: mcp.filter(|m| m.action != register::McpAction::NotThere),
        statusline: status_plan.and_then(|p| p.report),
        changed,
    })
}
