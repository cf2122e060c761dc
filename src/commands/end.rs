//! `claude-session end`: final metrics and score, summary, archive, ZIP backup, summaries log.

use super::read_text_arg;
use crate::cli::EndArgs;
use crate::context_file::{self, ContextInput};
use crate::env::Env;
use crate::error::{Error, Result};
use crate::paths::Project;
use crate::registry::{self, Workspace};
use crate::session::{Event, GitInfo, SessionDoc};
use crate::{archive, clock, git, render as report, store, templates};
use std::path::PathBuf;

/// What `end` did, for the closing report and for callers that extend it.
pub struct Ended {
    pub workspace: Workspace,
    pub doc: SessionDoc,
    pub backup: Option<PathBuf>,
    pub backup_error: Option<String>,
    pub summaries_file: PathBuf,
}

pub fn run(ctx: &Env, args: &EndArgs, out: &mut super::Printer) -> Result<()> {
    if args.dry_run {
        return out.text(&preview(ctx, args)?);
    }
    let summary = read_summary(ctx, args)?;
    let ended = end_with(ctx, args, summary.clone())?;
    let mut text = closing_report(&ended);
    // The session has ended and is archived: what follows reports failures, never undoes that.
    let project = ctx.project()?;
    text.push_str(&git_line(&ended.doc));
    let input = ContextInput {
        summary_markdown: summary,
        note: None,
        full: false,
        reason: "end".to_string(),
    };
    let context = match context_file::write(ctx, &project, &ended.workspace, &ended.doc, &input) {
        Ok(path) => {
            text.push_str(&format!("📄 Final context: {}\n", path.display()));
            std::fs::read_to_string(&path).ok()
        }
        Err(e) => {
            text.push_str(&format!("⚠️ Final context file not written: {e}\n"));
            None
        }
    };
    match super::resume::clear_record(ctx, &project, &ended.workspace.id) {
        Ok(true) => text.push_str("⏸️ Pause record cleared\n"),
        Ok(false) => {}
        Err(e) => text.push_str(&format!("⚠️ Pause record not cleared: {e}\n")),
    }
    if args.push {
        text.push_str(&push_line(ctx, &project));
    }
    if args.handoff {
        text.push_str(&super::handoff::export_for_command(ctx, &project, context));
    }
    out.text(&text)
}

fn read_summary(ctx: &Env, args: &EndArgs) -> Result<Option<String>> {
    Ok(match &args.summary_file {
        Some(path) => Some(read_text_arg(ctx, path)?).filter(|t| !t.trim().is_empty()),
        None => None,
    })
}

/// `🌿 Branch: main → feature, 3 commit(s) this session`, when in git.
fn git_line(doc: &SessionDoc) -> String {
    let Some(ending) = &doc.git.ending_branch else {
        return String::new();
    };
    format!(
        "🌿 Branch: {} → {ending}, {} commit(s) this session\n",
        doc.git.starting_branch.as_deref().unwrap_or("(none)"),
        doc.git.commits_count.unwrap_or(0)
    )
}

fn push_line(ctx: &Env, project: &Project) -> String {
    let seconds = ctx.config().git.push_timeout_seconds;
    match git::push_current_branch(&project.path, std::time::Duration::from_secs(seconds)) {
        Ok(git::PushOutcome::Pushed { remote, branch }) => {
            format!("🚀 Pushed {branch} to {remote}\n")
        }
        Ok(git::PushOutcome::Failed {
            remote,
            branch,
            reason,
        }) => format!(
            "⚠️ Push of {branch} to {remote} failed: {reason}. The session is ended and nothing is lost; push later with `git push {remote} {branch}`.\n"
        ),
        Ok(git::PushOutcome::Skipped(why)) => format!("⚠️ Push skipped: {why}\n"),
        Err(e) => format!("⚠️ Push failed: {e}. The session is ended and nothing is lost.\n"),
    }
}

/// The open session `end` acts on (named, bound to this conversation, or the only one).
fn session_to_end(ctx: &Env, project: &Project, args: &EndArgs) -> Result<Workspace> {
    let ws = crate::ops::pick::open_for(
        ctx,
        project,
        args.id.as_deref(),
        args.claude_session.as_deref(),
    )?;
    if ws.archived {
        return Err(Error::invalid("the session has already ended", &ws.id));
    }
    Ok(ws)
}

/// What `end` would record, changing nothing (the `!` line of /end shows it before Claude acts).
fn preview(ctx: &Env, args: &EndArgs) -> Result<String> {
    let project = ctx.project()?;
    let ws = session_to_end(ctx, &project, args)?;
    let doc = registry::load(&ws, ctx.wait())?;
    let mut text = format!(
        "Session to end: {} ({})\nFocus: {}\nStarted: {} {}\nBranch: {}\n",
        ws.id,
        doc.session.status.as_str(),
        crate::render::focus(&doc.session.focus),
        doc.session.date,
        doc.session.start_time,
        super::pause::where_head(&project),
    );
    if !project.in_git {
        text.push_str("Not a git repository: no commits to make or push.\n");
        return Ok(text);
    }
    let since = doc.git.starting_commit.as_deref();
    let commits = git::commits_between(&project.path, since, 10);
    let count = git::commits_since(&project.path, since);
    text.push_str(&format!("Commits this session: {count}\n"));
    for c in &commits {
        text.push_str(&format!("  {} {}\n", git::short(&c.hash), c.summary));
    }
    let changes = git::changes(&project.path)?;
    let stats: std::collections::HashMap<String, git::FileStat> = git::diffstat(&project.path)?
        .into_iter()
        .map(|s| (s.path.clone(), s))
        .collect();
    if changes.is_empty() {
        text.push_str("Uncommitted: none, the working tree is clean.\n");
    } else {
        text.push_str(&format!("Uncommitted: {} file(s)\n", changes.len()));
        for c in changes.iter().take(30) {
            let counts = match stats.get(&c.path) {
                Some(s) if s.binary => " (binary)".to_string(),
                Some(s) => format!(" (+{} -{})", s.added, s.deleted),
                None => String::new(),
            };
            text.push_str(&format!("  {} {}{counts}\n", c.code, c.path));
        }
        if changes.len() > 30 {
            text.push_str(&format!("  … {} more\n", changes.len() - 30));
        }
        text.push_str("These are not committed yet: commit them before ending, or `end` records them as left uncommitted.\n");
    }
    Ok(text)
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

pub fn end(ctx: &Env, args: &EndArgs) -> Result<Ended> {
    let summary = read_summary(ctx, args)?;
    end_with(ctx, args, summary)
}

/// `end` with the summary already read (standard input can be read only once).
pub fn end_with(ctx: &Env, args: &EndArgs, summary: Option<String>) -> Result<Ended> {
    let score = validate_score(args.score)?;
    let project = ctx.project()?;
    let now = ctx.now()?;
    let _lock = registry::lock_project(&project, ctx.wait())?;
    let ws = session_to_end(ctx, &project, args)?;
    let before = registry::load(&ws, ctx.wait())?;
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
        ctx.wait(),
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
    let workspace = registry::Workspace {
        id: ws.id.clone(),
        dir: archived_dir,
        archived: true,
    };
    registry::set_index(&project, &ws.id, None, ctx.wait())?;
    let claude_ids: Vec<String> = doc.claude_sessions.iter().map(|c| c.id.clone()).collect();
    registry::unbind(&project, &claude_ids)?;

    let (backup, backup_error) = if args.no_backup {
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
        ctx,
        &summaries_file,
        &workspace,
        &doc,
        backup.as_deref(),
        summary.as_deref(),
    )?;
    Ok(Ended {
        workspace,
        doc,
        backup,
        backup_error,
        summaries_file,
    })
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
pub fn write_backup(project: &Project, ws: &Workspace) -> Result<PathBuf> {
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
    ctx: &Env,
    file: &std::path::Path,
    ws: &Workspace,
    doc: &SessionDoc,
    backup: Option<&std::path::Path>,
    summary: Option<&str>,
) -> Result<()> {
    let s = &doc.session;
    let mut text = String::new();
    if !file.exists() {
        let date = file.file_stem().unwrap_or_default().to_string_lossy();
        text.push_str(&format!("# Session summaries: {date}\n"));
    }
    text.push_str(&format!(
        "\n## {}\n\n- Focus: {}\n- Time: {} {} to {} ({} minutes)\n- Files: {} created, {} modified\n- Checkpoints: {}\n- RULEMAP score: {}\n",
        ws.id,
        crate::render::focus(&s.focus),
        s.date,
        s.start_time,
        s.end_time.as_deref().unwrap_or("?"),
        doc.metrics.duration_minutes,
        doc.metrics.files_created,
        doc.metrics.files_modified,
        doc.metrics.checkpoints,
        report::score(doc.rulemap_score),
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
    store::append_text_locked(file, &text, ctx.wait())
}

pub fn closing_report(ended: &Ended) -> String {
    let doc = &ended.doc;
    let mut text = format!(
        "✅ Session completed: {}\n📊 Duration: {} minutes\n📁 Files created: {}\n📝 Files modified: {}\n💾 Checkpoints: {}\n🎯 RULEMAP Score: {}\n",
        ended.workspace.id,
        doc.metrics.duration_minutes,
        doc.metrics.files_created,
        doc.metrics.files_modified,
        doc.metrics.checkpoints,
        report::score(doc.rulemap_score),
    );
    match (&ended.backup, &ended.backup_error) {
        (Some(path), _) => text.push_str(&format!("📦 Backup: {}\n", path.display())),
        (None, Some(error)) => text.push_str(&format!("⚠️ Backup failed: {error}\n")),
        (None, None) => text.push_str("📦 Backup: skipped (--no-backup)\n"),
    }
    text.push_str(&format!("🗄️ Archived: {}\n", ended.workspace.dir.display()));
    text.push_str(&format!(
        "📓 Summary log: {}\n",
        ended.summaries_file.display()
    ));
    let uncommitted = &doc.git.uncommitted_files;
    if !uncommitted.is_empty() {
        text.push_str(&format!(
            "⚠️ {} uncommitted file(s) left in the working tree: {}\n",
            uncommitted.len(),
            uncommitted
                .iter()
                .take(10)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    text
}
