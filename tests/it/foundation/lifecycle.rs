//! The session lifecycle and on-disk layout: start → track → end, in real git repositories.

use super::world;
use crate::support::*;
use std::io::Read;

#[test]
fn start_creates_the_seed_layout_and_announces_it() {
    let env = world("webapp");
    let repo = env.project.clone();
    let report = env.ok(&["start", "Authentication", "feature"]);
    let id = started_id(&report);
    assert_eq!(id, "2025-10-25-session-001-authentication-feature");
    insta::assert_snapshot!("start_report", env.redact(&report));

    let project = env.project_dir();
    let slug = project.file_name().unwrap().to_string_lossy().into_owned();
    let hash = blake3::hash(repo.as_os_str().as_encoded_bytes()).to_hex();
    assert_eq!(slug, format!("webapp-{}", &hash[..8]));
    for dir in [
        "sessions/active",
        "sessions/archive",
        "backups/sessions",
        "backups/daily",
        "backups/milestones",
        "session-summaries",
    ] {
        assert!(project.join(dir).is_dir(), "{dir} exists");
    }
    let project_json: serde_json::Value =
        serde_json::from_str(&read(&project.join("project.json"))).unwrap();
    assert_eq!(project_json["version"], 1);
    assert_eq!(project_json["path"], repo.to_string_lossy().as_ref());
    assert_eq!(project_json["name"], "webapp");

    let ws = env.active_dir(&id);
    for dir in ["artifacts", "notes", "decisions", "snapshots"] {
        assert!(ws.join(dir).is_dir(), "{dir}/ exists");
    }
    insta::assert_snapshot!(
        "session_yaml_at_start",
        env.redact(&read(&ws.join("session.yaml")))
    );
    insta::assert_snapshot!("summary_template", read(&ws.join("summary.md")));
    insta::assert_snapshot!("workspace_readme", read(&ws.join("README.md")));
    // Nothing of ours under Claude Code's own folders.
    assert!(!env.state.join("sessions").exists());
    assert!(!env.state.join("projects").exists());
}

#[test]
fn ids_count_per_day_and_sanitise_the_focus() {
    let env = world("ids");
    let first = started_id(&env.ok(&["start", "  API / Design!!  v2 "]));
    assert_eq!(first, "2025-10-25-session-001-api-design-v2");
    let second = started_id(&env.ok(&["start"]));
    assert_eq!(second, "2025-10-25-session-002");
    let long = started_id(&env.ok(&[
        "start",
        "a very long focus that certainly exceeds thirty characters",
    ]));
    assert_eq!(
        long,
        "2025-10-25-session-003-a-very-long-focus-that-certain"
    );
    // Archived sessions still count.
    env.ok(&["end", "--yes", &first, "--no-backup"]);
    let fourth = started_id(&env.ok(&["start", "x"]));
    assert_eq!(fourth, "2025-10-25-session-004-x");
    // Another day starts at 001.
    let next_day = TestEnv::builder()
        .state_in_home()
        .repo("other")
        .clock("2025-10-26T09:00:00")
        .build();
    assert_eq!(
        started_id(&next_day.ok(&["start", "testing"])),
        "2025-10-26-session-001-testing"
    );
}

#[test]
fn track_records_paths_relative_to_the_project_with_git_aware_defaults() {
    let env = world("track");
    let repo = env.project.clone();
    let id = started_id(&env.ok(&["start", "tracking"]));
    std::fs::create_dir_all(repo.join("src")).unwrap();
    std::fs::write(repo.join("src/new.rs"), "fn main() {}\n").unwrap();
    // From a subfolder, relative to the working directory.
    let out = env.ok_in(&repo.join("src"), &["track", "new.rs"]);
    assert!(out.contains("src/new.rs (created)"), "{out}");
    // README.md is tracked by git: modified.
    env.ok(&["track", "README.md"]);
    // Repeats collapse; a file first created stays created.
    env.ok(&["track", "src/new.rs", "--action", "modified"]);
    env.ok(&["track", "src/new.rs"]);
    // Outside the project: refused unless asked for, then absolute.
    let outside = env.dir("elsewhere").join("notes.txt");
    std::fs::write(&outside, "notes\n").unwrap();
    let err = env.fails(&["track", outside.to_str().unwrap()]);
    assert!(
        err.contains("outside the project") && err.contains("--outside"),
        "{err}"
    );
    let out = env.ok(&["track", outside.to_str().unwrap(), "--outside"]);
    assert!(
        out.contains("notes.txt (created)") && out.contains("Outside the project"),
        "{out}"
    );
    // What is not a file is refused in one line naming it, and nothing is recorded.
    for (target, why) in [
        ("missing.txt", "no such file"),
        (".", "a folder"),
        ("/", "a folder"),
        ("src", "a folder"),
        ("../elsewhere/notes.txt", "outside the project"),
        ("/etc/passwd", "outside the project"),
        ("/dev/null", "not a regular file"),
    ] {
        let err = env.fails(&["track", target]);
        assert!(err.contains(why) && err.contains(target), "{target}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
    }

    let json = env.show(&id);
    let created: Vec<&str> = json["artifacts"]["created"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let modified: Vec<&str> = json["artifacts"]["modified"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(created, vec!["src/new.rs", outside.to_str().unwrap()]);
    assert_eq!(modified, vec!["README.md"]);
    assert_eq!(json["metrics"]["files_created"], 2);
    assert_eq!(json["metrics"]["files_modified"], 1);
    // session.yaml was brought up to date by the read.
    let doc = yaml(&env.active_dir(&id).join("session.yaml"));
    assert_eq!(doc["artifacts"]["created"].as_sequence().unwrap().len(), 2);
}

#[test]
fn end_archives_scores_backs_up_and_logs_the_summary() {
    let env = world("endme");
    let repo = env.project.clone();
    let id = started_id(&env.ok(&["start", "authentication"]));
    std::fs::write(repo.join("auth.py"), "print('auth')\n").unwrap();
    env.ok(&["track", "auth.py"]);
    env.ok(&["track", "README.md"]);
    env.git(&["add", "-A"]);
    env.git(&["commit", "-q", "-m", "add auth"]);
    std::fs::write(env.active_dir(&id).join("notes/scratch.md"), "thinking\n").unwrap();

    env.at("2025-10-25T16:35:00");
    let summary = env.root.join("summary.md");
    std::fs::write(
        &summary,
        "## Accomplished\n\n- auth logic\n\n## Next steps\n\n- tests\n",
    )
    .unwrap();
    let report = env.ok(&[
        "end",
        "--yes",
        "--score",
        "8.5",
        "--summary-file",
        summary.to_str().unwrap(),
    ]);
    insta::assert_snapshot!("end_report", env.redact(&report));

    assert!(!env.active_dir(&id).exists(), "moved out of active");
    let archived = env.archive_dir(&id);
    insta::assert_snapshot!(
        "session_yaml_at_end",
        env.redact(&read(&archived.join("session.yaml")))
    );
    insta::assert_snapshot!("summary_at_end", read(&archived.join("summary.md")));
    let log = read(&env.project_dir().join("session-summaries/2025-10-25.md"));
    insta::assert_snapshot!("summaries_log", env.redact(&log));

    // The backup holds the whole workspace with real file times.
    let zip_path = env
        .project_dir()
        .join(format!("backups/sessions/{id}-backup.zip"));
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
    let mut names: Vec<String> = zip.file_names().map(|n| n.unwrap().to_string()).collect();
    names.sort();
    assert_eq!(
        names,
        vec![
            "README.md",
            "artifacts/",
            "completed.md",
            "context.md",
            "decisions/",
            "events.jsonl",
            "notes/scratch.md",
            "review.md",
            "session.yaml",
            "snapshots/",
            "summary.md",
            "tasks.json"
        ]
    );
    let mut scratch = String::new();
    zip.by_name("notes/scratch.md")
        .unwrap()
        .read_to_string(&mut scratch)
        .unwrap();
    assert_eq!(scratch, "thinking\n");
    let mtime = zip
        .by_name("session.yaml")
        .unwrap()
        .last_modified()
        .unwrap();
    let disk: jiff::Timestamp = std::fs::metadata(archived.join("session.yaml"))
        .unwrap()
        .modified()
        .unwrap()
        .try_into()
        .unwrap();
    let disk = disk.to_zoned(jiff::tz::TimeZone::UTC).datetime();
    assert_eq!(i32::from(mtime.year()), i32::from(disk.year()));
    assert_eq!(mtime.month(), disk.month() as u8);
    assert_eq!(mtime.day(), disk.day() as u8);
    assert_eq!(mtime.hour(), disk.hour() as u8);

    // An ended session cannot be ended again; it is listed as archived.
    let err = env.fails(&["end", "--yes", &id]);
    assert!(err.contains("already ended"), "{err}");
    let list = env.ok(&["list", "--archived"]);
    assert!(
        list.contains(&id) && list.contains("completed") && list.contains("8.5/10"),
        "{list}"
    );
    assert_eq!(env.ok(&["list"]), "No sessions.\n");
}

#[test]
fn end_keeps_a_summary_the_user_edited_and_rejects_bad_scores() {
    let env = world("edited");
    let id = started_id(&env.ok(&["start", "x"]));
    let summary_md = env.active_dir(&id).join("summary.md");
    std::fs::write(&summary_md, "# My own notes\n\nkeep me\n").unwrap();
    for bad in ["11", "-1", "NaN"] {
        let err = env.fails(&["end", "--yes", "--score", bad]);
        assert!(err.starts_with("claude-session: "), "{err}");
        assert_eq!(err.lines().count(), 1, "one line: {err}");
    }
    assert!(
        env.active_dir(&id).exists(),
        "a refused end changes nothing"
    );
    env.run_stdin(
        &["end", "--yes", "--summary-file", "-", "--no-backup"],
        "Did the thing.\n",
    )
    .ok();
    let text = read(&env.archive_dir(&id).join("summary.md"));
    assert!(text.starts_with("# My own notes\n\nkeep me\n"), "{text}");
    assert!(
        text.contains("## Final summary\n\nDid the thing."),
        "{text}"
    );
    assert!(
        !env.project_dir()
            .join(format!("backups/sessions/{id}-backup.zip"))
            .exists()
    );
}

#[test]
fn status_shows_open_sessions_with_live_metrics() {
    let env = world("status");
    assert!(env.ok(&["status"]).contains("No open session"));
    let id = started_id(&env.ok(&["start", "live"]));
    env.ok(&["track", "README.md"]);
    env.at("2025-10-25T15:15:00");
    let out = env.ok(&["status"]);
    insta::assert_snapshot!("status_report", env.redact(&out));
    let json = env.json(&["status", "--json"]);
    assert_eq!(json["sessions"][0]["id"], id.as_str());
    assert_eq!(json["sessions"][0]["duration_minutes"], 45);
    assert_eq!(json["sessions"][0]["files_modified"], 1);
}

#[test]
fn works_outside_git() {
    let env = TestEnv::builder()
        .state_in_home()
        .folder("notes-folder")
        .build();
    let dir = env.project.clone();
    let id = started_id(&env.ok(&["start", "writing"]));
    std::fs::write(dir.join("a.md"), "a").unwrap();
    env.ok(&["track", "a.md"]);
    let out = env.ok(&["end", "--yes", "--no-backup"]);
    assert!(out.contains("Files created: 1"), "{out}");
    let doc = yaml(&env.archive_dir(&id).join("session.yaml"));
    assert!(doc["git"]["starting_branch"].is_null());
}

#[test]
fn config_prints_effective_values_and_their_source() {
    let env = world("cfg");
    env.config("[checkpoints]\nauto_minutes = 15\n");
    let out = env.ok(&["config"]);
    assert!(out.contains("checkpoints.auto_minutes = 15"), "{out}");
    assert!(out.contains("config.toml"), "{out}");
    assert!(
        out.contains("context.budget_bytes = 8192    # default"),
        "{out}"
    );
    env.config("[checkpoints]\nauto_minutes = \"x\"\n");
    let err = env.fails(&["config"]);
    assert!(
        err.contains("checkpoints.auto_minutes") && err.contains("config.toml"),
        "{err}"
    );
    env.config("not toml [");
    let err = env.fails(&["status"]);
    assert!(err.contains("config.toml does not parse"), "{err}");
}

#[test]
fn the_state_root_must_be_absolute() {
    let env = world("rel");
    let mut cmd = env.cmd(&["status"]);
    cmd.env("CLAUDE_SESSION_HOME", "relative/state");
    let err = cmd.capture().fails().stderr;
    assert!(
        err.contains("absolute") && err.contains("relative/state"),
        "{err}"
    );
    // CLAUDE_CONFIG_DIR is the fallback.
    let mut cmd = env.cmd(&["start", "x"]);
    let alt = env.root.join("alt-config");
    cmd.env_remove("CLAUDE_SESSION_HOME")
        .env("CLAUDE_CONFIG_DIR", &alt);
    cmd.capture().ok();
    assert!(alt.join("claude-session/projects").is_dir());
}

#[test]
fn a_restored_session_backup_has_the_whole_workspace_layout() {
    let env = world("layout");
    let id = started_id(&env.ok(&["start", "layout"]));
    env.ok(&["end", "--yes"]);
    let out = env.ok(&["restore", "backup", &id]);
    let restored = env.project_dir().join(format!("restored/{id}-restored"));
    assert!(restored.is_dir(), "{out}");
    for dir in ["artifacts", "notes", "decisions", "snapshots"] {
        assert!(restored.join(dir).is_dir(), "{dir}/ restored");
    }
    assert_eq!(
        read(&restored.join("session.yaml")),
        read(&env.archive_dir(&id).join("session.yaml"))
    );
}
