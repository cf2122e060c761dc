//! `end`: final metrics and score, summary, archive, ZIP backup, summaries log; then the final
//! context file, the pause record cleared, and optionally a push and a claude.ai handoff. Once
//! the session is archived, later steps report their failures and never undo the end.

use super::handoff::{self, HandoffShare};
use super::{CommitInfo, HeadInfo, pick, resume};
use crate::context_file::{self, ContextInput};
use crate::env::Env;
use crate::error::{Error, Result};
use crate::paths::Project;
use crate::registry::{self, Workspace};
use crate::session::{Event, GitInfo, SessionDoc, Status};
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
    pub push: Option<PushResult>,
    pub handoff: Option<HandoffShare>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum PushResult {
    Pushed {
        remote: String,
        branch: String,
    },
    Failed {
        remote: String,
        branch: String,
        reason: String,
    },
    Skipped {
        reason: String,
    },
    Error {
        error: String,
    },
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
    let doc = registry::load(&ws, env.wait())?;
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

pub fn end(env: &Env, request: &EndRequest) -> Result<EndOutcome> {
    let summary = request.summary.clone().filter(|t| !t.trim().is_empty());
    let score = validate_score(request.score)?;
    let project = env.project()?;
    let now = env.now()?;
    let lock = registry::lock_project(&project, env.wait())?;
    let ws = session_to_end(
        env,
        &project,
        request.session.as_deref(),
        request.claude_session.as_deref(),
    )?;
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
    let doc = registry::commit(
        &ws,
        &[Event::Ended {
            at: now,
            score,
            git: git_info,
        }],
        env.wait(),
    )?;
    if let Some(text) = &summary {
        write_summary(&ws, &doc, text)?;
    }

    let archived_dir = project.sessions_archive().join(&ws.id);
    if archived_dir.exists() {
        return Err(Error::invalid(
            "an archived session with this id already exists; nothing was moved",
            archived_dir.display(),
        ));
    }
    store::rename(&ws.dir, &archived_dir)?;
    let workspace = Workspace {
        id: ws.id.clone(),
        dir: archived_dir,
        archived: true,
    };
    registry::set_index(&project, &ws.id, None, env.wait())?;
    let claude_ids: Vec<String> = doc.claude_sessions.iter().map(|c| c.id.clone()).collect();
    registry::unbind(&project, &claude_ids)?;

    let (backup, backup_error) = if request.no_backup {
        (None, None)
    } else {
        match write_backup(&project, &workspace) {
            Ok(path) => (Some(path), None),
            // The session is ended and archived either way; say plainly what failed.
            Err(e) => (None, Some(e.to_string())),
        }
    };
    let summaries_file = project
        .summaries_dir()
        .join(format!("{}.md", clock::local_date(now)));
    append_summary_log(
        env,
        &summaries_file,
        &workspace,
        &doc,
        backup.as_deref(),
        summary.as_deref(),
    )?;
    drop(lock);

    // The session has ended and is archived: what follows reports failures, never undoes that.
    let input = ContextInput {
        summary_markdown: summary,
        note: None,
        full: false,
        reason: "end".to_string(),
        supersedes: None,
    };
    let final_context = context_file::write(env, &project, &workspace, &doc, &input)
        .map(|path| path.to_string_lossy().into_owned())
        .map_err(|e| e.to_string());
    let pause_record_cleared = match resume::clear_record(env, &project, &workspace.id) {
        Ok(true) => Some(Ok(())),
        Ok(false) => None,
        Err(e) => Some(Err(e.to_string())),
    };
    let push = request.push.then(|| push(env, &project));
    let handoff = request.handoff.then(|| {
        let context = final_context
            .as_ref()
            .ok()
            .and_then(|path| std::fs::read_to_string(path).ok());
        handoff::share(env, &project, context)
    });
    Ok(EndOutcome {
        session_id: workspace.id.clone(),
        session: doc,
        archived: workspace.dir.to_string_lossy().into_owned(),
        backup: backup.map(|p| p.to_string_lossy().into_owned()),
        backup_error,
        summaries_file: summaries_file.to_string_lossy().into_owned(),
        final_context,
        pause_record_cleared,
        push,
        handoff,
    })
}

fn push(env: &Env, project: &Project) -> PushResult {
    match git::push_current_branch(&project.path, env.config().push_timeout()) {
        Ok(git::PushOutcome::Pushed { remote, branch }) => PushResult::Pushed { remote, branch },
        Ok(git::PushOutcome::Failed {
            remote,
            branch,
            reason,
        }) => PushResult::Failed {
            remote,
            branch,
            reason,
        },
        Ok(git::PushOutcome::Skipped(reason)) => PushResult::Skipped { reason },
        Err(e) => PushResult::Error {
            error: e.to_string(),
        },
    }
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
    let mut text = String::new();
    if !file.exists() {
        let date = file.file_stem().unwrap_or_default().to_string_lossy();
        text.push_str(&format!("# Session summaries: {date}\n"));
    }
    text.push_str(&format!(
        "\n## {}\n\n- Focus: {}\n- Time: {} {} to {} ({})\n- Files: {} created, {} modified\n- Checkpoints: {}\n- RULEMAP score: {}\n",
        ws.id,
        templates::focus(&s.focus),
        s.date,
        s.start_time,
        s.end_time.as_deref().unwrap_or("?"),
        templates::active_and_wall(doc.metrics.duration_minutes, doc.metrics.wall_minutes),
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
