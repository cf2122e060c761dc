//! 16 hook processes at a time, each writer sending its post-edit events one after another,
//! into one session and into 16 sessions: every artifact present once, nothing corrupt,
//! nothing logged as failed.
//!
//! Why these numbers are enough. The contention is set by WRITERS, not EVENTS: each writer
//! keeps one `hook post-edit` process in flight the whole time, so every append races with up
//! to 15 others (the two tests check that the calls really overlapped, and the one-session
//! journal that the writers' lines really interleave). What can go wrong, a lost or torn line
//! of two O_APPEND writes, an event routed to another window's session, an Edit folded into
//! "modified", needs one overlap to show, and 64 rounds give about a thousand of them per test.
//! The former 1,000 rounds (32,000 processes for the two tests, ~115 s on 2 cores: each run of
//! the debug binary costs ~6 ms, mostly the kernel mapping and faulting in its 100 MB) repeated
//! the same races, adding time but no case.

use super::*;
use crate::support::*;
use std::collections::BTreeSet;

const WRITERS: usize = 16;
const EVENTS: usize = 64;

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

/// Every writer sends its events, all writers at once; asserts that they overlapped.
fn hammer(env: &TestEnv, ids: &[String]) {
    let spans = race(WRITERS, EVENTS, |writer, n| {
        let out = env.hook("post-edit", payload(env, writer, &ids[writer], n));
        assert!(out.stdout.is_empty());
    });
    assert_contended(&spans);
    eprintln!(
        "{} hook runs, {:.0}% overlapping another writer's",
        spans.len(),
        overlapped(&spans) * 100.0
    );
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
    // An appender that saw another's line half-copied starts on a fresh line: an empty line,
    // which readers skip (store::append_line); anything else must be a whole record.
    for line in journal.lines().filter(|l| !l.is_empty()) {
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
    // Interleaved, not one writer's block after another's (that would be 15 switches).
    let switches = writer_switches(&env.journal(&id));
    assert!(
        switches >= WRITERS * EVENTS / 2,
        "only {switches} writer switches in {} lines",
        WRITERS * EVENTS
    );
    eprintln!(
        "{switches} writer switches in {} journal lines",
        WRITERS * EVENTS
    );
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
