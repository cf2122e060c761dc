//! `pause`: saves where the work stands (context file, pause record, optional WIP commit) so
//! that `resume` or `start` continues exactly there. The session-end hook's automatic pause goes
//! through the same [`save`], so both keep one order: the context file and the pause record
//! first, the status last. A pause that fails on the way leaves the session active, never
//! "paused" without a record that /resume could find.

use super::bind::{self, BindOutcome};
use super::handoff::{self, HandoffShare};
use super::{HeadInfo, pick};
use crate::context_file::{self, ContextInput};
use crate::env::Env;
use crate::error::{Error, Result};
use crate::git;
use crate::paths::Project;
use crate::pause_state::{self, PauseRecord};
use crate::registry::{self, Workspace};
use crate::session::{Event, SessionDoc, Status};
use jiff::Timestamp;
use serde::Serialize;
use std::path::PathBuf;
use std::time::Duration;

/// Time limit of `git add -A` and `git commit` for a WIP commit (no prompt can make them wait).
const WIP_TIMEOUT: Duration = Duration::from_secs(300);

#[derive(Debug, Clone, Default)]
pub struct PauseRequest {
    /// Session id or unique prefix; `None`: the conversation's or the only open session.
    pub session: Option<String>,
    /// The Claude Code conversation pausing it (raw, as given; checked here).
    pub claude_session: Option<String>,
    /// Claude's summary (markdown). Empty text counts as none.
    pub summary: Option<String>,
    pub note: Option<String>,
    pub wip_commit: bool,
    pub handoff: bool,
    /// Ignore the context budget.
    pub full: bool,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum WipOutcome {
    NotGit,
    Committed { commit: String, message: String },
    NothingToCommit,
    Failed { error: String },
}

#[derive(Debug, Clone, Serialize)]
pub struct PauseOutcome {
    pub session_id: String,
    pub focus: String,
    pub head: HeadInfo,
    pub uncommitted: Vec<String>,
    pub wip_commit: Option<WipOutcome>,
    /// `.env*` files a WIP commit left out.
    pub env_files_left_out: Vec<String>,
    /// `.env*` files that had been staged and were unstaged for the WIP commit.
    pub unstaged: Vec<String>,
    pub context_file: String,
    /// Another session whose pause record this one replaced (it stays paused).
    pub replaced_record_of: Option<String>,
    pub bound: Option<BindOutcome>,
    pub handoff: Option<HandoffShare>,
    /// The session was paused already and nothing new was given: nothing changed.
    pub already_paused: Option<AlreadyPaused>,
    /// A summary was given but it was empty: it counts as no new summary.
    pub empty_summary_ignored: bool,
    /// The context file of the earlier pause that this one supersedes.
    pub supersedes: Option<String>,
    /// The Cloud Tracker record queued (`tracker.on_pause`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tracker: Option<super::tracker::QueuedInfo>,
    /// The open tasks (`tasks.json`), the pause record's next steps.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub next_steps: Vec<String>,
    /// tasks.json could not be written (the pause went on without it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tasks_problem: Option<String>,
    /// Task files that could not be read (skipped).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tasks_warnings: Vec<String>,
}

/// What a pause would save, changing nothing.
#[derive(Debug, Clone, Serialize)]
pub struct PausePreview {
    pub session_id: String,
    pub status: Status,
    pub focus: String,
    pub head: HeadInfo,
    pub in_git: bool,
    pub uncommitted: Vec<ChangeInfo>,
    /// The project's current pause record, which a new pause replaces.
    pub already_paused: Option<AlreadyPaused>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChangeInfo {
    /// Two-letter git status code (`??`, ` M`…).
    pub code: String,
    pub path: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AlreadyPaused {
    pub session_id: String,
    pub paused_at: Timestamp,
    pub context_file: Option<String>,
}

pub fn preview(env: &Env, session: Option<&str>) -> Result<PausePreview> {
    let project = env.project()?;
    let ws = pick::open(env, &project, session)?;
    let doc = registry::load(&ws, env.wait())?;
    let changes = git::changes(&project.path)?;
    let already_paused = pause_state::record_for(&env.layout, &project.path.to_string_lossy())?
        .map(|r| AlreadyPaused {
            session_id: r.session_id,
            paused_at: r.paused_at,
            context_file: r.context_file,
        });
    Ok(PausePreview {
        session_id: ws.id.clone(),
        status: doc.session.status,
        focus: doc.session.focus.clone(),
        head: HeadInfo::of(&project),
        in_git: project.in_git,
        uncommitted: changes
            .into_iter()
            .map(|c| ChangeInfo {
                code: c.code,
                path: c.path,
            })
            .collect(),
        already_paused,
    })
}

pub fn pause(env: &Env, request: &PauseRequest) -> Result<PauseOutcome> {
    let empty_summary_ignored = request
        .summary
        .as_deref()
        .is_some_and(|t| t.trim().is_empty());
    let summary = request.summary.clone().filter(|t| !t.trim().is_empty());
    let note = request.note.clone().filter(|n| !n.trim().is_empty());
    let project = env.project()?;
    let claude = pick::checked_claude_id(request.claude_session.as_deref())?;
    let lock = registry::lock_project(&project, env.wait())?;
    let ws = pick::open_for(env, &project, request.session.as_deref(), claude.as_deref())?;
    if ws.archived {
        return Err(Error::invalid(
            "the session has ended; start a new one",
            &ws.id,
        ));
    }
    let before = registry::load(&ws, env.wait())?;
    let key = project.path.to_string_lossy().into_owned();
    let earlier = if before.session.status == Status::Paused {
        pause_state::record_for(&env.layout, &key)?.filter(|r| r.session_id == ws.id)
    } else {
        None
    };
    // Pausing a paused session again with nothing new to say changes nothing: the record, its
    // summary, note and next steps stay as they were.
    if let Some(record) = &earlier
        && summary.is_none()
        && note.is_none()
        && !request.wip_commit
        && !request.handoff
    {
        return Ok(PauseOutcome {
            session_id: ws.id.clone(),
            focus: before.session.focus.clone(),
            head: HeadInfo::of(&project),
            uncommitted: record.dirty_files.clone(),
            wip_commit: None,
            env_files_left_out: Vec::new(),
            unstaged: Vec::new(),
            context_file: record.context_file.clone().unwrap_or_default(),
            replaced_record_of: None,
            bound: None,
            handoff: None,
            tracker: None,
            already_paused: Some(AlreadyPaused {
                session_id: ws.id.clone(),
                paused_at: record.paused_at,
                context_file: record.context_file.clone(),
            }),
            empty_summary_ignored,
            supersedes: None,
            next_steps: record.next_steps.clone(),
            tasks_problem: None,
            tasks_warnings: Vec::new(),
        });
    }

    let mut wip = None;
    let mut unstaged = Vec::new();
    if request.wip_commit {
        wip = Some(if !project.in_git {
            WipOutcome::NotGit
        } else {
            let topic = if before.session.focus.is_empty() {
                ws.id.as_str()
            } else {
                before.session.focus.as_str()
            };
            let message = format!("WIP: {topic} (claude-session pause)");
            match git::wip_commit(&project.path, &message, WIP_TIMEOUT) {
                Ok(done) => {
                    unstaged = done.unstaged;
                    match done.commit {
                        Some(commit) => WipOutcome::Committed { commit, message },
                        None => WipOutcome::NothingToCommit,
                    }
                }
                // The pause matters more than the commit: the files are all still there.
                Err(e) => WipOutcome::Failed {
                    error: e.to_string(),
                },
            }
        });
    }

    let dirty: Vec<String> = git::changes(&project.path)?
        .into_iter()
        .map(|c| c.path)
        .collect();
    let mut env_files_left_out = Vec::new();
    if request.wip_commit {
        env_files_left_out = dirty
            .iter()
            .filter(|p| crate::redact::is_env_file(p))
            .chain(&unstaged)
            .cloned()
            .collect();
        env_files_left_out.sort();
        env_files_left_out.dedup();
    }
    let bound = match &claude {
        Some(id) => Some(bind::bind(env, &project, &ws, &bind::by_command(id))?),
        None => None,
    };
    let doc = registry::load(&ws, env.wait())?;
    let wip_commit = match &wip {
        Some(WipOutcome::Committed { commit, .. }) => Some(commit.clone()),
        _ => None,
    };
    let saved = save(
        env,
        &project,
        &ws,
        &doc,
        &Facts {
            reason: "pause",
            summary,
            note,
            supersedes: earlier.as_ref().and_then(|r| r.context_file.clone()),
            full: request.full,
            wip_commit,
            handoff: request.handoff,
            claude_session: claude
                .clone()
                .or_else(|| doc.claude_sessions.last().map(|c| c.id.clone())),
            dirty: dirty.clone(),
            wait: env.wait(),
        },
        RecordPolicy::Replace,
    )?;
    drop(lock);

    let handoff = request.handoff.then(|| {
        let context_text = std::fs::read_to_string(&saved.context_file).ok();
        handoff::share(env, &project, context_text)
    });
    // `[tracker] on_pause`: each pause is a record of its own, keyed by its context file.
    let tracker = env.config().tracker.on_pause.then(|| {
        let context = saved.context_file.to_string_lossy().into_owned();
        let record = super::tracker::build_record(&project, &saved.doc, None, Some(&context));
        let stem = saved
            .context_file
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy();
        super::tracker::queue_and_send(env, &project, &format!("pause:{stem}"), record)
    });
    Ok(PauseOutcome {
        tracker: tracker.flatten(),
        session_id: ws.id.clone(),
        focus: saved.doc.session.focus.clone(),
        head: HeadInfo::of(&project),
        uncommitted: dirty,
        wip_commit: wip,
        env_files_left_out,
        unstaged,
        context_file: saved.context_file.to_string_lossy().into_owned(),
        replaced_record_of: saved.replaced,
        bound,
        handoff,
        already_paused: None,
        empty_summary_ignored,
        supersedes: earlier.and_then(|r| r.context_file),
        next_steps: saved.next_steps,
        tasks_problem: saved.tasks_problem,
        tasks_warnings: saved.tasks_warnings,
    })
}

/// What a pause records besides the session's own state.
pub struct Facts {
    /// `pause`, or `auto-pause` for the session-end hook.
    pub reason: &'static str,
    pub summary: Option<String>,
    pub note: Option<String>,
    pub full: bool,
    pub wip_commit: Option<String>,
    pub handoff: bool,
    pub claude_session: Option<String>,
    pub dirty: Vec<String>,
    pub wait: Duration,
    /// The context file of an earlier pause of this session, which this one replaces.
    pub supersedes: Option<String>,
}

/// What to do when the project's pause record names another session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordPolicy {
    /// A /pause replaces it: the other session stays paused and can be resumed by id.
    Replace,
    /// An automatic pause never overwrites a record the user made; this session stays paused
    /// and findable through its context file and the index.
    KeepOthers,
}

pub struct Saved {
    pub context_file: PathBuf,
    pub replaced: Option<String>,
    pub doc: SessionDoc,
    /// The open tasks, as the pause record holds them.
    pub next_steps: Vec<String>,
    /// Why tasks.json could not be written (the pause went on).
    pub tasks_problem: Option<String>,
    /// Task files that could not be read (skipped).
    pub tasks_warnings: Vec<String>,
}

/// The pause itself, in its one order: context file, pause record, index, status. The caller
/// holds the project lock.
pub fn save(
    env: &Env,
    project: &Project,
    ws: &Workspace,
    doc: &SessionDoc,
    facts: &Facts,
    policy: RecordPolicy,
) -> Result<Saved> {
    let now = env.now()?;
    let head = git::head_state(&project.path);
    // tasks.json first: the context file and the record's next steps show its open tasks. A
    // list that cannot be written does not stop the pause (it is computed again at the end).
    let (current, tasks_problem) = match crate::tasks::reconcile(ws, doc, now) {
        Ok(current) => (current, None),
        Err(e) => (crate::tasks::current(ws, doc, now), Some(e.to_string())),
    };
    let crate::tasks::Current {
        list: task_list,
        warnings: tasks_warnings,
    } = current;
    let next_steps: Vec<String> = task_list.open().map(|t| t.step_line()).collect();
    let mut paused = doc.clone();
    paused.session.status = Status::Paused;
    let context_file = context_file::write(
        env,
        project,
        ws,
        &paused,
        &ContextInput {
            summary_markdown: facts.summary.clone(),
            note: facts.note.clone(),
            full: facts.full,
            reason: facts.reason.to_string(),
            supersedes: facts.supersedes.clone(),
            tasks: Some(task_list),
        },
    )?;
    let record = PauseRecord {
        session_id: ws.id.clone(),
        paused_at: now,
        branch: head.branch.clone(),
        head_commit: head.commit.clone(),
        dirty_files: facts.dirty.clone(),
        context_file: Some(context_file.to_string_lossy().into_owned()),
        note: facts
            .note
            .clone()
            .or_else(|| context_file::latest_words(ws).and_then(|words| words.note)),
        wip_commit: facts.wip_commit.clone(),
        handoff: facts.handoff,
        auto: facts.reason != "pause",
        claude_session: facts.claude_session.clone(),
        next_steps: next_steps.clone(),
    };
    let key = project.path.to_string_lossy().into_owned();
    let replaced = pause_state::update(&env.layout, facts.wait, |state| {
        let other = state
            .projects
            .get(&key)
            .filter(|old| old.session_id != ws.id)
            .map(|old| old.session_id.clone());
        if other.is_none() || policy == RecordPolicy::Replace {
            state.projects.insert(key.clone(), record);
            Ok(other)
        } else {
            Ok(None)
        }
    })?;
    // The index before the status: hooks route by the index, so once it says paused no event
    // of another conversation lands in this session; a kill between the two leaves a paused
    // index, a record, and a document that the next pause or resume brings in line.
    registry::set_index(
        project,
        &ws.id,
        Some(registry::index_entry(&paused)),
        facts.wait,
    )?;
    crate::fault::point("pause.indexed");
    let doc = registry::commit(
        ws,
        &[Event::StatusChanged {
            at: now,
            status: Status::Paused,
        }],
        facts.wait,
    )?;
    registry::set_index(
        project,
        &ws.id,
        Some(registry::index_entry(&doc)),
        facts.wait,
    )?;
    Ok(Saved {
        context_file,
        replaced,
        doc,
        next_steps,
        tasks_problem,
        tasks_warnings,
    })
}
