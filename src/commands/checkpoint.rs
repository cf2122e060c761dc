//! `claude-session checkpoint [DESCRIPTION] [--files F...]`: a checkpoint of the session's files.
//! `--auto` (hidden, spawned detached by the Stop hook) takes one only when it is due.

use super::backups::human_bytes;
use crate::cli::CheckpointArgs;
use crate::env::Env;
use crate::error::{Error, Result};
use crate::paths::Project;
use crate::registry::{self, Workspace};
use crate::snapshot::{self, Kind, Request, Selection, Taken};
use crate::{hooklog, progress, store};
use std::time::Duration;

pub fn run(ctx: &Env, args: &CheckpointArgs, out: &mut super::Printer) -> Result<()> {
    if args.auto {
        return match auto(ctx, args) {
            Ok(Some(taken)) => out.text(&report(&taken)),
            Ok(None) => Ok(()),
            // Spawned detached with no stdio: the hook log is where a failure can be seen.
            Err(e) => {
                let line = format!(
                    "{} checkpoint --auto error: {}",
                    ctx.now().unwrap_or_else(|_| jiff::Timestamp::now()),
                    e.one_line()
                );
                let rotation = hooklog::Rotation::from_config(ctx.config());
                let _ = hooklog::append(&ctx.layout, rotation, &line);
                Err(e)
            }
        };
    }
    let project = ctx.project()?;
    let ws = crate::ops::pick::open(ctx, &project, args.session.as_deref())?;
    if ws.archived {
        return Err(Error::invalid(
            "the session has ended; checkpoints belong to open sessions",
            &ws.id,
        ));
    }
    let selection = if args.files.is_empty() {
        Selection::Default
    } else {
        Selection::Paths(named_files(ctx, &project, &args.files)?)
    };
    let description = args.description.join(" ").trim().to_string();
    let request = Request {
        description: if description.is_empty() {
            "Checkpoint".to_string()
        } else {
            description
        },
        kind: Kind::Manual,
        selection,
    };
    let bar = progress::bar(0, "checkpoint");
    let taken = snapshot::take(ctx, &project, &ws, &request, &bar)?;
    bar.finish_and_clear();
    out.text(&report(&taken))
}

/// `--files` as paths relative to the project; each must exist and lie inside the project.
fn named_files(ctx: &Env, project: &Project, files: &[std::path::PathBuf]) -> Result<Vec<String>> {
    let scope = snapshot::Scope::new(ctx, project);
    let mut out = Vec::new();
    for file in files {
        let absolute = ctx.absolute(file);
        let relative = scope.relative_of(&absolute).ok_or_else(|| {
            Error::invalid("the file is not inside the project", absolute.display())
        })?;
        if std::fs::symlink_metadata(&absolute).is_err() {
            return Err(Error::invalid("no such file", absolute.display()));
        }
        if !scope.allows(&relative) {
            return Err(Error::invalid(
                "checkpoints never hold .git or claude-session's own state",
                absolute.display(),
            ));
        }
        out.push(relative);
    }
    Ok(out)
}

/// The automatic checkpoint: only for an active session, when `checkpoints.auto_minutes` have
/// passed since its last checkpoint (or its start) and something happened since. Anything else
/// is a silent no-op, so the hook that spawns this never has to care.
fn auto(ctx: &Env, args: &CheckpointArgs) -> Result<Option<Taken>> {
    let minutes = i64::from(ctx.config().checkpoints.auto_minutes);
    if minutes <= 0 {
        return Ok(None);
    }
    let project = ctx.project()?;
    if !project.dir.exists() {
        return Ok(None);
    }
    let ws = match &args.session {
        Some(id) => match registry::resolve(&project, id) {
            Ok(ws) => ws,
            Err(Error::SessionNotFound(_)) => return Ok(None),
            Err(e) => return Err(e),
        },
        None => match registry::open_sessions(&project, ctx.wait())?.as_slice() {
            [(ws, _)] => ws.clone(),
            _ => return Ok(None),
        },
    };
    if ws.archived {
        return Ok(None);
    }
    // One automatic checkpoint at a time: a second hook firing meanwhile just leaves.
    let _guard = match store::lock(&ws.dir.join("auto-checkpoint"), Duration::ZERO) {
        Ok(guard) => guard,
        Err(Error::Busy { .. }) => return Ok(None),
        Err(e) => return Err(e),
    };
    if !due(ctx, &ws, minutes)? {
        return Ok(None);
    }
    let request = Request {
        description: format!("Automatic checkpoint ({minutes} min)"),
        kind: Kind::Auto,
        selection: Selection::Default,
    };
    snapshot::take(ctx, &project, &ws, &request, &progress::none()).map(Some)
}

fn due(ctx: &Env, ws: &Workspace, minutes: i64) -> Result<bool> {
    let doc = registry::load(ws, ctx.wait())?;
    Ok(snapshot::auto_checkpoint_due(&doc, ctx.now()?, minutes))
}

/// The announcement, in the seed's words.
pub fn report(taken: &Taken) -> String {
    let m = &taken.manifest;
    let mut text = format!("💾 Checkpoint created: \"{}\"\n", m.description);
    text.push_str(&format!(
        "🆔 {} ({} {})\n",
        m.id,
        m.created_at_local(),
        m.kind.as_str()
    ));
    if m.files.is_empty() {
        text.push_str("📁 Files snapshotted: none (nothing changed or tracked)\n");
    } else {
        text.push_str(&format!(
            "📁 Files snapshotted: {}\n",
            list_some(m.files.iter().map(|f| f.path.as_str()), m.files.len())
        ));
    }
    if !m.deleted.is_empty() {
        text.push_str(&format!(
            "🗑️ Deleted (recorded): {}\n",
            list_some(m.deleted.iter().map(String::as_str), m.deleted.len())
        ));
    }
    if !m.skipped.is_empty() {
        text.push_str(&format!(
            "⚠️ Skipped: {}\n",
            m.skipped
                .iter()
                .take(5)
                .map(|s| format!("{} ({})", s.path, s.reason))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    text.push_str(&format!(
        "📦 {} file(s), {}; new on disk: {} in {} file(s)\n",
        m.files.len(),
        human_bytes(m.total_bytes),
        human_bytes(m.new_bytes),
        m.new_files
    ));
    text.push_str(&format!("📂 {}\n", taken.dir.display()));
    text
}

fn list_some<'a>(items: impl Iterator<Item = &'a str>, total: usize) -> String {
    let shown: Vec<&str> = items.take(10).collect();
    let mut text = shown.join(", ");
    if total > shown.len() {
        text.push_str(&format!(" and {} more", total - shown.len()));
    }
    text
}
