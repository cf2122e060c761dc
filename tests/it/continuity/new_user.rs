//! What a new user hit (issue: lost summaries, silent wrong input, unreadable durations): each
//! test here failed before its fix.

use super::world;
use crate::support::*;

fn pause_record(env: &TestEnv) -> serde_json::Value {
    env.pause_record().expect("pause record")
}

#[test]
fn a_second_pause_with_nothing_new_changes_nothing() {
    let env = world();
    env.start("summaries");
    env.run_stdin(
        &["pause", "--note", "lunch", "--summary-file", "-"],
        "## Summary\n\nHalf way.\n\n## Next steps\n\n- finish the parser\n",
    )
    .ok();
    let before = pause_record(&env);
    let state_before = std::fs::read(env.pause_state_path()).unwrap();
    let out = env.ok(&["pause"]);
    assert!(
        out.contains("already paused") && out.contains("nothing was changed"),
        "{out}"
    );
    assert_eq!(std::fs::read(env.pause_state_path()).unwrap(), state_before);
    assert_eq!(pause_record(&env), before);
    assert_eq!(before["note"], "lunch");
    // What the next conversation is told still holds the summary and the next steps.
    let context = std::fs::read_to_string(before["context_file"].as_str().unwrap()).unwrap();
    assert!(context.contains("finish the parser") && !context.contains("_No summary was written"));
}

#[test]
fn a_new_pause_of_a_paused_session_keeps_the_older_context_reachable() {
    let env = world();
    env.start("supersede");
    env.run_stdin(&["pause", "--summary-file", "-"], "First state.\n")
        .ok();
    let first = pause_record(&env)["context_file"]
        .as_str()
        .unwrap()
        .to_string();
    env.at("2026-03-14T10:05:00Z");
    let out = env
        .run_stdin(&["pause", "--summary-file", "-"], "Second state.\n")
        .ok()
        .stdout;
    assert!(
        out.contains(&format!("Supersedes the earlier context (kept): {first}")),
        "{out}"
    );
    let second = pause_record(&env)["context_file"]
        .as_str()
        .unwrap()
        .to_string();
    assert_ne!(first, second);
    let text = std::fs::read_to_string(&second).unwrap();
    assert!(text.contains(&format!("- Supersedes: {first}")), "{text}");
    assert!(text.contains("Second state.") && std::path::Path::new(&first).exists());
}

#[test]
fn an_empty_summary_counts_as_none_and_says_so() {
    let env = world();
    env.start("empty");
    env.run_stdin(&["pause", "--summary-file", "-"], "Real words.\n")
        .ok();
    env.ok(&["resume"]);
    let out = env
        .run_stdin(&["pause", "--summary-file", "-"], "  \n\n")
        .ok()
        .stdout;
    assert!(
        out.contains("The summary given was empty: no new summary was saved"),
        "{out}"
    );
    let context = pause_record(&env)["context_file"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        std::fs::read_to_string(context)
            .unwrap()
            .contains("Real words.")
    );
}

#[test]
fn handoff_export_starts_from_the_latest_summary() {
    let env = world();
    env.start("handoff words");
    env.run_stdin(
        &["pause", "--summary-file", "-"],
        "## In progress\n\n- the UNIQUE-PARSER rewrite\n",
    )
    .ok();
    let paused = env.ok(&["handoff", "export"]);
    assert!(paused.contains("UNIQUE-PARSER"), "after a pause: {paused}");
    env.ok(&["resume"]);
    let resumed = env.ok(&["handoff", "export"]);
    assert!(
        resumed.contains("UNIQUE-PARSER"),
        "after a resume: {resumed}"
    );
}

#[test]
fn same_second_handoffs_and_answers_stay_apart_and_in_order() {
    let env = world();
    env.start("twice");
    // Three exports in the same second: the newest is the one an import answers.
    let mut ids = Vec::new();
    for _ in 0..3 {
        ids.push(
            env.json(&["handoff", "export", "--json"])["id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(sorted, ids, "names sort in the order they were made");
    let answered = env.json_stdin(&["handoff", "import", "--json"], "first answer\n");
    assert_eq!(answered["id"], ids[2].as_str());
    env.json_stdin(&["handoff", "import", "--json"], "second answer\n");
    // Both answers are merged, each into its own note.
    env.ok(&["pause"]);
    env.ok(&["resume"]);
    env.ok(&["pause"]);
    env.ok(&["resume"]);
    let notes: Vec<String> =
        std::fs::read_dir(env.active_dir("2026-03-14-session-001-twice").join("notes"))
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with("claude-ai-"))
            .collect();
    assert_eq!(notes.len(), 2, "{notes:?}");
}

#[test]
fn export_refuses_a_missing_folder_or_an_existing_file_and_records_nothing() {
    let env = world();
    env.start("export");
    let handoffs = || {
        std::fs::read_dir(env.state.join("claude-session/handoff"))
            .map(|d| d.flatten().count())
            .unwrap_or(0)
    };
    let missing = env.root.join("nonexistent/dir/h.md");
    let err = env.fails(&["handoff", "export", "--output", missing.to_str().unwrap()]);
    assert!(err.contains("folder does not exist"), "{err}");
    assert!(!env.root.join("nonexistent").exists(), "no folder was made");
    env.write("taken.md", "mine\n");
    let err = env.fails(&["handoff", "export", "--output", "taken.md"]);
    assert!(err.contains("the file exists"), "{err}");
    assert_eq!(env.read("taken.md"), "mine\n");
    assert_eq!(handoffs(), 0, "a refused export leaves no handoff record");
}

#[test]
fn clap_messages_name_what_is_missing_and_suggest() {
    let env = world();
    let err = env.fails(&["show"]);
    assert!(err.contains("<ID>") && err.lines().count() == 1, "{err}");
    let err = env.fails(&["stauts"]);
    assert!(
        err.contains("'status'") && err.lines().count() == 1,
        "{err}"
    );
    let err = env.fails(&["backup", "milestone"]);
    assert!(err.contains("<NAME>"), "{err}");
    // A bare group command prints its usage and exits 2, as clap does.
    for group in ["restore", "backup", "handoff"] {
        let out = env.run(&[group]);
        assert_eq!(out.code, 2, "{group}: {}", out.stderr);
        assert!(out.stderr.contains("Usage:"), "{group}: {}", out.stderr);
    }
}

#[test]
fn numbers_are_checked_once_with_their_range() {
    let env = world();
    env.start("numbers");
    for args in [
        &["end", "--yes", "--score", "11"][..],
        &["end", "--dry-run", "--score", "11"],
        &["end", "--yes", "--score", "-1"],
    ] {
        let err = env.fails(args);
        assert!(err.contains("from 0 to 10"), "{args:?}: {err}");
    }
    let err = env.fails(&["backup", "prune", "--keep-daily", "-3"]);
    assert!(err.contains("from 1 to 3650"), "{err}");
    let err = env.fails(&["remind", "every", "-5"]);
    assert!(err.contains("from 1 to 1440"), "{err}");
}

#[test]
fn a_project_must_be_a_folder() {
    let env = world();
    let err = env.fails(&["--project", "/etc/passwd", "status"]);
    assert!(
        err.contains("not a directory") && err.contains("/etc/passwd"),
        "{err}"
    );
}

#[test]
fn several_open_sessions_are_named_with_the_command_to_use() {
    let env = world();
    let first = started_id(&env.ok(&["start", "one"]));
    let out = env.ok(&["start", "two"]);
    assert!(
        out.contains(&format!("Also open in this project: {first} (active)")),
        "{out}"
    );
    assert!(out.contains("start --new"), "{out}");
    let second = started_id(&out);
    let err = env.fails(&["pause"]);
    assert!(err.contains(&first) && err.contains(&second), "{err}");
    assert!(
        err.contains(&format!("`claude-session pause --session {first}`")),
        "{err}"
    );
    // --session works everywhere a command acts on one session, and so does the positional id.
    env.ok(&["pause", "--session", &first]);
    env.ok(&["resume", "--session", &first]);
    env.json(&["checkpoints", "--session", &second, "--json"]);
    env.json(&["show", "--session", &second, "--json"]);
    env.ok(&["end", "--yes", "--session", &second, "--no-backup"]);
    // Today's number finds today's session.
    for number in ["001", "01", "1"] {
        assert_eq!(
            env.json(&["show", number, "--json"])["session"]["id"],
            first.as_str()
        );
    }
}

#[test]
fn durations_leave_pauses_out_and_read_like_time() {
    let env = world();
    let id = env.start("timed");
    env.at("2026-03-14T10:30:00Z");
    env.ok(&["pause"]);
    env.at("2026-03-14T11:30:00Z");
    env.ok(&["resume"]);
    env.at("2026-03-14T12:01:00Z");
    let out = env.ok(&["end", "--yes", "--no-backup"]);
    assert!(
        out.contains(
            "📊 Duration: 1 h 01 min active (2 h 01 min since the start, pauses included)"
        ),
        "{out}"
    );
    // No score given: no RULEMAP line.
    assert!(!out.contains("RULEMAP"), "{out}");
    let doc = env.show(&id);
    assert_eq!(doc["metrics"]["duration_minutes"], 61);
    assert_eq!(doc["metrics"]["wall_minutes"], 121);
    let help = env.ok(&["end", "--help"]);
    assert!(
        help.contains("self-assessment of how well the session followed"),
        "{help}"
    );
}
