//! `end` on real repositories: git outcome recorded, pause record cleared, final context file,
//! `--push` to a local bare remote, and a failing push that still ends the session.

use super::*;

fn archived_doc(env: &TestEnv, id: &str) -> serde_json::Value {
    let doc = env.show(id);
    assert_eq!(doc["archived"], true, "the session is archived");
    doc
}

#[test]
fn end_records_branch_commits_and_uncommitted_files_and_clears_the_pause() {
    let env = world();
    let id = env.start("ship it");
    env.git(&["checkout", "-q", "-b", "feature"]);
    for n in 1..=2 {
        env.write(&format!("f{n}.txt"), "x\n");
        env.git(&["add", "-A"]);
        env.git(&["commit", "-q", "-m", &format!("Add f{n}")]);
    }
    env.write("left.txt", "not committed\n");
    env.run(&["pause"]).ok();
    assert!(env.pause_record().is_some());

    env.at("2026-03-14T12:00:00Z");
    let summary = "## Summary\nShipped.\n\n## Next steps\n- Release\n";
    let out = env
        .run_stdin(
            &["end", "--yes", "--summary-file", "-", "--no-backup"],
            summary,
        )
        .ok();
    assert!(
        out.stdout.contains(&format!("Session completed: {id}")),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("🌿 Branch: main → feature, 2 commit(s) this session")
    );
    assert!(
        out.stdout
            .contains("1 uncommitted file(s) left in the working tree: left.txt")
    );
    assert!(out.stdout.contains("Pause record cleared"));
    assert!(env.pause_record().is_none());

    let doc = archived_doc(&env, &id);
    assert_eq!(doc["git"]["starting_branch"], "main");
    assert_eq!(doc["git"]["ending_branch"], "feature");
    assert_eq!(doc["git"]["ending_commit"], env.head().as_str());
    assert_eq!(doc["git"]["commits_count"], 2);
    assert_eq!(
        doc["git"]["uncommitted_files"],
        serde_json::json!(["left.txt"])
    );
    assert_eq!(doc["session"]["status"], "completed");

    let line = out
        .stdout
        .lines()
        .find(|l| l.contains("Final context:"))
        .expect("final context line");
    let path = line.split("Final context: ").nth(1).expect("path");
    let context = std::fs::read_to_string(path).expect("final context file");
    assert!(context.contains("(end)"));
    assert!(context.contains("- Release"));
    assert!(context.contains("- ") && context.contains("Add f2"));
}

#[test]
fn end_dry_run_shows_what_would_be_recorded() {
    let env = world();
    let id = env.start("preview end");
    env.write("src/lib.rs", "pub fn answer() -> u32 {\n    1\n}\n");
    let out = env.run(&["end", "--dry-run"]).ok();
    assert!(out.stdout.contains(&format!("Session to end: {id}")));
    assert!(out.stdout.contains("Commits this session: 0"));
    assert!(
        out.stdout.contains(" M src/lib.rs (+1 -1)"),
        "{}",
        out.stdout
    );
    assert_eq!(env.show(&id)["session"]["status"], "active");
}

#[test]
fn end_push_pushes_the_branch_to_a_bare_remote() {
    let env = world();
    let remote = env.root.join("remote.git");
    env.git_in(&env.root, &["init", "-q", "--bare", "remote.git"]);
    env.git(&["remote", "add", "origin", &remote.to_string_lossy()]);
    env.git(&["push", "-q", "origin", "main"]);
    let id = env.start("push me");
    env.write("pushed.txt", "to the remote\n");
    env.git(&["add", "-A"]);
    env.git(&["commit", "-q", "-m", "Push this"]);

    let out = env.run(&["end", "--yes", "--push", "--no-backup"]).ok();
    assert!(
        out.stdout.contains("🚀 Pushed main to origin"),
        "{}",
        out.stdout
    );
    let remote_head = env.git_in(&remote, &["rev-parse", "refs/heads/main"]);
    assert_eq!(remote_head, env.head());
    archived_doc(&env, &id);
}

#[test]
fn a_failing_push_is_reported_and_the_session_still_ends() {
    let env = world();
    let missing = env.root.join("no-such-remote.git");
    env.git(&["remote", "add", "origin", &missing.to_string_lossy()]);
    let id = env.start("push fails");
    env.run(&["pause"]).ok();
    let out = env.run(&["end", "--yes", "--push", "--no-backup"]).ok();
    assert!(out.stdout.contains(&format!("Session completed: {id}")));
    assert!(
        out.stdout.contains("⚠️ Push of main to origin failed"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("nothing is lost"));
    assert!(out.stdout.contains("Final context:"));
    assert!(env.pause_record().is_none());
    assert_eq!(archived_doc(&env, &id)["session"]["status"], "completed");
    assert!(!missing.exists());
}

#[test]
fn end_push_without_a_remote_says_so() {
    let env = world();
    env.start("no remote");
    let out = env.run(&["end", "--yes", "--push", "--no-backup"]).ok();
    assert!(
        out.stdout.contains("Push skipped: no remote"),
        "{}",
        out.stdout
    );
}
