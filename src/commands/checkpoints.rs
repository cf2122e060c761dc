//! `claude-session checkpoints [SESSION]`: a session's checkpoints with time, description,
//! file count and bytes.

use super::backups::human_bytes;
use crate::cli::CheckpointsArgs;
use crate::env::Env;
use crate::error::Result;
use crate::render as report;
use crate::snapshot;
use serde_json::{Value, json};

pub fn run(ctx: &Env, args: &CheckpointsArgs, out: &mut super::Printer) -> Result<()> {
    let project = ctx.project()?;
    let ws = crate::ops::pick::open(ctx, &project, args.session.as_deref())?;
    let history = snapshot::history(&ws)?;
    if out.json() {
        let items: Vec<Value> = history
            .iter()
            .map(|m| {
                json!({
                    "id": m.id,
                    "created_at": m.created_at,
                    "time": m.created_at_local(),
                    "description": m.description,
                    "kind": m.kind.as_str(),
                    "files": m.files.len(),
                    "deleted": m.deleted.len(),
                    "bytes": m.total_bytes,
                    "new_bytes": m.new_bytes,
                    "path": snapshot::checkpoint_dir(&ws, &m.id),
                })
            })
            .collect();
        let doc = json!({ "session": ws.id, "checkpoints": items });
        return out.text(&format!(
            "{}\n",
            serde_json::to_string_pretty(&doc).unwrap_or_default()
        ));
    }
    if history.is_empty() {
        return out.text(&format!("No checkpoints in {}.\n", ws.id));
    }
    let rows: Vec<Vec<String>> = history
        .iter()
        .map(|m| {
            vec![
                m.id.clone(),
                m.created_at_local(),
                m.kind.as_str().to_string(),
                m.files.len().to_string(),
                human_bytes(m.total_bytes),
                human_bytes(m.new_bytes),
                m.description.clone(),
            ]
        })
        .collect();
    let mut text = format!("Checkpoints of {}:\n", ws.id);
    text.push_str(&report::table(
        &[
            "CHECKPOINT",
            "TIME",
            "KIND",
            "FILES",
            "BYTES",
            "NEW",
            "DESCRIPTION",
        ],
        &rows,
    ));
    out.text(&text)
}
