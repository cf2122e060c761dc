//! `start`: a new session workspace, or, when a session is paused in the project, that session
//! resumed (`new` starts a separate one anyway).

use super::bind::{self, BindOutcome};
use super::handoff::{self, MergedAnswer};
use super::resume::{self, OnMismatch, PausePlan, ResumeOutcome};
use super::{HeadInfo, Ready, pick};
use crate::env::Env;
use crate::error::Result;
use crate::handoff::Status as HandoffStatus;
use crate::paths::Project;
use crate::registry::{self, Workspace};
use crate::session::{self, Event, SessionDoc, Status};
use crate::{documents, git, store, templates};
use serde::Serialize;

pub const WORKSPACE_DIRS: [&str; 4] = ["artifacts", "notes", "decisions", "snapshots"];

#[derive(Debug, Clone)]
pub struct StartRequest {
    /// What the session is about (may be empty).
    pub focus: String,
    pub agent: String,
    /// Bind this Claude Code conversation (raw, as given; checked here).
    pub claude_session: Option<String>,
    /// Start a new session even when one is paused.
    pub new: bool,
    /// Key/value metadata kept in `session.yaml` (`metadata`).
    pub metadata: Option<serde_json::Map<String, serde_json::Value>>,
    /// The session's objectives (`--plan`): with any, `plan.md` is written.
    pub objectives: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StartOutcome {
    /// A paused session was resumed instead (or its stale record cleared, then one started).
    pub resumed: Option<ResumeOutcome>,
    /// A focus was given but the resumed session keeps its own.
    pub focus_ignored: bool,
    /// Objectives were given but a paused session was resumed: no plan was written.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub plan_ignored: bool,
    pub started: Option<Started>,
    /// Sessions that were open already when this one started (it opens beside them).
    pub others_open: Vec<OpenSession>,
    /// Ends that a kill had interrupted, finished before starting.
    pub finished_interrupted_ends: Vec<String>,
    /// `sync`: the remote could not be asked (one line; start went on with what is here).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sync_warning: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Started {
    pub session_id: String,
    pub workspace: String,
    pub focus: String,
    pub agent: String,
    pub merged: Option<MergedAnswer>,
    /// Why the handoff back end (1Password) could not be read, in one line.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handoff_problem: Option<String>,
    pub ready: Ready,
    pub bound: Option<BindOutcome>,
    /// The workspace's `context.md`.
    pub context: String,
    /// The workspace's `plan.md`, when objectives were given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan: Option<String>,
    /// Project memory relevant to the focus and the last ended session's summary (issue 15).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory: Option<crate::memory::Relevant>,
}

/// What `start` would do, changing nothing.
#[derive(Debug, Clone, Serialize)]
pub struct StartPlan {
    pub project_name: String,
    pub project_path: String,
    pub new: bool,
    pub paused: Option<PausePlan>,
    /// Open sessions (listed when none is paused).
    pub open: Vec<OpenSession>,
    pub answer_waiting: bool,
    pub head: HeadInfo,
}

#[derive(Debug, Clone, Serialize)]
pub struct OpenSession {
    pub id: String,
    pub status: Status,
}

pub fn start(env: &Env, request: &StartRequest) -> Result<StartOutcome> {
    let project = env.project()?;
    let claude = pick::checked_claude_id(request.claude_session.as_deref())?;
    let mut outcome = StartOutcome {
        resumed: None,
        focus_ignored: false,
        plan_ignored: false,
        started: None,
        others_open: Vec::new(),
        finished_interrupted_ends: super::end::finish_interrupted(env, &project)?
            .into_iter()
            .map(|done| done.session_id)
            .collect(),
        sync_warning: None,
    };
    // sync: no session paused here, so a paused one of another machine may be on the remote.
    if !request.new
        && crate::pause_state::record_for(&env.layout, &project.path.to_string_lossy())?.is_none()
    {
        outcome.sync_warning = super::sync::auto_pull(env, &project);
    }
    if !request.new
        && crate::pause_state::record_for(&env.layout, &project.path.to_string_lossy())?.is_some()
    {
        outcome.focus_ignored = !request.focus.is_empty();
        outcome.plan_ignored = !request.objectives.is_empty();
        let resumed = resume::resume_in(env, &project, None, OnMismatch::Ask, claude.as_deref())?;
        let stale = matches!(resumed, ResumeOutcome::Stale { .. });
        outcome.resumed = Some(resumed);
        if !stale {
            return Ok(outcome);
        }
    }
    if !request.new {
        outcome.others_open = registry::open_sessions(&project, env.wait())?
            .into_iter()
            .map(|(ws, entry)| OpenSession {
                id: ws.id,
                status: entry.status,
            })
            .collect();
    }
    let (ws, doc, bound) = create(env, &project, request, claude.as_deref())?;
    let (merged, handoff_problem) = handoff::merge_answered(env, &project, Some(&ws))?;
    let next = if doc.session.focus.is_empty() {
        "ask the user what this session is about.".to_string()
    } else {
        format!("work on the focus: {}.", doc.session.focus)
    };
    outcome.started = Some(Started {
        session_id: ws.id.clone(),
        workspace: ws.dir.to_string_lossy().into_owned(),
        focus: doc.session.focus.clone(),
        agent: doc.session.agent.clone(),
        merged,
        handoff_problem,
        ready: Ready::of(&project, doc.git.starting_commit.as_deref(), &next),
        bound,
        context: ws
            .dir
            .join(documents::CONTEXT_FILE)
            .to_string_lossy()
            .into_owned(),
        plan: (!request.objectives.is_empty()).then(|| {
            ws.dir
                .join(documents::PLAN_FILE)
                .to_string_lossy()
                .into_owned()
        }),
        memory: super::memory::injected(env, &project, &doc.session.focus),
    });
    Ok(outcome)
}

pub fn plan(env: &Env, new: bool) -> Result<StartPlan> {
    let project = env.project()?;
    let paused = resume::plan(env, &project)?;
    let open = if paused.is_none() {
        registry::open_sessions(&project, env.wait())?
            .into_iter()
            .map(|(ws, entry)| OpenSession {
                id: ws.id,
                status: entry.status,
            })
            .collect()
    } else {
        Vec::new()
    };
    let answer_waiting = handoff::store_for(env, &project)
        .newest(HandoffStatus::Answered)?
        .is_some();
    Ok(StartPlan {
        project_name: project.name.clone(),
        project_path: project.path.to_string_lossy().into_owned(),
        new,
        paused,
        open,
        answer_waiting,
        head: HeadInfo::of(&project),
    })
}

/// Creates the workspace and its files; binds the Claude session and adopts its inbox.
fn create(
    env: &Env,
    project: &Project,
    request: &StartRequest,
    claude: Option<&str>,
) -> Result<(Workspace, SessionDoc, Option<BindOutcome>)> {
    registry::ensure_project(project)?;
    let now = env.now()?;
    let focus = request.focus.trim().to_string();
    let head = git::head_state(&project.path);

    let _lock = registry::lock_project(project, env.wait())?;
    // Built under a temporary name and moved into place last: readers see the whole
    // session or none of it.
    let staged = registry::create_workspace(
        project,
        &registry::id_date(now),
        &session::sanitize_focus(&focus),
        env.wait(),
    )?;
    let ws = &staged;
    for dir in WORKSPACE_DIRS {
        store::ensure_dir(&ws.dir.join(dir))?;
    }
    let started = Event::Started {
        at: now,
        id: ws.id.clone(),
        focus: focus.clone(),
        agent: request.agent.clone(),
        project_path: project.path.to_string_lossy().into_owned(),
        project_name: project.name.clone(),
        branch: head.branch.clone(),
        commit: head.commit.clone(),
        metadata: request.metadata.clone(),
    };
    let doc = registry::commit(ws, &[started], env.wait())?;
    store::write_atomic(
        &ws.dir.join("README.md"),
        templates::readme(&ws.id).as_bytes(),
    )?;
    store::write_atomic(
        &ws.dir.join("summary.md"),
        templates::summary(&ws.id, &focus, &doc.session.date, &doc.session.start_time).as_bytes(),
    )?;
    write_documents(project, ws, &doc, &head, &request.objectives)?;
    crate::fault::point("start.staged");
    // The index first: readers skip an entry whose folder is not there yet, so a kill before
    // the rename leaves nothing visible (the next start drops the entry with the leftover).
    registry::set_index(
        project,
        &ws.id,
        Some(registry::index_entry(&doc)),
        env.wait(),
    )?;
    crate::fault::point("start.indexed");
    let ws = registry::publish_workspace(project, &staged)?;
    crate::fault::point("start.published");
    let mut doc = doc;
    let bound = match claude {
        Some(id) => {
            let bound = bind::bind(env, project, &ws, &bind::by_command(id))?;
            doc = registry::load(&ws, env.wait())?;
            Some(bound)
        }
        None => None,
    };
    Ok((ws, doc, bound))
}

/// `context.md` always (cheap: a few small reads), `plan.md` with objectives; both in the
/// staged workspace, so they appear with it.
fn write_documents(
    project: &Project,
    ws: &Workspace,
    doc: &SessionDoc,
    head: &git::HeadState,
    objectives: &[String],
) -> Result<()> {
    let facts = context_facts(project, ws, head, objectives);
    store::write_atomic(
        &ws.dir.join(documents::CONTEXT_FILE),
        documents::context_md(doc, &facts).as_bytes(),
    )?;
    if !objectives.is_empty() {
        store::write_atomic(
            &ws.dir.join(documents::PLAN_FILE),
            documents::plan_md(doc, objectives).as_bytes(),
        )?;
    }
    Ok(())
}

/// Earlier sessions looked at for maintenance runs (newest first).
const SESSIONS_FOR_RUNS: usize = 10;

/// What `context.md` shows; whatever cannot be read is left out (never a failed start).
fn context_facts(
    project: &Project,
    ws: &Workspace,
    head: &git::HeadState,
    objectives: &[String],
) -> documents::ContextFacts {
    let mut earlier = registry::workspaces(project, registry::Which::All).unwrap_or_default();
    earlier.retain(|w| w.id != ws.id);
    earlier.reverse();
    // session.yaml as written: no fold, no write (an open session's newest events may be
    // missing, which is fine for a summary of the state).
    let runs = earlier.iter().take(SESSIONS_FOR_RUNS).find_map(|w| {
        match store::read_yaml::<SessionDoc>(&w.session_file()) {
            Ok(store::Loaded::Found(doc)) if !doc.maintenance_runs.is_empty() => {
                Some((w.id.clone(), doc.maintenance_runs))
            }
            _ => None,
        }
    });
    documents::ContextFacts {
        branch: head
            .branch
            .clone()
            .or_else(|| head.commit.as_ref().map(|_| head.describe())),
        last_commit: head.commit.as_ref().map(|c| {
            let summary = git::commits_between(&project.path, None, 1)
                .into_iter()
                .next()
                .map(|c| c.summary)
                .unwrap_or_default();
            format!("{} {summary}", git::short(c))
                .trim_end()
                .to_string()
        }),
        runs,
        known_issues: crate::memory::list(project, Some(crate::memory::Kind::Error))
            .unwrap_or_default(),
        // The same summary the injected memory shows: the newest ended session's, if written.
        previous: crate::memory::last_summary(project),
        objectives: objectives.to_vec(),
    }
}
