//! Every subcommand's `--json` document, as a script or an MCP client reads it: one JSON object
//! on stdout with `"version": 1` and the command's name, then the outcome's fields; a failure is
//! `{"version": 1, "command": …, "error": "one line"}` on stdout with exit 1. (`hook` is the
//! exception: its stdout belongs to Claude Code.) Times come from the fixed clock; what varies
//! from run to run (elapsed seconds, ZIP sizes, this machine's paths) is masked.

use crate::support::*;
use serde_json::Value;

/// Keys whose values depend on the run, not on the outcome.
/// (`bytes` holds copies of session.yaml, whose length follows the temp folder's name.)
const VARYING: &[&str] = &[
    "seconds",
    "size",
    "bytes",
    "hook_round_ms",
    "claude_version",
];

fn mask(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, field) in map.iter_mut() {
                if VARYING.contains(&key.as_str()) && !field.is_null() {
                    *field = Value::String(format!("[{}]", key.to_uppercase()));
                } else {
                    mask(field);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(mask),
        _ => {}
    }
}

fn text_of(env: &TestEnv, mut doc: Value) -> String {
    mask(&mut doc);
    let text = serde_json::to_string_pretty(&doc).unwrap();
    let bin_dir = std::path::Path::new(BIN)
        .parent()
        .unwrap()
        .to_string_lossy();
    env.redact(&text.replace(BIN, "[BIN]").replace(&*bin_dir, "[BIN-DIR]"))
}

/// The document of a command that succeeds.
#[track_caller]
fn document(env: &TestEnv, args: &[&str]) -> String {
    text_of(env, env.json(args))
}

/// The document of a command that fails: exit 1, the error as JSON on stdout.
#[track_caller]
fn failure(env: &TestEnv, args: &[&str]) -> String {
    let out = env.run(args);
    assert_eq!(out.code, 1, "{args:?} fails with exit 1: {}", out.stderr);
    let doc = parse_json(&out.stdout);
    assert_eq!(doc["version"], 1);
    assert!(doc["error"].is_string(), "{doc}");
    assert!(
        out.stderr.is_empty(),
        "the error is the document: {}",
        out.stderr
    );
    text_of(env, doc)
}

fn world() -> TestEnv {
    TestEnv::builder().repo("tour").claude_config_dir().build()
}

#[test]
fn the_session_verbs() {
    let env = world();
    insta::assert_snapshot!(document(&env, &["start", "json tour", "--json"]), @r#"
    {
      "version": 1,
      "command": "start",
      "resumed": null,
      "focus_ignored": false,
      "started": {
        "session_id": "2025-10-25-session-001-json-tour",
        "workspace": "[TMP]/state/claude-session/projects/tour-[HASH]/sessions/active/2025-10-25-session-001-json-tour",
        "focus": "json tour",
        "agent": "claude",
        "merged": null,
        "ready": {
          "head": {
            "in_git": true,
            "branch": "main",
            "commit": "1814a6cdd52bf6bcab1a5bd372d718a9825849d8",
            "detached": false,
            "upstream": null
          },
          "uncommitted": [],
          "recent_commits": [
            {
              "hash": "1814a6cdd52bf6bcab1a5bd372d718a9825849d8",
              "summary": "initial"
            }
          ],
          "commits_since_start": 0,
          "next": "work on the focus: json tour."
        },
        "bound": null,
        "context": "[TMP]/state/claude-session/projects/tour-[HASH]/sessions/active/2025-10-25-session-001-json-tour/context.md"
      },
      "others_open": [],
      "finished_interrupted_ends": []
    }
    "#);
    let id = "2025-10-25-session-001-json-tour";
    env.write("notes.md", "# notes\n");
    insta::assert_snapshot!(document(&env, &["track", "notes.md", "--json"]), @r#"
    {
      "version": 1,
      "command": "track",
      "session_id": "2025-10-25-session-001-json-tour",
      "path": "notes.md",
      "action": "created",
      "outside_project": false
    }
    "#);
    env.at("2025-10-25T15:00:00Z");
    insta::assert_snapshot!(document(&env, &["status", "--json"]), @r#"
    {
      "version": 1,
      "command": "status",
      "project": "[TMP]/tour",
      "project_name": "tour",
      "sessions": [
        {
          "id": "2025-10-25-session-001-json-tour",
          "status": "active",
          "focus": "json tour",
          "agent": "claude",
          "date": "2025-10-25",
          "start_time": "14:30:00",
          "end_time": null,
          "duration_minutes": 30,
          "files_created": 1,
          "files_modified": 0,
          "checkpoints": 0,
          "rulemap_score": null,
          "archived": false,
          "workspace": "[TMP]/state/claude-session/projects/tour-[HASH]/sessions/active/2025-10-25-session-001-json-tour",
          "agents": 0,
          "prompts": 0
        }
      ]
    }
    "#);
    insta::assert_snapshot!(document(&env, &["list", "--json"]), @r#"
    {
      "version": 1,
      "command": "list",
      "sessions": [
        {
          "id": "2025-10-25-session-001-json-tour",
          "status": "active",
          "focus": "json tour",
          "agent": "claude",
          "date": "2025-10-25",
          "start_time": "14:30:00",
          "end_time": null,
          "duration_minutes": 30,
          "files_created": 1,
          "files_modified": 0,
          "checkpoints": 0,
          "rulemap_score": null,
          "archived": false,
          "workspace": "[TMP]/state/claude-session/projects/tour-[HASH]/sessions/active/2025-10-25-session-001-json-tour",
          "agents": 0,
          "prompts": 0
        }
      ]
    }
    "#);
    insta::assert_snapshot!(document(&env, &["show", id, "--json"]), @r#"
    {
      "version": 1,
      "command": "show",
      "session": {
        "id": "2025-10-25-session-001-json-tour",
        "date": "2025-10-25",
        "start_time": "14:30:00",
        "end_time": null,
        "focus": "json tour",
        "agent": "claude",
        "status": "active",
        "started_at": "2025-10-25T14:30:00Z"
      },
      "artifacts": {
        "created": [
          "notes.md"
        ],
        "modified": []
      },
      "checkpoints": [],
      "metrics": {
        "duration_minutes": 30,
        "wall_minutes": 30,
        "paused_seconds": 0,
        "files_created": 1,
        "files_modified": 0,
        "checkpoints": 0
      },
      "rulemap_score": null,
      "project": {
        "path": "[TMP]/tour",
        "name": "tour"
      },
      "git": {
        "starting_branch": "main",
        "starting_commit": "1814a6cdd52bf6bcab1a5bd372d718a9825849d8"
      },
      "claude_sessions": [],
      "agents": [],
      "prompts": {
        "count": 0,
        "last_at": null
      },
      "journal": {
        "folded_bytes": 339,
        "events": 2,
        "last_event_at": "2025-10-25T14:30:00Z",
        "folded_tail": "[TAIL-HASH-----]"
      },
      "workspace": "[TMP]/state/claude-session/projects/tour-[HASH]/sessions/active/2025-10-25-session-001-json-tour",
      "archived": false,
      "tokens": {
        "responses": 0,
        "input_tokens": 0,
        "output_tokens": 0,
        "cache_creation_input_tokens": 0,
        "cache_read_input_tokens": 0
      },
      "end_pending": []
    }
    "#);
    insta::assert_snapshot!(document(&env, &["pause", "--dry-run", "--json"]), @r#"
    {
      "version": 1,
      "command": "pause",
      "session_id": "2025-10-25-session-001-json-tour",
      "status": "active",
      "focus": "json tour",
      "head": {
        "in_git": true,
        "branch": "main",
        "commit": "1814a6cdd52bf6bcab1a5bd372d718a9825849d8",
        "detached": false,
        "upstream": null
      },
      "in_git": true,
      "uncommitted": [
        {
          "code": "??",
          "path": "notes.md"
        }
      ],
      "already_paused": null
    }
    "#);
    insta::assert_snapshot!(document(&env, &["pause", "--note", "lunch", "--json"]), @r#"
    {
      "version": 1,
      "command": "pause",
      "session_id": "2025-10-25-session-001-json-tour",
      "focus": "json tour",
      "head": {
        "in_git": true,
        "branch": "main",
        "commit": "1814a6cdd52bf6bcab1a5bd372d718a9825849d8",
        "detached": false,
        "upstream": null
      },
      "uncommitted": [
        "notes.md"
      ],
      "wip_commit": null,
      "env_files_left_out": [],
      "unstaged": [],
      "context_file": "[TMP]/state/contexts/tour-[HASH]-2025-10-25-150000.md",
      "replaced_record_of": null,
      "bound": null,
      "handoff": null,
      "already_paused": null,
      "empty_summary_ignored": false,
      "supersedes": null
    }
    "#);
    env.at("2025-10-25T16:00:00Z");
    insta::assert_snapshot!(document(&env, &["resume", "--json"]), @r##"
    {
      "version": 1,
      "command": "resume",
      "result": "resumed",
      "session_id": "2025-10-25-session-001-json-tour",
      "focus": "json tour",
      "without_record": false,
      "branch_action": null,
      "head": {
        "in_git": true,
        "branch": "main",
        "commit": "1814a6cdd52bf6bcab1a5bd372d718a9825849d8",
        "detached": false,
        "upstream": null
      },
      "paused": {
        "paused_at": "2025-10-25T15:00:00Z",
        "note": "lunch",
        "wip_commit": null
      },
      "context": {
        "result": "shown",
        "path": "[TMP]/state/contexts/tour-[HASH]-2025-10-25-150000.md",
        "text": "# Context: tour\n\n- Project: tour ([TMP]/tour)\n- Branch: main @ 1814a6c \"initial\"\n- Session: 2025-10-25-session-001-json-tour (paused)\n- Focus: json tour\n- Started: 2025-10-25 14:30:00\n- Saved: 2025-10-25 15:00 (pause)\n- Note: lunch\n\n## Summary\n\n_No summary was written (pause); the sections below are what claude-session recorded._\n\n## Uncommitted changes\n\n- `??` notes.md (+1 -0)\n\n1 file(s) changed, 1 insertion(s), 0 deletion(s).\n\n## Commits during the session\n\nNone yet.\n\n## Artifacts\n\n- created: notes.md\n"
      },
      "merged": null,
      "ready": {
        "head": {
          "in_git": true,
          "branch": "main",
          "commit": "1814a6cdd52bf6bcab1a5bd372d718a9825849d8",
          "detached": false,
          "upstream": null
        },
        "uncommitted": [
          "notes.md"
        ],
        "recent_commits": [
          {
            "hash": "1814a6cdd52bf6bcab1a5bd372d718a9825849d8",
            "summary": "initial"
          }
        ],
        "commits_since_start": 0,
        "next": "the first open item of the next steps above, unless the user says otherwise."
      },
      "bound": null
    }
    "##);
    insta::assert_snapshot!(document(&env, &["start", "--dry-run", "--json"]), @r#"
    {
      "version": 1,
      "command": "start",
      "project_name": "tour",
      "project_path": "[TMP]/tour",
      "new": false,
      "paused": null,
      "open": [
        {
          "id": "2025-10-25-session-001-json-tour",
          "status": "active"
        }
      ],
      "answer_waiting": false,
      "head": {
        "in_git": true,
        "branch": "main",
        "commit": "1814a6cdd52bf6bcab1a5bd372d718a9825849d8",
        "detached": false,
        "upstream": null
      }
    }
    "#);
    insta::assert_snapshot!(document(&env, &["end", "--dry-run", "--json"]), @r#"
    {
      "version": 1,
      "command": "end",
      "session_id": "2025-10-25-session-001-json-tour",
      "status": "active",
      "focus": "json tour",
      "started": "2025-10-25 14:30:00",
      "head": {
        "in_git": true,
        "branch": "main",
        "commit": "1814a6cdd52bf6bcab1a5bd372d718a9825849d8",
        "detached": false,
        "upstream": null
      },
      "in_git": true,
      "commits_count": 0,
      "commits": [],
      "uncommitted": [
        {
          "code": "??",
          "path": "notes.md",
          "added": 1,
          "deleted": 0,
          "binary": false
        }
      ],
      "duration_minutes": 30,
      "wall_minutes": 90,
      "files_created": 1,
      "files_modified": 0,
      "checkpoints": 0,
      "agents": 0,
      "indicators": {
        "tasks_total": 0,
        "tasks_completed": 0,
        "completion_rate": null,
        "runs_total": 0,
        "runs_passed": 0,
        "quality_score": null,
        "minutes_actual": 0,
        "minutes_estimated": 0,
        "time_efficiency": null
      }
    }
    "#);
    insta::assert_snapshot!(document(&env, &["end", "--yes", "--score", "8", "--json"]), @r#"
    {
      "version": 1,
      "command": "end",
      "session_id": "2025-10-25-session-001-json-tour",
      "session": {
        "session": {
          "id": "2025-10-25-session-001-json-tour",
          "date": "2025-10-25",
          "start_time": "14:30:00",
          "end_time": "16:00:00",
          "focus": "json tour",
          "agent": "claude",
          "status": "completed",
          "started_at": "2025-10-25T14:30:00Z",
          "ended_at": "2025-10-25T16:00:00Z"
        },
        "artifacts": {
          "created": [
            "notes.md"
          ],
          "modified": []
        },
        "checkpoints": [],
        "metrics": {
          "duration_minutes": 30,
          "wall_minutes": 90,
          "paused_seconds": 3600,
          "files_created": 1,
          "files_modified": 0,
          "checkpoints": 0
        },
        "rulemap_score": 8.0,
        "project": {
          "path": "[TMP]/tour",
          "name": "tour"
        },
        "git": {
          "starting_branch": "main",
          "starting_commit": "1814a6cdd52bf6bcab1a5bd372d718a9825849d8",
          "ending_branch": "main",
          "ending_commit": "1814a6cdd52bf6bcab1a5bd372d718a9825849d8",
          "commits_count": 0,
          "uncommitted_files": [
            "notes.md"
          ]
        },
        "claude_sessions": [],
        "agents": [],
        "prompts": {
          "count": 0,
          "last_at": null
        },
        "journal": {
          "folded_bytes": 730,
          "events": 5,
          "last_event_at": "2025-10-25T16:00:00Z",
          "folded_tail": "[TAIL-HASH-----]"
        }
      },
      "archived": "[TMP]/state/claude-session/projects/tour-[HASH]/sessions/archive/2025-10-25-session-001-json-tour",
      "backup": "[TMP]/state/claude-session/projects/tour-[HASH]/backups/sessions/2025-10-25-session-001-json-tour-backup.zip",
      "backup_error": null,
      "summaries_file": "[TMP]/state/claude-session/projects/tour-[HASH]/session-summaries/2025-10-25.md",
      "final_context": {
        "Ok": "[TMP]/state/contexts/tour-[HASH]-2025-10-25-160000.md"
      },
      "pause_record_cleared": null,
      "push": null,
      "handoff": null,
      "resumed_interrupted_end": false,
      "documents": [
        "[TMP]/state/claude-session/projects/tour-[HASH]/sessions/archive/2025-10-25-session-001-json-tour/completed.md",
        "[TMP]/state/claude-session/projects/tour-[HASH]/sessions/archive/2025-10-25-session-001-json-tour/review.md"
      ],
      "session_record": "[TMP]/state/claude-session/projects/tour-[HASH]/backups/sessions/2025-10-25-session-001-json-tour.json",
      "indicators": {
        "tasks_total": 0,
        "tasks_completed": 0,
        "completion_rate": null,
        "runs_total": 0,
        "runs_passed": 0,
        "quality_score": null,
        "minutes_actual": 0,
        "minutes_estimated": 0,
        "time_efficiency": null
      },
      "memory_entries": 0,
      "pattern_proposals": [],
      "step_errors": []
    }
    "#);
}

#[test]
fn the_handoff_verbs() {
    let env = world();
    env.ok(&["start", "handoff"]);
    let out = env.root.join("prompt.md");
    let exported = env.json(&[
        "handoff",
        "export",
        "--output",
        out.to_str().unwrap(),
        "--json",
    ]);
    assert!(exported["prompt"].as_str().unwrap().contains("handoff"));
    assert_eq!(exported["output_file"], out.to_str().unwrap());
    let mut shape = exported.clone();
    shape["prompt"] = Value::String("[PROMPT]".into());
    insta::assert_snapshot!(text_of(&env, shape), @r#"
    {
      "version": 1,
      "command": "handoff export",
      "id": "20251025T143000Z.json",
      "location": "[TMP]/state/claude-session/handoff/tour-[HASH]/20251025T143000Z.json",
      "prompt": "[PROMPT]",
      "redactions": {},
      "output_file": "[TMP]/prompt.md",
      "clipboard": null
    }
    "#);
    let answer = env
        .run_stdin(&["handoff", "import", "--json"], "Use a hash map.\n")
        .ok();
    insta::assert_snapshot!(text_of(&env, parse_json(&answer.stdout)), @r#"
    {
      "version": 1,
      "command": "handoff import",
      "id": "20251025T143000Z.json",
      "location": "[TMP]/state/claude-session/handoff/tour-[HASH]/20251025T143000Z.json",
      "bytes": "[BYTES]"
    }
    "#);
}

#[test]
fn the_recovery_verbs() {
    let env = world();
    env.ok(&["start", "recovery"]);
    let id = "2025-10-25-session-001-recovery";
    env.write("notes.md", "# notes\n");
    insta::assert_snapshot!(document(&env, &["checkpoint", "first", "--json"]), @r#"
    {
      "version": 1,
      "command": "checkpoint",
      "session_id": "2025-10-25-session-001-recovery",
      "id": "checkpoint-001-14-30-00",
      "created_at": "2025-10-25T14:30:00Z",
      "time": "2025-10-25 14:30:00",
      "description": "first",
      "kind": "manual",
      "files": 1,
      "deleted": 0,
      "bytes": "[BYTES]",
      "new_bytes": 8,
      "path": "[TMP]/state/claude-session/projects/tour-[HASH]/sessions/active/2025-10-25-session-001-recovery/snapshots/checkpoint-001-14-30-00",
      "new_files": 1,
      "file_paths": [
        "notes.md"
      ],
      "deleted_paths": [],
      "skipped": [],
      "not_copied": [],
      "env_files": []
    }
    "#);
    insta::assert_snapshot!(document(&env, &["checkpoints", "--json"]), @r#"
    {
      "version": 1,
      "command": "checkpoints",
      "session": "2025-10-25-session-001-recovery",
      "checkpoints": [
        {
          "id": "checkpoint-001-14-30-00",
          "created_at": "2025-10-25T14:30:00Z",
          "time": "2025-10-25 14:30:00",
          "description": "first",
          "kind": "manual",
          "files": 1,
          "deleted": 0,
          "bytes": "[BYTES]",
          "new_bytes": 8,
          "path": "[TMP]/state/claude-session/projects/tour-[HASH]/sessions/active/2025-10-25-session-001-recovery/snapshots/checkpoint-001-14-30-00"
        }
      ]
    }
    "#);
    insta::assert_snapshot!(document(&env, &["restore", "checkpoint", id, "1", "--json"]), @r#"
    {
      "version": 1,
      "command": "restore checkpoint",
      "mode": "folder",
      "session_id": "2025-10-25-session-001-recovery",
      "checkpoint_id": "checkpoint-001-14-30-00",
      "target": "[TMP]/state/claude-session/projects/tour-[HASH]/restored/2025-10-25-session-001-recovery-checkpoint-001-14-30-00-restored",
      "dry_run": false,
      "files": 1,
      "bytes": "[BYTES]",
      "deleted_at_checkpoint": 0,
      "marked": false
    }
    "#);
    insta::assert_snapshot!(document(&env, &["backup", "daily", "--json"]), @r#"
    {
      "version": 1,
      "command": "backup daily",
      "status": "written",
      "name": "2025-10-25",
      "path": "[TMP]/state/claude-session/projects/tour-[HASH]/backups/daily/2025-10-25",
      "archives": [
        {
          "file": "project.zip",
          "holds": "project files",
          "files": 2,
          "bytes": "[BYTES]",
          "size": "[SIZE]"
        },
        {
          "file": "sessions.zip",
          "holds": "sessions and session summaries",
          "files": 7,
          "bytes": "[BYTES]",
          "size": "[SIZE]"
        }
      ],
      "skipped": [],
      "env_files": [],
      "seconds": "[SECONDS]",
      "earlier_today": []
    }
    "#);
    insta::assert_snapshot!(document(&env, &["backup", "milestone", "v1", "--json"]), @r#"
    {
      "version": 1,
      "command": "backup milestone",
      "name": "v1",
      "path": "[TMP]/state/claude-session/projects/tour-[HASH]/backups/milestones/v1",
      "archives": [
        {
          "file": "project.zip",
          "holds": "project files",
          "files": 2,
          "bytes": "[BYTES]",
          "size": "[SIZE]"
        },
        {
          "file": "sessions.zip",
          "holds": "sessions and session summaries",
          "files": 7,
          "bytes": "[BYTES]",
          "size": "[SIZE]"
        }
      ],
      "skipped": [],
      "env_files": [],
      "seconds": "[SECONDS]"
    }
    "#);
    insta::assert_snapshot!(document(&env, &["backup", "prune", "--json"]), @r#"
    {
      "version": 1,
      "command": "backup prune",
      "keep_days": 14,
      "kept_days": 1,
      "daily_backups": 1,
      "days": 1,
      "removed": []
    }
    "#);
    // A restored folder's date and time are its folder's on disk, not the fixed clock.
    let mut backups = env.json(&["backups", "--json"]);
    for entry in backups["backups"].as_array_mut().unwrap() {
        if entry["kind"] == "restored" {
            entry["date"] = "[DISK-DATE]".into();
            entry["created_at"] = "[DISK-TIME]".into();
        }
    }
    insta::assert_snapshot!(text_of(&env, backups), @r#"
    {
      "version": 1,
      "command": "backups",
      "backups": [
        {
          "kind": "daily",
          "name": "2025-10-25",
          "date": "2025-10-25",
          "created_at": "2025-10-25T14:30:00Z",
          "size": "[SIZE]",
          "path": "[TMP]/state/claude-session/projects/tour-[HASH]/backups/daily/2025-10-25"
        },
        {
          "kind": "milestone",
          "name": "v1",
          "date": "2025-10-25",
          "created_at": "2025-10-25T14:30:00Z",
          "size": "[SIZE]",
          "path": "[TMP]/state/claude-session/projects/tour-[HASH]/backups/milestones/v1"
        },
        {
          "kind": "restored",
          "name": "2025-10-25-session-001-recovery-checkpoint-001-14-30-00-restored",
          "date": "[DISK-DATE]",
          "created_at": "[DISK-TIME]",
          "size": "[SIZE]",
          "path": "[TMP]/state/claude-session/projects/tour-[HASH]/restored/2025-10-25-session-001-recovery-checkpoint-001-14-30-00-restored"
        }
      ]
    }
    "#);
    env.ok(&["end", "--yes"]);
    insta::assert_snapshot!(document(&env, &["restore", "backup", id, "--json"]), @r#"
    {
      "version": 1,
      "command": "restore backup",
      "session_id": "2025-10-25-session-001-recovery",
      "archive": "[TMP]/state/claude-session/projects/tour-[HASH]/backups/sessions/2025-10-25-session-001-recovery-backup.zip",
      "target": "[TMP]/state/claude-session/projects/tour-[HASH]/restored/2025-10-25-session-001-recovery-restored",
      "files": 10,
      "bytes": "[BYTES]",
      "marked": false
    }
    "#);
    insta::assert_snapshot!(document(&env, &["restore", "daily", "2025-10-25", "--json"]), @r#"
    {
      "version": 1,
      "command": "restore daily",
      "kind": "daily",
      "name": "2025-10-25",
      "backup": "[TMP]/state/claude-session/projects/tour-[HASH]/backups/daily/2025-10-25",
      "target": "[TMP]/state/claude-session/projects/tour-[HASH]/restored/daily-2025-10-25-restored",
      "archives": [
        {
          "archive": "project.zip",
          "folder": "[TMP]/state/claude-session/projects/tour-[HASH]/restored/daily-2025-10-25-restored/project",
          "files": 2,
          "bytes": "[BYTES]"
        },
        {
          "archive": "sessions.zip",
          "folder": "[TMP]/state/claude-session/projects/tour-[HASH]/restored/daily-2025-10-25-restored/sessions",
          "files": 7,
          "bytes": "[BYTES]"
        }
      ]
    }
    "#);
    insta::assert_snapshot!(document(&env, &["restore", "milestone", "v1", "--json"]), @r#"
    {
      "version": 1,
      "command": "restore milestone",
      "kind": "milestone",
      "name": "v1",
      "backup": "[TMP]/state/claude-session/projects/tour-[HASH]/backups/milestones/v1",
      "target": "[TMP]/state/claude-session/projects/tour-[HASH]/restored/milestone-v1-restored",
      "archives": [
        {
          "archive": "project.zip",
          "folder": "[TMP]/state/claude-session/projects/tour-[HASH]/restored/milestone-v1-restored/project",
          "files": 2,
          "bytes": "[BYTES]"
        },
        {
          "archive": "sessions.zip",
          "folder": "[TMP]/state/claude-session/projects/tour-[HASH]/restored/milestone-v1-restored/sessions",
          "files": 7,
          "bytes": "[BYTES]"
        }
      ]
    }
    "#);
}

#[test]
fn the_setup_verbs() {
    let env = world();
    insta::assert_snapshot!(document(&env, &["config", "--json"]), @r#"
    {
      "version": 1,
      "command": "config",
      "file": "[TMP]/state/claude-session/config.toml",
      "warnings": [],
      "checkpoints.auto_minutes": {
        "value": 30,
        "source": "default",
        "help": "minutes of activity between automatic checkpoints (0 = off)"
      },
      "context.budget_bytes": {
        "value": 8192,
        "source": "default",
        "help": "size budget of context files and injected context"
      },
      "backups.keep_daily": {
        "value": 14,
        "source": "default",
        "help": "daily backups kept by `backup prune`"
      },
      "backups.max_restore_bytes": {
        "value": 4294967296,
        "source": "default",
        "help": "largest total size a restore unpacks"
      },
      "backups.max_restore_entries": {
        "value": 200000,
        "source": "default",
        "help": "most entries a restore unpacks"
      },
      "remind.default_minutes": {
        "value": 45,
        "source": "default",
        "help": "reminder interval used by `remind on`"
      },
      "locks.wait_ms": {
        "value": 5000,
        "source": "default",
        "help": "how long a command waits for a busy state file"
      },
      "locks.hook_wait_ms": {
        "value": 200,
        "source": "default",
        "help": "how long a hook waits for a busy state file"
      },
      "git.push_timeout_seconds": {
        "value": 60,
        "source": "default",
        "help": "time limit of `end --push`"
      },
      "logs.max_bytes": {
        "value": 1048576,
        "source": "default",
        "help": "size at which hooks.log is rotated"
      },
      "logs.keep": {
        "value": 3,
        "source": "default",
        "help": "rotated hook logs kept"
      },
      "handoff.backend": {
        "value": "file",
        "source": "default",
        "help": "where handoff items are kept: \"file\" or \"1password\""
      },
      "handoff.onepassword.vault": {
        "value": null,
        "source": "default",
        "help": "1Password vault of handoff items (default: the account's default vault)"
      },
      "handoff.onepassword.timeout_seconds": {
        "value": 20,
        "source": "default",
        "help": "time limit of each `op` call"
      },
      "sync.remote": {
        "value": "origin",
        "source": "default",
        "help": "git remote that sessions are synced through"
      },
      "tracker.url": {
        "value": null,
        "source": "default",
        "help": "issue tracker URL (http:// or https://)"
      },
      "tracker.token_file": {
        "value": null,
        "source": "default",
        "help": "file holding the issue tracker's API token"
      },
      "tracker.on_pause": {
        "value": false,
        "source": "default",
        "help": "also send a session record at pause (true or false)"
      },
      "tracker.timeout_seconds": {
        "value": 10,
        "source": "default",
        "help": "time limit of one request to the tracker"
      },
      "auto.enabled": {
        "value": true,
        "source": "default",
        "help": "whether the session-manager skill may start, checkpoint and wrap up sessions on its own (true or false)"
      }
    }
    "#);
    insta::assert_snapshot!(document(&env, &["remind", "every", "20", "--json"]), @r#"
    {
      "version": 1,
      "command": "remind",
      "enabled": true,
      "interval_minutes": 20,
      "state_file": "[TMP]/state/remind-state.json"
    }
    "#);
    insta::assert_snapshot!(document(&env, &["install", "--dry-run", "--json"]), @r#"
    {
      "version": 1,
      "command": "install",
      "scope": "user",
      "dry_run": true,
      "binary": "[BIN]",
      "hook_program": "[BIN]",
      "machine_specific_path": false,
      "settings": {
        "path": "[TMP]/claude-config/settings.json",
        "existed": false,
        "changed": true,
        "changes": [
          "added hook post-edit (PostToolUse)",
          "added hook post-task (PostToolUse)",
          "added hook post-todo (PostToolUse)",
          "added hook pre-task (PreToolUse)",
          "added hook session-start (SessionStart)",
          "added hook session-end (SessionEnd)",
          "added hook pre-compact (PreCompact)",
          "added hook prompt (UserPromptSubmit)",
          "added hook subagent-stop (SubagentStop)",
          "added hook stop (Stop)",
          "added hook task-created (TaskCreated)",
          "added hook task-completed (TaskCompleted)"
        ],
        "backup": null,
        "diff": "--- /dev/null\n+++ [TMP]/claude-config/settings.json (after install)\n@@ -0,0 +1,136 @@\n+{\n+  \"hooks\": {\n+    \"PostToolUse\": [\n+      {\n+        \"matcher\": \"Write|Edit|MultiEdit|NotebookEdit\",\n+        \"hooks\": [\n+          {\n+            \"type\": \"command\",\n+            \"command\": \"\\\"[BIN]\\\" hook post-edit\",\n+            \"timeout\": 10\n+          }\n+        ]\n+      },\n+      {\n+        \"matcher\": \"Agent|Task\",\n+        \"hooks\": [\n+          {\n+            \"type\": \"command\",\n+            \"command\": \"\\\"[BIN]\\\" hook post-task\",\n+            \"timeout\": 10\n+          }\n+        ]\n+      },\n+      {\n+        \"matcher\": \"TaskCreate|TaskUpdate|TodoWrite\",\n+        \"hooks\": [\n+          {\n+            \"type\": \"command\",\n+            \"command\": \"\\\"[BIN]\\\" hook post-todo\",\n+            \"timeout\": 10\n+          }\n+        ]\n+      }\n+    ],\n+    \"PreToolUse\": [\n+      {\n+        \"matcher\": \"Agent|Task\",\n+        \"hooks\": [\n+          {\n+            \"type\": \"command\",\n+            \"command\": \"\\\"[BIN]\\\" hook pre-task\",\n+            \"timeout\": 10\n+          }\n+        ]\n+      }\n+    ],\n+    \"SessionStart\": [\n+      {\n+        \"hooks\": [\n+          {\n+            \"type\": \"command\",\n+            \"command\": \"\\\"[BIN]\\\" hook session-start\",\n+            \"timeout\": 10\n+          }\n+        ]\n+      }\n+    ],\n+    \"SessionEnd\": [\n+      {\n+        \"hooks\": [\n+          {\n+            \"type\": \"command\",\n+            \"command\": \"\\\"[BIN]\\\" hook session-end\",\n+            \"timeout\": 5\n+          }\n+        ]\n+      }\n+    ],\n+    \"PreCompact\": [\n+      {\n+        \"hooks\": [\n+          {\n+            \"type\": \"command\",\n+            \"command\": \"\\\"[BIN]\\\" hook pre-compact\",\n+            \"timeout\": 10\n+          }\n+        ]\n+      }\n+    ],\n+    \"UserPromptSubmit\": [\n+      {\n+        \"hooks\": [\n+          {\n+            \"type\": \"command\",\n+            \"command\": \"\\\"[BIN]\\\" hook prompt\",\n+            \"timeout\": 10\n+          }\n+        ]\n+      }\n+    ],\n+    \"SubagentStop\": [\n+      {\n+        \"hooks\": [\n+          {\n+            \"type\": \"command\",\n+            \"command\": \"\\\"[BIN]\\\" hook subagent-stop\",\n+            \"timeout\": 10\n+          }\n+        ]\n+      }\n+    ],\n+    \"Stop\": [\n+      {\n+        \"hooks\": [\n+          {\n+            \"type\": \"command\",\n+            \"command\": \"\\\"[BIN]\\\" hook stop\",\n+            \"timeout\": 10\n+          }\n+        ]\n+      }\n+    ],\n+    \"TaskCreated\": [\n+      {\n+        \"hooks\": [\n+          {\n+            \"type\": \"command\",\n+            \"command\": \"\\\"[BIN]\\\" hook task-created\",\n+            \"timeout\": 10\n+          }\n+        ]\n+      }\n+    ],\n+    \"TaskCompleted\": [\n+      {\n+        \"hooks\": [\n+          {\n+            \"type\": \"command\",\n+            \"command\": \"\\\"[BIN]\\\" hook task-completed\",\n+            \"timeout\": 10\n+          }\n+        ]\n+      }\n+    ]\n+  }\n+}\n",
        "removed": false
      },
      "commands_dir": "[TMP]/claude-config/commands",
      "commands": [
        {
          "file": "start.md",
          "path": "[TMP]/claude-config/commands/start.md",
          "action": "add",
          "backup": null
        },
        {
          "file": "pause.md",
          "path": "[TMP]/claude-config/commands/pause.md",
          "action": "add",
          "backup": null
        },
        {
          "file": "resume.md",
          "path": "[TMP]/claude-config/commands/resume.md",
          "action": "add",
          "backup": null
        },
        {
          "file": "end.md",
          "path": "[TMP]/claude-config/commands/end.md",
          "action": "add",
          "backup": null
        },
        {
          "file": "../skills/session-manager/SKILL.md",
          "path": "[TMP]/claude-config/skills/session-manager/SKILL.md",
          "action": "add",
          "backup": null
        }
      ],
      "binary_in_build_folder": true,
      "plugins": [],
      "elsewhere": [],
      "path_problem": {
        "problem": "not_on_path",
        "dir": "[BIN-DIR]"
      },
      "mcp": null,
      "statusline": null,
      "changed": true
    }
    "#);
    let installed = env.json(&["install", "--json"]);
    assert_eq!(installed["changed"], true, "{installed}");
    // doctor's checklist depends on this machine (is Claude Code installed, what is on PATH):
    // its document is checked for its shape; a problem found is exit 1 with the document.
    let out = env.run(&["doctor", "--json"]);
    let doctor = parse_json(&out.stdout);
    assert_eq!(
        (doctor["version"].clone(), doctor["command"].clone()),
        (1.into(), "doctor".into())
    );
    let checks = doctor["checks"].as_array().expect("checks");
    assert!(
        checks
            .iter()
            .all(|c| c["status"].is_string() && c["message"].is_string())
    );
    let problems = doctor["problems"].as_u64().unwrap();
    assert_eq!(out.code, if problems == 0 { 0 } else { 1 }, "{doctor}");
    insta::assert_snapshot!(document(&env, &["uninstall", "--json"]), @r#"
    {
      "version": 1,
      "command": "uninstall",
      "scope": "user",
      "dry_run": false,
      "settings": {
        "path": "[TMP]/claude-config/settings.json",
        "existed": true,
        "changed": true,
        "changes": [
          "removed hook post-edit (PostToolUse)",
          "removed hook post-task (PostToolUse)",
          "removed hook post-todo (PostToolUse)",
          "removed hook pre-task (PreToolUse)",
          "removed hook session-start (SessionStart)",
          "removed hook session-end (SessionEnd)",
          "removed hook pre-compact (PreCompact)",
          "removed hook prompt (UserPromptSubmit)",
          "removed hook subagent-stop (SubagentStop)",
          "removed hook stop (Stop)",
          "removed hook task-created (TaskCreated)",
          "removed hook task-completed (TaskCompleted)"
        ],
        "backup": null,
        "diff": null,
        "removed": true
      },
      "commands_dir": "[TMP]/claude-config/commands",
      "commands": [
        {
          "file": "start.md",
          "path": "[TMP]/claude-config/commands/start.md",
          "action": "remove"
        },
        {
          "file": "pause.md",
          "path": "[TMP]/claude-config/commands/pause.md",
          "action": "remove"
        },
        {
          "file": "resume.md",
          "path": "[TMP]/claude-config/commands/resume.md",
          "action": "remove"
        },
        {
          "file": "end.md",
          "path": "[TMP]/claude-config/commands/end.md",
          "action": "remove"
        },
        {
          "file": "../skills/session-manager/SKILL.md",
          "path": "[TMP]/claude-config/skills/session-manager/SKILL.md",
          "action": "remove"
        }
      ],
      "removed_dirs": [
        "[TMP]/claude-config/skills/session-manager",
        "[TMP]/claude-config/commands",
        "[TMP]/claude-config/skills",
        "[TMP]/claude-config"
      ],
      "kept_backups": [],
      "mcp": null,
      "statusline": null,
      "changed": true
    }
    "#);
}

#[test]
fn failures_are_documents_too() {
    let env = world();
    insta::assert_snapshot!(failure(&env, &["show", "nope", "--json"]), @r#"
    {
      "version": 1,
      "command": "show",
      "error": "session not found; see `claude-session list --all` (nope)"
    }
    "#);
    insta::assert_snapshot!(failure(&env, &["pause", "--json"]), @r#"
    {
      "version": 1,
      "command": "pause",
      "error": "no open session in this project; start one with `claude-session start` ([TMP]/tour)"
    }
    "#);
    // With --soft-fail (the slash commands' `!` lines) the document is printed and the exit is 0.
    let out = env.run(&["--soft-fail", "end", "--json"]);
    assert_eq!(out.code, 0);
    assert!(
        parse_json(&out.stdout)["error"]
            .as_str()
            .unwrap()
            .contains("no open session")
    );
}
