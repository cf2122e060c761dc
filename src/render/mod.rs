//! Human text for every outcome, in one place. Each verb's outcome implements [`Human`] in a
//! submodule here; `--json` prints the same outcome serialized instead (see [`json_document`]).

mod backup;
mod checkpoint;
mod config;
mod doctor;
mod end;
mod handoff;
mod install;
mod list;
mod memory;
mod pause;
mod remind;
mod restore;
mod resume;
mod show;
mod start;
mod statusline;
mod sync;
pub mod tasks;
mod track;
mod tracker;

use crate::error::{Error, Result};
use serde::Serialize;

/// Shared with the files we write (summary log, summary.md).
pub use crate::templates::{active_and_wall, duration, focus, score};

/// The version of every `--json` document; bumped when a field changes meaning or goes away.
pub const JSON_VERSION: u32 = 1;

/// An outcome as people read it.
pub trait Human {
    fn human(&self) -> String;
}

/// The `--json` document of an outcome: its fields, plus `version` and the `command` that made
/// it. An outcome that is not a JSON object is put under `result`.
pub fn json_document<T: Serialize + ?Sized>(command: &str, outcome: &T) -> Result<String> {
    let doc = json_value(command, outcome)?;
    let mut text = serde_json::to_string_pretty(&doc)
        .map_err(|e| Error::invalid(format!("cannot serialise the outcome: {e}"), command))?;
    text.push('\n');
    Ok(text)
}

/// The document of [`json_document`] as a value (the MCP server's `structuredContent`).
pub fn json_value<T: Serialize + ?Sized>(command: &str, outcome: &T) -> Result<serde_json::Value> {
    let value = serde_json::to_value(outcome)
        .map_err(|e| Error::invalid(format!("cannot serialise the outcome: {e}"), command))?;
    let mut doc = serde_json::Map::new();
    doc.insert("version".into(), JSON_VERSION.into());
    doc.insert("command".into(), command.into());
    match value {
        serde_json::Value::Object(fields) => {
            for (key, field) in fields {
                if key != "version" && key != "command" {
                    doc.insert(key, field);
                }
            }
        }
        other => {
            doc.insert("result".into(), other);
        }
    }
    Ok(serde_json::Value::Object(doc))
}

/// The document of a failure as a value: `{"version": 1, "command": …, "error": "one line"}`.
pub fn json_error_value(command: &str, error: &Error) -> serde_json::Value {
    serde_json::json!({
        "version": JSON_VERSION,
        "command": command,
        "error": error.one_line(),
    })
}

/// The `--json` document of a failure: `{"version": 1, "command": …, "error": "one line"}`.
pub fn json_error(command: &str, error: &Error) -> String {
    let value = json_error_value(command, error);
    format!(
        "{}\n",
        serde_json::to_string_pretty(&value).unwrap_or_default()
    )
}

/// A plain text table: columns padded to their widest cell.
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if i < widths.len() {
                widths[i] = widths[i].max(cell.chars().count());
            }
        }
    }
    let mut out = String::new();
    let mut line = |cells: Vec<&str>| {
        let mut text = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                text.push_str(cell);
            } else {
                let pad = widths[i].saturating_sub(cell.chars().count());
                text.push_str(cell);
                text.push_str(&" ".repeat(pad + 2));
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(headers.to_vec());
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
    out
}

/// `main @ 1a2b3c4 (1 ahead, 0 behind origin/main)`, `detached at 1a2b3c4`, or
/// `not a git repository`.
pub fn head(head: &crate::ops::HeadInfo) -> String {
    if !head.in_git {
        return "not a git repository".to_string();
    }
    let mut text = head.state().describe();
    if let (Some(commit), false) = (&head.commit, head.detached) {
        text.push_str(&format!(" @ {}", crate::git::short(commit)));
    }
    if let Some(t) = &head.upstream {
        text.push_str(&format!(
            " ({} ahead, {} behind {})",
            t.ahead, t.behind, t.name
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

/// "Ready to work": where the repository stands now, in a few lines.
pub fn ready(ready: &crate::ops::Ready) -> String {
    let mut text = format!("\n## Ready to work\n\n- Branch: {}\n", head(&ready.head));
    if ready.head.in_git {
        text.push_str(&format!(
            "- Uncommitted: {}\n",
            list_files(&ready.uncommitted, 10)
        ));
        if !ready.recent_commits.is_empty() {
            text.push_str("- Recent commits:\n");
            for c in &ready.recent_commits {
                text.push_str(&format!(
                    "  - {} {}\n",
                    crate::git::short(&c.hash),
                    c.summary
                ));
            }
        }
        if let Some(count) = ready.commits_since_start {
            text.push_str(&format!("- Commits since the session started: {count}\n"));
        }
    }
    text.push_str(&format!("- Next: {}\n", ready.next));
    text
}

/// `1023 B`, `1.5 KiB`, `3.2 MiB`.
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["KiB", "MiB", "GiB", "TiB", "PiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut value = n as f64 / 1024.0;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}
