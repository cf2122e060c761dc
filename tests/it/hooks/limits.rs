//! Every string a hook records is capped (paths 4 KiB, free text 2 KiB, names 256 bytes), cut
//! at a character boundary with a marker, and the cut is said in one hook log line.

use super::session_end::token_events;
use super::*;
use crate::support::*;
use serde_json::{Value, json};

/// A captured payload with the JSON pointers in `changes` set (objects made on the way).
pub fn payload_with(env: &TestEnv, fixture: &str, changes: &[(&str, Value)]) -> String {
    let mut payload: Value = serde_json::from_str(&env.fixture(fixture)).unwrap();
    for (pointer, value) in changes {
        let mut at = &mut payload;
        for part in pointer.trim_start_matches('/').split('/') {
            if !at.is_object() {
                *at = json!({});
            }
            at = at
                .as_object_mut()
                .unwrap()
                .entry(part.to_string())
                .or_insert(Value::Null);
        }
        *at = value.clone();
    }
    payload.to_string()
}

/// About 1 MB, with a two-byte character at every cut a cap could make.
fn huge(tag: &str) -> String {
    format!("{tag}x{}", "é".repeat(500_000))
}

#[track_caller]
fn assert_capped(value: &Value, max: usize) {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("a string: {value}"));
    assert!(text.len() <= max, "{} bytes over {max}", text.len());
    assert!(text.ends_with('…'), "marked: …{}", &text[text.len() - 8..]);
}

#[test]
fn huge_strings_are_cut_where_hooks_record_them_and_the_cuts_are_logged() {
    let env = world();
    let _reaper = Reaper(&env);
    let id = start(&env, "huge strings", Some(FIXTURE_CLAUDE_ID));
    let project = env.project.to_string_lossy().into_owned();
    // Five 1 MB file paths made session.yaml and every compact note 5.2 MB.
    for n in 0..5 {
        let path = format!("{project}/{}", huge(&n.to_string()));
        let payload = payload_with(
            &env,
            "006-PostToolUse-Write.json",
            &[("/tool_input/file_path", path.into())],
        );
        env.hook("post-edit", payload);
    }
    let task = [
        ("/tool_input/description", huge("d").into()),
        ("/tool_input/subagent_type", huge("s").into()),
        ("/tool_use_id", huge("t").into()),
    ];
    env.hook(
        "pre-task",
        payload_with(&env, "020-PreToolUse-Agent.json", &task),
    );
    let mut finished = task.to_vec();
    finished.extend([
        ("/tool_response/status", huge("st").into()),
        ("/tool_response/agentId", huge("a").into()),
    ]);
    env.hook(
        "post-task",
        payload_with(&env, "026-PostToolUse-Agent.json", &finished),
    );
    env.hook(
        "prompt",
        payload_with(
            &env,
            "002-UserPromptSubmit.json",
            &[("/prompt", huge("p").into())],
        ),
    );
    env.hook(
        "pre-compact",
        payload_with(
            &env,
            "034-PreCompact.json",
            &[
                ("/custom_instructions", huge("c").into()),
                ("/trigger", huge("tr").into()),
            ],
        ),
    );
    let out = env.hook(
        "session-start",
        payload_with(
            &env,
            "000-SessionStart-startup.json",
            &[
                ("/source", huge("so").into()),
                ("/transcript_path", huge("/tp").into()),
            ],
        ),
    );
    let context = additional_context(&out).unwrap();
    assert!(context.len() < 10_000, "{} bytes", context.len());
    env.hook(
        "session-end",
        payload_with(
            &env,
            "030-SessionEnd.json",
            &[("/reason", huge("r").into())],
        ),
    );
    assert!(wait_for(Duration::from_secs(60), || token_events(
        &env, &id
    )
    .len()
        == 1));
    assert!(settle(&env, Duration::from_secs(60)));

    // What was recorded is capped and marked.
    let journal = env.journal(&id);
    for line in journal.lines() {
        assert!(
            line.len() < 16 * 1024,
            "a journal line of {} bytes",
            line.len()
        );
    }
    let artifacts = events_of(&journal, "artifact");
    assert_eq!(artifacts.len(), 5);
    for event in &artifacts {
        assert_capped(&event["path"], 4096);
    }
    let started = &events_of(&journal, "task_started")[0];
    assert_capped(&started["description"], 2048);
    assert_capped(&started["subagent_type"], 256);
    assert_capped(&started["tool_use_id"], 256);
    let done = &events_of(&journal, "task_finished")[0];
    assert_eq!(done["tool_use_id"], started["tool_use_id"], "still paired");
    assert_capped(&done["status"], 256);
    assert_capped(&done["agent_id"], 256);
    let bound = events_of(&journal, "claude_bound");
    let bound = bound.last().unwrap();
    assert_capped(&bound["source"], 256);
    assert!(bound["transcript_path"].is_null(), "no path is 1 MB long");
    assert_capped(&events_of(&journal, "claude_ended")[0]["reason"], 256);

    env.show(&id); // folds the journal
    let yaml = std::fs::metadata(env.workspace(&id).join("session.yaml")).unwrap();
    assert!(
        yaml.len() < 64 * 1024,
        "session.yaml is {} bytes",
        yaml.len()
    );
    let notes = env.workspace(&id).join("notes");
    let compact: Vec<_> = files_starting(&notes, "compact-");
    assert_eq!(compact.len(), 1);
    let note = read(&compact[0]);
    assert!(
        note.len() < 64 * 1024,
        "the compact note is {} bytes",
        note.len()
    );
    assert!(note.contains("- Compaction instructions: cx"), "{note}");

    // One log line per hook that cut something (a long prompt is normal: cut, not logged).
    let log = env.hooks_log();
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 10, "{log}");
    for line in &lines {
        assert!(line.len() < 2048, "a log line of {} bytes", line.len());
        assert!(line.contains(" note: "), "{line}");
        assert!(!line.contains("error"), "{line}");
    }
    assert!(
        lines[0].contains("cut tool_input.file_path from 1000"),
        "{}",
        lines[0]
    );
    assert!(lines[0].contains("to 4096 bytes"), "{}", lines[0]);
    for field in [
        "tool_input.description",
        "tool_input.subagent_type",
        "tool_use_id",
    ] {
        assert!(
            lines[5].contains(&format!("cut {field} from")),
            "{}",
            lines[5]
        );
    }
    assert!(
        lines[6].contains("cut tool_response.agentId from"),
        "{}",
        lines[6]
    );
    assert!(
        lines[7].contains("cut custom_instructions from"),
        "{}",
        lines[7]
    );
    assert!(lines[8].contains("cut source from"), "{}", lines[8]);
    assert!(lines[8].contains("ignored transcript_path"), "{}", lines[8]);
    assert!(lines[9].contains("cut reason from"), "{}", lines[9]);
}
