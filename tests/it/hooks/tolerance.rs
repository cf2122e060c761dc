//! One unusable field does not cost the event: an optional field of the wrong type reads as
//! absent (and the hook log says so), a key given twice takes its last value.

use super::limits::payload_with;
use super::session_end::token_events;
use super::*;
use crate::support::*;
use serde_json::json;

#[test]
fn a_wrong_typed_optional_field_is_ignored_and_the_event_recorded() {
    let env = world();
    let _reaper = Reaper(&env);
    let id = start(&env, "wrong types", Some(FIXTURE_CLAUDE_ID));
    let fire = |hook: &str, fixture: &str, changes: &[(&str, serde_json::Value)]| {
        let before = env.hooks_log().lines().count();
        let out = env.hook(hook, payload_with(&env, fixture, changes));
        let log = env.hooks_log();
        let line = log.lines().nth(before).unwrap_or("").to_string();
        assert!(!line.contains("error"), "{hook}: {line}");
        (out, line)
    };

    let (_, line) = fire(
        "post-edit",
        "006-PostToolUse-Write.json",
        &[
            ("/tool_use_id", json!(5)),
            ("/transcript_path", json!([])),
            ("/tool_response/type", json!(7)),
            ("/tool_input/notebook_path", json!({"x": [1, 2]})),
        ],
    );
    assert!(line.contains("ignored tool_use_id (a number)"), "{line}");
    assert!(
        line.contains("ignored tool_input.notebook_path (an object)"),
        "{line}"
    );
    let artifact = &events_of(&env.journal(&id), "artifact")[0];
    assert_eq!(artifact["path"], "notes.md");
    assert_eq!(
        artifact["action"], "modified",
        "an unusable type reads as absent"
    );

    fire(
        "pre-task",
        "020-PreToolUse-Agent.json",
        &[("/tool_input/description", json!(5))],
    );
    let started = &events_of(&env.journal(&id), "task_started")[0];
    assert_eq!(started["subagent_type"], "general-purpose");
    assert_eq!(started["description"], "");

    fire(
        "post-task",
        "026-PostToolUse-Agent.json",
        &[
            ("/tool_response/totalTokens", json!("180")),
            ("/tool_response/status", json!([])),
        ],
    );
    let finished = &events_of(&env.journal(&id), "task_finished")[0];
    assert_eq!(finished["agent_id"], "aea2c30fbec3ade1d");
    assert_eq!(finished["status"], "completed");
    assert!(finished["total_tokens"].is_null());
    assert_eq!(finished["duration_ms"], 184);

    fire(
        "prompt",
        "002-UserPromptSubmit.json",
        &[("/transcript_path", json!({})), ("/cwd", json!(5))],
    );
    assert_eq!(
        events_of(&env.journal(&id), "prompt")[0]["text"],
        "do the work"
    );

    fire(
        "pre-compact",
        "034-PreCompact.json",
        &[("/trigger", json!([])), ("/custom_instructions", json!(5))],
    );
    let notes = std::fs::read_dir(env.workspace(&id).join("notes")).unwrap();
    assert!(
        notes
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("compact-"))
    );

    let (out, line) = fire(
        "session-start",
        "000-SessionStart-startup.json",
        &[("/source", json!([]))],
    );
    assert!(line.contains("ignored source (an array)"), "{line}");
    assert!(additional_context(&out).unwrap().contains(&id));
    let bound = events_of(&env.journal(&id), "claude_bound");
    assert_eq!(bound.last().unwrap()["source"], "startup");

    fire(
        "stop",
        "028-Stop.json",
        &[
            ("/stop_hook_active", json!("yes")),
            ("/transcript_path", json!(5)),
        ],
    );

    fire(
        "session-end",
        "030-SessionEnd.json",
        &[("/reason", json!(5))],
    );
    let ended = &events_of(&env.journal(&id), "claude_ended")[0];
    assert!(ended["reason"].is_null());
    assert!(wait_for(Duration::from_secs(60), || token_events(
        &env, &id
    )
    .len()
        == 1));
    assert!(settle(&env, Duration::from_secs(60)));
}

#[test]
fn a_duplicate_key_takes_its_last_value() {
    let env = world();
    let _reaper = Reaper(&env);
    let id = start(&env, "duplicates", Some(FIXTURE_CLAUDE_ID));
    let project = env.project.to_string_lossy().into_owned();
    // Top level and inside tool_input; a later value of the wrong type keeps the good one.
    let write = env.fixture("006-PostToolUse-Write.json").replacen(
        "\"file_path\":",
        &format!("\"file_path\": \"{project}/first.md\", \"file_path\":"),
        1,
    );
    let write = write.replacen(
        "\"tool_name\": \"Write\",",
        "\"tool_name\": \"Write\", \"tool_name\": 5,",
        1,
    );
    env.hook("post-edit", write);
    let artifact = &events_of(&env.journal(&id), "artifact")[0];
    assert_eq!(artifact["path"], "notes.md");

    let prompt = env.fixture("002-UserPromptSubmit.json").replacen(
        "\"prompt\":",
        "\"prompt\": \"first\", \"prompt\":",
        1,
    );
    env.hook("prompt", prompt);
    assert_eq!(
        events_of(&env.journal(&id), "prompt")[0]["text"],
        "do the work"
    );

    let end = env.fixture("030-SessionEnd.json").replacen(
        "\"reason\":",
        "\"reason\": \"clear\", \"reason\":",
        1,
    );
    env.hook("session-end", end);
    assert_eq!(
        events_of(&env.journal(&id), "claude_ended")[0]["reason"],
        "other"
    );
    assert!(settle(&env, Duration::from_secs(60)));
    let log = env.hooks_log();
    assert_eq!(
        log.lines().count(),
        1,
        "only the wrong-typed duplicate is noted: {log}"
    );
    assert!(log.contains("ignored tool_name (a number)"), "{log}");
}

#[test]
fn bytes_that_are_not_utf8_are_replaced_and_the_event_recorded() {
    let env = world();
    let id = start(&env, "bytes", Some(FIXTURE_CLAUDE_ID));
    let mut payload = env.fixture("002-UserPromptSubmit.json").into_bytes();
    let at = payload.windows(4).position(|w| w == b"work").unwrap();
    payload.splice(at..at, [0xff, 0xc3]);
    env.hook("prompt", &payload);
    assert_eq!(
        events_of(&env.journal(&id), "prompt")[0]["text"],
        "do the \u{fffd}\u{fffd}work"
    );
    let log = env.hooks_log();
    assert!(
        log.contains(" note: replaced bytes that are not UTF-8"),
        "{log}"
    );
}

#[test]
fn a_cwd_that_names_a_file_is_no_project() {
    let env = world();
    env.write("notes.txt", "mine\n");
    let payload = json!({"hook_event_name": "PostToolUse", "session_id": "conv-file", "tool_name": "Write",
        "cwd": env.project.join("notes.txt"), "tool_input": {"file_path": "/etc/passwd"}});
    let out = env.hook("post-edit", payload.to_string());
    assert!(out.stdout.is_empty());
    assert!(
        env.hooks_log().contains("not a directory"),
        "{}",
        env.hooks_log()
    );
    assert!(
        !env.state.join("claude-session/projects").exists(),
        "nothing recorded"
    );
}
