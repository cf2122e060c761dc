//! Hooks never lose an event: not when the index must be rebuilt under a busy lock, not when the
//! session's folder moves away meanwhile.

use super::world;
use crate::support::*;

const CLAUDE_ID: &str = "11111111-2222-4333-8444-555555555555";

fn write_event(repo: &std::path::Path, file: &str) -> serde_json::Value {
    serde_json::json!({
        "session_id": CLAUDE_ID,
        "transcript_path": "/nonexistent.jsonl",
        "cwd": repo,
        "hook_event_name": "PostToolUse",
        "tool_name": "Write",
        "tool_input": {"file_path": repo.join(file), "content": "x"},
        "tool_response": {"type": "create"},
    })
}

#[test]
fn an_event_that_meets_a_busy_rebuild_waits_in_the_inbox_and_is_adopted_later() {
    let env = world("busy-index");
    let repo = env.project.clone();
    // Started without binding this conversation: its events find the session via the index.
    let id = started_id(&env.ok(&["start", "busy"]));
    let project = env.project_dir();
    std::fs::remove_file(project.join("index.json")).unwrap();
    let lock_path = env.active_dir(&id).join("session.yaml.lock");
    let holder = std::fs::OpenOptions::new()
        .write(true)
        .open(&lock_path)
        .unwrap();
    holder.lock().unwrap();

    assert_eq!(
        env.hook("post-edit", write_event(&repo, "kept.py").to_string())
            .stdout,
        ""
    );
    let inbox = project.join("inbox").join(format!("{CLAUDE_ID}.jsonl"));
    assert!(
        read(&inbox).contains("kept.py"),
        "the event waits in the inbox"
    );
    drop(holder);

    // The end of the turn: the Stop hook routes to the session and adopts what waited.
    let mut stop = write_event(&repo, "unused");
    stop["hook_event_name"] = "Stop".into();
    assert_eq!(env.hook("stop", stop.to_string()).stdout, "");
    assert!(!inbox.exists());
    let show = env.show(&id);
    assert_eq!(show["artifacts"]["created"][0], "kept.py");
}

#[test]
fn an_event_for_a_session_that_just_ended_is_kept_for_the_next_one() {
    let env = world("ended-meanwhile");
    let repo = env.project.clone();
    let id = started_id(&env.ok(&["start", "first", "--claude-session", CLAUDE_ID]));
    env.ok(&["end", "--yes", &id, "--no-backup"]);
    // The binding names an ended session: counted as none, and nothing else is open.
    assert_eq!(
        env.hook("post-edit", write_event(&repo, "late.py").to_string())
            .stdout,
        ""
    );
    let next = started_id(&env.ok(&["start", "second", "--claude-session", CLAUDE_ID]));
    let show = env.show(&next);
    assert_eq!(show["artifacts"]["created"][0], "late.py");
}
