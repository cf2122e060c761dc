//! The tools: their definitions (`tools/list`) and their calls (`tools/call`). Each call checks
//! its arguments (a JSON-RPC error naming the parameter), builds the ops request the CLI builds,
//! calls the same verb, and answers with the outcome's `--json` document as `structuredContent`
//! and the CLI's human text as the text content; a verb's failure is a result with `isError`.
//!
//! Claude Code (2.1.197 and 2.1.332, checked offline) hands the model the `structuredContent`
//! JSON in place of the text when a result has both, and cuts tool output at about 25,000
//! tokens. So no tool declares an `outputSchema` (which would make `structuredContent`
//! mandatory), and a document over [`MAX_STRUCTURED`] bytes (an `end` of a session with
//! thousands of artifacts) is left out: the model then reads the short text instead.
//!
//! The first six are the seed's "MCP Tools Reference" (names and parameters kept); the others
//! are the rest of what the CLI does that a model needs.

use super::params::Params;
use super::{INVALID_PARAMS, RpcError};
use crate::env::Env;
use crate::error::{Error, Result};
use crate::ops;
use crate::render::{self, Human};
use crate::session::Action;
use serde::Serialize;
use serde_json::{Map, Value, json};
use std::path::{Path, PathBuf};

/// One tool as `tools/list` shows it.
struct Tool {
    name: &'static str,
    title: &'static str,
    description: &'static str,
    /// Its parameters (name, JSON schema), `project_path` added to every tool.
    params: Vec<(&'static str, Value)>,
    required: &'static [&'static str],
    read_only: bool,
    destructive: bool,
    idempotent: bool,
    /// The CLI command it corresponds to (the `command` of its document).
    command: &'static str,
}

fn string(description: &str) -> Value {
    json!({"type": "string", "description": description})
}

fn boolean(description: &str) -> Value {
    json!({"type": "boolean", "description": description})
}

const SESSION_ID: &str = "Session id, unique prefix (`2025-10-25-session-001`) or today's number \
(`007`); default: the session of this conversation, else the project's only open session.";

fn session_id() -> (&'static str, Value) {
    ("session_id", string(SESSION_ID))
}

fn tools() -> Vec<Tool> {
    vec![
        Tool {
            name: "session_start",
            title: "Start a work session",
            description: "Start a claude-session work session for what the user is about to work \
on (a feature, a bug fix, a refactor): creates the session workspace, binds it to this \
conversation, and returns the session id, the workspace and where the repository stands (branch, \
uncommitted files, recent commits). Call it when the user begins a piece of work and no session is \
active (see session_status). When a session is paused in this project it is resumed instead (its \
own focus kept) unless `new` is true. Afterwards hooks record every file edit, subagent task and \
prompt by themselves.",
            params: vec![
                (
                    "focus",
                    string(
                        "What the session is about, in a few words, e.g. \"authentication feature\".",
                    ),
                ),
                (
                    "agent",
                    string("The AI agent doing the work (default \"claude\")."),
                ),
                (
                    "metadata",
                    json!({"type": "object", "description": "Additional key/value metadata, kept in the session's session.yaml under `metadata`."}),
                ),
                (
                    "new",
                    boolean(
                        "Start a new session even when one is paused (the paused one stays paused). Default false.",
                    ),
                ),
                (
                    "objectives",
                    json!({"type": "array", "items": {"type": "string"}, "description": "The session's objectives, when the user gave some: the workspace's plan.md is written with one task per objective and markers for you to fill (agent, estimated time, dependencies, success criteria, test cases)."}),
                ),
            ],
            required: &["focus"],
            read_only: false,
            destructive: false,
            idempotent: false,
            command: "start",
        },
        Tool {
            name: "session_checkpoint",
            title: "Checkpoint the session's files",
            description: "Create a checkpoint: byte-exact snapshots of the files the session \
touched plus everything git sees modified or untracked (or only `files_to_snapshot`), restorable \
later with session_restore_checkpoint. Take one before a risky change or a refactor, after a \
milestone (a feature done, tests passing), and every 30-60 minutes of work. Returns the \
checkpoint id, the files copied and their size.",
            params: vec![
                (
                    "description",
                    string(
                        "What this checkpoint marks, e.g. \"auth logic implemented, tests pass\".",
                    ),
                ),
                (
                    "files_to_snapshot",
                    json!({"type": "array", "items": {"type": "string"}, "description": "Snapshot only these files or folders (paths relative to the project root) instead of the default set."}),
                ),
                session_id(),
            ],
            required: &["description"],
            read_only: false,
            destructive: false,
            idempotent: false,
            command: "checkpoint",
        },
        Tool {
            name: "session_track_artifact",
            title: "Record a file the session changed",
            description: "Record a file the session created or modified in its artifact list \
(checkpoints and the final summary include it). Edits made with Write, Edit or NotebookEdit are \
recorded by hooks already: call this for files changed another way (a shell command, a code \
generator, a download). A missing file, a folder or a file outside the project is refused.",
            params: vec![
                (
                    "file_path",
                    string(
                        "The file, relative to the project root (or absolute, inside the project).",
                    ),
                ),
                (
                    "action",
                    json!({"type": "string", "enum": ["created", "modified"], "description": "\"created\" or \"modified\"; default: created when git does not track the file, else modified."}),
                ),
                session_id(),
            ],
            required: &["file_path"],
            read_only: false,
            destructive: false,
            idempotent: true,
            command: "track",
        },
        Tool {
            name: "session_end",
            title: "End and archive the session (destructive)",
            description: "End the session for good and archive it. DESTRUCTIVE: an ended session \
cannot be resumed (use session_pause to stop for now). Writes the final summary, computes the \
metrics (active minutes, files created and modified, checkpoints), moves the workspace to the \
archive, writes its ZIP backup (unless create_backup is false) and logs it in the day's session \
summary; also writes completed.md and review.md (completion rate, quality score, time efficiency) \
and the session record backups/sessions/<id>.json. Calling it is the approval: first show the user \
the summary and the numbers and ask \"Archive this session? (yes/no)\"; call it only after a yes. \
Call it when the user wraps up the piece of work: commit the work first, then pass a summary and an \
honest RULEMAP score.",
            params: vec![
                (
                    "rulemap_score",
                    json!({"type": "number", "minimum": 0, "maximum": 10, "description": "RULEMAP score, 0 to 10: a self-assessment of how well the session followed the project's rules (its CLAUDE.md, conventions, tests). Left out when not given."}),
                ),
                (
                    "summary",
                    string(
                        "The final summary in markdown: what was done, decisions taken, what is left.",
                    ),
                ),
                (
                    "create_backup",
                    json!({"type": "boolean", "default": true, "description": "Write the session's ZIP backup (default true)."}),
                ),
                session_id(),
            ],
            required: &[],
            read_only: false,
            destructive: true,
            idempotent: false,
            command: "end",
        },
        Tool {
            name: "session_list_active",
            title: "List open sessions",
            description: "List the project's open sessions (active and paused) with their focus, \
status, start, active minutes, files created and modified, and checkpoints. Read-only.",
            params: vec![],
            required: &[],
            read_only: true,
            destructive: false,
            idempotent: true,
            command: "list",
        },
        Tool {
            name: "create_daily_backup",
            title: "Back up the whole project",
            description: "Back up the whole project (its files as git sees them, and its sessions) \
into backups/daily/<date>/: two ZIP archives and a manifest. A second call on the same day with \
nothing changed writes nothing and says so. Use it at the end of a working day or before large \
changes.",
            params: vec![],
            required: &[],
            read_only: false,
            destructive: false,
            idempotent: true,
            command: "backup daily",
        },
        Tool {
            name: "session_status",
            title: "Session status",
            description: "Show this project's open sessions with live metrics: status (active or \
paused), focus, active minutes, files touched, checkpoints. Call it to find out whether a session \
is running before starting one or ending one. Read-only.",
            params: vec![],
            required: &[],
            read_only: true,
            destructive: false,
            idempotent: true,
            command: "status",
        },
        Tool {
            name: "session_pause",
            title: "Pause the session",
            description: "Pause the session to continue later, in this or a new conversation: \
writes a context file with your summary and next steps plus the git state (branch, uncommitted \
files, recent commits), the artifacts and recent prompts, and a pause record, so that \
session_resume (or /resume) continues exactly here. Call it when the user stops for now (a \
break, the end of the day, switching tasks). Nothing is archived.",
            params: vec![
                (
                    "summary",
                    string(
                        "What was done and what is in progress, in markdown (sections such as ## Summary, ## Accomplished, ## In progress, ## Open questions).",
                    ),
                ),
                (
                    "next_steps",
                    json!({"type": "array", "items": {"type": "string"}, "description": "The next steps, in order."}),
                ),
                ("note", string("A short note for whoever resumes.")),
                session_id(),
            ],
            required: &["summary"],
            read_only: false,
            destructive: false,
            idempotent: false,
            command: "pause",
        },
        Tool {
            name: "session_resume",
            title: "Resume the paused session",
            description: "Resume the paused session of this project: checks the git branch, \
returns the saved context (summary, next steps, note, uncommitted files) and makes the session \
active again, bound to this conversation. When the current branch differs from the one it was \
paused on, it reports the mismatch and changes nothing: call it again with on_branch_mismatch \
\"switch\" (check out the paused branch; refused with uncommitted changes) or \"stay\".",
            params: vec![
                session_id(),
                (
                    "on_branch_mismatch",
                    json!({"type": "string", "enum": ["ask", "switch", "stay"], "default": "ask", "description": "What to do when the branch differs: \"ask\" (report and stop, the default), \"switch\" or \"stay\"."}),
                ),
            ],
            required: &[],
            read_only: false,
            destructive: false,
            idempotent: false,
            command: "resume",
        },
        Tool {
            name: "session_checkpoints",
            title: "List a session's checkpoints",
            description: "List a session's checkpoints (id, time, description, kind, files and \
bytes), oldest first, to pick one for session_restore_checkpoint. Read-only.",
            params: vec![session_id()],
            required: &[],
            read_only: true,
            destructive: false,
            idempotent: true,
            command: "checkpoints",
        },
        Tool {
            name: "session_restore_checkpoint",
            title: "Restore a checkpoint (destructive with in_place)",
            description: "Restore a checkpoint's files. A dry run by default (dry_run defaults to \
true): it reports what would be written and changes nothing. With dry_run false the files go \
into a new folder under the project's claude-session state (the project is not touched); with \
in_place true as well they go back into the project itself. DESTRUCTIVE with in_place and \
dry_run false: project files are overwritten (after a safety checkpoint of what they replace, \
which can be restored in turn). Never touches git's index, HEAD or branches.",
            params: vec![
                (
                    "checkpoint",
                    string(
                        "Checkpoint id, unique prefix or number, as session_checkpoints lists them.",
                    ),
                ),
                session_id(),
                (
                    "in_place",
                    json!({"type": "boolean", "default": false, "description": "Put the files back into the project (default false: into a new folder)."}),
                ),
                (
                    "dry_run",
                    json!({"type": "boolean", "default": true, "description": "Only report what would change (default true). Set false to write."}),
                ),
            ],
            required: &["checkpoint"],
            read_only: false,
            destructive: true,
            idempotent: false,
            command: "restore checkpoint",
        },
        Tool {
            name: "handoff_export",
            title: "Export a handoff prompt for claude.ai",
            description: "Export a self-contained transfer prompt of the session for claude.ai \
(secrets redacted): the focus, summary, next steps, git state and recent work, within max_bytes. \
The prompt is in the result and kept as a handoff item; `claude-session handoff import` takes \
claude.ai's answer back, and the next start or resume shows it.",
            params: vec![(
                "max_bytes",
                json!({"type": "integer", "minimum": 1024, "description": format!("Size limit of the prompt in bytes (default {}).", crate::handoff::DEFAULT_MAX_BYTES)}),
            )],
            required: &[],
            read_only: false,
            destructive: false,
            idempotent: false,
            command: "handoff export",
        },
        Tool {
            name: "memory_store",
            title: "Remember something for later sessions",
            description: "Add an entry to the project's memory (markdown files under the \
project's claude-session state, which later sessions are shown at start when relevant to their \
focus): an architecture fact, a decision and why, an error and its fix, or a learned pattern \
(what was tried, how it went, the lessons). The text's first line is its title. Store what a \
later session would otherwise have to rediscover; never secrets. Returns the entry with its id.",
            params: vec![
                (
                    "kind",
                    json!({"type": "string", "enum": ["architecture", "pattern", "decision", "error"], "description": "What it is: \"architecture\", \"pattern\", \"decision\" or \"error\"."}),
                ),
                (
                    "text",
                    string(
                        "The entry: its first line is the title, the rest the explanation (markdown).",
                    ),
                ),
                (
                    "tags",
                    json!({"type": "array", "items": {"type": "string"}, "description": "Tags (search weighs them most), e.g. [\"auth\", \"jwt\"]."}),
                ),
                ("approach", string("A pattern's approach: what was done.")),
                ("outcome", string("A pattern's outcome: how it went.")),
                (
                    "lessons",
                    json!({"type": "array", "items": {"type": "string"}, "description": "A pattern's lessons, one per item."}),
                ),
            ],
            required: &["kind", "text"],
            read_only: false,
            destructive: false,
            idempotent: false,
            command: "memory add",
        },
        Tool {
            name: "memory_search",
            title: "Search the project's memory",
            description: "Search the project's memory (architecture, patterns, decisions, \
errors recorded by earlier sessions) for words: entries ranked by where the words appear (tags \
over titles over text, rarer words counting more), best first, newest first on a tie. Call it \
before deciding something the project may have decided already, or when an error looks \
familiar. Read-only.",
            params: vec![
                (
                    "query",
                    string("Words to look for, e.g. \"auth token expiry\"."),
                ),
                (
                    "limit",
                    json!({"type": "integer", "minimum": 1, "maximum": 100, "description": format!("At most this many entries (default {}).", ops::memory::DEFAULT_LIMIT)}),
                ),
            ],
            required: &["query"],
            read_only: true,
            destructive: false,
            idempotent: true,
            command: "memory search",
        },
    ]
}

/// The largest `structuredContent` sent, serialized.
pub const MAX_STRUCTURED: usize = 16 * 1024;

const PROJECT_PATH: &str = "The project's folder (default: this conversation's project, \
$CLAUDE_PROJECT_DIR, else the server's working directory).";

impl Tool {
    fn param_names(&self) -> Vec<&'static str> {
        let mut names: Vec<&'static str> = self.params.iter().map(|(name, _)| *name).collect();
        names.push("project_path");
        names
    }

    fn definition(&self) -> Value {
        let mut properties = Map::new();
        for (name, schema) in &self.params {
            properties.insert((*name).to_string(), schema.clone());
        }
        properties.insert("project_path".to_string(), string(PROJECT_PATH));
        json!({
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "inputSchema": {
                "type": "object",
                "properties": properties,
                "required": self.required,
                "additionalProperties": false,
            },
            "annotations": {
                "title": self.title,
                "readOnlyHint": self.read_only,
                "destructiveHint": self.destructive,
                "idempotentHint": self.idempotent,
                "openWorldHint": false,
            },
        })
    }
}

/// `tools/list`'s tools.
pub fn list() -> Vec<Value> {
    tools().iter().map(Tool::definition).collect()
}

/// Where a call acts: its project folder, resolved when the verb runs.
struct Call<'a> {
    project_path: Option<String>,
    /// `--project` of the server.
    default_dir: Option<&'a Path>,
    command: &'static str,
}

impl Call<'_> {
    /// The verbs' environment for this call: the project folder is `project_path` (relative to
    /// the default), else `--project`, else `$CLAUDE_PROJECT_DIR`, else the working directory.
    fn env(&self) -> Result<Env> {
        let default = match self.default_dir {
            Some(dir) => dir.to_path_buf(),
            None => match std::env::var_os("CLAUDE_PROJECT_DIR").filter(|d| !d.is_empty()) {
                Some(dir) => PathBuf::from(dir),
                None => std::env::current_dir()
                    .map_err(|e| Error::io("read the current directory", ".", e))?,
            },
        };
        let dir = match &self.project_path {
            Some(path) => default.join(path),
            None => default,
        };
        let mut env = Env::for_command(Some(&dir))?;
        env.command = self.command.to_string();
        Ok(env)
    }
}

/// The conversation this server serves, read again on every call: Claude Code gives it in
/// `CLAUDE_CODE_SESSION_ID`. `None` when absent or not usable as an id.
fn conversation() -> Option<String> {
    std::env::var(ops::pick::CLAUDE_SESSION_ENV)
        .ok()
        .map(|id| id.trim().to_string())
        .filter(|id| crate::registry::valid_claude_id(id))
}

/// A tool's answer: its document and its text.
struct Reply {
    doc: Value,
    text: String,
}

fn reply<T: Serialize + Human + ?Sized>(command: &str, outcome: &T) -> Result<Reply> {
    Ok(Reply {
        doc: render::json_value(command, outcome)?,
        text: outcome.human(),
    })
}

/// `tools/call`.
pub fn call(default_dir: Option<&Path>, params: &Map<String, Value>) -> Result<Value, RpcError> {
    let name = match params.get("name") {
        Some(Value::String(name)) => name.as_str(),
        Some(_) => return Err(RpcError::params("`name` must be a string (tools/call)")),
        None => return Err(RpcError::params("missing parameter `name` (tools/call)")),
    };
    let empty = Map::new();
    let args = match params.get("arguments") {
        None | Some(Value::Null) => &empty,
        Some(Value::Object(args)) => args,
        Some(_) => {
            return Err(RpcError::params(format!(
                "`arguments` must be an object ({name})"
            )));
        }
    };
    let tools = tools();
    let Some(tool) = tools.iter().find(|t| t.name == name) else {
        let known: Vec<&str> = tools.iter().map(|t| t.name).collect();
        return Err(RpcError::new(
            INVALID_PARAMS,
            format!(
                "unknown tool `{name}` (the tools are: {})",
                known.join(", ")
            ),
        ));
    };
    let p = Params::new(tool.name, args, &tool.param_names())?;
    let call = Call {
        project_path: p.string("project_path")?,
        default_dir,
        command: tool.command,
    };
    let outcome = run(tool.name, &p, &call)?;
    Ok(match outcome {
        Ok(reply) => {
            let size = serde_json::to_string(&reply.doc).map_or(usize::MAX, |s| s.len());
            let mut result = json!({"content": [{"type": "text", "text": reply.text}]});
            if size <= MAX_STRUCTURED {
                result["structuredContent"] = reply.doc;
            }
            result
        }
        Err(error) => json!({
            "content": [{"type": "text", "text": format!("claude-session: {}", error.one_line())}],
            "structuredContent": render::json_error_value(tool.command, &error),
            "isError": true,
        }),
    })
}

/// Checks the arguments (an `RpcError` when they are wrong), then runs the verb (its `Error`
/// becomes a tool error).
fn run(tool: &str, p: &Params, call: &Call) -> Result<Result<Reply>, RpcError> {
    let command = call.command;
    Ok(match tool {
        "session_start" => {
            let request = ops::start::StartRequest {
                focus: p.required_string("focus")?,
                agent: p
                    .string("agent")?
                    .filter(|a| !a.trim().is_empty())
                    .unwrap_or_else(|| "claude".to_string()),
                claude_session: conversation(),
                new: p.boolean("new")?.unwrap_or(false),
                metadata: p.object("metadata")?,
                objectives: p
                    .strings("objectives")?
                    .into_iter()
                    .map(|o| o.trim().to_string())
                    .filter(|o| !o.is_empty())
                    .collect(),
            };
            call.env()
                .and_then(|env| ops::start::start(&env, &request))
                .and_then(|o| reply(command, &o))
        }
        "session_checkpoint" => {
            let request = ops::checkpoint::CheckpointRequest {
                description: p.required_string("description")?,
                files: p
                    .strings("files_to_snapshot")?
                    .into_iter()
                    .map(PathBuf::from)
                    .collect(),
                session: p.string("session_id")?,
            };
            call.env()
                .and_then(|env| ops::checkpoint::checkpoint(&env, &request))
                .and_then(|o| reply(command, &o))
        }
        "session_track_artifact" => {
            let request = ops::track::TrackRequest {
                file: PathBuf::from(p.required_string("file_path")?),
                action: p
                    .choice("action", &["created", "modified"])?
                    .map(|a| match a.as_str() {
                        "created" => Action::Created,
                        _ => Action::Modified,
                    }),
                session: p.string("session_id")?,
                outside: false,
            };
            call.env()
                .and_then(|env| ops::track::track(&env, &request))
                .and_then(|o| reply(command, &o))
        }
        "session_end" => {
            let request = ops::end::EndRequest {
                session: p.string("session_id")?,
                claude_session: conversation(),
                score: p.number("rulemap_score", 0.0, 10.0)?,
                summary: p.string("summary")?,
                no_backup: !p.boolean("create_backup")?.unwrap_or(true),
                push: false,
                handoff: false,
            };
            call.env()
                .and_then(|env| ops::end::end(&env, &request))
                .and_then(|o| reply(command, &o))
        }
        "session_list_active" => call
            .env()
            .and_then(|env| ops::list::list(&env, &ops::list::ListRequest::default()))
            .and_then(|o| reply(command, &o)),
        "create_daily_backup" => call
            .env()
            .and_then(|env| ops::backup::daily(&env, &mut |_| {}))
            .and_then(|o| reply(command, &o)),
        "session_status" => call
            .env()
            .and_then(|env| ops::list::status(&env, &ops::list::StatusRequest::default()))
            .and_then(|o| reply(command, &o)),
        "session_pause" => {
            let summary = pause_summary(&p.required_string("summary")?, &p.strings("next_steps")?);
            let request = ops::pause::PauseRequest {
                session: p.string("session_id")?,
                claude_session: conversation(),
                summary: Some(summary),
                note: p.string("note")?,
                wip_commit: false,
                handoff: false,
                full: false,
            };
            call.env()
                .and_then(|env| ops::pause::pause(&env, &request))
                .and_then(|o| reply(command, &o))
        }
        "session_resume" => {
            let on_mismatch = match p
                .choice("on_branch_mismatch", &["ask", "switch", "stay"])?
                .as_deref()
            {
                Some("switch") => ops::resume::OnMismatch::Switch,
                Some("stay") => ops::resume::OnMismatch::Stay,
                _ => ops::resume::OnMismatch::Ask,
            };
            let request = ops::resume::ResumeRequest {
                session: p.string("session_id")?,
                on_mismatch,
                claude_session: conversation(),
            };
            call.env()
                .and_then(|env| ops::resume::resume(&env, &request))
                .and_then(|o| reply(command, &o))
        }
        "session_checkpoints" => {
            let request = ops::checkpoint::CheckpointsRequest {
                session: p.string("session_id")?,
            };
            call.env()
                .and_then(|env| ops::checkpoint::list(&env, &request))
                .and_then(|o| reply(command, &o))
        }
        "session_restore_checkpoint" => {
            let checkpoint = p.required_string("checkpoint")?;
            let session = p.string("session_id")?;
            let in_place = p.boolean("in_place")?.unwrap_or(false);
            let dry_run = p.boolean("dry_run")?.unwrap_or(true);
            call.env()
                .and_then(|env| {
                    let session = match session {
                        Some(session) => session,
                        None => {
                            let project = env.project()?;
                            let claude = conversation();
                            ops::pick::open_for(&env, &project, None, claude.as_deref())?.id
                        }
                    };
                    let request = ops::restore::RestoreCheckpointRequest {
                        session,
                        checkpoint,
                        to: None,
                        in_place,
                        dry_run,
                        force: false,
                    };
                    ops::restore::restore_checkpoint(&env, &request)
                })
                .and_then(|o| reply(command, &o))
        }
        "handoff_export" => {
            let max_bytes = p
                .integer("max_bytes", 1024, 16 * 1024 * 1024)?
                .map_or(crate::handoff::DEFAULT_MAX_BYTES, |n| n as usize);
            let request = ops::handoff::ExportRequest {
                max_bytes,
                output: None,
                clipboard: false,
            };
            call.env()
                .and_then(|env| ops::handoff::export(&env, &request))
                .and_then(|o| {
                    let mut answer = reply(command, &o)?;
                    // The CLI prints the prompt alone on stdout: here it follows the report.
                    answer.text = format!("{}\n{}", answer.text.trim_end(), o.exported.prompt);
                    Ok(answer)
                })
        }
        "memory_store" => {
            let kind = p
                .choice("kind", &["architecture", "pattern", "decision", "error"])?
                .and_then(|k| crate::memory::Kind::parse(&k))
                .ok_or_else(|| p.missing("kind"))?;
            let request = ops::memory::AddRequest {
                kind,
                text: p.required_string("text")?,
                tags: p.strings("tags")?,
                approach: p.string("approach")?,
                outcome: p.string("outcome")?,
                lessons: p.strings("lessons")?,
                claude_session: conversation(),
            };
            call.env()
                .and_then(|env| ops::memory::add(&env, &request))
                .and_then(|o| reply(command, &o))
        }
        "memory_search" => {
            let request = ops::memory::SearchRequest {
                query: p.required_string("query")?,
                limit: p
                    .integer("limit", 1, 100)?
                    .map_or(ops::memory::DEFAULT_LIMIT, |n| n as usize),
            };
            call.env()
                .and_then(|env| ops::memory::search(&env, &request))
                .and_then(|o| reply(command, &o))
        }
        other => Err(Error::invalid("a tool without a verb", other)),
    })
}

/// The pause summary: the text given (under `## Summary` unless it has its own sections), then
/// the next steps as a list.
fn pause_summary(summary: &str, next_steps: &[String]) -> String {
    let summary = summary.trim();
    let mut text = if summary.is_empty() || summary.starts_with('#') || summary.contains("\n## ") {
        summary.to_string()
    } else {
        format!("## Summary\n\n{summary}")
    };
    let steps: Vec<&str> = next_steps
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect();
    if !steps.is_empty() {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        text.push_str("## Next steps\n\n");
        for step in steps {
            text.push_str(&format!("- {step}\n"));
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pause_summary_gets_its_sections() {
        assert_eq!(
            pause_summary("did x", &["a".into(), " ".into(), "b".into()]),
            "## Summary\n\ndid x\n\n## Next steps\n\n- a\n- b\n"
        );
        assert_eq!(pause_summary("## Summary\n\nx", &[]), "## Summary\n\nx");
        assert_eq!(pause_summary("", &[]), "");
    }

    #[test]
    fn every_tool_has_a_verb_and_a_schema_of_its_parameters() {
        for tool in tools() {
            let def = tool.definition();
            let props = def["inputSchema"]["properties"].as_object().unwrap();
            assert_eq!(props.len(), tool.param_names().len(), "{}", tool.name);
            for required in tool.required {
                assert!(props.contains_key(*required), "{}: {required}", tool.name);
            }
            assert!(!tool.description.is_empty());
        }
    }
}
