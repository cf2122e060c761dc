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
mod pause;
mod remind;
mod restore;
mod resume;
mod show;
mod start;
mod track;

use crate::error::{Error, Result};
use serde::Serialize;

/// The version of every `--json` document; bumped when a field changes meaning or goes away.
pub const JSON_VERSION: u32 = 1;

/// An outcome as people read it.
pub trait Human {
    fn human(&self) -> String;
}

/// The `--json` document of an outcome: its fields, plus `version` and the `command` that made
/// it. An outcome that is not a JSON object is put under `result`.
pub fn json_document<T: Serialize + ?Sized>(command: &str, outcome: &T) -> Result<String> {
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
    let mut text = serde_json::to_string_pretty(&serde_json::Value::Object(doc))
        .map_err(|e| Error::invalid(format!("cannot serialise the outcome: {e}"), command))?;
    text.push('\n');
    Ok(text)
}

/// The `--json` document of a failure: `{"version": 1, "command": …, "error": "one line"}`.
pub fn json_error(command: &str, error: &Error) -> String {
    let value = serde_json::json!({
        "version": JSON_VERSION,
        "command": command,
        "error": error.one_line(),
    });
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

/// `8.5/10`, or `not given`.
pub fn score(score: Option<f64>) -> String {
    match score {
        Some(s) => format!("{s}/10"),
        None => "not given".to_string(),
    }
}

/// The longest prefix of `text` of at most `max` bytes, cut at a character boundary.
pub fn cut_bytes(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The focus as people read it: the text given at start, or a placeholder.
pub fn focus(focus: &str) -> &str {
    if focus.is_empty() {
        "(none given)"
    } else {
        focus
    }
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
