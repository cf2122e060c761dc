//! `backup daily|milestone NAME|prune` and `backups`: whole-project backups, and the listing of
//! every session, daily and milestone backup of the project.
//!
//! A backup folder holds `project.zip` (what git tracks plus untracked files it does not ignore;
//! outside git, every file not ignored; never `.git/` nor the state root), `sessions.zip` (the
//! project's session workspaces, active and archived, and the session summaries) and
//! `manifest.json` (the seed's fields plus path, size, mtime and blake3 of every file).
//!
//! Daily backups of the same day: if nothing changed since the day's latest one (same paths,
//! sizes and mtimes, checked by stat only) the outcome says "unchanged" and nothing is written;
//! otherwise the new backup goes into `<date>-2`, `<date>-3`... and earlier ones of the day are
//! kept: a backup is never replaced. `prune` keeps the newest N days (all backups of a day).

use crate::archive::{self, FileInfo, Skipped, Source};
use crate::env::Env;
use crate::error::{Error, IoContext, Result};
use crate::paths::Project;
use crate::snapshot::Scope;
use crate::store::{self, Loaded};
use crate::{clock, progress, registry};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

// The backups on disk: `manifest.json`, and the session, daily and milestone backups of a
// project as `restore backup`, `prune` and the listing find them.

pub const PROJECT_ARCHIVE: &str = "project.zip";
pub const SESSIONS_ARCHIVE: &str = "sessions.zip";
pub const MANIFEST_FILE: &str = "manifest.json";
pub const LOG_FILE: &str = "backups.log";

/// `manifest.json` of a daily or milestone backup.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BackupManifest {
    pub version: u32,
    /// `daily` or `milestone`.
    pub kind: String,
    pub name: String,
    /// The seed's fields.
    pub date: String,
    pub timestamp: String,
    pub items_backed_up: Vec<String>,
    pub backup_path: String,
    pub created_at: Timestamp,
    pub project: String,
    pub archives: Vec<ArchiveRecord>,
    /// The project's files (paths relative to the project).
    pub files: Vec<FileInfo>,
    /// The session files (paths relative to the project's state folder).
    pub session_files: Vec<FileInfo>,
    #[serde(default)]
    pub skipped: Vec<Skipped>,
}

/// One ZIP of a backup folder.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ArchiveRecord {
    /// Its file name (`project.zip`, `sessions.zip`).
    pub file: String,
    /// What it holds, in words.
    pub holds: String,
    /// Files in it and their bytes before compression.
    pub files: u64,
    pub bytes: u64,
    /// The ZIP's own size.
    pub size: u64,
}

/// Bytes of all files below `path` (0 when missing).
pub fn dir_size(path: &Path) -> u64 {
    archive::collect_files(path)
        .unwrap_or_default()
        .iter()
        .filter_map(|(absolute, _)| fs::metadata(absolute).ok())
        .map(|m| m.len())
        .sum()
}

fn modified_of(path: &Path) -> Option<Timestamp> {
    fs::metadata(path).ok().as_ref().and_then(archive::mtime_of)
}

/// One `backups/sessions/<id>-backup[-N].zip`.
#[derive(Debug, Clone)]
pub struct SessionBackup {
    pub id: String,
    /// 1 for `<id>-backup.zip`, N for `<id>-backup-N.zip`.
    pub number: u32,
    pub path: PathBuf,
    pub size: u64,
    pub modified: Option<Timestamp>,
}

fn parse_session_backup(name: &str) -> Option<(String, u32)> {
    let stem = name.strip_suffix(".zip")?;
    if let Some(id) = stem.strip_suffix("-backup") {
        return Some((id.to_string(), 1));
    }
    let (head, number) = stem.rsplit_once('-')?;
    let id = head.strip_suffix("-backup")?;
    Some((id.to_string(), number.parse().ok()?))
}

fn names_in(dir: &Path) -> Result<Vec<String>> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io("list", dir, e)),
    };
    let mut names = Vec::new();
    for entry in entries {
        names.push(
            entry
                .at("list", dir)?
                .file_name()
                .to_string_lossy()
                .into_owned(),
        );
    }
    names.sort();
    Ok(names)
}

pub fn session_backups(project: &Project) -> Result<Vec<SessionBackup>> {
    let dir = project.backups_sessions();
    let mut out = Vec::new();
    for name in names_in(&dir)? {
        let Some((id, number)) = parse_session_backup(&name) else {
            continue;
        };
        let path = dir.join(&name);
        out.push(SessionBackup {
            id,
            number,
            size: fs::metadata(&path).map(|m| m.len()).unwrap_or(0),
            modified: modified_of(&path),
            path,
        });
    }
    out.sort_by(|a, b| (&a.id, a.number).cmp(&(&b.id, b.number)));
    Ok(out)
}

/// The newest backup of the session named by exact id or unique prefix.
pub fn find_session_backup(project: &Project, query: &str) -> Result<SessionBackup> {
    let all = session_backups(project)?;
    let mut ids: Vec<&str> = all.iter().map(|b| b.id.as_str()).collect();
    ids.dedup();
    let id = if ids.contains(&query) {
        query.to_string()
    } else {
        let matches: Vec<&str> = ids
            .iter()
            .copied()
            .filter(|id| id.starts_with(query))
            .collect();
        match matches.as_slice() {
            [one] => one.to_string(),
            [] => {
                return Err(Error::invalid(
                    "no session backup matches; see `claude-session backups`",
                    query,
                ));
            }
            many => {
                return Err(Error::AmbiguousSession {
                    prefix: query.to_string(),
                    candidates: many.join(", "),
                });
            }
        }
    };
    all.into_iter()
        .filter(|b| b.id == id)
        .max_by_key(|b| b.number)
        .ok_or_else(|| Error::invalid("no session backup matches", query))
}

/// One folder of `backups/daily/` or `backups/milestones/`.
#[derive(Debug, Clone)]
pub struct FolderBackup {
    pub name: String,
    pub path: PathBuf,
    /// The local date it belongs to (`YYYY-MM-DD`).
    pub date: Option<String>,
    pub created_at: Option<Timestamp>,
}

/// `YYYY-MM-DD` or `YYYY-MM-DD-N`: the date and N (1 for the plain name).
pub fn parse_daily_name(name: &str) -> Option<(String, u32)> {
    let bytes = name.as_bytes();
    let dated = bytes.len() >= 10
        && bytes[..10].iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !dated {
        return None;
    }
    let (date, rest) = name.split_at(10);
    match rest {
        "" => Some((date.to_string(), 1)),
        _ => {
            let n: u32 = rest.strip_prefix('-')?.parse().ok()?;
            (n >= 2).then(|| (date.to_string(), n))
        }
    }
}

fn read_backup_manifest(dir: &Path) -> Option<BackupManifest> {
    match store::read_json::<BackupManifest>(&dir.join(MANIFEST_FILE)) {
        Ok(Loaded::Found(manifest)) => Some(manifest),
        _ => None,
    }
}

/// Finished daily backups (folders named by date), oldest first.
pub fn daily_backups(project: &Project) -> Result<Vec<FolderBackup>> {
    let dir = project.backups_daily();
    let mut out = Vec::new();
    for name in names_in(&dir)? {
        let Some((date, number)) = parse_daily_name(&name) else {
            continue;
        };
        let path = dir.join(&name);
        if !path.is_dir() {
            continue;
        }
        let manifest = read_backup_manifest(&path);
        out.push((
            (date.clone(), number),
            FolderBackup {
                name,
                date: Some(date),
                created_at: manifest
                    .map(|m| m.created_at)
                    .or_else(|| modified_of(&path)),
                path,
            },
        ));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out.into_iter().map(|(_, b)| b).collect())
}

pub fn milestone_backups(project: &Project) -> Result<Vec<FolderBackup>> {
    let dir = project.backups_milestones();
    let mut out = Vec::new();
    for name in names_in(&dir)? {
        let path = dir.join(&name);
        if name.starts_with('.') || !path.is_dir() {
            continue;
        }
        let manifest = read_backup_manifest(&path);
        out.push(FolderBackup {
            name,
            date: manifest.as_ref().map(|m| m.date.clone()),
            created_at: manifest
                .map(|m| m.created_at)
                .or_else(|| modified_of(&path)),
            path,
        });
    }
    Ok(out)
}

/// The daily backup named `name` (`YYYY-MM-DD` or `YYYY-MM-DD-N`, as `backups` lists it), and
/// the names of that day's later backups.
pub fn find_daily(project: &Project, name: &str) -> Result<(FolderBackup, Vec<String>)> {
    let all = daily_backups(project)?;
    let Some(position) = all.iter().position(|b| b.name == name) else {
        if let Some(hint) = other_kind_hint(project, name)? {
            return Err(hint);
        }
        return Err(Error::invalid(
            format!(
                "no daily backup of that name; the project has: {}",
                listed(all.iter().map(|b| b.name.as_str()))
            ),
            name,
        ));
    };
    let found = all[position].clone();
    let later = all[position + 1..]
        .iter()
        .filter(|b| b.date == found.date)
        .map(|b| b.name.clone())
        .collect();
    Ok((found, later))
}

/// The milestone named `name` (as given to `backup milestone`, or as sanitised).
pub fn find_milestone(project: &Project, name: &str) -> Result<FolderBackup> {
    let all = milestone_backups(project)?;
    let sanitised = milestone_name(name);
    if let Some(found) = all
        .iter()
        .find(|b| b.name == name || Some(&b.name) == sanitised.as_ref())
    {
        return Ok(found.clone());
    }
    if let Some(hint) = other_kind_hint(project, name)? {
        return Err(hint);
    }
    Err(Error::invalid(
        format!(
            "no milestone of that name; the project has: {}",
            listed(all.iter().map(|b| b.name.as_str()))
        ),
        name,
    ))
}

/// When `query` names a daily backup (its name or date) or a milestone, the error that says
/// which `restore` command takes it; `None` otherwise. For a lookup of another kind that failed.
pub fn other_kind_hint(project: &Project, query: &str) -> Result<Option<Error>> {
    let daily = daily_backups(project)?;
    if daily
        .iter()
        .any(|b| b.name == query || b.date.as_deref() == Some(query))
    {
        return Ok(Some(Error::invalid(
            format!(
                "that is a daily backup; restore it with `claude-session restore daily {query}`"
            ),
            query,
        )));
    }
    let sanitised = milestone_name(query);
    if milestone_backups(project)?
        .iter()
        .any(|b| b.name == query || Some(&b.name) == sanitised.as_ref())
    {
        return Ok(Some(Error::invalid(
            format!(
                "that is a milestone backup; restore it with `claude-session restore milestone {query}`"
            ),
            query,
        )));
    }
    Ok(None)
}

fn listed<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<&str> = names.collect();
    if names.is_empty() {
        "none".to_string()
    } else {
        names.join(", ")
    }
}

/// Restored folders: those in `<project state>/restored/`, and those that older versions put
/// into `sessions/active/` (`*-restored`, always marked: the marker, not the name, tells them
/// from a session whose focus ends in "restored").
pub fn restored_folders(project: &Project) -> Result<Vec<FolderBackup>> {
    let mut out = Vec::new();
    let places = [
        (super::restore::restored_dir(project), false),
        (project.sessions_active(), true),
    ];
    for (dir, legacy) in places {
        for name in names_in(&dir)? {
            let path = dir.join(&name);
            if name.starts_with('.') || !path.is_dir() {
                continue;
            }
            if legacy && !path.join(registry::RESTORED_MARKER).exists() {
                continue;
            }
            let created_at = modified_of(&path);
            out.push(FolderBackup {
                name,
                date: created_at.map(clock::local_date),
                created_at,
                path,
            });
        }
    }
    Ok(out)
}

// Writing a backup.

/// A file found for the backup, with what stat said.
struct Found {
    source: Source,
    size: u64,
    mtime: Option<Timestamp>,
    ctime_ns: Option<i64>,
}

/// What a backup would hold right now, by stat only.
struct Survey {
    project: Vec<Found>,
    sessions: Vec<Found>,
    skipped: Vec<Skipped>,
}

fn survey(env: &Env, project: &Project) -> Result<Survey> {
    let scope = Scope::new(env, project);
    let mut survey = Survey {
        project: Vec::new(),
        sessions: Vec::new(),
        skipped: Vec::new(),
    };
    let (files, unreadable_names) = scope.project_files()?;
    survey.skipped.extend(unreadable_names);
    for path in files {
        let absolute = project.path.join(&path);
        match fs::symlink_metadata(&absolute) {
            Ok(meta) if meta.is_file() => survey.project.push(Found {
                size: meta.len(),
                mtime: archive::mtime_of(&meta),
                ctime_ns: archive::ctime_of(&meta),
                source: Source {
                    absolute,
                    name: path,
                },
            }),
            Ok(meta) if meta.file_type().is_symlink() => survey.skipped.push(Skipped {
                path,
                reason: "symbolic link (not followed)".to_string(),
            }),
            // Tracked but deleted from the working tree, or a folder (submodule): nothing to keep.
            _ => {}
        }
    }
    let state = [
        (project.dir.join("sessions"), "sessions"),
        (project.summaries_dir(), "session-summaries"),
        // The project memory (issue 15): project state, like the sessions.
        (crate::memory::memory_dir(project), "memory"),
    ];
    for (dir, prefix) in state {
        if !dir.is_dir() {
            continue;
        }
        let restored: Vec<String> = if prefix == "sessions" {
            restored_workspaces(&dir)?
        } else {
            Vec::new()
        };
        for (absolute, relative) in archive::collect_files(&dir)? {
            // Restored folders are copies of what a backup already holds: leaving them in
            // would put every restore into every later daily backup.
            if restored.iter().any(|r| {
                relative
                    .strip_prefix(r.as_str())
                    .is_some_and(|rest| rest.starts_with('/'))
            }) {
                continue;
            }
            if let Ok(meta) = fs::metadata(&absolute) {
                survey.sessions.push(Found {
                    size: meta.len(),
                    mtime: archive::mtime_of(&meta),
                    ctime_ns: archive::ctime_of(&meta),
                    source: Source {
                        absolute,
                        name: format!("{prefix}/{relative}"),
                    },
                });
            }
        }
    }
    Ok(survey)
}

/// The restored folders among `sessions/active/*` and `sessions/archive/*` (relative to
/// `sessions/`): those holding the restore marker (every `*-restored` folder that older
/// versions made there has it; a session whose focus ends in "restored" has not).
fn restored_workspaces(sessions: &Path) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for group in ["active", "archive"] {
        let dir = sessions.join(group);
        for name in names_in(&dir)? {
            let path = dir.join(&name);
            if path.is_dir() && path.join(registry::RESTORED_MARKER).exists() {
                out.push(format!("{group}/{name}"));
            }
        }
    }
    Ok(out)
}

/// True when `found` lists exactly the files of `recorded`, with the same sizes, mtimes and
/// status-change times (an mtime put back by `cp -p` or `touch -r` still counts as a change).
fn same_files(found: &[Found], recorded: &[FileInfo]) -> bool {
    if found.len() != recorded.len() {
        return false;
    }
    let by_path: HashMap<&str, &FileInfo> = recorded.iter().map(|f| (f.path.as_str(), f)).collect();
    found.iter().all(|f| {
        by_path.get(f.source.name.as_str()).is_some_and(|r| {
            r.size == f.size
                && r.mtime == f.mtime
                && f.mtime.is_some()
                && r.ctime_ns == f.ctime_ns
                && f.ctime_ns.is_some()
        })
    })
}

/// Writes the backup into a staging folder beside `target`, then moves it into place.
fn write_backup(
    kind: &str,
    name: &str,
    target: &Path,
    project: &Project,
    survey: Survey,
    now: Timestamp,
) -> Result<BackupManifest> {
    let parent = target
        .parent()
        .ok_or_else(|| Error::invalid("a backup needs a parent folder", target.display()))?;
    // Staging folders of backups that were killed: the caller holds this folder's lock, so
    // none of them is being written now, and nothing else would ever remove them.
    for leftover in names_in(parent)? {
        if leftover.starts_with('.') && leftover.contains(".partial-") {
            store::remove_dir_all(&parent.join(leftover))?;
        }
    }
    let staging = store::temp_dir_in(parent, &format!(".{name}.partial-"))?;
    let total = survey
        .project
        .iter()
        .chain(&survey.sessions)
        .map(|f| f.size)
        .sum();
    let bar = progress::bytes_bar(total, "backup");
    let mut archives = Vec::new();
    let mut skipped = survey.skipped;
    let mut contents = Vec::new();
    for (file, holds, found) in [
        (PROJECT_ARCHIVE, "project files", &survey.project),
        (
            SESSIONS_ARCHIVE,
            "sessions and session summaries",
            &survey.sessions,
        ),
    ] {
        let sources: Vec<Source> = found.iter().map(|f| f.source.clone()).collect();
        let path = staging.path().join(file);
        let report = archive::write_zip(&sources, &[], &path, true, &bar)?
            .ok_or_else(|| Error::invalid("the archive exists already", path.display()))?;
        archives.push(ArchiveRecord {
            file: file.to_string(),
            holds: holds.to_string(),
            files: report.stats.files,
            bytes: report.stats.bytes,
            size: fs::metadata(&path).map(|m| m.len()).unwrap_or(0),
        });
        skipped.extend(report.skipped);
        contents.push(report.files);
    }
    bar.finish_and_clear();
    let session_files = contents.pop().unwrap_or_default();
    let files = contents.pop().unwrap_or_default();
    // The seed lists top-level folders and files; so do we (`sessions`, `session-summaries`).
    let items_backed_up = {
        let mut items: BTreeSet<String> = files
            .iter()
            .chain(&session_files)
            .map(|f| f.path.split('/').next().unwrap_or_default().to_string())
            .collect();
        items.retain(|i| !i.is_empty());
        items.into_iter().collect()
    };
    let manifest = BackupManifest {
        version: store::STATE_VERSION,
        kind: kind.to_string(),
        name: name.to_string(),
        date: clock::local_date(now),
        timestamp: clock::local(now).strftime("%Y-%m-%dT%H:%M:%S").to_string(),
        items_backed_up,
        backup_path: target.to_string_lossy().into_owned(),
        created_at: now,
        project: project.path.to_string_lossy().into_owned(),
        archives,
        files,
        session_files,
        skipped,
    };
    store::write_json(&staging.path().join(MANIFEST_FILE), &manifest)?;
    if target.exists() {
        return Err(Error::invalid(
            "a backup with this name appeared meanwhile; nothing was replaced",
            target.display(),
        ));
    }
    store::persist_dir(staging, target)?;
    Ok(manifest)
}

// The verbs.

/// What a written backup holds, as its outcome tells it.
#[derive(Debug, Clone, Serialize)]
pub struct WrittenBackup {
    /// The folder's name (`2025-10-25`, `2025-10-25-2`, the milestone's name).
    pub name: String,
    /// The backup folder.
    pub path: String,
    pub archives: Vec<ArchiveRecord>,
    /// Files that could not be archived, with why.
    pub skipped: Vec<Skipped>,
    /// The `.env` files archived (project files by their path, session files by their path in
    /// `sessions.zip`): the backup holds secrets.
    pub env_files: Vec<String>,
    /// How long the backup took.
    pub seconds: f64,
}

impl WrittenBackup {
    fn of(manifest: BackupManifest, target: &Path, started: Instant) -> WrittenBackup {
        let env_files = super::checkpoint::env_files(
            manifest
                .files
                .iter()
                .chain(&manifest.session_files)
                .map(|f| f.path.as_str()),
        );
        WrittenBackup {
            name: manifest.name,
            path: target.to_string_lossy().into_owned(),
            archives: manifest.archives,
            skipped: manifest.skipped,
            env_files,
            seconds: started.elapsed().as_secs_f64(),
        }
    }
}

/// What a backup is about to write, said before the work starts (a big tree takes a while).
#[derive(Debug, Clone, Serialize)]
pub struct BackupStart {
    /// `daily` or `milestone`.
    pub kind: String,
    /// The backup folder it writes.
    pub path: String,
    /// Files and their bytes (project and sessions), by stat.
    pub files: u64,
    pub bytes: u64,
}

impl BackupStart {
    fn of(kind: &str, target: &Path, survey: &Survey) -> BackupStart {
        let all = survey.project.iter().chain(&survey.sessions);
        BackupStart {
            kind: kind.to_string(),
            path: target.to_string_lossy().into_owned(),
            files: all.clone().count() as u64,
            bytes: all.map(|f| f.size).sum(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum DailyBackupOutcome {
    /// Nothing changed since the day's latest backup: nothing was written.
    Unchanged {
        /// The day's latest backup, which already holds this state: its name and folder.
        name: String,
        path: String,
        project_files: usize,
        session_files: usize,
        seconds: f64,
    },
    Written {
        #[serde(flatten)]
        backup: WrittenBackup,
        /// Names of the day's earlier backups, which are kept.
        earlier_today: Vec<String>,
    },
}

/// Backs up the project's files and sessions into `backups/daily/<date>[-N]/`, unless the
/// day's latest backup already holds this state. `announce` hears what is about to be written
/// before the work starts.
pub fn daily(env: &Env, announce: &mut dyn FnMut(&BackupStart)) -> Result<DailyBackupOutcome> {
    let started = Instant::now();
    let project = env.project()?;
    registry::ensure_project(&project)?;
    let now = env.now()?;
    let date = clock::local_date(now);
    let dir = project.backups_daily();
    store::ensure_dir(&dir)?;
    let _guard = store::lock(&dir, env.wait())?;
    let survey = survey(env, &project)?;
    let today: Vec<FolderBackup> = daily_backups(&project)?
        .into_iter()
        .filter(|b| b.date.as_deref() == Some(date.as_str()))
        .collect();
    if let Some(latest) = today.last()
        && let Ok(Loaded::Found(previous)) =
            store::read_json::<BackupManifest>(&latest.path.join(MANIFEST_FILE))
        && same_files(&survey.project, &previous.files)
        && same_files(&survey.sessions, &previous.session_files)
    {
        return Ok(DailyBackupOutcome::Unchanged {
            name: latest.name.clone(),
            path: latest.path.to_string_lossy().into_owned(),
            project_files: survey.project.len(),
            session_files: survey.sessions.len(),
            seconds: started.elapsed().as_secs_f64(),
        });
    }
    let name = if today.is_empty() {
        date.clone()
    } else {
        (2..)
            .map(|n| format!("{date}-{n}"))
            .find(|name| !dir.join(name).exists())
            .unwrap_or_else(|| unreachable!("an unbounded search finds a free name"))
    };
    let target = dir.join(&name);
    announce(&BackupStart::of("daily", &target, &survey));
    let manifest = write_backup("daily", &name, &target, &project, survey, now)?;
    Ok(DailyBackupOutcome::Written {
        backup: WrittenBackup::of(manifest, &target, started),
        earlier_today: today.into_iter().map(|b| b.name).collect(),
    })
}

/// Letters, digits, `.`, `_` and `-`; other runs become `-`; no leading dot; at most 64.
pub fn milestone_name(raw: &str) -> Option<String> {
    let mut out = String::new();
    for c in raw.trim().chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let cut: String = out.chars().take(64).collect();
    let name = cut.trim_matches(|c| c == '-' || c == '.').to_string();
    (!name.is_empty() && name != "..").then_some(name)
}

#[derive(Debug, Clone)]
pub struct MilestoneRequest {
    /// The name as given; sanitised by [`milestone_name`].
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct MilestoneOutcome {
    #[serde(flatten)]
    pub backup: WrittenBackup,
    /// The name as given (trimmed), when sanitising changed it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub requested_name: Option<String>,
}

/// Backs up the project's files and sessions into `backups/milestones/<name>/`, never over an
/// existing milestone. `announce` hears what is about to be written before the work starts.
pub fn milestone(
    env: &Env,
    request: &MilestoneRequest,
    announce: &mut dyn FnMut(&BackupStart),
) -> Result<MilestoneOutcome> {
    let started = Instant::now();
    let raw = request.name.as_str();
    let name = milestone_name(raw).ok_or_else(|| {
        Error::invalid(
            "a milestone needs a name with letters or digits",
            format!("`{raw}`"),
        )
    })?;
    let project = env.project()?;
    registry::ensure_project(&project)?;
    let now = env.now()?;
    let dir = project.backups_milestones();
    store::ensure_dir(&dir)?;
    let _guard = store::lock(&dir, env.wait())?;
    let target = dir.join(&name);
    if target.exists() {
        return Err(Error::invalid(
            "a milestone with this name exists; milestones are never overwritten, choose another name",
            target.display(),
        ));
    }
    let survey = survey(env, &project)?;
    announce(&BackupStart::of("milestone", &target, &survey));
    let manifest = write_backup("milestone", &name, &target, &project, survey, now)?;
    Ok(MilestoneOutcome {
        requested_name: (name != raw.trim()).then(|| raw.trim().to_string()),
        backup: WrittenBackup::of(manifest, &target, started),
    })
}

#[derive(Debug, Clone)]
pub struct PruneRequest {
    /// Days of daily backups to keep (at least 1); `None`: `backups.keep_daily`.
    pub keep_daily: Option<u32>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RemovedBackup {
    pub path: String,
    pub bytes: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct PruneOutcome {
    /// Days asked to keep.
    pub keep_days: usize,
    /// Days kept (fewer when there were fewer).
    pub kept_days: usize,
    /// Daily backups and the days they cover, before pruning.
    pub daily_backups: usize,
    pub days: usize,
    /// Oldest first.
    pub removed: Vec<RemovedBackup>,
    /// The log that records every removal; `None` when nothing was removed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log: Option<String>,
}

/// Deletes the daily backups of all but the newest `keep_daily` days; milestones are never
/// pruned. Each removal is logged to `logs/backups.log`.
pub fn prune(env: &Env, request: &PruneRequest) -> Result<PruneOutcome> {
    let keep = match request.keep_daily {
        Some(0) => {
            return Err(Error::invalid(
                "keep at least one day of daily backups",
                "--keep-daily 0",
            ));
        }
        Some(n) => n as usize,
        None => env.config().backups.keep_daily.max(1),
    };
    let project = env.project()?;
    let dir = project.backups_daily();
    store::ensure_dir(&dir)?;
    let _guard = store::lock(&dir, env.wait())?;
    let all = daily_backups(&project)?;
    let mut dates: Vec<&str> = all.iter().filter_map(|b| b.date.as_deref()).collect();
    dates.dedup();
    let kept: BTreeSet<&str> = dates.iter().rev().take(keep).copied().collect();
    let doomed: Vec<&FolderBackup> = all
        .iter()
        .filter(|b| b.date.as_deref().is_some_and(|d| !kept.contains(d)))
        .collect();
    let mut outcome = PruneOutcome {
        keep_days: keep,
        kept_days: kept.len(),
        daily_backups: all.len(),
        days: dates.len(),
        removed: Vec::new(),
        log: None,
    };
    if doomed.is_empty() {
        return Ok(outcome);
    }
    let now = env.now()?;
    let log = env.layout.logs_dir().join(LOG_FILE);
    store::ensure_dir(&env.layout.logs_dir())?;
    for backup in doomed {
        let size = dir_size(&backup.path);
        store::remove_dir_all(&backup.path)?;
        let line = format!(
            "{now} prune removed {} ({} bytes) of project {}",
            backup.path.display(),
            size,
            project.path.display()
        );
        store::append_line(&log, &line)?;
        outcome.removed.push(RemovedBackup {
            path: backup.path.to_string_lossy().into_owned(),
            bytes: size,
        });
    }
    outcome.log = Some(log.to_string_lossy().into_owned());
    Ok(outcome)
}

/// Which kind of backup a listing row is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BackupKind {
    /// `backups/sessions/<id>-backup[-N].zip`, written when a session ends.
    Session,
    Daily,
    Milestone,
    /// A folder a restore made (`<project state>/restored/<name>/`).
    Restored,
}

impl BackupKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BackupKind::Session => "session",
            BackupKind::Daily => "daily",
            BackupKind::Milestone => "milestone",
            BackupKind::Restored => "restored",
        }
    }
}

/// One backup of the listing.
#[derive(Debug, Clone, Serialize)]
pub struct BackupEntry {
    pub kind: BackupKind,
    pub name: String,
    /// The day it belongs to: the session's date, the daily backup's, the milestone's (`?`
    /// when unknown).
    pub date: String,
    pub created_at: Option<Timestamp>,
    /// Bytes: of the ZIP, or of all files of the folder.
    pub size: u64,
    pub path: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct BackupsOutcome {
    /// Session backups, then daily ones (oldest first), then milestones, then restored
    /// folders.
    pub backups: Vec<BackupEntry>,
}

/// Every session, daily and milestone backup of the project, and the folders restores made.
pub fn list(env: &Env) -> Result<BackupsOutcome> {
    let project = env.project()?;
    let mut rows = Vec::new();
    let date_of = |at: Option<Timestamp>| at.map(clock::local_date).unwrap_or_else(|| "?".into());
    for b in session_backups(&project)? {
        rows.push(BackupEntry {
            kind: BackupKind::Session,
            name: b
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            date: parse_daily_name(b.id.get(..10).unwrap_or_default())
                .map(|(date, _)| date)
                .unwrap_or_else(|| date_of(b.modified)),
            created_at: b.modified,
            size: b.size,
            path: b.path.to_string_lossy().into_owned(),
        });
    }
    let folders = [
        (BackupKind::Daily, daily_backups(&project)?),
        (BackupKind::Milestone, milestone_backups(&project)?),
        (BackupKind::Restored, restored_folders(&project)?),
    ];
    for (kind, backups) in folders {
        for b in backups {
            rows.push(BackupEntry {
                kind,
                size: dir_size(&b.path),
                date: b.date.clone().unwrap_or_else(|| date_of(b.created_at)),
                name: b.name,
                created_at: b.created_at,
                path: b.path.to_string_lossy().into_owned(),
            });
        }
    }
    Ok(BackupsOutcome { backups: rows })
}

#[cfg(test)]
mod tests {
    use super::{milestone_name, parse_daily_name, parse_session_backup};

    #[test]
    fn milestone_names_are_sanitised() {
        assert_eq!(
            milestone_name("v1.0-release").as_deref(),
            Some("v1.0-release")
        );
        assert_eq!(
            milestone_name(" Beta launch! ").as_deref(),
            Some("Beta-launch")
        );
        assert_eq!(milestone_name("../../etc").as_deref(), Some("etc"));
        assert_eq!(milestone_name(".hidden").as_deref(), Some("hidden"));
        assert_eq!(milestone_name("../.."), None);
        assert_eq!(milestone_name("   "), None);
        assert_eq!(milestone_name(&"x".repeat(100)).map(|n| n.len()), Some(64));
    }

    #[test]
    fn backup_names_parse() {
        assert_eq!(
            parse_session_backup("2025-10-25-session-001-auth-backup.zip"),
            Some(("2025-10-25-session-001-auth".to_string(), 1))
        );
        assert_eq!(
            parse_session_backup("2025-10-25-session-001-auth-backup-3.zip"),
            Some(("2025-10-25-session-001-auth".to_string(), 3))
        );
        assert_eq!(parse_session_backup("notes.zip"), None);
        assert_eq!(
            parse_daily_name("2025-10-25"),
            Some(("2025-10-25".to_string(), 1))
        );
        assert_eq!(
            parse_daily_name("2025-10-25-2"),
            Some(("2025-10-25".to_string(), 2))
        );
        assert_eq!(parse_daily_name(".2025-10-25.partial-x"), None);
        assert_eq!(parse_daily_name("2025-10-25-x"), None);
    }
}
