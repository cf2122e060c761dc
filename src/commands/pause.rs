//! `claude-session pause`: saves where the work stands (context file, pause record, optional WIP
//! commit) so that `resume` or `start` continues exactly there.

use super::read_text_arg;
use crate::cli::PauseArgs;
use crate::context_file::{self, ContextInput};
use crate::env::Env;
use crate::error::{Error, Result};
use crate::paths::Project;
use crate::pause_state::{self, PauseRecord};
use crate::registry::{self, Workspace};
use crate::session::{Event, SessionDoc, Status};
use crate::{clock, git};
use std::time::Duration;

/// Time limit of `git add -A` and `git commit` for a WIP commit (no prompt can make them wait).
const WIP_TIMEOUT: Duration = Duration::from_secs(300);

/// The Claude session id given on the command line, checked; `None` for an absent or
/// unsubstituted `${CLAUDE_SESSION_ID}`.
pub fn checked_claude_id(raw: Option<&str>) -> Result<Option<String>> {
    let id = crate::ops::pick::claude_id(raw);
    if let Some(id) = &id
        && !registry::valid_claude_id(id)
    {
        return Err(Error::invalid(
            "a Claude session id may hold only letters, digits, - and _",
            id,
        ));
    }
    Ok(id)
}

/// Binds a Claude Code session to `ws` (binding file, journal event, adopted inbox). The caller
/// holds the project lock. Returns the document when the journal changed.
pub fn bind_claude(
    ctx: &Env,
    project: &Project,
    ws: &Workspace,
    claude: &str,
) -> Result<SessionDoc> {
    let now = ctx.now()?;
    registry::bind(project, claude, &ws.id)?;
    let mut doc = registry::commit(
        ws,
        &[Event::ClaudeBound {
            at: now,
            claude_session: claude.to_string(),
            source: Some("command".to_string()),
            transcript_path: None,
        }],
        ctx.wait(),
    )?;
    if registry::adopt_inbox(project, claude, ws)? > 0 {
        doc = registry::load(ws, ctx.wait())?;
    }
    Ok(doc)
}

/// `main @ 1a2b3c4`, `detached at 1a2b3c4`, or `not a git repository`.
pub fn where_head(project: &Project) -> String {
    if !project.in_git {
        return "not a git repository".to_string();
    }
    let head = git::head_state(&project.path);
    let mut text = head.describe();
    if let (Some(commit), false) = (&head.commit, head.detached) {
        text.push_str(&format!(" @ {}", git::short(commit)));
    }
    if let Some(t) = git::tracking(&project.path) {
        text.push_str(&format!(
            " ({} ahead, {} behind {})",
            t.ahead, t.behind, t.upstream
        ));
    }
    text
}

/// `3 file(s): a, b, c` or `none`.
pub fn list_files(files: &[String], shown: usize) -> String {
    if files.is_empty() {
        return "none".to_string();
    }
    let mut text = format!(
        "{} file(s): {}",
        files.len(),
        files
            .iter()
            .take(shown)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ")
    );
    if files.len() > shown {
        text.push_str(&format!(", … {} more", files.len() - shown));
    }
    text
}

pub fn run(ctx: &Env, args: &PauseArgs, out: &mut super::Printer) -> Result<()> {
    let summary = match &args.summary_file {
        Some(path) => Some(read_text_arg(ctx, path)?).filter(|t| !t.trim().is_empty()),
        None => None,
    };
    let project = ctx.project()?;
    if args.dry_run {
        return out.text(&preview(ctx, &project, args.id.as_deref())?);
    }
    let claude = checked_claude_id(args.claude_session.as_deref())?;
    let now = ctx.now()?;
    let lock = registry::lock_project(&project, ctx.wait())?;
    let ws = crate::ops::pick::open_for(ctx, &project, args.id.as_deref(), claude.as_deref())?;
    if ws.archived {
        return Err(Error::invalid(
            "the session has ended; start a new one",
            &ws.id,
        ));
    }
    let before = registry::load(&ws, ctx.wait())?;
    let mut report = String::new();

    let mut wip = None;
    let mut unstaged = Vec::new();
    if args.wip_commit {
        if !project.in_git {
            report.push_str("💾 WIP commit: none (not a git repository)\n");
        } else {
            let topic = if before.session.focus.is_empty() {
                ws.id.as_str()
            } else {
                before.session.focus.as_str()
            };
            let message = format!("WIP: {topic} (claude-session pause)");
            match git::wip_commit(&project.path, &message, WIP_TIMEOUT) {
                Ok(done) => {
                    match done.commit {
                        Some(hash) => {
                            report.push_str(&format!(
                                "💾 WIP commit: {} \"{message}\" (no hooks ran)\n",
                                git::short(&hash)
                            ));
                            wip = Some(hash);
                        }
                        None => report.push_str("💾 WIP commit: none (nothing to commit)\n"),
                    }
                    unstaged = done.unstaged;
                }
                // The pause matters more than the commit: the files are all still there.
                Err(e) => report.push_str(&format!(
                    "⚠️ WIP commit failed, your changes stay uncommitted in the working tree: {e}\n"
                )),
            }
        }
    }

    let head = git::head_state(&project.path);
    let dirty: Vec<String> = git::changes(&project.path)?
        .into_iter()
        .map(|c| c.path)
        .collect();
    if args.wip_commit {
        let mut env_files: Vec<String> = dirty
            .iter()
            .filter(|p| crate::redact::is_env_file(p))
            .chain(&unstaged)
            .cloned()
            .collect();
        env_files.sort();
        env_files.dedup();
        if !env_files.is_empty() {
            report.push_str(&format!(
                "🔒 Left out of the WIP commit (secrets stay out of history): {}\n",
                env_files.join(", ")
            ));
        }
        if !unstaged.is_empty() {
            report.push_str(&format!(
                "🔒 Unstaged, as they had been staged (the files are untouched): {}\n",
                unstaged.join(", ")
            ));
        }
    }
    if let Some(id) = &claude {
        bind_claude(ctx, &project, &ws, id)?;
    }
    // The context file and the pause record first, the status last: a pause that fails on the
    // way (a busy or unreadable pause-state.json) leaves the session active, never "paused"
    // without a record that /resume could find.
    let mut doc = registry::load(&ws, ctx.wait())?;
    doc.session.status = Status::Paused;
    let input = ContextInput {
        summary_markdown: summary,
        note: args.note.clone(),
        full: args.full,
        reason: "pause".to_string(),
    };
    let context_path = context_file::write(ctx, &project, &ws, &doc, &input)?;
    let context_text = std::fs::read_to_string(&context_path).unwrap_or_default();
    let record = PauseRecord {
        session_id: ws.id.clone(),
        paused_at: now,
        branch: head.branch.clone(),
        head_commit: head.commit.clone(),
        dirty_files: dirty.clone(),
        context_file: Some(context_path.to_string_lossy().into_owned()),
        note: args.note.clone().filter(|n| !n.trim().is_empty()),
        wip_commit: wip.clone(),
        handoff: args.handoff,
        auto: false,
        claude_session: claude
            .clone()
            .or_else(|| doc.claude_sessions.last().map(|c| c.id.clone())),
    };
    let key = project.path.to_string_lossy().into_owned();
    let replaced = pause_state::update(&ctx.layout, ctx.wait(), |state| {
        Ok(state
            .projects
            .insert(key, record)
            .filter(|old| old.session_id != ws.id))
    })?;
    let doc = registry::commit(
        &ws,
        &[Event::StatusChanged {
            at: now,
            status: Status::Paused,
        }],
        ctx.wait(),
    )?;
    if let Some(old) = replaced {
        // One record per project: the other session stays paused and can be resumed by id.
        report.push_str(&format!(
            "ℹ️ This replaces the pause record of {0}, which stays paused: `claude-session resume {0}` resumes it later.\n",
            old.session_id
        ));
    }
    registry::set_index(
        &project,
        &ws.id,
        Some(registry::index_entry(&doc)),
        ctx.wait(),
    )?;
    drop(lock);

    let mut text = format!(
        "⏸️ Session paused: {}\n🎯 Focus: {}\n🌿 Branch: {}\n📝 Uncommitted: {}\n",
        ws.id,
        crate::render::focus(&doc.session.focus),
        where_head(&project),
        list_files(&dirty, 10)
    );
    text.push_str(&report);
    text.push_str(&format!("📄 Context: {}\n", context_path.display()));
    if args.handoff {
        text.push_str(&super::handoff::export_for_command(
            ctx,
            &project,
            Some(context_text),
        ));
    }
    text.push_str("▶️ Resume with /resume (or `claude-session resume`); /start resumes it too.\n");
    out.text(&text)
}

/// What `pause` would save, changing nothing.
fn preview(ctx: &Env, project: &Project, id: Option<&str>) -> Result<String> {
    let ws = crate::ops::pick::open(ctx, project, id)?;
    let doc = registry::load(&ws, ctx.wait())?;
    let changes = git::changes(&project.path)?;
    let mut text = format!(
        "Session to pause: {} ({})\nFocus: {}\nBranch: {}\n",
        ws.id,
        doc.session.status.as_str(),
        crate::render::focus(&doc.session.focus),
        where_head(project)
    );
    if project.in_git {
        text.push_str(&format!("Uncommitted: {} file(s)\n", changes.len()));
        for change in changes.iter().take(20) {
            text.push_str(&format!("  {} {}\n", change.code, change.path));
        }
        if changes.len() > 20 {
            text.push_str(&format!("  … {} more\n", changes.len() - 20));
        }
    }
    if let Some(record) = pause_state::record_for(&ctx.layout, &project.path.to_string_lossy())? {
        text.push_str(&format!(
            "Already paused: {} at {} (a new pause replaces that record)\n",
            record.session_id,
            clock::local_short(record.paused_at)
        ));
    }
    text.push_str("Pausing writes a context file and the pause record; nothing else changes unless --wip-commit is given.\n");
    Ok(text)
}
