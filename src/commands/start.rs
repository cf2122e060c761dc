//! `claude-session start`: a new session workspace, announced as the seed does.

use super::resume;
use crate::cli::StartArgs;
use crate::env::Env;
use crate::error::Result;
use crate::registry::{self, Workspace};
use crate::session::{self, Event, SessionDoc};
use crate::{git, store, templates};

pub const WORKSPACE_DIRS: [&str; 4] = ["artifacts", "notes", "decisions", "snapshots"];

/// A Claude session id as passed by a command file; an unsubstituted placeholder counts as none.
pub fn claude_id(raw: Option<&str>) -> Option<String> {
    raw.map(str::trim)
        .filter(|id| !id.is_empty() && !id.contains('$'))
        .map(str::to_string)
}

pub fn run(ctx: &Env, args: &StartArgs, out: &mut super::Printer) -> Result<()> {
    if args.dry_run {
        return out.text(&plan(ctx, args)?);
    }
    let project = ctx.project()?;
    let mut text = String::new();
    if !args.new {
        let claude = crate::ops::pick::checked_claude_id(args.claude_session.as_deref())?;
        if crate::pause_state::record_for(&ctx.layout, &project.path.to_string_lossy())?.is_some() {
            text.push_str(
                "⏯️ A session is paused in this project: resuming it instead of starting a second one (`start --new` starts a separate session).\n",
            );
            if !args.focus.is_empty() {
                text.push_str(
                    "   (The focus given was not used: the paused session keeps its own.)\n",
                );
            }
            let outcome = resume::resume(
                ctx,
                &project,
                None,
                resume::OnMismatch::Ask,
                claude.as_deref(),
            )?;
            text.push_str(outcome.text());
            if !matches!(outcome, resume::Outcome::Stale(_)) {
                return out.text(&text);
            }
            text.push('\n');
        }
    }
    let (ws, doc) = create(ctx, args)?;
    text.push_str(&announcement(&ws, &doc));
    if let Some(merged) = super::handoff::merge_answered(ctx, &project, Some(&ws))? {
        text.push_str(&merged);
    }
    let next = if doc.session.focus.is_empty() {
        "ask the user what this session is about.".to_string()
    } else {
        format!("work on the focus: {}.", doc.session.focus)
    };
    text.push_str(&resume::ready_block(
        &project,
        doc.git.starting_commit.as_deref(),
        &next,
    ));
    out.text(&text)
}

/// What `start` would do, changing nothing (the `!` line of /start shows it before Claude acts).
fn plan(ctx: &Env, args: &StartArgs) -> Result<String> {
    let project = ctx.project()?;
    let mut text = format!("Project: {} ({})\n", project.name, project.path.display());
    let paused = resume::plan(ctx, &project)?;
    match (&paused, args.new) {
        (Some(about), false) => {
            text.push_str(about);
            text.push_str("`claude-session start` will resume it (the focus argument is then not used); `start --new` would start a separate session.\n");
        }
        (Some(about), true) => {
            text.push_str(about);
            text.push_str(
                "`start --new` starts a separate session; the paused one stays paused.\n",
            );
        }
        (None, _) => {
            let open = registry::open_sessions(&project, ctx.wait())?;
            if open.is_empty() {
                text.push_str(
                    "No session is paused or open: `claude-session start <focus>` starts one.\n",
                );
            } else {
                let ids: Vec<String> = open
                    .iter()
                    .map(|(ws, e)| format!("{} ({})", ws.id, e.status.as_str()))
                    .collect();
                text.push_str(&format!(
                    "Open already: {}. `claude-session start <focus>` starts another one beside it.\n",
                    ids.join(", ")
                ));
            }
        }
    }
    if crate::handoff::newest(&ctx.layout, &project.slug, crate::handoff::Status::Answered)?
        .is_some()
    {
        text.push_str(
            "An answer from claude.ai is waiting: start shows it as \"Merged from claude.ai\".\n",
        );
    }
    text.push_str(&format!("Branch: {}\n", super::pause::where_head(&project)));
    Ok(text)
}

/// Creates the workspace and its files; binds the Claude session and adopts its inbox.
pub fn create(ctx: &Env, args: &StartArgs) -> Result<(Workspace, SessionDoc)> {
    let project = ctx.project()?;
    registry::ensure_project(&project)?;
    let now = ctx.now()?;
    let focus = args.focus.join(" ").trim().to_string();
    let claude = claude_id(args.claude_session.as_deref());
    if let Some(id) = &claude
        && !registry::valid_claude_id(id)
    {
        return Err(crate::Error::invalid(
            "a Claude session id may hold only letters, digits, - and _",
            id,
        ));
    }
    let head = git::head_state(&project.path);

    let _lock = registry::lock_project(&project, ctx.wait())?;
    let ws = registry::create_workspace(
        &project,
        &registry::id_date(now),
        &session::sanitize_focus(&focus),
    )?;
    for dir in WORKSPACE_DIRS {
        store::ensure_dir(&ws.dir.join(dir))?;
    }
    let started = Event::Started {
        at: now,
        id: ws.id.clone(),
        focus: focus.clone(),
        agent: args.agent.clone(),
        project_path: project.path.to_string_lossy().into_owned(),
        project_name: project.name.clone(),
        branch: head.branch.clone(),
        commit: head.commit.clone(),
    };
    let mut events = vec![started];
    if let Some(id) = &claude {
        events.push(Event::ClaudeBound {
            at: now,
            claude_session: id.clone(),
            source: Some("command".to_string()),
            transcript_path: None,
        });
    }
    let mut doc = registry::commit(&ws, &events, ctx.wait())?;
    store::write_atomic(
        &ws.dir.join("README.md"),
        templates::readme(&ws.id).as_bytes(),
    )?;
    store::write_atomic(
        &ws.dir.join("summary.md"),
        templates::summary(&ws.id, &focus, &doc.session.date, &doc.session.start_time).as_bytes(),
    )?;
    if let Some(id) = &claude {
        registry::bind(&project, id, &ws.id)?;
        if registry::adopt_inbox(&project, id, &ws)? > 0 {
            doc = registry::load(&ws, ctx.wait())?;
        }
    }
    registry::set_index(
        &project,
        &ws.id,
        Some(registry::index_entry(&doc)),
        ctx.wait(),
    )?;
    Ok((ws, doc))
}

pub fn announcement(ws: &Workspace, doc: &SessionDoc) -> String {
    let focus = crate::render::focus(&doc.session.focus);
    format!(
        "✅ Session started: {}\n📁 Workspace: {}\n🎯 Focus: {}\n🤖 Agent: {}\n",
        ws.id,
        ws.dir.display(),
        focus,
        doc.session.agent
    )
}
