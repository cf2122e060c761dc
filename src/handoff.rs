//! Handoff items: `<root>/claude-session/handoff/<slug>/<UTC stamp>.json`, one per transfer to
//! claude.ai. `open` when exported, `answered` once claude.ai's reply is imported, `merged` once
//! a `start` or `resume` has shown that reply. Also builds the transfer prompt itself.

use crate::clock;
use crate::error::{Error, Result};
use crate::paths::Layout;
use crate::redact::{self, Redacted};
use crate::store::{self, Loaded};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Default size limit of a transfer prompt: comfortably inside a claude.ai message.
pub const DEFAULT_MAX_BYTES: usize = 32 * 1024;
/// Smallest limit that still holds the fixed parts of a prompt.
pub const MIN_MAX_BYTES: usize = 2048;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Open,
    Answered,
    Merged,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HandoffItem {
    pub version: u32,
    /// The transfer prompt, as sent (already redacted).
    pub context: String,
    /// claude.ai's answer, as imported (redacted again whenever it is shown).
    #[serde(default)]
    pub claude_ai_response: String,
    /// The project's absolute path.
    pub project: String,
    pub branch: Option<String>,
    pub created_at: Timestamp,
    pub status: Status,
    #[serde(default)]
    pub session_id: Option<String>,
    #[serde(default)]
    pub answered_at: Option<Timestamp>,
    #[serde(default)]
    pub merged_at: Option<Timestamp>,
    #[serde(default)]
    pub merged_into: Option<String>,
    /// Secrets removed from `context`, by kind.
    #[serde(default)]
    pub redactions: BTreeMap<String, usize>,
    /// The 1Password item that mirrors this one (1Password back end only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub onepassword: Option<crate::handoff_op::OpItemRef>,
}

/// The project's items, oldest first. Unreadable ones are moved aside (and said so) and skipped.
pub fn items(layout: &Layout, slug: &str) -> Result<Vec<(PathBuf, HandoffItem)>> {
    let dir = layout.handoff_dir(slug);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io("list", &dir, e)),
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    let mut out = Vec::new();
    for path in paths {
        if let Loaded::Found(item) = store::read_json::<HandoffItem>(&path)? {
            out.push((path, item));
        }
    }
    out.sort_by(|a, b| a.1.created_at.cmp(&b.1.created_at).then(a.0.cmp(&b.0)));
    Ok(out)
}

/// The `n`th name for things made in the same second: `<stamp>`, `<stamp>_02`, `<stamp>_03`…
/// Unlike `-2` (which sorts before `.json`), these names sort in the order they were made.
pub fn unique_stem(stamp: &str, n: usize) -> String {
    if n == 1 {
        stamp.to_string()
    } else {
        format!("{stamp}_{n:02}")
    }
}

/// Saves a new item under a fresh name (never replacing one); returns its path.
pub fn save_new(layout: &Layout, slug: &str, item: &HandoffItem) -> Result<PathBuf> {
    let dir = layout.handoff_dir(slug);
    let stamp = clock::file_stamp_utc(item.created_at);
    let mut text = serde_json::to_string_pretty(item)
        .map_err(|e| Error::invalid(format!("cannot serialise: {e}"), dir.display()))?;
    text.push('\n');
    for n in 1.. {
        let name = format!("{}.json", unique_stem(&stamp, n));
        let path = dir.join(name);
        let written = store::write_new_atomic_with(&path, |file| {
            use std::io::Write;
            file.write_all(text.as_bytes())
                .map_err(|e| Error::io("write", &path, e))
        })?;
        if written.is_some() {
            return Ok(path);
        }
    }
    unreachable!("the loop returns or fails")
}

/// Read-modify-write of one item under its lock.
pub fn update<T>(
    path: &Path,
    wait: Duration,
    change: impl FnOnce(&mut HandoffItem) -> Result<T>,
) -> Result<T> {
    let _guard = store::lock(path, wait)?;
    let mut item = match store::read_json::<HandoffItem>(path)? {
        Loaded::Found(item) => item,
        Loaded::Missing => {
            return Err(Error::invalid("the handoff item is gone", path.display()));
        }
        Loaded::Corrupt { moved_to, detail } => {
            return Err(Error::corrupt(
                path,
                format!(
                    "handoff item did not parse ({detail}); it was moved to {}",
                    moved_to.display()
                ),
            ));
        }
    };
    let value = change(&mut item)?;
    item.version = store::STATE_VERSION;
    store::write_json(path, &item)?;
    Ok(value)
}

/// Where handoff items live. The file store is the first back end; the verbs see only this
/// seam and opaque ids, so another store (a password manager's vault) can take its place.
pub trait HandoffStore {
    /// The project's items, oldest first.
    fn list(&self) -> Result<Vec<(HandoffId, HandoffItem)>>;
    /// Saves a new item (never replacing one); returns its id.
    fn create(&self, item: &HandoffItem) -> Result<HandoffId>;
    /// Read-modify-write of one item, atomic with respect to other writers of this store.
    fn update(
        &self,
        id: &HandoffId,
        change: &mut dyn FnMut(&mut HandoffItem) -> Result<()>,
    ) -> Result<()>;
    /// Where the item can be seen, for people (a file path for the file store).
    fn location(&self, id: &HandoffId) -> String;
    /// Keeps the prompt readable on its own beside the item; where it is.
    fn attach_prompt(&self, id: &HandoffId, prompt: &str) -> Result<String>;

    /// What went wrong with the configured back end, in one line, when the file store had to
    /// keep the handoff on its own (nothing is lost either way).
    fn problem(&self) -> Option<String> {
        None
    }

    /// The newest item with `status`.
    fn newest(&self, status: Status) -> Result<Option<(HandoffId, HandoffItem)>> {
        Ok(self
            .list()?
            .into_iter()
            .rev()
            .find(|(_, item)| item.status == status))
    }
}

/// The project's handoff store, as `[handoff] backend` says: the one place a back end is chosen.
pub fn store_for(
    layout: &Layout,
    project: &crate::paths::Project,
    wait: Duration,
    settings: &crate::config::HandoffSettings,
) -> Box<dyn HandoffStore> {
    let files = FileStore::new(layout, &project.slug, wait);
    match settings.backend {
        crate::config::HandoffBackend::File => Box::new(files),
        crate::config::HandoffBackend::OnePassword => Box::new(
            crate::handoff_op::OnePasswordStore::new(files, &project.name, &settings.onepassword),
        ),
    }
}

/// An item's id within its store; opaque to the verbs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct HandoffId(pub String);

/// Items as JSON files under `<root>/claude-session/handoff/<slug>/`; the id is the file name.
pub struct FileStore {
    layout: Layout,
    slug: String,
    wait: Duration,
}

impl FileStore {
    pub fn new(layout: &Layout, slug: &str, wait: Duration) -> FileStore {
        FileStore {
            layout: layout.clone(),
            slug: slug.to_string(),
            wait,
        }
    }

    pub fn path(&self, id: &HandoffId) -> PathBuf {
        self.dir().join(&id.0)
    }

    /// The project's folder of items.
    pub fn dir(&self) -> PathBuf {
        self.layout.handoff_dir(&self.slug)
    }

    fn id_of(path: &Path) -> HandoffId {
        HandoffId(
            path.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        )
    }
}

impl HandoffStore for FileStore {
    fn list(&self) -> Result<Vec<(HandoffId, HandoffItem)>> {
        Ok(items(&self.layout, &self.slug)?
            .into_iter()
            .map(|(path, item)| (FileStore::id_of(&path), item))
            .collect())
    }

    fn create(&self, item: &HandoffItem) -> Result<HandoffId> {
        save_new(&self.layout, &self.slug, item).map(|path| FileStore::id_of(&path))
    }

    fn update(
        &self,
        id: &HandoffId,
        change: &mut dyn FnMut(&mut HandoffItem) -> Result<()>,
    ) -> Result<()> {
        update(&self.path(id), self.wait, change)
    }

    fn location(&self, id: &HandoffId) -> String {
        self.path(id).to_string_lossy().into_owned()
    }

    /// `<item>.md` beside `<item>.json`.
    fn attach_prompt(&self, id: &HandoffId, prompt: &str) -> Result<String> {
        let markdown = self.path(id).with_extension("md");
        store::write_atomic(&markdown, prompt.as_bytes())?;
        Ok(markdown.to_string_lossy().into_owned())
    }
}

/// The parts of a transfer prompt, before redaction.
#[derive(Debug, Clone, Default)]
pub struct PromptParts {
    pub project_name: String,
    /// `- Key: value` lines about the project (branch, remote, session, focus).
    pub facts: Vec<String>,
    /// The beginning of the project's README, if any.
    pub about: Option<String>,
    /// The context file's content.
    pub context: String,
    /// Changed files' diffs, most relevant first.
    pub patches: Vec<crate::git::FilePatch>,
    /// `.env` files that changed and were left out.
    pub env_files_left_out: Vec<String>,
}

/// What to ask claude.ai for: the answer comes back through `handoff import`.
pub const ASK: &str = "## What I'd like from you

1. Read all of the above, then tell me in a few lines where the work stands and what you would do first.
2. Work with me on the next steps. Show code changes as unified diffs or whole files, each with its path.
3. When I say **\"hand back\"**, reply with one markdown document that I will paste back into Claude Code, with exactly these sections:
   - `## Summary`: what we did and decided here, and why.
   - `## Changes`: every code change, as unified diffs or whole files with their paths.
   - `## Next steps`: what Claude Code should do next, most important first.
   - `## Open questions`: what is still undecided.
";

/// Lines starting with `#` gain one level, outside code fences, so an embedded document sits
/// under the prompt's own headings.
fn demote_headings(text: &str) -> String {
    let mut out = String::new();
    let mut fenced = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        }
        if !fenced && line.starts_with('#') {
            out.push('#');
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Cuts at a line boundary to at most `max` bytes; says how much was cut.
fn cut_lines(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut out = String::new();
    let mut lines = text.lines();
    for line in lines.by_ref() {
        if out.len() + line.len() + 1 + 40 > max {
            break;
        }
        out.push_str(line);
        out.push('\n');
    }
    let left = text.len() - out.len();
    out.push_str(&format!("… ({left} more bytes cut)\n"));
    out
}

/// A fenced block whose fence is longer than any backtick run inside it.
fn fenced(text: &str, lang: &str) -> String {
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat(longest.max(2) + 1);
    let body = if text.ends_with('\n') {
        text.to_string()
    } else {
        format!("{text}\n")
    };
    format!("{fence}{lang}\n{body}{fence}\n")
}

/// Builds the transfer prompt within `max_bytes`, every part redacted before it is measured.
pub fn transfer_prompt(parts: &PromptParts, max_bytes: usize) -> Redacted {
    let max_bytes = max_bytes.max(MIN_MAX_BYTES);
    let mut total = Redacted::default();
    let mut clean = |text: &str| {
        let r = redact::redact(text);
        total.absorb(&r.counts);
        r.text
    };
    let mut head = format!(
        "# Handoff from Claude Code: {}\n\nI am moving a coding session from Claude Code (an AI coding agent in my terminal) to this conversation. Everything you need is below. Secrets were removed before this text was made; they read `[REDACTED:<kind>]`, and `.env` files are never included.\n\n## The project\n\n",
        parts.project_name
    );
    for fact in &parts.facts {
        head.push_str(&clean(fact));
        head.push('\n');
    }
    if let Some(about) = parts.about.as_deref().filter(|a| !a.trim().is_empty()) {
        head.push_str("\nFrom its README:\n\n");
        for line in clean(about.trim()).lines() {
            head.push_str(&format!("> {line}\n"));
        }
    }
    let ask = format!("\n{ASK}");
    // The footer with the redaction count is at most this long.
    const FOOTER_ROOM: usize = 400;
    let fixed = head.len() + ask.len() + FOOTER_ROOM;
    let mut room = max_bytes.saturating_sub(fixed);

    let context = clean(&demote_headings(parts.context.trim()));
    let context_title = "\n## Where the work stands\n\n";
    // The context comes first; it may take all the room but a little for one diff.
    let context_room = room.saturating_sub(context_title.len());
    let context = cut_lines(&context, context_room);
    let mut body = format!("{context_title}{context}");
    room = room.saturating_sub(body.len());

    let mut diffs = String::new();
    let mut left_out: Vec<String> = Vec::new();
    let mut binary: Vec<String> = Vec::new();
    for patch in &parts.patches {
        if patch.binary {
            binary.push(patch.path.clone());
            continue;
        }
        let block = format!("\n{}", fenced(&clean(&patch.text), "diff"));
        if block.len() + 200 <= room {
            room -= block.len();
            diffs.push_str(&block);
        } else if room >= 1024 && diffs.is_empty() {
            // The first relevant diff is too big: its beginning is better than nothing.
            let cut = cut_lines(&clean(&patch.text), room - 200);
            let block = format!("\n{}", fenced(&cut, "diff"));
            room = room.saturating_sub(block.len());
            diffs.push_str(&block);
        } else {
            left_out.push(patch.path.clone());
        }
    }
    let any_changes = !parts.patches.is_empty() || !parts.env_files_left_out.is_empty();
    if any_changes {
        body.push_str("\n## Uncommitted changes\n");
        body.push_str(&diffs);
        let mut notes = Vec::new();
        if !binary.is_empty() {
            notes.push(format!(
                "Binary files changed (not shown): {}.",
                binary.join(", ")
            ));
        }
        if !left_out.is_empty() {
            notes.push(format!(
                "Left out to stay within the size limit: {}.",
                left_out.join(", ")
            ));
        }
        if !parts.env_files_left_out.is_empty() {
            notes.push(format!(
                "Changed but never shared (`.env` files): {}.",
                parts.env_files_left_out.join(", ")
            ));
        }
        for note in notes {
            let note = clean(&note);
            body.push_str(&format!("\n{}\n", cut_lines(&note, 300).trim_end()));
        }
    }
    let mut text = format!("{head}{body}{ask}");
    let footer = format!("\n---\nRedactions: {}\n", total.describe());
    text.push_str(&footer);
    Redacted {
        text,
        counts: total.counts,
    }
}
