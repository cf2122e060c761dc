//! What killed operations leave behind: a start's `.creating-*` workspace, a checkpoint folder
//! without its manifest, a backup's `.partial-*` staging folder, a restore's `.restoring-*`
//! staging folder, `store`'s temp files (`.<name>.XXXXXX.tmp`, in the state folder or, for an
//! in-place restore, in the project), and empty session folders. Only what is older than a
//! minute counts: younger ones may belong to an operation still running.
//!
//! `doctor` reports them and `doctor --repair` removes them; operations remove their own when
//! they next run. An inbox being adopted (`<id>.adopting-*`) is never removed here: it holds
//! events, and the next binding of that conversation adopts it.

use crate::clock;
use crate::error::Result;
use crate::paths::Layout;
use crate::snapshot::MANIFEST_SUFFIX;
use crate::store;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Younger leftovers may belong to an operation still running.
pub const MIN_AGE: Duration = Duration::from_secs(60);

#[derive(Debug, Clone, Serialize)]
pub struct Leftover {
    pub path: String,
    pub kind: LeftoverKind,
    pub bytes: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LeftoverKind {
    UnfinishedStart,
    EmptySessionFolder,
    UnfinishedCheckpoint,
    BackupStaging,
    RestoreStaging,
    TempFile,
    /// Reported, never removed: the next binding adopts it.
    PendingAdoption,
}

impl LeftoverKind {
    pub fn removable(self) -> bool {
        self != LeftoverKind::PendingAdoption
    }
}

/// Whether `name` is one of `store`'s temp files: `.<name>.<6 random characters>.tmp`.
pub fn is_temp_name(name: &str) -> bool {
    let Some(body) = name.strip_prefix('.').and_then(|n| n.strip_suffix(".tmp")) else {
        return false;
    };
    let Some((stem, random)) = body.rsplit_once('.') else {
        return false;
    };
    !stem.is_empty() && random.len() == 6 && random.chars().all(|c| c.is_ascii_alphanumeric())
}

/// Whether `name` is a staging folder of a backup or restore.
pub fn is_staging_name(name: &str) -> bool {
    name.starts_with('.') && (name.contains(".partial-") || name.contains(".restoring-"))
}

fn old_enough(path: &Path, min_age: Duration) -> bool {
    std::fs::symlink_metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|modified| clock::system_time().duration_since(modified).ok())
        .is_some_and(|age| age >= min_age)
}

fn size_of(path: &Path) -> u64 {
    let Ok(meta) = std::fs::symlink_metadata(path) else {
        return 0;
    };
    if !meta.is_dir() {
        return meta.len();
    }
    std::fs::read_dir(path)
        .map(|entries| entries.flatten().map(|e| size_of(&e.path())).sum())
        .unwrap_or(0)
}

fn entries(dir: &Path) -> Vec<(String, PathBuf)> {
    let mut out: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// Leftovers under the state root (every project's state) older than `min_age`; also in each
/// `project_trees` folder (a project's working tree: an in-place restore's temp files).
pub fn find(layout: &Layout, project_trees: &[PathBuf], min_age: Duration) -> Vec<Leftover> {
    let mut found = Vec::new();
    let mut push = |path: PathBuf, kind: LeftoverKind| {
        if old_enough(&path, min_age) {
            found.push(Leftover {
                bytes: size_of(&path),
                path: path.to_string_lossy().into_owned(),
                kind,
            });
        }
    };
    // Temp files and staging folders anywhere in our state (never in the rest of Claude
    // Code's folder, which may be the same root).
    for (name, path) in entries(&layout.root) {
        if is_temp_name(&name) && path.is_file() {
            push(path, LeftoverKind::TempFile);
        }
    }
    let mut stack = vec![layout.app_dir(), layout.contexts_dir()];
    while let Some(dir) = stack.pop() {
        for (name, path) in entries(&dir) {
            let Ok(meta) = std::fs::symlink_metadata(&path) else {
                continue;
            };
            if meta.is_dir() {
                if is_staging_name(&name) {
                    let kind = if name.contains(".partial-") {
                        LeftoverKind::BackupStaging
                    } else {
                        LeftoverKind::RestoreStaging
                    };
                    push(path, kind);
                } else if name.starts_with(".creating-") {
                    push(path, LeftoverKind::UnfinishedStart);
                } else if !is_under_snapshots(&path) {
                    stack.push(path);
                }
            } else if is_temp_name(&name) {
                push(path, LeftoverKind::TempFile);
            } else if name.contains(".adopting-") {
                push(path, LeftoverKind::PendingAdoption);
            }
        }
    }
    // Session folders: empty ones, and checkpoint folders without a manifest.
    for (_, project) in entries(&layout.projects_dir()) {
        for place in ["sessions/active", "sessions/archive"] {
            for (name, session) in entries(&project.join(place)) {
                if name.starts_with('.') {
                    continue;
                }
                if entries(&session).is_empty() {
                    push(session.clone(), LeftoverKind::EmptySessionFolder);
                    continue;
                }
                let snapshots = session.join("snapshots");
                for (name, path) in entries(&snapshots) {
                    let manifest = snapshots.join(format!("{name}{MANIFEST_SUFFIX}"));
                    if path.is_dir() && name.starts_with("checkpoint-") && !manifest.exists() {
                        push(path, LeftoverKind::UnfinishedCheckpoint);
                    }
                }
            }
        }
    }
    for tree in project_trees {
        let walker = ignore::WalkBuilder::new(tree)
            .hidden(false)
            .git_ignore(false)
            .filter_entry(|e| e.file_name() != ".git")
            .build();
        for entry in walker.flatten() {
            let name = entry.file_name().to_string_lossy();
            if entry.file_type().is_some_and(|t| t.is_file()) && is_temp_name(&name) {
                push(entry.path().to_path_buf(), LeftoverKind::TempFile);
            }
        }
    }
    found
}

/// Checkpoint copies are read-only and never hold our temp names at the top: not walked.
fn is_under_snapshots(path: &Path) -> bool {
    path.components().any(|c| c.as_os_str() == "snapshots")
}

/// Removes the removable ones; returns how many were removed.
pub fn remove(leftovers: &[Leftover]) -> Result<usize> {
    let mut removed = 0;
    for leftover in leftovers.iter().filter(|l| l.kind.removable()) {
        let path = Path::new(&leftover.path);
        if path.is_dir() {
            store::remove_dir_all(path)?;
        } else {
            store::remove_file(path)?;
        }
        removed += 1;
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temp_names_are_ours_only() {
        assert!(is_temp_name(".big.bin.ZnXxp3.tmp"));
        assert!(is_temp_name(".session.yaml.a1B2c3.tmp"));
        assert!(!is_temp_name("notes.tmp"));
        assert!(!is_temp_name(".cache.tmp"));
        assert!(!is_temp_name(".x.toolong1.tmp"));
        assert!(is_staging_name(".2025-10-25.partial-abc"));
        assert!(is_staging_name(".target.restoring-xyz"));
        assert!(!is_staging_name("2025-10-25"));
    }
}
