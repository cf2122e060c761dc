//! The commands: add, list, search, forget; the files they write; hand-written entries; bad
//! input.

use super::*;
use serde_json::Value;

#[test]
fn add_list_search_forget_through_the_binary() {
    let env = TestEnv::new();
    let decision = env.ok(&[
        "memory",
        "add",
        "decisions",
        "Use JWT for the API tokens\nSessions would need sticky routing.",
        "--tags",
        "auth,JWT",
    ]);
    let re = regex::Regex::new("decision [0-9a-f]{8}").unwrap();
    insta::assert_snapshot!(
        "add_text",
        re.replace_all(&clean(&env, &decision), "decision [ID]")
    );
    let pattern = env.json(&[
        "memory",
        "add",
        "pattern",
        "Retry",
        "with",
        "backoff",
        "--approach",
        "exponential, capped",
        "--outcome",
        "no lost records",
        "--lesson",
        "add jitter",
        "--lesson",
        "cap at 5 minutes",
        "--json",
    ]);
    let mut shown = pattern.clone();
    shown["file"] = Value::String(clean(&env, pattern["file"].as_str().unwrap()));
    insta::assert_snapshot!("add_pattern_json", masked(&shown));
    add(
        &env,
        &[
            "error",
            "cargo test flakes on the auth suite",
            "--tags",
            "ci",
        ],
    );

    let files: Vec<String> = std::fs::read_dir(memory_dir(&env))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md"))
        .collect();
    let mut files = files;
    files.sort();
    assert_eq!(files, ["decisions.md", "errors.md", "patterns.md"]);
    let patterns = std::fs::read_to_string(memory_dir(&env).join("patterns.md")).unwrap();
    let id = pattern["entry"]["id"].as_str().unwrap();
    insta::assert_snapshot!("patterns_md", patterns.replace(id, "[ID]"));
    assert!(patterns.starts_with("# Patterns\n\n"), "{patterns}");

    let list = env.json(&["memory", "list", "--json"]);
    assert_eq!(list["entries"].as_array().unwrap().len(), 3);
    // Kind order (architecture, patterns, decisions, errors), then file order.
    let kinds: Vec<&str> = list["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["pattern", "decision", "error"]);
    let only = env.json(&["memory", "list", "errors", "--json"]);
    assert_eq!(only["entries"].as_array().unwrap().len(), 1);
    assert_eq!(only["kind"], "error");

    let found = env.json(&["memory", "search", "auth", "--json"]);
    let ids: Vec<&str> = found["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["kind"].as_str().unwrap())
        .collect();
    // The tag beats the word in a title.
    assert_eq!(ids, ["decision", "error"]);
    assert_eq!(found["searched"], 3);
    let text = env.ok(&["memory", "search", "auth"]);
    let re = regex::Regex::new("[0-9a-f]{8}  ").unwrap();
    insta::assert_snapshot!("search_text", re.replace_all(&text, "[ID]  "));

    let decision_id = found["hits"][0]["id"].as_str().unwrap().to_string();
    let forgot = env.ok(&["memory", "forget", &decision_id[..5]]);
    assert!(forgot.contains("Forgot decision"), "{forgot}");
    let left = env.json(&["memory", "list", "--json"]);
    assert_eq!(left["entries"].as_array().unwrap().len(), 2);
    // Kept, as it was, in forgotten.md.
    let forgotten = std::fs::read_to_string(memory_dir(&env).join("forgotten.md")).unwrap();
    assert!(
        forgotten.contains("## decision: Use JWT for the API tokens"),
        "{forgotten}"
    );
    assert!(forgotten.contains("Sessions would need sticky routing."));
    assert!(forgotten.contains(&format!("id: {decision_id}")));
    let decisions = std::fs::read_to_string(memory_dir(&env).join("decisions.md")).unwrap();
    assert!(!decisions.contains("Use JWT"), "{decisions}");
    assert!(decisions.starts_with("# Decisions\n"), "the header stays");
    // Forgotten is gone for good from search, and its id is not found again.
    let again = env.fails(&["memory", "forget", &decision_id]);
    assert!(again.contains("no memory entry has this id"), "{again}");
}

#[test]
fn an_entry_added_in_a_session_records_it() {
    let env = TestEnv::new();
    let id = env.start("auth feature");
    let out = env.json(&[
        "memory",
        "add",
        "architecture",
        "Hooks never run git",
        "--json",
    ]);
    assert_eq!(out["entry"]["session"], id.as_str());
    let text = std::fs::read_to_string(memory_dir(&env).join("architecture.md")).unwrap();
    assert!(text.contains(&format!("· session {id} ·")), "{text}");
}

#[test]
fn hand_written_entries_count_with_stable_ids() {
    let env = TestEnv::new();
    env.ok(&["memory", "add", "decision", "first"]);
    let path = memory_dir(&env).join("decisions.md");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str(
        "\n## Postgres over MySQL\nWe need JSONB.\n\n```sh\n## not an entry\n```\n\n## Second by hand\n_tags: db_\n\nbody\n",
    );
    std::fs::write(&path, &text).unwrap();
    // A file of the user's with no entry at all is fine.
    std::fs::write(
        memory_dir(&env).join("errors.md"),
        "# Errors\n\nnothing yet\n",
    )
    .unwrap();
    let list = env.json(&["memory", "list", "--json"]);
    let entries = list["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 3, "{list}");
    assert_eq!(
        entries[1]["text"],
        "Postgres over MySQL\n\nWe need JSONB.\n\n```sh\n## not an entry\n```"
    );
    assert_eq!(entries[2]["tags"], serde_json::json!(["db"]));
    let hand_id = entries[1]["id"].as_str().unwrap().to_string();
    assert_eq!(hand_id.len(), 8);
    // The same id every time it is read.
    let again = env.json(&["memory", "list", "--json"]);
    assert_eq!(again["entries"][1]["id"], hand_id.as_str());
    // Search finds it; forget works on it and keeps the text; the rest of the file is untouched.
    let hit = env.json(&["memory", "search", "jsonb", "--json"]);
    assert_eq!(hit["hits"][0]["id"], hand_id.as_str());
    env.ok(&["memory", "forget", &hand_id]);
    let after = std::fs::read_to_string(&path).unwrap();
    assert!(!after.contains("Postgres"), "{after}");
    assert!(
        after.contains("## Second by hand\n_tags: db_\n\nbody\n"),
        "{after}"
    );
    let forgotten = std::fs::read_to_string(memory_dir(&env).join("forgotten.md")).unwrap();
    assert!(forgotten.contains("We need JSONB."), "{forgotten}");
    assert!(forgotten.contains(&format!("id: {hand_id}")), "{forgotten}");
}

#[test]
fn tags_beat_titles_and_titles_beat_bodies_ties_newest_first() {
    let env = TestEnv::new();
    let body = add(
        &env,
        &["decision", "Sessions\nThe cache is warmed at start."],
    );
    let title = add(&env, &["decision", "Cache invalidation on deploy"]);
    let tag = add(&env, &["architecture", "Redis in front", "--tags", "cache"]);
    add(&env, &["error", "unrelated thing"]);
    let found = env.json(&["memory", "search", "cache", "--json"]);
    let ids: Vec<&str> = found["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [tag.as_str(), title.as_str(), body.as_str()]);
    // A tie: the one added later first.
    env.at("2025-10-26T10:00:00Z");
    let newer = add(&env, &["decision", "Cache invalidation on rollback"]);
    let found = env.json(&["memory", "search", "invalidation", "--json"]);
    assert_eq!(found["hits"][0]["id"], newer.as_str());
    assert_eq!(found["hits"][1]["id"], title.as_str());
    // A rare word outweighs a common one.
    let found = env.json(&[
        "memory", "search", "cache", "rollback", "--limit", "1", "--json",
    ]);
    assert_eq!(found["hits"].as_array().unwrap().len(), 1);
    assert_eq!(found["hits"][0]["id"], newer.as_str());
}

#[test]
fn bad_input_is_one_line_naming_what_and_where() {
    let env = TestEnv::new();
    let cases: &[(&[&str], &str)] = &[
        (&["memory", "add", "notes", "x"], "not a memory kind"),
        (
            &["memory", "add", "decision", "  "],
            "the entry's text is empty",
        ),
        (
            &["memory", "add", "error", "x", "--approach", "y"],
            "for patterns only (memory add error)",
        ),
        (&["memory", "forget", "zz"], "hex digits"),
        (
            &["memory", "forget", "0123abcd"],
            "no memory entry has this id",
        ),
        (&["memory", "search", "the"], "no word to search for"),
        (&["memory", "search", "x", "--limit", "0"], "--limit"),
        (&["memory", "list", "stuff"], "not a memory kind"),
    ];
    for (args, expected) in cases {
        let err = env.fails(args);
        assert!(err.contains(expected), "{args:?}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
    }
    let json = env.run(&["memory", "forget", "0123abcd", "--json"]).fails();
    let doc: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(doc["command"], "memory forget");
}
