//! `claude-session show ID`: one session in full.

use super::emit;
use crate::cli::ShowArgs;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::registry;
use crate::report;
use std::io::Write;

pub fn run(ctx: &Context, args: &ShowArgs, out: &mut dyn Write) -> Result<()> {
    let project = ctx.project()?;
    let ws = registry::resolve(&project, &args.id)?;
    let mut doc = registry::load(&ws, ctx.wait())?;
    doc.refresh_metrics(Some(ctx.now()?));
    if args.json {
        let mut value = serde_json::to_value(&doc).map_err(|e| {
            Error::invalid(
                format!("cannot show as JSON: {e}"),
                ws.session_file().display(),
            )
        })?;
        if let Some(map) = value.as_object_mut() {
            map.insert("workspace".into(), ws.dir.to_string_lossy().into());
            map.insert("archived".into(), ws.archived.into());
        }
        return emit(
            out,
            &format!(
                "{}\n",
                serde_json::to_string_pretty(&value).unwrap_or_default()
            ),
        );
    }
    let s = &doc.session;
    let mut text = format!(
        "Session:     {}\nStatus:      {}\nFocus:       {}\nAgent:       {}\nStarted:     {} {}\n",
        s.id,
        s.status.as_str(),
        s.focus,
        s.agent,
        s.date,
        s.start_time
    );
    if let Some(end) = &s.end_time {
        text.push_str(&format!("Ended:       {end}\n"));
    }
    text.push_str(&format!(
        "Duration:    {} minutes\nWorkspace:   {}\nBranch:      {}\nScore:       {}\n",
        doc.metrics.duration_minutes,
        ws.dir.display(),
        doc.git.starting_branch.as_deref().unwrap_or("(none)"),
        report::score(doc.rulemap_score)
    ));
    let list = |title: &str, items: &[String], text: &mut String| {
        text.push_str(&format!("\n{title} ({}):\n", items.len()));
        for item in items {
            text.push_str(&format!("  {item}\n"));
        }
    };
    list("Created", &doc.artifacts.created, &mut text);
    list("Modified", &doc.artifacts.modified, &mut text);
    let checkpoints: Vec<String> = doc
        .checkpoints
        .iter()
        .map(|c| format!("{}  {}  {}", c.id, c.time, c.description))
        .collect();
    list("Checkpoints", &checkpoints, &mut text);
    let agents: Vec<String> = doc
        .agents
        .iter()
        .map(|a| {
            format!(
                "{}  {}  {}  {}",
                a.tool_use_id, a.subagent_type, a.status, a.description
            )
        })
        .collect();
    list("Agents", &agents, &mut text);
    emit(out, &text)
}
