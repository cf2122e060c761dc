//! Context files: every section from a real session (snapshot), and the byte budget.

use super::*;
use serde_json::json;

fn context_of_pause(env: &TestEnv) -> String {
    let record = env.pause_record().expect("pause record");
    std::fs::read_to_string(record["context_file"].as_str().expect("path")).expect("context")
}

#[test]
fn context_file_holds_every_section() {
    let env = world();
    let id = env.start("refactor answer");
    // Work during the session: a commit, tracked artifacts, uncommitted changes.
    env.write("src/split.rs", "pub fn half() -> u32 {\n    21\n}\n");
    env.git(&["add", "-A"]);
    env.git(&["commit", "-q", "-m", "Split answer into halves"]);
    env.run(&["track", "src/split.rs", "--action", "created"])
        .ok();
    env.run(&["track", "src/lib.rs"]).ok();
    env.write("src/lib.rs", "pub fn answer() -> u32 {\n    2 * 21\n}\n");
    env.write("src/wip.rs", "// todo\n// more\n");
    // What the hooks record: prompts, an agent task, a checkpoint.
    env.append_events(
        &id,
        &[
            json!({"event": "prompt", "at": "2026-03-14T10:05:00Z", "text": "Please split answer()\ninto two halves"}),
            json!({"event": "task_started", "at": "2026-03-14T10:06:00Z", "tool_use_id": "toolu_01", "subagent_type": "general-purpose", "description": "Find callers of answer"}),
            json!({"event": "task_finished", "at": "2026-03-14T10:07:00Z", "tool_use_id": "toolu_01", "status": "completed", "duration_ms": 42000, "total_tokens": 1200}),
            json!({"event": "checkpoint", "at": "2026-03-14T10:10:00Z", "entry": {"id": "cp-001", "time": "10:10:00", "description": "before the split", "files_snapshot": ["src/lib.rs"]}}),
            json!({"event": "prompt", "at": "2026-03-14T10:20:00Z", "text": "now pause, lunch"}),
        ],
    );
    env.at("2026-03-14T10:30:00Z");
    let summary = "## Summary\nSplitting `answer()` into halves.\n\n## Accomplished\n- `half()` in src/split.rs\n\n## In progress\n- `answer()` uses `half()`\n\n## Next steps\n1. Run `cargo test`\n2. Remove src/wip.rs\n\n## Open questions\n- Is 42 still right?\n";
    env.run_stdin(
        &["pause", "--note", "back at 2", "--summary-file", "-"],
        summary,
    )
    .ok();
    let context = context_of_pause(&env);
    insta::assert_snapshot!("context_file_pause", scrub(&env, &context));
}

#[test]
fn a_summary_without_headings_goes_under_summary_and_none_is_said() {
    let env = world();
    env.start("plain");
    env.run_stdin(
        &["pause", "--summary-file", "-"],
        "Just one line of state.\n",
    )
    .ok();
    let context = context_of_pause(&env);
    assert!(
        context.contains("\n## Summary\n\nJust one line of state.\n"),
        "{context}"
    );
    // A later pause without new words keeps the summary written before (it is not lost to a
    // pause that had nothing to add).
    env.run(&["resume"]).ok();
    env.run(&["pause"]).ok();
    let context = context_of_pause(&env);
    assert!(
        context.contains("\n## Summary\n\nJust one line of state.\n"),
        "{context}"
    );
    // A session nobody wrote a summary for says so.
    let quiet = crate::support::started_id(&env.ok(&["start", "--new", "quiet"]));
    env.run(&["pause", "--session", &quiet]).ok();
    let context = context_of_pause(&env);
    assert!(
        context.contains("_No summary was written (pause)"),
        "{context}"
    );
}

fn big_session(env: &TestEnv) -> String {
    let id = env.start("big");
    let artifacts: Vec<serde_json::Value> = (0..300)
        .map(|n| {
            json!({"event": "artifact", "at": "2026-03-14T10:01:00Z",
                   "path": format!("generated/module_{n:03}/file.rs"), "action": "created"})
        })
        .collect();
    env.append_events(&id, &artifacts);
    for n in 0..40 {
        env.write(&format!("dirty/file_{n:02}.txt"), "x\n");
    }
    let mut summary = String::new();
    for title in [
        "Summary",
        "Accomplished",
        "In progress",
        "Next steps",
        "Open questions",
    ] {
        summary.push_str(&format!("## {title}\n"));
        for n in 0..60 {
            summary.push_str(&format!("- {title} item {n}: some words to take room\n"));
        }
        summary.push('\n');
    }
    summary
}

#[test]
fn the_context_file_keeps_to_its_budget_and_full_ignores_it() {
    let env = world();
    let summary = big_session(&env);
    env.run_stdin(&["pause", "--summary-file", "-"], &summary)
        .ok();
    let context = context_of_pause(&env);
    assert!(context.len() <= 8192, "{} bytes", context.len());
    assert!(
        context.len() > 6000,
        "the budget is used: {} bytes",
        context.len()
    );
    assert!(context.contains("Cut to the 8192-byte budget"));
    // Every heading Claude wrote keeps its beginning, and git's part keeps a place.
    for title in [
        "Summary",
        "Accomplished",
        "In progress",
        "Next steps",
        "Open questions",
    ] {
        assert!(
            context.contains(&format!("## {title}\n\n- {title} item 0:")),
            "{title}"
        );
    }
    assert!(context.contains("## Uncommitted changes"));

    env.run(&["resume"]).ok();
    env.at("2026-03-14T10:31:00Z");
    env.run_stdin(&["pause", "--full", "--summary-file", "-"], &summary)
        .ok();
    let full = context_of_pause(&env);
    assert!(full.len() > 20_000, "{} bytes", full.len());
    assert!(!full.contains("Cut to the"));
    assert!(full.contains("- Open questions item 59:"));
    assert!(full.contains("generated/module_299/file.rs"));
    assert!(full.contains("dirty/file_39.txt"));
}

#[test]
fn the_budget_follows_the_setting() {
    let env = world();
    let summary = big_session(&env);
    env.config("[context]\nbudget_bytes = 2048\n");
    env.run_stdin(&["pause", "--summary-file", "-"], &summary)
        .ok();
    let context = context_of_pause(&env);
    assert!(context.len() <= 2048, "{} bytes", context.len());
    assert!(context.contains("Cut to the 2048-byte budget"));
    assert!(context.starts_with("# Context: demo\n"));
}
