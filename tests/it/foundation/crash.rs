//! Crash safety, one interruption at a time: each test kills an operation at a named point
//! (`CLAUDE_SESSION_CRASH_AT`, which dies like `kill -9`: no unwinding, no cleanup) or leaves
//! the state a killed writer leaves, then checks that every state command still works, nothing
//! acknowledged is lost, and the next run finishes the operation. The seeded random kills of
//! every operation are in `fault_injection.rs`.

use super::world;
use crate::support::*;
use serde_json::json;

/// Runs `args` dying at `point`; it must die (not exit cleanly).
#[track_caller]
fn crash(env: &TestEnv, point: &str, args: &[&str]) {
    env.set_env("CLAUDE_SESSION_CRASH_AT", point);
    let out = env.run(args);
    env.set_env("CLAUDE_SESSION_CRASH_AT", "");
    assert!(
        out.code != 0 && out.code != 1,
        "{args:?} died at {point}: {out:?}"
    );
}

fn ids(env: &TestEnv, args: &[&str]) -> Vec<String> {
    env.json(args)["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_start_killed_before_its_workspace_is_in_place_leaves_no_session() {
    let env = world("crash-start");
    crash(&env, "start.staged", &["start", "first"]);
    assert!(ids(&env, &["list", "--all", "--json"]).is_empty());
    assert!(
        env.fails(&["track", "README.md"])
            .contains("no open session")
    );
    // The next start cleans the leftover and takes the number.
    let id = env.start("second");
    assert!(id.ends_with("session-001-second"), "{id}");
    let active = std::fs::read_dir(env.project_dir().join("sessions/active")).unwrap();
    let names: Vec<String> = active
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec![id]);
}

#[test]
fn a_start_killed_after_indexing_but_before_its_rename_shows_nothing_and_is_cleaned() {
    let env = world("crash-indexed");
    crash(&env, "start.indexed", &["start", "first"]);
    assert!(ids(&env, &["list", "--all", "--json"]).is_empty());
    assert!(ids(&env, &["status", "--json"]).is_empty());
    assert!(
        env.fails(&["track", "README.md"])
            .contains("no open session")
    );
    let id = env.start("second");
    assert!(id.ends_with("session-001-second"), "{id}");
    let index = parse_json(&read(&env.project_dir().join("index.json")));
    let indexed: Vec<&String> = index["sessions"].as_object().unwrap().keys().collect();
    assert_eq!(indexed, vec![&id], "the leftover's entry went with it");
}

/// A folder the index does not know (an older version indexed after the rename and was killed
/// in between): every command finds it.
#[test]
fn an_open_folder_missing_from_the_index_is_found_by_every_command() {
    let env = world("crash-orphan");
    let id = env.start("orphan");
    std::fs::write(
        env.project_dir().join("index.json"),
        "{\"version\": 1, \"sessions\": {}}\n",
    )
    .unwrap();
    assert_eq!(ids(&env, &["status", "--json"]), vec![id.clone()]);
    std::fs::write(
        env.project_dir().join("index.json"),
        "{\"version\": 1, \"sessions\": {}}\n",
    )
    .unwrap();
    let out = env.ok(&["track", "README.md"]);
    assert!(out.contains(&id), "{out}");
}

#[test]
fn a_start_killed_right_after_its_rename_is_whole() {
    let env = world("crash-index");
    crash(&env, "start.published", &["start", "orphan"]);
    let listed = ids(&env, &["list", "--json"]);
    assert_eq!(listed.len(), 1);
    // status reads the index: it is reconciled with the folders, not hiding the session.
    assert_eq!(ids(&env, &["status", "--json"]), listed);
    let out = env.ok(&["track", "README.md"]);
    assert!(out.contains(&listed[0]), "{out}");
}

#[test]
fn an_end_killed_at_any_step_is_finished_by_the_next_end() {
    for point in [
        "end.ended",
        "end.moved",
        "end.decisions",
        "end.documents",
        "end.zipped",
        "end.recorded",
        "end.logged",
    ] {
        let env = world("crash-end");
        let id = env.start("ending");
        env.run_stdin(&["end", "--yes", "--score", "7", "--summary-file", "-"], "")
            .ok();
        let id2 = env.start("again");
        let _ = id;
        crash(&env, point, &["end", "--yes", "--session", &id2]);
        // show tells the truth meanwhile.
        let shown = env.show(&id2);
        assert_eq!(shown["session"]["status"], "completed", "{point}");
        assert!(
            !shown["end_pending"].as_array().unwrap().is_empty(),
            "{point}: {shown}"
        );
        let text = env.ok(&["show", &id2]);
        assert!(text.contains("interrupted; still to do"), "{point}: {text}");
        // A second `end` finishes it: archived, one ZIP, one summary-log entry.
        let out = env.ok(&["end", "--yes"]);
        assert!(
            out.contains("interrupted; it is finished now"),
            "{point}: {out}"
        );
        let shown = env.show(&id2);
        assert_eq!(shown["archived"], true, "{point}");
        assert!(
            shown["end_pending"].as_array().unwrap().is_empty(),
            "{point}"
        );
        let zips: Vec<_> = std::fs::read_dir(env.project_dir().join("backups/sessions"))
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with(&id2))
            .collect();
        assert_eq!(zips.len(), 2, "{point}: one backup and one session record");
        // The documents are in the archived workspace and in its ZIP; the record parses.
        let archived = env.project_dir().join("sessions/archive").join(&id2);
        for name in ["completed.md", "review.md", "summary.md"] {
            assert!(archived.join(name).is_file(), "{point}: {name}");
        }
        let zip = env
            .project_dir()
            .join(format!("backups/sessions/{id2}-backup.zip"));
        let mut zip = zip::ZipArchive::new(std::fs::File::open(zip).unwrap()).unwrap();
        assert!(zip.by_name("completed.md").is_ok(), "{point}");
        assert!(zip.by_name("review.md").is_ok(), "{point}");
        let record = parse_json(&read(
            &env.project_dir()
                .join(format!("backups/sessions/{id2}.json")),
        ));
        assert_eq!(record["session_id"], id2.as_str(), "{point}");
        let log_dir = env.project_dir().join("session-summaries");
        let log: String = std::fs::read_dir(&log_dir)
            .unwrap()
            .flatten()
            .map(|e| read(&e.path()))
            .collect();
        assert_eq!(
            log.matches(&format!("## {id2}\n")).count(),
            1,
            "{point}: {log}"
        );
        assert!(
            env.fails(&["end", "--yes"]).contains("no open session"),
            "{point}"
        );
    }
}

#[test]
fn a_start_finishes_an_interrupted_end_too() {
    let env = world("crash-end-start");
    let id = env.start("ending");
    crash(&env, "end.moved", &["end", "--yes"]);
    let out = env.ok(&["start", "next"]);
    assert!(
        out.contains(&format!("The `end` of {id} had been interrupted")),
        "{out}"
    );
    assert_eq!(env.show(&id)["archived"], true);
}

/// Events a hook put in a conversation's inbox before any session was bound.
fn fill_inbox(env: &TestEnv, claude: &str, n: usize) {
    let inbox = env.project_dir().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let mut text = String::new();
    for i in 0..n {
        let event = json!({"event": "artifact", "at": NOW, "path": format!("f{i}.txt"), "action": "created"});
        text.push_str(&format!("{event}\n"));
    }
    std::fs::write(inbox.join(format!("{claude}.jsonl")), text).unwrap();
}

#[test]
fn an_adoption_killed_midway_is_finished_once_by_the_next_bind() {
    // adopt.torn: only the first half of the append landed, as a kill in the middle of a large
    // write leaves it; the events whose lines landed whole are not appended again.
    for point in ["adopt.taken", "adopt.torn", "adopt.appended"] {
        let env = world("crash-adopt");
        env.ok(&["start", "adopting"]);
        fill_inbox(&env, "conv-1", 300);
        crash(&env, point, &["pause", "--claude-session", "conv-1"]);
        // The next command that binds the conversation adopts what was left, exactly once.
        env.ok(&["pause", "--claude-session", "conv-1"]);
        let id = ids(&env, &["list", "--json"])[0].clone();
        let created = env.show(&id)["artifacts"]["created"]
            .as_array()
            .unwrap()
            .len();
        assert_eq!(created, 300, "{point}");
        let journal = env.journal(&id);
        for i in 0..300 {
            assert_eq!(
                journal.matches(&format!("\"path\":\"f{i}.txt\"")).count(),
                1,
                "{point}: f{i}.txt once"
            );
        }
        let leftovers: Vec<_> = std::fs::read_dir(env.project_dir().join("inbox"))
            .unwrap()
            .flatten()
            .collect();
        assert!(leftovers.is_empty(), "{point}: {leftovers:?}");
    }
}

#[test]
fn one_broken_workspace_never_breaks_listing_the_others() {
    let env = world("crash-broken");
    let good = env.start("good");
    // A start of an old version killed in its first journal write: an empty journal, no yaml.
    let broken = env
        .project_dir()
        .join("sessions/active/2025-10-25-session-009-broken");
    std::fs::create_dir_all(&broken).unwrap();
    std::fs::write(broken.join("events.jsonl"), "").unwrap();
    for args in [
        &["list", "--json"][..],
        &["list", "--all", "--json"],
        &["status", "--json"],
    ] {
        let out = env.run(args).ok();
        let listed: Vec<String> = parse_json(&out.stdout)["sessions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(listed, vec![good.clone()], "{args:?}");
    }
    assert!(!broken.exists(), "moved aside");
    let quarantine = env.project_dir().join("quarantine");
    assert_eq!(std::fs::read_dir(quarantine).unwrap().count(), 1);
}

#[test]
fn an_append_after_a_torn_line_is_kept() {
    let env = world("crash-torn");
    let id = env.start("torn");
    let journal = env.active_dir(&id).join("events.jsonl");
    let mut text = read(&journal);
    text.push_str("{\"event\":\"artifact\",\"at\":\"2025-10-");
    std::fs::write(&journal, text).unwrap();
    env.write("one.txt", "1\n");
    assert!(env.ok(&["track", "one.txt"]).contains("one.txt"));
    let created = env.show(&id)["artifacts"]["created"].clone();
    assert_eq!(created, json!(["one.txt"]));
    // The same for an inbox: the event after the torn one arrives.
    let inbox = env.project_dir().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    std::fs::write(inbox.join("conv-2.jsonl"), "{\"event\":\"arti").unwrap();
    let payload = json!({"hook_event_name": "PostToolUse", "session_id": "conv-2", "cwd": env.project,
        "tool_name": "Write", "tool_input": {"file_path": env.project.join("two.txt")}});
    env.ok(&["pause"]);
    env.hook("post-edit", payload.to_string());
    env.ok(&["resume", "--claude-session", "conv-2"]);
    let artifacts = env.show(&id)["artifacts"].clone();
    assert_eq!(artifacts["created"], json!(["one.txt"]));
    assert_eq!(artifacts["modified"], json!(["two.txt"]), "{artifacts}");
}

#[test]
fn a_session_yaml_cut_short_is_rebuilt_from_the_journal() {
    let env = world("crash-cut");
    let id = env.start("cut");
    env.write("a.txt", "a\n");
    env.ok(&["track", "a.txt"]);
    let before = env.show(&id);
    let yaml = env.active_dir(&id).join("session.yaml");
    let text = read(&yaml);
    for cut in [text.len() / 3, text.len() / 2, text.len() - 40] {
        std::fs::write(&yaml, &text.as_bytes()[..cut]).unwrap();
        let after = env.show(&id);
        for key in ["session", "artifacts", "project", "git"] {
            assert_eq!(after[key], before[key], "cut at {cut}: {key}");
        }
    }
    assert!(!env.corrupt_files().is_empty(), "the cut copies were kept");
}

#[test]
fn a_journal_shorter_than_what_was_folded_is_folded_again() {
    let env = world("crash-short");
    let id = env.start("short");
    env.write("a.txt", "a\n");
    env.ok(&["track", "a.txt"]);
    env.show(&id);
    // The journal is cut (a restore of an older copy, a full disk), then written on.
    let journal = env.active_dir(&id).join("events.jsonl");
    let first_line = read(&journal).lines().next().unwrap().to_string();
    std::fs::write(&journal, format!("{first_line}\n")).unwrap();
    env.write("b.txt", "b\n");
    env.ok(&["track", "b.txt"]);
    let created = env.show(&id)["artifacts"]["created"].clone();
    assert_eq!(
        created,
        json!(["b.txt"]),
        "the event after the cut is not hidden"
    );
    // Replaced by one of the same length: the fold notices it too.
    let text = read(&journal).replace("b.txt", "c.txt");
    std::fs::write(&journal, text).unwrap();
    assert_eq!(env.show(&id)["artifacts"]["created"], json!(["c.txt"]));
}

#[test]
fn a_pause_killed_between_index_and_status_routes_nothing_into_the_session() {
    let env = world("crash-pause");
    let id = env.start("pausing");
    crash(&env, "pause.indexed", &["pause"]);
    let index: serde_json::Value = parse_json(&read(&env.project_dir().join("index.json")));
    assert_eq!(index["sessions"][&id]["status"], "paused");
    assert!(env.pause_record().is_some(), "the record came first");
    // An unbound conversation's edit waits in its inbox instead of landing in the session.
    let payload = json!({"hook_event_name": "PostToolUse", "session_id": "conv-3", "cwd": env.project,
        "tool_name": "Write", "tool_input": {"file_path": env.project.join("x.txt")}});
    env.hook("post-edit", payload.to_string());
    assert_eq!(env.show(&id)["artifacts"]["created"], json!([]));
    // Resume and pause both work from here.
    env.ok(&["resume"]);
    env.ok(&["pause"]);
    assert_eq!(env.show(&id)["session"]["status"], "paused");
}

#[test]
fn a_checkpoint_killed_before_its_event_is_recorded_by_the_next() {
    let env = world("crash-checkpoint");
    let id = env.start("snap");
    env.write("a.txt", "a\n");
    env.ok(&["track", "a.txt"]);
    crash(&env, "checkpoint.manifest", &["checkpoint", "first"]);
    // Listed (its manifest is whole) but not yet in session.yaml.
    assert_eq!(env.checkpoint_ids(&id).len(), 1);
    env.ok(&["checkpoint", "second"]);
    let listed = env.checkpoint_ids(&id);
    let recorded: Vec<String> = env.show(&id)["checkpoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(recorded, listed);
    assert_eq!(env.show(&id)["metrics"]["checkpoints"], 2);
}

#[test]
fn the_copies_of_a_checkpoint_killed_before_its_manifest_are_reclaimed_by_the_next() {
    let env = world("crash-copies");
    let id = env.start("snap");
    env.write("a.txt", "a\n");
    env.ok(&["track", "a.txt"]);
    crash(&env, "checkpoint.filled", &["checkpoint", "first"]);
    let snapshots = env.snapshots(&id);
    let names = |dir: &std::path::Path| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    // Copied, never finished: not listed, and in the way of nothing.
    assert!(names(&snapshots).contains(&"checkpoint-001-14-30-00".to_string()));
    assert!(env.checkpoint_ids(&id).is_empty());
    env.ok(&["checkpoint", "second"]);
    let listed = env.checkpoint_ids(&id);
    assert_eq!(listed.len(), 1);
    let expected = vec![listed[0].clone(), format!("{}.manifest.json", listed[0])];
    assert_eq!(
        names(&snapshots),
        expected,
        "the unfinished copies are gone"
    );
}

/// The project's files (`.git` aside), relative path → bytes.
fn project_tree(env: &TestEnv) -> std::collections::BTreeMap<String, Vec<u8>> {
    tree(&env.project)
        .into_iter()
        .filter(|(path, _)| !path.starts_with(".git/"))
        .collect()
}

#[test]
fn an_in_place_restore_killed_midway_leaves_no_temp_file_in_the_project() {
    let env = world("crash-restore");
    let id = env.start("restoring");
    env.write("a.txt", "alpha v1\n");
    env.write("b.txt", "beta v1\n");
    env.ok(&["track", "a.txt"]);
    env.ok(&["track", "b.txt"]);
    env.ok(&["checkpoint", "base"]);
    let restored = project_tree(&env);
    env.write("a.txt", "alpha v2\n");
    env.write("b.txt", "beta v2\n");
    let before = project_tree(&env);
    let checkpoint = env.checkpoint_ids(&id)[0].clone();
    let args = ["restore", "checkpoint", &id, &checkpoint, "--in-place"];
    crash(&env, "restore.staged", &args);
    // Killed with a copy written and not yet in place: the project is as it was, nothing of
    // ours beside its files.
    assert_eq!(project_tree(&env), before);
    // The next restore removes the killed one's copy and finishes.
    env.ok(&args);
    assert_eq!(project_tree(&env), restored);
    let state = env.project_dir();
    assert!(!state.join("restoring").exists());
    assert!(!state.join("restoring.lock").exists());
}

#[test]
fn the_zip_of_a_killed_end_is_removed_by_the_end_that_finishes_it() {
    let env = world("crash-end-zip");
    let id = env.start("ending");
    crash(&env, "end.moved", &["end", "--yes"]);
    // What a kill while the ZIP was being written leaves: its temp file.
    let backups = env.project_dir().join("backups/sessions");
    std::fs::create_dir_all(&backups).unwrap();
    let temp = backups.join(format!(".{id}-backup.zip.Ab3dEf.tmp"));
    std::fs::write(&temp, "half a zip").unwrap();
    env.ok(&["end", "--yes"]);
    let mut names: Vec<String> = std::fs::read_dir(&backups)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    // The ZIP and the session record beside it; no temp file.
    assert_eq!(
        names,
        vec![format!("{id}-backup.zip"), format!("{id}.json")]
    );
}

#[test]
fn the_staging_folder_of_a_killed_backup_is_removed_by_the_next() {
    let env = world("crash-backup");
    env.start("backing");
    // What a kill while a daily backup was being written leaves: its staging folder.
    let daily = env.project_dir().join("backups/daily");
    let staging = daily.join(".2025-10-25.partial-Ab3dEf");
    std::fs::create_dir_all(&staging).unwrap();
    std::fs::write(staging.join("project.zip"), "half a zip").unwrap();
    env.ok(&["backup", "daily"]);
    let names: Vec<String> = std::fs::read_dir(&daily)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".lock"))
        .collect();
    assert_eq!(names, vec!["2025-10-25".to_string()]);
}

#[test]
fn an_install_killed_after_writing_settings_is_still_undone_by_uninstall() {
    let env = TestEnv::builder()
        .folder("project")
        .env("PATH", "/usr/bin:/bin")
        .claude_config_dir()
        .build();
    let claude = env.claude_dir();
    assert!(!claude.exists());
    crash(&env, "install.settings", &["install"]);
    assert!(
        claude.join("settings.json").is_file(),
        "killed after writing it"
    );
    // Run again to its end, then undone: nothing of install's stays.
    env.ok(&["install"]);
    env.ok(&["uninstall"]);
    assert!(
        !claude.exists(),
        "settings.json and the folders install made are gone"
    );
}
