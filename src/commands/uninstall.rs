//! `claude-session uninstall`: removes exactly our hook entries from settings.json (backed up
//! first) and the command files we shipped that nobody changed. What the user changed stays.

use super::install::{
    backup_settings_note, diff, install_lock, planned, read_optional, read_settings, refused,
    scope_name, target, write_settings, write_target,
};
use crate::cli::UninstallArgs;
use crate::embedded;
use crate::env::Env;
use crate::error::Result;
use crate::{settings, store};

pub fn run(ctx: &Env, args: &UninstallArgs, out: &mut super::Printer) -> Result<()> {
    let target = target(ctx, args.scope)?;
    let dry = args.dry_run;
    let _lock = install_lock(ctx, dry)?;

    let settings_path = &target.settings;
    let original = read_settings(&write_target(settings_path)?)?;
    let edit = match &original {
        Some(text) => Some(settings::uninstall(text).map_err(|e| refused(settings_path, e))?),
        None => None,
    };

    let mut text = format!(
        "{} claude-session from Claude Code ({} scope){}\n",
        if dry {
            "Dry run: uninstalling"
        } else {
            "Uninstalling"
        },
        scope_name(target.scope),
        if dry { "; nothing is written" } else { "" },
    );
    text.push_str(&format!("  settings  {}\n", settings_path.display()));
    let mut changed = false;
    let mut settings_diff = None;
    match (&original, &edit) {
        (Some(before), Some(edit)) if edit.changed(before) => {
            changed = true;
            for change in &edit.changes {
                text.push_str(&format!("            {}\n", planned(change, dry)));
            }
            if dry {
                settings_diff = Some(diff(
                    settings_path,
                    Some(before),
                    &edit.text,
                    "after uninstall",
                ));
            } else {
                let saved = write_settings(settings_path, Some(before), &edit.text)?;
                text.push_str(&backup_settings_note(saved.as_deref()));
            }
        }
        (None, _) => text.push_str("            no such file\n"),
        _ => text.push_str("            no hook of ours\n"),
    }

    text.push_str(&format!("  commands  {}\n", target.commands_dir.display()));
    let width = embedded::COMMANDS
        .iter()
        .map(|c| c.file_name.len())
        .max()
        .unwrap_or(0);
    for file in embedded::COMMANDS {
        let path = target.commands_dir.join(file.file_name);
        let line = match read_optional(&path)? {
            None => "not there".to_string(),
            Some(bytes) if embedded::is_shipped(file.file_name, &bytes) => {
                changed = true;
                if dry {
                    "would remove".to_string()
                } else {
                    store::remove_file(&path)?;
                    "removed".to_string()
                }
            }
            Some(_) => "kept: it is yours (it differs from every version we shipped)".to_string(),
        };
        text.push_str(&format!("            {:width$}  {line}\n", file.file_name));
    }
    if let Some(diff) = settings_diff {
        text.push('\n');
        text.push_str(&diff);
    } else if !dry {
        text.push_str(if changed {
            "Uninstalled. Your state folder and sessions are kept.\n"
        } else {
            "Nothing of ours was installed here.\n"
        });
    }
    out.text(&text)
}
