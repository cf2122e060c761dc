//! `end`: final metrics and score, summary, archive, the project memory's decisions, the
//! session's documents (`completed.md`, `review.md`), ZIP backup, the session record
//! (`backups/sessions/<id>.json`), summaries log; then the final context file, the pause record
//! cleared, and optionally a push and a claude.ai handoff. Once the session is archived, later
//! steps report their failures and never undo the end.
//!
//! Approval (the seed's HITL closeout) is the front end's: the CLI asks or needs `--yes`, the MCP
//! tool's call is the approval. This module archives when called.

use super::handoff::{self, HandoffShare};
use super::{CommitInfo, HeadInfo, pick, resume};
use crate::context_file::{self, ContextInput};
use crate::documents::{self, Indicators, SessionRecord};
use crate::env::Env;
use crate::error::{Error, Result};
use crate::memory::{self, PatternProposal};
use crate::paths::Project;
use crate::registry::{self, Workspace};
use crate::session::{Event, GitInfo, SessionDoc, Status};
use crate::tasks::{self, TaskList};
use crate::{archive, clock, git, store, templates};
use serde::Serialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Default)]
pub struct EndRequest {
    /// Session id or unique prefix; `None`: the conversation's or the only open session.
    pub session: Option<String>,
    pub claude_session: Option<String>,
    /// RULEMAP score, 0 to 10.
    pub score: Option<f64>,
    /// The session summary (markdown). Empty text counts as none.
    pub summary: Option<String>,
    pub no_backup: bool,
    pub push: bool,
    pub handoff: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct EndOutcome {
    pub session_id: String,
    /// The final session document (session.yaml).
    pub session: SessionDoc,
    pub archived: String,
    pub backup: Option<String>,
    pub backup_error: Option<String>,
    pub summaries_file: String,
    /// The final context file, or why it was not written.
    pub final_context: std::result::Result<String, String>,
    /// `Some(Ok(()))` when the project's pause record (this session's) was cleared.
    pub pause_record_cleared: Option<std::result::Result<(), String>>,
    pub push: Option<git::PushOutcome>,
    pub handoff: Option<HandoffShare>,
    /// This finished an `end` that had been interrupted (killed) earlier.
    pub resumed_interrupted_end: bool,
    /// The Cloud Tracker record queued (when `tracker.url` is set).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tracker: Option<super::tracker::QueuedInfo>,
    /// `completed.md` and `review.md` in the archived workspace (when written).
    pub documents: Vec<String>,
    /// `backups/sessions/<id>.json`, the session record (when written).
    pub session_record: Option<String>,
    /// The seed's success indicators, with their numbers.
    pub indicators: Indicators,
    /// Memory entries this session added (decisions imported at the end included).
    pub memory_entries: usize,
    /// Patterns found in the summary's "Decisions"/"Lessons" for Claude to confirm.
    pub pattern_proposals: Vec<PatternProposal>,
    /// Steps that failed without undoing the end (`documents: why`, …).
    pub step_errors: Vec<String>,
}

/// What `end` would record, changing nothing.
#[derive(Debug, Clone, Serialize)]
pub struct EndPreview {
    pub session_id: String,
    pub status: Status,
    pub focus: String,
    pub started: String,
    pub head: HeadInfo,
    pub in_git: bool,
    pub commits_count: usize,
    /// The newest commits of the session (at most ten).
    pub commits: Vec<CommitInfo>,
    pub uncommitted: Vec<UncommittedFile>,
    /// Active minutes so far, and since the start with pauses.
    pub duration_minutes: u64,
    pub wall_minutes: u64,
    pub files_created: u64,
    pub files_modified: u64,
    pub checkpoints: u64,
    /// Subagent tasks recorded.
    pub agents: usize,
    /// Completion rate (tasks as last reconciled), quality score, time efficiency.
    pub indicators: Indicators,
}

/// `end` was not approved: nothing changed.
#[derive(Debug, Clone, Serialize)]
pub struct EndDeclined {
    pub session_id: String,
    pub archived: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct UncommittedFile {
    pub code: String,
    pub path: String,
    pub added: Option<usize>,
    pub deleted: Option<usize>,
    pub binary: bool,
}

pub fn validate_score(score: Option<f64>) -> Result<Option<f64>> {
    match score {
        Some(s) if !(0.0..=10.0).contains(&s) || !s.is_finite() => Err(Error::invalid(
            "the score must be between 0 and 10",
            format!("--score {s}"),
        )),
        other => Ok(other),
    }
}

/// The open session `end` acts on (named, bound to this conversation, or the only one).
fn session_to_end(
    env: &Env,
    project: &Project,
    session: Option<&str>,
    claude: Option<&str>,
) -> Result<Workspace> {
    let ws = pick::open_for(env, project, session, claude)?;
    if ws.archived {
        return Err(Error::invalid("the session has already ended", &ws.id));
    }
    Ok(ws)
}

pub fn preview(env: &Env, request: &EndRequest) -> Result<EndPreview> {
    let project = env.project()?;
    let ws = session_to_end(
        env,
        &project,
        request.session.as_deref(),
        request.claude_session.as_deref(),
    )?;
    let mut doc = registry::load(&ws, env.wait())?;
    doc.refresh_metrics(Some(env.now()?));
    // Read only: a dry run writes nothing, so the task list is the one last reconciled.
    let task_list = tasks::load(&ws).unwrap_or_else(|| TaskList::empty(&ws.id));
    let mut preview = EndPreview {
        session_id: ws.id.clone(),
        status: doc.session.status,
        focus: doc.session.focus.clone(),
        started: format!("{} {}", doc.session.date, doc.session.start_time),
        head: HeadInfo::of(&project),
        in_git: project.in_git,
        commits_count: 0,
        commits: Vec::new(),
        uncommitted: Vec::new(),
        duration_minutes: doc.metrics.duration_minutes,
        wall_minutes: doc.metrics.wall_minutes,
        files_created: doc.metrics.files_created,
        files_modified: doc.metrics.files_modified,
        checkpoints: doc.metrics.checkpoints,
        agents: doc.agents.len(),
        indicators: Indicators::of(&doc, &task_list),
    };
    if !project.in_git {
        return Ok(preview);
    }
    let since = doc.git.starting_commit.as_deref();
    preview.commits = git::commits_between(&project.path, since, 10)
        .into_iter()
        .map(|c| CommitInfo {
            hash: c.hash,
            summary: c.summary,
        })
        .collect();
    preview.commits_count = git::commits_since(&project.path, since);
    let stats: std::collections::HashMap<String, git::FileStat> = git::diffstat(&project.path)?
        .into_iter()
        .map(|s| (s.path.clone(), s))
        .collect();
    preview.uncommitted = git::changes(&project.path)?
        .into_iter()
        .map(|c| {
            let stat = stats.get(&c.path);
            UncommittedFile {
                binary: stat.is_some_and(|s| s.binary),
                added: stat.filter(|s| !s.binary).map(|s| s.added),
                deleted: stat.filter(|s| !s.binary).map(|s| s.deleted),
                code: c.code,
                path: c.path,
            }
        })
        .collect();
    Ok(preview)
}

/// What an `end` keeps beside the project's sessions (`ending/<id>.json`) from its `ended`
/// event until it is finished: what the next run needs to finish it the same way, and the steps
/// done so far. Kept outside the workspace, so the archived workspace never changes after its
/// ZIP backup is written.
#[derive(Debug, Clone, Default, Serialize, serde::Deserialize)]
pub struct EndingMarker {
    version: u32,
    no_backup: bool,
    summary: Option<String>,
    /// `archived`, `decisions`, `documents`, `backup`, `json_backup`, `summary_log`, in the
    /// order they were done.
    #[serde(default)]
    done: Vec<String>,
    /// The ZIP backup written, or `failed: <why>`.
    #[serde(default)]
    backup: Option<String>,
    /// Steps done but failed (step → why): reported, never redone, never undoing the end.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    failed: std::collections::BTreeMap<String, String>,
}

/// The steps after the `ended` event, in order (`final context` is never recorded: the marker
/// is removed once it is done).
const STEPS: [&str; 7] = [
    "archived",
    "decisions",
    "documents",
    "backup",
    "json_backup",
    "summary_log",
    "final context",
];

impl EndingMarker {
    fn has(&self, step: &str) -> bool {
        self.done.iter().any(|s| s == step)
    }

    /// Steps still to do, in order.
    pub fn pending(&self) -> Vec<String> {
        STEPS
            .into_iter()
            .filter(|step| !self.has(step))
            .map(str::to_string)
            .collect()
    }
}

/// The marker of an unfinished `end` of session `id`, if there is one.
pub fn unfinished(project: &Project, id: &str) -> Option<EndingMarker> {
    match store::read_json::<EndingMarker>(&marker_path(project, id)) {
        Ok(store::Loaded::Found(marker)) => Some(marker),
        _ => None,
    }
}

fn marker_path(project: &Project, id: &str) -> PathBuf {
    project.dir.join("ending").join(format!("{id}.json"))
}

/// `end`, as a sequence a kill cannot break: summary, marker, the `ended` event (status
/// completed), move to the archive, backup, summary log, then the `finished` step. Every step is
/// recorded in the journal and is idempotent, so an `end` killed at any instant is finished by
/// the next `end` (or `start`) in the project: see [`finish_interrupted`].
pub fn end(env: &Env, request: &EndRequest) -> Result<EndOutcome> {
    let summary = request.summary.clone().filter(|t| !t.trim().is_empty());
    let score = validate_score(request.score)?;
    let project = env.project()?;
    let now = env.now()?;
    let lock = registry::lock_project(&project, env.wait())?;
    let finished = finish_interrupted_locked(env, &project)?;
    let named = request.session.as_deref();
    if let Some(done) = finished
        .iter()
        .find(|done| named.is_some_and(|prefix| done.session_id.starts_with(prefix)))
    {
        return Ok(done.clone());
    }
    let ws = match session_to_end(env, &project, named, request.claude_session.as_deref()) {
        Ok(ws) => ws,
        // Nothing open, but an interrupted end was just finished: that is what was asked.
        Err(_) if named.is_none() && finished.len() == 1 => return Ok(finished[0].clone()),
        Err(e) => return Err(e),
    };
    let before = registry::load(&ws, env.wait())?;
    let head = git::head_state(&project.path);
    let git_info = GitInfo {
        ending_branch: head
            .branch
            .clone()
            .or_else(|| head.commit.as_ref().map(|_| head.describe())),
        ending_commit: head.commit.clone(),
        commits_count: project.in_git.then(|| {
            git::commits_since(&project.path, before.git.starting_commit.as_deref()) as u64
        }),
        uncommitted_files: git::changes(&project.path)?
            .into_iter()
            .map(|c| c.path)
            .collect(),
        ..GitInfo::default()
    };
    let archived_dir = project.sessions_archive().join(&ws.id);
    if archived_dir.exists() {
        return Err(Error::invalid(
            "an archived session with this id already exists; nothing was moved",
            archived_dir.display(),
        ));
    }
    // The task list as of the end, in the workspace (so in its ZIP); the documents read it.
    // A task folder that cannot be read does not stop the end: said in the outcome.
    let tasks_errors: Vec<String> = match tasks::reconcile(&ws, &before, now) {
        Ok(current) => current.warnings,
        Err(e) => vec![e.to_string()],
    }
    .into_iter()
    .map(|problem| format!("tasks: {problem}"))
    .collect();
    if let Some(text) = &summary {
        write_summary(&ws, &before, text)?;
    }
    store::write_json(
        &marker_path(&project, &ws.id),
        &EndingMarker {
            version: store::STATE_VERSION,
            no_backup: request.no_backup,
            summary: summary.clone(),
            ..EndingMarker::default()
        },
    )?;
    registry::commit(
        &ws,
        &[Event::Ended {
            at: now,
            score,
            git: git_info,
        }],
        env.wait(),
    )?;
    crate::fault::point("end.ended");
    let mut outcome = finish_steps(env, &project, &ws)?;
    outcome.step_errors.splice(0..0, tasks_errors);
    final_steps(env, &project, &mut outcome, summary, request);
    store::remove_file(&marker_path(&project, &ws.id))?;
    drop(lock);
    Ok(outcome)
}

/// Finishes every `end` of the project that a kill interrupted; their outcomes. `start` and
/// `end` call it.
pub fn finish_interrupted(env: &Env, project: &Project) -> Result<Vec<EndOutcome>> {
    if !project.dir.join("ending").is_dir() {
        return Ok(Vec::new());
    }
    let _lock = registry::lock_project(project, env.wait())?;
    finish_interrupted_locked(env, project)
}

fn finish_interrupted_locked(env: &Env, project: &Project) -> Result<Vec<EndOutcome>> {
    let dir = project.dir.join("ending");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Ok(Vec::new());
    };
    let mut ids: Vec<String> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.strip_suffix(".json").map(str::to_string)
        })
        .collect();
    ids.sort();
    let mut outcomes = Vec::new();
    for id in ids {
        let active = project.sessions_active().join(&id);
        let archived = project.sessions_archive().join(&id);
        let ws = if active.is_dir() {
            Workspace {
                id: id.clone(),
                dir: active,
                archived: false,
            }
        } else if archived.is_dir() {
            Workspace {
                id: id.clone(),
                dir: archived,
                archived: true,
            }
        } else {
            store::remove_file(&marker_path(project, &id))?;
            continue;
        };
        let doc = registry::load(&ws, env.wait())?;
        if doc.session.status != Status::Completed {
            // Killed before the `ended` event: nothing was ended, the session stays open.
            store::remove_file(&marker_path(project, &id))?;
            continue;
        }
        let summary = unfinished(project, &id).and_then(|m| m.summary);
        let mut outcome = finish_steps(env, project, &ws)?;
        outcome.resumed_interrupted_end = true;
        final_steps(env, project, &mut outcome, summary, &EndRequest::default());
        store::remove_file(&marker_path(project, &id))?;
        outcomes.push(outcome);
    }
    Ok(outcomes)
}

/// The steps after the `ended` event, each skipped when the marker says it is done: move to
/// the archive, backup, summary log. The caller holds the project lock and removes the marker
/// once the final steps are done too.
fn finish_steps(env: &Env, project: &Project, ws: &Workspace) -> Result<EndOutcome> {
    let doc = registry::load(ws, env.wait())?;
    let marker_file = marker_path(project, &ws.id);
    let mut marker = unfinished(project, &ws.id).unwrap_or_else(|| EndingMarker {
        version: store::STATE_VERSION,
        ..EndingMarker::default()
    });
    let done = |marker: &mut EndingMarker, step: &str| -> Result<()> {
        marker.done.push(step.to_string());
        store::write_json(&marker_file, marker)
    };
    // A failed step of these is recorded and reported; it never blocks the end.
    let failed = |marker: &mut EndingMarker, step: &str, result: Result<()>| -> Result<()> {
        if let Err(e) = result {
            marker.failed.insert(step.to_string(), e.to_string());
        }
        done(marker, step)
    };
    // The end's own instant, so a redone step writes what the first run would have.
    let ended_at = doc.session.ended_at.unwrap_or(env.now()?);
    let now = env.now()?;
    let archived_dir = project.sessions_archive().join(&ws.id);
    let workspace = Workspace {
        id: ws.id.clone(),
        dir: archived_dir.clone(),
        archived: true,
    };
    if !marker.has("archived") {
        if !ws.archived && ws.dir.is_dir() {
            store::rename(&ws.dir, &archived_dir)?;
        }
        registry::set_index(project, &ws.id, None, env.wait())?;
        let claude_ids: Vec<String> = doc.claude_sessions.iter().map(|c| c.id.clone()).collect();
        registry::unbind(project, &claude_ids)?;
        crate::fault::point("end.moved");
        done(&mut marker, "archived")?;
    }
    if !marker.has("decisions") {
        // Idempotent: a decision already in decisions.md is not added again.
        let result = memory::import_decisions(project, &workspace, ended_at, env.wait()).map(drop);
        crate::fault::point("end.decisions");
        failed(&mut marker, "decisions", result)?;
    }
    let task_list = tasks::load(&workspace).unwrap_or_else(|| TaskList::empty(&ws.id));
    if !marker.has("documents") {
        // Before the ZIP, so the backup holds them; rewritten whole when redone.
        let result = write_documents(project, &workspace, &doc, &task_list);
        crate::fault::point("end.documents");
        failed(&mut marker, "documents", result)?;
    }
    if !marker.no_backup && !marker.has("backup") {
        marker.backup = Some(match write_backup(project, &workspace) {
            Ok(path) => path.to_string_lossy().into_owned(),
            // The session is ended and archived either way; say plainly what failed.
            Err(e) => format!("failed: {e}"),
        });
        crate::fault::point("end.zipped");
        done(&mut marker, "backup")?;
    }
    let (backup, backup_error) = match &marker.backup {
        Some(text) => match text.strip_prefix("failed: ") {
            Some(error) => (None, Some(error.to_string())),
            None => (Some(text.clone()), None),
        },
        None => (None, None),
    };
    let memory_entries = memory::session_entries(project, &ws.id).unwrap_or_default();
    let record_file = project.backups_sessions().join(format!("{}.json", ws.id));
    if !marker.has("json_backup") {
        let record = SessionRecord::of(
            &doc,
            &task_list,
            notes_of(&workspace),
            memory_entries.clone(),
            backup.clone(),
        );
        let result = store::write_json(&record_file, &record);
        crate::fault::point("end.recorded");
        failed(&mut marker, "json_backup", result)?;
    }
    let summaries_file = project.summaries_dir().join(format!(
        "{}.md",
        clock::local_date(doc.session.ended_at.unwrap_or(now))
    ));
    if !marker.has("summary_log") {
        append_summary_log(
            env,
            &summaries_file,
            &workspace,
            &doc,
            backup.as_deref().map(Path::new),
            marker.summary.as_deref(),
        )?;
        crate::fault::point("end.logged");
        done(&mut marker, "summary_log")?;
    }
    let summary_text =
        std::fs::read_to_string(workspace.dir.join("summary.md")).unwrap_or_default();
    let documents = [documents::COMPLETED_FILE, documents::REVIEW_FILE]
        .iter()
        .map(|name| workspace.dir.join(name))
        .filter(|path| path.is_file())
        .map(|path| path.to_string_lossy().into_owned())
        .collect();
    Ok(EndOutcome {
        session_id: ws.id.clone(),
        indicators: Indicators::of(&doc, &task_list),
        documents,
        session_record: (!marker.failed.contains_key("json_backup") && record_file.is_file())
            .then(|| record_file.to_string_lossy().into_owned()),
        memory_entries: memory_entries.len(),
        pattern_proposals: memory::propose_patterns(&summary_text),
        step_errors: marker
            .failed
            .iter()
            .map(|(step, why)| format!("{step}: {why}"))
            .collect(),
        session: doc,
        archived: archived_dir.to_string_lossy().into_owned(),
        backup,
        backup_error,
        summaries_file: summaries_file.to_string_lossy().into_owned(),
        final_context: Err("not written yet".to_string()),
        pause_record_cleared: None,
        push: None,
        handoff: None,
        resumed_interrupted_end: false,
        tracker: None,
    })
}

/// After the session is archived: the final context, the pause record, push and handoff.
/// These report their failures and never undo the end.
fn final_steps(
    env: &Env,
    project: &Project,
    outcome: &mut EndOutcome,
    summary: Option<String>,
    request: &EndRequest,
) {
    let workspace = Workspace {
        id: outcome.session_id.clone(),
        dir: PathBuf::from(&outcome.archived),
        archived: true,
    };
    let summary_text = summary.clone();
    let input = ContextInput {
        summary_markdown: summary,
        note: None,
        full: false,
        reason: "end".to_string(),
        supersedes: None,
        // The list `end` wrote: the session is over, nothing more to fold.
        tasks: crate::tasks::load(&workspace),
    };
    outcome.final_context = context_file::write(env, project, &workspace, &outcome.session, &input)
        .map(|path| path.to_string_lossy().into_owned())
        .map_err(|e| e.to_string());
    outcome.pause_record_cleared = match resume::clear_record(env, project, &workspace.id) {
        Ok(true) => Some(Ok(())),
        Ok(false) => None,
        Err(e) => Some(Err(e.to_string())),
    };
    outcome.push = request
        .push
        .then(|| git::push_current_branch(&project.path, env.config().push_timeout()));
    outcome.handoff = request.handoff.then(|| {
        let context = outcome
            .final_context
            .as_ref()
            .ok()
            .and_then(|path| std::fs::read_to_string(path).ok());
        handoff::share(env, project, context)
    });
    // Queued after the end is recorded; sent by a detached `tracker flush`, never waited for.
    let record = super::tracker::build_record(
        project,
        &outcome.session,
        summary_text.as_deref(),
        outcome.final_context.as_deref().ok(),
    );
    outcome.tracker = super::tracker::queue_and_send(env, project, "end", record);
}

/// `completed.md` and `review.md` in the (archived) workspace.
fn write_documents(
    project: &Project,
    ws: &Workspace,
    doc: &SessionDoc,
    task_list: &TaskList,
) -> Result<()> {
    let plan = std::fs::read_to_string(ws.dir.join(documents::PLAN_FILE)).ok();
    let commits: Vec<documents::CommitRef> = if project.in_git {
        git::commits_between(&project.path, doc.git.starting_commit.as_deref(), 50)
            .into_iter()
            .map(|c| documents::CommitRef {
                hash: c.hash,
                summary: c.summary,
            })
            .collect()
    } else {
        Vec::new()
    };
    store::write_atomic(
        &ws.dir.join(documents::COMPLETED_FILE),
        documents::completed_md(doc, plan.as_deref(), task_list, &commits).as_bytes(),
    )?;
    store::write_atomic(
        &ws.dir.join(documents::REVIEW_FILE),
        documents::review_md(doc, task_list).as_bytes(),
    )
}

/// The workspace's own notes and decisions, relative to it: the session record's `notes`.
fn notes_of(ws: &Workspace) -> Vec<String> {
    let mut out = Vec::new();
    for folder in ["notes", "decisions"] {
        let mut names: Vec<String> = std::fs::read_dir(ws.dir.join(folder))
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|name| !name.starts_with('.'))
            .collect();
        names.sort();
        out.extend(names.into_iter().map(|n| format!("{folder}/{n}")));
    }
    out
}

/// Writes the given summary into `summary.md`: replaces the untouched template, but keeps what
/// the user wrote there and adds the summary below it.
fn write_summary(ws: &Workspace, doc: &SessionDoc, text: &str) -> Result<()> {
    let path = ws.dir.join("summary.md");
    let s = &doc.session;
    let template = templates::summary(&s.id, &s.focus, &s.date, &s.start_time);
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    let content = if current.is_empty() || current == template {
        templates::final_summary(&s.id, &s.focus, &s.date, &s.start_time, text)
    } else {
        format!(
            "{}\n\n## Final summary\n\n{}\n",
            current.trim_end(),
            text.trim_end()
        )
    };
    store::write_atomic(&path, content.as_bytes())
}

/// `backups/sessions/<id>-backup.zip`; never replaces an existing archive.
fn write_backup(project: &Project, ws: &Workspace) -> Result<PathBuf> {
    let dir = project.backups_sessions();
    // An end killed after writing the ZIP (written atomically, so complete) but before recording
    // it: that archive is this session's backup.
    let first = dir.join(format!("{}-backup.zip", ws.id));
    if first.is_file() {
        return Ok(first);
    }
    // The temporary file of a ZIP that a killed end was writing: nothing else would ever remove
    // it, and none is being written now (only `end` writes here, under the project lock).
    let killed = format!(".{}-backup", ws.id);
    for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(&killed) && name.ends_with(".tmp") {
            store::remove_file(&entry.path())?;
        }
    }
    for n in 1.. {
        let name = if n == 1 {
            format!("{}-backup.zip", ws.id)
        } else {
            format!("{}-backup-{n}.zip", ws.id)
        };
        let target = dir.join(name);
        if archive::zip_dir(&ws.dir, &target)?.is_some() {
            return Ok(target);
        }
    }
    unreachable!("the loop returns or fails")
}

fn append_summary_log(
    env: &Env,
    file: &Path,
    ws: &Workspace,
    doc: &SessionDoc,
    backup: Option<&Path>,
    summary: Option<&str>,
) -> Result<()> {
    let s = &doc.session;
    // An end killed after appending but before recording it: the entry is there already.
    if std::fs::read_to_string(file).is_ok_and(|log| log.contains(&format!("\n## {}\n", ws.id))) {
        return Ok(());
    }
    let mut text = String::new();
    if !file.exists() {
        let date = file.file_stem().unwrap_or_default().to_string_lossy();
        text.push_str(&format!("# Session summaries: {date}\n"));
    }
    text.push_str(&format!(
        "\n## {}\n\n- Focus: {}\n- Time: {}\n- Files: {} created, {} modified\n- Checkpoints: {}\n- RULEMAP score: {}\n",
        ws.id,
        templates::focus(&s.focus),
        templates::time_span(doc),
        doc.metrics.files_created,
        doc.metrics.files_modified,
        doc.metrics.checkpoints,
        templates::score(doc.rulemap_score),
    ));
    if let Some(branch) = &doc.git.ending_branch {
        text.push_str(&format!(
            "- Branch: {} to {}, {} commit(s)\n",
            doc.git.starting_branch.as_deref().unwrap_or("(none)"),
            branch,
            doc.git.commits_count.unwrap_or(0)
        ));
    }
    if let Some(path) = backup {
        text.push_str(&format!("- Backup: {}\n", path.display()));
    }
    if let Some(summary) = summary {
        text.push_str(&format!("\n{}\n", summary.trim_end()));
    }
    store::append_text_locked(file, &text, env.wait())
}
