//! `claude-session backups [--json]`: every session, daily and milestone backup of the project,
//! with size and date; plus the listing helpers `restore` and `backup prune` share.

use super::backup::BackupManifest;
use crate::cli::BackupsArgs;
use crate::env::Env;
use crate::error::{Error, IoContext, Result};
use crate::paths::Project;
use crate::store::{self, Loaded};
use crate::{archive, clock, render as report};
use jiff::Timestamp;
use serde_json::{Value, json};
use std::fs;
use std::path::{Path, PathBuf};

/// `1.5 KiB`, `3.2 MiB`.
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["KiB", "MiB", "GiB", "TiB", "PiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut value = n as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
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
    match store::read_json::<BackupManifest>(&dir.join("manifest.json")) {
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

/// One row of the listing.
struct Row {
    kind: &'static str,
    name: String,
    /// The day it belongs to: the session's date, the daily backup's, the milestone's.
    date: String,
    created_at: Option<Timestamp>,
    size: u64,
    path: PathBuf,
}

pub fn run(ctx: &Env, _args: &BackupsArgs, out: &mut super::Printer) -> Result<()> {
    let project = ctx.project()?;
    let mut rows = Vec::new();
    let date_of = |at: Option<Timestamp>| at.map(clock::local_date).unwrap_or_else(|| "?".into());
    for b in session_backups(&project)? {
        rows.push(Row {
            kind: "session",
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
            path: b.path,
        });
    }
    for b in daily_backups(&project)? {
        rows.push(Row {
            kind: "daily",
            size: dir_size(&b.path),
            date: b.date.clone().unwrap_or_else(|| date_of(b.created_at)),
            name: b.name,
            created_at: b.created_at,
            path: b.path,
        });
    }
    for b in milestone_backups(&project)? {
        rows.push(Row {
            kind: "milestone",
            size: dir_size(&b.path),
            date: b.date.clone().unwrap_or_else(|| date_of(b.created_at)),
            name: b.name,
            created_at: b.created_at,
            path: b.path,
        });
    }
    if out.json() {
        let items: Vec<Value> = rows
            .iter()
            .map(|r| {
                json!({
                    "kind": r.kind,
                    "name": r.name,
                    "date": r.date,
                    "created_at": r.created_at,
                    "size": r.size,
                    "path": r.path,
                })
            })
            .collect();
        return out.text(&format!(
            "{}\n",
            serde_json::to_string_pretty(&json!({ "version": 1, "backups": items }))
                .unwrap_or_default()
        ));
    }
    if rows.is_empty() {
        return out.text("No backups yet.\n");
    }
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.kind.to_string(),
                r.name.clone(),
                r.date.clone(),
                human_bytes(r.size),
                r.path.display().to_string(),
            ]
        })
        .collect();
    out.text(&report::table(
        &["KIND", "NAME", "DATE", "SIZE", "PATH"],
        &table,
    ))
}

#[cfg(test)]
mod tests {
    use super::{human_bytes, parse_daily_name, parse_session_backup};

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
        assert_eq!(human_bytes(1023), "1023 B");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(5 << 30), "5.0 GiB");
    }
}
