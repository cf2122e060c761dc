//! 16 processes at a time × 1,000 post-edit events, into one session and into 16 sessions:
//! every artifact present, nothing corrupt, nothing logged as failed.

use super::*;
use crate::support::*;
use std::collections::BTreeSet;

const WRITERS: usize = 16;
const EVENTS: usize = 1000;

fn claude_id(writer: usize) -> String {
    format!("c0ffee00-0000-4000-8000-{writer:012}")
}

/// Writer `w`'s event `n`: a Write creating `w{w}/f{n}.rs`, except every fourth event, which is
/// an Edit of the file created just before (it must not turn it into "modified").
fn payload(env: &TestEnv, writer: usize, claude: &str, n: usize) -> Vec<u8> {
    let text = if n % 4 == 3 {
        env.fixture_as("010-PostToolUse-Edit.json", claude, None)
            .replace("notes.md", &format!("w{writer}/f{}.rs", n - 1))
    } else {
        env.fixture_as("006-PostToolUse-Write.json", claude, None)
            .replace("notes.md", &format!("w{writer}/f{n}.rs"))
    };
    text.into_bytes()
}

fn expected_created(writer: usize) -> BTreeSet<String> {
    (0..EVENTS)
        .filter(|n| n % 4 != 3)
        .map(|n| format!("w{writer}/f{n}.rs"))
        .collect()
}

fn hammer(env: &TestEnv, ids: &[String]) {
    std::thread::scope(|scope| {
        for (writer, claude) in ids.iter().enumerate() {
            scope.spawn(move || {
                for n in 0..EVENTS {
                    let out = env.hook("post-edit", payload(env, writer, claude, n));
                    assert!(out.stdout.is_empty());
                }
            });
        }
    });
}

fn created(env: &TestEnv, id: &str) -> Vec<String> {
    env.show(id)["artifacts"]["created"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

fn check_journal(env: &TestEnv, id: &str, artifacts: usize) {
    let journal = env.journal(id);
    for line in journal.lines() {
        serde_json::from_str::<serde_json::Value>(line)
            .unwrap_or_else(|e| panic!("torn journal line ({e}): {line}"));
    }
    assert_eq!(events_of(&journal, "artifact").len(), artifacts);
}

#[test]
fn sixteen_writers_into_one_session() {
    let env = world();
    let ids: Vec<String> = (0..WRITERS).map(claude_id).collect();
    // One session; every writer's Claude session bound to it (subagents and parallel hooks).
    let id = start(&env, "shared", Some(&ids[0]));
    for claude in &ids[1..] {
        let start = env.fixture_as("000-SessionStart-startup.json", claude, None);
        env.hook("session-start", start.as_bytes());
    }
    hammer(&env, &ids);
    check_journal(&env, &id, WRITERS * EVENTS);
    let got: BTreeSet<String> = created(&env, &id).into_iter().collect();
    let want: BTreeSet<String> = (0..WRITERS).flat_map(expected_created).collect();
    assert_eq!(got.len(), want.len());
    assert_eq!(got, want);
    assert!(
        env.show(&id)["artifacts"]["modified"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(env.hooks_log(), "");
    assert!(env.corrupt_files().is_empty());
}

#[test]
fn sixteen_writers_into_sixteen_sessions() {
    let env = world();
    let ids: Vec<String> = (0..WRITERS).map(claude_id).collect();
    let sessions: Vec<String> = ids
        .iter()
        .enumerate()
        .map(|(w, claude)| start(&env, &format!("writer {w}"), Some(claude)))
        .collect();
    hammer(&env, &ids);
    for (writer, id) in sessions.iter().enumerate() {
        check_journal(&env, id, EVENTS);
        let got: BTreeSet<String> = created(&env, id).into_iter().collect();
        assert_eq!(got, expected_created(writer), "session {id}");
    }
    assert_eq!(env.hooks_log(), "");
    assert!(env.corrupt_files().is_empty());
}
