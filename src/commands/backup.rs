//! `claude-session backup daily|milestone NAME|prune`: whole-project backups.
//!
//! A backup folder holds `project.zip` (what git tracks plus untracked files it does not ignore;
//! outside git, every file not ignored; never `.git/` nor the state root), `sessions.zip` (the
//! project's session workspaces, active and archived, and the session summaries) and
//! `manifest.json` (the seed's fields plus path, size, mtime and blake3 of every file).
//!
//! Daily backups of the same day: if nothing changed since the day's latest one (same paths,
//! sizes and mtimes, checked by stat only) the command says "unchanged" and writes nothing;
//! otherwise the new backup goes into `<date>-2`, `<date>-3`... and earlier ones of the day are
//! kept: a backup is never replaced. `prune` keeps the newest N days (all backups of a day).

use super::backups::{self, FolderBackup, human_bytes};
use crate::archive::{self, FileInfo, Skipped, Source};
use crate::cli::{BackupArgs, BackupWhat, MilestoneArgs, PruneArgs};
use crate::env::Env;
use crate::error::{Error, Result};
use crate::paths::Project;
use crate::snapshot::Scope;
use crate::{clock, progress, registry, store};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::path::Path;
use std::time::Instant;

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

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ArchiveRecord {
    pub file: String,
    pub holds: String,
    pub files: u64,
    pub bytes: u64,
    pub size: u64,
}

pub fn run(ctx: &Env, args: &BackupArgs, out: &mut super::Printer) -> Result<()> {
    match &args.what {
        BackupWhat::Daily => daily(ctx, out),
        BackupWhat::Milestone(args) => milestone(ctx, args, out),
        BackupWhat::Prune(args) => prune(ctx, args, out),
    }
}

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

fn survey(ctx: &Env, project: &Project) -> Result<Survey> {
    let scope = Scope::new(ctx, project);
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
    ];
    for (dir, prefix) in state {
        if !dir.is_dir() {
            continue;
        }
        for (absolute, relative) in archive::collect_files(&dir)? {
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
    let staging = store::temp_dir_in(parent, &format!(".{name}.partial-"))?;
    let total = (survey.project.len() + survey.sessions.len()) as u64;
    let bar = progress::bar(total, "backup");
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

fn describe(manifest: &BackupManifest, seconds: f64) -> String {
    let mut text = String::new();
    for a in &manifest.archives {
        text.push_str(&format!(
            "📦 {}: {} file(s), {} → {} ({})\n",
            a.file,
            a.files,
            human_bytes(a.bytes),
            human_bytes(a.size),
            a.holds
        ));
    }
    if !manifest.skipped.is_empty() {
        text.push_str(&format!(
            "⚠️ Skipped {}: {}\n",
            manifest.skipped.len(),
            manifest
                .skipped
                .iter()
                .take(5)
                .map(|s| format!("{} ({})", s.path, s.reason))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    text.push_str(&format!("⏱️ {seconds:.2} s\n"));
    text
}

fn daily(ctx: &Env, out: &mut super::Printer) -> Result<()> {
    let started = Instant::now();
    let project = ctx.project()?;
    registry::ensure_project(&project)?;
    let now = ctx.now()?;
    let date = clock::local_date(now);
    let dir = project.backups_daily();
    store::ensure_dir(&dir)?;
    let _guard = store::lock(&dir, ctx.wait())?;
    let survey = survey(ctx, &project)?;
    let today: Vec<FolderBackup> = backups::daily_backups(&project)?
        .into_iter()
        .filter(|b| b.date.as_deref() == Some(date.as_str()))
        .collect();
    if let Some(latest) = today.last()
        && let Ok(store::Loaded::Found(previous)) =
            store::read_json::<BackupManifest>(&latest.path.join(MANIFEST_FILE))
        && same_files(&survey.project, &previous.files)
        && same_files(&survey.sessions, &previous.session_files)
    {
        return out.text(
            &format!(
                "✅ Daily backup unchanged: {} already holds this state ({} project file(s) and {} session file(s) checked, {:.2} s)\n",
                latest.path.display(),
                survey.project.len(),
                survey.sessions.len(),
                started.elapsed().as_secs_f64()
            ),
        );
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
    let manifest = write_backup("daily", &name, &target, &project, survey, now)?;
    let mut text = format!("✅ Daily backup: {}\n", target.display());
    if !today.is_empty() {
        text.push_str(&format!(
            "ℹ️ The project changed since today's earlier backup ({}), which is kept\n",
            today
                .iter()
                .map(|b| b.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    text.push_str(&describe(&manifest, started.elapsed().as_secs_f64()));
    out.text(&text)
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

fn milestone(ctx: &Env, args: &MilestoneArgs, out: &mut super::Printer) -> Result<()> {
    let started = Instant::now();
    let raw = args.name.join(" ");
    let name = milestone_name(&raw).ok_or_else(|| {
        Error::invalid(
            "a milestone needs a name with letters or digits",
            format!("`{raw}`"),
        )
    })?;
    let project = ctx.project()?;
    registry::ensure_project(&project)?;
    let now = ctx.now()?;
    let dir = project.backups_milestones();
    store::ensure_dir(&dir)?;
    let _guard = store::lock(&dir, ctx.wait())?;
    let target = dir.join(&name);
    if target.exists() {
        return Err(Error::invalid(
            "a milestone with this name exists; milestones are never overwritten, choose another name",
            target.display(),
        ));
    }
    let survey = survey(ctx, &project)?;
    let manifest = write_backup("milestone", &name, &target, &project, survey, now)?;
    let mut text = format!("🏁 Milestone backup: {}\n", target.display());
    if name != raw.trim() {
        text.push_str(&format!(
            "ℹ️ Name sanitised: `{}` → `{name}`\n",
            raw.trim().escape_debug()
        ));
    }
    text.push_str(&describe(&manifest, started.elapsed().as_secs_f64()));
    out.text(&text)
}

fn prune(ctx: &Env, args: &PruneArgs, out: &mut super::Printer) -> Result<()> {
    let keep = match args.keep_daily {
        Some(0) => {
            return Err(Error::invalid(
                "keep at least one day of daily backups",
                "--keep-daily 0",
            ));
        }
        Some(n) => n as usize,
        None => ctx.config().backups.keep_daily,
    };
    let project = ctx.project()?;
    let dir = project.backups_daily();
    store::ensure_dir(&dir)?;
    let _guard = store::lock(&dir, ctx.wait())?;
    let all = backups::daily_backups(&project)?;
    let mut dates: Vec<&str> = all.iter().filter_map(|b| b.date.as_deref()).collect();
    dates.dedup();
    let kept: BTreeSet<&str> = dates.iter().rev().take(keep).copied().collect();
    let doomed: Vec<&FolderBackup> = all
        .iter()
        .filter(|b| b.date.as_deref().is_some_and(|d| !kept.contains(d)))
        .collect();
    if doomed.is_empty() {
        return out.text(&format!(
            "Nothing to prune: {} daily backup(s) over {} day(s), keeping {keep} day(s).\n",
            all.len(),
            dates.len()
        ));
    }
    let now = ctx.now()?;
    let log = ctx.layout.logs_dir().join(LOG_FILE);
    store::ensure_dir(&ctx.layout.logs_dir())?;
    let mut text = String::new();
    for backup in doomed {
        let size = backups::dir_size(&backup.path);
        store::remove_dir_all(&backup.path)?;
        let line = format!(
            "{now} prune removed {} ({} bytes) of project {}",
            backup.path.display(),
            size,
            project.path.display()
        );
        store::append_line(&log, &line)?;
        text.push_str(&format!(
            "🗑️ Removed {} ({})\n",
            backup.path.display(),
            human_bytes(size)
        ));
    }
    text.push_str(&format!(
        "Kept the newest {} day(s) of daily backups; milestones are never pruned. Logged to {}\n",
        kept.len(),
        log.display()
    ));
    out.text(&text)
}

#[cfg(test)]
mod tests {
    use super::milestone_name;

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
}
