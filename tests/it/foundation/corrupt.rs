//! Corrupt state is moved aside and reported, never read as empty.

use super::world;
use crate::support::*;

fn corrupt_copies(dir: &std::path::Path, name: &str) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&format!("{name}.corrupt-")))
        .collect()
}

#[test]
fn a_corrupt_project_json_is_moved_aside_and_rebuilt() {
    let env = world("proj");
    env.ok(&["start", "one"]);
    let project = env.project_dir();
    std::fs::write(project.join("project.json"), "{ not json").unwrap();
    let out = env.run(&["start", "two"]).ok();
    let err = &out.stderr;
    assert!(
        err.contains("did not parse") && err.contains("project.json"),
        "{err}"
    );
    let copies = corrupt_copies(&project, "project.json");
    assert_eq!(copies.len(), 1);
    assert!(
        copies[0].starts_with("project.json.corrupt-2025"),
        "{copies:?}"
    );
    assert_eq!(read(&project.join(&copies[0])), "{ not json");
    let rebuilt: serde_json::Value =
        serde_json::from_str(&read(&project.join("project.json"))).unwrap();
    assert_eq!(rebuilt["version"], 1);
    assert_eq!(rebuilt["name"], "proj");
}

#[test]
fn a_corrupt_session_yaml_is_rebuilt_from_the_journal() {
    let env = world("yaml");
    let id = started_id(&env.ok(&["start", "journal"]));
    env.ok(&["track", "README.md"]);
    let ws = env.active_dir(&id);
    let before = env.ok(&["show", &id, "--json"]);
    std::fs::write(ws.join("session.yaml"), "session: [unclosed\n").unwrap();
    let out = env.run(&["show", &id, "--json"]).ok();
    let err = &out.stderr;
    assert!(
        err.contains("did not parse") && err.contains("rebuilt"),
        "{err}"
    );
    assert_eq!(out.stdout, before, "nothing lost");
    assert_eq!(corrupt_copies(&ws, "session.yaml").len(), 1);
}

#[test]
fn a_session_that_cannot_be_rebuilt_stops_with_the_error() {
    let env = world("lost");
    let id = started_id(&env.ok(&["start", "gone"]));
    let ws = env.active_dir(&id);
    std::fs::write(ws.join("session.yaml"), "::: nope").unwrap();
    std::fs::remove_file(ws.join("events.jsonl")).unwrap();
    let err = env.fails(&["show", &id]);
    assert!(
        err.contains("cannot rebuild") && err.contains("session.yaml"),
        "{err}"
    );
    assert_eq!(
        corrupt_copies(&ws, "session.yaml").len(),
        1,
        "the bad copy is kept"
    );
}

#[test]
fn unreadable_journal_lines_are_skipped_not_fatal() {
    let env = world("journal");
    let id = started_id(&env.ok(&["start", "lines"]));
    let journal = env.active_dir(&id).join("events.jsonl");
    let mut text = read(&journal);
    text.push_str(
        "garbage line\n{\"event\":\"from_the_future\",\"at\":\"2025-10-25T14:31:00Z\"}\n",
    );
    std::fs::write(&journal, text).unwrap();
    env.ok(&["track", "README.md"]);
    let out = env.run(&["show", &id, "--json"]).ok();
    let json = parse_json(&out.stdout);
    assert_eq!(json["artifacts"]["modified"][0], "README.md");
    assert!(out.stderr.contains("skipped 1 unreadable line"));
}

#[test]
fn a_corrupt_index_is_rebuilt_from_the_workspaces() {
    let env = world("index");
    let id = started_id(&env.ok(&["start", "indexed"]));
    let project = env.project_dir();
    std::fs::write(project.join("index.json"), "[]").unwrap();
    let out = env.ok(&["status"]);
    assert!(out.contains(&id), "{out}");
    let index: serde_json::Value =
        serde_json::from_str(&read(&project.join("index.json"))).unwrap();
    assert_eq!(index["version"], 1);
    assert_eq!(index["sessions"][&id]["status"], "active");
}

#[test]
fn a_held_lock_gives_a_busy_error_not_a_hang() {
    let env = world("busy");
    env.ok(&["start", "locked"]);
    env.config("[locks]\nwait_ms = 50\n");
    let lock_path = env.project_dir().join("sessions.lock");
    let holder = std::fs::OpenOptions::new()
        .write(true)
        .open(&lock_path)
        .unwrap();
    holder.lock().unwrap();
    let err = env.fails(&["start", "blocked"]);
    assert!(
        err.contains("busy") && err.contains("sessions.lock"),
        "{err}"
    );
    drop(holder);
    env.ok(&["start", "unblocked"]);
}

#[test]
fn errors_stay_on_one_line_whatever_names_they_quote() {
    let env = world("oneline");
    env.ok(&["start", "x"]);
    let err = env.fails(&["backup", "milestone", "\n!!\n"]);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("claude-session: ") && err.contains("\\n"),
        "{err}"
    );
    let err = env.fails(&["show", "no\nsuch"]);
    assert_eq!(err.lines().count(), 1, "{err}");
}
