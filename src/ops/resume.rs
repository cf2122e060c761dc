//! `resume`: reads the pause record, checks the branch, shows the context and makes the session
//! active again. On a branch mismatch it changes nothing until told to switch (refused on
//! uncommitted changes) or to stay. `start` resumes through the same function, and the
//! SessionStart hook's automatic resume through [`reactivate`].

use super::bind::{self, BindOutcome};
use super::handoff::{self, MergedAnswer};
use super::{HeadInfo, Ready, pick};
use crate::env::Env;
use crate::error::{Error, Result};
use crate::git::{self, Target};
use crate::paths::Project;
use crate::pause_state::{self, PauseRecord};
use crate::registry::{self, Which, Workspace};
use crate::session::{Event, SessionDoc, Status};
use jiff::Timestamp;
use serde::Serialize;
use std::path::PathBuf;
use std::time::Duration;

/// What to do on a branch mismatch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OnMismatch {
    /// Show both branches and the three choices; change nothing.
    #[default]
    Ask,
    Switch,
    Stay,
}

#[derive(Debug, Clone, Default)]
pub struct ResumeRequest {
    /// Session id or unique prefix; `None`: the one the pause record names.
    pub session: Option<String>,
    pub on_mismatch: OnMismatch,
    /// The Claude Code conversation resuming it (raw, as given; checked here).
    pub claude_session: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum ResumeOutcome {
    Resumed(Box<Resumed>),
    /// Branch mismatch: the choices were shown, nothing changed.
    Mismatch(Mismatch),
    /// No pause record in this project.
    NoRecord {
        project: String,
        recent: Vec<SessionRow>,
        /// `sync`: the remote could not be asked (one line; resume went on with what is here).
        #[serde(skip_serializing_if = "Option::is_none")]
        sync_warning: Option<String>,
    },
    /// The record named a session that has ended or is gone; the record was cleared.
    Stale {
        session_id: String,
        recent: Vec<SessionRow>,
    },
}

#[derive(Debug, Clone, Serialize)]
pub struct Resumed {
    pub session_id: String,
    pub focus: String,
    /// Resumed by id with no pause record: no branch check was made.
    pub without_record: bool,
    pub branch_action: Option<BranchAction>,
    pub head: HeadInfo,
    pub paused: Option<PausedInfo>,
    pub context: ContextShown,
    pub merged: Option<MergedAnswer>,
    /// Why the handoff back end (1Password) could not be read, in one line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handoff_problem: Option<String>,
    pub ready: Ready,
    pub bound: Option<BindOutcome>,
    /// Project memory relevant to the focus and the last ended session's summary (issue 15).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory: Option<crate::memory::Relevant>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum BranchAction {
    Switched { to: String, was: HeadInfo },
    Stayed { on: HeadInfo, paused_on: String },
}

#[derive(Debug, Clone, Serialize)]
pub struct PausedInfo {
    pub paused_at: Timestamp,
    pub note: Option<String>,
    pub wip_commit: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum ContextShown {
    Shown { path: String, text: String },
    Unreadable { path: String, error: String },
    NotSaved,
}

#[derive(Debug, Clone, Serialize)]
pub struct Mismatch {
    pub session_id: String,
    pub paused_branch: Option<String>,
    pub paused_commit: Option<String>,
    pub current: HeadInfo,
    /// Tracked files with uncommitted changes (they block a switch).
    pub tracked_changes: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SessionRow {
    pub id: String,
    pub status: Status,
    pub started: String,
    pub focus: String,
}

/// What `start --dry-run` says about a pause record.
#[derive(Debug, Clone, Serialize)]
pub struct PausePlan {
    pub session_id: String,
    pub paused_at: Timestamp,
    pub paused_branch: Option<String>,
    pub paused_commit: Option<String>,
    /// The project is elsewhere now (resuming will ask); where it is.
    pub now_elsewhere: Option<HeadInfo>,
}

fn project_key(project: &Project) -> String {
    project.path.to_string_lossy().into_owned()
}

/// Where the paused session was: its branch, or its commit when HEAD was detached.
pub fn paused_target(record: &PauseRecord) -> Option<Target> {
    match (&record.branch, &record.head_commit) {
        (Some(branch), _) => Some(Target::Branch(branch.clone())),
        (None, Some(commit)) => Some(Target::Detached(commit.clone())),
        (None, None) => None,
    }
}

pub fn on_target(project: &Project, target: Option<&Target>) -> bool {
    if !project.in_git {
        return true;
    }
    let head = git::head_state(&project.path);
    match target {
        None => true,
        Some(Target::Branch(name)) => head.branch.as_deref() == Some(name.as_str()),
        Some(Target::Detached(commit)) => {
            head.detached && head.commit.as_deref() == Some(commit.as_str())
        }
    }
}

/// Removes the project's pause record if it still names `session_id`.
pub fn clear_record(env: &Env, project: &Project, session_id: &str) -> Result<bool> {
    let key = project_key(project);
    pause_state::update(&env.layout, env.wait(), |state| {
        if state
            .projects
            .get(&key)
            .is_some_and(|r| r.session_id == session_id)
        {
            state.projects.remove(&key);
            Ok(true)
        } else {
            Ok(false)
        }
    })
}

/// What `resume` printed, with whether to add the line about Claude Code's own picker.
#[derive(Debug, Clone, Serialize)]
pub struct ResumeReport {
    #[serde(flatten)]
    pub outcome: ResumeOutcome,
    /// The first /resume of this conversation where our command file is `/resume`: Claude
    /// Code's own conversation picker is `/continue` (or `claude --resume`) there.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub picker_hint: bool,
}

/// True once per conversation, when our command is the one called `/resume` (installed mode):
/// the conversation is remembered so the line is not repeated on every run.
pub fn picker_hint(env: &Env, claude_session: Option<&str>) -> Result<bool> {
    let Some(claude) = pick::checked_claude_id(claude_session)? else {
        return Ok(false); // typed in a terminal: no picker was hidden
    };
    if crate::surface::current() != crate::surface::Surface::Installed {
        return Ok(false);
    }
    let marker = env.layout.picker_hints_dir().join(&claude);
    if marker.exists() {
        return Ok(false);
    }
    crate::store::ensure_dir(&env.layout.picker_hints_dir())?;
    crate::store::write_atomic(&marker, b"")?;
    Ok(true)
}

pub fn resume(env: &Env, request: &ResumeRequest) -> Result<ResumeOutcome> {
    let claude = pick::checked_claude_id(request.claude_session.as_deref())?;
    let project = env.project()?;
    // sync: no session paused here, so a paused one of another machine may be on the remote.
    let sync_warning = if request.session.is_none()
        && pause_state::record_for(&env.layout, &project_key(&project))?.is_none()
    {
        super::sync::auto_pull(env, &project)
    } else {
        None
    };
    let mut outcome = resume_in(
        env,
        &project,
        request.session.as_deref(),
        request.on_mismatch,
        claude.as_deref(),
    )?;
    if let ResumeOutcome::NoRecord {
        sync_warning: w, ..
    } = &mut outcome
    {
        *w = sync_warning;
    }
    Ok(outcome)
}

/// The resume flow shared by `resume` and `start`; `claude` is already checked.
pub fn resume_in(
    env: &Env,
    project: &Project,
    id: Option<&str>,
    choice: OnMismatch,
    claude: Option<&str>,
) -> Result<ResumeOutcome> {
    let record = pause_state::record_for(&env.layout, &project_key(project))?;
    let Some(record) = record else {
        return match id {
            Some(prefix) => {
                let ws = registry::resolve(project, prefix)?;
                if ws.archived {
                    return Err(Error::invalid(
                        "the session has ended; start a new one",
                        &ws.id,
                    ));
                }
                let context = newest_note(&ws);
                let mut resumed = reactivate_shown(env, project, &ws, claude, None, context)?;
                resumed.without_record = true;
                Ok(ResumeOutcome::Resumed(Box::new(resumed)))
            }
            None => Ok(ResumeOutcome::NoRecord {
                project: project.path.to_string_lossy().into_owned(),
                recent: recent_sessions(env, project)?,
                sync_warning: None,
            }),
        };
    };
    let ws = match registry::resolve(project, &record.session_id) {
        Ok(ws) if !ws.archived => ws,
        Ok(_) | Err(Error::SessionNotFound(_)) => {
            clear_record(env, project, &record.session_id)?;
            return Ok(ResumeOutcome::Stale {
                session_id: record.session_id.clone(),
                recent: recent_sessions(env, project)?,
            });
        }
        Err(e) => return Err(e),
    };
    if let Some(prefix) = id
        && !ws.id.starts_with(prefix)
    {
        return Err(Error::invalid(
            format!(
                "the paused session is {}; resume it, or end it first",
                ws.id
            ),
            prefix,
        ));
    }
    let target = paused_target(&record);
    let mut branch_action = None;
    if !on_target(project, target.as_ref()) {
        let target = target.clone().unwrap_or(Target::Branch(String::new()));
        let current = HeadInfo::of(project);
        match choice {
            OnMismatch::Ask => {
                let tracked_changes = git::changes(&project.path)?
                    .into_iter()
                    .filter(|c| c.code != "??")
                    .map(|c| c.path)
                    .collect();
                return Ok(ResumeOutcome::Mismatch(Mismatch {
                    session_id: ws.id.clone(),
                    paused_branch: record.branch.clone(),
                    paused_commit: record.head_commit.clone(),
                    current,
                    tracked_changes,
                }));
            }
            OnMismatch::Switch => {
                git::checkout(&project.path, &target)?;
                branch_action = Some(BranchAction::Switched {
                    to: target.describe(),
                    was: current,
                });
            }
            OnMismatch::Stay => {
                branch_action = Some(BranchAction::Stayed {
                    on: current,
                    paused_on: target.describe(),
                })
            }
        }
    }
    let context = record.context_file.as_ref().map(PathBuf::from);
    let mut resumed = reactivate_shown(env, project, &ws, claude, Some(&record), context)?;
    resumed.branch_action = branch_action;
    Ok(ResumeOutcome::Resumed(Box::new(resumed)))
}

/// The newest context kept in the session's notes (for a resume without a record): the
/// whole `context-<stamp>-<reason>.md` that every pause (and auto-pause) writes there.
fn newest_note(ws: &Workspace) -> Option<PathBuf> {
    let mut names: Vec<String> = std::fs::read_dir(ws.notes_dir())
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("context-") && n.ends_with(".md"))
        .collect();
    names.sort();
    names.pop().map(|n| ws.notes_dir().join(n))
}

/// Makes the session active again and clears its pause record (when it is still `record`):
/// status first, then the index, then the record; a record left behind by a failure is
/// harmless (the session is simply resumed again). The caller holds the project lock.
pub fn reactivate(
    env: &Env,
    project: &Project,
    ws: &Workspace,
    record: Option<&PauseRecord>,
    wait: Duration,
) -> Result<SessionDoc> {
    let doc = registry::commit(
        ws,
        &[Event::StatusChanged {
            at: env.now()?,
            status: Status::Active,
        }],
        wait,
    )?;
    registry::set_index(project, &ws.id, Some(registry::index_entry(&doc)), wait)?;
    if let Some(record) = record {
        let key = project_key(project);
        pause_state::update(&env.layout, wait, |state| {
            if state.projects.get(&key) == Some(record) {
                state.projects.remove(&key);
            }
            Ok(())
        })?;
    }
    Ok(doc)
}

/// Reactivates (binding the Claude session) and gathers what Claude needs: the context, any
/// answer from claude.ai, and where the repository stands.
fn reactivate_shown(
    env: &Env,
    project: &Project,
    ws: &Workspace,
    claude: Option<&str>,
    record: Option<&PauseRecord>,
    context: Option<PathBuf>,
) -> Result<Resumed> {
    let (doc, bound) = {
        let _lock = registry::lock_project(project, env.wait())?;
        let bound = match claude {
            Some(id) => Some(bind::bind(env, project, ws, &bind::by_command(id))?),
            None => None,
        };
        let doc = reactivate(env, project, ws, record, env.wait())?;
        (doc, bound)
    };
    let paused = record.map(|r| PausedInfo {
        paused_at: r.paused_at,
        note: r.note.clone(),
        wip_commit: r.wip_commit.clone(),
    });
    let context = match context {
        Some(path) => match std::fs::read_to_string(&path) {
            Ok(text) => ContextShown::Shown {
                path: path.to_string_lossy().into_owned(),
                text,
            },
            Err(e) => ContextShown::Unreadable {
                path: path.to_string_lossy().into_owned(),
                error: e.to_string(),
            },
        },
        None => ContextShown::NotSaved,
    };
    let (merged, handoff_problem) = handoff::merge_answered(env, project, Some(ws))?;
    Ok(Resumed {
        session_id: ws.id.clone(),
        focus: doc.session.focus.clone(),
        without_record: false,
        branch_action: None,
        head: HeadInfo::of(project),
        paused,
        context,
        merged,
        handoff_problem,
        ready: Ready::of(
            project,
            doc.git.starting_commit.as_deref(),
            "the first open item of the next steps above, unless the user says otherwise.",
        ),
        bound,
        memory: super::memory::injected(env, project, &doc.session.focus),
    })
}

/// The project's sessions, newest first, at most eight.
fn recent_sessions(env: &Env, project: &Project) -> Result<Vec<SessionRow>> {
    let mut all = registry::workspaces(project, Which::All)?;
    all.sort_by(|a, b| b.id.cmp(&a.id));
    let mut rows = Vec::new();
    for ws in all.iter().take(8) {
        let Some(doc) = registry::load_or_quarantine(project, ws, env.wait())? else {
            continue;
        };
        rows.push(SessionRow {
            id: ws.id.clone(),
            status: doc.session.status,
            started: format!("{} {}", doc.session.date, doc.session.start_time),
            focus: doc.session.focus.clone(),
        });
    }
    Ok(rows)
}

/// What `start` would do about a pause record (for `start --dry-run`).
pub fn plan(env: &Env, project: &Project) -> Result<Option<PausePlan>> {
    let Some(record) = pause_state::record_for(&env.layout, &project_key(project))? else {
        return Ok(None);
    };
    let target = paused_target(&record);
    Ok(Some(PausePlan {
        session_id: record.session_id.clone(),
        paused_at: record.paused_at,
        paused_branch: record.branch.clone(),
        paused_commit: record.head_commit.clone(),
        now_elsewhere: (!on_target(project, target.as_ref())).then(|| HeadInfo::of(project)),
    }))
}
