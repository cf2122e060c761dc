//! What `start`, `resume` and SessionStart inject: the entries relevant to the focus and the
//! last ended session's summary, within a quarter of the budget, never pushing out the
//! session's own context.

use super::*;
use serde_json::Value;

const A: &str = "aaaaaaaa-0000-4000-8000-0000000000aa";

fn seed_memory(env: &TestEnv) -> (String, String) {
    let auth = add(
        env,
        &[
            "decision",
            "Use JWT for the API tokens\nSessions would need sticky routing.",
            "--tags",
            "auth,jwt",
        ],
    );
    let other = add(
        env,
        &[
            "error",
            "The CSV export times out on big tables",
            "--tags",
            "export",
        ],
    );
    (auth, other)
}

#[test]
fn start_shows_the_relevant_entries_and_the_last_summary() {
    let env = TestEnv::new();
    let (auth, other) = seed_memory(&env);
    let first = env.start("billing");
    env.run_stdin(
        &["end", "--yes", "--summary-file", "-"],
        "## Summary\n\nInvoices are generated nightly.\n\n## Lessons\n- keep the cron idempotent\n",
    )
    .ok();
    env.at("2025-10-25T16:00:00Z");
    let out = env.json(&["start", "authentication", "tokens", "--json"]);
    let memory = &out["started"]["memory"];
    assert_eq!(
        memory["entries"],
        serde_json::json!([auth.as_str()]),
        "{out}"
    );
    assert_eq!(memory["last_session"], first.as_str());
    let text = memory["text"].as_str().unwrap();
    assert!(text.contains("Use JWT for the API tokens"), "{text}");
    assert!(!text.contains(&other), "{text}");
    assert!(text.contains("Invoices are generated nightly."), "{text}");
    // A quarter of the default 8192-byte budget at most.
    assert!(text.len() <= 2048, "{}", text.len());
    let id = out["started"]["session_id"].as_str().unwrap().to_string();
    env.ok(&["pause", &id]);
    let resumed = env.ok(&["resume"]);
    assert!(resumed.contains("Use JWT for the API tokens"), "{resumed}");
    insta::assert_snapshot!(
        "start_memory_text",
        text.replace(&auth, "[ID]").replace(&first, "[SESSION]")
    );
}

#[test]
fn start_without_memory_shows_none() {
    let env = TestEnv::new();
    let out = env.json(&["start", "anything", "--json"]);
    assert!(out["started"].get("memory").is_none(), "{out}");
}

fn session_start(env: &TestEnv) -> String {
    let payload = env.fixture_as("000-SessionStart-startup.json", A, None);
    additional_context(&env.hook("session-start", payload.as_bytes())).expect("a context")
}

#[test]
fn session_start_injects_relevant_memory_within_the_budget() {
    let env = TestEnv::new();
    env.config("[context]\nbudget_bytes = 2048\n");
    let (auth, other) = seed_memory(&env);
    // Many relevant entries: more than a quarter of the budget holds.
    for n in 0..60 {
        add(
            &env,
            &[
                "pattern",
                &format!("Token refresh variant {n}"),
                "--tags",
                "auth",
            ],
        );
    }
    env.ok(&["start", "--claude-session", A, "auth tokens"]);
    let context = session_start(&env);
    assert!(context.len() <= 2048, "{}", context.len());
    let at = context
        .find("Project memory relevant to the focus")
        .expect(&context);
    // After the session's own lines, at most a quarter of the budget.
    assert!(context.len() - at <= 512, "{}", context.len() - at);
    assert!(context.contains(&auth), "{context}");
    assert!(!context.contains(&other), "{context}");
    assert!(context.starts_with("claude-session: this conversation records into session"));
}

#[test]
fn session_start_with_no_session_open_offers_the_memory_and_the_last_summary() {
    let env = TestEnv::new();
    let (auth, other) = seed_memory(&env);
    let first = env.start("billing");
    env.run_stdin(
        &["end", "--yes", "--summary-file", "-"],
        "## Summary\n\nInvoices are generated nightly.\n",
    )
    .ok();
    let context = session_start(&env);
    assert!(
        context.starts_with("claude-session: no session is open in this project (/start"),
        "{context}"
    );
    // No focus yet: the newest entries, and the summary of the session that just ended.
    assert!(
        context.contains(&auth) && context.contains(&other),
        "{context}"
    );
    assert!(
        context.contains("Invoices are generated nightly."),
        "{context}"
    );
    assert!(context.contains(&first), "{context}");
    assert!(context.len() <= 8192 / 4 + 100, "{}", context.len());
}

#[test]
fn session_start_in_a_project_without_memory_says_nothing() {
    let env = TestEnv::new();
    let id = env.start("billing");
    env.ok(&["end", "--yes", &id]);
    let payload = env.fixture_as("000-SessionStart-startup.json", A, None);
    let out = env.hook("session-start", payload.as_bytes());
    assert!(additional_context(&out).is_none(), "{out:?}");
}

#[test]
fn the_sessions_own_context_is_never_pushed_out() {
    let env = TestEnv::new();
    env.config("[context]\nbudget_bytes = 2048\n");
    seed_memory(&env);
    let id = env.start("auth tokens");
    let mut summary = String::from("## Summary\n\n");
    for n in 0..80 {
        summary.push_str(&format!("- auth step {n} done with care and tests\n"));
    }
    summary.push_str("\n## Next steps\n\n- wire the refresh endpoint\n");
    env.run_stdin(
        &["pause", &id, "--claude-session", A, "--summary-file", "-"],
        summary,
    )
    .ok();
    let context = session_start(&env);
    assert!(context.len() <= 2048, "{}", context.len());
    assert!(context.contains("wire the refresh endpoint"), "{context}");
    // The context file filled the budget: no room was taken from it for memory.
    let memory_at = context.find("Project memory");
    if let Some(at) = memory_at {
        assert!(context[..at].contains("auth step 0"), "{context}");
    }
}

#[test]
fn json_documents_of_search_and_list() {
    let env = TestEnv::new();
    env.ok(&[
        "memory",
        "add",
        "architecture",
        "Hooks never run git\nThey only append.",
        "--tags",
        "hooks",
    ]);
    let list: Value = env.json(&["memory", "list", "--json"]);
    let mut list = list;
    list["dir"] = Value::String(clean(&env, list["dir"].as_str().unwrap()));
    insta::assert_snapshot!("list_json", masked(&list));
    let search = env.json(&["memory", "search", "git", "hooks", "--json"]);
    insta::assert_snapshot!("search_json", masked(&search));
}
