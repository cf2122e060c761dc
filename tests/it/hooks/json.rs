//! `hooks/hooks.json` registers every hook in Claude Code's plugin format, with only events that
//! Claude Code 2.0 knows (older clients drop a whole file naming one they don't), plus
//! `TaskCreated` and `TaskCompleted`, which the oldest supported version (2.1.197) knows.

use crate::support::repo_file;
use serde_json::Value;
use std::collections::BTreeSet;

const KNOWN_SINCE_2_0: &[&str] = &[
    "PreToolUse",
    "PostToolUse",
    "UserPromptSubmit",
    "Stop",
    "SubagentStop",
    "PreCompact",
    "SessionStart",
    "SessionEnd",
    "Notification",
    // Known to 2.1.197, the oldest version we support (README, "Supported Claude Code versions");
    // a client too old to know them would drop the whole file.
    "TaskCreated",
    "TaskCompleted",
];

fn hooks_json() -> Value {
    serde_json::from_str(&repo_file("hooks/hooks.json")).unwrap()
}

/// (event, matcher, hook name, timeout) for every registered command.
fn registrations() -> Vec<(String, String, String, u64)> {
    let config = hooks_json();
    let mut out = Vec::new();
    for (event, groups) in config["hooks"].as_object().unwrap() {
        for group in groups.as_array().unwrap() {
            let matcher = group["matcher"].as_str().unwrap_or("").to_string();
            for hook in group["hooks"].as_array().unwrap() {
                assert_eq!(hook["type"], "command");
                let command = hook["command"].as_str().unwrap();
                let words: Vec<&str> = command.split_whitespace().collect();
                assert_eq!(words.len(), 3, "{command}");
                assert_eq!(words[0], "claude-session");
                assert_eq!(words[1], "hook");
                let timeout = hook["timeout"].as_u64().expect("timeout in whole seconds");
                out.push((
                    event.clone(),
                    matcher.clone(),
                    words[2].to_string(),
                    timeout,
                ));
            }
        }
    }
    out
}

#[test]
fn every_hook_is_registered_on_its_event() {
    let found: BTreeSet<(String, String, String)> = registrations()
        .into_iter()
        .map(|(e, m, n, _)| (e, m, n))
        .collect();
    let expected: BTreeSet<(String, String, String)> = [
        (
            "PostToolUse",
            "Write|Edit|MultiEdit|NotebookEdit",
            "post-edit",
        ),
        ("PreToolUse", "Agent|Task", "pre-task"),
        ("PostToolUse", "Agent|Task", "post-task"),
        ("SessionStart", "", "session-start"),
        ("SessionEnd", "", "session-end"),
        ("PreCompact", "", "pre-compact"),
        ("UserPromptSubmit", "", "prompt"),
        ("Stop", "", "stop"),
        ("SubagentStop", "", "subagent-stop"),
        (
            "PostToolUse",
            "TaskCreate|TaskUpdate|TodoWrite",
            "post-todo",
        ),
        ("TaskCreated", "", "task-created"),
        ("TaskCompleted", "", "task-completed"),
    ]
    .iter()
    .map(|(e, m, n)| (e.to_string(), m.to_string(), n.to_string()))
    .collect();
    assert_eq!(found, expected);
    let names: BTreeSet<&str> = claude_session::hook::NAMES.iter().copied().collect();
    let registered: BTreeSet<String> = found.into_iter().map(|(_, _, n)| n).collect();
    assert_eq!(
        registered,
        names.iter().map(|n| n.to_string()).collect::<BTreeSet<_>>()
    );
}

#[test]
fn only_events_claude_code_2_0_knows_and_timeouts_in_seconds() {
    for (event, matcher, name, timeout) in registrations() {
        assert!(KNOWN_SINCE_2_0.contains(&event.as_str()), "{event}");
        // Plain lists of names are matched exactly; anything else would be a regex.
        assert!(
            matcher
                .split('|')
                .all(|m| m.chars().all(|c| c.is_ascii_alphanumeric())),
            "{matcher}"
        );
        // Seconds, not milliseconds: every hook is done long before; capped at 60 for SessionEnd.
        assert!((1..=60).contains(&timeout), "{name}: {timeout}");
    }
}
