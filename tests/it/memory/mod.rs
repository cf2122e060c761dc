//! Project memory (issue 15): `memory add|list|search|forget` through the binary, the markdown
//! files a user edits by hand, ranking, injection at start and SessionStart within the budget,
//! the MCP tools, and memory as project state (daily backups, sync, redacted exports).

mod carry;
mod cli;
mod inject;

use crate::support::*;
use std::path::PathBuf;

/// `<project state>/memory/`.
pub fn memory_dir(env: &TestEnv) -> PathBuf {
    env.project_dir().join("memory")
}

/// Adds an entry through the binary; its id.
#[track_caller]
pub fn add(env: &TestEnv, args: &[&str]) -> String {
    let mut full = vec!["memory", "add"];
    full.extend_from_slice(args);
    full.push("--json");
    let out = env.json(&full);
    out["entry"]["id"].as_str().unwrap().to_string()
}

/// `text` with the temp folder and the project's hash masked.
pub fn clean(env: &TestEnv, text: &str) -> String {
    env.redact(text)
}

/// Pretty JSON with every `"id"` member masked (ids hash the clock and the text).
pub fn masked(value: &serde_json::Value) -> String {
    fn walk(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, v) in map.iter_mut() {
                    if key == "id" && v.is_string() {
                        *v = "[ID]".into();
                    } else {
                        walk(v);
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(walk),
            _ => {}
        }
    }
    let mut value = value.clone();
    walk(&mut value);
    serde_json::to_string_pretty(&value).unwrap()
}
