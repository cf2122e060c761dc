//! Restoring daily and milestone backups, and what `restore backup` says when given one; restored
//! folders stay out of later backups and are listed by `backups`.

use super::*;
use crate::support::*;
use std::collections::BTreeMap;
use std::fs;

/// Files below `dir` without our sidecar locks (state, not content).
fn content(dir: &std::path::Path) -> BTreeMap<String, Vec<u8>> {
    tree(dir)
        .into_iter()
        .filter(|(k, _)| !k.ends_with(".lock") || k.contains("/snapshots/"))
        .collect()
}

#[test]
fn a_daily_and_a_milestone_backup_restore_into_a_new_folder_never_over_anything() {
    let env = world();
    let id = env.start("daily restore");
    env.write("src/lib.rs", b"pub fn day_one() {}\n");
    env.write("sessions/own.txt", b"a project folder named sessions\n");
    env.ok(&["backup", "daily"]);
    env.ok(&["backup", "milestone", "v1.0-release"]);
    let project_before = content(&env.project);
    let sessions_before = content(&env.project_dir().join("sessions"));

    // Later the project changes; the backups still hold day one.
    env.write("src/lib.rs", b"pub fn day_two() {}\n");

    let out = env.ok(&["restore", "daily", "2025-10-25"]);
    let place = env.project_dir().join("restored/daily-2025-10-25-restored");
    assert!(
        out.contains(&format!(
            "✅ Restored the daily backup 2025-10-25 into {}",
            place.display()
        )),
        "{out}"
    );
    let mut project = content(&place.join("project"));
    project.remove(".git"); // never there
    let expected: BTreeMap<String, Vec<u8>> = project_before
        .into_iter()
        .filter(|(k, _)| !k.starts_with(".git/"))
        .collect();
    assert_eq!(project, expected);
    assert_eq!(project["src/lib.rs"], b"pub fn day_one() {}\n");
    let restored_sessions = content(&place.join("sessions/sessions"));
    assert_eq!(restored_sessions, sessions_before);
    assert!(restored_sessions.contains_key(&format!("active/{id}/session.yaml")));
    // The project itself was not touched.
    assert_eq!(env.read_bytes("src/lib.rs"), b"pub fn day_two() {}\n");

    // The milestone by its name (or as given to `backup milestone`), into --to.
    let out = env.ok(&["restore", "milestone", "v1.0 release", "--to", "../m"]);
    assert!(out.contains("milestone backup v1.0-release"), "{out}");
    assert_eq!(
        fs::read(env.root.join("m/project/src/lib.rs")).unwrap(),
        b"pub fn day_one() {}\n"
    );
    // Again: never over the existing folder; a new name, and said so.
    let out = env.ok(&["restore", "milestone", "v1.0-release", "--to", "../m"]);
    let m = env.root.join("m");
    assert!(
        out.contains(&format!(
            "{} exists; restored into {}-2 instead (--force writes into {})",
            m.display(),
            m.display(),
            m.display()
        )),
        "{out}"
    );
    // --force writes into it; but never into the project.
    env.ok(&[
        "restore",
        "milestone",
        "v1.0-release",
        "--to",
        "../m",
        "--force",
    ]);
    let err = env.fails(&["restore", "daily", "2025-10-25", "--to", ".", "--force"]);
    assert!(
        err.contains("refusing to merge a restore into the project"),
        "{err}"
    );
    assert_eq!(env.read_bytes("src/lib.rs"), b"pub fn day_two() {}\n");

    // JSON outcome.
    let json: serde_json::Value =
        serde_json::from_str(&env.ok(&["restore", "daily", "2025-10-25", "--json"])).unwrap();
    assert_eq!(json["command"], "restore daily");
    assert_eq!(json["kind"], "daily");
    assert_eq!(json["archives"][0]["archive"], "project.zip");
    assert_eq!(json["requested"], place.display().to_string());

    // Names it does not know: the ones it has.
    let err = env.fails(&["restore", "daily", "2031-01-01"]);
    assert!(
        err.contains("no daily backup of that name; the project has: 2025-10-25"),
        "{err}"
    );
    let err = env.fails(&["restore", "milestone", "v2"]);
    assert!(err.contains("the project has: v1.0-release"), "{err}");
}

#[test]
fn a_later_backup_of_the_same_day_is_named_and_restorable() {
    let env = world();
    env.ok(&["backup", "daily"]);
    env.write("README.md", b"# second\n");
    env.ok(&["backup", "daily"]);
    let out = env.ok(&["restore", "daily", "2025-10-25"]);
    assert!(
        out.contains("Later backups of the same day: 2025-10-25-2"),
        "{out}"
    );
    env.ok(&["restore", "daily", "2025-10-25-2", "--to", "../second"]);
    assert_eq!(
        fs::read(env.root.join("second/project/README.md")).unwrap(),
        b"# second\n"
    );
}

#[test]
fn restore_backup_given_a_daily_date_or_a_milestone_says_which_command_takes_it() {
    let env = world();
    // Two sessions that day: the date alone is an ambiguous session prefix.
    env.start("one");
    env.ok(&["end", "--yes", "--score", "5"]);
    env.start("two");
    env.ok(&["end", "--yes", "--score", "5"]);
    env.ok(&["backup", "daily"]);
    env.ok(&["backup", "milestone", "v1.0-release"]);

    let err = env.fails(&["restore", "backup", "2025-10-25"]);
    assert!(
        err.contains(
            "that is a daily backup; restore it with `claude-session restore daily 2025-10-25`"
        ),
        "{err}"
    );
    let err = env.fails(&["restore", "backup", "v1.0-release"]);
    assert!(
        err.contains(
            "that is a milestone backup; restore it with `claude-session restore milestone v1.0-release`"
        ),
        "{err}"
    );
    // And the other way round.
    let err = env.fails(&["restore", "milestone", "2025-10-25"]);
    assert!(err.contains("restore daily 2025-10-25"), "{err}");
    let err = env.fails(&["restore", "daily", "v1.0-release"]);
    assert!(err.contains("restore milestone v1.0-release"), "{err}");
    // Anything else: as before.
    let err = env.fails(&["restore", "backup", "2031"]);
    assert!(err.contains("no session backup matches"), "{err}");
}

#[test]
fn restored_folders_stay_out_of_daily_backups_and_are_listed_as_restored() {
    let env = world();
    // A session whose focus ends in "restored" is a session all the same.
    let id = env.start("restored");
    assert!(id.ends_with("-restored"), "{id}");
    env.write("a.txt", b"a\n");
    env.ok(&["checkpoint"]);
    env.ok(&["restore", "checkpoint", &id, "1"]);
    // One that an earlier version left in sessions/active/ (always with the marker).
    let legacy = env.project_dir().join(format!(
        "sessions/active/{id}-checkpoint-001-14-30-00-restored-2"
    ));
    fs::create_dir_all(&legacy).unwrap();
    fs::write(legacy.join("a.txt"), "a\n").unwrap();
    fs::write(legacy.join(".claude-session-restored"), "restored\n").unwrap();

    env.ok(&["backup", "daily"]);
    let zip = env
        .project_dir()
        .join("backups/daily/2025-10-25/sessions.zip");
    let archive = zip::ZipArchive::new(fs::File::open(zip).unwrap()).unwrap();
    let names: Vec<String> = archive
        .file_names()
        .map(|n| n.unwrap().into_owned())
        .collect();
    assert!(
        names
            .iter()
            .any(|n| n.starts_with(&format!("sessions/active/{id}/")))
    );
    assert!(
        !names
            .iter()
            .any(|n| n.contains("checkpoint-001-14-30-00-restored")),
        "{names:?}"
    );

    let listing = env.json(&["backups", "--json"]);
    let restored: Vec<&serde_json::Value> = listing["backups"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "restored")
        .collect();
    let paths: Vec<&str> = restored
        .iter()
        .map(|r| r["path"].as_str().unwrap())
        .collect();
    let default = env
        .project_dir()
        .join(format!("restored/{id}-checkpoint-001-14-30-00-restored"));
    assert_eq!(
        paths,
        vec![default.display().to_string(), legacy.display().to_string()]
    );
    let table = env.ok(&["backups"]);
    assert!(table.contains("restored"), "{table}");
}

#[test]
fn a_backup_names_the_env_files_it_holds_once() {
    let env = world();
    env.write(".env", b"SECRET=1\n");
    let out = env.ok(&["backup", "daily"]);
    assert_eq!(
        out.matches(
            "🔒 .env files included: .env — this backup holds secrets; it stays on this machine\n"
        )
        .count(),
        1,
        "{out}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&env.ok(&["backup", "milestone", "m1", "--json"])).unwrap();
    assert_eq!(json["env_files"], serde_json::json!([".env"]));
}
