//! Every captured Claude Code payload, in firing order, through the hooks `hooks/hooks.json`
//! registers for it (matchers applied as Claude Code does), with the state checked on the way.

use super::*;
use crate::support::*;
use serde_json::Value;
use std::time::Duration;

const WORKER_LIMIT: Duration = Duration::from_secs(60);

/// The hook names hooks.json runs for a payload: matchers are `A|B` lists of exact names
/// matched against the tool (Pre/PostToolUse), `source`, `reason` or `trigger`.
fn registered_hooks(payload: &Value) -> Vec<String> {
    let config: Value = serde_json::from_str(&repo_file("hooks/hooks.json")).unwrap();
    let event = payload["hook_event_name"].as_str().unwrap();
    let subject = match event {
        "PreToolUse" | "PostToolUse" => payload["tool_name"].as_str(),
        "SessionStart" => payload["source"].as_str(),
        "SessionEnd" => payload["reason"].as_str(),
        "PreCompact" => payload["trigger"].as_str(),
        _ => None,
    };
    let mut names = Vec::new();
    for group in config["hooks"][event].as_array().into_iter().flatten() {
        let matcher = group["matcher"].as_str().unwrap_or("");
        let matches = matcher.is_empty()
            || matcher == "*"
            || subject.is_some_and(|s| matcher.split('|').any(|m| m == s));
        if !matches {
            continue;
        }
        for hook in group["hooks"].as_array().unwrap() {
            let command = hook["command"].as_str().unwrap();
            let name = command.rsplit(' ').next().unwrap().to_string();
            names.push(name);
        }
    }
    names
}

/// Sends one fixture through its registered hooks; the outputs of those that ran.
fn fire(env: &TestEnv, fixture: &str) -> Vec<Out> {
    let text = env.fixture(fixture);
    let payload: Value = serde_json::from_str(&text).unwrap();
    registered_hooks(&payload)
        .iter()
        .map(|name| env.hook(name, text.as_bytes()))
        .collect()
}

fn single_context(env: &TestEnv, fixture: &str) -> String {
    let outs = fire(env, fixture);
    assert_eq!(outs.len(), 1, "{fixture} runs one hook");
    additional_context(&outs[0]).expect("session-start prints context")
}

fn index_status(env: &TestEnv, id: &str) -> String {
    let index: Value = serde_json::from_str(
        &std::fs::read_to_string(env.project_dir().join("index.json")).unwrap(),
    )
    .unwrap();
    index["sessions"][id]["status"]
        .as_str()
        .unwrap()
        .to_string()
}

fn token_events(env: &TestEnv, id: &str) -> Vec<Value> {
    events_of(&env.journal(id), "claude_ended")
        .into_iter()
        .filter(|e| !e["tokens"].is_null())
        .collect()
}

#[test]
fn the_captured_session_replays_through_the_registered_hooks() {
    let env = world();
    let id = start(&env, "auth work", None);
    let names = hook_fixture_names();
    assert_eq!(names.len(), 22, "all captured payloads are here");

    // startup: the project's only active session is bound and described.
    let context = single_context(&env, "000-SessionStart-startup.json");
    insta::assert_snapshot!("session_start_startup", redact(&env, &context));
    let binding = env.project_dir().join("bindings").join(FIXTURE_CLAUDE_ID);
    assert_eq!(std::fs::read_to_string(&binding).unwrap().trim(), id);

    for fixture in &names[1..14] {
        // 002 prompt ... 026 PostToolUse-Agent
        let outs = fire(&env, fixture);
        for out in &outs {
            assert!(out.stdout.is_empty(), "{fixture} printed something");
        }
        let unregistered = [
            "004-PreToolUse-Write.json",
            "008-PreToolUse-Edit.json",
            "012-PreToolUse-Write.json",
            "016-PreToolUse-Bash.json",
            "018-PostToolUse-Bash.json",
            "022-SubagentStart.json",
        ];
        assert_eq!(
            outs.is_empty(),
            unregistered.contains(&fixture.as_str()),
            "{fixture}"
        );
    }

    // Stop folds the journal: Write create, Edit, Write update of one file → created once;
    // the Bash-written file is not seen by any edit hook.
    fire(&env, "028-Stop.json");
    let doc: Value = serde_yaml_ng::from_str(
        &std::fs::read_to_string(env.workspace(&id).join("session.yaml")).unwrap(),
    )
    .unwrap();
    assert_eq!(doc["artifacts"]["created"], serde_json::json!(["notes.md"]));
    assert_eq!(doc["artifacts"]["modified"], serde_json::json!([]));
    assert_eq!(doc["prompts"]["count"], 1);
    assert_eq!(doc["prompts"]["recent"], serde_json::json!(["do the work"]));
    let task = &doc["agents"][0];
    assert_eq!(task["tool_use_id"], "toolu_000005_0");
    assert_eq!(task["subagent_type"], "general-purpose");
    assert_eq!(task["description"], "Explore auth");
    assert_eq!(task["status"], "completed");
    assert_eq!(task["duration_ms"], 184);
    assert_eq!(task["total_tokens"], 180);
    assert_eq!(task["agent_id"], "aea2c30fbec3ade1d");
    // SubagentStop came first (a synchronous agent): its last message joined the task.
    assert_eq!(task["result"], "subagent finished");
    assert!(task.get("background").is_none(), "ran in the foreground");
    assert_eq!(doc["agents"].as_array().unwrap().len(), 1);

    // Claude Code quits without /pause: tokens counted, context file and auto pause record.
    fire(&env, "030-SessionEnd.json");
    // The token event is the detached worker's last write.
    assert!(
        wait_for(WORKER_LIMIT, || token_events(&env, &id).len() == 1),
        "the detached worker finishes"
    );
    let record = &env.pause_state()["projects"][&*env.project.to_string_lossy()];
    assert_eq!(record["session_id"], id.as_str());
    assert_eq!(record["auto"], true);
    assert_eq!(record["claude_session"], FIXTURE_CLAUDE_ID);
    assert_eq!(record["branch"], "main");
    let context_file = record["context_file"].as_str().unwrap().to_string();
    let saved = std::fs::read_to_string(&context_file).unwrap();
    assert!(
        saved.contains(&id) && saved.contains("auto-pause"),
        "{saved}"
    );
    assert_eq!(index_status(&env, &id), "paused");
    let tokens = token_events(&env, &id);
    assert_eq!(tokens.len(), 1);
    assert_eq!(
        tokens[0]["tokens"],
        serde_json::json!({"responses": 6, "input_tokens": 600, "output_tokens": 120,
            "cache_creation_input_tokens": 60, "cache_read_input_tokens": 300})
    );

    // Resumed by itself on the next start; the model is told, and the user in one line.
    let outs = fire(&env, "032-SessionStart-resume.json");
    assert_eq!(outs.len(), 1);
    let shown_to_user = user_line(&outs[0]).expect("a line for the user");
    assert!(
        shown_to_user.starts_with(&format!(
            "claude-session: resumed session {id} (paused automatically"
        )),
        "{shown_to_user}"
    );
    let context = additional_context(&outs[0]).unwrap();
    insta::assert_snapshot!("session_start_auto_resume", redact(&env, &context));
    assert!(
        env.pause_state()["projects"]
            .as_object()
            .unwrap()
            .is_empty()
    );
    assert_eq!(index_status(&env, &id), "active");
    let shown = env.show(&id);
    assert_eq!(shown["session"]["status"], "active");
    let claude = &shown["claude_sessions"][0];
    assert_eq!(claude["id"], FIXTURE_CLAUDE_ID);
    assert!(
        claude["ended_at"].is_null(),
        "running again after the resume"
    );
    assert_eq!(claude["tokens"]["output_tokens"], 120);

    // Before compaction: a snapshot in notes/.
    fire(&env, "034-PreCompact.json");
    let notes = files_starting(&env.workspace(&id).join("notes"), "compact-");
    assert_eq!(notes.len(), 1);
    assert_eq!(
        notes[0].file_name().unwrap().to_string_lossy(),
        "compact-20251025T143000Z.md"
    );
    insta::assert_snapshot!(
        "pre_compact_note",
        std::fs::read_to_string(&notes[0]).unwrap()
    );
    fire(&env, "036-SubagentStop.json");

    // After compaction the context comes back.
    let context = single_context(&env, "038-SessionStart-compact.json");
    insta::assert_snapshot!("session_start_compact", redact(&env, &context));
    assert!(fire(&env, "040-PostCompact.json").is_empty());

    // The second exit pauses it again.
    fire(&env, "042-SessionEnd.json");
    assert!(wait_for(WORKER_LIMIT, || token_events(&env, &id).len() == 2));
    assert_eq!(
        env.pause_state()["projects"][&*env.project.to_string_lossy()]["auto"],
        true,
        "paused again"
    );
    assert_eq!(index_status(&env, &id), "paused");
    assert_eq!(env.show(&id)["session"]["status"], "paused");

    assert_eq!(env.hooks_log(), "", "no hook failed");
    assert!(env.corrupt_files().is_empty());
}

#[test]
fn a_second_transcript_fixture_counts_each_response_once() {
    let env = world();
    let id = start(
        &env,
        "two writes",
        Some("26340458-8801-4cdb-bc45-c65fe7f84e9f"),
    );
    let payload = env.fixture_as(
        "030-SessionEnd.json",
        "26340458-8801-4cdb-bc45-c65fe7f84e9f",
        None,
    );
    env.hook("session-end", payload.as_bytes());
    assert!(wait_for(WORKER_LIMIT, || token_events(&env, &id).len() == 1));
    let tokens = &token_events(&env, &id)[0]["tokens"];
    assert_eq!(tokens["responses"], 2);
    assert_eq!(tokens["output_tokens"], 40, "60 if counted per line");
    assert_eq!(tokens["input_tokens"], 200);
}

#[test]
fn transcript_usage_matches_the_hand_counts() {
    use claude_session::transcript::{Limits, last_prompts, usage};
    let dir = fixtures_dir().join("transcripts");
    let main = usage(
        &dir.join(format!("{FIXTURE_CLAUDE_ID}.jsonl")),
        Limits::WORKER,
    )
    .unwrap()
    .value;
    assert_eq!(
        (
            main.responses,
            main.input_tokens,
            main.output_tokens,
            main.cache_creation_input_tokens,
            main.cache_read_input_tokens
        ),
        (6, 600, 120, 60, 300)
    );
    let two = usage(
        &dir.join("26340458-8801-4cdb-bc45-c65fe7f84e9f.jsonl"),
        Limits::WORKER,
    )
    .unwrap()
    .value;
    assert_eq!((two.responses, two.output_tokens), (2, 40));
    let prompts = last_prompts(
        &dir.join(format!("{FIXTURE_CLAUDE_ID}.jsonl")),
        5,
        Limits::HOOK,
    )
    .unwrap()
    .value;
    assert_eq!(prompts, ["do the work"]);
}
