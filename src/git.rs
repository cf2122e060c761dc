//! The only module that touches git: in-process reads and local writes through git2, and the
//! `git` CLI where the user's credentials and hooks matter (push, commit).

use crate::error::{Error, Result};
use git2::{Repository, StatusOptions};
use std::path::Path;

/// Where the repository stands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HeadState {
    /// Branch name; `None` when HEAD is detached or there is no repository.
    pub branch: Option<String>,
    /// Full hash of HEAD; `None` before the first commit.
    pub commit: Option<String>,
    pub detached: bool,
}

impl HeadState {
    /// `main`, `detached at 1a2b3c4`, or `no commits yet`.
    pub fn describe(&self) -> String {
        match (&self.branch, &self.commit) {
            (Some(b), _) => b.clone(),
            (None, Some(c)) if self.detached => format!("detached at {}", short(c)),
            _ => "no branch".to_string(),
        }
    }
}

pub fn short(hash: &str) -> &str {
    &hash[..hash.len().min(7)]
}

fn git_err(place: &Path) -> impl Fn(git2::Error) -> Error + '_ {
    move |e| Error::Git {
        detail: e.message().to_string(),
        place: place.display().to_string(),
    }
}

/// Opens the repository at `root`; `None` outside git.
pub fn open(root: &Path) -> Option<Repository> {
    Repository::open(root).ok()
}

/// Branch and HEAD of the repository at `root` (default state outside git).
pub fn head_state(root: &Path) -> HeadState {
    let Some(repo) = open(root) else {
        return HeadState::default();
    };
    let detached = repo.head_detached().unwrap_or(false);
    match repo.head() {
        Ok(head) => HeadState {
            branch: if detached {
                None
            } else {
                head.shorthand().ok().map(str::to_string)
            },
            commit: head.target().map(|oid| oid.to_string()),
            detached,
        },
        // An unborn branch: HEAD names a branch that has no commit yet.
        Err(_) => HeadState {
            branch: repo.find_reference("HEAD").ok().and_then(|r| {
                r.symbolic_target()
                    .ok()
                    .flatten()
                    .map(|t| t.trim_start_matches("refs/heads/").to_string())
            }),
            commit: None,
            detached: false,
        },
    }
}

/// Whether git tracks `relative` (in the index) in the repository at `root`.
pub fn is_tracked(root: &Path, relative: &str) -> bool {
    open(root)
        .and_then(|repo| repo.index().ok())
        .is_some_and(|index| index.get_path(Path::new(relative), 0).is_some())
}

/// One changed path, as `git status --porcelain` would name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Two-letter porcelain code, e.g. ` M`, `A `, `??`, ` D`.
    pub code: String,
    pub path: String,
}

/// Modified, staged, deleted and untracked-not-ignored paths.
pub fn changes(root: &Path) -> Result<Vec<Change>> {
    let Some(repo) = open(root) else {
        return Ok(Vec::new());
    };
    let mut options = StatusOptions::new();
    options
        .include_untracked(true)
        .recurse_untracked_dirs(true)
        .include_ignored(false)
        .renames_head_to_index(false);
    let statuses = repo.statuses(Some(&mut options)).map_err(git_err(root))?;
    let mut out = Vec::new();
    for entry in statuses.iter() {
        let Ok(path) = entry.path() else { continue };
        let s = entry.status();
        let index = if s.is_index_new() {
            'A'
        } else if s.is_index_modified() {
            'M'
        } else if s.is_index_deleted() {
            'D'
        } else if s.is_index_renamed() {
            'R'
        } else if s.is_index_typechange() {
            'T'
        } else {
            ' '
        };
        let work = if s.is_wt_new() {
            '?'
        } else if s.is_wt_modified() {
            'M'
        } else if s.is_wt_deleted() {
            'D'
        } else if s.is_wt_renamed() {
            'R'
        } else if s.is_wt_typechange() {
            'T'
        } else {
            ' '
        };
        let code = if s.is_wt_new() && index == ' ' {
            "??".to_string()
        } else {
            format!("{index}{work}")
        };
        if code.trim().is_empty() {
            continue;
        }
        out.push(Change {
            code,
            path: path.to_string(),
        });
    }
    Ok(out)
}

/// How many commits are reachable from HEAD but not from `since` (0 when unknown).
pub fn commits_since(root: &Path, since: Option<&str>) -> usize {
    let Some(repo) = open(root) else { return 0 };
    let Ok(mut walk) = repo.revwalk() else {
        return 0;
    };
    if walk.push_head().is_err() {
        return 0;
    }
    if let Some(oid) = since.and_then(|s| git2::Oid::from_str(s).ok())
        && walk.hide(oid).is_err()
    {
        return 0;
    }
    walk.filter(|r| r.is_ok()).count()
}

/// One commit, for reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitLine {
    pub hash: String,
    pub summary: String,
}

/// Commits from HEAD back to (not including) `since`, newest first, at most `limit`.
pub fn commits_between(root: &Path, since: Option<&str>, limit: usize) -> Vec<CommitLine> {
    let Some(repo) = open(root) else {
        return Vec::new();
    };
    let Ok(mut walk) = repo.revwalk() else {
        return Vec::new();
    };
    if walk.push_head().is_err() {
        return Vec::new();
    }
    if let Some(oid) = since.and_then(|s| git2::Oid::from_str(s).ok()) {
        let _ = walk.hide(oid);
    }
    walk.filter_map(|r| r.ok())
        .take(limit)
        .filter_map(|oid| repo.find_commit(oid).ok())
        .map(|c| CommitLine {
            hash: c.id().to_string(),
            summary: c.summary().ok().flatten().unwrap_or("").to_string(),
        })
        .collect()
}

/// The files of the working tree that git tracks or would add (untracked, not ignored),
/// relative to `root`, sorted; `None` outside git. Submodules and paths that are not UTF-8 are
/// left out; tracked files deleted from the working tree are still listed (callers stat them).
pub fn worktree_files(root: &Path) -> Result<Option<Vec<String>>> {
    let Some(repo) = open(root) else {
        return Ok(None);
    };
    let mut out = std::collections::BTreeSet::new();
    let index = repo.index().map_err(git_err(root))?;
    for entry in index.iter() {
        // 0o160000 is a gitlink: a submodule's folder, not a file.
        if entry.mode & 0o170000 == 0o160000 {
            continue;
        }
        if let Ok(path) = String::from_utf8(entry.path) {
            out.insert(path);
        }
    }
    let mut options = StatusOptions::new();
    options
        .show(git2::StatusShow::Workdir)
        .include_untracked(true)
        .recurse_untracked_dirs(true)
        .include_ignored(false)
        .exclude_submodules(true);
    let statuses = repo.statuses(Some(&mut options)).map_err(git_err(root))?;
    for entry in statuses.iter() {
        if entry.status().is_wt_new()
            && let Ok(path) = entry.path()
        {
            out.insert(path.to_string());
        }
    }
    Ok(Some(out.into_iter().collect()))
}
