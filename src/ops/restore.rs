//! `restore checkpoint|backup|daily|milestone`: brings files back from a checkpoint (into a new
//! folder, or into the project in place), from a session's ZIP backup, or from a daily or
//! milestone backup.
//!
//! Every restore writes into a staging folder (or, in place, each file into a temporary file)
//! and moves the result into place only once it checked out; nothing lands outside the target,
//! an existing target is never overwritten unless `force` (a taken name makes a new one, and
//! the outcome says so), and every hash is verified. Restored folders go to
//! `<project state>/restored/` by default, out of `sessions/` and so out of daily backups.

use crate::archive::{self, Limits, Staging};
use crate::env::Env;
use crate::error::{Error, IoContext, Result};
use crate::paths::{self, Project};
use crate::registry::{self, RESTORED_MARKER, Workspace};
use crate::snapshot::{self, FileRecord, HashingReader, Kind, Manifest, Request, Selection};
use crate::{progress, store};
use serde::Serialize;
use std::fs::{self, File};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct RestoreCheckpointRequest {
    /// Session id or unique prefix.
    pub session: String,
    /// Checkpoint id, unique prefix or number.
    pub checkpoint: String,
    /// Restore into this folder (relative to the environment's directory, or absolute);
    /// `None`: `<project state>/restored/<session>-<checkpoint>-restored/`. Ignored in place.
    pub to: Option<PathBuf>,
    /// Put the files back into the project (after a safety checkpoint of what they replace).
    pub in_place: bool,
    /// Work out what would change and stop.
    pub dry_run: bool,
    /// Write into an existing target folder instead of choosing a new name.
    pub force: bool,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum RestoreCheckpointOutcome {
    /// Into a folder of its own.
    Folder(FolderRestore),
    /// Into the project.
    InPlace(InPlaceRestore),
}

#[derive(Debug, Clone, Serialize)]
pub struct FolderRestore {
    pub session_id: String,
    pub checkpoint_id: String,
    /// The folder restored into (or that would be, on a dry run).
    pub target: String,
    /// The folder asked for (or the default one), when it was taken and `target` is a new
    /// name beside it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requested: Option<String>,
    pub dry_run: bool,
    /// Files of the checkpoint and their bytes.
    pub files: usize,
    pub bytes: u64,
    /// Paths deleted at checkpoint time, which are not in the folder.
    pub deleted_at_checkpoint: usize,
    /// Whether the folder got the marker saying it is a copy, not a session.
    pub marked: bool,
}

/// What an in-place restore does to one project file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeAction {
    Create,
    Modify,
    Delete,
}

impl ChangeAction {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeAction::Create => "create",
            ChangeAction::Modify => "modify",
            ChangeAction::Delete => "delete",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PlannedChange {
    /// Relative to the project.
    pub path: String,
    pub action: ChangeAction,
}

#[derive(Debug, Clone, Serialize)]
pub struct InPlaceRestore {
    pub session_id: String,
    pub checkpoint_id: String,
    /// The project folder.
    pub project: String,
    pub dry_run: bool,
    /// What differs from the checkpoint, in the checkpoint's order.
    pub changes: Vec<PlannedChange>,
    /// Files already as in the checkpoint.
    pub unchanged: usize,
    /// The checkpoint of what was replaced (undo by restoring it in place); `None` when
    /// nothing was changed.
    pub safety_checkpoint: Option<String>,
    /// The session holding the safety checkpoint: this one while it is open; when it has
    /// ended, the project's open session; `None` when the safety copy is in the restore-safety
    /// area instead (no open session: an ended session's workspace is never written to).
    pub safety_session: Option<String>,
    /// The safety copy's folder.
    pub safety_path: Option<String>,
    /// Files written and deleted (0 when nothing was changed).
    pub written: usize,
    pub deleted: usize,
}

pub fn restore_checkpoint(
    env: &Env,
    request: &RestoreCheckpointRequest,
) -> Result<RestoreCheckpointOutcome> {
    let project = env.project()?;
    let ws = registry::resolve(&project, &request.session)?;
    let manifest = snapshot::find(&ws, &request.checkpoint)?;
    check_manifest(env, &project, &ws, &manifest)?;
    if request.in_place {
        in_place(env, &project, &ws, &manifest, request.dry_run)
            .map(RestoreCheckpointOutcome::InPlace)
    } else {
        to_folder(env, &project, &ws, &manifest, request).map(RestoreCheckpointOutcome::Folder)
    }
}

/// A manifest is data on disk: its paths are checked like archive entries before any use.
fn check_manifest(env: &Env, project: &Project, ws: &Workspace, m: &Manifest) -> Result<()> {
    let scope = snapshot::Scope::new(env, project);
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
    let limits = Limits::from_config(env.config());
    if m.files.len() as u64 > limits.max_entries || m.total_bytes > limits.max_bytes {
        return Err(Error::invalid(
            "refusing to restore: the checkpoint is larger than backups.max_restore_bytes or backups.max_restore_entries allow",
            place.display(),
        ));
    }
    Ok(())
}

fn marker_text(what: &str, from: &Path, env: &Env) -> Result<String> {
    Ok(format!(
        "This folder was restored by claude-session. It is a copy, not a session: \
         `claude-session list` does not show it, and nothing here is tracked.\n\n\
         Restored: {what}\nFrom: {}\nAt: {}\n",
        from.display(),
        env.now()?
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
    env: &Env,
    project: &Project,
    ws: &Workspace,
    manifest: &Manifest,
    request: &RestoreCheckpointRequest,
) -> Result<FolderRestore> {
    let base = match &request.to {
        Some(dir) => checked_destination(env, project, dir, request.force)?,
        None => restored_dir(project).join(format!("{}-{}-restored", ws.id, manifest.id)),
    };
    let (target, merge) = archive::choose_target(&base, request.force)?;
    let tree = snapshot::checkpoint_dir(ws, &manifest.id);
    let mut outcome = FolderRestore {
        session_id: ws.id.clone(),
        checkpoint_id: manifest.id.clone(),
        target: path_string(&target),
        requested: renamed(&base, &target),
        dry_run: request.dry_run,
        files: manifest.files.len(),
        bytes: manifest.total_bytes,
        deleted_at_checkpoint: manifest.deleted.len(),
        marked: false,
    };
    if request.dry_run {
        return Ok(outcome);
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
        let text = marker_text(&what, &tree, env)?;
        write_marker(&staging.path().join(RESTORED_MARKER), &text)?;
    }
    let target = staging.commit()?;
    bar.finish_and_clear();
    outcome.target = path_string(&target);
    outcome.marked = marked;
    Ok(outcome)
}

struct Step<'a> {
    path: &'a str,
    action: ChangeAction,
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
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Some(ChangeAction::Create),
            Err(e) => return Err(Error::io("inspect", &live, e)),
            Ok(meta) if meta.is_dir() => {
                return Err(Error::invalid(
                    "a folder stands where the checkpoint has a file; move it away first",
                    live.display(),
                ));
            }
            Ok(meta) if meta.file_type().is_symlink() => Some(ChangeAction::Modify),
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
                (!same).then_some(ChangeAction::Modify)
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
                action: ChangeAction::Delete,
                record: None,
            }),
            _ => unchanged += 1,
        }
    }
    Ok((steps, unchanged))
}

fn in_place(
    env: &Env,
    project: &Project,
    ws: &Workspace,
    manifest: &Manifest,
    dry_run: bool,
) -> Result<InPlaceRestore> {
    let (steps, unchanged) = plan(project, manifest)?;
    let mut outcome = InPlaceRestore {
        session_id: ws.id.clone(),
        checkpoint_id: manifest.id.clone(),
        project: path_string(&project.path),
        dry_run,
        changes: steps
            .iter()
            .map(|s| PlannedChange {
                path: s.path.to_string(),
                action: s.action,
            })
            .collect(),
        unchanged,
        safety_checkpoint: None,
        safety_session: None,
        safety_path: None,
        written: 0,
        deleted: 0,
    };
    if steps.is_empty() || dry_run {
        return Ok(outcome);
    }

    // The safety net first: the current state of every file about to change.
    let request = Request {
        description: format!("Safety copy before restoring {}", manifest.id),
        kind: Kind::Safety,
        selection: Selection::Paths(steps.iter().map(|s| s.path.to_string()).collect()),
    };
    let safety = match safety_home(env, project, ws) {
        SafetyHome::Session(home) => {
            let taken = snapshot::take(env, project, &home, &request, &progress::none())?;
            Safety {
                id: taken.manifest.id.clone(),
                session: Some(home.id.clone()),
                path: taken.dir,
                manifest: taken.manifest,
            }
        }
        SafetyHome::Area(area) => {
            let taken = snapshot::take_detached(env, project, &area, &ws.id, &request)?;
            Safety {
                id: taken.manifest.id.clone(),
                session: None,
                path: taken.dir,
                manifest: taken.manifest,
            }
        }
    };
    if let Some(missed) = safety.manifest.skipped.first() {
        return Err(Error::invalid(
            format!(
                "could not save `{}` ({}) before restoring; nothing was changed",
                missed.path, missed.reason
            ),
            project.path.display(),
        ));
    }
    let safety_place = match &safety.session {
        Some(_) => safety.id.clone(),
        None => path_string(&safety.path),
    };

    let tree = snapshot::checkpoint_dir(ws, &manifest.id);
    // Each file is written in the project's state folder and renamed over the project's file,
    // so a kill leaves no temp file in the project. Under the lock, whatever that folder still
    // holds is a killed restore's, removed first.
    let staging = project.dir.join("restoring");
    let staging_lock = store::lock(&staging, env.wait())?;
    store::remove_dir_all(&staging)?;
    let bar = progress::bar(steps.len() as u64, "restore");
    for step in &steps {
        let live = project.path.join(step.path);
        match (step.action, step.record) {
            (ChangeAction::Delete, _) => store::remove_file(&live)?,
            (_, Some(record)) => write_in_place(&tree, &live, &staging, record, &safety_place)?,
            (_, None) => {}
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    store::remove_empty_dir(&staging)?;
    staging_lock.remove()?;
    outcome.written = steps
        .iter()
        .filter(|s| s.action != ChangeAction::Delete)
        .count();
    outcome.deleted = steps.len() - outcome.written;
    outcome.safety_checkpoint = Some(safety.id);
    outcome.safety_session = safety.session;
    outcome.safety_path = Some(path_string(&safety.path));
    Ok(outcome)
}

/// Where an in-place restore keeps its safety copy.
enum SafetyHome {
    /// A checkpoint of this open session.
    Session(Workspace),
    /// A folder of its own in the restore-safety area.
    Area(PathBuf),
}

/// The safety copy taken before an in-place restore.
struct Safety {
    id: String,
    session: Option<String>,
    path: PathBuf,
    manifest: Manifest,
}

/// The session restored from while it is open; when it has ended (its workspace is archived
/// and backed up as it was, and checkpoints belong to open sessions), the project's open
/// session; with none (or no single one), the restore-safety area.
fn safety_home(env: &Env, project: &Project, ws: &Workspace) -> SafetyHome {
    if !ws.archived {
        return SafetyHome::Session(ws.clone());
    }
    match super::pick::open(env, project, None) {
        Ok(open) if !open.archived => SafetyHome::Session(open),
        _ => SafetyHome::Area(restore_safety_dir(project)),
    }
}

/// `<project state>/restore-safety/`: safety copies of in-place restores that no open session
/// could hold.
pub fn restore_safety_dir(project: &Project) -> PathBuf {
    project.dir.join("restore-safety")
}

/// `<project state>/restored/`: where restores go unless `--to` says otherwise.
pub fn restored_dir(project: &Project) -> PathBuf {
    project.dir.join("restored")
}

/// `base` when a restore went to another folder than `base` (it was taken).
fn renamed(base: &Path, target: &Path) -> Option<String> {
    (base != target).then(|| path_string(base))
}

/// Replaces one project file atomically with its checkpoint copy, then reads it back.
fn write_in_place(
    tree: &Path,
    live: &Path,
    staging: &Path,
    record: &FileRecord,
    safety: &str,
) -> Result<()> {
    let source = tree.join(&record.path);
    let input = File::open(&source).at("read", &source)?;
    let copied = store::replace_staged(live, staging, record.mode_bits(), |out| {
        let mut reader = HashingReader::new(input);
        std::io::copy(&mut reader, out).at("copy", &source)?;
        crate::fault::point("restore.staged");
        Ok(reader.finish())
    })?;
    let (on_disk, _) = snapshot::hash_file(live).at("read", live)?;
    if copied != record.blake3 || on_disk != record.blake3 {
        return Err(Error::corrupt(
            live,
            format!(
                "hash check failed after restoring `{}`; the previous state is in {safety}",
                record.path
            ),
        ));
    }
    Ok(())
}

#[derive(Debug, Clone)]
pub struct RestoreBackupRequest {
    /// Session id or unique prefix (of a backup in `backups/sessions/`).
    pub session: String,
    /// Restore into this folder (relative to the environment's directory, or absolute);
    /// `None`: `<project state>/restored/<session>-restored/`.
    pub to: Option<PathBuf>,
    /// Write into an existing target folder instead of choosing a new name.
    pub force: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct RestoreBackupOutcome {
    pub session_id: String,
    /// The ZIP unpacked (the session's newest backup).
    pub archive: String,
    /// The folder restored into.
    pub target: String,
    /// The folder asked for (or the default one), when it was taken and `target` is a new
    /// name beside it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requested: Option<String>,
    pub files: u64,
    pub bytes: u64,
    /// Whether the folder got the marker saying it is a copy, not a session.
    pub marked: bool,
}

/// Unpacks the session's newest ZIP backup into a new folder.
pub fn restore_backup(env: &Env, request: &RestoreBackupRequest) -> Result<RestoreBackupOutcome> {
    let project = env.project()?;
    let found = match super::backup::find_session_backup(&project, &request.session) {
        Ok(found) => found,
        // A daily or milestone backup's name given here: say which command restores it.
        Err(e) => {
            return Err(super::backup::other_kind_hint(&project, &request.session)?.unwrap_or(e));
        }
    };
    let base = match &request.to {
        Some(dir) => checked_destination(env, &project, dir, request.force)?,
        None => restored_dir(&project).join(format!("{}-restored", found.id)),
    };
    let (target, merge) = archive::choose_target(&base, request.force)?;
    let marked = paths::is_inside(&target, &project.sessions_active());
    let bar = progress::bar(0, "restore");
    let limits = Limits::from_config(env.config());
    let what = format!("session backup of {}", found.id);
    let unpacked = archive::unpack(&found.path, &target, merge, limits, &bar, |staging| {
        if marked {
            let text = marker_text(&what, &found.path, env)?;
            write_marker(&staging.join(RESTORED_MARKER), &text)?;
        }
        Ok(())
    })?;
    bar.finish_and_clear();
    Ok(RestoreBackupOutcome {
        session_id: found.id,
        archive: path_string(&found.path),
        target: path_string(&target),
        requested: renamed(&base, &target),
        files: unpacked.files,
        bytes: unpacked.bytes,
        marked,
    })
}

/// Which kind of backup folder a restore reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FolderKind {
    Daily,
    Milestone,
}

impl FolderKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FolderKind::Daily => "daily",
            FolderKind::Milestone => "milestone",
        }
    }
}

#[derive(Debug, Clone)]
pub struct RestoreFolderBackupRequest {
    pub kind: FolderKind,
    /// The backup's name as `backups` lists it: `YYYY-MM-DD[-N]` for a daily backup, the
    /// milestone's name.
    pub name: String,
    /// Restore into this folder (relative to the environment's directory, or absolute);
    /// `None`: `<project state>/restored/<kind>-<name>-restored/`.
    pub to: Option<PathBuf>,
    /// Write into an existing target folder instead of choosing a new name.
    pub force: bool,
}

/// One archive of a backup folder, as unpacked.
#[derive(Debug, Clone, Serialize)]
pub struct UnpackedArchive {
    /// `project.zip` or `sessions.zip`.
    pub archive: String,
    /// The folder it was unpacked into.
    pub folder: String,
    pub files: u64,
    pub bytes: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct RestoreFolderBackupOutcome {
    pub kind: FolderKind,
    /// The backup's name.
    pub name: String,
    /// The backup folder read.
    pub backup: String,
    /// The folder restored into: `project/` (the project's files) and `sessions/` (the
    /// sessions and session summaries) inside it.
    pub target: String,
    /// The folder asked for (or the default one), when it was taken and `target` is a new
    /// name beside it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requested: Option<String>,
    pub archives: Vec<UnpackedArchive>,
    /// Daily backups of the same day made after this one (their names).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub later_same_day: Vec<String>,
}

/// Where the two archives of a backup folder go inside the restore's folder: apart, so that a
/// project folder named `sessions` can never mix with the sessions.
const UNPACKED_INTO: [(&str, &str); 2] = [
    (super::backup::PROJECT_ARCHIVE, "project"),
    (super::backup::SESSIONS_ARCHIVE, "sessions"),
];

/// Unpacks a daily or milestone backup (`project.zip` into `project/`, `sessions.zip` into
/// `sessions/`) into a new folder, never over the project and never over an existing folder
/// without `force`.
pub fn restore_folder_backup(
    env: &Env,
    request: &RestoreFolderBackupRequest,
) -> Result<RestoreFolderBackupOutcome> {
    let project = env.project()?;
    let (found, later_same_day) = match request.kind {
        FolderKind::Daily => super::backup::find_daily(&project, &request.name)?,
        FolderKind::Milestone => (
            super::backup::find_milestone(&project, &request.name)?,
            Vec::new(),
        ),
    };
    let base = match &request.to {
        Some(dir) => checked_destination(env, &project, dir, request.force)?,
        None => restored_dir(&project).join(format!(
            "{}-{}-restored",
            request.kind.as_str(),
            found.name
        )),
    };
    let (target, merge) = archive::choose_target(&base, request.force)?;
    // Both archives are checked before anything is written; what the first declares counts
    // against the caps of the second.
    let limits = Limits::from_config(env.config());
    let mut checked = Vec::new();
    let mut left = limits;
    for (file, folder) in UNPACKED_INTO {
        let one = archive::check(&found.path.join(file), left)?;
        left.max_entries = left.max_entries.saturating_sub(one.entries());
        left.max_bytes = left.max_bytes.saturating_sub(one.declared_bytes());
        checked.push((file, folder, one));
    }
    let bar = progress::bar(0, "restore");
    let staging = Staging::new(&target, merge)?;
    let mut archives = Vec::new();
    for (file, folder, one) in checked {
        let unpacked = one.write_into(&staging.path().join(folder), &bar)?;
        archives.push(UnpackedArchive {
            archive: file.to_string(),
            folder: path_string(&target.join(folder)),
            files: unpacked.files,
            bytes: unpacked.bytes,
        });
    }
    staging.commit()?;
    bar.finish_and_clear();
    Ok(RestoreFolderBackupOutcome {
        kind: request.kind,
        name: found.name,
        backup: path_string(&found.path),
        target: path_string(&target),
        requested: renamed(&base, &target),
        archives,
        later_same_day,
    })
}

/// Writes the marker; a file of that name among the restored content is kept as it is.
fn write_marker(path: &Path, text: &str) -> Result<()> {
    store::write_new_atomic_with(path, |file| {
        use std::io::Write;
        file.write_all(text.as_bytes()).at("write", path)
    })
    .map(|_| ())
}

/// A `to` folder: never inside a `.git` folder, and never the project itself (or a folder
/// holding it) when `force` would merge into it — that is what an in-place restore, with its
/// safety checkpoint, is for.
fn checked_destination(env: &Env, project: &Project, dir: &Path, force: bool) -> Result<PathBuf> {
    let absolute = env.absolute(dir);
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

fn path_string(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}
