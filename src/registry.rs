//! A project's sessions: creating ids, finding workspaces, folding journals into documents,
//! the rebuildable status index, bindings of Claude Code sessions, and the inbox.

use crate::clock;
use crate::error::{Error, IoContext, Result};
use crate::paths::Project;
use crate::session::{self, Event, JOURNAL_FILE, SESSION_FILE, SessionDoc, Status};
use crate::store::{self, Loaded};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// A folder that a restore wrote: it looks like a session but is not one. A dot-name of ours,
/// so that it never stands for (or overwrites) a project's own file.
pub const RESTORED_MARKER: &str = ".claude-session-restored";
pub const INDEX_FILE: &str = "index.json";

/// A session's folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workspace {
    pub id: String,
    pub dir: PathBuf,
    pub archived: bool,
}

impl Workspace {
    pub fn session_file(&self) -> PathBuf {
        self.dir.join(SESSION_FILE)
    }
    pub fn journal(&self) -> PathBuf {
        self.dir.join(JOURNAL_FILE)
    }
    pub fn notes_dir(&self) -> PathBuf {
        self.dir.join("notes")
    }
    pub fn snapshots_dir(&self) -> PathBuf {
        self.dir.join("snapshots")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    Active,
    Archived,
    All,
}

/// `project.json`: rebuildable from the project itself, so a corrupt one is simply rewritten.
#[derive(Debug, Serialize, Deserialize)]
pub struct ProjectFile {
    pub version: u32,
    pub path: String,
    pub name: String,
}

/// Creates the project's folders and `project.json` when missing.
pub fn ensure_project(project: &Project) -> Result<()> {
    for dir in project.layout_dirs() {
        store::ensure_dir(&dir)?;
    }
    let path = project.project_json();
    let fresh = ProjectFile {
        version: store::STATE_VERSION,
        path: project.path.to_string_lossy().into_owned(),
        name: project.name.clone(),
    };
    match store::read_json::<ProjectFile>(&path)? {
        Loaded::Found(existing) if existing.path == fresh.path => Ok(()),
        Loaded::Found(_) | Loaded::Missing => store::write_json(&path, &fresh),
        Loaded::Corrupt { .. } => {
            eprintln!(
                "claude-session: rebuilt {} from the project itself",
                path.display()
            );
            store::write_json(&path, &fresh)
        }
    }
}

fn is_session_name(name: &str) -> bool {
    // YYYY-MM-DD-session-NNN[-focus]
    let bytes = name.as_bytes();
    bytes.len() >= 22
        && bytes[..10].iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        })
        && name[10..].starts_with("-session-")
        && bytes[19..22].iter().all(u8::is_ascii_digit)
}

/// The number NNN in `YYYY-MM-DD-session-NNN...` when the name is of `date`.
fn session_number(name: &str, date: &str) -> Option<u32> {
    let rest = name.strip_prefix(date)?.strip_prefix("-session-")?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

fn read_names(dir: &Path) -> Result<Vec<String>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io("list", dir, e)),
    };
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.at("list", dir)?;
        names.push(entry.file_name().to_string_lossy().into_owned());
    }
    names.sort();
    Ok(names)
}

/// The workspaces of a project, sorted by id.
pub fn workspaces(project: &Project, which: Which) -> Result<Vec<Workspace>> {
    let mut out = Vec::new();
    let places = [
        (project.sessions_active(), false, which != Which::Archived),
        (project.sessions_archive(), true, which != Which::Active),
    ];
    for (dir, archived, wanted) in places {
        if !wanted {
            continue;
        }
        for name in read_names(&dir)? {
            let path = dir.join(&name);
            if is_session_name(&name)
                && path.is_dir()
                && !path.join(RESTORED_MARKER).exists()
                && (path.join(SESSION_FILE).exists() || path.join(JOURNAL_FILE).exists())
            {
                out.push(Workspace {
                    id: name,
                    dir: path,
                    archived,
                });
            }
        }
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}

/// Finds a session by exact id or unique prefix, active or archived.
pub fn resolve(project: &Project, prefix: &str) -> Result<Workspace> {
    if prefix.trim().is_empty() {
        return Err(Error::invalid(
            "a session id (or a unique prefix of one) is needed",
            "\"\"",
        ));
    }
    // `7`, `07` or `007`: today's session with that number, the way people say it.
    let today;
    let prefix =
        if !prefix.is_empty() && prefix.len() <= 3 && prefix.bytes().all(|b| b.is_ascii_digit()) {
            let number: u32 = prefix.parse().unwrap_or(0);
            today = format!("{}-session-{number:03}", id_date(crate::clock::now()?));
            today.as_str()
        } else {
            prefix
        };
    let all = workspaces(project, Which::All)?;
    if let Some(exact) = all.iter().find(|w| w.id == prefix) {
        return Ok(exact.clone());
    }
    let matches: Vec<&Workspace> = all.iter().filter(|w| w.id.starts_with(prefix)).collect();
    match matches.as_slice() {
        [] => Err(Error::SessionNotFound(prefix.to_string())),
        [one] => Ok((*one).clone()),
        many => Err(Error::AmbiguousSession {
            prefix: prefix.to_string(),
            candidates: many
                .iter()
                .map(|w| w.id.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        }),
    }
}

/// Picks the next free `YYYY-MM-DD-session-NNN[-focus]` and creates its folder under a
/// temporary name (`sessions/active/.creating-<id>`), which no reader lists: the caller fills it
/// and moves it into place with [`publish_workspace`], so a start killed at any instant leaves
/// either no session or a whole one. The caller holds the project lock, so any `.creating-*`
/// folder found here is the leftover of a killed start and is removed first.
pub fn create_workspace(
    project: &Project,
    date: &str,
    focus_slug: &str,
    wait: Duration,
) -> Result<Workspace> {
    reconcile_index(project, wait)?;
    let active = project.sessions_active();
    for name in read_names(&active)? {
        if let Some(id) = name.strip_prefix(CREATING) {
            set_index(project, id, None, wait)?;
            store::remove_dir_all(&active.join(&name))?;
        }
    }
    let mut highest = 0;
    for dir in [
        project.sessions_active(),
        project.sessions_archive(),
        project.backups_sessions(),
    ] {
        for name in read_names(&dir)? {
            if let Some(n) = session_number(&name, date) {
                highest = highest.max(n);
            }
        }
    }
    let mut number = highest + 1;
    loop {
        let mut id = format!("{date}-session-{number:03}");
        if !focus_slug.is_empty() {
            id.push('-');
            id.push_str(focus_slug);
        }
        let taken = active.join(&id).exists();
        let dir = active.join(format!("{CREATING}{id}"));
        if !taken && store::create_dir_new(&dir)? {
            return Ok(Workspace {
                id,
                dir,
                archived: false,
            });
        }
        number += 1;
    }
}

/// The prefix of a workspace being created.
const CREATING: &str = ".creating-";

/// Moves a workspace made by [`create_workspace`] into place: one rename, after which readers
/// see the whole session at once.
pub fn publish_workspace(project: &Project, staged: &Workspace) -> Result<Workspace> {
    let dir = project.sessions_active().join(&staged.id);
    store::rename(&staged.dir, &dir)?;
    Ok(Workspace {
        id: staged.id.clone(),
        dir,
        archived: false,
    })
}

/// Appends events to a session's journal without any lock (safe for parallel writers).
pub fn record(ws: &Workspace, event: &Event) -> Result<()> {
    store::append_line(&ws.journal(), &event.to_line())
}

fn read_journal_from(path: &Path, offset: u64) -> Result<(Vec<Event>, u64)> {
    let mut file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((Vec::new(), offset)),
        Err(e) => return Err(Error::io("open", path, e)),
    };
    let len = file.metadata().at("read", path)?.len();
    let start = offset.min(len);
    file.seek(SeekFrom::Start(start)).at("read", path)?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes).at("read", path)?;
    let (events, consumed, bad) = session::parse_journal(&bytes);
    if bad > 0 {
        // A writer killed mid-append leaves a torn line; appends after it start on a new line
        // (store::append_line), so only the torn fragment itself is lost.
        eprintln!(
            "claude-session: warning: skipped {bad} unreadable line(s), e.g. one torn by a killed writer ({})",
            path.display()
        );
    }
    Ok((events, start + consumed as u64))
}

/// The hash of the (up to) 64 journal bytes before `offset`; `None` when they cannot be read.
fn journal_tail(ws: &Workspace, offset: u64) -> Option<String> {
    use std::os::unix::fs::FileExt;
    let file = std::fs::File::open(ws.journal()).ok()?;
    if file.metadata().ok()?.len() < offset {
        return None;
    }
    let start = offset.saturating_sub(64);
    let mut bytes = vec![0u8; (offset - start) as usize];
    file.read_exact_at(&mut bytes, start).ok()?;
    Some(blake3::hash(&bytes).to_hex()[..16].to_string())
}

/// Whether the journal still holds what the document says it folded.
fn journal_matches(ws: &Workspace, doc: &SessionDoc) -> bool {
    let folded = doc.journal.folded_bytes;
    let len = std::fs::metadata(ws.journal()).map_or(0, |m| m.len());
    if len < folded {
        return false;
    }
    match &doc.journal.folded_tail {
        Some(tail) => journal_tail(ws, folded).as_ref() == Some(tail),
        None => true,
    }
}

fn rebuild(ws: &Workspace) -> Result<SessionDoc> {
    let (events, consumed) = read_journal_from(&ws.journal(), 0)?;
    let mut doc = events
        .first()
        .and_then(SessionDoc::from_started)
        .ok_or_else(|| {
            Error::corrupt(
                ws.session_file(),
                "session.yaml is missing or unreadable and the journal cannot rebuild it",
            )
        })?;
    doc.fold(&events);
    doc.journal.folded_bytes = consumed;
    doc.journal.folded_tail = journal_tail(ws, consumed);
    Ok(doc)
}

/// The last line of every `session.yaml` we write: its length and hash. A file cut short
/// (a crash, a full disk, a hand edit gone wrong) still parses as YAML more often than not —
/// with an artifact list cut in the middle and the header blanked — so the trailer is what tells.
const TRAILER: &str = "# claude-session: complete, ";

fn trailer_of(body: &[u8]) -> String {
    let hash = blake3::hash(body).to_hex();
    format!("{TRAILER}{} bytes, blake3 {}\n", body.len(), &hash[..16])
}

/// Writes `session.yaml` atomically, with its trailer.
fn write_doc(ws: &Workspace, doc: &SessionDoc) -> Result<()> {
    let path = ws.session_file();
    let mut text = serde_yaml_ng::to_string(doc)
        .map_err(|e| Error::invalid(format!("cannot serialise: {e}"), path.display()))?
        .into_bytes();
    let trailer = trailer_of(&text);
    text.extend_from_slice(trailer.as_bytes());
    store::write_atomic(&path, &text)
}

/// Reads `session.yaml`: `Found` only when it is whole (its trailer matches); a file cut short
/// or not written by us is moved aside (`Corrupt`) so the journal rebuilds it.
fn read_doc(ws: &Workspace) -> Result<Loaded<SessionDoc>> {
    let path = ws.session_file();
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Loaded::Missing),
        Err(e) => return Err(Error::io("read", &path, e)),
    };
    let body_end = bytes[..bytes.len().saturating_sub(1)]
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |i| i + 1);
    let whole = bytes[body_end..].starts_with(TRAILER.as_bytes())
        && bytes[body_end..] == *trailer_of(&bytes[..body_end]).as_bytes();
    if !whole {
        let detail =
            "cut short or not written by claude-session (its trailer is missing or does not match)";
        let moved_to = store::quarantine(&path, detail)?;
        return Ok(Loaded::Corrupt {
            moved_to,
            detail: detail.to_string(),
        });
    }
    match serde_yaml_ng::from_slice::<SessionDoc>(&bytes[..body_end]) {
        Ok(doc) => Ok(Loaded::Found(doc)),
        Err(e) => {
            let detail = e.to_string().lines().next().unwrap_or_default().to_string();
            let moved_to = store::quarantine(&path, &detail)?;
            Ok(Loaded::Corrupt { moved_to, detail })
        }
    }
}

/// Reads `session.yaml` and folds in what the journal added since; the caller holds the lock.
fn load_locked(ws: &Workspace) -> Result<(SessionDoc, bool)> {
    let path = ws.session_file();
    match read_doc(ws)? {
        Loaded::Found(doc) if !journal_matches(ws, &doc) => {
            // The journal was cut or replaced: the events after the cut would be hidden behind
            // the old offset. Fold it anew.
            let moved_to = store::quarantine(
                &path,
                "its journal no longer holds what it had folded; folded again from the start",
            )?;
            let doc = rebuild(ws)?;
            eprintln!(
                "claude-session: rebuilt {} from its journal (the earlier copy is {})",
                path.display(),
                moved_to.display()
            );
            Ok((doc, true))
        }
        Loaded::Found(mut doc) => {
            let (events, consumed) = read_journal_from(&ws.journal(), doc.journal.folded_bytes)?;
            let changed = !events.is_empty() || consumed != doc.journal.folded_bytes;
            doc.fold(&events);
            if changed || doc.journal.folded_tail.is_none() {
                doc.journal.folded_tail = journal_tail(ws, consumed);
            }
            doc.journal.folded_bytes = consumed;
            Ok((doc, changed))
        }
        Loaded::Missing => Ok((rebuild(ws)?, true)),
        Loaded::Corrupt { moved_to, .. } => {
            let doc = rebuild(ws)?;
            eprintln!(
                "claude-session: rebuilt {} from its journal (the unreadable copy is {})",
                path.display(),
                moved_to.display()
            );
            Ok((doc, true))
        }
    }
}

/// Like [`load`], but a workspace whose document nothing can rebuild (no readable
/// `session.yaml`, no `started` event in its journal) is moved to the project's `quarantine/`
/// folder and reported: one broken workspace never breaks listing the others. `None` then.
pub fn load_or_quarantine(
    project: &Project,
    ws: &Workspace,
    wait: Duration,
) -> Result<Option<SessionDoc>> {
    match load(ws, wait) {
        Ok(doc) => Ok(Some(doc)),
        Err(Error::Corrupt { detail, .. }) if detail.contains("the journal cannot rebuild it") => {
            let stamp = clock::file_stamp_utc(clock::now_for_log());
            let target = project
                .dir
                .join("quarantine")
                .join(format!("{}-{stamp}", ws.id));
            store::rename(&ws.dir, &target)?;
            eprintln!(
                "claude-session: warning: session {} could not be read (no session.yaml, and its journal holds no start); moved it aside to {}",
                ws.id,
                target.display()
            );
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// The session's document, brought up to date with its journal (and saved when that changed).
pub fn load(ws: &Workspace, wait: Duration) -> Result<SessionDoc> {
    let _guard = store::lock(&ws.session_file(), wait)?;
    let (doc, changed) = load_locked(ws)?;
    if changed {
        write_doc(ws, &doc)?;
    }
    Ok(doc)
}

/// Appends `events` and folds them in under the session lock; returns the new document.
pub fn commit(ws: &Workspace, events: &[Event], wait: Duration) -> Result<SessionDoc> {
    let _guard = store::lock(&ws.session_file(), wait)?;
    for event in events {
        record(ws, event)?;
    }
    let (doc, _) = load_locked(ws)?;
    write_doc(ws, &doc)?;
    Ok(doc)
}

/// The status index: which sessions of the project are open, for hooks that must not parse YAML.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Index {
    pub version: u32,
    #[serde(default)]
    pub sessions: BTreeMap<String, IndexEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct IndexEntry {
    pub status: Status,
    #[serde(default)]
    pub focus: String,
    #[serde(default)]
    pub started_at: Option<Timestamp>,
    /// The newest checkpoint's time, so the prompt hook can remind without parsing YAML.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_checkpoint_at: Option<Timestamp>,
    /// Files created or modified as of the last fold that refreshed this entry (the Stop hook
    /// refreshes it every turn), so the status line can show them without parsing YAML.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub files: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

fn index_path(project: &Project) -> PathBuf {
    project.dir.join(INDEX_FILE)
}

/// Reads the index; a missing or corrupt one is rebuilt from the workspaces (it loses nothing).
pub fn read_index(project: &Project, wait: Duration) -> Result<Index> {
    match store::read_json::<Index>(&index_path(project))? {
        Loaded::Found(index) => Ok(index),
        Loaded::Missing | Loaded::Corrupt { .. } => rebuild_index(project, wait),
    }
}

/// The index as it is on disk, or `None` when it is missing or unreadable: for readers that
/// must never write (the status line), where [`read_index`] would rebuild or move it aside.
pub fn peek_index(project: &Project) -> Option<Index> {
    let bytes = std::fs::read(index_path(project)).ok()?;
    let index: Index = serde_json::from_slice(&bytes).ok()?;
    (index.version <= store::STATE_VERSION).then_some(index)
}

/// Rebuilds the index when an open session folder is missing from it (written by a version
/// that indexed after moving the workspace into place, and killed in between). Commands call
/// it; hooks do not (their hot path reads no folder listing), and an entry-less folder only
/// means a hook's event waits in the inbox meanwhile.
pub fn reconcile_index(project: &Project, wait: Duration) -> Result<()> {
    let index = match store::read_json::<Index>(&index_path(project))? {
        Loaded::Found(index) => index,
        _ => return rebuild_index(project, wait).map(|_| ()),
    };
    let unknown = read_names(&project.sessions_active())?
        .iter()
        .any(|name| is_session_name(name) && !index.sessions.contains_key(name));
    if unknown {
        rebuild_index(project, wait)?;
    }
    Ok(())
}

fn rebuild_index(project: &Project, wait: Duration) -> Result<Index> {
    let mut index = Index {
        version: store::STATE_VERSION,
        sessions: BTreeMap::new(),
    };
    for ws in workspaces(project, Which::Active)? {
        let Some(doc) = load_or_quarantine(project, &ws, wait)? else {
            continue;
        };
        index.sessions.insert(ws.id.clone(), index_entry(&doc));
    }
    if project.dir.exists() {
        store::write_json(&index_path(project), &index)?;
    }
    Ok(index)
}

pub fn index_entry(doc: &SessionDoc) -> IndexEntry {
    IndexEntry {
        status: doc.session.status,
        focus: doc.session.focus.clone(),
        started_at: doc.session.started_at,
        last_checkpoint_at: doc.journal.last_checkpoint_at,
        files: doc.metrics.files_created + doc.metrics.files_modified,
    }
}

/// Sets (or with `None`, removes) a session's entry; the caller holds the project lock.
pub fn set_index(
    project: &Project,
    id: &str,
    entry: Option<IndexEntry>,
    wait: Duration,
) -> Result<()> {
    let mut index = read_index(project, wait)?;
    index.version = store::STATE_VERSION;
    match entry {
        Some(entry) => index.sessions.insert(id.to_string(), entry),
        None => index.sessions.remove(id),
    };
    store::write_json(&index_path(project), &index)
}

/// Rewrites an open session's index entry when its document says something else (status, last
/// checkpoint); the caller holds the project lock, so no command changes the status meanwhile.
pub fn refresh_index_entry(
    project: &Project,
    ws: &Workspace,
    doc: &SessionDoc,
    wait: Duration,
) -> Result<()> {
    if ws.archived || !ws.dir.is_dir() {
        return Ok(());
    }
    let fresh = index_entry(doc);
    if read_index(project, wait)?.sessions.get(&ws.id) == Some(&fresh) {
        return Ok(());
    }
    set_index(project, &ws.id, Some(fresh), wait)
}

/// Open (active or paused) sessions per the index, skipping entries whose folder is gone.
pub fn open_sessions(project: &Project, wait: Duration) -> Result<Vec<(Workspace, IndexEntry)>> {
    let index = read_index(project, wait)?;
    Ok(index
        .sessions
        .into_iter()
        .filter(|(_, e)| e.status != Status::Completed)
        .filter_map(|(id, entry)| {
            let dir = project.sessions_active().join(&id);
            dir.is_dir().then_some((
                Workspace {
                    id,
                    dir,
                    archived: false,
                },
                entry,
            ))
        })
        .collect())
}

/// Takes the project lock that serialises creating, pausing, ending and moving sessions.
pub fn lock_project(project: &Project, wait: Duration) -> Result<store::LockGuard> {
    store::ensure_dir(&project.dir)?;
    store::lock(&project.sessions_lock_target(), wait)
}

/// A Claude Code session id is used as a file name: allow only what UUIDs and ids are made of.
pub fn valid_claude_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 128
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn check_claude_id(id: &str) -> Result<()> {
    if valid_claude_id(id) {
        Ok(())
    } else {
        Err(Error::invalid(
            "a Claude session id may hold only letters, digits, - and _",
            id,
        ))
    }
}

/// Binds a Claude Code session to one of ours.
pub fn bind(project: &Project, claude_id: &str, session_id: &str) -> Result<()> {
    check_claude_id(claude_id)?;
    store::write_atomic(
        &project.bindings_dir().join(claude_id),
        format!("{session_id}\n").as_bytes(),
    )
}

/// The session a Claude Code session is bound to, if any.
pub fn bound_session(project: &Project, claude_id: &str) -> Option<String> {
    if !valid_claude_id(claude_id) {
        return None;
    }
    std::fs::read_to_string(project.bindings_dir().join(claude_id))
        .ok()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// Every binding of the project: (Claude session id, session id).
pub fn bindings(project: &Project) -> Result<Vec<(String, String)>> {
    let dir = project.bindings_dir();
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    Ok(read_names(&dir)?
        .into_iter()
        .filter(|name| valid_claude_id(name))
        .filter_map(|name| bound_session(project, &name).map(|session| (name, session)))
        .collect())
}

/// Remembers that a forked Claude session still has to find its parent's session.
pub fn mark_fork(project: &Project, claude_id: &str) -> Result<()> {
    check_claude_id(claude_id)?;
    store::ensure_dir(&project.forks_dir())?;
    store::write_atomic(&project.forks_dir().join(claude_id), b"")
}

/// True when `claude_id` is a fork still looking for its parent's session (one stat).
pub fn fork_pending(project: &Project, claude_id: &str) -> bool {
    valid_claude_id(claude_id) && project.forks_dir().join(claude_id).is_file()
}

/// The fork found its session, or never will.
pub fn clear_fork(project: &Project, claude_id: &str) -> Result<()> {
    if !valid_claude_id(claude_id) {
        return Ok(());
    }
    store::remove_file(&project.forks_dir().join(claude_id))
}

/// Forgets the bindings of the given Claude sessions (when their session ends).
pub fn unbind(project: &Project, claude_ids: &[String]) -> Result<()> {
    for id in claude_ids.iter().filter(|id| valid_claude_id(id)) {
        store::remove_file(&project.bindings_dir().join(id))?;
    }
    Ok(())
}

pub fn inbox_file(project: &Project, claude_id: &str) -> PathBuf {
    project.inbox_dir().join(format!("{claude_id}.jsonl"))
}

/// Keeps an event that no session could take yet.
pub fn to_inbox(project: &Project, claude_id: &str, event: &Event) -> Result<()> {
    check_claude_id(claude_id)?;
    store::ensure_dir(&project.inbox_dir())?;
    store::append_line(&inbox_file(project, claude_id), &event.to_line())
}

/// Moves a Claude session's inbox into a session's journal; returns how many events it held.
pub fn adopt_inbox(project: &Project, claude_id: &str, ws: &Workspace) -> Result<usize> {
    if !valid_claude_id(claude_id) {
        return Ok(0);
    }
    let inbox = inbox_file(project, claude_id);
    let Some(dir) = inbox.parent() else {
        return Ok(0);
    };
    let mut adopted = 0;
    // Leftovers of an adoption that was killed (`<id>.adopting-<session>`, or `-<pid>` from
    // older versions): finished first, into the session they were meant for when it is still
    // there, else into this one.
    let prefix = format!("{claude_id}.adopting-");
    for name in read_names(dir)? {
        let Some(meant) = name.strip_prefix(&prefix) else {
            continue;
        };
        let target = [project.sessions_active(), project.sessions_archive()]
            .iter()
            .map(|place| place.join(meant))
            .find(|dir| is_session_name(meant) && dir.is_dir())
            .map(|dir| Workspace {
                id: meant.to_string(),
                archived: dir.starts_with(project.sessions_archive()),
                dir,
            })
            .unwrap_or_else(|| ws.clone());
        adopted += finish_adoption(&dir.join(&name), claude_id, &target)?;
    }
    if !inbox.exists() {
        return Ok(adopted);
    }
    // Renaming first means an event a hook appends meanwhile lands in a fresh inbox, not lost.
    let taken = dir.join(format!("{prefix}{}", ws.id));
    store::rename(&inbox, &taken)?;
    crate::fault::point("adopt.taken");
    adopted += finish_adoption(&taken, claude_id, ws)?;
    Ok(adopted)
}

/// Appends a taken inbox's events to the session's journal in one write, with an
/// `inbox_adopted` line naming the inbox by its hash, then removes the inbox. Re-run after a
/// kill at any point, it neither loses nor doubles an event: when the journal already holds the
/// hash, only the removal is left to do; when a kill cut the write short (a large write stops
/// at a page boundary when the process is killed), the events whose lines landed whole carry
/// `"adopted":"<hash>:<index>"` and only the others are appended.
fn finish_adoption(taken: &Path, claude_id: &str, ws: &Workspace) -> Result<usize> {
    let bytes = match std::fs::read(taken) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(Error::io("read", taken, e)),
    };
    let digest = blake3::hash(&bytes).to_hex()[..32].to_string();
    let journal = std::fs::read(ws.journal()).unwrap_or_default();
    let marker = format!("\"digest\":\"{digest}\"");
    if memchr_find(&journal, marker.as_bytes()) {
        store::remove_file(taken)?;
        return Ok(0);
    }
    let (events, _, _) = session::parse_journal(&bytes);
    let landed = adopted_indices(&journal, &digest);
    let mut chunk = String::new();
    for (index, event) in events.iter().enumerate() {
        if landed.contains(&index) {
            continue;
        }
        let line = event.to_line();
        match line.strip_suffix('}') {
            Some(body) => chunk.push_str(&format!("{body},\"adopted\":\"{digest}:{index}\"}}")),
            None => chunk.push_str(&line),
        }
        chunk.push('\n');
    }
    chunk.push_str(
        &Event::InboxAdopted {
            at: clock::now_for_log(),
            claude_session: claude_id.to_string(),
            digest,
            events: events.len(),
        }
        .to_line(),
    );
    torn_for_tests(&ws.journal(), &chunk)?;
    store::append_line(&ws.journal(), &chunk)?;
    crate::fault::point("adopt.appended");
    store::remove_file(taken)?;
    Ok(events.len())
}

fn memchr_find(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The indices of an inbox's events (by its hash) whose journal lines are whole: what an
/// adoption killed in the middle of its write got in. A line is whole when it parses; the
/// last one may lack its newline (the next append adds it).
fn adopted_indices(journal: &[u8], digest: &str) -> std::collections::HashSet<usize> {
    let needle = format!(",\"adopted\":\"{digest}:");
    journal
        .split(|b| *b == b'\n')
        .filter_map(|line| {
            let at = line
                .windows(needle.len())
                .position(|w| w == needle.as_bytes())?;
            serde_json::from_slice::<serde::de::IgnoredAny>(line).ok()?;
            let rest = &line[at + needle.len()..];
            let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
            std::str::from_utf8(&rest[..digits]).ok()?.parse().ok()
        })
        .collect()
}

/// For the crash-safety tests: with `CLAUDE_SESSION_CRASH_AT=adopt.torn`, appends the first
/// half of the chunk and dies, as a kill in the middle of a large write leaves the journal.
fn torn_for_tests(journal: &Path, chunk: &str) -> Result<()> {
    if std::env::var_os(crate::fault::CRASH_ENV).is_some_and(|wanted| wanted == "adopt.torn") {
        let half = crate::templates::cut_bytes(chunk, chunk.len() / 2);
        store::append_line(journal, half)?;
        crate::fault::point("adopt.torn");
    }
    Ok(())
}

/// Today's date for new ids, in local time.
pub fn id_date(now: Timestamp) -> String {
    clock::local_date(now)
}
