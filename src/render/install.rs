use super::Human;
use crate::ops::install::{
    Elsewhere, InstallAction, InstallOutcome, Scope, SettingsReport, UninstallAction,
    UninstallOutcome,
};
use crate::ops::register::{McpAction, McpReport, StatuslineAction, StatuslineReport};

/// The indentation of the lines under `settings` and `commands`.
const INDENT: &str = "            ";

/// A change of the merge ("added hook ...") as a dry run says it ("would add hook ...").
fn planned(change: &str, dry_run: bool) -> String {
    if !dry_run {
        return change.to_string();
    }
    let (first, rest) = change.split_once(' ').unwrap_or((change, ""));
    let verb = match first {
        "added" => "add",
        "removed" => "remove",
        "updated" => "update",
        "restored" => "restore",
        other => other,
    };
    format!("would {verb} {rest}")
}

fn verb(dry_run: bool, done: &str, planned: &str) -> String {
    if dry_run {
        format!("would {planned}")
    } else {
        done.to_string()
    }
}

/// The first line: `Installing claude-session into ...`, or its dry-run form.
fn heading(dry_run: bool, doing: &str, direction: &str, scope: &str) -> String {
    let (first, rest) = doing.split_at(1);
    format!(
        "{} claude-session {direction} Claude Code ({scope} scope){}\n",
        if dry_run {
            format!("Dry run: {}{rest}", first.to_lowercase())
        } else {
            doing.to_string()
        },
        if dry_run { "; nothing is written" } else { "" },
    )
}

fn change_lines(settings: &SettingsReport, dry_run: bool) -> String {
    settings
        .changes
        .iter()
        .map(|change| format!("{INDENT}{}\n", planned(change, dry_run)))
        .collect()
}

fn backup_line(settings: &SettingsReport) -> String {
    settings
        .backup
        .as_ref()
        .map(|saved| format!("{INDENT}backup: {saved}\n"))
        .unwrap_or_default()
}

/// The MCP server's lines: `~/.claude.json` and what happened to our entry.
fn mcp_lines(mcp: &McpReport, dry: bool) -> String {
    let mut text = format!(
        "  mcp       {}
",
        mcp.path
    );
    let runs = mcp
        .command
        .as_deref()
        .map(|c| format!(" (runs {c} mcp)"))
        .unwrap_or_default();
    let line = match mcp.action {
        McpAction::Add => format!("{} server claude-session{runs}", verb(dry, "added", "add")),
        McpAction::Update => format!(
            "{} server claude-session{runs}",
            verb(dry, "updated", "update")
        ),
        McpAction::UpToDate => format!("server claude-session up to date{runs}"),
        McpAction::Remove => format!(
            "{} server claude-session{runs}",
            verb(dry, "removed", "remove")
        ),
        McpAction::NotThere => "no server of ours".to_string(),
        McpAction::Skipped => "left alone".to_string(),
    };
    text.push_str(&format!(
        "{INDENT}{line}
"
    ));
    if mcp.removed_file {
        text.push_str(&format!(
            "{INDENT}{} (install had made it; nothing else is in it)
",
            verb(dry, "removed the file", "remove the file")
        ));
    }
    if let Some(note) = &mcp.note {
        text.push_str(&format!(
            "{INDENT}{note}
"
        ));
    }
    if let Some(saved) = &mcp.backup {
        text.push_str(&format!("{INDENT}backup: {saved}\n"));
    }
    text
}

/// The status line's lines.
fn statusline_lines(status: &StatuslineReport, dry: bool) -> String {
    let yours = status
        .user_command
        .as_deref()
        .map(|c| format!(": {c}"))
        .unwrap_or_default();
    let line = match status.action {
        StatuslineAction::Set => format!("{} `claude-session statusline`", verb(dry, "set", "set")),
        StatuslineAction::Wrap => format!(
            "{} yours, with the session appended{yours}",
            verb(dry, "wrapped", "wrap")
        ),
        StatuslineAction::Update => verb(dry, "updated ours", "update ours"),
        StatuslineAction::UpToDate => "ours, up to date".to_string(),
        StatuslineAction::KeptYours => format!("kept yours{yours}"),
        StatuslineAction::CannotWrap => "kept yours".to_string(),
        StatuslineAction::Remove => verb(dry, "removed ours", "remove ours"),
        StatuslineAction::Restore => format!("{} yours{yours}", verb(dry, "restored", "restore")),
        StatuslineAction::UnknownOriginal => "kept ours".to_string(),
    };
    let mut text = format!("  status    {} (statusLine)\n{INDENT}{line}\n", status.path);
    if let Some(note) = &status.note {
        text.push_str(&format!("{INDENT}{note}\n"));
    }
    text
}

fn name_width<'a>(names: impl Iterator<Item = &'a str>) -> usize {
    names.map(str::len).max().unwrap_or(0)
}

impl Human for InstallOutcome {
    fn human(&self) -> String {
        let dry = self.dry_run;
        let mut text = heading(dry, "Installing", "into", self.scope.as_str());
        text.push_str(&format!("  binary    {}\n", self.binary));
        text.push_str(&format!("  settings  {}\n", self.settings.path));
        if !self.settings.changed {
            text.push_str(&format!("{INDENT}hooks up to date\n"));
        } else {
            if !self.settings.existed {
                text.push_str(&format!(
                    "{INDENT}{}\n",
                    verb(dry, "created the file", "create the file")
                ));
            }
            text.push_str(&change_lines(&self.settings, dry));
        }
        text.push_str(&backup_line(&self.settings));

        text.push_str(&format!("  commands  {}\n", self.commands_dir));
        let width = name_width(self.commands.iter().map(|c| c.file.as_str()));
        for command in &self.commands {
            let line = match command.action {
                InstallAction::UpToDate => "up to date".to_string(),
                InstallAction::Add => verb(dry, "added", "add"),
                InstallAction::Update => verb(dry, "updated", "update"),
                InstallAction::KeepYours => "kept: it is yours (it differs from every version \
                                             we shipped); --force replaces it after a backup"
                    .to_string(),
                InstallAction::ReplaceYours => verb(dry, "replaced yours", "replace yours"),
            };
            text.push_str(&format!("{INDENT}{:width$}  {line}", command.file));
            if let Some(saved) = &command.backup {
                text.push_str(&format!("; backup: {saved}"));
            }
            text.push('\n');
        }
        if let Some(status) = &self.statusline {
            text.push_str(&statusline_lines(status, dry));
        }
        if let Some(mcp) = &self.mcp {
            text.push_str(&mcp_lines(mcp, dry));
        }

        if self.binary_in_build_folder {
            text.push_str(
                "note: the hooks run a binary inside a build folder; `cargo clean` would break \
                 them (./install.sh installs a stable copy)\n",
            );
        }
        if !self.plugins.is_empty() {
            text.push_str(&format!(
                "note: this settings file also enables the plugin {}: its hooks would run \
                 besides these; keep one way (disable the plugin, or `claude-session uninstall`)\n",
                self.plugins.join(", ")
            ));
        }
        if let Some(problem) = &self.path_problem {
            text.push_str(&format!("note: {}\n", problem.message()));
        }
        if self.scope == Scope::Project {
            if self.machine_specific_path {
                text.push_str(&format!(
                    "warning: the hooks run {}, a path of this machine, and {} is usually \
                     committed: elsewhere they would not be found; put `claude-session` on PATH \
                     and run `claude-session install --scope project` again to write it by name\n",
                    self.hook_program, self.settings.path
                ));
            } else {
                text.push_str(&format!(
                    "note: the hooks run `{}` by name (PATH finds this binary), so {} holds no \
                     path of this machine\n",
                    self.hook_program, self.settings.path
                ));
            }
        }
        for found in &self.elsewhere {
            text.push_str(&elsewhere_warning(found, self.scope));
        }
        if dry {
            for diff in [
                self.settings.diff.as_ref(),
                self.mcp.as_ref().and_then(|m| m.diff.as_ref()),
            ]
            .into_iter()
            .flatten()
            {
                text.push('\n');
                text.push_str(diff);
            }
        } else if self.changed {
            text.push_str(
                "Installed. New Claude Code sessions load the hooks; type /start to begin a \
                 session.\n",
            );
        } else {
            text.push_str("Already installed: nothing to change.\n");
        }
        text
    }
}

/// The uninstall that removes the other installation, in words a user can type.
fn uninstall_command(scope: Scope) -> &'static str {
    match scope {
        Scope::User => "`claude-session uninstall`",
        Scope::Project => "`claude-session uninstall --scope project`",
    }
}

/// Install's warning about claude-session installed another way too.
fn elsewhere_warning(found: &Elsewhere, this: Scope) -> String {
    match found {
        Elsewhere::Scope {
            scope,
            hooks_in,
            commands_dir,
            commands,
        } => {
            let mut what = Vec::new();
            if let Some(settings) = hooks_in {
                what.push(format!("hooks in {settings}"));
            }
            if !commands.is_empty() {
                what.push(format!("{} in {commands_dir}", commands.join(", ")));
            }
            format!(
                "warning: claude-session is also installed in the {} scope ({}): Claude Code \
                 loads both, so hooks can run twice and each slash command is listed twice; \
                 keep one: {} removes that one ({} this one)\n",
                scope.as_str(),
                what.join("; "),
                uninstall_command(*scope),
                uninstall_command(this),
            )
        }
        Elsewhere::Plugin { id, settings } => format!(
            "warning: {settings} enables the plugin {id}: its hooks would run besides these and \
             its slash commands would duplicate these; keep one way (disable the plugin, or {})\n",
            uninstall_command(this)
        ),
    }
}

impl Human for UninstallOutcome {
    fn human(&self) -> String {
        let dry = self.dry_run;
        let mut text = heading(dry, "Uninstalling", "from", self.scope.as_str());
        text.push_str(&format!("  settings  {}\n", self.settings.path));
        if !self.settings.existed {
            text.push_str(&format!("{INDENT}no such file\n"));
        } else if self.settings.changed {
            text.push_str(&change_lines(&self.settings, dry));
            if self.settings.removed {
                text.push_str(&format!(
                    "{INDENT}{} (install had made it; nothing of yours is in it)\n",
                    verb(dry, "removed the file", "remove the file")
                ));
            }
            text.push_str(&backup_line(&self.settings));
        } else {
            text.push_str(&format!("{INDENT}no hook of ours\n"));
        }

        text.push_str(&format!("  commands  {}\n", self.commands_dir));
        let width = name_width(self.commands.iter().map(|c| c.file.as_str()));
        for command in &self.commands {
            let line = match command.action {
                UninstallAction::NotThere => "not there",
                UninstallAction::Remove if dry => "would remove",
                UninstallAction::Remove => "removed",
                UninstallAction::KeepYours => {
                    "kept: it is yours (it differs from every version we shipped)"
                }
            };
            text.push_str(&format!("{INDENT}{:width$}  {line}\n", command.file));
        }
        if let Some(status) = &self.statusline {
            text.push_str(&statusline_lines(status, dry));
        }
        if let Some(mcp) = &self.mcp {
            text.push_str(&mcp_lines(mcp, dry));
        }
        for dir in &self.removed_dirs {
            text.push_str(&format!(
                "  folder    {dir}  {} (install had made it)\n",
                verb(dry, "removed", "remove")
            ));
        }
        if !self.kept_backups.is_empty() {
            text.push_str("  backups   kept, copies of your files from before our changes:\n");
            for backup in &self.kept_backups {
                text.push_str(&format!("{INDENT}{backup}\n"));
            }
        }
        let diffs: Vec<&String> = [
            self.settings.diff.as_ref(),
            self.mcp.as_ref().and_then(|m| m.diff.as_ref()),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !diffs.is_empty() {
            for diff in diffs {
                text.push('\n');
                text.push_str(diff);
            }
        } else if !dry {
            text.push_str(if self.changed {
                "Uninstalled. Your state folder and sessions are kept.\n"
            } else {
                "Nothing of ours was installed here.\n"
            });
        }
        text
    }
}
