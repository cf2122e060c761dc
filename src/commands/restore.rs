//! `claude-session restore checkpoint|backup`: brings files back from a checkpoint (into a new
//! folder, or into the project with `--in-place`) or from a session's ZIP backup.
//!
//! Every restore writes into a staging folder (or, in place, each file into a temporary file)
//! and moves the result into place only once it checked out; nothing lands outside the target,
//! an existing target is never overwritten unless `--force`, and every hash is verified.

use super::backups::{self, human_bytes};
use crate::archive::{self, Limits, Staging};
use crate::cli::{RestoreArgs, RestoreBackupArgs, RestoreCheckpointArgs, RestoreWhat};
use crate::env::Env;
use crate::error::{Error, IoContext, Result};
use crate::paths::{self, Project};
use crate::registry::{self, RESTORED_MARKER, Workspace};
use crate::snapshot::{self, FileRecord, HashingReader, Kind, Manifest, Request, Selection};
use crate::{progress, store};
use std::fs::{self, File};
use std::path::Path;

pub fn run(ctx: &Env, args: &RestoreArgs, out: &mut super::Printer) -> Result<()> {
    match &args.what {
        RestoreWhat::Checkpoint(args) => checkpoint(ctx, args, out),
        RestoreWhat::Backup(args) => backup(ctx, args, out),
    }
}

fn checkpoint(ctx: &Env, args: &RestoreCheckpointArgs, out: &mut super::Printer) -> Result<()> {
    let project = ctx.project()?;
    let ws = registry::resolve(&project, &args.session)?;
    let manifest = snapshot::find(&ws, &args.checkpoint)?;
    check_manifest(ctx, &project, &ws, &manifest)?;
    if args.in_place {
        in_place(ctx, &project, &ws, &manifest, args.dry_run, out)
    } else {
        to_folder(ctx, &project, &ws, &manifest, args, out)
    }
}

/// A manifest is data on disk: its paths are checked like archive entries before any use.
fn check_manifest(ctx: &Env, project: &Project, ws: &Workspace, m: &Manifest) -> Result<()> {
    let scope = snapshot::Scope::new(ctx, project);
    let place = snapshot::manifest_path(ws, &m.id);
    for path in m.files.iter().map(|f| &f.path).chain(&m.deleted) {
        if let Err(why) = archive::safe_relative(path) {
            return Err(Error::invalid(
                format!("refusing to restore: path `{path}` is unsafe: {why}"),
                place.display(),
            ));
        }
        if !scope.allows(path) {
            return Err(Error::invalid(
                format!("refusing to restore: path `{path}` is in .git or the state folder"),
                place.display(),
            ));
        }
    }
    let limits = Limits::from_config(ctx.config());
    if m.files.len() as u64 > limits.max_entries || m.total_bytes > limits.max_bytes {
        return Err(Error::invalid(
            "refusing to restore: the checkpoint is larger than backups.max_restore_bytes or backups.max_restore_entries allow",
            place.display(),
        ));
    }
    Ok(())
}

fn marker_text(what: &str, from: &Path, ctx: &Env) -> Result<String> {
    Ok(format!(
        "This folder was restored by claude-session. It is a copy, not a session: \
         `claude-session list` does not show it, and nothing here is tracked.\n\n\
         Restored: {what}\nFrom: {}\nAt: {}\n",
        from.display(),
        ctx.now()?
    ))
}

fn copy_verified(source: &Path, destination: &Path, record: &FileRecord) -> Result<()> {
    let input = File::open(source).at("read", source)?;
    let modified = record.mtime.map(std::time::SystemTime::from);
    let hash = store::create_new_with(destination, record.mode_bits(), modified, false, |out| {
        let mut reader = HashingReader::new(input);
        std::io::copy(&mut reader, out).at("copy", source)?;
        Ok(reader.finish())
    })?;
    if hash != record.blake3 {
        return Err(Error::corrupt(
            source,
            format!(
                "the checkpoint's copy of `{}` does not match its recorded hash; it was damaged",
                record.path
            ),
        ));
    }
    Ok(())
}

fn to_folder(
    ctx: &Env,
    project: &Project,
    ws: &Workspace,
    manifest: &Manifest,
    args: &RestoreCheckpointArgs,
    out: &mut super::Printer,
) -> Result<()> {
    let base = match &args.to {
        Some(dir) => checked_destination(ctx, project, dir, args.force)?,
        None => project
            .sessions_active()
            .join(format!("{}-{}-restored", ws.id, manifest.id)),
    };
    let (target, merge) = archive::choose_target(&base, args.force)?;
    let tree = snapshot::checkpoint_dir(ws, &manifest.id);
    if args.dry_run {
        return out.text(&format!(
            "Would restore {} file(s) ({}) of {} into {}\nDry run: nothing was written.\n",
            manifest.files.len(),
            human_bytes(manifest.total_bytes),
            manifest.id,
            target.display()
        ));
    }
    let bar = progress::bar(manifest.files.len() as u64, "restore");
    let staging = Staging::new(&target, merge)?;
    for record in &manifest.files {
        copy_verified(
            &tree.join(&record.path),
            &staging.path().join(&record.path),
            record,
        )?;
        bar.inc(1);
    }
    let marked = paths::is_inside(&target, &project.sessions_active());
    if marked {
        let what = format!("checkpoint {} of session {}", manifest.id, ws.id);
        let text = marker_text(&what, &tree, ctx)?;
        write_marker(&staging.path().join(RESTORED_MARKER), &text)?;
    }
    let target = staging.commit()?;
    bar.finish_and_clear();
    let mut text = format!(
        "✅ Restored {} of {} into {}\n📁 {} file(s), {}, every hash verified\n",
        manifest.id,
        ws.id,
        target.display(),
        manifest.files.len(),
        human_bytes(manifest.total_bytes)
    );
    if !manifest.deleted.is_empty() {
        text.push_str(&format!(
            "🗑️ {} file(s) were deleted at checkpoint time and are not in the folder\n",
            manifest.deleted.len()
        ));
    }
    if marked {
        text.push_str(&format!(
            "ℹ️ Marked with {RESTORED_MARKER}: it is a copy, not a session\n"
        ));
    }
    out.text(&text)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Create,
    Modify,
    Delete,
}

impl Action {
    fn word(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Modify => "modify",
            Action::Delete => "delete",
        }
    }
}

struct Step<'a> {
    path: &'a str,
    action: Action,
    record: Option<&'a FileRecord>,
}

/// What restoring `manifest` into the project would change.
fn plan<'a>(project: &Project, manifest: &'a Manifest) -> Result<(Vec<Step<'a>>, usize)> {
    let mut steps = Vec::new();
    let mut unchanged = 0;
    for record in &manifest.files {
        archive::refuse_symlinked_parents(&project.path, Path::new(&record.path))?;
        let live = project.path.join(&record.path);
        let action = match fs::symlink_metadata(&live) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some(Action::Create),
            Err(e) => return Err(Error::io("inspect", &live, e)),
            Ok(meta) if meta.is_dir() => {
                return Err(Error::invalid(
                    "a folder stands where the checkpoint has a file; move it away first",
                    live.display(),
                ));
            }
            Ok(meta) if meta.file_type().is_symlink() => Some(Action::Modify),
            Ok(meta) => {
                let same_mode = {
                    #[cfg(unix)]
                    {
                        use std::os::unix::fs::PermissionsExt;
                        meta.permissions().mode() & 0o7777 == record.mode_bits()
                    }
                    #[cfg(not(unix))]
                    true
                };
                let same = meta.len() == record.size
                    && same_mode
                    && snapshot::hash_file(&live)
                        .map(|(hash, _)| hash == record.blake3)
                        .at("read", &live)?;
                (!same).then_some(Action::Modify)
            }
        };
        match action {
            Some(action) => steps.push(Step {
                path: &record.path,
                action,
                record: Some(record),
            }),
            None => unchanged += 1,
        }
    }
    for path in &manifest.deleted {
        archive::refuse_symlinked_parents(&project.path, Path::new(path))?;
        match fs::symlink_metadata(project.path.join(path)) {
            Ok(meta) if !meta.is_dir() => steps.push(Step {
                path,
                action: Action::Delete,
                record: None,
            }),
            _ => unchanged += 1,
        }
    }
    Ok((steps, unchanged))
}

fn in_place(
    ctx: &Env,
    project: &Project,
    ws: &Workspace,
    manifest: &Manifest,
    dry_run: bool,
    out: &mut super::Printer,
) -> Result<()> {
    let (steps, unchanged) = plan(project, manifest)?;
    let mut text = format!(
        "Restore {} of {} into {}:\n",
        manifest.id,
        ws.id,
        project.path.display()
    );
    for step in &steps {
        text.push_str(&format!("  {:<7} {}\n", step.action.word(), step.path));
    }
    text.push_str(&format!(
        "  ({unchanged} file(s) already as in the checkpoint)\n"
    ));
    if steps.is_empty() {
        text.push_str("Nothing to restore: the project already matches the checkpoint.\n");
        return out.text(&text);
    }
    if dry_run {
        text.push_str("Dry run: nothing was changed.\n");
        return out.text(&text);
    }
    out.text(&text)?;

    // The safety net first: the current state of every file about to change.
    let request = Request {
        description: format!("Safety copy before restoring {}", manifest.id),
        kind: Kind::Safety,
        selection: Selection::Paths(steps.iter().map(|s| s.path.to_string()).collect()),
    };
    let safety = snapshot::take(ctx, project, ws, &request, &progress::none())?;
    if let Some(missed) = safety.manifest.skipped.first() {
        return Err(Error::invalid(
            format!(
                "could not save `{}` ({}) before restoring; nothing was changed",
                missed.path, missed.reason
            ),
            project.path.display(),
        ));
    }

    let tree = snapshot::checkpoint_dir(ws, &manifest.id);
    let bar = progress::bar(steps.len() as u64, "restore");
    for step in &steps {
        let live = project.path.join(step.path);
        match (step.action, step.record) {
            (Action::Delete, _) => store::remove_file(&live)?,
            (_, Some(record)) => write_in_place(&tree, &live, record, &safety.manifest.id)?,
            (_, None) => {}
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    let written = steps.iter().filter(|s| s.action != Action::Delete).count();
    let deleted = steps.len() - written;
    out.text(
        &format!(
            "🛟 Safety checkpoint: {} (undo with `claude-session restore checkpoint {} {} --in-place`)\n\
             ✅ Restored {written} file(s){}; every hash verified; git's index, HEAD and refs untouched\n",
            safety.manifest.id,
            ws.id,
            safety.manifest.id,
            if deleted > 0 {
                format!(", deleted {deleted}")
            } else {
                String::new()
            }
        ),
    )
}

/// Replaces one project file atomically with its checkpoint copy, then reads it back.
fn write_in_place(tree: &Path, live: &Path, record: &FileRecord, safety_id: &str) -> Result<()> {
    let source = tree.join(&record.path);
    let input = File::open(&source).at("read", &source)?;
    let copied = store::replace_with(live, record.mode_bits(), |out| {
        let mut reader = HashingReader::new(input);
        std::io::copy(&mut reader, out).at("copy", &source)?;
        Ok(reader.finish())
    })?;
    let (on_disk, _) = snapshot::hash_file(live).at("read", live)?;
    if copied != record.blake3 || on_disk != record.blake3 {
        return Err(Error::corrupt(
            live,
            format!(
                "hash check failed after restoring `{}`; the previous state is in {safety_id}",
                record.path
            ),
        ));
    }
    Ok(())
}

fn backup(ctx: &Env, args: &RestoreBackupArgs, out: &mut super::Printer) -> Result<()> {
    let project = ctx.project()?;
    let found = backups::find_session_backup(&project, &args.session)?;
    let base = match &args.to {
        Some(dir) => checked_destination(ctx, &project, dir, args.force)?,
        None => project
            .sessions_active()
            .join(format!("{}-restored", found.id)),
    };
    let (target, merge) = archive::choose_target(&base, args.force)?;
    let marked = paths::is_inside(&target, &project.sessions_active());
    let bar = progress::bar(0, "restore");
    let limits = Limits::from_config(ctx.config());
    let what = format!("session backup of {}", found.id);
    let unpacked = archive::unpack(&found.path, &target, merge, limits, &bar, |staging| {
        if marked {
            let text = marker_text(&what, &found.path, ctx)?;
            write_marker(&staging.join(RESTORED_MARKER), &text)?;
        }
        Ok(())
    })?;
    bar.finish_and_clear();
    let mut text = format!(
        "✅ Restored {} into {}\n📁 {} file(s), {}\n",
        found.path.display(),
        target.display(),
        unpacked.files,
        human_bytes(unpacked.bytes)
    );
    if marked {
        text.push_str(&format!(
            "ℹ️ Marked with {RESTORED_MARKER}: it is a copy, not a session\n"
        ));
    }
    out.text(&text)
}

/// Writes the marker; a file of that name among the restored content is kept as it is.
fn write_marker(path: &Path, text: &str) -> Result<()> {
    store::write_new_atomic_with(path, |file| {
        use std::io::Write;
        file.write_all(text.as_bytes()).at("write", path)
    })
    .map(|_| ())
}

/// A `--to` folder: never inside a `.git` folder, and never the project itself (or a folder
/// holding it) when `--force` would merge into it — that is what `--in-place`, with its
/// safety checkpoint, is for.
fn checked_destination(
    ctx: &Env,
    project: &Project,
    dir: &Path,
    force: bool,
) -> Result<std::path::PathBuf> {
    let absolute = ctx.absolute(dir);
    let resolved = paths::resolve_existing(&absolute);
    if resolved.components().any(|c| c.as_os_str() == ".git") {
        return Err(Error::invalid(
            "refusing to restore into a .git folder",
            absolute.display(),
        ));
    }
    if force && paths::is_inside(&project.path, &resolved) {
        return Err(Error::invalid(
            "refusing to merge a restore into the project; use --in-place (it takes a safety checkpoint first)",
            absolute.display(),
        ));
    }
    Ok(absolute)
}
