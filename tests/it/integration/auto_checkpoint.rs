//! The Stop hook takes an automatic checkpoint in a detached process once one is due.

use super::world;
use crate::support::*;
use std::time::Duration;

const CLAUDE_ID: &str = "7e7467ed-61fa-418e-8f5e-a815690dedad";

fn checkpoints(env: &TestEnv) -> Vec<serde_json::Value> {
    env.json(&["checkpoints", "--json"])["checkpoints"]
        .as_array()
        .expect("a list of checkpoints")
        .clone()
}

#[test]
fn stop_takes_a_detached_checkpoint_only_when_one_is_due() {
    let env = world("auto");
    let repo = env.project.clone();
    env.ok(&["start", "auto", "--claude-session", CLAUDE_ID]);
    let base = serde_json::json!({
        "session_id": CLAUDE_ID,
        "transcript_path": "/nonexistent.jsonl",
        "cwd": repo,
    });
    let mut edit = base.clone();
    edit["hook_event_name"] = "PostToolUse".into();
    edit["tool_name"] = "Write".into();
    edit["tool_input"] = serde_json::json!({"file_path": repo.join("app.py"), "content": "x"});
    edit["tool_response"] = serde_json::json!({"type": "create"});
    let mut stop = base.clone();
    stop["hook_event_name"] = "Stop".into();

    // Ten minutes in: activity, but no checkpoint is due yet.
    env.at("2025-10-25T14:40:00");
    std::fs::write(repo.join("app.py"), "print('v1')\n").unwrap();
    env.hook("post-edit", edit.to_string());
    assert_eq!(env.hook("stop", stop.to_string()).stdout, "");
    std::thread::sleep(Duration::from_millis(300));
    assert!(checkpoints(&env).is_empty());

    // Thirty-five minutes in: due; the hook returns and the checkpoint appears by itself.
    env.at("2025-10-25T15:05:00");
    assert_eq!(env.hook("stop", stop.to_string()).stdout, "");
    // The detached checkpoint writes its manifest, then its event: wait for both.
    assert!(
        wait_for(Duration::from_secs(30), || checkpoints(&env).len() == 1
            && env.show("2025-10-25-session-001")["checkpoints"][0]
                .is_object()),
        "an automatic checkpoint was taken"
    );
    let show = env.show("2025-10-25-session-001");
    let entry = &show["checkpoints"][0];
    assert!(entry["description"].as_str().unwrap().contains("Automatic"));
    assert!(
        entry["files_snapshot"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f == "app.py")
    );

    // Right after: nothing new happened, so no second checkpoint.
    env.at("2025-10-25T15:40:00");
    env.hook("stop", stop.to_string());
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(checkpoints(&env).len(), 1);
}

#[test]
fn a_checkpoint_from_the_terminal_silences_the_reminder() {
    let env = world("remind");
    let repo = env.project.clone();
    env.ok(&["start", "remind", "--claude-session", CLAUDE_ID]);
    env.ok(&["remind", "every", "30"]);
    let prompt = serde_json::json!({
        "session_id": CLAUDE_ID,
        "transcript_path": "/nonexistent.jsonl",
        "cwd": repo,
        "hook_event_name": "UserPromptSubmit",
        "prompt": "next step",
    });
    // An hour in without a checkpoint: reminded.
    env.at("2025-10-25T15:30:00");
    assert!(
        env.hook("prompt", prompt.to_string())
            .stdout
            .contains("no checkpoint for 60 min")
    );
    // A checkpoint taken by hand, then a prompt right after: nothing to remind of.
    std::fs::write(repo.join("work.txt"), "saved\n").unwrap();
    env.at("2025-10-25T16:31:00");
    env.ok(&["checkpoint", "just saved"]);
    env.at("2025-10-25T16:32:00");
    assert_eq!(env.hook("prompt", prompt.to_string()).stdout, "");
}
