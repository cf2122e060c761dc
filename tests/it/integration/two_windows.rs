//! Two Claude Code windows on one project, each with its own session: each pauses and ends
//! its own, whether the conversation id comes as an option or from Claude Code's environment.

use super::world;
use crate::support::*;

const A: &str = "aaaaaaaa-1111-4111-8111-111111111111";
const B: &str = "bbbbbbbb-2222-4222-8222-222222222222";

#[test]
fn each_window_pauses_and_ends_its_own_session() {
    let env = world("two-windows");
    let a = started_id(&env.ok(&["start", "window a", "--claude-session", A]));
    let b = started_id(&env.ok(&["start", "--new", "window b", "--claude-session", B]));

    // Without a conversation id, two open sessions are ambiguous.
    let err = env.fails(&["pause"]);
    assert!(err.contains("several open sessions"), "{err}");

    // /pause in window A passes its id.
    let out = env.ok(&["pause", &format!("--claude-session={A}")]);
    assert!(out.contains(&a) && !out.contains(&b), "{out}");

    // /end in window B: the id comes from Claude Code's environment.
    let mut cmd = env.cmd(&["end", "--yes", "--no-backup"]);
    cmd.env("CLAUDE_CODE_SESSION_ID", B);
    let report = cmd.capture().ok().stdout;
    assert!(
        report.contains(&format!("Session completed: {b}")),
        "{report}"
    );

    let list = env.json(&["list", "--all", "--json"]);
    let status = |id: &str| {
        list["sessions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == id)
            .map(|s| s["status"].as_str().unwrap().to_string())
            .unwrap()
    };
    assert_eq!(status(&a), "paused");
    assert_eq!(status(&b), "completed");
}
