//! `<root>/pause-state.json`: one pause record per project, keyed by the project's absolute path.

use crate::error::Result;
use crate::paths::Layout;
use crate::store::{self, Loaded};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::time::Duration;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PauseState {
    pub version: u32,
    #[serde(default)]
    pub projects: BTreeMap<String, PauseRecord>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct PauseRecord {
    pub session_id: String,
    pub paused_at: Timestamp,
    /// Branch name, or `None` when HEAD was detached or outside git.
    pub branch: Option<String>,
    pub head_commit: Option<String>,
    #[serde(default)]
    pub dirty_files: Vec<String>,
    pub context_file: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub wip_commit: Option<String>,
    #[serde(default)]
    pub handoff: bool,
    /// Written by the session-end hook (Claude Code quit without /pause): resumed by itself.
    #[serde(default)]
    pub auto: bool,
    /// The Claude Code session that was running when the pause was taken.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claude_session: Option<String>,
    /// The session's open tasks when it was paused (`#2 Fix bug (blocked by #1)`), in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub next_steps: Vec<String>,
}

/// Reads the pause state. A corrupt file is moved aside and the command stops: pause records
/// cannot be rebuilt, so reading it as empty would lose them.
pub fn read(layout: &Layout) -> Result<PauseState> {
    let path = layout.pause_state();
    match store::read_json::<PauseState>(&path)? {
        Loaded::Found(state) => Ok(state),
        Loaded::Missing => match quarantined_copy(&path) {
            // An unreadable copy was moved aside earlier and nobody has dealt with it yet:
            // reading "no records" now would forget the sessions it holds.
            Some(copy) => Err(crate::Error::corrupt(
                &path,
                format!(
                    "pause-state.json was unreadable and is kept at {}; fix it and move it back, or delete that copy to go on",
                    copy.display()
                ),
            )),
            None => Ok(PauseState {
                version: store::STATE_VERSION,
                projects: BTreeMap::new(),
            }),
        },
        Loaded::Corrupt { moved_to, detail } => Err(crate::Error::corrupt(
            &path,
            format!(
                "pause-state.json did not parse ({detail}); it was moved to {}; fix or delete that copy",
                moved_to.display()
            ),
        )),
    }
}

/// The newest `pause-state.json.corrupt-*` beside `path`, if any.
fn quarantined_copy(path: &std::path::Path) -> Option<std::path::PathBuf> {
    let name = format!("{}.corrupt-", path.file_name()?.to_string_lossy());
    std::fs::read_dir(path.parent()?)
        .ok()?
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(&name))
        .map(|e| e.path())
        .max()
}

/// The record of one project, if any.
pub fn record_for(layout: &Layout, project_path: &str) -> Result<Option<PauseRecord>> {
    Ok(read(layout)?.projects.remove(project_path))
}

/// Read-modify-write under the file's lock.
pub fn update<T>(
    layout: &Layout,
    wait: Duration,
    change: impl FnOnce(&mut PauseState) -> Result<T>,
) -> Result<T> {
    let path = layout.pause_state();
    let _guard = store::lock(&path, wait)?;
    let mut state = read(layout)?;
    let before = serde_json::to_value(&state).ok();
    let value = change(&mut state)?;
    state.version = store::STATE_VERSION;
    // Nothing changed: leave the file (or its absence) alone.
    if before.is_some() && before == serde_json::to_value(&state).ok() {
        return Ok(value);
    }
    store::write_json(&path, &state)?;
    Ok(value)
}
