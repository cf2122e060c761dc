//! session-start: what the model is told, when it binds, and what it never does (resume a
//! session paused by hand, bind among several, exceed the budget).

use super::*;
use crate::support::*;
use serde_json::Value;
use std::time::Duration;

const A: &str = "aaaaaaaa-0000-4000-8000-0000000000aa";
const C: &str = "cccccccc-0000-4000-8000-0000000000cc";
const LIMIT: Duration = Duration::from_secs(60);

fn start_payload(env: &TestEnv, claude: &str) -> String {
    env.fixture_as("000-SessionStart-startup.json", claude, None)
}

/// Pauses `id` (bound to `claude`) through the session-end hook and waits for the record.
fn auto_pause(env: &TestEnv, id: &str, claude: &str) {
    env.hook(
        "session-end",
        env.fixture_as("030-SessionEnd.json", claude, None)
            .as_bytes(),
    );
    // No transcript at this path: the worker's pause is its last work (record, index, then the
    // status), done under the project lock; it is over once the session says paused and the
    // lock is free again.
    let lock = env.project_dir().join("sessions.lock");
    assert!(wait_for(LIMIT, || {
        env.pause_state()["projects"][&*env.project.to_string_lossy()]["session_id"] == id
            && env.show(id)["session"]["status"] == "paused"
            && std::fs::File::open(&lock).is_ok_and(|file| file.try_lock().is_ok())
    }));
}

fn set_record(env: &TestEnv, change: impl FnOnce(&mut Value)) {
    let mut state = env.pause_state();
    change(&mut state["projects"][&*env.project.to_string_lossy()]);
    std::fs::write(env.pause_state_path(), state.to_string()).unwrap();
}

#[test]
fn a_project_never_used_gets_no_output_and_no_files() {
    let env = world();
    let out = env.hook("session-start", start_payload(&env, A).as_bytes());
    assert!(out.stdout.is_empty());
    assert!(!env.state.join("claude-session/projects").exists());
    assert_eq!(env.hooks_log(), "");
}

#[test]
fn a_session_paused_by_hand_is_offered_not_resumed() {
    let env = world();
    let id = start(&env, "careful work", Some(A));
    auto_pause(&env, &id, A);
    // Make it look like /pause wrote the record.
    set_record(&env, |record| {
        record["auto"] = false.into();
        record["note"] = "back after lunch".into();
        record["branch"] = "main".into();
    });
    env.git(&["checkout", "-q", "-b", "feature"]);

    let out = env.hook("session-start", start_payload(&env, C).as_bytes());
    let context = additional_context(&out).unwrap();
    insta::assert_snapshot!("manual_pause_offered", redact(&env, &context));
    assert!(context.contains("/resume"));
    assert!(context.contains("back after lunch"));
    assert!(context.contains("The branch changed"));
    assert!(!env.project_dir().join("bindings").join(C).exists());
    assert_eq!(env.show(&id)["session"]["status"], "paused");
    assert_eq!(
        env.pause_state()["projects"][&*env.project.to_string_lossy()]["auto"],
        false
    );
}

#[test]
fn with_several_active_sessions_it_binds_to_none_and_lists_them() {
    let env = world();
    let one = start(&env, "one", None);
    let two = start(&env, "two", None);
    let context =
        additional_context(&env.hook("session-start", start_payload(&env, C).as_bytes())).unwrap();
    assert!(
        context.contains(&one) && context.contains(&two),
        "{context}"
    );
    assert!(context.contains("inbox"));
    assert!(!env.project_dir().join("bindings").join(C).exists());
}

#[test]
fn an_auto_paused_session_is_not_resumed_for_a_window_bound_elsewhere() {
    let env = world();
    let paused = start(&env, "paused one", Some(A));
    auto_pause(&env, &paused, A);
    let other = start(&env, "other", Some(C));
    let context =
        additional_context(&env.hook("session-start", start_payload(&env, C).as_bytes())).unwrap();
    assert!(
        context.contains(&format!("records into session {other}")),
        "{context}"
    );
    assert!(
        context.contains(&paused),
        "the paused one is mentioned: {context}"
    );
    assert_eq!(env.show(&paused)["session"]["status"], "paused");
    assert!(
        !env.pause_state()["projects"]
            .as_object()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn a_long_context_stays_within_the_budget_with_next_steps_first() {
    let env = world();
    env.config("[context]\nbudget_bytes = 2048\n");
    let id = start(&env, "huge", Some(A));
    // 5,000 artifacts through the hook's journal (as 5,000 post-edit calls would append).
    let journal = env.workspace(&id).join("events.jsonl");
    let mut lines = String::new();
    for n in 0..5000 {
        lines.push_str(&format!(
            "{{\"event\":\"artifact\",\"at\":\"{NOW}\",\"path\":\"src/module{n}.rs\",\"action\":\"created\"}}\n"
        ));
    }
    std::fs::OpenOptions::new()
        .append(true)
        .open(&journal)
        .and_then(|mut f| std::io::Write::write_all(&mut f, lines.as_bytes()))
        .unwrap();
    auto_pause(&env, &id, A);
    // The context file as the continuity work will write it: long, with next steps at the end.
    let record = &env.pause_state()["projects"][&*env.project.to_string_lossy()];
    let path = record["context_file"].as_str().unwrap().to_string();
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str("\n## In progress\n\n");
    text.push_str(&"- a long line about what was going on\n".repeat(300));
    text.push_str("\n## Next steps\n\n- write the migration\n- run the tests\n");
    std::fs::write(&path, text).unwrap();

    let out = env.hook("session-start", start_payload(&env, A).as_bytes());
    let context = additional_context(&out).unwrap();
    assert!(context.len() <= 2048, "{} bytes", context.len());
    let steps = context
        .find("Next steps:\n- write the migration")
        .expect("next steps");
    let body = context.find("Last context (").expect("context");
    let files = context.find("Files touched (5000):").expect("files");
    assert!(steps < body && body < files, "{context}");
    assert!(context.contains("src/module4999.rs"), "newest files first");
    assert!(context.contains("more"));
    assert_eq!(env.show(&id)["session"]["status"], "active", "auto-resumed");
}

#[test]
fn binding_adopts_what_waited_in_the_inbox() {
    let env = world();
    let one = start(&env, "one", None);
    let two = start(&env, "two", None);
    let write = env
        .fixture_as("006-PostToolUse-Write.json", C, None)
        .replace("notes.md", "waited.md");
    env.hook("post-edit", write.as_bytes());
    // `two` ends: `one` is now the only active session, and the next start binds to it.
    env.ok(&["end", "--yes", &two, "--no-backup"]);
    let context =
        additional_context(&env.hook("session-start", start_payload(&env, C).as_bytes())).unwrap();
    assert!(context.contains(&one));
    assert_eq!(
        env.show(&one)["artifacts"]["created"],
        serde_json::json!(["waited.md"])
    );
}
