//! The project's memory, `<project state>/memory/`: `architecture.md`, `patterns.md`,
//! `decisions.md` and `errors.md` (seed 004), human-editable markdown, one entry per `## ` heading
//! with its date, session id and tags. Learned patterns (seed 002) are entries of `patterns.md`
//! with an approach, an outcome and lessons.
//!
//! CONTRACT (issue 15): the types and the signatures below are shared by the memory, documents
//! and tasks work; bodies marked `skeleton` are filled in by the memory work.

use crate::error::Result;
use crate::paths::Project;
use crate::registry::Workspace;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Architecture,
    Pattern,
    Decision,
    Error,
}

impl Kind {
    pub const ALL: [Kind; 4] = [
        Kind::Architecture,
        Kind::Pattern,
        Kind::Decision,
        Kind::Error,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Architecture => "architecture",
            Kind::Pattern => "pattern",
            Kind::Decision => "decision",
            Kind::Error => "error",
        }
    }
    /// The file under `memory/` that holds this kind.
    pub fn file_name(self) -> &'static str {
        match self {
            Kind::Architecture => "architecture.md",
            Kind::Pattern => "patterns.md",
            Kind::Decision => "decisions.md",
            Kind::Error => "errors.md",
        }
    }
}

/// What a learned pattern adds to an entry.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PatternDetail {
    pub approach: String,
    pub outcome: String,
    pub lessons: Vec<String>,
}

/// One memory entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// Stable short id (`memory forget ID`).
    pub id: String,
    pub kind: Kind,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// The claude-session session that added it, if any.
    pub session: Option<String>,
    pub tags: Vec<String>,
    /// The entry's title line and body.
    pub text: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<PatternDetail>,
}

/// A pattern `end` found in a summary's "Decisions" or "Lessons" section, for Claude to confirm
/// with `memory add pattern`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PatternProposal {
    pub text: String,
    /// `decisions` or `lessons`: the section it came from.
    pub section: String,
}

pub fn memory_dir(project: &Project) -> PathBuf {
    project.dir.join("memory")
}

/// The project's entries of one kind (or of every kind), in file order. (skeleton: added by the
/// documents work for `context.md`'s known issues; the memory work fills it.)
pub fn list(project: &Project, kind: Option<Kind>) -> Result<Vec<Entry>> {
    let _ = (project, kind);
    Ok(Vec::new())
}

/// Every entry the given session added, in file order. (skeleton)
pub fn session_entries(project: &Project, session_id: &str) -> Result<Vec<Entry>> {
    let _ = (project, session_id);
    Ok(Vec::new())
}

/// Adds the decisions written to the session's `decisions/` folder to `decisions.md`, once each
/// (idempotent: `end` may run it again after a kill); the entries added. (skeleton)
pub fn import_decisions(
    project: &Project,
    ws: &Workspace,
    now: jiff::Timestamp,
    wait: std::time::Duration,
) -> Result<Vec<Entry>> {
    let _ = (project, ws, now, wait);
    Ok(Vec::new())
}

/// Patterns proposed from a summary's "Decisions" and "Lessons" sections. (skeleton)
pub fn propose_patterns(summary: &str) -> Vec<PatternProposal> {
    let _ = summary;
    Vec::new()
}
