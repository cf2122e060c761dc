use super::Human;
use crate::ops::install::{
    InstallAction, InstallOutcome, SettingsReport, UninstallAction, UninstallOutcome,
};

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
        if dry {
            if let Some(diff) = &self.settings.diff {
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

impl Human for UninstallOutcome {
    fn human(&self) -> String {
        let dry = self.dry_run;
        let mut text = heading(dry, "Uninstalling", "from", self.scope.as_str());
        text.push_str(&format!("  settings  {}\n", self.settings.path));
        if !self.settings.existed {
            text.push_str(&format!("{INDENT}no such file\n"));
        } else if self.settings.changed {
            text.push_str(&change_lines(&self.settings, dry));
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
        if let Some(diff) = &self.settings.diff {
            text.push('\n');
            text.push_str(diff);
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
