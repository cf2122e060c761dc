//! pause → resume on real repositories: same branch, branch mismatch and its three choices,
//! WIP commits, detached HEAD, outside git, and `start` taking the resume path.

use super::*;

const SUMMARY: &str = "## Summary\nRefactoring the answer function.\n\n## Accomplished\n- Split answer()\n\n## In progress\n- Tests for answer()\n\n## Next steps\n- Run cargo test\n\n## Open questions\n- Keep 42?\n";

fn status_of(env: &TestEnv, id: &str) -> String {
    env.show(id)["session"]["status"]
        .as_str()
        .expect("status")
        .to_string()
}

#[test]
fn pause_then_resume_on_the_same_branch() {
    let env = world();
    let id = env.start("refactor answer");
    env.write("src/lib.rs", "pub fn answer() -> u32 {\n    41 + 1\n}\n");
    env.at("2026-03-14T10:30:00Z");
    let out = env
        .run_stdin(
            &[
                "pause",
                "--note",
                "lunch",
                "--summary-file",
                "-",
                "--claude-session",
                "11111111-aaaa-bbbb-cccc-000000000001",
            ],
            SUMMARY,
        )
        .ok();
    assert!(
        out.stdout.contains(&format!("Session paused: {id}")),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("/resume"));

    let record = env.pause_record().expect("a pause record");
    assert_eq!(record["session_id"], id.as_str());
    assert_eq!(record["branch"], "main");
    assert_eq!(record["head_commit"], env.head().as_str());
    assert_eq!(record["dirty_files"], serde_json::json!(["src/lib.rs"]));
    assert_eq!(record["note"], "lunch");
    assert_eq!(record["wip_commit"], serde_json::Value::Null);
    assert_eq!(record["auto"], false);
    assert_eq!(record["handoff"], false);
    assert_eq!(record["paused_at"], "2026-03-14T10:30:00Z");
    assert_eq!(env.pause_state()["version"], 1);
    let context_path = record["context_file"].as_str().expect("context file");
    assert!(context_path.starts_with(&*env.state.join("contexts").to_string_lossy()));
    let context = std::fs::read_to_string(context_path).expect("context file exists");
    for part in [
        "## Next steps",
        "- Run cargo test",
        "src/lib.rs",
        "- Note: lunch",
    ] {
        assert!(context.contains(part), "context lacks {part}:\n{context}");
    }
    assert_eq!(status_of(&env, &id), "paused");

    env.at("2026-03-14T11:30:00Z");
    let out = env
        .run(&[
            "resume",
            "--claude-session",
            "22222222-aaaa-bbbb-cccc-000000000002",
        ])
        .ok();
    assert!(
        out.stdout.contains(&format!("Session resumed: {id}")),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("- Run cargo test"),
        "the context is printed"
    );
    assert!(out.stdout.contains("## Ready to work"));
    assert!(env.pause_record().is_none(), "the record is cleared");
    assert_eq!(status_of(&env, &id), "active");
    let doc = env.show(&id);
    let bound: Vec<&str> = doc["claude_sessions"]
        .as_array()
        .expect("claude sessions")
        .iter()
        .map(|c| c["id"].as_str().expect("id"))
        .collect();
    assert_eq!(
        bound,
        [
            "11111111-aaaa-bbbb-cccc-000000000001",
            "22222222-aaaa-bbbb-cccc-000000000002"
        ]
    );
    let binding = env
        .project_dir()
        .join("bindings/22222222-aaaa-bbbb-cccc-000000000002");
    assert_eq!(
        std::fs::read_to_string(binding).expect("binding").trim(),
        id
    );
    // The work in the tree was never touched.
    assert_eq!(
        env.read("src/lib.rs"),
        "pub fn answer() -> u32 {\n    41 + 1\n}\n"
    );
}

#[test]
fn branch_mismatch_shows_three_choices_and_changes_nothing_then_switch() {
    let env = world();
    let id = env.start("feature work");
    env.run(&["pause"]).ok();
    env.git(&["checkout", "-q", "-b", "other"]);
    let state_before = std::fs::read(env.pause_state_path()).expect("pause state");

    let out = env.run(&["resume"]).ok();
    assert!(out.stdout.contains("Branch mismatch"), "{}", out.stdout);
    assert!(out.stdout.contains("paused on main"));
    assert!(out.stdout.contains("now on other"));
    assert!(out.stdout.contains("--switch-branch"));
    assert!(out.stdout.contains("--stay"));
    assert!(out.stdout.contains("Cancel"));
    assert_eq!(
        std::fs::read(env.pause_state_path()).expect("state"),
        state_before
    );
    assert_eq!(env.branch(), "other");
    assert_eq!(status_of(&env, &id), "paused");

    let out = env.run(&["resume", "--switch-branch"]).ok();
    assert!(out.stdout.contains("Switched to main"), "{}", out.stdout);
    assert!(out.stdout.contains(&format!("Session resumed: {id}")));
    assert_eq!(env.branch(), "main");
    assert!(env.pause_record().is_none());
    assert_eq!(status_of(&env, &id), "active");
}

#[test]
fn switch_branch_is_refused_on_a_dirty_tree_and_touches_nothing() {
    let env = world();
    let id = env.start("careful");
    env.run(&["pause"]).ok();
    env.git(&["checkout", "-q", "-b", "other"]);
    env.write("src/lib.rs", "pub fn answer() -> u32 {\n    7\n}\n");
    env.git(&["commit", "-q", "-am", "Seven on other"]);
    // Uncommitted work on top, in a tracked file and a new file.
    let dirty = "pub fn answer() -> u32 {\n    8 // not committed\n}\n";
    env.write("src/lib.rs", dirty);
    env.write("notes.txt", "scratch\n");
    let state_before = std::fs::read(env.pause_state_path()).expect("pause state");
    let head_before = env.head();

    let out = env.run(&["resume", "--switch-branch"]);
    assert_eq!(out.code, 1, "refused: {}", out.stdout);
    assert!(out.stderr.contains("uncommitted changes"), "{}", out.stderr);
    assert!(out.stderr.contains("nothing was changed"));
    assert_eq!(env.read("src/lib.rs"), dirty);
    assert_eq!(env.read("notes.txt"), "scratch\n");
    assert_eq!(env.branch(), "other");
    assert_eq!(env.head(), head_before);
    assert_eq!(
        std::fs::read(env.pause_state_path()).expect("state"),
        state_before
    );
    assert_eq!(status_of(&env, &id), "paused");

    // The same command with --soft-fail (as a `!` line runs it) exits 0 with the message.
    let out = env.run(&["--soft-fail", "resume", "--switch-branch"]).ok();
    assert!(out.stdout.contains("⚠️"), "{}", out.stdout);
    assert!(out.stdout.contains("uncommitted changes"));
    assert_eq!(env.read("src/lib.rs"), dirty);
}

#[test]
fn switch_branch_never_overwrites_an_untracked_file() {
    let env = world();
    env.start("untracked");
    env.run(&["pause"]).ok();
    env.git(&["checkout", "-q", "-b", "other"]);
    // `main` gets a tracked file that exists here only as the user's untracked file.
    env.git(&["checkout", "-q", "main"]);
    env.write("clash.txt", "on main\n");
    env.git(&["add", "clash.txt"]);
    env.git(&["commit", "-q", "-m", "Clash on main"]);
    env.git(&["checkout", "-q", "other"]);
    env.write("clash.txt", "the user's own, untracked\n");
    env.write("other-untracked.txt", "harmless\n");
    let state_before = std::fs::read(env.pause_state_path()).expect("pause state");

    let out = env.run(&["resume", "--switch-branch"]);
    assert_eq!(out.code, 1, "refused: {}", out.stdout);
    assert!(out.stderr.contains("checkout refused"), "{}", out.stderr);
    assert_eq!(env.read("clash.txt"), "the user's own, untracked\n");
    assert_eq!(env.branch(), "other");
    assert_eq!(
        std::fs::read(env.pause_state_path()).expect("state"),
        state_before
    );

    // Without the clash, untracked files do not block the switch and are kept.
    std::fs::remove_file(env.project.join("clash.txt")).expect("remove");
    env.run(&["resume", "--switch-branch"]).ok();
    assert_eq!(env.branch(), "main");
    assert_eq!(env.read("clash.txt"), "on main\n");
    assert_eq!(env.read("other-untracked.txt"), "harmless\n");
}

#[test]
fn stay_continues_on_the_current_branch() {
    let env = world();
    let id = env.start("stay here");
    env.run(&["pause"]).ok();
    env.git(&["checkout", "-q", "-b", "other"]);
    let out = env.run(&["resume", "--stay"]).ok();
    assert!(out.stdout.contains("Staying on other"), "{}", out.stdout);
    assert!(out.stdout.contains(&format!("Session resumed: {id}")));
    assert_eq!(env.branch(), "other");
    assert!(env.pause_record().is_none());
    assert_eq!(status_of(&env, &id), "active");
}

#[test]
fn wip_commit_commits_everything_without_running_hooks() {
    let env = world();
    let id = env.start("wip please");
    // Hooks that would leave a mark if git ran them.
    let marker = env.root.join("hook-ran");
    for hook in [
        "pre-commit",
        "commit-msg",
        "post-commit",
        "prepare-commit-msg",
    ] {
        let path = env.project.join(".git/hooks").join(hook);
        std::fs::write(
            &path,
            format!("#!/bin/sh\necho {hook} >> '{}'\n", marker.display()),
        )
        .expect("hook");
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    env.write("src/lib.rs", "pub fn answer() -> u32 {\n    43\n}\n");
    env.write("src/new.rs", "pub struct New;\n");
    env.write(".env", "API_KEY=kept-out-of-history\n");
    env.write("deploy/.env.production", "DB_PASSWORD=also-kept-out\n");
    let before = env.head();

    let out = env.run(&["pause", "--wip-commit"]).ok();
    assert!(out.stdout.contains("WIP commit:"), "{}", out.stdout);
    let head = env.head();
    assert_ne!(head, before);
    assert_eq!(
        env.git(&["log", "-1", "--format=%s"]),
        "WIP: wip please (claude-session pause)"
    );
    assert_eq!(env.git(&["rev-parse", "HEAD~1"]), before);
    let files = env.git(&["show", "--name-only", "--format=", "HEAD"]);
    assert_eq!(
        files.lines().collect::<Vec<_>>(),
        ["src/lib.rs", "src/new.rs"]
    );
    assert_eq!(
        env.git(&["show", "HEAD:src/lib.rs"]),
        "pub fn answer() -> u32 {\n    43\n}"
    );
    assert_eq!(env.git(&["show", "HEAD:src/new.rs"]), "pub struct New;");
    // Only the `.env` files are left, untouched and uncommitted.
    assert_eq!(
        env.git(&["status", "--porcelain", "--untracked-files=all"]),
        "?? .env\n?? deploy/.env.production"
    );
    assert_eq!(env.read(".env"), "API_KEY=kept-out-of-history\n");
    assert!(
        out.stdout.contains("Left out of the WIP commit"),
        "{}",
        out.stdout
    );
    assert!(!marker.exists(), "no git hook ran");

    let record = env.pause_record().expect("record");
    assert_eq!(record["wip_commit"], head.as_str());
    assert_eq!(record["head_commit"], head.as_str());
    assert_eq!(
        record["dirty_files"],
        serde_json::json!([".env", "deploy/.env.production"])
    );

    // A second WIP pause with only `.env` files changed commits nothing.
    env.run(&["resume"]).ok();
    let out = env.run(&["pause", "--wip-commit"]).ok();
    assert!(
        out.stdout.contains("WIP commit: none (nothing to commit)"),
        "{}",
        out.stdout
    );
    assert_eq!(env.head(), head);
    assert_eq!(status_of(&env, &id), "paused");

    // The hooks are live: an ordinary commit does run them.
    env.write("late.txt", "x\n");
    env.git(&["add", "late.txt"]);
    env.git(&["commit", "-q", "-m", "Ordinary"]);
    assert!(marker.exists(), "the hooks work when git is used normally");
}

#[test]
fn detached_head_is_recorded_and_restored() {
    let env = world();
    env.write("b.txt", "b\n");
    env.git(&["add", "b.txt"]);
    env.git(&["commit", "-q", "-m", "Second"]);
    let first = env.git(&["rev-parse", "HEAD~1"]);
    let id = env.start("bisecting");
    env.git(&["checkout", "-q", "--detach", &first]);

    env.run(&["pause"]).ok();
    let record = env.pause_record().expect("record");
    assert_eq!(record["branch"], serde_json::Value::Null);
    assert_eq!(record["head_commit"], first.as_str());
    let context =
        std::fs::read_to_string(record["context_file"].as_str().expect("path")).expect("context");
    assert!(
        context.contains(&format!("detached at {}", &first[..7])),
        "{context}"
    );

    env.git(&["checkout", "-q", "main"]);
    let out = env.run(&["resume"]).ok();
    assert!(out.stdout.contains("Branch mismatch"), "{}", out.stdout);
    assert!(out.stdout.contains(&format!("detached at {}", &first[..7])));

    let out = env.run(&["resume", "--switch-branch"]).ok();
    assert!(
        out.stdout.contains(&format!("Session resumed: {id}")),
        "{}",
        out.stdout
    );
    assert_eq!(env.head(), first);
    assert!(
        !env.git_ok(&["symbolic-ref", "-q", "HEAD"]),
        "HEAD is detached"
    );
    assert!(env.pause_record().is_none());
}

#[test]
fn outside_git_everything_works_without_the_git_parts() {
    let env = plain_world();
    env.write("notes.md", "plain folder\n");
    let id = env.start("no git here");
    let out = env
        .run_stdin(&["pause", "--wip-commit", "--summary-file", "-"], SUMMARY)
        .ok();
    assert!(
        out.stdout.contains("not a git repository"),
        "{}",
        out.stdout
    );
    let record = env.pause_record().expect("record");
    assert_eq!(record["branch"], serde_json::Value::Null);
    assert_eq!(record["head_commit"], serde_json::Value::Null);
    assert_eq!(record["wip_commit"], serde_json::Value::Null);
    let context =
        std::fs::read_to_string(record["context_file"].as_str().expect("path")).expect("context");
    assert!(context.contains("(not a git repository)"));
    assert!(!context.contains("## Uncommitted changes"));
    assert!(!context.contains("## Commits during the session"));

    let out = env.run(&["resume"]).ok();
    assert!(
        out.stdout.contains(&format!("Session resumed: {id}")),
        "{}",
        out.stdout
    );
    assert!(env.pause_record().is_none());
    let out = env.run(&["end", "--yes", "--push", "--no-backup"]).ok();
    assert!(out.stdout.contains("Session completed"), "{}", out.stdout);
    assert!(out.stdout.contains("Push skipped: not a git repository"));
}

#[test]
fn resume_without_a_record_says_so_and_lists_sessions() {
    let env = world();
    let id = env.start("listed");
    let out = env.run(&["resume"]).ok();
    assert!(out.stdout.contains("No paused session"), "{}", out.stdout);
    assert!(out.stdout.contains(&id));
    assert_eq!(status_of(&env, &id), "active");

    let empty = world();
    let out = empty.run(&["resume"]).ok();
    assert!(out.stdout.contains("No paused session"));
    assert!(out.stdout.contains("No sessions yet"));
}

#[test]
fn start_resumes_the_paused_session_unless_new() {
    let env = world();
    let id = env.start("first");
    env.run_stdin(&["pause", "--summary-file", "-"], SUMMARY)
        .ok();

    let out = env
        .run(&[
            "start",
            "something else",
            "--claude-session",
            "${CLAUDE_SESSION_ID}",
        ])
        .ok();
    assert!(out.stdout.contains("resuming it instead"), "{}", out.stdout);
    assert!(out.stdout.contains(&format!("Session resumed: {id}")));
    assert!(out.stdout.contains("- Run cargo test"));
    let sessions = env.json(&["list", "--json"]);
    assert_eq!(
        sessions["sessions"].as_array().expect("list").len(),
        1,
        "no second session"
    );
    // An unsubstituted placeholder binds nothing.
    assert_eq!(env.show(&id)["claude_sessions"], serde_json::json!([]));

    env.run(&["pause"]).ok();
    let out = env.run(&["start", "--new", "separate"]).ok();
    assert!(out.stdout.contains("Session started:"), "{}", out.stdout);
    assert!(out.stdout.contains("separate"));
    assert_eq!(
        env.pause_record().expect("record stays")["session_id"],
        id.as_str()
    );
    assert_eq!(status_of(&env, &id), "paused");

    // Pausing the second session replaces the record and says how to reach the first one.
    let second = out
        .stdout
        .lines()
        .find_map(|l| l.strip_prefix("✅ Session started: "))
        .expect("the new id")
        .to_string();
    assert_ne!(second, id);
    let out = env.run(&["pause", &second]).ok();
    assert!(
        out.stdout
            .contains(&format!("replaces the pause record of {id}")),
        "{}",
        out.stdout
    );
    assert_eq!(status_of(&env, &id), "paused");
}

#[test]
fn start_on_another_branch_asks_before_resuming() {
    let env = world();
    env.start("first");
    env.run(&["pause"]).ok();
    env.git(&["checkout", "-q", "-b", "elsewhere"]);
    let out = env.run(&["start"]).ok();
    assert!(out.stdout.contains("Branch mismatch"), "{}", out.stdout);
    assert!(!out.stdout.contains("Session started"));
    assert!(env.pause_record().is_some());
}

#[test]
fn dry_runs_change_nothing_and_soft_fail_exits_zero() {
    let env = world();
    let out = env.run(&["--soft-fail", "pause", "--dry-run"]).ok();
    assert!(
        out.stdout
            .starts_with("⚠️ claude-session could not do this"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("no open session"));
    let out = env.run(&["pause", "--dry-run"]);
    assert_eq!(out.code, 1);

    let id = env.start("preview");
    env.write("src/lib.rs", "changed\n");
    let out = env.run(&["pause", "--dry-run"]).ok();
    assert!(out.stdout.contains(&format!("Session to pause: {id}")));
    assert!(out.stdout.contains(" M src/lib.rs"));
    assert!(env.pause_record().is_none());
    assert_eq!(status_of(&env, &id), "active");

    let out = env.run(&["start", "--dry-run"]).ok();
    assert!(out.stdout.contains("Open already"), "{}", out.stdout);
    env.run(&["pause"]).ok();
    let out = env.run(&["start", "--dry-run"]).ok();
    assert!(out.stdout.contains("A session is paused"), "{}", out.stdout);
    assert!(env.pause_record().is_some());
}

#[test]
fn a_stale_record_is_cleared_and_start_goes_on_with_a_new_session() {
    let env = world();
    // A record naming a session that does not exist (left by a crash or a deleted folder).
    std::fs::write(
        env.pause_state_path(),
        serde_json::json!({
            "version": 1,
            "projects": {
                env.project.to_string_lossy(): {
                    "session_id": "2026-03-01-session-009-gone",
                    "paused_at": "2026-03-01T10:00:00Z",
                    "branch": "main",
                    "head_commit": null,
                    "context_file": null
                }
            }
        })
        .to_string(),
    )
    .expect("state");
    let out = env.run(&["start", "fresh"]).ok();
    assert!(out.stdout.contains("record was cleared"), "{}", out.stdout);
    assert!(out.stdout.contains("Session started:"));
    assert!(env.pause_record().is_none());
}

#[test]
fn resume_by_id_without_a_record_reactivates_that_session() {
    let env = world();
    let id = env.start("by id");
    env.run_stdin(&["pause", "--summary-file", "-"], SUMMARY)
        .ok();
    // The record is gone (another machine's state, a manual edit): the session is still paused.
    std::fs::write(env.pause_state_path(), "{\"version\": 1, \"projects\": {}}").expect("state");
    let out = env.run(&["resume", &id[..21]]).ok();
    assert!(
        out.stdout.contains("without a branch check"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains("- Run cargo test"),
        "the pause copy in the notes is shown"
    );
    assert_eq!(status_of(&env, &id), "active");
}

#[test]
fn a_corrupt_pause_state_is_moved_aside_and_never_read_as_empty() {
    let env = world();
    env.start("corrupt");
    std::fs::write(env.pause_state_path(), "{ not json").expect("state");
    let out = env.run(&["resume"]);
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("pause-state.json did not parse"),
        "{}",
        out.stderr
    );
    let moved = std::fs::read_dir(&env.state)
        .expect("state dir")
        .filter_map(|e| e.ok())
        .any(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("pause-state.json.corrupt-")
        });
    assert!(moved, "the unreadable copy is kept beside");
    // Until the user deals with the copy, nothing reads the records as gone.
    for args in [&["resume"][..], &["start", "again"], &["pause"]] {
        let again = env.run(args);
        assert_eq!(again.code, 1, "{args:?}: {}", again.stdout);
        assert!(again.stderr.contains("is kept at"), "{}", again.stderr);
    }
    // Deleting the copy is the user's go-ahead.
    for entry in std::fs::read_dir(&env.state).expect("state dir").flatten() {
        if entry
            .file_name()
            .to_string_lossy()
            .starts_with("pause-state.json.corrupt-")
        {
            std::fs::remove_file(entry.path()).expect("remove copy");
        }
    }
    assert_eq!(env.run(&["resume"]).code, 0);
}
