//! `claude-session statusline`: the front end Claude Code runs for its status line, with a JSON
//! payload on stdin (`session_id`, `cwd`, `workspace`, …), every few hundred milliseconds.
//!
//! The contract, like the hooks': read stdin to the end, print one short line (or nothing where
//! claude-session is not used), exit 0 whatever happens. Any input is tolerated: a payload that
//! is not JSON, or lacks a field, falls back to `CLAUDE_PROJECT_DIR` and the current directory.
//! `main.rs` comes here before argument parsing and settings (`--wrap` is the only flag it
//! takes), so the line costs about as much as starting a process.

use crate::env::Env;
use crate::ops::statusline::{self, StatuslineRequest};
use crate::paths::Layout;
use crate::registry;
use crate::render::{self, Human};
use serde_json::Value;
use std::ffi::OsString;
use std::io::{IsTerminal, Read, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::process::ExitCode;

/// Largest payload read; the rest is read and dropped (Claude Code must never block on us).
const MAX_INPUT: u64 = 1024 * 1024;

/// Between the user's status line and ours, when wrapping it.
const SEPARATOR: &str = " │ ";

#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `--project`: the directory instead of the payload's.
    pub project: Option<PathBuf>,
    /// Run the user's own status line command first (`install --statusline=wrap` kept it).
    pub wrap: bool,
    /// Print the outcome as a JSON document instead of the line (for tests and scripts).
    pub json: bool,
}

/// The fast entry point: `main` calls it when argv[1] is `statusline` and the rest is at most
/// `--wrap`.
pub fn main(args: &[OsString]) -> ExitCode {
    let options = Options {
        wrap: args.iter().any(|a| a == "--wrap"),
        ..Options::default()
    };
    let mut stdout = std::io::stdout().lock();
    run(&options, &mut stdout);
    ExitCode::SUCCESS
}

/// Prints the status line; never fails, never panics outward.
pub fn run(options: &Options, out: &mut dyn Write) {
    // A panic prints nothing: a status line is no place for a backtrace.
    std::panic::set_hook(Box::new(|_| {}));
    let text = catch_unwind(AssertUnwindSafe(|| line(options))).unwrap_or_default();
    // A closed stdout (Claude Code moved on) loses nothing.
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

fn line(options: &Options) -> String {
    let input = read_input();
    let payload = Payload::read(&input);
    let ours = ours(options, &payload);
    if options.json {
        return ours;
    }
    if !options.wrap {
        return ours;
    }
    let theirs = Layout::from_env().ok().and_then(|layout| {
        let wrapped = statusline::read_wrapped(&layout)?;
        statusline::run_wrapped(&wrapped.command, &input, payload.dir.as_deref())
    });
    combine(theirs.as_deref().unwrap_or(""), ours.trim_end())
}

/// Our part: the line, or with `--json` the outcome's document (an error's, on trouble).
fn ours(options: &Options, payload: &Payload) -> String {
    let Ok(layout) = Layout::from_env() else {
        return String::new();
    };
    let env = Env::for_hook(layout);
    let dir = options
        .project
        .clone()
        .or_else(|| payload.dir.clone())
        .or_else(|| std::env::var_os("CLAUDE_PROJECT_DIR").map(PathBuf::from))
        .or_else(|| std::env::current_dir().ok());
    let Some(dir) = dir else {
        return String::new();
    };
    let request = StatuslineRequest {
        dir,
        claude_id: payload
            .session_id
            .clone()
            .filter(|id| registry::valid_claude_id(id)),
    };
    match (statusline::statusline(&env, &request), options.json) {
        (Ok(outcome), false) => outcome.human(),
        (Ok(outcome), true) => render::json_document("statusline", &outcome).unwrap_or_default(),
        (Err(_), false) => String::new(),
        (Err(e), true) => render::json_error("statusline", &e),
    }
}

/// The user's line(s) with ours appended to the last one.
fn combine(theirs: &str, ours: &str) -> String {
    let theirs = theirs.trim_end();
    match (theirs.is_empty(), ours.is_empty()) {
        (true, true) => String::new(),
        (true, false) => format!("{ours}\n"),
        (false, true) => format!("{theirs}\n"),
        (false, false) => format!("{theirs}{SEPARATOR}{ours}\n"),
    }
}

/// Reads all of stdin (nothing from a terminal: someone typed the command by hand).
fn read_input() -> Vec<u8> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        return Vec::new();
    }
    let mut lock = stdin.lock();
    let mut bytes = Vec::new();
    let _ = (&mut lock).take(MAX_INPUT).read_to_end(&mut bytes);
    let _ = std::io::copy(&mut lock, &mut std::io::sink());
    bytes
}

/// The few payload fields the line needs, read tolerantly: anything missing, of another type or
/// not JSON at all reads as absent (a key given twice: the last one, as JavaScript reads it).
#[derive(Debug, Default)]
struct Payload {
    session_id: Option<String>,
    /// `cwd`, else `workspace.current_dir`, else `workspace.project_dir` (as the hooks route by
    /// `cwd`).
    dir: Option<PathBuf>,
}

impl Payload {
    fn read(bytes: &[u8]) -> Payload {
        let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(bytes) else {
            return Payload::default();
        };
        let text = |value: Option<&Value>| {
            value
                .and_then(Value::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty() && s.len() <= 4096)
                .map(str::to_string)
        };
        let workspace = map.get("workspace");
        let dir = text(map.get("cwd"))
            .or_else(|| text(workspace.and_then(|w| w.get("current_dir"))))
            .or_else(|| text(workspace.and_then(|w| w.get("project_dir"))))
            .map(PathBuf::from);
        Payload {
            session_id: text(map.get("session_id")),
            dir,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_payload_is_read_tolerantly() {
        let p = Payload::read(br#"{"session_id":"a","cwd":"/p","workspace":{"project_dir":"/q"}}"#);
        assert_eq!(p.session_id.as_deref(), Some("a"));
        assert_eq!(p.dir, Some(PathBuf::from("/p")));
        let p = Payload::read(br#"{"session_id":5,"cwd":[],"workspace":{"project_dir":"/q"}}"#);
        assert_eq!(p.session_id, None);
        assert_eq!(p.dir, Some(PathBuf::from("/q")));
        let p = Payload::read(br#"{"session_id":"a","session_id":"b"}"#);
        assert_eq!(p.session_id.as_deref(), Some("b"));
        for garbage in [&b""[..], b"[1]", b"not json", b"{\"cwd\":", b"\xff\xfe"] {
            let p = Payload::read(garbage);
            assert!(p.session_id.is_none() && p.dir.is_none());
        }
    }

    #[test]
    fn ours_goes_after_the_users_last_line() {
        assert_eq!(combine("", ""), "");
        assert_eq!(combine("", "s"), "s\n");
        assert_eq!(combine("mine\n", ""), "mine\n");
        assert_eq!(combine("a\nb\n", "s"), "a\nb │ s\n");
    }
}
