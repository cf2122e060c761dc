//! The Cloud Tracker: session records queued in a durable per-project outbox and sent by
//! `POST <url>/api/sessions`. `tracker/outbox.jsonl` is appended to (one line per record: the
//! commit point); `tracker/cursor.json` holds how many bytes of it are done, rewritten atomically
//! after each 2xx; `tracker/parked/<key>.json` keeps a record the server refused (a 4xx other
//! than 408/429) with its message. A flush holds the outbox lock while sending, so two flushes
//! never send one record twice; a kill between a 2xx and the cursor write re-sends the record
//! with the same `Idempotency-Key`, which the server deduplicates.

use super::pick;
use crate::env::Env;
use crate::error::{Error, IoContext, Result};
use crate::paths::Project;
use crate::registry::{self, Workspace};
use crate::session::{Event, MaintenanceRun, SessionDoc};
use crate::{detach, git, net, process, redact, store};
use serde::{Deserialize, Serialize};
use std::ffi::OsStr;
use std::path::PathBuf;
use std::time::Duration;

/// Attempts per record within one flush, and the first pause between them (doubled each time).
const ATTEMPTS: u32 = 3;
const FIRST_BACKOFF: Duration = Duration::from_millis(200);
/// Lines of a maintenance run's output kept, and their bytes at most.
const RESULT_LINES: usize = 10;
const RESULT_BYTES: usize = 2000;

/// The seed's `claude_sessions` record, plus the repository and what identifies it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionRecord {
    pub session_id: String,
    pub project: String,
    pub repository_url: Option<String>,
    pub started_at: Option<String>,
    pub ended_at: Option<String>,
    pub duration_minutes: u64,
    pub starting_branch: Option<String>,
    pub ending_branch: Option<String>,
    pub commits_count: u64,
    pub context_id: Option<String>,
    pub session_source: String,
    pub tokens_input: u64,
    pub tokens_output: u64,
    pub summary: Option<String>,
    pub accomplishments: Vec<String>,
    pub next_steps: Vec<String>,
    pub files_changed: Vec<String>,
    pub maintenance_runs: Vec<MaintenanceRun>,
    pub security_findings: Vec<String>,
}

/// One outbox line.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Queued {
    /// The `Idempotency-Key`: blake3 of project path, session id and event kind.
    pub key: String,
    /// `end` or `pause`.
    pub kind: String,
    pub session_id: String,
    pub queued_at: String,
    pub record: SessionRecord,
}

/// A record the server refused, kept until `tracker retry` delivers it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Parked {
    pub key: String,
    pub kind: String,
    pub session_id: String,
    pub status: u16,
    pub message: String,
    pub record: SessionRecord,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Cursor {
    /// Bytes of `outbox.jsonl` done (sent, parked or unreadable).
    offset: u64,
}

/// What the end (or pause) queued.
#[derive(Debug, Clone, Serialize)]
pub struct QueuedInfo {
    pub key: String,
    pub outbox: String,
    /// A detached sender was started; else why not.
    pub sender: std::result::Result<u32, String>,
}

/// One record's fate in a flush or retry.
#[derive(Debug, Clone, Serialize)]
pub struct Delivery {
    pub key: String,
    pub session_id: String,
    pub kind: String,
    /// `sent`, `parked`, `unreadable` or `failed`.
    pub result: String,
    pub status: Option<u16>,
    pub attempts: u32,
    /// The server's message (parked) or the last error (failed).
    pub message: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FlushOutcome {
    pub url: String,
    pub deliveries: Vec<Delivery>,
    /// Records still waiting in the outbox.
    pub pending: usize,
    pub parked: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct PendingEntry {
    pub key: String,
    pub session_id: String,
    pub kind: String,
    pub queued_at: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ParkedEntry {
    pub key: String,
    pub session_id: String,
    pub kind: String,
    pub status: u16,
    pub message: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct StatusOutcome {
    pub url: Option<String>,
    pub outbox: String,
    pub pending: Vec<PendingEntry>,
    pub parked: Vec<ParkedEntry>,
}

#[derive(Debug, Clone)]
pub struct RunRequest {
    pub name: String,
    pub command: Vec<String>,
    pub timeout: Duration,
    pub session: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RunOutcome {
    pub session_id: String,
    pub run: MaintenanceRun,
}

fn dir(project: &Project) -> PathBuf {
    project.dir.join("tracker")
}
fn outbox(project: &Project) -> PathBuf {
    dir(project).join("outbox.jsonl")
}
fn cursor_file(project: &Project) -> PathBuf {
    dir(project).join("cursor.json")
}
fn parked_dir(project: &Project) -> PathBuf {
    dir(project).join("parked")
}

/// The stable idempotency key of a session's record of one kind.
pub fn idempotency_key(project: &Project, session_id: &str, kind: &str) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(project.path.to_string_lossy().as_bytes());
    hasher.update(b"\0");
    hasher.update(session_id.as_bytes());
    hasher.update(b"\0");
    hasher.update(kind.as_bytes());
    hasher.finalize().to_hex()[..32].to_string()
}

/// The record of a session as it stands (after `end`, or at `pause`).
pub fn build_record(
    project: &Project,
    doc: &SessionDoc,
    summary: Option<&str>,
    context_file: Option<&str>,
) -> SessionRecord {
    let clean = |text: &str| redact::redact(text).text;
    let mut files: Vec<String> = Vec::new();
    for path in doc
        .artifacts
        .created
        .iter()
        .chain(&doc.artifacts.modified)
        .chain(&doc.git.uncommitted_files)
    {
        if !files.contains(path) {
            files.push(path.clone());
        }
    }
    let (tokens_input, tokens_output) = doc
        .claude_sessions
        .iter()
        .filter_map(|c| c.tokens.as_ref())
        .fold((0, 0), |(i, o), t| {
            (i + t.input_tokens, o + t.output_tokens)
        });
    let accomplishments = if project.in_git {
        git::commits_between(&project.path, doc.git.starting_commit.as_deref(), 50)
            .into_iter()
            .map(|c| clean(&c.summary))
            .collect()
    } else {
        Vec::new()
    };
    SessionRecord {
        session_id: doc.session.id.clone(),
        project: project.name.clone(),
        // A remote URL may carry credentials (`https://user:token@host`): redacted.
        repository_url: git::push_remote_url(&project.path)
            .and_then(|named| named.split_once(' ').map(|(_, url)| clean(url))),
        started_at: doc.session.started_at.map(|t| t.to_string()),
        ended_at: doc.session.ended_at.map(|t| t.to_string()),
        duration_minutes: doc.metrics.duration_minutes,
        starting_branch: doc.git.starting_branch.clone(),
        ending_branch: doc.git.ending_branch.clone(),
        commits_count: doc.git.commits_count.unwrap_or(0),
        context_id: context_file.and_then(|path| {
            std::path::Path::new(path)
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
        }),
        session_source: "claude-code".to_string(),
        tokens_input,
        tokens_output,
        summary: summary
            .map(|text| clean(text.trim()))
            .or_else(|| Some(doc.session.focus.clone())),
        accomplishments,
        next_steps: Vec::new(),
        files_changed: files,
        maintenance_runs: doc.maintenance_runs.clone(),
        // Failed runs named like a security check are what the tracker lists as findings.
        security_findings: doc
            .maintenance_runs
            .iter()
            .filter(|r| {
                !r.success
                    && ["audit", "security", "deny"]
                        .iter()
                        .any(|w| r.name.contains(w))
            })
            .map(|r| format!("{}: {}", r.name, r.status))
            .collect(),
    }
}

/// Appends the record to the outbox (nothing is sent here); `None` when no tracker is set.
/// `occasion` is `end`, or `pause:<context file>` (each pause is its own record); the part
/// before `:` is the record's kind.
pub fn enqueue(
    env: &Env,
    project: &Project,
    occasion: &str,
    record: SessionRecord,
) -> Result<Option<String>> {
    if env.config().tracker.url.is_none() {
        return Ok(None);
    }
    let key = idempotency_key(project, &record.session_id, occasion);
    let kind = occasion.split(':').next().unwrap_or(occasion);
    let queued = Queued {
        key: key.clone(),
        kind: kind.to_string(),
        session_id: record.session_id.clone(),
        queued_at: env.now()?.to_string(),
        record,
    };
    let line = serde_json::to_string(&queued)
        .map_err(|e| Error::invalid(format!("cannot serialise the record: {e}"), &key))?;
    store::ensure_dir(&dir(project))?;
    store::append_line(&outbox(project), &line)?;
    Ok(Some(key))
}

/// Queues the record and starts a detached `tracker flush` (never waited for).
pub fn queue_and_send(
    env: &Env,
    project: &Project,
    occasion: &str,
    record: SessionRecord,
) -> Option<QueuedInfo> {
    let key = match enqueue(env, project, occasion, record) {
        Ok(Some(key)) => key,
        Ok(None) => return None,
        Err(e) => {
            return Some(QueuedInfo {
                key: String::new(),
                outbox: outbox(project).to_string_lossy().into_owned(),
                sender: Err(format!("not queued: {e}")),
            });
        }
    };
    let sender = detach::current_program().and_then(|program| {
        let args: [&OsStr; 4] = [
            OsStr::new("--project"),
            project.path.as_os_str(),
            OsStr::new("tracker"),
            OsStr::new("flush"),
        ];
        detach::spawn(&program, &args)
    });
    Some(QueuedInfo {
        key,
        outbox: outbox(project).to_string_lossy().into_owned(),
        sender: sender.map_err(|e| e.to_string()),
    })
}

/// Where records go and the token that goes with them.
struct Target {
    url: String,
    token: String,
    timeout: Duration,
}

fn target(env: &Env) -> Result<Target> {
    let settings = &env.config().tracker;
    let Some(base) = &settings.url else {
        return Err(Error::invalid(
            "no tracker is set",
            "tracker.url in config.toml",
        ));
    };
    let base = base.as_str().trim_end_matches('/');
    let url = if base.ends_with("/api/sessions") {
        base.to_string()
    } else {
        format!("{base}/api/sessions")
    };
    // A bearer token in clear text goes to this machine only.
    if url.to_ascii_lowercase().starts_with("http://") && !loopback(&url) {
        return Err(Error::invalid(
            "plain http:// is allowed for loopback addresses only; use https://",
            url,
        ));
    }
    let token = match std::env::var("CLAUDE_SESSION_TRACKER_TOKEN") {
        Ok(token) if !token.trim().is_empty() => token.trim().to_string(),
        _ => match &settings.token_file {
            Some(path) => {
                let path = env.absolute(path);
                std::fs::read_to_string(&path)
                    .at("read the tracker token", &path)?
                    .trim()
                    .to_string()
            }
            None => String::new(),
        },
    };
    if token.is_empty() {
        return Err(Error::invalid(
            "no tracker token; records stay queued",
            "CLAUDE_SESSION_TRACKER_TOKEN or tracker.token_file",
        ));
    }
    Ok(Target {
        url,
        token,
        timeout: Duration::from_secs(settings.timeout_seconds),
    })
}

fn loopback(url: &str) -> bool {
    let rest = &url["http://".len()..];
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => authority.split(':').next().unwrap_or(""),
    };
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// How one record's sending ended.
enum Sent {
    Done(u16),
    Refused(u16, String),
    Failed(String),
}

/// Sends one record, retrying timeouts, network errors, 5xx, 408 and 429 with back-off.
fn send(target: &Target, record: &SessionRecord, key: &str) -> (Sent, u32) {
    let body = serde_json::to_string(record).unwrap_or_default();
    let auth = format!("Bearer {}", target.token);
    let headers = [("Authorization", auth.as_str()), ("Idempotency-Key", key)];
    let mut pause = FIRST_BACKOFF;
    let mut last = String::new();
    for attempt in 1..=ATTEMPTS {
        match net::post_json(&target.url, &headers, &body, target.timeout) {
            Ok(reply) if (200..300).contains(&reply.status) => {
                return (Sent::Done(reply.status), attempt);
            }
            Ok(reply)
                if (400..500).contains(&reply.status)
                    && reply.status != 408
                    && reply.status != 429 =>
            {
                return (Sent::Refused(reply.status, message(&reply.body)), attempt);
            }
            Ok(reply) => last = format!("HTTP {}: {}", reply.status, message(&reply.body)),
            Err(e) => last = e.to_string(),
        }
        if attempt < ATTEMPTS {
            std::thread::sleep(pause);
            pause *= 2;
        }
    }
    (Sent::Failed(last), ATTEMPTS)
}

/// The server's message in one short line: a JSON body's `error`/`message`, else the text.
fn message(body: &str) -> String {
    let from_json = serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| {
            ["error", "message", "detail"]
                .iter()
                .find_map(|k| v.get(k).and_then(|m| m.as_str()).map(str::to_string))
        });
    let text = from_json.unwrap_or_else(|| body.to_string());
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    crate::templates::cut_bytes(&line, 300).to_string()
}

fn lock_wait(env: &Env) -> Duration {
    // A flush in progress may wait out a few slow attempts; a second one queues behind it.
    env.wait() + Duration::from_secs(env.config().tracker.timeout_seconds * u64::from(ATTEMPTS) + 2)
}

/// Sends every queued record in order, stopping at the first that cannot be delivered now.
pub fn flush(env: &Env) -> Result<FlushOutcome> {
    let project = env.project()?;
    let target = target(env)?;
    store::ensure_dir(&dir(&project))?;
    let _lock = store::lock(&outbox(&project), lock_wait(env))?;
    let mut cursor = read_cursor(&project);
    let bytes = read_outbox(&project)?;
    let mut deliveries = Vec::new();
    let mut stopped = false;
    for (start, end, line) in lines(&bytes, cursor.offset) {
        if stopped {
            break;
        }
        let _ = start;
        let queued: Queued = match serde_json::from_slice(line) {
            Ok(q) => q,
            Err(_) if line.iter().all(u8::is_ascii_whitespace) => {
                cursor.offset = end;
                store::write_json(&cursor_file(&project), &cursor)?;
                continue;
            }
            Err(e) => {
                deliveries.push(Delivery {
                    key: String::new(),
                    session_id: String::new(),
                    kind: String::new(),
                    result: "unreadable".into(),
                    status: None,
                    attempts: 0,
                    message: Some(e.to_string()),
                });
                cursor.offset = end;
                store::write_json(&cursor_file(&project), &cursor)?;
                continue;
            }
        };
        let (sent, attempts) = send(&target, &queued.record, &queued.key);
        crate::fault::point("tracker.sent");
        let mut delivery = Delivery {
            key: queued.key.clone(),
            session_id: queued.session_id.clone(),
            kind: queued.kind.clone(),
            result: String::new(),
            status: None,
            attempts,
            message: None,
        };
        match sent {
            Sent::Done(status) => {
                delivery.result = "sent".into();
                delivery.status = Some(status);
            }
            Sent::Refused(status, message) => {
                store::ensure_dir(&parked_dir(&project))?;
                store::write_json(
                    &parked_dir(&project).join(format!("{}.json", queued.key)),
                    &Parked {
                        key: queued.key.clone(),
                        kind: queued.kind.clone(),
                        session_id: queued.session_id.clone(),
                        status,
                        message: message.clone(),
                        record: queued.record.clone(),
                    },
                )?;
                delivery.result = "parked".into();
                delivery.status = Some(status);
                delivery.message = Some(message);
            }
            Sent::Failed(why) => {
                delivery.result = "failed".into();
                delivery.message = Some(why);
                stopped = true;
            }
        }
        if !stopped {
            cursor.offset = end;
            store::write_json(&cursor_file(&project), &cursor)?;
        }
        deliveries.push(delivery);
    }
    Ok(FlushOutcome {
        url: target.url,
        deliveries,
        pending: lines(&bytes, cursor.offset).len(),
        parked: parked(&project)?.len(),
    })
}

/// Sends the parked records again (after fixing the token, say); delivered ones are removed.
pub fn retry(env: &Env) -> Result<FlushOutcome> {
    let project = env.project()?;
    let target = target(env)?;
    store::ensure_dir(&dir(&project))?;
    let _lock = store::lock(&outbox(&project), lock_wait(env))?;
    let mut deliveries = Vec::new();
    for (path, mut item) in parked(&project)? {
        let (sent, attempts) = send(&target, &item.record, &item.key);
        let mut delivery = Delivery {
            key: item.key.clone(),
            session_id: item.session_id.clone(),
            kind: item.kind.clone(),
            result: String::new(),
            status: None,
            attempts,
            message: None,
        };
        match sent {
            Sent::Done(status) => {
                store::remove_file(&path)?;
                delivery.result = "sent".into();
                delivery.status = Some(status);
            }
            Sent::Refused(status, message) => {
                item.status = status;
                item.message = message.clone();
                store::write_json(&path, &item)?;
                delivery.result = "parked".into();
                delivery.status = Some(status);
                delivery.message = Some(message);
            }
            Sent::Failed(why) => {
                delivery.result = "failed".into();
                delivery.message = Some(why);
            }
        }
        deliveries.push(delivery);
    }
    let bytes = read_outbox(&project)?;
    Ok(FlushOutcome {
        url: target.url,
        deliveries,
        pending: lines(&bytes, read_cursor(&project).offset).len(),
        parked: parked(&project)?.len(),
    })
}

/// Pending and parked records; reads only.
pub fn status(env: &Env) -> Result<StatusOutcome> {
    let project = env.project()?;
    let bytes = read_outbox(&project)?;
    let pending = lines(&bytes, read_cursor(&project).offset)
        .into_iter()
        .map(
            |(_, _, line)| match serde_json::from_slice::<Queued>(line) {
                Ok(q) => PendingEntry {
                    key: q.key,
                    session_id: q.session_id,
                    kind: q.kind,
                    queued_at: q.queued_at,
                },
                Err(_) => PendingEntry {
                    key: String::new(),
                    session_id: String::new(),
                    kind: "unreadable".into(),
                    queued_at: String::new(),
                },
            },
        )
        .collect();
    Ok(StatusOutcome {
        url: env.config().tracker.url.as_ref().map(|u| u.to_string()),
        outbox: outbox(&project).to_string_lossy().into_owned(),
        pending,
        parked: parked(&project)?
            .into_iter()
            .map(|(_, p)| ParkedEntry {
                key: p.key,
                session_id: p.session_id,
                kind: p.kind,
                status: p.status,
                message: p.message,
            })
            .collect(),
    })
}

/// `tracker run NAME -- COMMAND…`: runs it in the project with a time limit and records the run
/// in the open session.
pub fn run(env: &Env, request: &RunRequest) -> Result<RunOutcome> {
    let project = env.project()?;
    let Some((program, args)) = request.command.split_first() else {
        return Err(Error::invalid(
            "give the command to run after --",
            "tracker run",
        ));
    };
    let ws: Workspace = pick::open(env, &project, request.session.as_deref())?;
    let started_at = env.now()?;
    let finished = process::Run::new(program)
        .args(args)
        .current_dir(&project.path)
        .timeout(request.timeout)
        .run()
        .map_err(|e| Error::invalid(format!("cannot run the command: {e}"), program))?;
    let mut output = finished.stdout_text();
    let stderr = finished.stderr_text();
    if !stderr.trim().is_empty() {
        output.push_str(&stderr);
    }
    let command = request.command.join(" ");
    let run = MaintenanceRun {
        name: request.name.clone(),
        command: redact::redact(&command).text,
        started_at,
        duration_ms: u64::try_from(finished.elapsed.as_millis()).unwrap_or(u64::MAX),
        status: finished.status_text(),
        success: finished.success(),
        result: short_result(&output),
    };
    registry::commit(
        &ws,
        &[Event::MaintenanceRan {
            at: started_at,
            run: run.clone(),
        }],
        env.wait(),
    )?;
    Ok(RunOutcome {
        session_id: ws.id,
        run,
    })
}

/// The last lines of the output, redacted, within a byte budget.
fn short_result(output: &str) -> String {
    let redacted = redact::redact(output).text;
    let lines: Vec<&str> = redacted.lines().filter(|l| !l.trim().is_empty()).collect();
    let tail = lines[lines.len().saturating_sub(RESULT_LINES)..].join("\n");
    let skip = tail.len().saturating_sub(RESULT_BYTES);
    let start = (skip..=tail.len())
        .find(|i| tail.is_char_boundary(*i))
        .unwrap_or(0);
    tail[start..].to_string()
}

fn read_cursor(project: &Project) -> Cursor {
    match store::read_json::<Cursor>(&cursor_file(project)) {
        Ok(store::Loaded::Found(cursor)) => cursor,
        _ => Cursor::default(),
    }
}

fn read_outbox(project: &Project) -> Result<Vec<u8>> {
    match std::fs::read(outbox(project)) {
        Ok(bytes) => Ok(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(Error::io("read", outbox(project), e)),
    }
}

/// Complete lines (ending in a newline) from `offset`: (start, end after the newline, line).
/// A torn last line (a writer killed mid-append) is not a record yet.
fn lines(bytes: &[u8], offset: u64) -> Vec<(u64, u64, &[u8])> {
    let mut out = Vec::new();
    let mut start = usize::try_from(offset)
        .unwrap_or(usize::MAX)
        .min(bytes.len());
    while let Some(pos) = bytes[start..].iter().position(|b| *b == b'\n') {
        let end = start + pos + 1;
        let line = &bytes[start..end - 1];
        if !line.iter().all(u8::is_ascii_whitespace) {
            out.push((start as u64, end as u64, line));
        }
        start = end;
    }
    out
}

fn parked(project: &Project) -> Result<Vec<(PathBuf, Parked)>> {
    let mut out = Vec::new();
    let Ok(entries) = std::fs::read_dir(parked_dir(project)) else {
        return Ok(out);
    };
    let mut paths: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    paths.sort();
    for path in paths {
        if let Ok(store::Loaded::Found(item)) = store::read_json::<Parked>(&path) {
            out.push((path, item));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_torn_last_line_and_blank_lines_are_not_records() {
        let bytes = b"{\"a\":1}\n\n{\"b\":2}\n{\"c\":";
        let found: Vec<&[u8]> = lines(bytes, 0).into_iter().map(|(_, _, l)| l).collect();
        assert_eq!(found, [&b"{\"a\":1}"[..], &b"{\"b\":2}"[..]]);
        assert_eq!(lines(bytes, 8).len(), 1);
        assert!(lines(bytes, 10_000).is_empty());
    }

    #[test]
    fn plain_http_only_to_loopback() {
        for url in [
            "http://127.0.0.1:8080/x",
            "http://localhost/",
            "http://[::1]:9/",
        ] {
            assert!(loopback(url), "{url}");
        }
        for url in [
            "http://example.com",
            "http://10.0.0.1/",
            "http://127.0.0.1.evil.com/",
        ] {
            assert!(!loopback(url), "{url}");
        }
    }

    #[test]
    fn a_run_keeps_the_last_lines_redacted() {
        let output: String = (1..=30).map(|n| format!("line {n}\n")).collect::<String>()
            + "token=ghp_abcdefghijklmnopqrstuvwxyz0123456789\n";
        let result = short_result(&output);
        assert_eq!(result.lines().count(), RESULT_LINES);
        assert!(result.starts_with("line 22"), "{result}");
        assert!(!result.contains("ghp_"), "{result}");
    }
}
