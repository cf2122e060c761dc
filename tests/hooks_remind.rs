//! `claude-session remind` and the prompt hook's checkpoint reminder: at most once per interval,
//! counted from the last checkpoint (or the start), skipped — never waited for — when busy.

mod hooks_support;

use hooks_support::*;
use serde_json::Value;

const A: &str = "aaaaaaaa-0000-4000-8000-0000000000a1";

fn remind_state(env: &TestEnv) -> Value {
    serde_json::from_str(&std::fs::read_to_string(env.root.join("remind-state.json")).unwrap())
        .unwrap()
}

/// Submits a prompt at `now`; the reminder it printed, if any.
fn prompt_at(env: &mut TestEnv, now: &str) -> Option<String> {
    env.now = now.to_string();
    let payload = env.fixture_as("002-UserPromptSubmit.json", A, None);
    let out = env.hook("prompt", payload.as_bytes());
    let context = additional_context(&out);
    if let Some(text) = &context {
        let value: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(
            value["hookSpecificOutput"]["hookEventName"],
            "UserPromptSubmit"
        );
        assert_eq!(text.lines().count(), 1, "one line: {text}");
    }
    context
}

#[test]
fn the_remind_command_manages_the_state_file() {
    let env = TestEnv::new();
    assert!(env.run(&["remind"]).starts_with("Reminders off."));
    assert!(
        !env.root.join("remind-state.json").exists(),
        "showing writes nothing"
    );
    assert!(env.run(&["remind", "on"]).contains("after 45 min"));
    let state = remind_state(&env);
    assert_eq!(state["version"], 1);
    assert_eq!(state["enabled"], true);
    assert_eq!(state["interval_minutes"], 45);
    assert!(env.run(&["remind", "every", "20"]).contains("after 20 min"));
    assert_eq!(remind_state(&env)["interval_minutes"], 20);
    assert!(env.run(&["remind", "off"]).starts_with("Reminders off."));
    assert_eq!(remind_state(&env)["enabled"], false);
    assert_eq!(
        remind_state(&env)["interval_minutes"],
        20,
        "kept for the next `on`"
    );
    assert!(env.run(&["remind", "on"]).contains("after 20 min"));

    let bad = env.cmd().args(["remind", "every", "0"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn a_corrupt_state_file_is_moved_aside_not_read_as_off() {
    let env = TestEnv::new();
    std::fs::write(env.root.join("remind-state.json"), "{ not json").unwrap();
    let out = env.cmd().args(["remind", "every", "30"]).output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("moved it to"));
    assert_eq!(remind_state(&env)["interval_minutes"], 30);
    assert_eq!(env.corrupt_files().len(), 1, "the unreadable copy is kept");
}

#[test]
fn reminders_come_once_per_interval_counted_from_the_last_checkpoint() {
    let mut env = TestEnv::new();
    let id = env.start("focus", Some(A)); // at 14:30
    assert_eq!(
        prompt_at(&mut env, "2025-10-25T15:30:00Z"),
        None,
        "off by default"
    );
    env.run(&["remind", "every", "30"]);
    assert_eq!(prompt_at(&mut env, "2025-10-25T14:45:00Z"), None);
    let first = prompt_at(&mut env, "2025-10-25T15:01:00Z").expect("due after 31 min");
    assert!(first.contains("no checkpoint for 31 min"), "{first}");
    assert!(first.contains(&id));
    assert_eq!(
        prompt_at(&mut env, "2025-10-25T15:20:00Z"),
        None,
        "once per interval"
    );
    let second = prompt_at(&mut env, "2025-10-25T15:31:00Z").expect("next interval");
    assert!(second.contains("61 min"), "{second}");

    // A checkpoint (as the recovery work journals it) restarts the count once folded.
    let checkpoint = serde_json::json!({
        "event": "checkpoint", "at": "2025-10-25T15:40:00Z",
        "entry": {"id": "checkpoint-001-15-40-00", "time": "15:40:00",
                  "description": "before refactor", "files_snapshot": []}
    });
    std::fs::OpenOptions::new()
        .append(true)
        .open(env.workspace(&id).join("events.jsonl"))
        .and_then(|mut f| std::io::Write::write_all(&mut f, format!("{checkpoint}\n").as_bytes()))
        .unwrap();
    env.now = "2025-10-25T15:41:00Z".into();
    env.hook("stop", env.fixture_as("028-Stop.json", A, None).as_bytes());
    assert_eq!(
        prompt_at(&mut env, "2025-10-25T16:05:00Z"),
        None,
        "25 min since it"
    );
    let third = prompt_at(&mut env, "2025-10-25T16:11:00Z").expect("31 min since it");
    assert!(third.contains("31 min"), "{third}");

    // Every prompt was counted, reminded or not.
    assert_eq!(env.show(&id)["prompts"]["count"], 7);
    assert_eq!(env.hooks_log(), "");
}

#[test]
fn a_busy_state_file_skips_the_reminder_but_keeps_the_prompt() {
    let mut env = TestEnv::new();
    let id = env.start("focus", Some(A));
    env.run(&["remind", "every", "30"]);
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(env.root.join("remind-state.json.lock"))
        .unwrap();
    lock.lock().unwrap();
    assert_eq!(prompt_at(&mut env, "2025-10-25T15:30:00Z"), None);
    drop(lock);
    assert_eq!(env.show(&id)["prompts"]["count"], 1);
    assert!(prompt_at(&mut env, "2025-10-25T15:31:00Z").is_some());
}
