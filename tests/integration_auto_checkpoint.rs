//! The Stop hook takes an automatic checkpoint in a detached process once one is due.

mod common;
use common::*;
use std::time::{Duration, Instant};

const CLAUDE_ID: &str = "7e7467ed-61fa-418e-8f5e-a815690dedad";

fn checkpoints(env: &Env, repo: &std::path::Path) -> Vec<serde_json::Value> {
    let out = env.ok(repo, &["checkpoints", "--json"]);
    let value: serde_json::Value = serde_json::from_str(&out).unwrap();
    value
        .as_array()
        .or_else(|| value["checkpoints"].as_array())
        .cloned()
        .unwrap_or_default()
}

fn wait_for(limit: Duration, mut done: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    done()
}

#[test]
fn stop_takes_a_detached_checkpoint_only_when_one_is_due() {
    let mut env = Env::new();
    let repo = env.repo("auto");
    env.ok(&repo, &["start", "auto", "--claude-session", CLAUDE_ID]);
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
    env.now = Some("2025-10-25T14:40:00".into());
    std::fs::write(repo.join("app.py"), "print('v1')\n").unwrap();
    env.hook(&repo, "post-edit", &edit);
    assert_eq!(env.hook(&repo, "stop", &stop), "");
    std::thread::sleep(Duration::from_millis(300));
    assert!(checkpoints(&env, &repo).is_empty());

    // Thirty-five minutes in: due; the hook returns and the checkpoint appears by itself.
    env.now = Some("2025-10-25T15:05:00".into());
    assert_eq!(env.hook(&repo, "stop", &stop), "");
    assert!(
        wait_for(Duration::from_secs(30), || checkpoints(&env, &repo).len()
            == 1),
        "an automatic checkpoint was taken"
    );
    let show: serde_json::Value =
        serde_json::from_str(&env.ok(&repo, &["show", "2025-10-25-session-001", "--json"]))
            .unwrap();
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
    env.now = Some("2025-10-25T15:40:00".into());
    env.hook(&repo, "stop", &stop);
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(checkpoints(&env, &repo).len(), 1);
}

#[test]
fn a_checkpoint_from_the_terminal_silences_the_reminder() {
    let mut env = Env::new();
    let repo = env.repo("remind");
    env.ok(&repo, &["start", "remind", "--claude-session", CLAUDE_ID]);
    env.ok(&repo, &["remind", "every", "30"]);
    let prompt = serde_json::json!({
        "session_id": CLAUDE_ID,
        "transcript_path": "/nonexistent.jsonl",
        "cwd": repo,
        "hook_event_name": "UserPromptSubmit",
        "prompt": "next step",
    });
    // An hour in without a checkpoint: reminded.
    env.now = Some("2025-10-25T15:30:00".into());
    assert!(
        env.hook(&repo, "prompt", &prompt)
            .contains("no checkpoint for 60 min")
    );
    // A checkpoint taken by hand, then a prompt right after: nothing to remind of.
    std::fs::write(repo.join("work.txt"), "saved\n").unwrap();
    env.now = Some("2025-10-25T16:31:00".into());
    env.ok(&repo, &["checkpoint", "just saved"]);
    env.now = Some("2025-10-25T16:32:00".into());
    assert_eq!(env.hook(&repo, "prompt", &prompt), "");
}
