//! `claude-session start`: a new session workspace, announced as the seed does.

use super::emit;
use crate::cli::StartArgs;
use crate::context::Context;
use crate::error::Result;
use crate::registry::{self, Workspace};
use crate::session::{self, Event, SessionDoc};
use crate::{git, store, templates};
use std::io::Write;

pub const WORKSPACE_DIRS: [&str; 4] = ["artifacts", "notes", "decisions", "snapshots"];

/// A Claude session id as passed by a command file; an unsubstituted placeholder counts as none.
pub fn claude_id(raw: Option<&str>) -> Option<String> {
    raw.map(str::trim)
        .filter(|id| !id.is_empty() && !id.contains('$'))
        .map(str::to_string)
}

pub fn run(ctx: &Context, args: &StartArgs, out: &mut dyn Write) -> Result<()> {
    let (ws, doc) = create(ctx, args)?;
    emit(out, &announcement(&ws, &doc))
}

/// Creates the workspace and its files; binds the Claude session and adopts its inbox.
pub fn create(ctx: &Context, args: &StartArgs) -> Result<(Workspace, SessionDoc)> {
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
    let focus = if doc.session.focus.is_empty() {
        "(none given)"
    } else {
        doc.session.focus.as_str()
    };
    format!(
        "✅ Session started: {}\n📁 Workspace: {}\n🎯 Focus: {}\n🤖 Agent: {}\n",
        ws.id,
        ws.dir.display(),
        focus,
        doc.session.agent
    )
}
