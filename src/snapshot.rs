//! Checkpoints: byte-exact copies of a session's files under
//! `snapshots/<checkpoint-id>/<path relative to the project>`, described by
//! `snapshots/<checkpoint-id>.manifest.json`.
//!
//! The manifest sits beside the tree, not inside it, so a project file named `manifest.json`
//! can never collide with it; it is written last, so a checkpoint without one is unfinished
//! and ignored. A file identical (same blake3 and mode) to one in an earlier checkpoint of the
//! session is a hard link to that copy, so re-checkpointing an unchanged tree costs no file
//! bytes. Copies are never modified in place: restores write new files and rename them.
//! A file whose size, mtime and mode match the previous checkpoint is not even read again.

use crate::archive::{self, Skipped};
use crate::clock;
use crate::env::Env;
use crate::error::{Error, IoContext, Result};
use crate::git;
use crate::paths::Project;
use crate::registry::{self, Workspace};
use crate::session::{CheckpointEntry, Event, SessionDoc};
use crate::store::{self, Loaded};
use indicatif::ProgressBar;
use jiff::Timestamp;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use serde_yaml_ng::{Mapping, Value};
use std::collections::{BTreeSet, HashMap};
use std::fs::{self, File};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Paths named in `session.yaml` per checkpoint; the manifest holds the full list.
pub const FILES_LISTED: usize = 100;
pub const MANIFEST_SUFFIX: &str = ".manifest.json";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Asked for by the user (or Claude).
    Manual,
    /// Taken by the hooks after `checkpoints.auto_minutes` of activity.
    Auto,
    /// Taken by an in-place restore just before it changes files.
    Safety,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Manual => "manual",
            Kind::Auto => "auto",
            Kind::Safety => "safety",
        }
    }
}

/// One file of a checkpoint.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct FileRecord {
    pub path: String,
    pub size: u64,
    /// Permission bits in octal, as `ls -l` and `chmod` read them (`644`, `755`).
    pub mode: String,
    pub mtime: Option<Timestamp>,
    pub blake3: String,
    /// Status-change time (ns): unlike mtime, `cp -p`, `touch -r` and unpackers cannot set it,
    /// so an unchanged (size, mtime, mode, ctime) means unchanged bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ctime_ns: Option<i64>,
}

impl FileRecord {
    pub fn mode_bits(&self) -> u32 {
        u32::from_str_radix(&self.mode, 8).unwrap_or(0o644) & 0o7777
    }
}

/// `snapshots/<id>.manifest.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub version: u32,
    pub id: String,
    pub session: String,
    pub created_at: Timestamp,
    pub description: String,
    pub kind: Kind,
    /// The project folder the paths are relative to.
    pub project: String,
    pub files: Vec<FileRecord>,
    /// Paths that were gone when the checkpoint was taken.
    #[serde(default)]
    pub deleted: Vec<String>,
    #[serde(default)]
    pub skipped: Vec<Skipped>,
    /// The session's artifacts outside the project (absolute paths, from `track --outside`):
    /// not copied, since a checkpoint holds the project's files only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub outside_project: Vec<String>,
    /// Bytes of all files of the checkpoint.
    pub total_bytes: u64,
    /// Bytes this checkpoint added on disk (the rest are hard links to earlier copies).
    pub new_bytes: u64,
    pub new_files: u64,
}

impl Manifest {
    /// `YYYY-MM-DD HH:MM:SS` in local time.
    pub fn created_at_local(&self) -> String {
        format!(
            "{} {}",
            clock::local_date(self.created_at),
            clock::local_time(self.created_at)
        )
    }
}

/// Which files to snapshot.
#[derive(Debug, Clone)]
pub enum Selection {
    /// The session's artifacts, what git reports as modified, deleted or untracked (not
    /// ignored), and the files of the session's previous checkpoint.
    Default,
    /// These paths (relative to the project; folders are expanded).
    Paths(Vec<String>),
}

#[derive(Debug, Clone)]
pub struct Request {
    pub description: String,
    pub kind: Kind,
    pub selection: Selection,
}

/// A checkpoint just taken.
#[derive(Debug, Clone)]
pub struct Taken {
    pub manifest: Manifest,
    #[allow(dead_code)] // also journaled by `take`; kept for callers that show the seed's entry
    pub entry: CheckpointEntry,
    pub dir: PathBuf,
}

/// What a checkpoint or backup may hold: nothing under `.git`, nothing of the state root (which
/// may lie inside the project), only plain relative paths.
#[derive(Debug, Clone)]
pub struct Scope {
    pub project: PathBuf,
    state_root: PathBuf,
}

impl Scope {
    pub fn new(ctx: &Env, project: &Project) -> Scope {
        let root = &ctx.layout.root;
        Scope {
            project: project.path.clone(),
            state_root: root.canonicalize().unwrap_or_else(|_| root.clone()),
        }
    }

    pub fn allows(&self, relative: &str) -> bool {
        let Ok(path) = archive::safe_relative(relative) else {
            return false;
        };
        if path.components().any(|c| c.as_os_str() == ".git") {
            return false;
        }
        !self.project.join(&path).starts_with(&self.state_root)
    }

    /// The path of `absolute` relative to the project, when inside it.
    pub fn relative_of(&self, absolute: &Path) -> Option<String> {
        let normalized = crate::paths::normalize(absolute);
        let rel = normalized.strip_prefix(&self.project).ok()?;
        let text = rel.to_str()?.replace('\\', "/");
        (!text.is_empty()).then_some(text)
    }

    /// Regular files below `relative_dir` (`""` for the whole project), honouring ignore
    /// files, skipping `.git` and the state root; relative to the project, sorted.
    pub fn walk(&self, relative_dir: &str) -> Vec<String> {
        let start = if relative_dir.is_empty() {
            self.project.clone()
        } else {
            self.project.join(relative_dir)
        };
        let state_root = self.state_root.clone();
        let walker = ignore::WalkBuilder::new(&start)
            .hidden(false)
            .git_ignore(true)
            .git_global(false)
            .git_exclude(true)
            .require_git(false)
            // Ignore files above the project are not the project's business.
            .parents(!relative_dir.is_empty())
            .follow_links(false)
            .filter_entry(move |entry| {
                entry.file_name() != ".git" && !entry.path().starts_with(&state_root)
            })
            .build();
        let mut out: Vec<String> = walker
            .filter_map(|entry| entry.ok())
            .filter(|entry| entry.file_type().is_some_and(|t| t.is_file()))
            .filter_map(|entry| self.relative_of(entry.path()))
            .filter(|rel| self.allows(rel))
            .collect();
        out.sort();
        out
    }

    /// The project's files: what git tracks or would add, or (outside git) every file not
    /// ignored; and what cannot be included, with the reason. A folder git does not look into
    /// (a nested repository) is walked. Paths that no longer exist are left for the caller.
    pub fn project_files(&self) -> Result<(Vec<String>, Vec<archive::Skipped>)> {
        let Some(found) = git::worktree_files(&self.project)? else {
            return Ok((self.walk(""), Vec::new()));
        };
        let mut files = Vec::new();
        for path in found.files {
            match path.strip_suffix('/') {
                Some(folder) => files.extend(self.walk(folder)),
                None if self.allows(&path) => files.push(path),
                None => {}
            }
        }
        files.sort();
        files.dedup();
        let skipped = found
            .not_utf8
            .into_iter()
            .map(|path| archive::Skipped {
                path,
                reason: "the file name is not UTF-8; not included".to_string(),
            })
            .collect();
        Ok((files, skipped))
    }
}

pub fn checkpoint_dir(ws: &Workspace, id: &str) -> PathBuf {
    ws.snapshots_dir().join(id)
}

pub fn manifest_path(ws: &Workspace, id: &str) -> PathBuf {
    ws.snapshots_dir().join(format!("{id}{MANIFEST_SUFFIX}"))
}

/// NNN of `checkpoint-NNN-...`.
pub fn checkpoint_number(name: &str) -> Option<u32> {
    let rest = name.strip_prefix("checkpoint-")?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

/// The session's finished checkpoints (those with a readable manifest), oldest first.
pub fn history(ws: &Workspace) -> Result<Vec<Manifest>> {
    let dir = ws.snapshots_dir();
    let entries = match fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io("list", &dir, e)),
    };
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry.at("list", &dir)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.ends_with(MANIFEST_SUFFIX) || checkpoint_number(&name).is_none() {
            continue;
        }
        if let Loaded::Found(manifest) = store::read_json::<Manifest>(&entry.path())? {
            out.push(manifest);
        }
    }
    out.sort_by_key(|m| (checkpoint_number(&m.id).unwrap_or(0), m.id.clone()));
    Ok(out)
}

/// A checkpoint by exact id, number (`2`, `002`) or unique prefix.
pub fn find(ws: &Workspace, query: &str) -> Result<Manifest> {
    let all = history(ws)?;
    if let Some(found) = all.iter().find(|m| m.id == query) {
        return Ok(found.clone());
    }
    let by_number = query
        .parse::<u32>()
        .ok()
        .and_then(|n| all.iter().find(|m| checkpoint_number(&m.id) == Some(n)));
    if let Some(found) = by_number {
        return Ok(found.clone());
    }
    let matches: Vec<&Manifest> = all.iter().filter(|m| m.id.starts_with(query)).collect();
    match matches.as_slice() {
        [one] => Ok((*one).clone()),
        [] => Err(Error::invalid(
            format!(
                "no such checkpoint; the session has: {}",
                if all.is_empty() {
                    "none".to_string()
                } else {
                    all.iter()
                        .map(|m| m.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            ),
            format!("{} {query}", ws.id),
        )),
        many => Err(Error::invalid(
            format!(
                "ambiguous checkpoint, it matches: {}",
                many.iter()
                    .map(|m| m.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            format!("{} {query}", ws.id),
        )),
    }
}

/// The paths a default checkpoint covers (see [`Selection::Default`]), and the session's
/// artifacts outside the project (recorded by `track --outside`), which it cannot cover.
fn default_paths(
    scope: &Scope,
    doc: &SessionDoc,
    previous: Option<&Manifest>,
) -> Result<(BTreeSet<String>, Vec<String>)> {
    let mut out = BTreeSet::new();
    let mut outside = BTreeSet::new();
    for artifact in doc.artifacts.created.iter().chain(&doc.artifacts.modified) {
        let path = Path::new(artifact);
        if !path.is_absolute() {
            out.insert(artifact.replace('\\', "/"));
        } else if let Some(relative) = scope.relative_of(path) {
            out.insert(relative);
        } else {
            outside.insert(artifact.clone());
        }
    }
    for change in git::changes(&scope.project)? {
        out.insert(change.path.trim_end_matches('/').to_string());
    }
    if let Some(previous) = previous {
        out.extend(previous.files.iter().map(|f| f.path.clone()));
    }
    Ok((expand(scope, out), outside.into_iter().collect()))
}

/// Keeps allowed paths, replacing folders by the files below them.
fn expand(scope: &Scope, paths: impl IntoIterator<Item = String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for path in paths {
        if !scope.allows(&path) {
            continue;
        }
        match fs::symlink_metadata(scope.project.join(&path)) {
            Ok(meta) if meta.is_dir() => out.extend(scope.walk(&path)),
            _ => {
                out.insert(path);
            }
        }
    }
    out
}

/// What the first look at a path found.
enum Probe {
    File {
        path: String,
        size: u64,
        mode: u32,
        mtime: Option<Timestamp>,
        ctime_ns: Option<i64>,
        hash: Option<String>,
    },
    Deleted(String),
    Skip(Skipped),
}

fn mode_of(meta: &fs::Metadata) -> u32 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.permissions().mode() & 0o7777
    }
    #[cfg(not(unix))]
    {
        if meta.permissions().readonly() {
            0o444
        } else {
            0o644
        }
    }
}

fn probe(scope: &Scope, path: String, latest: &HashMap<&str, &FileRecord>) -> Probe {
    let absolute = scope.project.join(&path);
    match fs::symlink_metadata(&absolute) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Probe::Deleted(path),
        Err(e) => Probe::Skip(Skipped {
            path,
            reason: e.to_string(),
        }),
        Ok(meta) if meta.file_type().is_symlink() => Probe::Skip(Skipped {
            path,
            reason: "symbolic link (not followed)".to_string(),
        }),
        Ok(meta) if !meta.is_file() => Probe::Skip(Skipped {
            path,
            reason: "not a regular file".to_string(),
        }),
        Ok(meta) => {
            let size = meta.len();
            let mode = mode_of(&meta);
            let mtime = archive::mtime_of(&meta);
            let ctime_ns = archive::ctime_of(&meta);
            // Same size, times and mode as in the previous checkpoint: the same bytes, unread.
            let hash = latest
                .get(path.as_str())
                .filter(|r| r.size == size && r.mtime == mtime && r.mtime.is_some())
                .filter(|r| r.ctime_ns == ctime_ns && r.ctime_ns.is_some())
                .filter(|r| r.mode_bits() == mode)
                .map(|r| r.blake3.clone());
            Probe::File {
                path,
                size,
                mode,
                mtime,
                ctime_ns,
                hash,
            }
        }
    }
}

/// blake3 of a file's bytes, and how many there were.
pub fn hash_file(path: &Path) -> std::io::Result<(String, u64)> {
    let mut hasher = blake3::Hasher::new();
    let file = File::open(path)?;
    hasher.update_reader(file)?;
    let size = hasher.count();
    Ok((hasher.finalize().to_hex().to_string(), size))
}

/// Picks the next `checkpoint-NNN-HH-MM-SS` under the snapshots lock and creates its folder
/// (`mkdir` fails on an existing one, so two processes never share an id). The returned lock
/// (of the manifest to come) is held until the manifest is written.
fn reserve(
    ws: &Workspace,
    now: Timestamp,
    wait: std::time::Duration,
) -> Result<(String, PathBuf, store::LockGuard)> {
    let snapshots = ws.snapshots_dir();
    store::ensure_dir(&snapshots)?;
    let _guard = store::lock(&snapshots, wait)?;
    reclaim_unfinished(ws)?;
    let mut highest = 0;
    for entry in fs::read_dir(&snapshots).at("list", &snapshots)? {
        let entry = entry.at("list", &snapshots)?;
        if let Some(n) = checkpoint_number(&entry.file_name().to_string_lossy()) {
            highest = highest.max(n);
        }
    }
    let time = clock::local(now).strftime("%H-%M-%S").to_string();
    let mut number = highest + 1;
    loop {
        let id = format!("checkpoint-{number:03}-{time}");
        let dir = snapshots.join(&id);
        if store::create_dir_new(&dir)? {
            let filling = store::lock(&manifest_path(ws, &id), std::time::Duration::ZERO)?;
            return Ok((id, dir, filling));
        }
        number += 1;
    }
}

/// Removes the folders of checkpoints killed before their manifest was written: no manifest
/// (not even a quarantined copy) and no process holding its lock, which every checkpoint takes
/// before it fills its folder. The caller holds the snapshots lock, so none is being reserved.
fn reclaim_unfinished(ws: &Workspace) -> Result<()> {
    let snapshots = ws.snapshots_dir();
    let mut names = Vec::new();
    for entry in fs::read_dir(&snapshots).at("list", &snapshots)? {
        names.push(
            entry
                .at("list", &snapshots)?
                .file_name()
                .to_string_lossy()
                .into_owned(),
        );
    }
    for name in &names {
        let dir = snapshots.join(name);
        if checkpoint_number(name).is_none() || !dir.is_dir() {
            continue;
        }
        let manifest = format!("{name}{MANIFEST_SUFFIX}");
        let corrupt = format!("{manifest}.corrupt-");
        if names
            .iter()
            .any(|n| *n == manifest || n.starts_with(&corrupt))
        {
            continue;
        }
        match store::lock(&manifest_path(ws, name), std::time::Duration::ZERO) {
            Ok(lock) => {
                store::remove_dir_all(&dir)?;
                lock.remove()?;
            }
            Err(Error::Busy { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Takes a checkpoint of the session's files and records it in `session.yaml`.
pub fn take(
    ctx: &Env,
    project: &Project,
    ws: &Workspace,
    request: &Request,
    progress: &ProgressBar,
) -> Result<Taken> {
    let now = ctx.now()?;
    let doc = registry::load(ws, ctx.wait())?;
    let history = history(ws)?;
    // A checkpoint killed between its manifest and its event is listed and restorable but
    // missing from session.yaml: recorded now (the fold keeps one entry per id, so a racing
    // take recording its own is harmless).
    let unrecorded: Vec<Event> = history
        .iter()
        .filter(|m| !doc.checkpoints.iter().any(|c| c.id == m.id))
        .map(|m| Event::Checkpoint {
            at: m.created_at,
            entry: entry_for(ws, m),
        })
        .collect();
    let doc = if unrecorded.is_empty() {
        doc
    } else {
        registry::commit(ws, &unrecorded, ctx.wait())?
    };
    let scope = Scope::new(ctx, project);
    let (paths, outside_project) = match &request.selection {
        Selection::Default => default_paths(&scope, &doc, history.last())?,
        Selection::Paths(paths) => (expand(&scope, paths.iter().cloned()), Vec::new()),
    };
    // A kill leaves the folder without a manifest; the next checkpoint reclaims it.
    let (id, dir, filling) = reserve(ws, now, ctx.wait())?;
    let earlier: Vec<(PathBuf, &Manifest)> = history
        .iter()
        .map(|m| (checkpoint_dir(ws, &m.id), m))
        .collect();
    let target = Target {
        id: &id,
        session: &ws.id,
        tree: &dir,
    };
    let manifest = match fill(&scope, &target, paths, &earlier, request, now, progress) {
        Ok(mut manifest) => {
            manifest.outside_project = outside_project;
            manifest
        }
        Err(e) => {
            // An unfinished checkpoint is useless; leave no half-copied tree behind.
            let _ = store::remove_dir_all(&dir);
            let _ = filling.remove();
            return Err(e);
        }
    };
    crate::fault::point("checkpoint.filled");
    store::write_json(&manifest_path(ws, &id), &manifest)?;
    let _ = filling.remove();
    crate::fault::point("checkpoint.manifest");
    let entry = entry_for(ws, &manifest);
    let doc = registry::commit(
        ws,
        &[Event::Checkpoint {
            at: now,
            entry: entry.clone(),
        }],
        ctx.wait(),
    )?;
    // The prompt hook reads the last checkpoint time from the index. A busy project lock is
    // fine: the Stop hook refreshes the entry at the end of the turn.
    if let Ok(_lock) = registry::lock_project(project, ctx.wait()) {
        registry::refresh_index_entry(project, ws, &doc, ctx.wait())?;
    }
    Ok(Taken {
        manifest,
        entry,
        dir,
    })
}

/// The files of a detached checkpoint, below its folder.
pub const DETACHED_FILES: &str = "files";
/// The manifest of a detached checkpoint, in its folder (beside `files/`, so no project file
/// can collide with it).
pub const DETACHED_MANIFEST: &str = "manifest.json";

/// A checkpoint kept outside any session (see [`take_detached`]).
#[derive(Debug, Clone)]
pub struct Detached {
    pub manifest: Manifest,
    /// Its folder: `files/` and `manifest.json`.
    pub dir: PathBuf,
}

/// Takes a checkpoint of `request`'s paths into a new folder `<area>/<YYYY-MM-DD-HHMMSS>/`
/// (`files/` and `manifest.json`), belonging to no session: the safety copy of an in-place
/// restore when no open session can hold it (an ended session's workspace is archived and
/// backed up as it was, and stays so). `session` names the session it is about.
pub fn take_detached(
    ctx: &Env,
    project: &Project,
    area: &Path,
    session: &str,
    request: &Request,
) -> Result<Detached> {
    let now = ctx.now()?;
    let scope = Scope::new(ctx, project);
    let paths = match &request.selection {
        Selection::Paths(paths) => expand(&scope, paths.iter().cloned()),
        Selection::Default => BTreeSet::new(),
    };
    store::ensure_dir(area)?;
    let stamp = clock::local(now).strftime("%Y-%m-%d-%H%M%S").to_string();
    let mut number = 1;
    let (id, dir) = loop {
        let id = if number == 1 {
            stamp.clone()
        } else {
            format!("{stamp}-{number}")
        };
        let dir = area.join(&id);
        if store::create_dir_new(&dir)? {
            break (id, dir);
        }
        number += 1;
    };
    let tree = dir.join(DETACHED_FILES);
    let target = Target {
        id: &id,
        session,
        tree: &tree,
    };
    let filled = fill(
        &scope,
        &target,
        paths,
        &[],
        request,
        now,
        &crate::progress::none(),
    )
    .and_then(|manifest| {
        store::write_json(&dir.join(DETACHED_MANIFEST), &manifest)?;
        Ok(manifest)
    });
    match filled {
        Ok(manifest) => Ok(Detached { manifest, dir }),
        Err(e) => {
            let _ = store::remove_dir_all(&dir);
            Err(e)
        }
    }
}

/// Where `fill` writes: the checkpoint's id, the session it belongs to, its tree.
struct Target<'a> {
    id: &'a str,
    session: &'a str,
    tree: &'a Path,
}

fn fill(
    scope: &Scope,
    target: &Target,
    paths: BTreeSet<String>,
    earlier: &[(PathBuf, &Manifest)],
    request: &Request,
    now: Timestamp,
    progress: &ProgressBar,
) -> Result<Manifest> {
    let dir = target.tree;
    let latest: HashMap<&str, &FileRecord> = earlier
        .last()
        .map(|(_, m)| m.files.iter().map(|f| (f.path.as_str(), f)).collect())
        .unwrap_or_default();
    // Earlier copies by content, newest first: a new file identical to one becomes a link.
    let mut by_content: HashMap<(String, u32), PathBuf> = HashMap::new();
    for (tree, manifest) in earlier.iter().rev() {
        for file in &manifest.files {
            by_content
                .entry((file.blake3.clone(), file.mode_bits()))
                .or_insert_with(|| tree.join(&file.path));
        }
    }

    progress.set_length(paths.len() as u64);
    // Stat everything, then hash (in parallel) only what may have changed.
    let probes: Vec<Probe> = paths
        .into_iter()
        .map(|path| probe(scope, path, &latest))
        .collect();
    let probes: Vec<Probe> = probes
        .into_par_iter()
        .map(|p| match p {
            Probe::File {
                path,
                size: _,
                mode,
                mtime,
                ctime_ns,
                hash: None,
            } => match hash_file(&scope.project.join(&path)) {
                // The size read wins over the one stat saw: the file may have grown since.
                Ok((hash, size_read)) => Probe::File {
                    path,
                    size: size_read,
                    mode,
                    mtime,
                    ctime_ns,
                    hash: Some(hash),
                },
                Err(e) => Probe::Skip(Skipped {
                    path,
                    reason: e.to_string(),
                }),
            },
            other => other,
        })
        .collect();

    let mut manifest = Manifest {
        version: store::STATE_VERSION,
        id: target.id.to_string(),
        session: target.session.to_string(),
        created_at: now,
        description: request.description.clone(),
        kind: request.kind,
        project: scope.project.to_string_lossy().into_owned(),
        files: Vec::new(),
        deleted: Vec::new(),
        skipped: Vec::new(),
        outside_project: Vec::new(),
        total_bytes: 0,
        new_bytes: 0,
        new_files: 0,
    };
    let mut copied = Vec::new();
    for probe in probes {
        progress.inc(1);
        let (path, size, mode, mtime, ctime_ns, hash) = match probe {
            Probe::Deleted(path) => {
                manifest.deleted.push(path);
                continue;
            }
            Probe::Skip(skip) => {
                manifest.skipped.push(skip);
                continue;
            }
            Probe::File {
                path,
                size,
                mode,
                mtime,
                ctime_ns,
                hash,
            } => (path, size, mode, mtime, ctime_ns, hash.unwrap_or_default()),
        };
        let destination = dir.join(&path);
        let existing = by_content.get(&(hash.clone(), mode));
        let linked = match existing {
            Some(copy) if fs::metadata(copy).is_ok_and(|m| m.len() == size) => {
                store::hard_link(copy, &destination)?
            }
            _ => false,
        };
        let record = if linked {
            FileRecord {
                path,
                size,
                mode: format!("{mode:o}"),
                mtime,
                blake3: hash,
                ctime_ns,
            }
        } else {
            let source = scope.project.join(&path);
            let input = match File::open(&source) {
                Ok(input) => input,
                Err(e) => {
                    manifest.skipped.push(Skipped {
                        path,
                        reason: e.to_string(),
                    });
                    continue;
                }
            };
            let modified = mtime.map(std::time::SystemTime::from);
            // Hash what is copied: a file changed since it was hashed is recorded as copied.
            let (copied_hash, copied_size) =
                // Read-only: later checkpoints hard-link this copy, so a write through any
                // one of the links would change them all. The manifest keeps the real mode.
                store::create_new_with(&destination, mode & !0o222, modified, false, |out| {
                    let mut reader = HashingReader::new(input);
                    let n = std::io::copy(&mut reader, out).at("copy", &source)?;
                    Ok((reader.finish(), n))
                })?;
            manifest.new_bytes += copied_size;
            manifest.new_files += 1;
            by_content.insert((copied_hash.clone(), mode), destination.clone());
            copied.push(destination);
            FileRecord {
                path,
                size: copied_size,
                mode: format!("{mode:o}"),
                mtime,
                blake3: copied_hash,
                ctime_ns,
            }
        };
        manifest.total_bytes += record.size;
        manifest.files.push(record);
    }
    // Durable before the manifest says the checkpoint exists.
    store::sync_files(&copied)?;
    Ok(manifest)
}

/// Reads through, hashing what passes.
pub struct HashingReader<R> {
    inner: R,
    hasher: blake3::Hasher,
}

impl<R: Read> HashingReader<R> {
    pub fn new(inner: R) -> Self {
        HashingReader {
            inner,
            hasher: blake3::Hasher::new(),
        }
    }
    pub fn finish(&self) -> String {
        self.hasher.finalize().to_hex().to_string()
    }
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
}

/// The seed's checkpoint entry for `session.yaml`, with our additions in `extra`.
fn entry_for(ws: &Workspace, manifest: &Manifest) -> CheckpointEntry {
    let mut extra = Mapping::new();
    let mut put = |key: &str, value: Value| {
        extra.insert(Value::String(key.to_string()), value);
    };
    put("at", Value::String(manifest.created_at.to_string()));
    put("kind", Value::String(manifest.kind.as_str().to_string()));
    put("files", Value::Number(manifest.files.len().into()));
    put("bytes", Value::Number(manifest.total_bytes.into()));
    put("new_bytes", Value::Number(manifest.new_bytes.into()));
    if manifest.files.len() > FILES_LISTED {
        put("files_listed", Value::Number(FILES_LISTED.into()));
    }
    if !manifest.deleted.is_empty() {
        put(
            "deleted",
            Value::Sequence(
                manifest
                    .deleted
                    .iter()
                    .take(FILES_LISTED)
                    .map(|p| Value::String(p.clone()))
                    .collect(),
            ),
        );
    }
    if !manifest.skipped.is_empty() {
        put("skipped", Value::Number(manifest.skipped.len().into()));
    }
    let manifest_file = manifest_path(ws, &manifest.id);
    let relative = manifest_file
        .strip_prefix(&ws.dir)
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_else(|_| manifest_file.to_string_lossy().into_owned());
    put("manifest", Value::String(relative));
    CheckpointEntry {
        id: manifest.id.clone(),
        time: clock::local_time(manifest.created_at),
        description: manifest.description.clone(),
        files_snapshot: manifest
            .files
            .iter()
            .take(FILES_LISTED)
            .map(|f| f.path.clone())
            .collect(),
        extra,
    }
}

/// When the checkpoint was taken, from the `at` of its `session.yaml` entry.
pub fn entry_instant(entry: &CheckpointEntry) -> Option<Timestamp> {
    entry
        .extra
        .get(Value::String("at".to_string()))
        .and_then(Value::as_str)
        .and_then(|s| s.parse().ok())
}

/// Whether an automatic checkpoint is due: the session is active, `minutes` (> 0) have passed
/// since its last checkpoint (or its start), and the journal shows activity since then.
pub fn auto_checkpoint_due(doc: &SessionDoc, now: Timestamp, minutes: i64) -> bool {
    if minutes <= 0 || doc.session.status != crate::session::Status::Active {
        return false;
    }
    let last_checkpoint = doc.checkpoints.iter().filter_map(entry_instant).max();
    let Some(since) = last_checkpoint.or(doc.session.started_at) else {
        return false;
    };
    let elapsed = now.as_second() - since.as_second();
    let active = doc.journal.last_event_at.is_some_and(|last| last > since);
    elapsed >= minutes * 60 && active
}
