//! A pause keeps everything Claude wrote, and a pause that fails changes nothing.

mod common;
use common::*;
use std::io::Write;
use std::process::Stdio;

fn pause_with_summary(env: &Env, repo: &std::path::Path, summary: &str) -> std::process::Output {
    let mut cmd = env.cmd(repo, &["pause", "--summary-file", "-"]);
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(summary.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn a_summary_beyond_the_budget_is_kept_whole_in_the_notes() {
    let env = Env::new();
    let repo = env.repo("long-summary");
    let id = started_id(&env.ok(&repo, &["start", "long"]));
    let mut summary = String::from("## Summary\n\n");
    for i in 0..400 {
        summary.push_str(&format!("- detail line {i} of a long pause summary\n"));
    }
    summary.push_str("\n## Next steps\n\n- UNIQUE-LAST-STEP\n");
    let out = pause_with_summary(&env, &repo, &summary);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let record: serde_json::Value =
        serde_json::from_str(&read(&env.state.join("pause-state.json"))).unwrap();
    let project_key = repo.to_string_lossy().into_owned();
    let context = read(std::path::Path::new(
        record["projects"][&project_key]["context_file"]
            .as_str()
            .unwrap(),
    ));
    assert!(context.len() <= 8192, "budgeted: {}", context.len());
    assert!(context.contains("notes/"), "points to the whole text");
    let notes = env.active_dir(&repo, &id).join("notes");
    let full: Vec<String> = std::fs::read_dir(&notes)
        .unwrap()
        .flatten()
        .map(|e| read(&e.path()))
        .filter(|t| t.contains("detail line 399") && t.contains("UNIQUE-LAST-STEP"))
        .collect();
    assert_eq!(full.len(), 1, "the whole summary is in notes/");
}

#[test]
fn a_pause_that_cannot_write_its_record_leaves_the_session_active() {
    let env = Env::new();
    let repo = env.repo("failed-pause");
    let id = started_id(&env.ok(&repo, &["start", "failing"]));
    std::fs::write(env.state.join("pause-state.json"), "garbage").unwrap();
    let out = pause_with_summary(&env, &repo, "## Summary\n\nx\n");
    assert_eq!(out.status.code(), Some(1));
    let show: serde_json::Value =
        serde_json::from_str(&env.ok(&repo, &["show", &id, "--json"])).unwrap();
    assert_eq!(show["session"]["status"], "active");
}
