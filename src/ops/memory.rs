//! `memory add|list|search|forget`: the project's memory (`<project state>/memory/`, see
//! [`crate::memory`]). The CLI and the MCP tools `memory_store` / `memory_search` build these
//! requests.

use super::pick;
use crate::env::Env;
use crate::error::{Error, Result};
use crate::memory::{self, Entry, Hit, Kind, NewEntry, PatternDetail};
use serde::Serialize;

#[derive(Debug, Clone)]
pub struct AddRequest {
    pub kind: Kind,
    pub text: String,
    pub tags: Vec<String>,
    pub approach: Option<String>,
    pub outcome: Option<String>,
    pub lessons: Vec<String>,
    /// The Claude Code conversation adding it (its bound session is the entry's).
    pub claude_session: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AddOutcome {
    pub entry: Entry,
    /// The file it went into.
    pub file: String,
}

/// The session an entry belongs to: the open session (the conversation's with several), none
/// when no session is open or it cannot be told.
fn current_session(
    env: &Env,
    project: &crate::paths::Project,
    claude: Option<&str>,
) -> Option<String> {
    if !project.dir.is_dir() {
        return None;
    }
    pick::open_for(env, project, None, claude)
        .ok()
        .map(|ws| ws.id)
}

pub fn add(env: &Env, request: &AddRequest) -> Result<AddOutcome> {
    let project = env.project()?;
    crate::registry::ensure_project(&project)?;
    let pattern = PatternDetail {
        approach: request
            .approach
            .clone()
            .unwrap_or_default()
            .trim()
            .to_string(),
        outcome: request
            .outcome
            .clone()
            .unwrap_or_default()
            .trim()
            .to_string(),
        lessons: request
            .lessons
            .iter()
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty())
            .collect(),
    };
    let claude = pick::claude_id(request.claude_session.as_deref());
    let new = NewEntry {
        text: request.text.clone(),
        tags: memory::tags_from(&request.tags),
        session: current_session(env, &project, claude.as_deref()),
        pattern: Some(pattern),
    };
    let entry = memory::add(&project, request.kind, &new, env.now()?, env.wait())?;
    Ok(AddOutcome {
        file: memory::memory_dir(&project)
            .join(request.kind.file_name())
            .to_string_lossy()
            .into_owned(),
        entry,
    })
}

#[derive(Debug, Clone, Default)]
pub struct ListRequest {
    pub kind: Option<Kind>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ListOutcome {
    pub kind: Option<Kind>,
    /// `<project state>/memory/`.
    pub dir: String,
    pub entries: Vec<Entry>,
}

pub fn list(env: &Env, request: &ListRequest) -> Result<ListOutcome> {
    let project = env.project()?;
    Ok(ListOutcome {
        kind: request.kind,
        dir: memory::memory_dir(&project).to_string_lossy().into_owned(),
        entries: memory::filter_kind(memory::all(&project)?, request.kind),
    })
}

/// The default number of search results.
pub const DEFAULT_LIMIT: usize = 10;

#[derive(Debug, Clone)]
pub struct SearchRequest {
    pub query: String,
    pub limit: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct SearchOutcome {
    pub query: String,
    /// Entries searched.
    pub searched: usize,
    pub hits: Vec<Hit>,
}

pub fn search(env: &Env, request: &SearchRequest) -> Result<SearchOutcome> {
    if memory::tokens(&request.query).is_empty() {
        return Err(Error::invalid(
            "the query has no word to search for",
            format!("memory search {:?}", request.query),
        ));
    }
    let project = env.project()?;
    let (hits, searched) = memory::search(&project, &request.query, request.limit)?;
    Ok(SearchOutcome {
        query: request.query.clone(),
        searched,
        hits,
    })
}

#[derive(Debug, Clone)]
pub struct ForgetRequest {
    pub id: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ForgetOutcome {
    pub entry: Entry,
    /// Where it is kept now.
    pub kept_in: String,
}

pub fn forget(env: &Env, request: &ForgetRequest) -> Result<ForgetOutcome> {
    let project = env.project()?;
    let entry = memory::forget(&project, &request.id, env.wait())?;
    Ok(ForgetOutcome {
        entry,
        kept_in: memory::memory_dir(&project)
            .join(memory::FORGOTTEN_FILE)
            .to_string_lossy()
            .into_owned(),
    })
}

/// What `start` and `resume` show of the memory: the entries relevant to the focus and the last
/// ended session's summary, within a quarter of `context.budget_bytes` (the session's own
/// context is printed whole beside it). Unreadable memory shows nothing rather than stopping
/// the start.
pub fn injected(
    env: &Env,
    project: &crate::paths::Project,
    focus: &str,
) -> Option<memory::Relevant> {
    let room = env.config().context_budget() / 4;
    memory::relevant(project, focus, room)
        .ok()
        .filter(|r| !r.is_empty())
}
