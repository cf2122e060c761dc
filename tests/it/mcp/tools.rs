//! The tools do what the CLI does: the same state on disk, the same documents.

use super::{CONVERSATION, Server};
use crate::support::*;
use serde_json::{Value, json};

#[test]
fn start_checkpoint_track_end_through_the_tools_leave_the_state_the_cli_leaves() {
    let env = TestEnv::new();
    let mut server = Server::start(&env);
    server.initialize();

    let started = server.ok(
        "session_start",
        json!({"focus": "auth feature", "agent": "claude", "metadata": {"ticket": "AUTH-7"}}),
    );
    assert_eq!(started["version"], 1);
    assert_eq!(started["command"], "start");
    let id = started["started"]["session_id"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(id, "2025-10-25-session-001-auth-feature");
    // Bound to the conversation the server runs in, as `/start` binds its own.
    let binding = env.project_dir().join("bindings").join(CONVERSATION);
    assert_eq!(std::fs::read_to_string(binding).unwrap().trim(), id);
    let yaml = std::fs::read_to_string(env.active_dir(&id).join("session.yaml")).unwrap();
    assert!(yaml.contains("metadata:\n  ticket: AUTH-7"), "{yaml}");

    env.write("src/auth.rs", "fn login() {}\n");
    let tracked = server.ok(
        "session_track_artifact",
        json!({"file_path": "src/auth.rs", "action": "created"}),
    );
    assert_eq!(tracked["path"], "src/auth.rs");
    assert_eq!(tracked["action"], "created");

    let checkpoint = server.ok(
        "session_checkpoint",
        json!({"description": "auth logic implemented", "files_to_snapshot": ["src/auth.rs"]}),
    );
    let checkpoint_id = checkpoint["id"].as_str().unwrap().to_string();
    assert!(checkpoint_id.starts_with("checkpoint-001-"), "{checkpoint}");
    assert_eq!(checkpoint["file_paths"], json!(["src/auth.rs"]));
    assert_eq!(
        std::fs::read_to_string(env.snapshots(&id).join(&checkpoint_id).join("src/auth.rs"))
            .unwrap(),
        "fn login() {}\n"
    );

    let active = server.ok("session_list_active", json!({}));
    assert_eq!(active["sessions"][0]["id"], id.as_str());
    assert_eq!(active["sessions"][0]["files_created"], 1);
    let status = server.ok("session_status", json!({}));
    assert_eq!(status["sessions"][0]["status"], "active");

    env.at("2025-10-25T16:35:00Z");
    let ended = server.ok(
        "session_end",
        json!({"rulemap_score": 8.5, "summary": "## Summary\n\nLogin works.\n"}),
    );
    assert_eq!(ended["command"], "end");
    assert_eq!(ended["session_id"], id.as_str());
    // The state the CLI's `end` leaves: archived, backed up, scored, summarised.
    assert!(env.archive_dir(&id).is_dir());
    assert!(!env.active_dir(&id).exists());
    assert!(
        env.project_dir()
            .join(format!("backups/sessions/{id}-backup.zip"))
            .is_file()
    );
    let shown = env.show(&id);
    assert_eq!(shown["session"]["status"], "completed");
    assert_eq!(shown["rulemap_score"], 8.5);
    assert_eq!(shown["artifacts"]["created"], json!(["src/auth.rs"]));
    assert_eq!(shown["checkpoints"][0]["id"], checkpoint_id.as_str());
    assert_eq!(shown["metadata"], json!({"ticket": "AUTH-7"}));
    let summary = std::fs::read_to_string(env.archive_dir(&id).join("summary.md")).unwrap();
    assert!(summary.contains("Login works."), "{summary}");
    let list = env.json(&["list", "--json"]);
    assert_eq!(list["sessions"], json!([]));
    server.close();
}

#[test]
fn a_verb_that_fails_is_a_tool_error_with_its_one_line() {
    let env = TestEnv::new();
    let mut server = Server::start(&env);
    server.initialize();
    let result = server.call("session_checkpoint", json!({"description": "x"}));
    assert_eq!(result["isError"], true, "{result}");
    let text = result["content"][0]["text"].as_str().unwrap();
    assert!(
        text.starts_with("claude-session: no open session in this project"),
        "{text}"
    );
    assert!(!text.contains('\n'));
    assert_eq!(result["structuredContent"]["command"], "checkpoint");
    assert_eq!(
        result["structuredContent"]["error"].as_str().unwrap(),
        text.trim_start_matches("claude-session: ")
    );
    // A project_path that is no folder: the same kind of answer, and the server goes on.
    let result = server.call(
        "session_status",
        json!({"project_path": env.root.join("nowhere").to_str().unwrap()}),
    );
    assert_eq!(result["isError"], true, "{result}");
    // Tracking a file that does not exist is refused as the CLI refuses it.
    server.ok("session_start", json!({"focus": "x"}));
    let result = server.call("session_track_artifact", json!({"file_path": "missing.rs"}));
    assert_eq!(result["isError"], true, "{result}");
    server.close();
}

#[test]
fn pause_and_resume_through_the_tools() {
    let env = TestEnv::new();
    let mut server = Server::start(&env);
    server.initialize();
    let id = server.ok("session_start", json!({"focus": "payments"}))["started"]["session_id"]
        .as_str()
        .unwrap()
        .to_string();
    let paused = server.ok(
        "session_pause",
        json!({
            "summary": "Refund flow half done.",
            "next_steps": ["finish refunds", "write the tests"],
            "note": "lunch",
        }),
    );
    assert_eq!(paused["session_id"], id.as_str());
    let record = env.pause_record().expect("a pause record");
    assert_eq!(record["session_id"], id.as_str());
    let context = std::fs::read_to_string(paused["context_file"].as_str().unwrap()).unwrap();
    assert!(
        context.contains("## Summary\n\nRefund flow half done."),
        "{context}"
    );
    assert!(
        context.contains("## Next steps\n\n- finish refunds\n- write the tests"),
        "{context}"
    );
    assert_eq!(env.show(&id)["session"]["status"], "paused");

    let resumed = server.ok("session_resume", json!({}));
    assert_eq!(resumed["result"], "resumed", "{resumed}");
    assert_eq!(env.show(&id)["session"]["status"], "active");
    assert!(env.pause_record().is_none());
    server.close();
}

#[test]
fn restoring_a_checkpoint_is_a_dry_run_unless_asked_otherwise() {
    let env = TestEnv::new();
    let mut server = Server::start(&env);
    server.initialize();
    server.ok("session_start", json!({"focus": "restore"}));
    env.write("notes.txt", "first\n");
    let checkpoint = server.ok(
        "session_checkpoint",
        json!({"description": "before", "files_to_snapshot": "notes.txt"}),
    )["id"]
        .as_str()
        .unwrap()
        .to_string();
    let listed = server.ok("session_checkpoints", json!({}));
    assert_eq!(listed["checkpoints"][0]["id"], checkpoint.as_str());
    env.write("notes.txt", "second\n");

    let dry = server.ok(
        "session_restore_checkpoint",
        json!({"checkpoint": "1", "in_place": true}),
    );
    assert_eq!(dry["command"], "restore checkpoint");
    assert_eq!(dry["dry_run"], true, "{dry}");
    assert_eq!(
        env.read("notes.txt"),
        "second\n",
        "a dry run changes nothing"
    );

    let done = server.ok(
        "session_restore_checkpoint",
        json!({"checkpoint": checkpoint, "in_place": true, "dry_run": false}),
    );
    assert_eq!(done["dry_run"], false, "{done}");
    assert_eq!(env.read("notes.txt"), "first\n");
    assert!(done["safety_checkpoint"].is_string(), "{done}");
    server.close();
}

#[test]
fn the_project_comes_from_project_path_and_the_conversation_is_read_on_every_call() {
    let env = TestEnv::new();
    let other = env.root.join("other");
    std::fs::create_dir_all(&other).unwrap();
    env.git_in(&other, &["init", "-q", "-b", "main"]);
    // The server started elsewhere (no CLAUDE_PROJECT_DIR): project_path says where.
    let mut server = Server::start_with(&env, &[]);
    server.initialize();
    let started = server.ok(
        "session_start",
        json!({"focus": "elsewhere", "project_path": other.to_str().unwrap()}),
    );
    let id = started["started"]["session_id"].as_str().unwrap();
    assert!(
        env.project_dir_of(&other)
            .join("sessions/active")
            .join(id)
            .is_dir()
    );
    // Relative to the server's directory (the project's folder here).
    let status = server.ok("session_status", json!({"project_path": "../other"}));
    assert_eq!(status["sessions"][0]["id"], id);
    server.close();
}

#[test]
fn daily_backup_and_handoff_export_through_the_tools() {
    let env = TestEnv::new();
    let mut server = Server::start(&env);
    server.initialize();
    server.ok("session_start", json!({"focus": "backups"}));
    let backup = server.ok("create_daily_backup", json!({}));
    assert_eq!(backup["command"], "backup daily");
    assert!(
        env.project_dir()
            .join("backups/daily/2025-10-25/manifest.json")
            .is_file()
    );
    let again = server.ok("create_daily_backup", json!({}));
    assert_ne!(again, Value::Null);
    let result = server.call("handoff_export", json!({"max_bytes": 4096}));
    assert_ne!(result["isError"], true, "{result}");
    let prompt = result["structuredContent"]["prompt"].as_str().unwrap();
    assert!(
        prompt.len() <= 4096 && prompt.contains("backups"),
        "{prompt}"
    );
    let text = result["content"][0]["text"].as_str().unwrap();
    assert!(
        text.ends_with(prompt),
        "the text ends with the prompt itself"
    );
    server.close();
}

#[test]
fn a_document_too_big_for_the_models_context_is_left_out_and_the_text_stays() {
    let env = TestEnv::new();
    let mut server = Server::start(&env);
    server.initialize();
    let id = server.ok("session_start", json!({"focus": "big"}))["started"]["session_id"]
        .as_str()
        .unwrap()
        .to_string();
    // 1,000 artifacts (as hooks record them): `end`'s document lists them all.
    let events: Vec<Value> = (0..1000)
        .map(|n| {
            json!({"event": "artifact", "at": NOW, "path": format!("src/generated/module_{n:04}.rs"), "action": "created"})
        })
        .collect();
    env.append_events(&id, &events);
    let status = server.call("session_status", json!({}));
    assert_eq!(
        status["structuredContent"]["sessions"][0]["files_created"],
        1000
    );
    let ended = server.call("session_end", json!({"create_backup": false}));
    assert_ne!(ended["isError"], true, "{ended}");
    assert!(
        ended.get("structuredContent").is_none(),
        "no 16 KiB+ document"
    );
    let text = ended["content"][0]["text"].as_str().unwrap();
    assert!(text.contains(&id) && text.len() < 4096, "{text}");
    assert!(env.archive_dir(&id).is_dir());
    server.close();
}
