//! What killed operations leave behind is found by `doctor` and removed by `doctor --repair`
//! (only what is older than a minute: younger ones may belong to a running operation).

use super::world;
use crate::support::*;
use std::path::Path;
use std::time::{Duration, SystemTime};

fn age(path: &Path, by: Duration) {
    let file = std::fs::File::open(path).unwrap();
    file.set_modified(SystemTime::now() - by).unwrap();
}

#[test]
fn doctor_reports_and_repair_removes_the_leftovers_of_killed_operations() {
    let env = world("leftovers");
    let id = env.start("leftovers");
    let project_state = env.project_dir();
    let old = Duration::from_secs(120);
    let made = [
        project_state.join("sessions/active/.creating-2025-10-25-session-002-x"),
        env.active_dir(&id)
            .join("snapshots/checkpoint-009-10-00-00"),
        project_state.join("backups/daily/.2025-10-25.partial-abc123"),
    ];
    for dir in &made {
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        std::fs::write(dir.join("sub/f"), "x").unwrap();
        age(dir, old);
    }
    let temp_in_state = env.state.join(".pause-state.json.a1B2c3.tmp");
    let temp_in_project = env.project.join(".big.bin.ZnXxp3.tmp");
    let adopting = project_state.join("inbox/conv.adopting-2025-10-25-session-001-leftovers");
    std::fs::create_dir_all(adopting.parent().unwrap()).unwrap();
    for file in [&temp_in_state, &temp_in_project, &adopting] {
        std::fs::write(file, "partial").unwrap();
        age(file, old);
    }
    // A young one may belong to an operation still running.
    let young = env.project.join(".new.txt.Qw3rTy.tmp");
    std::fs::write(&young, "running").unwrap();

    let report = parse_json(&env.run(&["doctor", "--json"]).stdout);
    let found: Vec<&str> = report["leftovers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["path"].as_str().unwrap())
        .collect();
    assert_eq!(found.len(), 6, "{found:#?}");
    assert!(
        !found.iter().any(|p| p.ends_with("Qw3rTy.tmp")),
        "{found:#?}"
    );
    let text = env.run(&["doctor"]).stdout;
    assert!(text.contains("doctor --repair"), "{text}");

    let repaired = parse_json(&env.run(&["doctor", "--repair", "--json"]).stdout);
    assert_eq!(repaired["repaired"], 5);
    for path in made.iter().chain([&temp_in_state, &temp_in_project]) {
        assert!(!path.exists(), "{} removed", path.display());
    }
    assert!(
        adopting.exists(),
        "an inbox being adopted holds events: kept"
    );
    assert!(young.exists(), "a young temp file is left alone");
    assert!(env.active_dir(&id).join("session.yaml").exists());
    let again = parse_json(&env.run(&["doctor", "--json"]).stdout);
    assert_eq!(again["leftovers"].as_array().unwrap().len(), 1);
}
