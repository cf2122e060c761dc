//! The project's memory, `<project state>/memory/`: `architecture.md`, `patterns.md`,
//! `decisions.md` and `errors.md` (seed 004), human-editable markdown, one entry per `## ` heading
//! with its date, session id and tags. Learned patterns (seed 002) are entries of `patterns.md`
//! with an approach, an outcome and lessons.
//!
//! The format of an entry:
//!
//! ```text
//! ## Use JWT for the API tokens
//! _2026-12-03 · session 2026-12-03-session-001 · tags: auth, jwt · id: 7f3a2c1b_
//!
//! The body, any markdown (its own headings are `###` or deeper).
//! ```
//!
//! Reading is lenient: an entry a user wrote by hand (no metadata line) counts, with an id
//! derived from blake3 of its kind and text (stable while the text is); text before the first
//! `## ` heading is the file's own (title, note). Writing is a read-modify-write of one file
//! under its sidecar lock (bounded wait) with one atomic replace, so a kill leaves the file old
//! or new; entries are appended as text and removed by their byte range, so what a user wrote
//! elsewhere in the file stays byte for byte. `forget` moves an entry to `forgotten.md` first
//! (the same entry text), then removes it: a kill between the two leaves it in both places,
//! never in neither, and the next `forget` of that id finishes.

use crate::error::{Error, IoContext, Result};
use crate::paths::Project;
use crate::registry::Workspace;
use crate::{clock, store};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::Duration;

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

    /// The kind a user typed: singular or plural, any case.
    pub fn parse(text: &str) -> Option<Kind> {
        let word = text.trim().to_lowercase();
        let word = word.strip_suffix('s').unwrap_or(&word);
        Kind::ALL.into_iter().find(|k| k.as_str() == word)
    }

    fn title(self) -> &'static str {
        match self {
            Kind::Architecture => "Architecture",
            Kind::Pattern => "Patterns",
            Kind::Decision => "Decisions",
            Kind::Error => "Errors",
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

impl PatternDetail {
    fn is_empty(&self) -> bool {
        self.approach.is_empty() && self.outcome.is_empty() && self.lessons.is_empty()
    }
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
    /// blake3 (16 hex) of the `decisions/` file an imported decision came from: the import
    /// adds each file once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl Entry {
    /// The title line.
    pub fn title(&self) -> &str {
        self.text.lines().next().unwrap_or_default()
    }

    /// The body after the title line.
    pub fn body(&self) -> &str {
        self.text
            .split_once('\n')
            .map_or("", |(_, body)| body)
            .trim()
    }
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

/// Where forgotten entries go (each with its text as it was).
pub const FORGOTTEN_FILE: &str = "forgotten.md";

fn file_of(project: &Project, kind: Kind) -> PathBuf {
    memory_dir(project).join(kind.file_name())
}

/// The beginning of a new memory file: its title and a note on the format.
fn header(kind: Kind) -> String {
    format!(
        "# {}\n\nProject memory kept by claude-session: one entry per `## ` heading (its first \
         line), then a line `_date · session id · tags: a, b · id: 8 hex_`, then the text. Edit \
         freely: an entry written without that line counts too, and \
         `claude-session memory forget ID` moves an entry to forgotten.md instead of deleting \
         it.\n",
        kind.title()
    )
}

fn forgotten_header() -> String {
    "# Forgotten\n\nEntries removed with `claude-session memory forget`, kept here as they were \
     (their `## ` heading says which file they came from). Move one back to restore it.\n"
        .to_string()
}

// Parsing.

/// An entry and where it is in its file.
#[derive(Debug, Clone)]
struct Parsed {
    entry: Entry,
    /// Byte range of its block (heading to the next heading or the end).
    span: std::ops::Range<usize>,
}

/// The lines of `text` with their byte offsets; `## ` headings outside code fences mark entries.
fn entry_starts(text: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut fence: Option<&str> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_end_matches(['\n', '\r']);
        let stripped = trimmed.trim_start();
        match fence {
            Some(open) => {
                if stripped.starts_with(open) {
                    fence = None;
                }
            }
            None => {
                if stripped.starts_with("```") {
                    fence = Some("```");
                } else if stripped.starts_with("~~~") {
                    fence = Some("~~~");
                } else if trimmed.starts_with("## ") || trimmed == "##" {
                    starts.push(offset);
                }
            }
        }
        offset += line.len();
    }
    starts
}

/// The parts of a metadata line `_date · session X · tags: a, b · id: 1234abcd_`.
#[derive(Debug, Default)]
struct Meta {
    date: Option<String>,
    session: Option<String>,
    tags: Vec<String>,
    id: Option<String>,
    source: Option<String>,
}

fn parse_meta(line: &str) -> Option<Meta> {
    let line = line.trim();
    let inner = line.strip_prefix('_')?.strip_suffix('_')?;
    let mut meta = Meta::default();
    let mut known = false;
    for part in inner.split('·').map(str::trim) {
        if let Some(id) = part.strip_prefix("id:") {
            let id = id.trim().to_lowercase();
            if valid_id(&id) {
                meta.id = Some(id);
                known = true;
            }
        } else if let Some(tags) = part.strip_prefix("tags:") {
            meta.tags = split_tags(tags);
            known = true;
        } else if let Some(session) = part.strip_prefix("session ") {
            let session = session.trim();
            if !session.is_empty() {
                meta.session = Some(session.to_string());
                known = true;
            }
        } else if let Some(source) = part.strip_prefix("source:") {
            meta.source = Some(source.trim().to_string()).filter(|s| !s.is_empty());
            known = true;
        } else if is_date(part) {
            meta.date = Some(part.to_string());
            known = true;
        }
    }
    // An italic line that says none of this is the body's, not metadata.
    known.then_some(meta)
}

fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

fn valid_id(id: &str) -> bool {
    id.len() == 8 && id.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Tags as stored: lowercase, words joined by `-`, no separators of the metadata line.
fn split_tags(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for tag in text.split(',') {
        let tag: String = tag
            .trim()
            .to_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join("-")
            .chars()
            .filter(|c| !matches!(c, '·' | '_'))
            .collect();
        if !tag.is_empty() && !out.contains(&tag) {
            out.push(tag);
        }
    }
    out
}

fn derived_id(kind: Kind, text: &str, salt: usize) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(kind.as_str().as_bytes());
    hasher.update(b"\0");
    hasher.update(text.as_bytes());
    if salt > 0 {
        hasher.update(format!("\0{salt}").as_bytes());
    }
    hasher.finalize().to_hex()[..8].to_string()
}

/// Splits a body into its free text and the pattern fields (`**Approach:**`, `**Outcome:**`,
/// `**Lessons:**` and its bullets).
fn split_pattern(body: &str) -> (String, PatternDetail) {
    let mut free = Vec::new();
    let mut detail = PatternDetail::default();
    let mut in_lessons = false;
    for line in body.lines() {
        let trimmed = line.trim();
        let field = |name: &str| -> Option<String> {
            let rest = trimmed
                .strip_prefix(&format!("**{name}:**"))
                .or_else(|| trimmed.strip_prefix(&format!("**{name}**:")))?;
            Some(rest.trim().to_string())
        };
        if let Some(value) = field("Approach") {
            detail.approach = value;
            in_lessons = false;
        } else if let Some(value) = field("Outcome") {
            detail.outcome = value;
            in_lessons = false;
        } else if let Some(value) = field("Lessons") {
            in_lessons = true;
            if !value.is_empty() {
                detail.lessons.push(value);
            }
        } else if in_lessons && (trimmed.starts_with("- ") || trimmed.starts_with("* ")) {
            detail.lessons.push(trimmed[2..].trim().to_string());
        } else if in_lessons && trimmed.is_empty() {
            continue;
        } else {
            in_lessons = false;
            free.push(line);
        }
    }
    (free.join("\n").trim().to_string(), detail)
}

/// The entries of one file, in file order; ids derived for entries without one, made unique
/// against `taken`.
fn parse_file(kind: Kind, text: &str, taken: &mut HashSet<String>) -> Vec<Parsed> {
    let starts = entry_starts(text);
    let mut out = Vec::new();
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(text.len());
        let block = &text[start..end];
        let mut lines = block.lines();
        let title = lines
            .next()
            .unwrap_or_default()
            .trim_start_matches('#')
            .trim()
            .to_string();
        let rest: Vec<&str> = lines.collect();
        let first = rest.iter().position(|l| !l.trim().is_empty());
        let meta = first.and_then(|i| parse_meta(rest[i]).map(|m| (i, m)));
        let body_lines: &[&str] = match &meta {
            Some((i, _)) => &rest[i + 1..],
            None => &rest,
        };
        let body = body_lines.join("\n").trim().to_string();
        let meta = meta.map(|(_, m)| m).unwrap_or_default();
        if title.is_empty() && body.is_empty() {
            continue;
        }
        let (body, pattern) = if kind == Kind::Pattern {
            let (free, detail) = split_pattern(&body);
            (free, (!detail.is_empty()).then_some(detail))
        } else {
            (body, None)
        };
        let text = if body.is_empty() {
            title.clone()
        } else {
            format!("{title}\n\n{body}")
        };
        let id = match meta.id.filter(|id| !taken.contains(id)) {
            Some(id) => id,
            None => (0..)
                .map(|salt| derived_id(kind, &text, salt))
                .find(|id| !taken.contains(id))
                .unwrap_or_default(),
        };
        taken.insert(id.clone());
        out.push(Parsed {
            entry: Entry {
                id,
                kind,
                date: meta.date.unwrap_or_default(),
                session: meta.session,
                tags: meta.tags,
                text,
                pattern,
                source: meta.source,
            },
            span: start..end,
        });
    }
    out
}

fn read_text(path: &Path) -> Result<String> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(String::from_utf8_lossy(&bytes).into_owned()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(String::new()),
        Err(e) => Err(Error::io("read", path, e)),
    }
}

/// Every file's text and entries, in `Kind::ALL` order (ids unique across the four).
struct Memory {
    files: Vec<(Kind, String, Vec<Parsed>)>,
}

impl Memory {
    fn load(project: &Project) -> Result<Memory> {
        let mut taken = HashSet::new();
        let mut files = Vec::new();
        for kind in Kind::ALL {
            let text = read_text(&file_of(project, kind))?;
            let parsed = parse_file(kind, &text, &mut taken);
            files.push((kind, text, parsed));
        }
        Ok(Memory { files })
    }

    fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.files
            .iter()
            .flat_map(|(_, _, parsed)| parsed.iter().map(|p| &p.entry))
    }

    fn ids(&self) -> HashSet<String> {
        self.entries().map(|e| e.id.clone()).collect()
    }
}

/// Every entry of the project, file by file in `Kind::ALL` order, each in file order.
pub fn all(project: &Project) -> Result<Vec<Entry>> {
    Ok(Memory::load(project)?
        .files
        .into_iter()
        .flat_map(|(_, _, parsed)| parsed.into_iter().map(|p| p.entry))
        .collect())
}

/// The entries of `forgotten.md` (ids as written there).
fn forgotten(project: &Project) -> Result<Vec<Entry>> {
    let text = read_text(&memory_dir(project).join(FORGOTTEN_FILE))?;
    // The kind is in the heading's first word (`## decision: …`); ids are kept as written.
    let mut taken = HashSet::new();
    Ok(parse_file(Kind::Decision, &text, &mut taken)
        .into_iter()
        .map(|p| p.entry)
        .collect())
}

// Writing.

/// A new entry's block: heading, metadata line, body (with pattern fields).
fn render_entry(entry: &Entry) -> String {
    let mut meta = Vec::new();
    if !entry.date.is_empty() {
        meta.push(entry.date.clone());
    }
    if let Some(session) = &entry.session {
        meta.push(format!("session {session}"));
    }
    if !entry.tags.is_empty() {
        meta.push(format!("tags: {}", entry.tags.join(", ")));
    }
    if let Some(source) = &entry.source {
        meta.push(format!("source: {source}"));
    }
    meta.push(format!("id: {}", entry.id));
    let mut block = format!("## {}\n_{}_\n", entry.title(), meta.join(" · "));
    let body = entry.body();
    if !body.is_empty() {
        block.push('\n');
        block.push_str(body);
        block.push('\n');
    }
    if let Some(p) = &entry.pattern {
        block.push('\n');
        if !p.approach.is_empty() {
            block.push_str(&format!("**Approach:** {}\n", p.approach));
        }
        if !p.outcome.is_empty() {
            block.push_str(&format!("**Outcome:** {}\n", p.outcome));
        }
        if !p.lessons.is_empty() {
            block.push_str("**Lessons:**\n");
            for lesson in &p.lessons {
                block.push_str(&format!("- {lesson}\n"));
            }
        }
    }
    block
}

/// Text appended to a file that may not end with a blank line.
fn appended(current: &str, fresh_header: impl FnOnce() -> String, block: &str) -> String {
    let mut text = if current.trim().is_empty() {
        fresh_header()
    } else {
        current.to_string()
    };
    if !text.ends_with('\n') {
        text.push('\n');
    }
    if !text.ends_with("\n\n") {
        text.push('\n');
    }
    text.push_str(block);
    text
}

/// The body as given, its own top headings demoted so they never start an entry.
fn safe_body(body: &str) -> String {
    body.lines()
        .map(|line| {
            if line.starts_with("# ") || line.starts_with("## ") || line == "#" || line == "##" {
                format!("###{}", line.trim_start_matches('#'))
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

/// What `add` is given.
#[derive(Debug, Clone, Default)]
pub struct NewEntry {
    pub text: String,
    pub tags: Vec<String>,
    pub session: Option<String>,
    pub pattern: Option<PatternDetail>,
}

/// Normalised tags from what a user typed (`a,b`, repeated flags).
pub fn tags_from(items: &[String]) -> Vec<String> {
    split_tags(&items.join(","))
}

fn new_id(kind: Kind, text: &str, now: jiff::Timestamp, taken: &HashSet<String>) -> String {
    let seed = format!("{text}\0{}", now.as_nanosecond());
    (0..)
        .map(|salt| derived_id(kind, &seed, salt))
        .find(|id| !taken.contains(id))
        .unwrap_or_default()
}

/// Adds an entry to its kind's file; the entry as written.
pub fn add(
    project: &Project,
    kind: Kind,
    new: &NewEntry,
    now: jiff::Timestamp,
    wait: Duration,
) -> Result<Entry> {
    let text = new.text.trim();
    let (title, body) = match text.split_once('\n') {
        Some((title, body)) => (title.trim(), safe_body(body)),
        None => (text, String::new()),
    };
    let title = title.trim_start_matches('#').trim();
    if title.is_empty() {
        return Err(Error::invalid(
            "the entry's text is empty; its first line is its title",
            format!("memory add {}", kind.as_str()),
        ));
    }
    let pattern = new.pattern.clone().filter(|p| !p.is_empty());
    if pattern.is_some() && kind != Kind::Pattern {
        return Err(Error::invalid(
            "--approach, --outcome and --lesson are for patterns only",
            format!("memory add {}", kind.as_str()),
        ));
    }
    let text = if body.is_empty() {
        title.to_string()
    } else {
        format!("{title}\n\n{body}")
    };
    let path = file_of(project, kind);
    let _guard = store::lock(&path, wait)?;
    let memory = Memory::load(project)?;
    let mut taken = memory.ids();
    taken.extend(forgotten(project)?.into_iter().map(|e| e.id));
    let entry = Entry {
        id: new_id(kind, &text, now, &taken),
        kind,
        date: clock::local_date(now),
        session: new.session.clone(),
        tags: new.tags.clone(),
        text,
        pattern,
        source: None,
    };
    let current = read_text(&path)?;
    store::write_atomic(
        &path,
        appended(&current, || header(kind), &render_entry(&entry)).as_bytes(),
    )?;
    Ok(entry)
}

/// Moves the entry with this id (or unique id prefix) into `forgotten.md`; the entry.
pub fn forget(project: &Project, id: &str, wait: Duration) -> Result<Entry> {
    let wanted = id.trim().to_lowercase();
    if wanted.is_empty() || !wanted.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Error::invalid(
            "a memory id is hex digits, as `memory list` shows it",
            format!("memory forget {id}"),
        ));
    }
    let memory = Memory::load(project)?;
    let matches: Vec<&Entry> = memory
        .entries()
        .filter(|e| e.id.starts_with(&wanted))
        .collect();
    let kind = match matches.as_slice() {
        [one] => one.kind,
        [] => {
            return Err(Error::invalid(
                "no memory entry has this id; see `claude-session memory list`",
                format!("memory forget {id}"),
            ));
        }
        many => {
            let ids: Vec<&str> = many.iter().map(|e| e.id.as_str()).collect();
            return Err(Error::invalid(
                format!("ambiguous memory id, it matches: {}", ids.join(", ")),
                format!("memory forget {id}"),
            ));
        }
    };
    let path = file_of(project, kind);
    let _guard = store::lock(&path, wait)?;
    // Again under the lock: the file may have changed since.
    let current = read_text(&path)?;
    // The ids of the files read before this one, as `Memory::load` has them, so that a derived
    // id comes out the same.
    let mut taken = HashSet::new();
    for (_, _, parsed) in memory.files.iter().take_while(|(k, _, _)| *k != kind) {
        taken.extend(parsed.iter().map(|p| p.entry.id.clone()));
    }
    let parsed = parse_file(kind, &current, &mut taken);
    let Some(found) = parsed.into_iter().find(|p| p.entry.id.starts_with(&wanted)) else {
        return Err(Error::invalid(
            "the entry changed meanwhile; try again",
            format!("memory forget {id}"),
        ));
    };
    let entry = found.entry.clone();
    let block = &current[found.span.clone()];
    // Its id written into the copy, so that a derived id stays the one the user typed.
    let kept = forgotten_block(&entry, block);
    let forgotten_path = memory_dir(project).join(FORGOTTEN_FILE);
    {
        let _g = store::lock(&forgotten_path, wait)?;
        let text = read_text(&forgotten_path)?;
        let already = forgotten_ids(&text).contains(&entry.id);
        if !already {
            store::write_atomic(
                &forgotten_path,
                appended(&text, forgotten_header, &kept).as_bytes(),
            )?;
        }
    }
    crate::fault::point("memory.forget.kept");
    let mut rest = String::with_capacity(current.len());
    rest.push_str(&current[..found.span.start]);
    rest.push_str(&current[found.span.end..]);
    store::write_atomic(&path, rest.as_bytes())?;
    Ok(entry)
}

fn forgotten_ids(text: &str) -> HashSet<String> {
    let mut taken = HashSet::new();
    parse_file(Kind::Decision, text, &mut taken)
        .into_iter()
        .map(|p| p.entry.id)
        .collect()
}

/// The block as `forgotten.md` keeps it: the heading names the kind, the metadata line has the
/// id (added when the user's entry had none), the rest as it was.
fn forgotten_block(entry: &Entry, block: &str) -> String {
    let mut lines: Vec<String> = block.lines().map(str::to_string).collect();
    if lines.is_empty() {
        return String::new();
    }
    lines[0] = format!("## {}: {}", entry.kind.as_str(), entry.title());
    let first = lines
        .iter()
        .skip(1)
        .position(|l| !l.trim().is_empty())
        .map(|i| i + 1);
    match first.filter(|&i| parse_meta(&lines[i]).is_some_and(|m| m.id.is_some())) {
        Some(_) => {}
        None => {
            let mut meta = Vec::new();
            if !entry.date.is_empty() {
                meta.push(entry.date.clone());
            }
            meta.push(format!("id: {}", entry.id));
            match first.filter(|&i| parse_meta(&lines[i]).is_some()) {
                Some(i) => {
                    let inner = lines[i].trim().trim_matches('_').to_string();
                    lines[i] = format!("_{inner} · id: {}_", entry.id);
                }
                None => lines.insert(1, format!("_{}_", meta.join(" · "))),
            }
        }
    }
    let mut text = lines.join("\n");
    text.push('\n');
    if !text.ends_with("\n\n") {
        text.push('\n');
    }
    text
}

// Search and relevance.

const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "is", "it", "of", "on",
    "or", "the", "to", "with", "we", "this", "that", "was", "not", "no",
];

/// Lowercase word tokens (letters and digits), stop words left out.
pub fn tokens(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| !STOP_WORDS.contains(&w.as_str()))
        .collect()
}

const TAG_WEIGHT: f64 = 4.0;
const TITLE_WEIGHT: f64 = 2.0;
const BODY_WEIGHT: f64 = 1.0;

/// The best match of each query word among the words of `text`, into `best` (no allocation for
/// ASCII words: 10,000 entries are scanned on every search).
fn scan(text: &str, queries: &[String], best: &mut [f64]) {
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        if word.is_empty() {
            continue;
        }
        let lowered;
        let word = if word.is_ascii() {
            word
        } else {
            lowered = word.to_lowercase();
            lowered.as_str()
        };
        for (q, query) in queries.iter().enumerate() {
            if best[q] < 1.0 {
                best[q] = best[q].max(word_match_ci(query, word));
            }
        }
    }
}

/// A query word (lowercase) matches an entry word exactly, or as a prefix of four letters or
/// more either way (`auth` finds `authentication`) at half the weight; any ASCII case.
fn word_match_ci(query: &str, word: &str) -> f64 {
    let starts = |long: &str, short: &str| {
        long.get(..short.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(short))
    };
    if query.len() == word.len() && query.eq_ignore_ascii_case(word) {
        1.0
    } else if (query.len() >= 4 && starts(word, query)) || (word.len() >= 4 && starts(query, word))
    {
        0.5
    } else {
        0.0
    }
}

/// Per query word, the weight of the best field it matches in (tags over title over body).
fn weigh(entry: &Entry, queries: &[String]) -> Vec<f64> {
    let fields: [(f64, Vec<&str>); 3] = [
        (TAG_WEIGHT, entry.tags.iter().map(String::as_str).collect()),
        (TITLE_WEIGHT, vec![entry.title()]),
        (BODY_WEIGHT, {
            let mut body = vec![entry.body()];
            if let Some(p) = &entry.pattern {
                body.push(&p.approach);
                body.push(&p.outcome);
                body.extend(p.lessons.iter().map(String::as_str));
            }
            body
        }),
    ];
    let mut out = vec![0.0f64; queries.len()];
    for (weight, texts) in fields {
        let mut best = vec![0.0f64; queries.len()];
        for text in texts {
            scan(text, queries, &mut best);
        }
        for (o, b) in out.iter_mut().zip(best) {
            *o = f64::max(*o, b * weight);
        }
    }
    out
}

/// A search hit: the entry and its score.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    pub score: f64,
    #[serde(flatten)]
    pub entry: Entry,
}

/// Entries ranked for `query`: per query word, the best field it appears in (tags over title over
/// body), times a simple idf (`ln(1 + N / df)`: rare words count more); ties newest first.
pub fn rank(entries: Vec<Entry>, query: &str) -> Vec<Hit> {
    let mut words = tokens(query);
    words.sort();
    words.dedup();
    if words.is_empty() {
        return Vec::new();
    }
    // Per entry and word: the field weight times the match strength.
    let weights: Vec<Vec<f64>> = entries.iter().map(|e| weigh(e, &words)).collect();
    let mut df = vec![0usize; words.len()];
    for row in &weights {
        for (w, weight) in row.iter().enumerate() {
            if *weight > 0.0 {
                df[w] += 1;
            }
        }
    }
    let n = entries.len() as f64;
    let idf: Vec<f64> = df
        .iter()
        .map(|&d| {
            if d == 0 {
                0.0
            } else {
                (1.0 + n / d as f64).ln()
            }
        })
        .collect();
    let mut hits: Vec<(usize, Hit)> = entries
        .into_iter()
        .enumerate()
        .filter_map(|(e, entry)| {
            let score: f64 = weights[e].iter().zip(&idf).map(|(w, i)| w * i).sum();
            (score > 0.0).then(|| {
                (
                    e,
                    Hit {
                        score: (score * 1000.0).round() / 1000.0,
                        entry,
                    },
                )
            })
        })
        .collect();
    // Newest first on a tie: by date, then later in the files (appended later).
    hits.sort_by(|(ea, a), (eb, b)| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| b.entry.date.cmp(&a.entry.date))
            .then_with(|| eb.cmp(ea))
    });
    hits.into_iter().map(|(_, hit)| hit).collect()
}

/// `memory search`: the best `limit` entries for `query`.
pub fn search(project: &Project, query: &str, limit: usize) -> Result<(Vec<Hit>, usize)> {
    let entries = all(project)?;
    let total = entries.len();
    let mut hits = rank(entries, query);
    hits.truncate(limit);
    Ok((hits, total))
}

/// What goes into the injected context: the entries most relevant to the focus and the last
/// ended session's summary, as text within a byte budget.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Relevant {
    /// The ids of the entries shown, best first.
    pub entries: Vec<String>,
    /// Relevant entries that did not fit.
    pub left_out: usize,
    /// The ended session whose summary is shown.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_session: Option<String>,
    /// The text injected (at most the budget).
    pub text: String,
}

impl Relevant {
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }
}

/// One line per entry: kind, id, title, the body's beginning, tags.
fn entry_line(entry: &Entry) -> String {
    let mut line = format!("- [{} {}] {}", entry.kind.as_str(), entry.id, entry.title());
    let body: String = entry
        .body()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let detail = entry
        .pattern
        .as_ref()
        .map(|p| {
            let mut parts = Vec::new();
            if !p.approach.is_empty() {
                parts.push(format!("approach: {}", p.approach));
            }
            if !p.outcome.is_empty() {
                parts.push(format!("outcome: {}", p.outcome));
            }
            if !p.lessons.is_empty() {
                parts.push(format!("lessons: {}", p.lessons.join("; ")));
            }
            parts.join("; ")
        })
        .unwrap_or_default();
    let more = [body, detail]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    if !more.is_empty() {
        let cut = crate::templates::cut_bytes(&more, 240);
        line.push_str(" — ");
        line.push_str(cut);
        if cut.len() < more.len() {
            line.push('…');
        }
    }
    if !entry.tags.is_empty() {
        line.push_str(&format!(" (tags: {})", entry.tags.join(", ")));
    }
    line
}

/// The newest archived session with a written summary: its id and the summary's text.
/// Reads a folder listing and one file (no YAML, no git), so SessionStart can afford it.
pub fn last_summary(project: &Project) -> Option<(String, String)> {
    let mut names: Vec<String> = std::fs::read_dir(project.sessions_archive())
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.') && !n.ends_with("-restored"))
        .collect();
    names.sort();
    for name in names.iter().rev().take(5) {
        let path = project.sessions_archive().join(name).join("summary.md");
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        if written(&text) {
            return Some((name.clone(), text));
        }
    }
    None
}

/// A summary with more than the template's empty bullets and header fields.
fn written(summary: &str) -> bool {
    summary.lines().any(|line| {
        let t = line.trim();
        !(t.is_empty()
            || t.starts_with('#')
            || t == "-"
            || t.starts_with("**Focus**")
            || t.starts_with("**Started**"))
    })
}

/// Below this many bytes nothing is injected (a heading and half a line help nobody).
const MIN_ROOM: usize = 160;

/// The memory part of an injected context, at most `max_bytes`: the entries most relevant to
/// `query` (with no word to go by, the newest), then the last ended session's summary (at most
/// half the room, the entries having taken what they need first).
pub fn relevant(project: &Project, query: &str, max_bytes: usize) -> Result<Relevant> {
    let mut out = Relevant::default();
    if max_bytes < MIN_ROOM {
        return Ok(out);
    }
    let entries = all(project)?;
    let ranked: Vec<Entry> = if tokens(query).is_empty() {
        // Later in a file is newer: reversed first, then a stable sort by date.
        let mut newest: Vec<Entry> = entries.into_iter().rev().collect();
        newest.sort_by(|a, b| b.date.cmp(&a.date));
        newest.into_iter().take(8).collect()
    } else {
        rank(entries, query).into_iter().map(|h| h.entry).collect()
    };
    let summary = last_summary(project);
    // The summary gets at most half; the entries what they need of the rest first.
    let summary_room = if summary.is_some() { max_bytes / 2 } else { 0 };
    let mut text = String::new();
    if !ranked.is_empty() {
        let heading = if tokens(query).is_empty() {
            "Project memory (newest; `claude-session memory search WORDS` finds more):".to_string()
        } else {
            "Project memory relevant to the focus (`claude-session memory search WORDS` finds more):"
                .to_string()
        };
        let room = max_bytes.saturating_sub(summary_room.min(max_bytes / 2));
        let mut block = heading;
        for (i, entry) in ranked.iter().enumerate() {
            let line = entry_line(entry);
            if block.len() + 1 + line.len() > room {
                out.left_out = ranked.len() - i;
                break;
            }
            block.push('\n');
            block.push_str(&line);
            out.entries.push(entry.id.clone());
        }
        if !out.entries.is_empty() {
            text = block;
        }
    }
    if let Some((id, summary)) = summary {
        let label = format!("Last ended session ({id}), its summary:");
        let sep = if text.is_empty() { "" } else { "\n\n" };
        let room = max_bytes.saturating_sub(text.len() + sep.len() + label.len() + 1);
        if room >= MIN_ROOM / 2 {
            let body = summary.trim();
            let shown = if body.len() <= room {
                body.to_string()
            } else {
                let marker = "\n[… cut; the summary is in the archived workspace]";
                let part = crate::templates::cut_bytes(body, room.saturating_sub(marker.len()));
                let part = part.rfind('\n').map_or(part, |end| &part[..end]);
                format!("{part}{marker}")
            };
            text.push_str(&format!("{sep}{label}\n{shown}"));
            out.last_session = Some(id);
        }
    }
    out.text = crate::templates::cut_bytes(&text, max_bytes).to_string();
    Ok(out)
}

// Sessions' entries, decisions, patterns.

/// Every entry the given session added, in file order.
pub fn session_entries(project: &Project, session_id: &str) -> Result<Vec<Entry>> {
    Ok(all(project)?
        .into_iter()
        .filter(|e| e.session.as_deref() == Some(session_id))
        .collect())
}

/// Adds the decisions written to the session's `decisions/` folder to `decisions.md`, once each
/// (idempotent: `end` may run it again after a kill); the entries added.
///
/// Each markdown file is one entry, titled by its first heading (else its first line, else its
/// name), keyed by blake3 of its bytes in the metadata (`source:`): a file already imported (or
/// imported then forgotten) is not added again. All new entries go in with one atomic write.
pub fn import_decisions(
    project: &Project,
    ws: &Workspace,
    now: jiff::Timestamp,
    wait: Duration,
) -> Result<Vec<Entry>> {
    let dir = ws.dir.join("decisions");
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .filter(|p| {
                p.is_file()
                    && p.extension().is_some_and(|x| x == "md")
                    && !p
                        .file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            })
            .collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io("list", &dir, e)),
    };
    files.sort();
    if files.is_empty() {
        return Ok(Vec::new());
    }
    let path = file_of(project, Kind::Decision);
    let _guard = store::lock(&path, wait)?;
    let memory = Memory::load(project)?;
    let forgotten = forgotten(project)?;
    let mut sources: HashSet<String> = memory
        .entries()
        .chain(forgotten.iter())
        .filter_map(|e| e.source.clone())
        .collect();
    let mut taken = memory.ids();
    taken.extend(forgotten.into_iter().map(|e| e.id));
    let mut added = Vec::new();
    for file in files {
        let bytes = std::fs::read(&file).at("read", &file)?;
        let source = blake3::hash(&bytes).to_hex()[..16].to_string();
        if sources.contains(&source) {
            continue;
        }
        let text = String::from_utf8_lossy(&bytes);
        let Some(entry_text) = decision_text(&text, &file) else {
            continue;
        };
        let id = (0..)
            .map(|salt| derived_id(Kind::Decision, &source, salt))
            .find(|id| !taken.contains(id))
            .unwrap_or_default();
        taken.insert(id.clone());
        sources.insert(source.clone());
        added.push(Entry {
            id,
            kind: Kind::Decision,
            date: clock::local_date(now),
            session: Some(ws.id.clone()),
            tags: Vec::new(),
            text: entry_text,
            pattern: None,
            source: Some(source),
        });
    }
    if added.is_empty() {
        return Ok(added);
    }
    let mut text = read_text(&path)?;
    for entry in &added {
        text = appended(&text, || header(Kind::Decision), &render_entry(entry));
    }
    store::write_atomic(&path, text.as_bytes())?;
    Ok(added)
}

/// A decision file as an entry's text: its title (first heading, else first line, else the
/// file's name) and the rest; `None` for an empty file.
fn decision_text(text: &str, file: &Path) -> Option<String> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
    let title = first.trim().trim_start_matches('#').trim();
    let title = if title.is_empty() {
        file.file_stem()
            .map(|s| s.to_string_lossy().replace(['-', '_'], " "))
            .unwrap_or_default()
    } else {
        title.to_string()
    };
    let body = safe_body(rest);
    Some(if body.is_empty() {
        title
    } else {
        format!("{title}\n\n{body}")
    })
}

/// Patterns proposed from a summary's "Decisions" and "Lessons" sections: each bullet (with
/// its continuation lines) or paragraph there is one proposal.
pub fn propose_patterns(summary: &str) -> Vec<PatternProposal> {
    let mut out = Vec::new();
    let mut section: Option<&'static str> = None;
    let mut current: Option<String> = None;
    let mut fenced = false;
    let flush = |current: &mut Option<String>, section: Option<&str>, out: &mut Vec<_>| {
        if let (Some(text), Some(section)) = (current.take(), section) {
            let text = text.trim().to_string();
            if !text.is_empty() && text != "-" {
                out.push(PatternProposal {
                    text,
                    section: section.to_string(),
                });
            }
        }
    };
    for line in summary.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fenced = !fenced;
        }
        if !fenced && trimmed.starts_with('#') {
            flush(&mut current, section, &mut out);
            let title = trimmed
                .trim_start_matches('#')
                .trim()
                .trim_end_matches(':')
                .trim()
                .to_lowercase();
            section = if title == "decisions" || title == "decisions made" {
                Some("decisions")
            } else if title == "lessons" || title == "lessons learned" || title == "lessons learnt"
            {
                Some("lessons")
            } else {
                None
            };
            continue;
        }
        if section.is_none() {
            continue;
        }
        // An empty bullet (the template's `- `) is a bullet with nothing in it.
        let empty_bullet = ["-", "*", "+"].contains(&trimmed).then_some("");
        let bullet = ["- ", "* ", "+ "]
            .iter()
            .find_map(|b| trimmed.strip_prefix(b))
            .or(empty_bullet)
            .or_else(|| {
                let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
                (digits > 0)
                    .then(|| trimmed[digits..].strip_prefix(". "))
                    .flatten()
            });
        if !fenced && let Some(item) = bullet {
            flush(&mut current, section, &mut out);
            current = Some(item.trim().to_string());
        } else if trimmed.is_empty() && !fenced {
            flush(&mut current, section, &mut out);
        } else {
            let text = current.get_or_insert_with(String::new);
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(trimmed);
        }
    }
    flush(&mut current, section, &mut out);
    out
}

// Sync: merging another machine's memory.

/// The memory files as sync commits them (`memory/<file>`), forgotten entries included.
pub fn files_for_sync(project: &Project) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let names = Kind::ALL
        .iter()
        .map(|k| k.file_name())
        .chain([FORGOTTEN_FILE]);
    for name in names {
        let path = memory_dir(project).join(name);
        if let Ok(bytes) = std::fs::read(&path) {
            out.push((format!("memory/{name}"), bytes));
        }
    }
    out
}

/// What merging another machine's memory did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Merged {
    /// Entries of the other machine added here.
    pub added: usize,
    /// Entries the other machine forgot, forgotten here too.
    pub forgotten: usize,
}

/// Merges another machine's memory files (`memory/<file>` → bytes) by entry id: its entries
/// this project lacks are appended (unless forgotten here), and entries it forgot are moved to
/// `forgotten.md` here. Each file is one locked read-modify-write.
pub fn merge(
    project: &Project,
    files: &HashMap<String, Vec<u8>>,
    wait: Duration,
) -> Result<Merged> {
    let mut merged = Merged::default();
    let text_of = |name: &str| {
        files
            .get(&format!("memory/{name}"))
            .map(|b| String::from_utf8_lossy(b).into_owned())
    };
    let theirs_forgotten: HashSet<String> = text_of(FORGOTTEN_FILE)
        .map(|t| forgotten_ids(&t))
        .unwrap_or_default();
    let ours_forgotten: HashSet<String> = forgotten(project)?.into_iter().map(|e| e.id).collect();
    for kind in Kind::ALL {
        let Some(theirs) = text_of(kind.file_name()) else {
            continue;
        };
        let path = file_of(project, kind);
        let _guard = store::lock(&path, wait)?;
        let memory = Memory::load(project)?;
        let ours: HashSet<String> = memory.ids();
        let mut taken = HashSet::new();
        let mut text = read_text(&path)?;
        let mut changed = false;
        for parsed in parse_file(kind, &theirs, &mut taken) {
            let id = &parsed.entry.id;
            if ours.contains(id) || ours_forgotten.contains(id) || theirs_forgotten.contains(id) {
                continue;
            }
            let block = &theirs[parsed.span.clone()];
            // A hand-written entry over there gets its derived id written here, so both sides
            // keep calling it the same.
            let block = if parse_meta_id(block).is_some() {
                block.trim_end().to_string() + "\n"
            } else {
                render_entry(&parsed.entry)
            };
            text = appended(&text, || header(kind), &block);
            merged.added += 1;
            changed = true;
        }
        if changed {
            store::write_atomic(&path, text.as_bytes())?;
        }
    }
    // What the other machine forgot and is still here: forgotten here too (kept in
    // forgotten.md, as a forget here would).
    let here: Vec<String> = all(project)?
        .into_iter()
        .filter(|e| theirs_forgotten.contains(&e.id))
        .map(|e| e.id)
        .collect();
    for id in here {
        forget(project, &id, wait)?;
        merged.forgotten += 1;
    }
    Ok(merged)
}

fn parse_meta_id(block: &str) -> Option<String> {
    block
        .lines()
        .skip(1)
        .find(|l| !l.trim().is_empty())
        .and_then(parse_meta)
        .and_then(|m| m.id)
}

/// Kinds present, for listing (`memory list KIND` filters).
pub fn filter_kind(entries: Vec<Entry>, kind: Option<Kind>) -> Vec<Entry> {
    match kind {
        Some(kind) => entries.into_iter().filter(|e| e.kind == kind).collect(),
        None => entries,
    }
}

/// The project's entries of one kind (or of every kind), in file order.
pub fn list(project: &Project, kind: Option<Kind>) -> Result<Vec<Entry>> {
    Ok(filter_kind(all(project)?, kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_written_entries_parse_with_stable_ids() {
        let text = "# Decisions\n\nnote\n\n## Use JWT\nBecause sessions.\n\n## Second\n_2026-01-02 · session s1 · tags: a, B c · id: 0badc0de_\n\nbody\n```\n## not a heading\n```\n";
        let mut taken = HashSet::new();
        let parsed = parse_file(Kind::Decision, text, &mut taken);
        assert_eq!(parsed.len(), 2);
        assert_eq!(parsed[0].entry.text, "Use JWT\n\nBecause sessions.");
        assert_eq!(
            parsed[0].entry.id,
            derived_id(Kind::Decision, "Use JWT\n\nBecause sessions.", 0)
        );
        let second = &parsed[1].entry;
        assert_eq!(second.id, "0badc0de");
        assert_eq!(second.tags, vec!["a", "b-c"]);
        assert_eq!(second.session.as_deref(), Some("s1"));
        assert_eq!(second.date, "2026-01-02");
        assert!(second.text.contains("## not a heading"));
    }

    #[test]
    fn patterns_round_trip() {
        let entry = Entry {
            id: "12345678".into(),
            kind: Kind::Pattern,
            date: "2026-01-01".into(),
            session: None,
            tags: vec!["retry".into()],
            text: "Retry with backoff\n\nFor flaky APIs.".into(),
            pattern: Some(PatternDetail {
                approach: "exponential".into(),
                outcome: "fewer failures".into(),
                lessons: vec!["cap it".into(), "jitter".into()],
            }),
            source: None,
        };
        let block = render_entry(&entry);
        let mut taken = HashSet::new();
        let parsed = parse_file(Kind::Pattern, &block, &mut taken);
        assert_eq!(parsed[0].entry, entry);
    }

    #[test]
    fn tags_beat_titles_beat_bodies() {
        let mk = |id: &str, title: &str, body: &str, tags: &[&str]| Entry {
            id: id.into(),
            kind: Kind::Decision,
            date: "2026-01-01".into(),
            session: None,
            tags: tags.iter().map(|t| t.to_string()).collect(),
            text: format!("{title}\n\n{body}"),
            pattern: None,
            source: None,
        };
        let hits = rank(
            vec![
                mk("00000001", "x", "cache here", &[]),
                mk("00000002", "cache", "x", &[]),
                mk("00000003", "y", "z", &["cache"]),
                mk("00000004", "y", "z", &[]),
            ],
            "Cache",
        );
        let ids: Vec<&str> = hits.iter().map(|h| h.entry.id.as_str()).collect();
        assert_eq!(ids, ["00000003", "00000002", "00000001"]);
    }

    #[test]
    fn proposals_come_from_decisions_and_lessons() {
        let summary = "# S\n\n## Accomplished\n- x\n\n## Decisions\n- Use JWT\n  for tokens\n- \n\n## Lessons learned:\nKeep hooks fast.\n\nSecond paragraph.\n\n## Next steps\n- y\n";
        let p = propose_patterns(summary);
        assert_eq!(
            p,
            vec![
                PatternProposal {
                    text: "Use JWT for tokens".into(),
                    section: "decisions".into()
                },
                PatternProposal {
                    text: "Keep hooks fast.".into(),
                    section: "lessons".into()
                },
                PatternProposal {
                    text: "Second paragraph.".into(),
                    section: "lessons".into()
                },
            ]
        );
    }

    #[test]
    fn decisions_are_imported_once_each() {
        let tmp = tempfile::tempdir().unwrap();
        let layout = crate::paths::Layout {
            root: tmp.path().join("state"),
        };
        let project = Project::at(&layout, tmp.path().join("p"), false);
        let ws = Workspace {
            id: "2026-01-01-session-001".into(),
            dir: tmp.path().join("ws"),
            archived: false,
        };
        let decisions = ws.dir.join("decisions");
        store::ensure_dir(&decisions).unwrap();
        store::write_atomic(
            &decisions.join("001-jwt.md"),
            b"# Use JWT\n\n## Why\nStateless.\n",
        )
        .unwrap();
        store::write_atomic(&decisions.join("002-empty.md"), b"  \n").unwrap();
        store::write_atomic(&decisions.join("notes.txt"), b"not markdown").unwrap();
        let now: jiff::Timestamp = "2026-01-01T10:00:00Z".parse().unwrap();
        let wait = Duration::from_secs(1);
        let added = import_decisions(&project, &ws, now, wait).unwrap();
        assert_eq!(added.len(), 1);
        assert_eq!(added[0].text, "Use JWT\n\n### Why\nStateless.");
        assert_eq!(added[0].session.as_deref(), Some(ws.id.as_str()));
        // Again (an `end` run after a kill): nothing twice.
        assert!(
            import_decisions(&project, &ws, now, wait)
                .unwrap()
                .is_empty()
        );
        // A new file is added; a forgotten import is not brought back.
        forget(&project, &added[0].id, wait).unwrap();
        store::write_atomic(&decisions.join("003-redis.md"), b"Redis for sessions\n").unwrap();
        let more = import_decisions(&project, &ws, now, wait).unwrap();
        assert_eq!(more.len(), 1);
        assert_eq!(more[0].title(), "Redis for sessions");
        assert!(
            import_decisions(&project, &ws, now, wait)
                .unwrap()
                .is_empty()
        );
        let entries = session_entries(&project, &ws.id).unwrap();
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].id, more[0].id);
        assert!(session_entries(&project, "other").unwrap().is_empty());
    }

    #[test]
    fn kinds_parse_singular_and_plural() {
        assert_eq!(Kind::parse("Decisions"), Some(Kind::Decision));
        assert_eq!(Kind::parse("architecture"), Some(Kind::Architecture));
        assert_eq!(Kind::parse("errors"), Some(Kind::Error));
        assert_eq!(Kind::parse("foo"), None);
    }
}
