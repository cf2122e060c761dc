//! `claude-session remind` and the prompt hook's checkpoint reminder: at most once per interval,
//! counted from the last checkpoint (or the start), skipped — never waited for — when busy.

use super::*;
use crate::support::*;
use serde_json::Value;

const A: &str = "aaaaaaaa-0000-4000-8000-0000000000a1";

fn remind_state(env: &TestEnv) -> Value {
    serde_json::from_str(&std::fs::read_to_string(env.state.join("remind-state.json")).unwrap())
        .unwrap()
}

/// Submits a prompt at `now`; the reminder it printed, if any.
fn prompt_at(env: &TestEnv, now: &str) -> Option<String> {
    env.at(now);
    let payload = env.fixture_as("002-UserPromptSubmit.json", A, None);
    let out = env.hook("prompt", payload.as_bytes());
    let context = additional_context(&out);
    if let Some(text) = &context {
        let value: Value = serde_json::from_str(&out.stdout).unwrap();
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
    let env = world();
    assert!(env.ok(&["remind"]).starts_with("Reminders off."));
    assert!(
        !env.state.join("remind-state.json").exists(),
        "showing writes nothing"
    );
    assert!(env.ok(&["remind", "on"]).contains("after 45 min"));
    let state = remind_state(&env);
    assert_eq!(state["version"], 1);
    assert_eq!(state["enabled"], true);
    assert_eq!(state["interval_minutes"], 45);
    assert!(env.ok(&["remind", "every", "20"]).contains("after 20 min"));
    assert_eq!(remind_state(&env)["interval_minutes"], 20);
    assert!(env.ok(&["remind", "off"]).starts_with("Reminders off."));
    assert_eq!(remind_state(&env)["enabled"], false);
    assert_eq!(
        remind_state(&env)["interval_minutes"],
        20,
        "kept for the next `on`"
    );
    assert!(env.ok(&["remind", "on"]).contains("after 20 min"));

    let stderr = env.fails(&["remind", "every", "0"]);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn a_corrupt_state_file_is_moved_aside_not_read_as_off() {
    let env = world();
    std::fs::write(env.state.join("remind-state.json"), "{ not json").unwrap();
    let out = env.run(&["remind", "every", "30"]).ok();
    assert!(out.stderr.contains("moved it to"));
    assert_eq!(remind_state(&env)["interval_minutes"], 30);
    assert_eq!(env.corrupt_files().len(), 1, "the unreadable copy is kept");
}

#[test]
fn reminders_come_once_per_interval_counted_from_the_last_checkpoint() {
    let env = world();
    let id = start(&env, "focus", Some(A)); // at 14:30
    assert_eq!(
        prompt_at(&env, "2025-10-25T15:30:00Z"),
        None,
        "off by default"
    );
    env.ok(&["remind", "every", "30"]);
    assert_eq!(prompt_at(&env, "2025-10-25T14:45:00Z"), None);
    let first = prompt_at(&env, "2025-10-25T15:01:00Z").expect("due after 31 min");
    assert!(first.contains("no checkpoint for 31 min"), "{first}");
    assert!(first.contains(&id));
    assert_eq!(
        prompt_at(&env, "2025-10-25T15:20:00Z"),
        None,
        "once per interval"
    );
    let second = prompt_at(&env, "2025-10-25T15:31:00Z").expect("next interval");
    assert!(second.contains("61 min"), "{second}");

    // A checkpoint (as the recovery work journals it) restarts the count once folded. Its entry
    // carries its instant as real ones do: without it the Stop hook below would count from the
    // start, find an automatic checkpoint due and spawn one, whose time then depends on how fast
    // that detached process runs.
    let checkpoint = serde_json::json!({
        "event": "checkpoint", "at": "2025-10-25T15:40:00Z",
        "entry": {"id": "checkpoint-001-15-40-00", "time": "15:40:00",
                  "description": "before refactor", "files_snapshot": [],
                  "at": "2025-10-25T15:40:00Z"}
    });
    std::fs::OpenOptions::new()
        .append(true)
        .open(env.workspace(&id).join("events.jsonl"))
        .and_then(|mut f| std::io::Write::write_all(&mut f, format!("{checkpoint}\n").as_bytes()))
        .unwrap();
    env.at("2025-10-25T15:41:00Z");
    env.hook("stop", env.fixture_as("028-Stop.json", A, None).as_bytes());
    assert_eq!(
        prompt_at(&env, "2025-10-25T16:05:00Z"),
        None,
        "25 min since it"
    );
    let third = prompt_at(&env, "2025-10-25T16:11:00Z").expect("31 min since it");
    assert!(third.contains("31 min"), "{third}");

    // Every prompt was counted, reminded or not.
    assert_eq!(env.show(&id)["prompts"]["count"], 7);
    assert_eq!(env.hooks_log(), "");
}

#[test]
fn a_busy_state_file_skips_the_reminder_but_keeps_the_prompt() {
    let env = world();
    let id = start(&env, "focus", Some(A));
    env.ok(&["remind", "every", "30"]);
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(env.state.join("remind-state.json.lock"))
        .unwrap();
    lock.lock().unwrap();
    assert_eq!(prompt_at(&env, "2025-10-25T15:30:00Z"), None);
    drop(lock);
    assert_eq!(env.show(&id)["prompts"]["count"], 1);
    assert!(prompt_at(&env, "2025-10-25T15:31:00Z").is_some());
}
