//! `claude-session list`: the project's sessions as a table or JSON.

use crate::cli::ListArgs;
use crate::env::Env;
use crate::error::Result;
use crate::registry::{self, Which, Workspace};
use crate::render as report;
use crate::session::SessionDoc;
use serde_json::{Value, json};

pub fn summary_json(ws: &Workspace, doc: &SessionDoc) -> Value {
    json!({
        "id": ws.id,
        "status": doc.session.status.as_str(),
        "focus": doc.session.focus,
        "agent": doc.session.agent,
        "date": doc.session.date,
        "start_time": doc.session.start_time,
        "end_time": doc.session.end_time,
        "duration_minutes": doc.metrics.duration_minutes,
        "files_created": doc.metrics.files_created,
        "files_modified": doc.metrics.files_modified,
        "checkpoints": doc.metrics.checkpoints,
        "rulemap_score": doc.rulemap_score,
        "archived": ws.archived,
        "workspace": ws.dir.to_string_lossy(),
    })
}

pub fn run(ctx: &Env, args: &ListArgs, out: &mut super::Printer) -> Result<()> {
    let project = ctx.project()?;
    let which = if args.all {
        Which::All
    } else if args.archived {
        Which::Archived
    } else {
        Which::Active
    };
    let now = ctx.now()?;
    let mut docs = Vec::new();
    for ws in registry::workspaces(&project, which)? {
        let mut doc = registry::load(&ws, ctx.wait())?;
        doc.refresh_metrics(Some(now));
        docs.push((ws, doc));
    }
    if out.json() {
        let items: Vec<Value> = docs.iter().map(|(ws, doc)| summary_json(ws, doc)).collect();
        return out.text(&format!(
            "{}\n",
            serde_json::to_string_pretty(&items).unwrap_or_default()
        ));
    }
    if docs.is_empty() {
        return out.text("No sessions.\n");
    }
    let rows: Vec<Vec<String>> = docs
        .iter()
        .map(|(ws, doc)| {
            vec![
                ws.id.clone(),
                doc.session.status.as_str().to_string(),
                format!("{} {}", doc.session.date, doc.session.start_time),
                format!("{}m", doc.metrics.duration_minutes),
                format!(
                    "{}+{}",
                    doc.metrics.files_created, doc.metrics.files_modified
                ),
                report::score(doc.rulemap_score),
            ]
        })
        .collect();
    out.text(&report::table(
        &["SESSION", "STATUS", "STARTED", "TIME", "FILES", "SCORE"],
        &rows,
    ))
}
