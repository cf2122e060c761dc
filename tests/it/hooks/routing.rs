//! Which session an event lands in: the bound one, else the only active one, else the Claude
//! session's inbox (adopted by `start --claude-session`). Windows never mix their records.

use super::*;
use crate::support::*;
use serde_json::Value;
use std::time::Duration;

const A: &str = "aaaaaaaa-0000-4000-8000-000000000001";
const B: &str = "bbbbbbbb-0000-4000-8000-000000000002";
const C: &str = "cccccccc-0000-4000-8000-000000000003";

/// A PostToolUse Write payload of `claude` for `file` (relative to `repo`).
fn write_payload(env: &TestEnv, claude: &str, file: &str) -> String {
    env.fixture_as("006-PostToolUse-Write.json", claude, None)
        .replace("notes.md", file)
}

fn paths(doc: &Value, kind: &str) -> Vec<String> {
    doc["artifacts"][kind]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

fn inbox(env: &TestEnv, claude: &str) -> String {
    std::fs::read_to_string(
        env.project_dir()
            .join("inbox")
            .join(format!("{claude}.jsonl")),
    )
    .unwrap_or_default()
}

#[test]
fn two_claude_sessions_on_one_project_keep_their_records_apart() {
    let env = world();
    let first = start(&env, "first window", Some(A));
    let second = start(&env, "second window", Some(B));
    for (claude, file) in [(A, "a1.md"), (B, "b1.md"), (A, "a2.md"), (B, "b2.md")] {
        env.hook("post-edit", write_payload(&env, claude, file).as_bytes());
    }
    for (claude, text) in [(A, "prompt of A"), (B, "prompt of B")] {
        let prompt = env
            .fixture_as("002-UserPromptSubmit.json", claude, None)
            .replace("do the work", text);
        env.hook("prompt", prompt.as_bytes());
    }
    env.hook(
        "pre-task",
        env.fixture_as("020-PreToolUse-Agent.json", B, None)
            .as_bytes(),
    );
    env.hook(
        "post-task",
        env.fixture_as("026-PostToolUse-Agent.json", B, None)
            .as_bytes(),
    );
    let a = env.show(&first);
    let b = env.show(&second);
    assert_eq!(paths(&a, "created"), ["a1.md", "a2.md"]);
    assert_eq!(paths(&b, "created"), ["b1.md", "b2.md"]);
    assert_eq!(a["prompts"]["recent"], serde_json::json!(["prompt of A"]));
    assert_eq!(b["prompts"]["recent"], serde_json::json!(["prompt of B"]));
    assert_eq!(a["agents"].as_array().unwrap().len(), 0);
    assert_eq!(b["agents"][0]["status"], "completed");
    assert_eq!(env.hooks_log(), "");
}

#[test]
fn without_a_binding_the_only_active_session_takes_the_event() {
    let env = world();
    let id = start(&env, "only one", None);
    // cwd in a subfolder: the project is still the repository's top level.
    let sub = env.project.join("src/deep");
    std::fs::create_dir_all(&sub).unwrap();
    let payload = write_payload(&env, A, "src/deep/x.rs").replace(
        &format!("\"cwd\": \"{}\"", env.project.display()),
        &format!("\"cwd\": \"{}\"", sub.display()),
    );
    assert!(payload.contains("src/deep\""));
    env.hook("post-edit", payload.as_bytes());
    assert_eq!(paths(&env.show(&id), "created"), ["src/deep/x.rs"]);
}

#[test]
fn with_several_active_sessions_and_no_binding_events_wait_in_the_inbox_until_start_adopts_them() {
    let env = world();
    let one = start(&env, "one", Some(A));
    let two = start(&env, "two", Some(B));
    env.hook("post-edit", write_payload(&env, C, "c.md").as_bytes());
    env.hook(
        "prompt",
        env.fixture_as("002-UserPromptSubmit.json", C, None)
            .as_bytes(),
    );
    assert_eq!(events_of(&inbox(&env, C), "artifact").len(), 1);
    assert_eq!(events_of(&inbox(&env, C), "prompt").len(), 1);
    assert!(paths(&env.show(&one), "created").is_empty());
    assert!(paths(&env.show(&two), "created").is_empty());

    let third = start(&env, "three", Some(C));
    let doc = env.show(&third);
    assert_eq!(paths(&doc, "created"), ["c.md"]);
    assert_eq!(doc["prompts"]["count"], 1);
    assert_eq!(inbox(&env, C), "", "adopted");
    // Bound now: the next event goes straight to the session.
    env.hook("post-edit", write_payload(&env, C, "c2.md").as_bytes());
    assert_eq!(paths(&env.show(&third), "created"), ["c.md", "c2.md"]);
}

#[test]
fn a_project_without_sessions_keeps_events_for_the_first_start() {
    let env = world();
    env.hook("post-edit", write_payload(&env, A, "early.md").as_bytes());
    assert_eq!(events_of(&inbox(&env, A), "artifact").len(), 1);
    let id = start(&env, "late start", Some(A));
    assert_eq!(paths(&env.show(&id), "created"), ["early.md"]);
}

#[test]
fn a_binding_to_an_ended_session_counts_as_none() {
    let env = world();
    let old = start(&env, "old", Some(A));
    env.ok(&["end", "--yes", &old, "--no-backup"]);
    let new = start(&env, "new", None);
    env.hook("post-edit", write_payload(&env, A, "after.md").as_bytes());
    assert_eq!(paths(&env.show(&new), "created"), ["after.md"]);
    assert!(paths(&env.show(&old), "created").is_empty());
}

#[test]
fn a_paused_session_keeps_its_bound_claude_session_but_takes_no_strays() {
    let env = world();
    let id = start(&env, "pausing", Some(A));
    // Claude session A quits: the session is paused by the detached worker.
    env.hook(
        "session-end",
        env.fixture_as("030-SessionEnd.json", A, None).as_bytes(),
    );
    // No transcript at this path: the worker's pause is its last work (record, index, then
    // the status), so it is done once the session says paused.
    assert!(wait_for(Duration::from_secs(60), || {
        std::fs::read_to_string(env.pause_state_path()).is_ok_and(|t| t.contains(&id))
            && env.show(&id)["session"]["status"] == "paused"
    }));
    assert_eq!(env.show(&id)["session"]["status"], "paused");
    // A is still bound (e.g. a late hook of that window): its record goes to the session.
    env.hook("post-edit", write_payload(&env, A, "late.md").as_bytes());
    assert_eq!(paths(&env.show(&id), "created"), ["late.md"]);
    // Another, unbound window: paused sessions are not "the active one"; the inbox keeps it.
    env.hook("post-edit", write_payload(&env, B, "stray.md").as_bytes());
    assert_eq!(events_of(&inbox(&env, B), "artifact").len(), 1);
    assert_eq!(paths(&env.show(&id), "created"), ["late.md"]);
}

#[test]
fn events_of_another_project_go_to_that_project() {
    let env = world();
    let here = start(&env, "here", Some(A));
    let elsewhere = env.dir("api");
    env.git_in(&elsewhere, &["init", "-q", "-b", "main"]);
    let there = start_in(&env, &elsewhere, "there", Some(B));
    let payload = env
        .fixture_as("006-PostToolUse-Write.json", B, Some(&elsewhere))
        .replace("notes.md", "server.rs");
    env.hook_in(&elsewhere, "post-edit", payload.as_bytes());
    assert!(paths(&env.show(&here), "created").is_empty());
    let doc = parse_json(&env.ok_in(&elsewhere, &["show", &there, "--json"]));
    assert_eq!(paths(&doc, "created"), ["server.rs"]);
}

#[test]
fn paths_through_a_symlink_are_made_relative_to_the_project() {
    let env = world();
    let id = start(&env, "links", Some(A));
    let link = env.root.join("link-to-webapp");
    std::os::unix::fs::symlink(&env.project, &link).unwrap();
    std::fs::write(env.project.join("linked.md"), "x").unwrap();
    let payload = env
        .fixture_as("006-PostToolUse-Write.json", A, Some(&link))
        .replace("notes.md", "linked.md");
    env.hook("post-edit", payload.as_bytes());
    assert_eq!(paths(&env.show(&id), "created"), ["linked.md"]);
    // A file outside the project keeps its absolute path.
    let outside = env.root.join("elsewhere.txt");
    let payload = env
        .fixture_as("010-PostToolUse-Edit.json", A, None)
        .replace(
            &format!("{}/notes.md", env.project.display()),
            &outside.to_string_lossy(),
        );
    env.hook("post-edit", payload.as_bytes());
    assert_eq!(
        paths(&env.show(&id), "modified"),
        [outside.to_string_lossy().into_owned()]
    );
}
