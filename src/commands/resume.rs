//! `claude-session resume`: reads the pause record, checks the branch, shows the context and
//! makes the session active again. On a branch mismatch it changes nothing until told to switch
//! (`--switch-branch`, refused on uncommitted changes) or to stay (`--stay`).

use super::pause::{bind_claude, checked_claude_id, list_files, where_head};
use crate::cli::ResumeArgs;
use crate::clock;
use crate::env::Env;
use crate::error::{Error, Result};
use crate::git::{self, Target};
use crate::paths::Project;
use crate::pause_state::{self, PauseRecord};
use crate::registry::{self, Which, Workspace};
use crate::render as report;
use crate::session::{Event, Status};
use std::path::PathBuf;

/// What to do on a branch mismatch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnMismatch {
    /// Show both branches and the three choices; change nothing.
    #[default]
    Ask,
    Switch,
    Stay,
}

/// How a resume went, with the text to show.
#[derive(Debug)]
pub enum Outcome {
    Resumed(String),
    /// Branch mismatch: the choices were shown, nothing changed.
    Mismatch(String),
    /// No pause record in this project.
    NoRecord(String),
    /// The record named a session that has ended or is gone; the record was cleared.
    Stale(String),
}

impl Outcome {
    pub fn text(&self) -> &str {
        match self {
            Outcome::Resumed(t)
            | Outcome::Mismatch(t)
            | Outcome::NoRecord(t)
            | Outcome::Stale(t) => t,
        }
    }
}

pub fn run(ctx: &Env, args: &ResumeArgs, out: &mut super::Printer) -> Result<()> {
    let claude = checked_claude_id(args.claude_session.as_deref())?;
    let project = ctx.project()?;
    let choice = if args.switch_branch {
        OnMismatch::Switch
    } else if args.stay {
        OnMismatch::Stay
    } else {
        OnMismatch::Ask
    };
    let outcome = resume(ctx, &project, args.id.as_deref(), choice, claude.as_deref())?;
    out.text(outcome.text())
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

fn on_target(project: &Project, target: Option<&Target>) -> bool {
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
pub fn clear_record(ctx: &Env, project: &Project, session_id: &str) -> Result<bool> {
    let key = project_key(project);
    pause_state::update(&ctx.layout, ctx.wait(), |state| {
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

/// The resume flow shared by `resume` and `start`.
pub fn resume(
    ctx: &Env,
    project: &Project,
    id: Option<&str>,
    choice: OnMismatch,
    claude: Option<&str>,
) -> Result<Outcome> {
    let record = pause_state::record_for(&ctx.layout, &project_key(project))?;
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
                let mut text = format!(
                    "ℹ️ No pause record in this project: resuming {} without a branch check.\n",
                    ws.id
                );
                text.push_str(&reactivate(ctx, project, &ws, claude, None, context)?);
                Ok(Outcome::Resumed(text))
            }
            None => Ok(Outcome::NoRecord(format!(
                "ℹ️ No paused session in this project ({}).\n{}",
                project.path.display(),
                recent_sessions(ctx, project)?
            ))),
        };
    };
    let ws = match registry::resolve(project, &record.session_id) {
        Ok(ws) if !ws.archived => ws,
        Ok(_) | Err(Error::SessionNotFound(_)) => {
            clear_record(ctx, project, &record.session_id)?;
            return Ok(Outcome::Stale(format!(
                "ℹ️ The pause record named {}, which has ended or is gone; the record was cleared.\n{}",
                record.session_id,
                recent_sessions(ctx, project)?
            )));
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
    let mut preface = String::new();
    if !on_target(project, target.as_ref()) {
        let target = target.clone().unwrap_or(Target::Branch(String::new()));
        let current = where_head(project);
        match choice {
            OnMismatch::Ask => {
                return Ok(Outcome::Mismatch(mismatch_text(
                    project, &ws, &record, &target, &current,
                )?));
            }
            OnMismatch::Switch => {
                git::checkout(&project.path, &target)?;
                preface.push_str(&format!(
                    "🔀 Switched to {} (was on {current}).\n",
                    target.describe()
                ));
            }
            OnMismatch::Stay => preface.push_str(&format!(
                "↪️ Staying on {current}; the session was paused on {}.\n",
                target.describe()
            )),
        }
    }
    let context = record.context_file.as_ref().map(PathBuf::from);
    preface.push_str(&reactivate(
        ctx,
        project,
        &ws,
        claude,
        Some(&record),
        context,
    )?);
    Ok(Outcome::Resumed(preface))
}

fn mismatch_text(
    project: &Project,
    ws: &Workspace,
    record: &PauseRecord,
    target: &Target,
    current: &str,
) -> Result<String> {
    let paused = match (target, &record.head_commit) {
        (Target::Branch(name), Some(commit)) => format!("{name} @ {}", git::short(commit)),
        _ => target.describe(),
    };
    let mut text = format!(
        "⚠️ Branch mismatch: session {} was paused on {paused}, the project is now on {current}.\nNothing was changed. Choose one:\n  1. Switch back to {}: `claude-session resume --switch-branch`\n  2. Stay on {current} and resume here: `claude-session resume --stay`\n  3. Cancel: do nothing; the session stays paused.\n",
        ws.id,
        target.describe(),
    );
    let tracked: Vec<String> = git::changes(&project.path)?
        .into_iter()
        .filter(|c| c.code != "??")
        .map(|c| c.path)
        .collect();
    if !tracked.is_empty() {
        text.push_str(&format!(
            "Note: switching is refused while tracked files have uncommitted changes ({}); commit or stash them first.\n",
            list_files(&tracked, 5)
        ));
    }
    Ok(text)
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

/// Makes the session active again (binding the Claude session), clears the record and renders
/// what Claude needs: the context, any answer from claude.ai, and the "ready to work" lines.
fn reactivate(
    ctx: &Env,
    project: &Project,
    ws: &Workspace,
    claude: Option<&str>,
    record: Option<&PauseRecord>,
    context: Option<PathBuf>,
) -> Result<String> {
    let now = ctx.now()?;
    let doc = {
        let _lock = registry::lock_project(project, ctx.wait())?;
        if let Some(id) = claude {
            bind_claude(ctx, project, ws, id)?;
        }
        let doc = registry::commit(
            ws,
            &[Event::StatusChanged {
                at: now,
                status: Status::Active,
            }],
            ctx.wait(),
        )?;
        registry::set_index(
            project,
            &ws.id,
            Some(registry::index_entry(&doc)),
            ctx.wait(),
        )?;
        if record.is_some() {
            clear_record(ctx, project, &ws.id)?;
        }
        doc
    };
    let mut text = format!(
        "▶️ Session resumed: {}\n🎯 Focus: {}\n🌿 Branch: {}\n",
        ws.id,
        crate::render::focus(&doc.session.focus),
        where_head(project)
    );
    if let Some(record) = record {
        text.push_str(&format!(
            "⏸️ Paused: {}{}\n",
            clock::local_short(record.paused_at),
            record
                .note
                .as_deref()
                .map(|n| format!(" ({n})"))
                .unwrap_or_default()
        ));
        if let Some(wip) = &record.wip_commit {
            text.push_str(&format!(
                "💾 WIP commit made at pause: {} (amend or reset it when you make the real commit)\n",
                git::short(wip)
            ));
        }
    }
    match context {
        Some(path) => match std::fs::read_to_string(&path) {
            Ok(content) => {
                text.push_str(&format!("📄 Context: {}\n\n", path.display()));
                text.push_str(content.trim_end());
                text.push('\n');
            }
            Err(e) => text.push_str(&format!(
                "⚠️ The context file could not be read ({e}): {}\n",
                path.display()
            )),
        },
        None => text.push_str("📄 No context file was saved for this pause.\n"),
    }
    if let Some(merged) = super::handoff::merge_answered(ctx, project, Some(ws))? {
        text.push_str(&merged);
    }
    text.push_str(&ready_block(
        project,
        doc.git.starting_commit.as_deref(),
        "the first open item of the next steps above, unless the user says otherwise.",
    ));
    Ok(text)
}

/// "Ready to work": where the repository stands now, in a few lines.
pub fn ready_block(project: &Project, since: Option<&str>, next: &str) -> String {
    let mut text = format!("\n## Ready to work\n\n- Branch: {}\n", where_head(project));
    if project.in_git {
        let changes = git::changes(&project.path).unwrap_or_default();
        let paths: Vec<String> = changes.into_iter().map(|c| c.path).collect();
        text.push_str(&format!("- Uncommitted: {}\n", list_files(&paths, 10)));
        let recent = git::commits_between(&project.path, None, 3);
        if !recent.is_empty() {
            text.push_str("- Recent commits:\n");
            for c in &recent {
                text.push_str(&format!("  - {} {}\n", git::short(&c.hash), c.summary));
            }
        }
        if since.is_some() {
            let count = git::commits_since(&project.path, since);
            text.push_str(&format!("- Commits since the session started: {count}\n"));
        }
    }
    text.push_str(&format!("- Next: {next}\n"));
    text
}

/// The project's open sessions and the last few ended ones.
fn recent_sessions(ctx: &Env, project: &Project) -> Result<String> {
    let mut all = registry::workspaces(project, Which::All)?;
    if all.is_empty() {
        return Ok(
            "No sessions yet: start one with /start (or `claude-session start <focus>`).\n"
                .to_string(),
        );
    }
    all.sort_by(|a, b| b.id.cmp(&a.id));
    let mut rows = Vec::new();
    for ws in all.iter().take(8) {
        let doc = registry::load(ws, ctx.wait())?;
        rows.push(vec![
            ws.id.clone(),
            doc.session.status.as_str().to_string(),
            format!("{} {}", doc.session.date, doc.session.start_time),
            if doc.session.focus.is_empty() {
                "-".to_string()
            } else {
                doc.session.focus.clone()
            },
        ]);
    }
    let mut text = String::from("Recent sessions:\n");
    text.push_str(&report::table(
        &["SESSION", "STATUS", "STARTED", "FOCUS"],
        &rows,
    ));
    text.push_str(
        "Resume one with `claude-session resume <id>`, or start a new one with /start.\n",
    );
    Ok(text)
}

/// What `start` would do about a pause record (for `start --dry-run`).
pub fn plan(ctx: &Env, project: &Project) -> Result<Option<String>> {
    let Some(record) = pause_state::record_for(&ctx.layout, &project_key(project))? else {
        return Ok(None);
    };
    let target = paused_target(&record);
    let mut text = format!(
        "A session is paused: {} (at {}, on {}).\n",
        record.session_id,
        clock::local_short(record.paused_at),
        target
            .as_ref()
            .map_or("no branch".to_string(), Target::describe)
    );
    if !on_target(project, target.as_ref()) {
        text.push_str(&format!(
            "The project is now on {}: resuming will ask whether to switch back or stay.\n",
            where_head(project)
        ));
    }
    Ok(Some(text))
}
