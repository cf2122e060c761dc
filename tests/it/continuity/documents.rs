//! The session's documents (seed 004) and its closeout (seed 002): `start --plan` writes
//! `plan.md`, every start writes `context.md`; `end` writes `completed.md`, `review.md` and
//! `backups/sessions/<id>.json`, and archives only after approval (`--yes`, or a yes on a
//! terminal).

use super::*;
use crate::support::*;
use serde_json::Value;

fn doc_of(env: &TestEnv, id: &str, name: &str) -> String {
    scrub(env, &read(&env.workspace(id).join(name)))
}

fn record_of(env: &TestEnv, id: &str) -> Value {
    parse_json(&read(
        &env.project_dir()
            .join(format!("backups/sessions/{id}.json")),
    ))
}

#[test]
fn start_plan_writes_the_plan_and_the_context() {
    let env = world();
    let out = env.ok(&[
        "start",
        "--plan",
        "Fix the parser",
        "--plan",
        "Add regression tests",
        "parser work",
    ]);
    let id = started_id(&out);
    assert!(out.contains("📋 Plan: "), "{out}");
    assert!(out.contains("🧭 Context: "), "{out}");
    insta::assert_snapshot!("plan_md", doc_of(&env, &id, "plan.md"));
    insta::assert_snapshot!("context_md_first", doc_of(&env, &id, "context.md"));
}

#[test]
fn a_start_without_plan_writes_the_context_only() {
    let env = world();
    let id = env.start("no plan");
    assert!(env.workspace(&id).join("context.md").is_file());
    assert!(!env.workspace(&id).join("plan.md").exists());
}

#[test]
fn a_plan_file_gives_one_objective_per_list_item() {
    let env = world();
    let plan =
        "# Today\n\nSome words first.\n\n- [ ] Fix the parser\n* Add tests\n3. Update the README\n";
    let out = env
        .run_stdin(
            &["start", "--plan-file", "-", "--plan", "Ship it", "work"],
            plan,
        )
        .ok();
    let id = started_id(&out.stdout);
    let text = read(&env.workspace(&id).join("plan.md"));
    assert!(
        text.contains(
            "1. Ship it\n2. Fix the parser\n3. Add tests\n4. Update the README\n\n## 📋 Task breakdown"
        ),
        "{text}"
    );
    assert!(text.contains("### Task 4: Update the README\n"), "{text}");
    assert!(!text.contains("Some words first"), "{text}");
}

/// A first session with maintenance runs and a summary, ended; then a second one.
fn two_sessions(env: &TestEnv) -> (String, String) {
    let first = started_id(&env.ok(&["start", "--plan", "Fix the parser", "parser"]));
    env.ok(&["tracker", "run", "tests", "--", "true"]);
    env.ok(&["tracker", "run", "lint", "--", "false"]);
    env.write("src/parser.rs", "pub fn parse() {}\n");
    env.ok(&["track", "src/parser.rs"]);
    env.git(&["add", "src/parser.rs"]);
    env.git(&["commit", "-q", "-m", "Fix the parser"]);
    env.write("notes.txt", "left over\n");
    // Claude checks what it finished in the plan's success metrics.
    let plan = env.workspace(&first).join("plan.md");
    let text = read(&plan).replace("- [ ] Fix the parser", "- [x] Fix the parser");
    std::fs::write(&plan, text).unwrap();
    env.at("2026-03-14T11:30:00Z");
    let summary = "## Summary\nThe parser is fixed.\n\n## Decisions\n- Hand-written parser\n";
    env.run_stdin(&["end", "--yes", "--summary-file", "-"], summary)
        .ok();
    env.at("2026-03-14T12:00:00Z");
    let second = env.start("next");
    (first, second)
}

#[test]
fn end_writes_completed_and_review_and_keeps_the_summary() {
    let env = world();
    let (first, second) = two_sessions(&env);
    let archived = env.archive_dir(&first);
    let completed = scrub(&env, &read(&archived.join("completed.md")));
    let review = scrub(&env, &read(&archived.join("review.md")));
    insta::assert_snapshot!("completed_md", completed);
    insta::assert_snapshot!("review_md", review);
    // The summary given at the end is kept in summary.md.
    let summary = read(&archived.join("summary.md"));
    assert!(summary.contains("The parser is fixed."), "{summary}");
    // The next session's context: the build/test status and the previous summary.
    insta::assert_snapshot!("context_md_next", doc_of(&env, &second, "context.md"));
}

#[test]
fn the_session_record_has_the_seed_002_schema() {
    let env = world();
    let id = env.start("record");
    for (path, text) in [
        ("src/auth.rs", "fn a() {}\n"),
        ("tests/auth.rs", "#[test] fn t() {}\n"),
        ("src/auth.test.ts", "test()\n"),
        ("docs/guide.md", "# Guide\n"),
        ("CHANGES.txt", "1.0\n"),
        ("scripts/deploy.sh", "echo\n"),
    ] {
        env.write(path, text);
        env.ok(&["track", path]);
    }
    env.ok(&["track", "README.md"]);
    let ws = env.workspace(&id);
    std::fs::write(ws.join("notes/idea.md"), "an idea\n").unwrap();
    std::fs::write(ws.join("decisions/001-parser.md"), "# Parser\n").unwrap();
    env.at("2026-03-14T10:45:00Z");
    let ended = env.json(&["end", "--yes", "--score", "8", "--json"]);
    let record = record_of(&env, &id);
    assert_eq!(
        ended["session_record"].as_str().unwrap(),
        env.project_dir()
            .join(format!("backups/sessions/{id}.json"))
            .to_str()
            .unwrap()
    );

    let keys: Vec<&str> = record
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for key in [
        "version",
        "session_id",
        "created_at",
        "closed_at",
        "duration_minutes",
        "topic",
        "agents",
        "artifacts",
        "metrics",
        "memory_snapshot",
        "learned_patterns",
    ] {
        assert!(keys.contains(&key), "{key} in {keys:?}");
    }
    assert_eq!(record["version"], 1);
    assert_eq!(record["session_id"], id.as_str());
    assert_eq!(record["created_at"], "2026-03-14T10:00:00Z");
    assert_eq!(record["closed_at"], "2026-03-14T10:45:00Z");
    assert_eq!(record["duration_minutes"], 45);
    assert_eq!(record["topic"], "record");
    assert!(record["agents"].as_array().unwrap().is_empty());
    assert!(record["memory_snapshot"].is_array());
    assert!(record["learned_patterns"].is_array());
    assert!(
        record["backup_location"]
            .as_str()
            .unwrap()
            .ends_with("-backup.zip")
    );
    assert_eq!(
        record["artifacts"],
        serde_json::json!({
            "code": ["src/auth.rs"],
            "tests": ["tests/auth.rs", "src/auth.test.ts"],
            "docs": ["docs/guide.md", "CHANGES.txt", "README.md"],
            "scripts": ["scripts/deploy.sh"],
            "notes": ["notes/idea.md", "decisions/001-parser.md"],
        })
    );
    let metrics = &record["metrics"];
    assert_eq!(metrics["files_created"], 6);
    assert_eq!(metrics["files_modified"], 1);
    assert_eq!(metrics["checkpoints"], 0);
    assert_eq!(metrics["agents_spawned"], 0);
    assert!(metrics["memory_entries"].is_u64());
    assert_eq!(metrics["tasks"]["totalTasks"], 0);
    assert!(metrics["completion_rate"].is_null());
    assert!(metrics["quality_score"].is_null());
    assert!(metrics["time_efficiency"].is_null());
}

#[test]
fn the_session_record_lists_agents_with_type_task_status_and_minutes() {
    let env = world();
    let id = env.start("agents");
    env.append_events(
        &id,
        &[
            serde_json::json!({"event": "task_started", "at": "2026-03-14T10:01:00Z", "tool_use_id": "toolu_1", "subagent_type": "tester", "description": "Write auth tests"}),
            serde_json::json!({"event": "task_finished", "at": "2026-03-14T10:09:00Z", "tool_use_id": "toolu_1", "status": "completed", "duration_ms": 480000}),
        ],
    );
    env.ok(&["end", "--yes", "--no-backup"]);
    let record = record_of(&env, &id);
    assert_eq!(
        record["agents"],
        serde_json::json!([{"type": "tester", "task": "Write auth tests", "status": "completed", "duration_minutes": 8}])
    );
    assert_eq!(record["metrics"]["agents_spawned"], 1);
    assert!(record["backup_location"].is_null(), "--no-backup: no ZIP");
}

#[test]
fn end_without_yes_off_a_terminal_refuses_and_archives_nothing() {
    let env = world();
    let id = env.start("careful");
    let err = env.fails(&["end", "--score", "8"]);
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    assert!(err.contains("end --dry-run"), "{err}");
    assert!(err.contains("end --yes"), "{err}");
    let shown = env.show(&id);
    assert_eq!(shown["archived"], false);
    assert_eq!(shown["session"]["status"], "active");
    assert!(
        !env.project_dir()
            .join("backups/sessions")
            .join(format!("{id}.json"))
            .exists()
    );
    assert!(!env.project_dir().join(format!("ending/{id}.json")).exists());
    // With the approval it ends (`-y` is `--yes`).
    let out = env.ok(&["end", "-y", "--score", "8"]);
    assert!(out.contains(&format!("Session completed: {id}")), "{out}");
    assert_eq!(env.show(&id)["archived"], true);
}

#[test]
fn end_without_yes_still_says_when_there_is_nothing_to_end() {
    let env = world();
    let err = env.fails(&["end"]);
    assert!(err.contains("no open session"), "{err}");
}

#[test]
fn the_dry_run_shows_the_numbers_to_approve() {
    let env = world();
    let id = env.start("numbers");
    env.ok(&["tracker", "run", "tests", "--", "true"]);
    env.ok(&["tracker", "run", "lint", "--", "false"]);
    // Another name: two identical runs at the fixed clock (same duration) would count once.
    env.ok(&["tracker", "run", "unit", "--", "true"]);
    env.write("a.txt", "a\n");
    env.ok(&["track", "a.txt"]);
    env.at("2026-03-14T11:05:00Z");
    let preview = env.json(&["end", "--dry-run", "--json"]);
    assert_eq!(preview["session_id"], id.as_str());
    assert_eq!(preview["duration_minutes"], 65);
    assert_eq!(preview["files_created"], 1);
    assert_eq!(preview["agents"], 0);
    assert_eq!(preview["indicators"]["runs_total"], 3);
    assert_eq!(preview["indicators"]["runs_passed"], 2);
    assert_eq!(preview["indicators"]["tasks_total"], 0);
    assert!(preview["indicators"]["completion_rate"].is_null());
    let text = env.ok(&["end", "--dry-run"]);
    for line in [
        "Duration: 1 h 05 min active",
        "Files: 1 created, 0 modified",
        "Agents: 0",
        "Tasks: 0 completed of 0",
        "Completion rate: not measured (no tasks)",
        "Quality score: 67% (2/3 maintenance runs passed)",
        "Uncommitted: 1 file(s)",
    ] {
        assert!(text.contains(line), "{line} in {text}");
    }
    assert_eq!(
        env.show(&id)["archived"],
        false,
        "a dry run changes nothing"
    );
}

/// `script` gives `end` a terminal: the question is asked there and only a yes archives.
#[test]
fn on_a_terminal_end_asks_and_archives_only_after_a_yes() {
    let env = world();
    let has_script = std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_script {
        eprintln!("no `script`: skipped");
        return;
    }
    let id = env.start("ask me");
    let line = format!("{BIN} end --no-backup");
    let no = env
        .command("script")
        .args(["-qec", &line, "/dev/null"])
        .capture_stdin("n\n");
    assert!(
        no.stdout.contains(&format!("Archive session {id}? [y/N]")),
        "{no:?}"
    );
    assert!(no.stdout.contains("Not archived"), "{no:?}");
    assert_eq!(env.show(&id)["archived"], false);
    let yes = env
        .command("script")
        .args(["-qec", &line, "/dev/null"])
        .capture_stdin("y\n");
    assert!(
        yes.stdout.contains(&format!("Session completed: {id}")),
        "{yes:?}"
    );
    assert_eq!(env.show(&id)["archived"], true);
}
