//! Hooks never lose an event: not when the index must be rebuilt under a busy lock, not when the
//! session's folder moves away meanwhile.

mod common;
use common::*;

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
    let env = Env::new();
    let repo = env.repo("busy-index");
    // Started without binding this conversation: its events find the session via the index.
    let id = started_id(&env.ok(&repo, &["start", "busy"]));
    let project = env.project_dir(&repo);
    std::fs::remove_file(project.join("index.json")).unwrap();
    let lock_path = env.active_dir(&repo, &id).join("session.yaml.lock");
    let holder = std::fs::OpenOptions::new()
        .write(true)
        .open(&lock_path)
        .unwrap();
    holder.lock().unwrap();

    assert_eq!(
        env.hook(&repo, "post-edit", &write_event(&repo, "kept.py")),
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
    assert_eq!(env.hook(&repo, "stop", &stop), "");
    assert!(!inbox.exists());
    let show: serde_json::Value =
        serde_json::from_str(&env.ok(&repo, &["show", &id, "--json"])).unwrap();
    assert_eq!(show["artifacts"]["created"][0], "kept.py");
}

#[test]
fn an_event_for_a_session_that_just_ended_is_kept_for_the_next_one() {
    let env = Env::new();
    let repo = env.repo("ended-meanwhile");
    let id = started_id(&env.ok(&repo, &["start", "first", "--claude-session", CLAUDE_ID]));
    env.ok(&repo, &["end", &id, "--no-backup"]);
    // The binding names an ended session: counted as none, and nothing else is open.
    assert_eq!(
        env.hook(&repo, "post-edit", &write_event(&repo, "late.py")),
        ""
    );
    let next = started_id(&env.ok(&repo, &["start", "second", "--claude-session", CLAUDE_ID]));
    let show: serde_json::Value =
        serde_json::from_str(&env.ok(&repo, &["show", &next, "--json"])).unwrap();
    assert_eq!(show["artifacts"]["created"][0], "late.py");
}
