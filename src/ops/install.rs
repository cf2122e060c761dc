//! `install` and `uninstall`: the slash command files and our hooks in Claude Code's
//! settings.json, without touching anything that is not ours (see `settings.rs` for the merge).
//!
//! Safety rules: everything is planned (and a bad settings.json refused) before the first write;
//! settings.json is backed up before it changes and written atomically, keeping its permissions
//! and any symlink in front of it; a command file that differs from every version we shipped is
//! the user's and is only replaced with `force`, after a backup. Uninstall removes exactly our
//! hook entries and the command files we shipped that nobody changed.
//!
//! The file helpers here (where Claude Code's files are, reading and writing settings.json) are
//! shared with `doctor`.

use crate::embedded::{self, CommandFile};
use crate::env::Env;
use crate::error::{Error, IoContext, Result};
use crate::process;
use crate::settings::{self, Edit};
use crate::{clock, store};
use serde::Serialize;
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

#[derive(Debug, Clone, Serialize)]
pub struct InstallOutcome {
    pub scope: Scope,
    pub dry_run: bool,
    /// The binary the hooks run.
    pub binary: String,
    pub settings: SettingsReport,
    pub commands_dir: String,
    pub commands: Vec<InstalledCommand>,
    /// The binary lies in a cargo build folder (`cargo clean` would break the hooks).
    pub binary_in_build_folder: bool,
    /// claude-session plugins the same settings file enables (their hooks would run too).
    pub plugins: Vec<String>,
    pub path_problem: Option<PathProblem>,
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
    /// Something of ours was (or would be) removed.
    pub changed: bool,
}

/// Where Claude Code reads the settings and commands of a scope.
#[derive(Debug, Clone)]
pub struct Target {
    pub scope: Scope,
    pub settings: PathBuf,
    pub commands_dir: PathBuf,
}

/// Claude Code's own folder: `$CLAUDE_CONFIG_DIR`, else `~/.claude` (our state root may differ).
pub fn claude_config_dir() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os("CLAUDE_CONFIG_DIR").filter(|v| !v.is_empty()) {
        let dir = PathBuf::from(dir);
        if !dir.is_absolute() {
            return Err(Error::invalid(
                "CLAUDE_CONFIG_DIR must be an absolute path",
                dir.display(),
            ));
        }
        return Ok(dir);
    }
    let home = dirs::home_dir()
        .ok_or_else(|| Error::invalid("cannot find the home directory", "$HOME"))?;
    Ok(home.join(".claude"))
}

pub fn target(env: &Env, scope: Scope) -> Result<Target> {
    let dir = match scope {
        Scope::User => claude_config_dir()?,
        Scope::Project => env.project()?.path.join(".claude"),
    };
    Ok(Target {
        scope,
        settings: dir.join("settings.json"),
        commands_dir: dir.join("commands"),
    })
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

/// Writes a changed settings.json: backup first, then a check that nobody changed the file
/// meanwhile (Claude Code rewrites it too), then an atomic replace.
fn write_settings(path: &Path, original: Option<&str>, new_text: &str) -> Result<Option<PathBuf>> {
    let real = write_target(path)?;
    let mode = store::file_mode(&real);
    let saved = match original {
        Some(text) => Some(backup(path, text.as_bytes(), mode)?),
        None => None,
    };
    let now = read_optional(&real)?;
    if now.as_deref() != original.map(str::as_bytes) {
        return Err(Error::invalid(
            "settings.json changed while we were merging (Claude Code may be writing it); \
             nothing written, run the command again",
            path.display(),
        ));
    }
    store::write_atomic_mode(&real, new_text.as_bytes(), mode.or(Some(NEW_FILE_MODE)))?;
    Ok(saved)
}

/// A unified diff of a settings change, for a dry run.
fn diff(path: &Path, before: Option<&str>, after: &str, what: &str) -> String {
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
fn install_lock(env: &Env, dry_run: bool) -> Result<Option<store::LockGuard>> {
    if dry_run {
        return Ok(None);
    }
    store::lock(&env.layout.app_dir().join("install"), env.wait()).map(Some)
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
fn plan_settings(path: &Path, original: Option<&str>, binary: &str) -> Result<Edit> {
    let desired = settings::desired_hooks(embedded::HOOKS_JSON, binary)
        .map_err(|e| Error::invalid(e.to_string(), "embedded hooks.json"))?;
    settings::install(original.unwrap_or(""), &desired).map_err(|e| refused(path, e))
}

pub fn install(env: &Env, request: &InstallRequest) -> Result<InstallOutcome> {
    let target = target(env, request.scope)?;
    let binary = binary_path()?;
    let dry = request.dry_run;
    let _lock = install_lock(env, dry)?;

    let settings_path = &target.settings;
    let original = read_settings(&write_target(settings_path)?)?;
    let edit = plan_settings(settings_path, original.as_deref(), &binary)?;
    let settings_change = original.as_deref() != Some(edit.text.as_str());
    // Every command file is planned (and read) before the first write.
    let plans = embedded::COMMANDS
        .iter()
        .map(|file| plan_command(&target.commands_dir, file, request.force))
        .collect::<Result<Vec<_>>>()?;

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
    };
    if settings_change {
        if dry {
            report.diff = Some(diff(
                settings_path,
                original.as_deref(),
                &edit.text,
                "after install",
            ));
        } else {
            let saved = write_settings(settings_path, original.as_deref(), &edit.text)?;
            report.backup = saved.map(|p| p.display().to_string());
        }
    }

    let mut commands = Vec::new();
    for (file, (action, existing)) in embedded::COMMANDS.iter().zip(plans) {
        let path = target.commands_dir.join(file.file_name);
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
            file: file.file_name.to_string(),
            path: path.display().to_string(),
            action,
            backup: saved,
        });
    }

    let changed = settings_change || commands.iter().any(|c| c.action.writes());
    Ok(InstallOutcome {
        scope: target.scope,
        dry_run: dry,
        binary_in_build_folder: binary.contains("/target/debug/")
            || binary.contains("/target/release/"),
        plugins: settings::enabled_plugins(original.as_deref().unwrap_or("")),
        path_problem: path_problem(&binary),
        binary,
        settings: report,
        commands_dir: target.commands_dir.display().to_string(),
        commands,
        changed,
    })
}

pub fn uninstall(env: &Env, request: &UninstallRequest) -> Result<UninstallOutcome> {
    let target = target(env, request.scope)?;
    let dry = request.dry_run;
    let _lock = install_lock(env, dry)?;

    let settings_path = &target.settings;
    let original = read_settings(&write_target(settings_path)?)?;
    let edit = match &original {
        Some(text) => Some(settings::uninstall(text).map_err(|e| refused(settings_path, e))?),
        None => None,
    };
    let mut report = SettingsReport {
        path: settings_path.display().to_string(),
        existed: original.is_some(),
        changed: false,
        changes: Vec::new(),
        backup: None,
        diff: None,
    };
    if let (Some(before), Some(edit)) = (&original, &edit)
        && edit.changed(before)
    {
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
            let saved = write_settings(settings_path, Some(before), &edit.text)?;
            report.backup = saved.map(|p| p.display().to_string());
        }
    }

    let mut commands = Vec::new();
    for file in embedded::COMMANDS.iter() {
        let path = target.commands_dir.join(file.file_name);
        let action = match read_optional(&path)? {
            None => UninstallAction::NotThere,
            Some(bytes) if embedded::is_shipped(file.file_name, &bytes) => {
                if !dry {
                    store::remove_file(&path)?;
                }
                UninstallAction::Remove
            }
            Some(_) => UninstallAction::KeepYours,
        };
        commands.push(UninstalledCommand {
            file: file.file_name.to_string(),
            path: path.display().to_string(),
            action,
        });
    }
    let changed = report.changed || commands.iter().any(|c| c.action == UninstallAction::Remove);
    Ok(UninstallOutcome {
        scope: target.scope,
        dry_run: dry,
        settings: report,
        commands_dir: target.commands_dir.display().to_string(),
        commands,
        changed,
    })
}
