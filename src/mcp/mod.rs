//! `claude-session mcp`: a Model Context Protocol server on stdin/stdout, the third front end
//! (after the CLI and the hooks). It gives Claude typed tools over the same verbs: each tool
//! builds an ops request, calls the same function as the CLI, and answers with the outcome's
//! `--json` document as `structuredContent` plus the CLI's human text.
//!
//! The transport is MCP's stdio framing: one JSON-RPC 2.0 message per line, nothing else on
//! stdout (messages for people go to stderr, which Claude Code keeps in its MCP log). The
//! surface is small, so this is a plain synchronous loop rather than an SDK with an async
//! runtime (README, "Dependencies and why"): `initialize`, `ping`, `tools/list`, `tools/call`,
//! and notifications, which get no reply. Requests are answered one at a time, in order.
//!
//! Errors: a message that is not JSON, not an object or not JSON-RPC gets the JSON-RPC error for
//! it (-32700, -32600); an unknown method -32601; an unknown tool or a bad parameter -32602 with
//! one line naming it; a verb that fails a tool result with `isError` and its one-line message.
//! A panic in a tool is caught and answered as an internal error (-32603); the server goes on.

mod params;
mod tools;

use crate::error::{Error, Result};
use serde_json::{Map, Value, json};
use std::io::{BufRead, ErrorKind, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

/// The protocol version we speak, and answer with when the client asks for one we do not know.
pub const PROTOCOL_VERSION: &str = "2025-11-25";

/// Versions whose messages we understand (the tool surface has not changed in a way that
/// matters here); a client asking for one of these gets it back.
const SUPPORTED_VERSIONS: &[&str] = &["2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"];

/// The longest message read; a longer line is answered with a parse error and skipped.
const MAX_MESSAGE: usize = 16 * 1024 * 1024;

/// JSON-RPC error codes.
pub(crate) const PARSE_ERROR: i64 = -32700;
pub(crate) const INVALID_REQUEST: i64 = -32600;
pub(crate) const METHOD_NOT_FOUND: i64 = -32601;
pub(crate) const INVALID_PARAMS: i64 = -32602;
pub(crate) const INTERNAL_ERROR: i64 = -32603;

/// What the model reads first about the server (Claude Code 2.1.332 hides MCP tools behind its
/// tool search until the model looks: these words and the tool descriptions are how it finds
/// them).
const INSTRUCTIONS: &str = "\
claude-session makes coding sessions unlosable. A session is a workspace for one piece of work \
(its focus, the files it touched, subagent tasks, prompts, checkpoints) that survives crashes, \
compactions, new terminals and quitting. Hooks record file edits by themselves; these tools run \
the lifecycle:
- session_status / session_list_active: is a session open in this project? Check before starting.
- session_start(focus): when the user begins a piece of work and no session is active (a paused \
one is resumed instead).
- session_checkpoint(description): before a risky change or refactor, after a milestone (tests \
pass, feature done), every 30-60 minutes. Snapshots are byte-exact and restorable.
- session_checkpoints / session_restore_checkpoint: list and restore checkpoints (a dry run \
unless dry_run is false; in_place overwrites project files after a safety checkpoint).
- session_pause(summary, next_steps): when the user stops for now; session_resume continues \
later, in this or another conversation.
- session_end(summary, rulemap_score): when the user wraps up the work for good: archives the \
session and writes its ZIP backup. Commit the work first.
- session_track_artifact(file_path): a file changed outside Write/Edit (a shell command, a \
generator).
- create_daily_backup: back up the whole project and its sessions.
- handoff_export: a self-contained prompt to continue the work in claude.ai.
- memory_search(query) / memory_store(kind, text): the project's memory of architecture, \
patterns, decisions and errors; search before deciding what may be decided already, store what \
a later session should know.
Every tool acts on this conversation's project (project_path overrides it) and its session \
(session_id overrides it).";

/// The server's state between messages.
struct Server {
    /// `--project`: the default directory when a call gives no `project_path`.
    project: Option<PathBuf>,
}

/// A JSON-RPC error to send back.
#[derive(Debug)]
pub(crate) struct RpcError {
    pub code: i64,
    pub message: String,
}

impl RpcError {
    pub fn new(code: i64, message: impl Into<String>) -> RpcError {
        RpcError {
            code,
            message: message.into(),
        }
    }

    pub fn params(message: impl Into<String>) -> RpcError {
        RpcError::new(INVALID_PARAMS, message)
    }
}

/// Serves until stdin ends (Claude Code closes it to stop us) or stdout is closed.
pub fn serve(input: &mut dyn BufRead, out: &mut dyn Write, project: Option<&Path>) -> Result<()> {
    // A panic is answered as an internal error; its message goes to stderr, never stdout.
    std::panic::set_hook(Box::new(|info| {
        eprintln!("claude-session mcp: internal failure: {info}");
    }));
    let server = Server {
        project: project.map(Path::to_path_buf),
    };
    let mut buffer = Vec::new();
    loop {
        buffer.clear();
        let reply = match read_message(input, &mut buffer) {
            Ok(Read::End) => return Ok(()),
            Ok(Read::TooLong) => Some(error_reply(
                Value::Null,
                &RpcError::new(
                    PARSE_ERROR,
                    format!("parse error: a message longer than {MAX_MESSAGE} bytes"),
                ),
            )),
            Ok(Read::Line) if buffer.iter().all(u8::is_ascii_whitespace) => None,
            Ok(Read::Line) => server.handle(&buffer),
            Err(e) => return Err(Error::io("read", "standard input", e)),
        };
        if let Some(reply) = reply
            && !send(out, &reply)?
        {
            return Ok(());
        }
    }
}

enum Read {
    Line,
    TooLong,
    End,
}

/// Reads one line (without its newline) into `buffer`; a line over [`MAX_MESSAGE`] is read to
/// its end and dropped.
fn read_message(input: &mut dyn BufRead, buffer: &mut Vec<u8>) -> std::io::Result<Read> {
    let mut too_long = false;
    let mut any = false;
    loop {
        let available = match input.fill_buf() {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if available.is_empty() {
            return Ok(match (any, too_long) {
                (false, _) => Read::End,
                (true, true) => Read::TooLong,
                (true, false) => Read::Line,
            });
        }
        any = true;
        let (chunk, done) = match available.iter().position(|b| *b == b'\n') {
            Some(at) => (&available[..at], Some(at + 1)),
            None => (available, None),
        };
        if !too_long {
            if buffer.len() + chunk.len() > MAX_MESSAGE {
                too_long = true;
                buffer.clear();
            } else {
                buffer.extend_from_slice(chunk);
            }
        }
        let used = done.unwrap_or(available.len());
        input.consume(used);
        if done.is_some() {
            return Ok(if too_long { Read::TooLong } else { Read::Line });
        }
    }
}

/// Writes one message as a line; `false` when the client closed stdout (nobody is listening).
fn send(out: &mut dyn Write, message: &Value) -> Result<bool> {
    let mut line = serde_json::to_vec(message)
        .map_err(|e| Error::invalid(format!("cannot serialise a reply: {e}"), "mcp"))?;
    line.push(b'\n');
    match out.write_all(&line).and_then(|()| out.flush()) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == ErrorKind::BrokenPipe => Ok(false),
        Err(e) => Err(Error::io("write", "standard output", e)),
    }
}

fn result_reply(id: Value, result: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "result": result})
}

fn error_reply(id: Value, error: &RpcError) -> Value {
    json!({
        "jsonrpc": "2.0",
        "id": id,
        "error": {"code": error.code, "message": error.message},
    })
}

impl Server {
    /// The reply to one message, or `None` for a notification or a response.
    fn handle(&self, bytes: &[u8]) -> Option<Value> {
        let message = match serde_json::from_slice::<Value>(bytes) {
            Ok(Value::Object(message)) => message,
            Ok(Value::Array(_)) => {
                return Some(error_reply(
                    Value::Null,
                    &RpcError::new(
                        INVALID_REQUEST,
                        "invalid request: batches are not part of MCP; send one message per line",
                    ),
                ));
            }
            Ok(_) => {
                return Some(error_reply(
                    Value::Null,
                    &RpcError::new(INVALID_REQUEST, "invalid request: not a JSON object"),
                ));
            }
            Err(e) => {
                return Some(error_reply(
                    Value::Null,
                    &RpcError::new(PARSE_ERROR, format!("parse error: {e}")),
                ));
            }
        };
        let id = match message.get("id") {
            None => None,
            Some(id @ (Value::String(_) | Value::Number(_))) => Some(id.clone()),
            Some(_) => {
                return Some(error_reply(
                    Value::Null,
                    &RpcError::new(
                        INVALID_REQUEST,
                        "invalid request: `id` must be a string or a number",
                    ),
                ));
            }
        };
        let method = match message.get("method") {
            Some(Value::String(method)) => method.as_str(),
            // A response to a request of ours (we send none) or something else without a method.
            None if message.contains_key("result") || message.contains_key("error") => {
                return None;
            }
            _ => {
                let error = RpcError::new(INVALID_REQUEST, "invalid request: no `method` string");
                return Some(error_reply(id.unwrap_or(Value::Null), &error));
            }
        };
        // A notification (no id) is never answered, not even with an error.
        let id = id?;
        if message.get("jsonrpc").and_then(Value::as_str) != Some("2.0") {
            let error = RpcError::new(
                INVALID_REQUEST,
                "invalid request: `jsonrpc` must be \"2.0\"",
            );
            return Some(error_reply(id, &error));
        }
        let params = match message.get("params") {
            None | Some(Value::Null) => Map::new(),
            Some(Value::Object(params)) => params.clone(),
            Some(_) => {
                let error = RpcError::params(format!("`params` must be an object ({method})"));
                return Some(error_reply(id, &error));
            }
        };
        let answer = catch_unwind(AssertUnwindSafe(|| self.dispatch(method, &params)))
            .unwrap_or_else(|panic| {
                let what = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown panic".to_string());
                Err(RpcError::new(
                    INTERNAL_ERROR,
                    format!("internal failure: {what} ({method})"),
                ))
            });
        Some(match answer {
            Ok(result) => result_reply(id, result),
            Err(error) => error_reply(id, &error),
        })
    }

    fn dispatch(&self, method: &str, params: &Map<String, Value>) -> Result<Value, RpcError> {
        match method {
            "initialize" => Ok(initialize(params)),
            "ping" => Ok(json!({})),
            "tools/list" => Ok(json!({"tools": tools::list()})),
            "tools/call" => tools::call(self.project.as_deref(), params),
            other => Err(RpcError::new(
                METHOD_NOT_FOUND,
                format!("method not found: `{other}`"),
            )),
        }
    }
}

/// The answer to `initialize`: the client's protocol version when we know it, else ours.
fn initialize(params: &Map<String, Value>) -> Value {
    let asked = params.get("protocolVersion").and_then(Value::as_str);
    let version = asked
        .filter(|v| SUPPORTED_VERSIONS.contains(v))
        .unwrap_or(PROTOCOL_VERSION);
    json!({
        "protocolVersion": version,
        "capabilities": {"tools": {"listChanged": false}},
        "serverInfo": {
            "name": crate::settings::BINARY_NAME,
            "title": "claude-session: unlosable coding sessions",
            "version": env!("CARGO_PKG_VERSION"),
        },
        "instructions": INSTRUCTIONS,
    })
}
