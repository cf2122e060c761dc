//! `claude-session hook <name>`: what Claude Code runs on its events.
//!
//! The contract: read stdin to the end, exit 0 whatever happens (2 would block Claude), print on
//! stdout only context meant for the model, and put every failure as one line in the rotated
//! `hooks.log`. Handlers return errors; [`run`] turns errors and panics into log lines.
//!
//! `post-edit`, `pre-task`, `post-task`, `subagent-stop`, `post-todo`, `task-created`,
//! `task-completed` and `prompt` are the hot path: no child processes, no git, no YAML; one
//! append to a journal (see [`route`]).

mod compact;
mod edit;
mod end;
mod prompt;
pub mod route;
mod start;
mod stop;
mod task;
mod todo;
pub mod wire;

use crate::clock;
pub use crate::env::Env;
use crate::error::{Error, Result};
use crate::hooklog;
use crate::paths::Layout;
use std::ffi::OsString;
use std::io::{IsTerminal, Read, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::process::ExitCode;
use std::time::{Duration, Instant};
use wire::Payload;

/// The hooks `hooks/hooks.json` registers, in the order of the issue's table.
pub const NAMES: &[&str] = &[
    "post-edit",
    "pre-task",
    "post-task",
    "session-start",
    "session-end",
    "pre-compact",
    "prompt",
    "stop",
    "subagent-stop",
    "post-todo",
    "task-created",
    "task-completed",
];

/// Hidden mode: the detached half of `session-end` (token count, auto-pause).
pub const END_WORKER: &str = "session-end-worker";

/// Largest payload read into memory; the rest is read and dropped so Claude Code never blocks
/// on a full pipe.
const MAX_INPUT: u64 = 64 * 1024 * 1024;

/// Longest message of one hook log line, in bytes.
const MAX_LOG_MESSAGE: usize = 4096;

/// What a handler did.
#[derive(Debug)]
pub enum Outcome {
    /// Done; with the text for stdout, if any.
    Done(Option<String>),
    /// Nothing to do for this input (wrong event or tool); logged, not an error for Claude.
    Ignored(String),
    /// Done as far as possible (the text is printed), but some steps failed (logged).
    Partial(Option<String>, String),
    /// Done (the text is printed), with a note for the log: what was skipped or cut.
    Noted(Option<String>, String),
}

impl Outcome {
    pub fn quiet() -> Outcome {
        Outcome::Done(None)
    }
}

/// `Some(Ignored)` when the payload names an event that `name` does not handle.
fn expect_event(name: &str, payload: &Payload, expected: &str) -> Option<Outcome> {
    let event = payload.event();
    (!event.is_empty() && event != expected)
        .then(|| Outcome::Ignored(format!("`{name}` handles {expected} events, not {event}")))
}

/// The JSON Claude Code reads as added context (SessionStart, UserPromptSubmit).
pub fn context_output(event: &str, text: &str) -> String {
    let value = serde_json::json!({
        "hookSpecificOutput": {
            "hookEventName": event,
            "additionalContext": text,
        }
    });
    format!("{value}\n")
}

/// The fast entry point: `main` calls it when argv[1] is `hook`, before any argument parsing.
pub fn main(args: &[OsString]) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    run(args, &mut stdout);
    ExitCode::SUCCESS
}

/// Runs `hook <args>`: never fails, never panics outward; failures go to the hook log.
pub fn run(args: &[OsString], out: &mut dyn Write) {
    let started = Instant::now();
    // A panic is logged below; the default hook would also print it where Claude shows it.
    std::panic::set_hook(Box::new(|_| {}));
    let name = args
        .first()
        .map(|a| a.to_string_lossy().into_owned())
        .unwrap_or_default();
    let rest = args.get(1..).unwrap_or_default();
    crate::surface::set(crate::surface::for_hook(
        rest.iter().any(|a| a == crate::surface::PLUGIN_FLAG),
    ));
    let mut event = String::new();
    let mut notes = None;
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        // Stdin first: Claude Code must never block writing to us, whatever fails next.
        let input = read_input();
        let layout = Layout::from_env()?;
        let env = Env::for_hook(layout);
        let outcome = dispatch(&env, &name, rest, input, &mut event, &mut notes);
        Ok::<_, Error>((env, outcome))
    }));
    let print = |out: &mut dyn Write, text: Option<String>| {
        if let Some(text) = text {
            // A closed stdout (Claude Code gave up waiting) loses nothing of ours.
            let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
        }
    };
    let (env, mut message) = match outcome {
        Ok(Ok((_, Ok(Outcome::Done(text))))) if notes.is_none() => {
            print(out, text);
            return;
        }
        Ok(Ok((env, Ok(Outcome::Done(text))))) => {
            print(out, text);
            (
                Some(env),
                format!("note: {}", notes.take().unwrap_or_default()),
            )
        }
        Ok(Ok((env, Ok(Outcome::Noted(text, note))))) => {
            print(out, text);
            (Some(env), format!("note: {note}"))
        }
        Ok(Ok((env, Ok(Outcome::Partial(text, trouble))))) => {
            print(out, text);
            (Some(env), format!("error: {trouble}"))
        }
        Ok(Ok((env, Ok(Outcome::Ignored(why))))) => (Some(env), format!("ignored: {why}")),
        Ok(Ok((env, Err(e)))) => (Some(env), format!("error: {e}")),
        Ok(Err(e)) => (None, format!("error: {e}")),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            (None, format!("error: internal failure: {what}"))
        }
    };
    if let Some(notes) = notes {
        message.push_str(&format!("; note: {notes}"));
    }
    let env = env.or_else(|| Layout::from_env().ok().map(Env::for_hook));
    log_failure(env.as_ref(), &name, &event, &message, started.elapsed());
}

fn log_failure(env: Option<&Env>, name: &str, event: &str, message: &str, took: Duration) {
    let time = clock::now_for_log()
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    let name = if name.is_empty() { "(none)" } else { name };
    let event = if event.is_empty() { "-" } else { event };
    // Hostile input never makes a long log line, nor writes control characters raw.
    let name = printable(&wire::cap(name, wire::NAME_BYTES));
    let event = printable(&wire::cap(event, wire::NAME_BYTES));
    let message = printable(&wire::cap(message, MAX_LOG_MESSAGE));
    let line = format!(
        "{time} {name} {event} {message} ({:.1} ms)",
        took.as_secs_f64() * 1000.0
    );
    let written = env.is_some_and(|env| {
        hooklog::append(
            &env.layout,
            hooklog::Rotation::from_config(env.config()),
            &line,
        )
        .is_ok()
    });
    if !written {
        // Last resort: Claude Code keeps a hook's stderr in its debug log.
        eprintln!("claude-session hook: {line}");
    }
}

/// `text` with control characters (a NUL, an escape sequence) shown escaped.
fn printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}

/// Reads all of stdin (nothing from a terminal: someone typed the command by hand).
fn read_input() -> Result<Vec<u8>> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        return Ok(Vec::new());
    }
    let mut lock = stdin.lock();
    let mut bytes = Vec::new();
    (&mut lock)
        .take(MAX_INPUT)
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io("read", "standard input", e))?;
    let rest = std::io::copy(&mut lock, &mut std::io::sink())
        .map_err(|e| Error::io("read", "standard input", e))?;
    if rest > 0 {
        return Err(Error::invalid(
            format!("input larger than {MAX_INPUT} bytes"),
            "standard input",
        ));
    }
    Ok(bytes)
}

fn dispatch(
    env: &Env,
    name: &str,
    rest: &[OsString],
    input: Result<Vec<u8>>,
    event: &mut String,
    notes: &mut Option<String>,
) -> Result<Outcome> {
    let input = input?;
    if name == END_WORKER {
        *event = "SessionEnd".to_string();
        return end::worker(env, rest);
    }
    if !NAMES.contains(&name) {
        return Ok(Outcome::Ignored(format!(
            "unknown hook `{name}` (known: {})",
            NAMES.join(", ")
        )));
    }
    // Bytes that are not UTF-8 would fail the whole payload: replaced, the event kept.
    let text = String::from_utf8_lossy(&input);
    let payload =
        Payload::parse(text.as_bytes()).map_err(|e| Error::invalid(e, "standard input"))?;
    if let std::borrow::Cow::Owned(_) = text {
        payload
            .notes
            .push("replaced bytes that are not UTF-8 with U+FFFD".to_string());
    }
    *event = payload.event().to_string();
    let outcome = match name {
        "post-edit" => edit::post_edit(env, &payload),
        "pre-task" => task::pre_task(env, &payload),
        "post-task" => task::post_task(env, &payload),
        "session-start" => start::session_start(env, &payload),
        "session-end" => end::session_end(env, &payload),
        "pre-compact" => compact::pre_compact(env, &payload),
        "prompt" => prompt::prompt(env, &payload),
        "stop" => stop::stop(env, &payload),
        "subagent-stop" => task::subagent_stop(env, &payload),
        "post-todo" => todo::post_todo(env, &payload),
        "task-created" => todo::task_event(env, &payload, name, "TaskCreated"),
        "task-completed" => todo::task_event(env, &payload, name, "TaskCompleted"),
        _ => unreachable!("checked against NAMES"),
    };
    *notes = payload.notes.joined();
    outcome
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_output_is_the_documented_json() {
        let text = context_output("SessionStart", "line \"one\"\nline two");
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["hookSpecificOutput"]["hookEventName"], "SessionStart");
        assert_eq!(
            value["hookSpecificOutput"]["additionalContext"],
            "line \"one\"\nline two"
        );
    }

    #[test]
    fn a_payload_of_another_event_is_ignored_with_a_reason() {
        let payload =
            Payload::parse(br#"{"session_id":"s","hook_event_name":"SubagentStart"}"#).unwrap();
        match expect_event("post-edit", &payload, "PostToolUse") {
            Some(Outcome::Ignored(why)) => assert!(why.contains("SubagentStart")),
            other => panic!("expected ignored, got {other:?}"),
        }
        let bare = Payload::parse(br#"{"session_id":"s"}"#).unwrap();
        assert!(expect_event("post-edit", &bare, "PostToolUse").is_none());
    }
}
