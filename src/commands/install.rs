//! `claude-session install`: writes the slash command files and merges our hooks into Claude Code's
//! settings.json, without touching anything that is not ours (see `settings.rs` for the merge).
//!
//! Safety rules: everything is planned (and a bad settings.json refused) before the first write;
//! settings.json is backed up before it changes and written atomically, keeping its permissions
//! and any symlink in front of it; a command file that differs from every version we shipped is the
//! user's and is only replaced with `--force`, after a backup.

use crate::cli::{InstallArgs, Scope};
use crate::embedded::{self, CommandFile};
use crate::env::Env;
use crate::error::{Error, IoContext, Result};
use crate::settings::{self, Edit};
use crate::{clock, store};
use std::path::{Path, PathBuf};

/// The mode of files we create (markdown and settings we write hold no secret).
const NEW_FILE_MODE: u32 = 0o644;

/// Where Claude Code reads the settings and commands of a scope.
#[derive(Debug, Clone)]
pub(crate) struct Target {
    pub scope: Scope,
    pub settings: PathBuf,
    pub commands_dir: PathBuf,
}

/// Claude Code's own folder: `$CLAUDE_CONFIG_DIR`, else `~/.claude` (our state root may differ).
pub(crate) fn claude_config_dir() -> Result<PathBuf> {
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

pub(crate) fn target(ctx: &Env, scope: Scope) -> Result<Target> {
    let dir = match scope {
        Scope::User => claude_config_dir()?,
        Scope::Project => ctx.project()?.path.join(".claude"),
    };
    Ok(Target {
        scope,
        settings: dir.join("settings.json"),
        commands_dir: dir.join("commands"),
    })
}

pub(crate) fn scope_name(scope: Scope) -> &'static str {
    match scope {
        Scope::User => "user",
        Scope::Project => "project",
    }
}

/// The absolute path of the running binary: what the hooks will run.
pub(crate) fn binary_path() -> Result<String> {
    let exe = std::env::current_exe().at("find the running binary", "claude-session")?;
    let exe = exe.canonicalize().unwrap_or(exe);
    exe.to_str()
        .map(str::to_string)
        .ok_or_else(|| Error::invalid("the binary's path is not UTF-8", exe.display()))
}

/// The file a write to `path` must go to: the target of a symlink (a dotfiles manager's link stays
/// a link), else `path` itself.
pub(crate) fn write_target(path: &Path) -> Result<PathBuf> {
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
pub(crate) fn read_optional(path: &Path) -> Result<Option<Vec<u8>>> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io("read", path, e)),
    }
}

/// settings.json as text; not UTF-8 is refused (we never rewrite what we cannot read).
pub(crate) fn read_settings(path: &Path) -> Result<Option<String>> {
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
pub(crate) fn refused(path: &Path, e: settings::SettingsError) -> Error {
    Error::invalid(format!("{e}; left it untouched"), path.display())
}

/// Copies `bytes` (the previous content of `path`) to `<path>.claude-session-backup-<UTC stamp>`,
/// never over an earlier backup, with the original's permissions.
pub(crate) fn backup(path: &Path, bytes: &[u8], mode: Option<u32>) -> Result<PathBuf> {
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
pub(crate) fn write_settings(
    path: &Path,
    original: Option<&str>,
    new_text: &str,
) -> Result<Option<PathBuf>> {
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

/// A change of the merge ("added hook ...") as a dry run says it ("would add hook ...").
pub(crate) fn planned(change: &str, dry_run: bool) -> String {
    if !dry_run {
        return change.to_string();
    }
    let (first, rest) = change.split_once(' ').unwrap_or((change, ""));
    let verb = match first {
        "added" => "add",
        "removed" => "remove",
        "updated" => "update",
        other => other,
    };
    format!("would {verb} {rest}")
}

/// The report line naming a settings backup.
pub(crate) fn backup_settings_note(saved: Option<&Path>) -> String {
    saved
        .map(|saved| format!("            backup: {}\n", saved.display()))
        .unwrap_or_default()
}

/// A unified diff of a settings change, for `--dry-run`.
pub(crate) fn diff(path: &Path, before: Option<&str>, after: &str, what: &str) -> String {
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

/// The first executable file named `name` in PATH.
pub(crate) fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .filter(|dir| !dir.as_os_str().is_empty())
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

pub(crate) fn is_executable(path: &Path) -> bool {
    let Ok(meta) = std::fs::metadata(path) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.is_file() && meta.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        meta.is_file()
    }
}

/// A note when the slash commands, which run `claude-session` by name, would not find `binary`.
pub(crate) fn path_note(binary: &str) -> Option<String> {
    let dir = Path::new(binary)
        .parent()
        .map(|d| d.display().to_string())
        .unwrap_or_default();
    match find_on_path(settings::BINARY_NAME) {
        None => Some(format!(
            "note: `{}` is not on PATH, and the slash commands run it by name: add {dir} to PATH",
            settings::BINARY_NAME
        )),
        Some(found) => {
            let found = found.canonicalize().unwrap_or(found);
            (found != Path::new(binary)).then(|| {
                format!(
                    "note: `{}` on PATH is {}, not this binary; the slash commands will run that one",
                    settings::BINARY_NAME,
                    found.display()
                )
            })
        }
    }
}

/// What happens to one command file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CommandAction {
    Add,
    UpToDate,
    /// An earlier version we shipped: ours to replace.
    Update,
    /// Differs from every version we shipped: the user's.
    KeepUsers,
    /// The user's, replaced under `--force` after a backup.
    ReplaceUsers,
}

struct CommandPlan {
    file: CommandFile,
    path: PathBuf,
    existing: Option<Vec<u8>>,
    action: CommandAction,
}

fn plan_commands(dir: &Path, force: bool) -> Result<Vec<CommandPlan>> {
    embedded::COMMANDS
        .iter()
        .map(|file| {
            let path = dir.join(file.file_name);
            let existing = read_optional(&path)?;
            let action = match &existing {
                None => CommandAction::Add,
                Some(bytes) if embedded::is_current(file.file_name, bytes) => {
                    CommandAction::UpToDate
                }
                Some(bytes) if embedded::is_shipped(file.file_name, bytes) => CommandAction::Update,
                Some(_) if force => CommandAction::ReplaceUsers,
                Some(_) => CommandAction::KeepUsers,
            };
            Ok(CommandPlan {
                file: *file,
                path,
                existing,
                action,
            })
        })
        .collect()
}

fn verb(dry_run: bool, done: &str, planned: &str) -> String {
    if dry_run {
        format!("would {planned}")
    } else {
        done.to_string()
    }
}

/// Plans the settings change: the edit, or a refusal naming the file.
fn plan_settings(path: &Path, original: Option<&str>, binary: &str) -> Result<Edit> {
    let desired = settings::desired_hooks(embedded::HOOKS_JSON, binary)
        .map_err(|e| Error::invalid(e.to_string(), "embedded hooks.json"))?;
    settings::install(original.unwrap_or(""), &desired).map_err(|e| refused(path, e))
}

/// Serialises concurrent installs and uninstalls; a dry run writes nothing, not even a lock file.
pub fn install_lock(ctx: &Env, dry_run: bool) -> Result<Option<store::LockGuard>> {
    if dry_run {
        return Ok(None);
    }
    store::lock(&ctx.layout.app_dir().join("install"), ctx.wait()).map(Some)
}

pub fn run(ctx: &Env, args: &InstallArgs, out: &mut super::Printer) -> Result<()> {
    let target = target(ctx, args.scope)?;
    let binary = binary_path()?;
    let dry = args.dry_run;
    let _lock = install_lock(ctx, dry)?;

    let settings_path = &target.settings;
    let original = read_settings(&write_target(settings_path)?)?;
    let edit = plan_settings(settings_path, original.as_deref(), &binary)?;
    let settings_change = original.as_deref() != Some(edit.text.as_str());
    let commands = plan_commands(&target.commands_dir, args.force)?;

    let mut text = format!(
        "{} claude-session into Claude Code ({} scope){}\n",
        if dry {
            "Dry run: installing"
        } else {
            "Installing"
        },
        scope_name(target.scope),
        if dry { "; nothing is written" } else { "" },
    );
    text.push_str(&format!("  binary    {binary}\n"));
    text.push_str(&format!("  settings  {}\n", settings_path.display()));
    let mut backup_note = String::new();
    if !settings_change {
        text.push_str("            hooks up to date\n");
    } else {
        if original.is_none() {
            text.push_str(&format!(
                "            {}\n",
                verb(dry, "created the file", "create the file")
            ));
        }
        for change in &edit.changes {
            text.push_str(&format!("            {}\n", planned(change, dry)));
        }
        if !dry {
            let saved = write_settings(settings_path, original.as_deref(), &edit.text)?;
            backup_note = backup_settings_note(saved.as_deref());
        }
    }
    text.push_str(&backup_note);

    text.push_str(&format!("  commands  {}\n", target.commands_dir.display()));
    let width = commands
        .iter()
        .map(|c| c.file.file_name.len())
        .max()
        .unwrap_or(0);
    let mut changed_commands = 0;
    for plan in &commands {
        let line = match plan.action {
            CommandAction::UpToDate => "up to date".to_string(),
            CommandAction::Add => verb(dry, "added", "add"),
            CommandAction::Update => verb(dry, "updated", "update"),
            CommandAction::KeepUsers => {
                "kept: it is yours (it differs from every version we shipped); \
                 --force replaces it after a backup"
                    .to_string()
            }
            CommandAction::ReplaceUsers => verb(dry, "replaced yours", "replace yours"),
        };
        let mut line = format!("            {:width$}  {line}", plan.file.file_name);
        if !dry && plan.action != CommandAction::UpToDate && plan.action != CommandAction::KeepUsers
        {
            let real = write_target(&plan.path)?;
            let mode = store::file_mode(&real);
            if plan.action == CommandAction::ReplaceUsers
                && let Some(bytes) = &plan.existing
            {
                let saved = backup(&plan.path, bytes, mode)?;
                line.push_str(&format!("; backup: {}", saved.display()));
            }
            store::write_atomic_mode(
                &real,
                plan.file.text.as_bytes(),
                mode.or(Some(NEW_FILE_MODE)),
            )?;
        }
        if !matches!(
            plan.action,
            CommandAction::UpToDate | CommandAction::KeepUsers
        ) {
            changed_commands += 1;
        }
        text.push_str(&line);
        text.push('\n');
    }

    if binary.contains("/target/debug/") || binary.contains("/target/release/") {
        text.push_str(
            "note: the hooks run a binary inside a build folder; `cargo clean` would break them \
             (./install.sh installs a stable copy)\n",
        );
    }
    let plugins = settings::enabled_plugins(original.as_deref().unwrap_or(""));
    if !plugins.is_empty() {
        text.push_str(&format!(
            "note: this settings file also enables the plugin {}: its hooks would run besides \
             these; keep one way (disable the plugin, or `claude-session uninstall`)\n",
            plugins.join(", ")
        ));
    }
    if let Some(note) = path_note(&binary) {
        text.push_str(&note);
        text.push('\n');
    }
    if dry {
        if settings_change {
            text.push('\n');
            text.push_str(&diff(
                settings_path,
                original.as_deref(),
                &edit.text,
                "after install",
            ));
        }
    } else if settings_change || changed_commands > 0 {
        text.push_str(
            "Installed. New Claude Code sessions load the hooks; type /start to begin a session.\n",
        );
    } else {
        text.push_str("Already installed: nothing to change.\n");
    }
    out.text(&text)
}
