//! `claude-session status`: the project's open sessions with live metrics.

use crate::cli::StatusArgs;
use crate::env::Env;
use crate::error::Result;
use crate::registry;
use crate::render as report;

pub fn run(ctx: &Env, _args: &StatusArgs, out: &mut super::Printer) -> Result<()> {
    let project = ctx.project()?;
    let now = ctx.now()?;
    let mut docs = Vec::new();
    for (ws, _) in registry::open_sessions(&project, ctx.wait())? {
        let mut doc = registry::load(&ws, ctx.wait())?;
        doc.refresh_metrics(Some(now));
        docs.push((ws, doc));
    }
    if out.json() {
        let items: Vec<_> = docs
            .iter()
            .map(|(ws, doc)| super::list::summary_json(ws, doc))
            .collect();
        let value = serde_json::json!({
            "project": project.path.to_string_lossy(),
            "sessions": items,
        });
        return out.text(&format!(
            "{}\n",
            serde_json::to_string_pretty(&value).unwrap_or_default()
        ));
    }
    let mut text = format!("Project: {} ({})\n", project.name, project.path.display());
    if docs.is_empty() {
        text.push_str("No open session. Start one with `claude-session start <focus>`.\n");
        return out.text(&text);
    }
    let rows: Vec<Vec<String>> = docs
        .iter()
        .map(|(ws, doc)| {
            vec![
                ws.id.clone(),
                doc.session.status.as_str().to_string(),
                format!("{}m", doc.metrics.duration_minutes),
                doc.metrics.files_created.to_string(),
                doc.metrics.files_modified.to_string(),
                doc.metrics.checkpoints.to_string(),
                doc.agents.len().to_string(),
                doc.prompts.count.to_string(),
            ]
        })
        .collect();
    text.push_str(&report::table(
        &[
            "SESSION",
            "STATUS",
            "TIME",
            "CREATED",
            "MODIFIED",
            "CHECKPOINTS",
            "AGENTS",
            "PROMPTS",
        ],
        &rows,
    ));
    out.text(&text)
}
