//! `sync push|pull|status` (and `pause --sync`, `end --sync`): a session's continuity record
//! (pause record, context file, workspace records and journal, handoff items; never checkpoint
//! copies) committed into `refs/claude-session/<machine>/<session>` of the project's own
//! repository and pushed to its remote, so another clone can continue the session.

use crate::env::Env;
use crate::error::{Error, Result};
use crate::git::{self, sync as gsync};
use crate::paths::{self, Project};
use crate::pause_state::{self, PauseRecord};
use crate::registry::{self, Which, Workspace};
use crate::session::{JOURNAL_FILE, SESSION_FILE, Status};
use crate::store;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::Path;
use std::time::Duration;

const RECORD_FILE: &str = "record.json";
const CONTEXT_FILE: &str = "context.md";
const WORKSPACE: &str = "workspace/";
const HANDOFF: &str = "handoff/";
/// The prefix of an import's staging folder (a dot-name: no reader lists it).
const IMPORTING: &str = ".importing-";
/// Files bigger than this stay home (a record is notes and journals, not data).
const MAX_FILE: u64 = 4 * 1024 * 1024;
/// The project memory's ref beside the sessions': `refs/claude-session/<machine>/memory` (no
/// session id is a bare word: ids start with their date).
const MEMORY_REF: &str = "memory";
/// How long the automatic pull of `resume`/`start` may take before it gives up.
const AUTO_PULL_TIMEOUT: Duration = Duration::from_secs(20);

/// `record.json` at the root of each sync commit.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct RecordFile {
    version: u32,
    machine: String,
    session_id: String,
    status: Status,
    synced_at: Timestamp,
    #[serde(default)]
    pause: Option<PauseRecord>,
}

/// This machine's id: random, made once, kept in `<root>/claude-session/machine-id`.
pub fn machine_id(env: &Env) -> Result<String> {
    let path = env.layout.app_dir().join("machine-id");
    if let Ok(text) = std::fs::read_to_string(&path) {
        let id = text.trim();
        if valid_machine_id(id) {
            return Ok(id.to_string());
        }
    }
    let mut bytes = [0u8; 8];
    let random = std::fs::File::open("/dev/urandom").and_then(|mut f| f.read_exact(&mut bytes));
    if random.is_err() {
        // No /dev/urandom: the time, the process and the place still make it unique enough.
        let seed = format!(
            "{:?}{}{}",
            crate::clock::system_time(),
            std::process::id(),
            env.layout.app_dir().display()
        );
        bytes.copy_from_slice(&blake3::hash(seed.as_bytes()).as_bytes()[..8]);
    }
    let id: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    store::ensure_dir(&env.layout.app_dir())?;
    // A racing first run may have written one meanwhile: the file that exists wins.
    store::write_new_atomic_mode(&path, format!("{id}\n").as_bytes(), None)?;
    let kept = std::fs::read_to_string(&path).unwrap_or_default();
    Ok(Some(kept.trim().to_string())
        .filter(|k| valid_machine_id(k))
        .unwrap_or(id))
}

fn valid_machine_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn remote_of(env: &Env) -> String {
    env.config().sync.remote.clone()
}

fn local_ref(machine: &str, session: &str) -> String {
    format!("{}{machine}/{session}", gsync::LOCAL_NS)
}

/// The git project, and a remote to sync with; else the one-line reason.
fn git_project(env: &Env) -> Result<(Project, String)> {
    let project = env.project()?;
    if !project.in_git {
        return Err(Error::invalid(
            "sync needs the project to be a git repository",
            project.path.display(),
        ));
    }
    let remote = remote_of(env);
    if !gsync::has_remote(&project.path, &remote) {
        return Err(Error::invalid(
            format!(
                "no git remote \"{remote}\" to sync with; add it (git remote add {remote} URL) or set [sync] remote; nothing was lost"
            ),
            project.path.display(),
        ));
    }
    Ok((project, remote))
}

#[derive(Debug, Clone, Default)]
pub struct PushRequest {
    /// One session (id or prefix); `None`: every open session, and ended ones already synced.
    pub session: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PushOutcome {
    pub remote: String,
    pub machine: String,
    pub sessions: Vec<SessionPush>,
    /// Why nothing reached the remote (unreachable, no remote…); the records are committed
    /// locally and `sync status` lists them.
    pub error: Option<String>,
    /// The commit of the project memory's ref, when there is memory to sync.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory_commit: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SessionPush {
    pub session_id: String,
    pub status: Status,
    pub git_ref: String,
    pub commit: String,
    /// `pushed`, `up_to_date`, `refused` or `not_pushed`.
    pub result: String,
    pub reason: Option<String>,
}

impl PushOutcome {
    /// The line a failed push stands for, if any ref did not reach the remote.
    pub fn failure(&self) -> Option<String> {
        if let Some(error) = &self.error {
            return Some(error.clone());
        }
        self.sessions
            .iter()
            .find(|s| s.result == "refused" || s.result == "not_pushed")
            .map(|s| {
                format!(
                    "{} was refused by {}: {}",
                    s.git_ref,
                    self.remote,
                    s.reason.as_deref().unwrap_or("no reason given")
                )
            })
    }
}

/// Commits the records of the sessions asked for, then pushes every ref of this machine the
/// remote does not have yet.
pub fn push(env: &Env, request: &PushRequest) -> Result<PushOutcome> {
    let project = env.project()?;
    let remote = remote_of(env);
    let machine = machine_id(env)?;
    let targets = match &request.session {
        Some(prefix) => vec![registry::resolve(&project, prefix)?],
        None => default_targets(&project, &machine)?,
    };
    let mut sessions = Vec::new();
    for ws in &targets {
        let refname = local_ref(&machine, &ws.id);
        let (status, committed) = commit_session(env, &project, ws, &machine, &refname)?;
        sessions.push(SessionPush {
            session_id: ws.id.clone(),
            status,
            git_ref: refname,
            commit: committed.commit,
            result: "not_pushed".to_string(),
            reason: None,
        });
    }
    let memory_commit = commit_memory(env, &project, &machine)?;
    let mut outcome = PushOutcome {
        remote: remote.clone(),
        machine: machine.clone(),
        sessions,
        error: None,
        memory_commit,
    };
    if !gsync::has_remote(&project.path, &remote) {
        outcome.error = Some(format!(
            "no git remote \"{remote}\" to sync with; add it (git remote add {remote} URL) or set [sync] remote; the records are kept locally"
        ));
        return Ok(outcome);
    }
    let tracking = tracking_map(&project, &remote);
    let pending: Vec<String> =
        gsync::list_refs(&project.path, &format!("{}{machine}/", gsync::LOCAL_NS))
            .into_iter()
            .filter(|(name, oid)| tracking.get(&tracking_name(&remote, name)) != Some(oid))
            .map(|(name, _)| name)
            .collect();
    for s in &mut outcome.sessions {
        if !pending.contains(&s.git_ref) {
            s.result = "up_to_date".to_string();
        }
    }
    if pending.is_empty() {
        return Ok(outcome);
    }
    match gsync::push_refs(
        &project.path,
        &remote,
        &pending,
        env.config().push_timeout(),
    ) {
        Err(reason) => {
            outcome.error = Some(format!(
                "could not push to {remote}: {reason}; the records are kept locally"
            ));
            for s in &mut outcome.sessions {
                if s.result == "not_pushed" {
                    s.reason = Some(reason.clone());
                }
            }
        }
        Ok(results) => {
            let local: BTreeMap<String, String> = gsync::list_refs(&project.path, gsync::LOCAL_NS)
                .into_iter()
                .collect();
            for r in &results {
                if r.refused.is_none()
                    && let Some(oid) = local.get(&r.refname)
                {
                    gsync::set_ref(&project.path, &tracking_name(&remote, &r.refname), oid)?;
                }
                if let Some(s) = outcome.sessions.iter_mut().find(|s| s.git_ref == r.refname) {
                    match &r.refused {
                        None => s.result = "pushed".to_string(),
                        Some(reason) => {
                            s.result = "refused".to_string();
                            s.reason = Some(reason.clone());
                        }
                    }
                }
            }
        }
    }
    Ok(outcome)
}

/// Commits the project memory's files onto this machine's memory ref (none when there is no
/// memory or no git); pushed with the session refs.
fn commit_memory(env: &Env, project: &Project, machine: &str) -> Result<Option<String>> {
    let files = crate::memory::files_for_sync(project);
    if files.is_empty() || !project.in_git {
        return Ok(None);
    }
    let now = env.now()?;
    let committed = git::sync::commit_record(
        &project.path,
        &local_ref(machine, MEMORY_REF),
        &files,
        "claude-session: project memory",
        now.as_second(),
    )?;
    Ok(Some(committed.commit))
}

/// Open sessions, and archived ones this machine synced before (so an `end` reaches the remote).
fn default_targets(project: &Project, machine: &str) -> Result<Vec<Workspace>> {
    let synced: BTreeSet<String> =
        gsync::list_refs(&project.path, &format!("{}{machine}/", gsync::LOCAL_NS))
            .into_iter()
            .filter_map(|(name, _)| name.rsplit('/').next().map(str::to_string))
            .collect();
    Ok(registry::workspaces(project, Which::All)?
        .into_iter()
        .filter(|ws| !ws.archived || synced.contains(&ws.id))
        .collect())
}

fn tracking_name(remote: &str, local: &str) -> String {
    format!(
        "{}{}",
        gsync::tracking_ns(remote),
        local.trim_start_matches(gsync::LOCAL_NS)
    )
}

fn tracking_map(project: &Project, remote: &str) -> BTreeMap<String, String> {
    gsync::list_refs(&project.path, &gsync::tracking_ns(remote))
        .into_iter()
        .collect()
}

/// Commits one session's record onto its ref.
fn commit_session(
    env: &Env,
    project: &Project,
    ws: &Workspace,
    machine: &str,
    refname: &str,
) -> Result<(Status, gsync::Committed)> {
    let doc = registry::load(ws, env.wait())?;
    let pause = pause_state::record_for(&env.layout, &project.path.to_string_lossy())?
        .filter(|r| r.session_id == ws.id && doc.session.status == Status::Paused);
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    if let Some(context) = pause.as_ref().and_then(|p| p.context_file.as_ref())
        && let Some(bytes) = read_small(Path::new(context))
    {
        files.push((CONTEXT_FILE.to_string(), bytes));
    }
    collect_dir(&ws.dir, WORKSPACE, true, &mut files);
    let slug = paths::project_slug(&project.path, &project.name);
    collect_dir(&env.layout.handoff_dir(&slug), HANDOFF, false, &mut files);
    let now = env.now()?;
    let record = RecordFile {
        version: store::STATE_VERSION,
        machine: machine.to_string(),
        session_id: ws.id.clone(),
        status: doc.session.status,
        synced_at: now,
        pause,
    };
    let mut text = serde_json::to_string_pretty(&record)
        .map_err(|e| Error::invalid(format!("cannot serialise: {e}"), &ws.id))?;
    text.push('\n');
    files.push((RECORD_FILE.to_string(), text.into_bytes()));
    let message = format!("claude-session: {} {}", ws.id, doc.session.status.as_str());
    let committed =
        git::sync::commit_record(&project.path, refname, &files, &message, now.as_second())?;
    Ok((doc.session.status, committed))
}

fn read_small(path: &Path) -> Option<Vec<u8>> {
    let meta = std::fs::metadata(path).ok()?;
    (meta.is_file() && meta.len() <= MAX_FILE)
        .then(|| std::fs::read(path).ok())
        .flatten()
}

/// The files under `dir` as `<prefix><relative path>`: no dot-names (temp files), no locks,
/// no checkpoint copies (`snapshots/` of a workspace), nothing over [`MAX_FILE`].
fn collect_dir(dir: &Path, prefix: &str, workspace: bool, out: &mut Vec<(String, Vec<u8>)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name.ends_with(".lock") || (workspace && name == "snapshots") {
            continue;
        }
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            collect_dir(&entry.path(), &format!("{prefix}{name}/"), false, out);
        } else if kind.is_file()
            && let Some(bytes) = read_small(&entry.path())
        {
            out.push((format!("{prefix}{name}"), bytes));
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PullOutcome {
    pub remote: String,
    /// A paused session of another machine brought here (resume continues it).
    pub imported: Option<Imported>,
    /// Sessions here that took events of other machines.
    pub updated: Vec<Updated>,
    /// Other paused sessions on the remote, left there (this project has a paused session).
    pub available: Vec<String>,
    /// Sessions of the same id here and there that are not the same session: left alone.
    pub conflicts: Vec<String>,
    /// Other machines' project memory merged here (by entry id).
    pub memory: crate::memory::Merged,
}

#[derive(Debug, Clone, Serialize)]
pub struct Imported {
    pub session_id: String,
    pub machine: String,
    pub paused_at: Option<Timestamp>,
    pub branch: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Updated {
    pub session_id: String,
    pub events_added: usize,
    pub status: Status,
    /// Ended on another machine: archived here too.
    pub ended: bool,
}

/// One remote ref's record.
struct Remote {
    machine: String,
    record: RecordFile,
    files: BTreeMap<String, Vec<u8>>,
}

/// Fetches the remote's records and brings them in: events of sessions known here are merged
/// (each event once), an end is carried out here too, and the newest paused session of another
/// machine is imported when this project has no paused session of its own.
pub fn pull(env: &Env) -> Result<PullOutcome> {
    let (project, remote) = git_project(env)?;
    gsync::fetch_refs(&project.path, &remote, env.config().push_timeout()).map_err(|reason| {
        Error::Git {
            detail: format!("could not fetch from {remote}: {reason}; nothing changed here"),
            place: project.path.display().to_string(),
        }
    })?;
    bring_in(env, &project, &remote)
}

/// The pull `resume` and `start` make when no session is paused here: only when this project
/// synced before (our refs are here) or `[sync]` is set in the config; never an error — the
/// one-line warning is returned instead.
pub fn auto_pull(env: &Env, project: &Project) -> Option<String> {
    if !project.in_git {
        return None;
    }
    let remote = remote_of(env);
    if !gsync::has_remote(&project.path, &remote) {
        return None;
    }
    let used = !gsync::list_refs(&project.path, gsync::LOCAL_NS).is_empty()
        || !gsync::list_refs(&project.path, &gsync::tracking_ns(&remote)).is_empty()
        || env.config().entries().iter().any(|(key, _, source)| {
            key.key.starts_with("sync.") && *source != crate::config::Source::Default
        });
    if !used {
        return None;
    }
    let timeout = env.config().push_timeout().min(AUTO_PULL_TIMEOUT);
    if let Err(reason) = gsync::fetch_refs(&project.path, &remote, timeout) {
        return Some(format!(
            "sync: could not fetch from {remote} ({reason}); going on with what is here"
        ));
    }
    match bring_in(env, project, &remote) {
        Ok(_) => None,
        Err(e) => Some(format!("sync: {e}")),
    }
}

fn bring_in(env: &Env, project: &Project, remote: &str) -> Result<PullOutcome> {
    let machine = machine_id(env)?;
    let mut outcome = PullOutcome {
        remote: remote.to_string(),
        imported: None,
        updated: Vec::new(),
        available: Vec::new(),
        conflicts: Vec::new(),
        memory: crate::memory::Merged::default(),
    };
    // Every other machine's record, grouped by session.
    let mut by_session: BTreeMap<String, Vec<Remote>> = BTreeMap::new();
    let mut memories: Vec<std::collections::HashMap<String, Vec<u8>>> = Vec::new();
    for (name, oid) in gsync::list_refs(&project.path, &gsync::tracking_ns(remote)) {
        let rest = name
            .trim_start_matches(&gsync::tracking_ns(remote))
            .to_string();
        let Some((from, _)) = rest.split_once('/') else {
            continue;
        };
        if from == machine {
            continue;
        }
        if rest
            .split_once('/')
            .is_some_and(|(_, name)| name == MEMORY_REF)
        {
            memories.push(
                gsync::commit_files(&project.path, &oid)?
                    .into_iter()
                    .collect(),
            );
            continue;
        }
        let files: BTreeMap<String, Vec<u8>> = gsync::commit_files(&project.path, &oid)?
            .into_iter()
            .collect();
        let Some(record) = files
            .get(RECORD_FILE)
            .and_then(|b| serde_json::from_slice::<RecordFile>(b).ok())
            .filter(|r| r.version <= store::STATE_VERSION && valid_session_id(&r.session_id))
        else {
            continue;
        };
        by_session
            .entry(record.session_id.clone())
            .or_default()
            .push(Remote {
                machine: from.to_string(),
                record,
                files,
            });
    }
    registry::ensure_project(project)?;
    let lock = registry::lock_project(project, env.wait())?;
    let mut ended = Vec::new();
    let mut unknown = Vec::new();
    for (id, remotes) in &by_session {
        let here = registry::workspaces(project, Which::All)?
            .into_iter()
            .find(|ws| &ws.id == id);
        let Some(ws) = here else {
            unknown.push(id.clone());
            continue;
        };
        let local = std::fs::read(ws.journal()).unwrap_or_default();
        let journals: Vec<(&str, &[u8])> = remotes
            .iter()
            .filter_map(|r| {
                let j = r.files.get(&format!("{WORKSPACE}{JOURNAL_FILE}"))?;
                Some((r.machine.as_str(), j.as_slice()))
            })
            .collect();
        if !journals.is_empty() && !same_session(&local, journals[0].1) {
            outcome.conflicts.push(id.clone());
            continue;
        }
        if ws.archived {
            continue;
        }
        let missing = missing_lines(&local, &journals);
        let doc = if missing.is_empty() {
            registry::load(&ws, env.wait())?
        } else {
            {
                let _guard = store::lock(&ws.session_file(), env.wait())?;
                for line in &missing {
                    store::append_line(&ws.journal(), line)?;
                }
            }
            registry::load(&ws, env.wait())?
        };
        let is_ended = doc.session.status == Status::Completed;
        if !missing.is_empty() || is_ended {
            outcome.updated.push(Updated {
                session_id: id.clone(),
                events_added: missing.len(),
                status: doc.session.status,
                ended: is_ended,
            });
        }
        if is_ended {
            ended.push(ws.id.clone());
        } else {
            registry::refresh_index_entry(project, &ws, &doc, env.wait())?;
            // An import killed before its pause record: put the record back.
            if doc.session.status == Status::Paused {
                restore_record(env, project, remotes)?;
            }
        }
    }
    // The newest paused session of another machine, when none is paused here.
    let key = project.path.to_string_lossy().into_owned();
    let mut paused: Vec<&Remote> = unknown
        .iter()
        .filter_map(|id| newest(&by_session[id]))
        .filter(|r| r.record.status == Status::Paused && r.record.pause.is_some())
        .collect();
    paused.sort_by_key(|r| r.record.pause.as_ref().map(|p| p.paused_at));
    if let Some(chosen) = paused.pop() {
        if pause_state::record_for(&env.layout, &key)?.is_none() {
            outcome.imported = Some(import(
                env,
                project,
                chosen,
                &by_session[&chosen.record.session_id],
            )?);
        } else {
            outcome.available.push(chosen.record.session_id.clone());
        }
        outcome
            .available
            .extend(paused.iter().map(|r| r.record.session_id.clone()));
    }
    for id in &ended {
        // `end`'s own marker: its next step (archive, backup, summary log) runs as for a
        // killed end, under the project lock taken below.
        let marker = project.dir.join("ending").join(format!("{id}.json"));
        if !marker.exists() {
            store::write_json(
                &marker,
                &serde_json::json!({"version": store::STATE_VERSION, "no_backup": false, "summary": null}),
            )?;
        }
        super::resume::clear_record(env, project, id)?;
    }
    // Each machine's memory merged by entry id: both sides' entries survive, each once.
    for files in &memories {
        let merged = crate::memory::merge(project, files, env.wait())?;
        outcome.memory.added += merged.added;
        outcome.memory.forgotten += merged.forgotten;
    }
    drop(lock);
    if !ended.is_empty() {
        super::end::finish_interrupted(env, project)?;
    }
    Ok(outcome)
}

fn valid_session_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('.')
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
}

fn newest(remotes: &[Remote]) -> Option<&Remote> {
    remotes.iter().max_by_key(|r| r.record.synced_at)
}

/// Two journals of one session start with the same `started` line.
fn same_session(a: &[u8], b: &[u8]) -> bool {
    let first = |j: &[u8]| j.split(|&c| c == b'\n').next().map(<[u8]>::to_vec);
    a.is_empty() || b.is_empty() || first(a) == first(b)
}

/// The lines of `incoming` journals that `local` lacks, each once, ordered by their time and
/// then by origin (a line's identity is its bytes: each event is written once, by one machine).
pub fn missing_lines(local: &[u8], incoming: &[(&str, &[u8])]) -> Vec<String> {
    let mut seen: BTreeSet<&[u8]> = lines(local).collect();
    let mut found: Vec<(Option<Timestamp>, &str, usize, String)> = Vec::new();
    for (origin, journal) in incoming {
        let mut last = None;
        for (index, line) in lines(journal).enumerate() {
            let at = event_time(line).or(last);
            last = at;
            if seen.insert(line) {
                found.push((
                    at,
                    origin,
                    index,
                    String::from_utf8_lossy(line).into_owned(),
                ));
            }
        }
    }
    found.sort_by(|a, b| (a.0, a.1, a.2).cmp(&(b.0, b.1, b.2)));
    found.into_iter().map(|(.., line)| line).collect()
}

/// A journal merged from several: every line once, by time then origin.
fn merged_journal(incoming: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    for line in missing_lines(&[], incoming) {
        out.extend_from_slice(line.as_bytes());
        out.push(b'\n');
    }
    out
}

fn lines(journal: &[u8]) -> impl Iterator<Item = &[u8]> {
    journal
        .split(|&c| c == b'\n')
        .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
}

fn event_time(line: &[u8]) -> Option<Timestamp> {
    #[derive(Deserialize)]
    struct At {
        at: Option<Timestamp>,
    }
    serde_json::from_slice::<At>(line).ok()?.at
}

/// Writes the pause record of a paused session imported here, with this clone's paths, unless
/// the project already has one.
fn restore_record(env: &Env, project: &Project, remotes: &[Remote]) -> Result<()> {
    let Some(remote) = newest(remotes) else {
        return Ok(());
    };
    let Some(pause) = remote.record.pause.clone() else {
        return Ok(());
    };
    let context = write_context(env, remote)?;
    let key = project.path.to_string_lossy().into_owned();
    pause_state::update(&env.layout, env.wait(), |state| {
        state.projects.entry(key).or_insert(PauseRecord {
            context_file: context,
            dirty_files: Vec::new(),
            claude_session: None,
            ..pause
        });
        Ok(())
    })
}

/// The record's context file, written (never replacing one) under this machine's contexts.
fn write_context(env: &Env, remote: &Remote) -> Result<Option<String>> {
    let Some(bytes) = remote.files.get(CONTEXT_FILE) else {
        return Ok(None);
    };
    let name = remote
        .record
        .pause
        .as_ref()
        .and_then(|p| p.context_file.as_deref())
        .and_then(|c| Path::new(c).file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .unwrap_or_else(|| format!("{}.md", remote.record.session_id));
    let path = env.layout.contexts_dir().join(name);
    store::write_new_atomic_mode(&path, bytes, None)?;
    Ok(Some(path.to_string_lossy().into_owned()))
}

/// Brings a session of another machine here: the context file, then the workspace filled in a
/// hidden staging folder and moved into place with one rename (the commit point), the index
/// entry, then the pause record with this clone's paths. The caller holds the project lock.
fn import(env: &Env, project: &Project, chosen: &Remote, all: &[Remote]) -> Result<Imported> {
    let id = &chosen.record.session_id;
    let journals: Vec<(&str, &[u8])> = all
        .iter()
        .filter_map(|r| {
            let j = r.files.get(&format!("{WORKSPACE}{JOURNAL_FILE}"))?;
            Some((r.machine.as_str(), j.as_slice()))
        })
        .collect();
    let several = journals.len() > 1;
    // Staging folders of killed pulls: nobody's, since we hold the project lock.
    if let Ok(entries) = std::fs::read_dir(project.sessions_active()) {
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().starts_with(IMPORTING) {
                store::remove_dir_all(&entry.path())?;
            }
        }
    }
    let staging = store::temp_dir_in(&project.sessions_active(), IMPORTING)?;
    for dir in super::start::WORKSPACE_DIRS {
        store::ensure_dir(&staging.path().join(dir))?;
    }
    for (path, bytes) in &chosen.files {
        let Some(relative) = path.strip_prefix(WORKSPACE) else {
            continue;
        };
        if !safe_relative(relative) {
            continue;
        }
        // Merged journals of several machines do not match one machine's session.yaml:
        // leave it out, the fold rebuilds it from the journal.
        if several && (relative == SESSION_FILE || relative == JOURNAL_FILE) {
            continue;
        }
        store::write_atomic(&staging.path().join(relative), bytes)?;
    }
    if several {
        store::write_atomic(
            &staging.path().join(JOURNAL_FILE),
            &merged_journal(&journals),
        )?;
    }
    let slug = paths::project_slug(&project.path, &project.name);
    for (path, bytes) in &chosen.files {
        if let Some(name) = path.strip_prefix(HANDOFF)
            && safe_relative(name)
        {
            store::write_new_atomic_mode(&env.layout.handoff_dir(&slug).join(name), bytes, None)?;
        }
    }
    let target = project.sessions_active().join(id);
    store::persist_dir(staging, &target)?;
    let ws = Workspace {
        id: id.clone(),
        dir: target,
        archived: false,
    };
    let doc = registry::load(&ws, env.wait())?;
    registry::set_index(project, id, Some(registry::index_entry(&doc)), env.wait())?;
    restore_record(env, project, std::slice::from_ref(chosen))?;
    let pause = chosen.record.pause.as_ref();
    Ok(Imported {
        session_id: id.clone(),
        machine: chosen.machine.clone(),
        paused_at: pause.map(|p| p.paused_at),
        branch: pause.and_then(|p| p.branch.clone()),
    })
}

/// A relative path of plain names (no `..`, no absolute path, no dot-names).
fn safe_relative(path: &str) -> bool {
    !path.is_empty()
        && path
            .split('/')
            .all(|part| !part.is_empty() && !part.starts_with('.'))
}

#[derive(Debug, Clone, Serialize)]
pub struct StatusOutcome {
    pub remote: String,
    pub remote_configured: bool,
    pub machine: String,
    /// This machine's refs and whether the remote has them (as of the last push or fetch).
    pub refs: Vec<RefState>,
    /// Other machines' records fetched so far.
    pub others: Vec<OtherRecord>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RefState {
    pub session_id: String,
    pub git_ref: String,
    pub commit: String,
    /// `pushed`, `not_pushed` (the remote has an older one) or `never_pushed`.
    pub state: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct OtherRecord {
    pub machine: String,
    pub session_id: String,
    pub status: Option<Status>,
}

/// What is pushed and what is not; reads only (no network).
pub fn status(env: &Env) -> Result<StatusOutcome> {
    let project = env.project()?;
    let remote = remote_of(env);
    let machine = machine_id(env)?;
    let tracking = tracking_map(&project, &remote);
    let refs = gsync::list_refs(&project.path, &format!("{}{machine}/", gsync::LOCAL_NS))
        .into_iter()
        .filter(|(name, _)| !name.ends_with(&format!("/{MEMORY_REF}")))
        .map(|(name, oid)| {
            let state = match tracking.get(&tracking_name(&remote, &name)) {
                Some(t) if *t == oid => "pushed",
                Some(_) => "not_pushed",
                None => "never_pushed",
            };
            RefState {
                session_id: name.rsplit('/').next().unwrap_or_default().to_string(),
                git_ref: name,
                commit: oid,
                state: state.to_string(),
            }
        })
        .collect();
    let prefix = gsync::tracking_ns(&remote);
    let others = tracking
        .iter()
        .filter_map(|(name, oid)| {
            let (from, session) = name.strip_prefix(&prefix)?.split_once('/')?;
            (from != machine && session != MEMORY_REF).then(|| OtherRecord {
                machine: from.to_string(),
                session_id: session.to_string(),
                status: gsync::commit_files(&project.path, oid)
                    .ok()
                    .and_then(|files| {
                        files
                            .into_iter()
                            .find(|(p, _)| p == RECORD_FILE)
                            .and_then(|(_, b)| serde_json::from_slice::<RecordFile>(&b).ok())
                    })
                    .map(|r| r.status),
            })
        })
        .collect();
    Ok(StatusOutcome {
        remote_configured: gsync::has_remote(&project.path, &remote),
        remote,
        machine,
        refs,
        others,
    })
}

/// The session a `pause --sync`/`end --sync` just handled, pushed; never an error (the line
/// goes into the outcome): the pause or end itself is done and kept.
pub fn after(env: &Env, session: &str) -> SyncNote {
    match push(
        env,
        &PushRequest {
            session: Some(session.to_string()),
        },
    ) {
        Ok(outcome) => SyncNote {
            ok: outcome.failure().is_none(),
            line: outcome.failure(),
            outcome: Some(outcome),
        },
        Err(e) => SyncNote {
            ok: false,
            line: Some(e.to_string()),
            outcome: None,
        },
    }
}

/// What `--sync` added to a pause or an end.
#[derive(Debug, Clone, Serialize)]
pub struct SyncNote {
    pub ok: bool,
    /// Why it did not reach the remote.
    pub line: Option<String>,
    pub outcome: Option<PushOutcome>,
}

/// A pause or end outcome with its `--sync` note (`sync` in JSON).
#[derive(Debug, Clone, Serialize)]
pub struct WithSync<T> {
    #[serde(flatten)]
    pub inner: T,
    pub sync: SyncNote,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_keeps_each_event_once_in_time_order() {
        let local = b"{\"at\":\"2025-01-01T00:00:00Z\",\"e\":1}\n{\"at\":\"2025-01-01T00:02:00Z\",\"e\":3}\n";
        let other = b"{\"at\":\"2025-01-01T00:00:00Z\",\"e\":1}\n{\"at\":\"2025-01-01T00:01:00Z\",\"e\":2}\n{\"at\":\"2025-01-01T00:03:00Z\",\"e\":4}\n";
        let third = b"{\"at\":\"2025-01-01T00:01:00Z\",\"e\":2}\n";
        let missing = missing_lines(local, &[("b", other), ("c", third)]);
        assert_eq!(
            missing,
            vec![
                "{\"at\":\"2025-01-01T00:01:00Z\",\"e\":2}".to_string(),
                "{\"at\":\"2025-01-01T00:03:00Z\",\"e\":4}".to_string()
            ]
        );
        let merged = merged_journal(&[("a", local), ("b", other)]);
        assert_eq!(String::from_utf8_lossy(&merged).lines().count(), 4);
    }
}
