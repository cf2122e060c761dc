//! Session ids under concurrency, prefix resolution, and parallel tracking.

use super::world;
use crate::support::*;
use std::collections::BTreeSet;

#[test]
fn eight_racing_starts_get_eight_distinct_ids() {
    let env = world("race");
    let children: Vec<_> = (0..8)
        .map(|i| {
            env.cmd(&["start", &format!("racer {i}")])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut numbers = BTreeSet::new();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let id = started_id(&String::from_utf8(out.stdout).expect("UTF-8 stdout"));
        numbers.insert(id[19..22].to_string());
    }
    let expected: BTreeSet<String> = (1..=8).map(|n| format!("{n:03}")).collect();
    assert_eq!(numbers, expected);
    let list = env.json(&["list", "--json"]);
    assert_eq!(list["sessions"].as_array().unwrap().len(), 8);
}

#[test]
fn prefixes_resolve_uniquely_or_fail_clearly() {
    let env = world("prefix");
    let a = started_id(&env.ok(&["start", "alpha"]));
    let b = started_id(&env.ok(&["start", "beta"]));
    let out = env.ok(&["show", "2025-10-25-session-001"]);
    assert!(out.contains(&a), "{out}");
    let err = env.fails(&["show", "2025-10-25-session-00"]);
    assert!(
        err.contains("ambiguous") && err.contains(&a) && err.contains(&b),
        "{err}"
    );
    let err = env.fails(&["show", "2024"]);
    assert_eq!(
        err,
        "claude-session: session not found; see `claude-session list --all` (2024)\n"
    );
    // Without an id, end refuses to guess between two open sessions.
    let err = env.fails(&["end", "--yes"]);
    assert!(
        err.contains("several open sessions") && err.contains(&a),
        "{err}"
    );
    env.ok(&["end", "--yes", "2025-10-25-session-002", "--no-backup"]);
    // Archived sessions resolve too.
    assert!(
        env.ok(&["show", "2025-10-25-session-002"])
            .contains("completed")
    );
    // Now only one is open: end picks it.
    assert!(env.ok(&["end", "--yes", "--no-backup"]).contains(&a));
}

/// 16 `track` processes at a time into one session, each tracker's runs one after another:
/// every path recorded once. As in `hooks::concurrency`, the contention is set by the number of
/// trackers (each keeps one run in flight, so every append races with up to 15 others, checked
/// below); 25 rounds give 400 such appends. The former 200 rounds (3,200 processes, ~35 s on 2
/// cores) repeated the same race.
const TRACKERS: usize = 16;
const ROUNDS: usize = 25;

#[test]
fn sixteen_parallel_trackers_lose_nothing() {
    let env = world("parallel");
    let id = started_id(&env.ok(&["start", "parallel"]));
    // `track` records files that exist.
    for w in 0..TRACKERS {
        for round in 1..=ROUNDS {
            env.write(&format!("w{w}/f{round}.txt"), "");
        }
    }
    let spans = race(TRACKERS, ROUNDS, |w, round| {
        let path = format!("w{w}/f{}.txt", round + 1);
        env.ok(&["track", &path, "--action", "created"]);
    });
    assert_contended(&spans);
    let json = env.show(&id);
    let created: BTreeSet<String> = json["artifacts"]["created"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect();
    assert_eq!(created.len(), TRACKERS * ROUNDS);
    for w in 0..TRACKERS {
        for i in 1..=ROUNDS {
            assert!(created.contains(&format!("w{w}/f{i}.txt")));
        }
    }
    // Interleaved, not one tracker's lines after another's (that would be 15 switches).
    let switches = writer_switches(&env.journal(&id));
    assert!(
        switches >= TRACKERS * ROUNDS / 2,
        "only {switches} tracker switches in {} lines",
        TRACKERS * ROUNDS
    );
}
