//! A pause keeps everything Claude wrote, and a pause that fails changes nothing.

use super::world;
use crate::support::*;

fn pause_with_summary(env: &TestEnv, summary: &str) -> Out {
    env.run_stdin(&["pause", "--summary-file", "-"], summary)
}

#[test]
fn a_summary_beyond_the_budget_is_kept_whole_in_the_notes() {
    let env = world("long-summary");
    let repo = env.project.clone();
    let id = started_id(&env.ok(&["start", "long"]));
    let mut summary = String::from("## Summary\n\n");
    for i in 0..400 {
        summary.push_str(&format!("- detail line {i} of a long pause summary\n"));
    }
    summary.push_str("\n## Next steps\n\n- UNIQUE-LAST-STEP\n");
    pause_with_summary(&env, &summary).ok();

    let record: serde_json::Value = serde_json::from_str(&read(&env.pause_state_path())).unwrap();
    let project_key = repo.to_string_lossy().into_owned();
    let context = read(std::path::Path::new(
        record["projects"][&project_key]["context_file"]
            .as_str()
            .unwrap(),
    ));
    assert!(context.len() <= 8192, "budgeted: {}", context.len());
    assert!(context.contains("notes/"), "points to the whole text");
    let notes = env.active_dir(&id).join("notes");
    let full: Vec<String> = std::fs::read_dir(&notes)
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("context-"))
        .map(|e| read(&e.path()))
        .filter(|t| t.contains("detail line 399") && t.contains("UNIQUE-LAST-STEP"))
        .collect();
    assert_eq!(full.len(), 1, "the whole summary is in notes/");
}

#[test]
fn a_pause_that_cannot_write_its_record_leaves_the_session_active() {
    let env = world("failed-pause");
    let id = started_id(&env.ok(&["start", "failing"]));
    std::fs::write(env.pause_state_path(), "garbage").unwrap();
    pause_with_summary(&env, "## Summary\n\nx\n").fails();
    let show = env.show(&id);
    assert_eq!(show["session"]["status"], "active");
}
