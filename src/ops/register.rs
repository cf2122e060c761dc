//! The optional registrations of `install`, and their removal by `uninstall`:
//!
//! - `--mcp`: our MCP server in Claude Code's user file `~/.claude.json` (where
//!   `$CLAUDE_CONFIG_DIR/.claude.json` when that is set), exactly the entry
//!   `claude mcp add -s user claude-session -- <binary> mcp` writes:
//!   `mcpServers.claude-session = {"type": "stdio", "command": <binary>, "args": ["mcp"], "env": {}}`.
//! - `--statusline`: `statusLine` in the user's settings.json, only where there is none;
//!   `--statusline=wrap` replaces only the `command` of the user's status line with
//!   `claude-session statusline --wrap` and keeps theirs in `<state>/claude-session/statusline.json`
//!   (the status line runs it, uninstall writes its exact bytes back).
//!
//! The settings-merge rules apply to both files: planned before any write, a file that is not
//! valid JSON refused in one line and left alone, a backup before a change, written atomically
//! after checking nobody changed it meanwhile, every byte not ours kept, a second run a no-op.

use super::statusline::{Wrapped, read_wrapped, wrapped_path};
use crate::error::{Error, Result};
use crate::paths::Layout;
use crate::settings::{self, BINARY_NAME, Edit, SettingsError};
use serde::Serialize;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// The name of our MCP server (tools reach hooks as `mcp__claude-session__<tool>`).
pub const MCP_NAME: &str = BINARY_NAME;
const MCP_PATH: [&str; 2] = ["mcpServers", MCP_NAME];
const CLAUDE_JSON: &str = ".claude.json";
const STATUS_LINE: [&str; 1] = ["statusLine"];
const STATUS_COMMAND: [&str; 2] = ["statusLine", "command"];

/// Claude Code's user file: `$CLAUDE_CONFIG_DIR/.claude.json` when that is set (verified with
/// 2.1.197 and 2.1.332), else `~/.claude.json`.
pub fn claude_json_path() -> Result<PathBuf> {
    if std::env::var_os("CLAUDE_CONFIG_DIR").is_some_and(|v| !v.is_empty()) {
        return Ok(super::install::claude_config_dir()?.join(CLAUDE_JSON));
    }
    let home = dirs::home_dir()
        .ok_or_else(|| Error::invalid("cannot find the home directory", "$HOME"))?;
    Ok(home.join(CLAUDE_JSON))
}

/// The entry `claude mcp add -s user claude-session -- <binary> mcp` writes.
pub fn mcp_entry(binary: &str) -> Value {
    json!({"type": "stdio", "command": binary, "args": ["mcp"], "env": {}})
}

/// An MCP server entry that runs ours: a `claude-session` program with the arguments `mcp`.
pub fn is_our_mcp_entry(entry: &Value) -> bool {
    let program = entry.get("command").and_then(Value::as_str).unwrap_or("");
    let file_name = program.rsplit(['/', '\\']).next().unwrap_or_default();
    file_name.strip_suffix(".exe").unwrap_or(file_name) == BINARY_NAME
        && entry.get("args") == Some(&json!(["mcp"]))
}

fn refused(path: &Path, e: SettingsError) -> Error {
    Error::invalid(format!("{e}; left it untouched"), path.display())
}

// ---------------------------------------------------------------------------------------------
// The MCP server in ~/.claude.json.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum McpAction {
    Add,
    /// Ours, with another binary path or shape: brought up to date.
    Update,
    UpToDate,
    Remove,
    NotThere,
    /// The file could not be read as JSON: left alone (see `note`).
    Skipped,
}

#[derive(Debug, Clone, Serialize)]
pub struct McpReport {
    /// `~/.claude.json`.
    pub path: String,
    pub action: McpAction,
    /// The file changed (or, in a dry run, would change).
    pub changed: bool,
    /// The program the entry runs.
    pub command: Option<String>,
    /// The copy of the previous file, when one was written.
    pub backup: Option<String>,
    /// A dry run's unified diff.
    pub diff: Option<String>,
    /// Uninstall removed the file: install had made it, and nothing else is in it.
    pub removed_file: bool,
    pub note: Option<String>,
}

/// A planned change of `~/.claude.json`.
#[derive(Debug, Clone)]
pub struct McpPlan {
    pub path: PathBuf,
    pub original: Option<String>,
    pub edit: Edit,
    pub action: McpAction,
    pub command: Option<String>,
    /// The file does not exist yet (install makes it).
    pub creates_file: bool,
    /// `mcpServers` does not exist yet (install makes it).
    pub creates_servers: bool,
    /// Uninstall removes the file (install had made it; nothing else is in it).
    pub remove_file: bool,
    pub note: Option<String>,
}

impl McpPlan {
    pub fn changes(&self) -> bool {
        self.remove_file || self.original.as_deref().unwrap_or("") != self.edit.text
    }

    fn unchanged(path: PathBuf, original: Option<String>, action: McpAction) -> McpPlan {
        McpPlan {
            edit: Edit {
                text: original.clone().unwrap_or_default(),
                changes: Vec::new(),
            },
            path,
            original,
            action,
            command: None,
            creates_file: false,
            creates_servers: false,
            remove_file: false,
            note: None,
        }
    }
}

fn read_claude_json(path: &Path) -> Result<Option<String>> {
    let real = super::install::write_target(path)?;
    match super::install::read_optional(&real)? {
        None => Ok(None),
        Some(bytes) => String::from_utf8(bytes).map(Some).map_err(|_| {
            Error::invalid(
                format!("{CLAUDE_JSON} is not UTF-8 text; left it untouched"),
                path.display(),
            )
        }),
    }
}

/// Plans our entry: added when `add` (install --mcp), else only an entry of ours brought up to
/// date. Another server named `claude-session` is the user's: refused, never replaced.
pub fn plan_mcp_install(binary: &str, add: bool) -> Result<McpPlan> {
    let path = claude_json_path()?;
    let original = read_claude_json(&path)?;
    let text = original.as_deref().unwrap_or("");
    let current = settings::member(text, &MCP_PATH, CLAUDE_JSON).map_err(|e| refused(&path, e))?;
    let servers =
        settings::member(text, &MCP_PATH[..1], CLAUDE_JSON).map_err(|e| refused(&path, e))?;
    let desired = mcp_entry(binary);
    let action = match &current {
        None if !add => return Ok(McpPlan::unchanged(path, original, McpAction::NotThere)),
        None => McpAction::Add,
        Some(entry) if *entry == desired => McpAction::UpToDate,
        Some(entry) if is_our_mcp_entry(entry) => McpAction::Update,
        Some(_) => {
            return Err(Error::invalid(
                format!(
                    "{CLAUDE_JSON} already has an MCP server named `{MCP_NAME}` that runs something \
                     else; left it untouched (remove it with `claude mcp remove -s user {MCP_NAME}`, \
                     then install again)"
                ),
                path.display(),
            ));
        }
    };
    let edit = settings::set_member(text, &MCP_PATH, &desired, CLAUDE_JSON)
        .map_err(|e| refused(&path, e))?;
    Ok(McpPlan {
        creates_file: original.is_none(),
        creates_servers: servers.is_none(),
        path,
        original,
        edit,
        action,
        command: Some(binary.to_string()),
        remove_file: false,
        note: None,
    })
}

/// Plans removing our entry (only an entry that runs our server); `made_servers` and
/// `made_file`: install had made `mcpServers` and the file, which go again once empty.
pub fn plan_mcp_uninstall(made_servers: bool, made_file: bool) -> Result<McpPlan> {
    let path = claude_json_path()?;
    let original = match read_claude_json(&path) {
        Ok(original) => original,
        Err(e) => {
            let mut plan = McpPlan::unchanged(path, None, McpAction::Skipped);
            plan.note = Some(e.one_line());
            return Ok(plan);
        }
    };
    let text = original.as_deref().unwrap_or("");
    let current = match settings::member(text, &MCP_PATH, CLAUDE_JSON) {
        Ok(current) => current,
        Err(e) => {
            let mut plan = McpPlan::unchanged(path, original, McpAction::Skipped);
            plan.note = Some(format!("{e}; left it untouched"));
            return Ok(plan);
        }
    };
    let Some(entry) = current.filter(is_our_mcp_entry) else {
        return Ok(McpPlan::unchanged(path, original, McpAction::NotThere));
    };
    let edit = settings::remove_member(text, &MCP_PATH, made_servers, CLAUDE_JSON)
        .map_err(|e| refused(&path, e))?;
    let remove_file = made_file && settings::is_empty_document(&edit.text);
    Ok(McpPlan {
        path,
        original,
        edit,
        action: McpAction::Remove,
        command: entry
            .get("command")
            .and_then(Value::as_str)
            .map(str::to_string),
        creates_file: false,
        creates_servers: false,
        remove_file,
        note: None,
    })
}

/// Carries out a plan (a dry run only describes it).
pub fn apply_mcp(plan: &McpPlan, dry_run: bool) -> Result<McpReport> {
    let changed = plan.changes();
    let mut report = McpReport {
        path: plan.path.display().to_string(),
        action: plan.action,
        changed,
        command: plan.command.clone(),
        backup: None,
        diff: None,
        removed_file: false,
        note: plan.note.clone(),
    };
    if !changed {
        return Ok(report);
    }
    let after = if plan.remove_file {
        ""
    } else {
        plan.edit.text.as_str()
    };
    if dry_run {
        report.diff = Some(super::install::diff(
            &plan.path,
            plan.original.as_deref(),
            after,
            "after this run",
        ));
        report.removed_file = plan.remove_file;
        return Ok(report);
    }
    if plan.remove_file {
        let real = super::install::write_target(&plan.path)?;
        super::install::check_unchanged(&plan.path, &real, plan.original.as_deref())?;
        crate::store::remove_file(&plan.path)?;
        report.removed_file = true;
        return Ok(report);
    }
    let keep_backup = plan
        .original
        .as_deref()
        .is_some_and(|text| !text.trim().is_empty());
    let saved = super::install::write_settings(
        &plan.path,
        plan.original.as_deref(),
        &plan.edit.text,
        keep_backup,
    )?;
    report.backup = saved.map(|p| p.display().to_string());
    Ok(report)
}

// ---------------------------------------------------------------------------------------------
// The status line in settings.json.

/// What `install --statusline` does with a status line the user has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StatuslineMode {
    /// Ours only where there is none.
    Set,
    /// The user's command runs first, ours is appended.
    Wrap,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StatuslineAction {
    /// Ours set where there was none.
    Set,
    /// The user's command kept in our state, ours runs it.
    Wrap,
    /// Ours, with another binary path: brought up to date.
    Update,
    UpToDate,
    /// The user's status line, left as it is.
    KeptYours,
    /// The user's status line has no command to wrap: left as it is.
    CannotWrap,
    /// Uninstall: ours removed.
    Remove,
    /// Uninstall: the user's command written back.
    Restore,
    /// Uninstall: ours wraps a command that is no longer known (its record is gone): left.
    UnknownOriginal,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatuslineReport {
    /// The settings file.
    pub path: String,
    pub action: StatuslineAction,
    /// The user's status line command (kept, wrapped or restored).
    pub user_command: Option<String>,
    pub note: Option<String>,
}

/// The status line part of an install or uninstall: the settings text after it, the report,
/// and what to do with the record of the wrapped command.
#[derive(Debug, Clone)]
pub struct StatuslinePlan {
    pub text: String,
    pub changes: Vec<String>,
    pub report: Option<StatuslineReport>,
    /// Write this record (before settings.json: a kill in between leaves a record of a command
    /// that is still in place, which the next run rewrites).
    pub save: Option<Wrapped>,
    /// Remove the record (after settings.json).
    pub forget: bool,
}

fn status_command(text: &str) -> Option<String> {
    settings::member(text, &STATUS_COMMAND, "settings.json")
        .ok()
        .flatten()
        .and_then(|v| v.as_str().map(str::to_string))
}

/// Plans the status line in `text` (settings.json, already holding the hooks' edit). `mode`
/// `None`: not asked for; an existing status line of ours is still brought up to date.
pub fn plan_statusline_install(
    layout: &Layout,
    path: &Path,
    text: &str,
    program: &str,
    mode: Option<StatuslineMode>,
) -> Result<StatuslinePlan> {
    let mut plan = StatuslinePlan {
        text: text.to_string(),
        changes: Vec::new(),
        report: None,
        save: None,
        forget: false,
    };
    let fail = |e: SettingsError| Error::invalid(format!("{e}; left it untouched"), path.display());
    let current = settings::member(text, &STATUS_LINE, "settings.json").map_err(fail)?;
    let report = |action, user_command: Option<String>, note: Option<String>| StatuslineReport {
        path: path.display().to_string(),
        action,
        user_command,
        note,
    };
    let Some(current) = current else {
        if mode.is_some() {
            let value =
                json!({"type": "command", "command": settings::statusline_command(program, false)});
            let edit =
                settings::set_member(text, &STATUS_LINE, &value, "settings.json").map_err(fail)?;
            plan.text = edit.text;
            plan.changes = edit.changes;
            plan.report = Some(report(StatuslineAction::Set, None, None));
        }
        return Ok(plan);
    };
    let command = current.get("command").and_then(Value::as_str);
    match command.map(|c| (c, settings::parse_statusline_command(c))) {
        Some((command, Some(wrap))) => {
            let desired = settings::statusline_command(program, wrap);
            let wrapped = read_wrapped(layout).filter(|w| w.settings == path.display().to_string());
            let note = (wrap && wrapped.is_none()).then(|| {
                "it wraps a status line command whose record is gone; it shows ours alone"
                    .to_string()
            });
            let user_command = wrapped.map(|w| w.command);
            if command == desired {
                if mode.is_some() {
                    plan.report = Some(report(StatuslineAction::UpToDate, user_command, note));
                }
                return Ok(plan);
            }
            let edit =
                settings::set_member(text, &STATUS_COMMAND, &json!(desired), "settings.json")
                    .map_err(fail)?;
            plan.text = edit.text;
            plan.changes = edit.changes;
            plan.report = Some(report(StatuslineAction::Update, user_command, note));
        }
        Some((command, None)) => match mode {
            None => {}
            Some(StatuslineMode::Set) => {
                plan.report = Some(report(
                    StatuslineAction::KeptYours,
                    Some(command.to_string()),
                    Some(
                        "yours is kept; `install --statusline=wrap` adds the session to it"
                            .to_string(),
                    ),
                ));
            }
            Some(StatuslineMode::Wrap) => {
                let raw = settings::member_raw(text, &STATUS_COMMAND, "settings.json")
                    .map_err(fail)?
                    .unwrap_or_else(|| json!(command).to_string());
                let desired = settings::statusline_command(program, true);
                let edit =
                    settings::set_member(text, &STATUS_COMMAND, &json!(desired), "settings.json")
                        .map_err(fail)?;
                plan.text = edit.text;
                plan.changes = edit.changes;
                plan.save = Some(Wrapped {
                    version: crate::store::STATE_VERSION,
                    settings: path.display().to_string(),
                    command: command.to_string(),
                    original: raw,
                });
                plan.report = Some(report(
                    StatuslineAction::Wrap,
                    Some(command.to_string()),
                    None,
                ));
            }
        },
        None => match mode {
            None => {}
            Some(StatuslineMode::Set) => {
                plan.report = Some(report(StatuslineAction::KeptYours, None, None));
            }
            Some(StatuslineMode::Wrap) => {
                plan.report = Some(report(
                    StatuslineAction::CannotWrap,
                    None,
                    Some("your statusLine has no command to wrap; left it".to_string()),
                ));
            }
        },
    }
    Ok(plan)
}

/// Plans taking our status line out of `text` (settings.json, already without our hooks): ours
/// removed, a wrapped command of the user's written back byte for byte.
pub fn plan_statusline_uninstall(
    layout: &Layout,
    path: &Path,
    text: &str,
) -> Result<StatuslinePlan> {
    let mut plan = StatuslinePlan {
        text: text.to_string(),
        changes: Vec::new(),
        report: None,
        save: None,
        forget: false,
    };
    let fail = |e: SettingsError| Error::invalid(format!("{e}; left it untouched"), path.display());
    let wrapped = read_wrapped(layout).filter(|w| w.settings == path.display().to_string());
    let report = |action, user_command: Option<String>, note: Option<String>| StatuslineReport {
        path: path.display().to_string(),
        action,
        user_command,
        note,
    };
    let ours = status_command(text).and_then(|c| settings::parse_statusline_command(&c));
    match (ours, wrapped) {
        (Some(false), _) => {
            let edit = settings::remove_member(text, &STATUS_LINE, false, "settings.json")
                .map_err(fail)?;
            plan.text = edit.text;
            plan.changes = edit.changes;
            plan.report = Some(report(StatuslineAction::Remove, None, None));
            plan.forget = true;
        }
        (Some(true), Some(wrapped)) => {
            let edit =
                settings::restore_member(text, &STATUS_COMMAND, &wrapped.original, "settings.json")
                    .map_err(fail)?;
            plan.text = edit.text;
            plan.changes = edit.changes;
            plan.report = Some(report(
                StatuslineAction::Restore,
                Some(wrapped.command),
                None,
            ));
            plan.forget = true;
        }
        (Some(true), None) => {
            plan.report = Some(report(
                StatuslineAction::UnknownOriginal,
                None,
                Some(
                    "the status line command it wraps is not on record; left it (your earlier \
                     statusLine is in the settings.json backups)"
                        .to_string(),
                ),
            ));
        }
        // Not ours (any more): a record of a command someone replaced since is stale.
        (None, wrapped) => plan.forget = wrapped.is_some(),
    }
    Ok(plan)
}

/// Writes the record of the wrapped command.
pub fn save_wrapped(layout: &Layout, wrapped: &Wrapped) -> Result<()> {
    crate::store::write_json(&wrapped_path(layout), wrapped)
}

/// Removes the record of the wrapped command.
pub fn forget_wrapped(layout: &Layout) -> Result<()> {
    crate::store::remove_file(&wrapped_path(layout))
}
