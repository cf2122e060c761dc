//! The verbs, each once: a typed request in, a typed `Serialize` outcome out. Ops never print,
//! never see clap types and never import a front end; the CLI (`commands/`), the hooks
//! (`hook/`) and any later front end call the same functions, and `render/` turns outcomes
//! into text.

pub mod backup;
pub mod bind;
pub mod checkpoint;
pub mod config;
pub mod doctor;
pub mod end;
pub mod handoff;
pub mod install;
pub mod list;
pub mod memory;
pub mod pause;
pub mod pick;
pub mod register;
pub mod remind;
pub mod restore;
pub mod resume;
pub mod show;
pub mod start;
pub mod statusline;
pub mod sync;
pub mod tasks;
pub mod track;
pub mod tracker;

use crate::git;
use crate::paths::Project;
use serde::Serialize;

/// Where the repository stands, as outcomes report it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct HeadInfo {
    pub in_git: bool,
    pub branch: Option<String>,
    pub commit: Option<String>,
    pub detached: bool,
    /// The branch's upstream and how far apart they are, when it has one.
    pub upstream: Option<Upstream>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Upstream {
    pub name: String,
    pub ahead: usize,
    pub behind: usize,
}

impl HeadInfo {
    pub fn of(project: &Project) -> HeadInfo {
        if !project.in_git {
            return HeadInfo::default();
        }
        let head = git::head_state(&project.path);
        HeadInfo {
            in_git: true,
            upstream: git::tracking(&project.path).map(|t| Upstream {
                name: t.upstream,
                ahead: t.ahead,
                behind: t.behind,
            }),
            branch: head.branch,
            commit: head.commit,
            detached: head.detached,
        }
    }

    pub fn state(&self) -> git::HeadState {
        git::HeadState {
            branch: self.branch.clone(),
            commit: self.commit.clone(),
            detached: self.detached,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct CommitInfo {
    pub hash: String,
    pub summary: String,
}

/// "Ready to work": where the repository stands now, shown after start and resume.
#[derive(Debug, Clone, Serialize)]
pub struct Ready {
    pub head: HeadInfo,
    pub uncommitted: Vec<String>,
    pub recent_commits: Vec<CommitInfo>,
    /// Counted when the session's starting commit is known.
    pub commits_since_start: Option<usize>,
    pub next: String,
}

impl Ready {
    pub fn of(project: &Project, since: Option<&str>, next: &str) -> Ready {
        let mut ready = Ready {
            head: HeadInfo::of(project),
            uncommitted: Vec::new(),
            recent_commits: Vec::new(),
            commits_since_start: None,
            next: next.to_string(),
        };
        if project.in_git {
            ready.uncommitted = git::changes(&project.path)
                .unwrap_or_default()
                .into_iter()
                .map(|c| c.path)
                .collect();
            ready.recent_commits = git::commits_between(&project.path, None, 3)
                .into_iter()
                .map(|c| CommitInfo {
                    hash: c.hash,
                    summary: c.summary,
                })
                .collect();
            if since.is_some() {
                ready.commits_since_start = Some(git::commits_since(&project.path, since));
            }
        }
        ready
    }
}
