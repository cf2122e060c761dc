//! session-end: the hook returns at once; a detached worker counts tokens and pauses the session
//! when nobody else works on it.

use super::*;
use crate::support::*;
use serde_json::Value;
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

pub(super) const A: &str = "aaaaaaaa-0000-4000-8000-00000000000a";
const B: &str = "bbbbbbbb-0000-4000-8000-00000000000b";
pub(super) const LIMIT: Duration = Duration::from_secs(120);

pub(super) fn end_payload(env: &TestEnv, claude: &str, transcript: &Path) -> String {
    let payload: Value =
        serde_json::from_str(&env.fixture_as("030-SessionEnd.json", claude, None)).unwrap();
    let mut payload = payload.as_object().unwrap().clone();
    payload.insert(
        "transcript_path".into(),
        transcript.to_string_lossy().into_owned().into(),
    );
    Value::Object(payload).to_string()
}

pub(super) fn token_events(env: &TestEnv, id: &str) -> Vec<Value> {
    events_of(&env.journal(id), "claude_ended")
        .into_iter()
        .filter(|e| !e["tokens"].is_null())
        .collect()
}

/// Writes a transcript of `responses` API responses, each written as two lines (two content
/// blocks) carrying ~1 KB of text, with a user line between; returns the expected usage.
pub(super) fn write_transcript(out: &mut dyn Write, responses: u64) -> (u64, u64, u64) {
    let filler = "lorem ipsum dolor sit amet ".repeat(40);
    let (mut input, mut output) = (0, 0);
    let mut buffer = std::io::BufWriter::with_capacity(1 << 20, out);
    for n in 0..responses {
        let usage = format!(
            r#"{{"input_tokens":{},"output_tokens":{},"cache_creation_input_tokens":1,"cache_read_input_tokens":2}}"#,
            n % 97,
            n % 13 + 1
        );
        input += n % 97;
        output += n % 13 + 1;
        writeln!(
            buffer,
            r#"{{"type":"user","message":{{"role":"user","content":"prompt {n} {filler}"}}}}"#
        )
        .unwrap();
        for block in 0..2 {
            writeln!(
                buffer,
                r#"{{"type":"assistant","requestId":"req_{n}","message":{{"id":"msg_{n}","content":[{{"type":"text","text":"block {block} {filler}"}}],"usage":{usage}}}}}"#
            )
            .unwrap();
        }
    }
    buffer.flush().unwrap();
    (responses, input, output)
}

#[test]
fn the_hook_returns_while_its_detached_work_on_a_large_transcript_goes_on() {
    let env = world();
    let id = start(&env, "long conversation", Some(A));
    // ~70 MB of transcript.
    let path = env.root.join("transcript.jsonl");
    let mut file = std::fs::File::create(&path).unwrap();
    let (responses, input, output) = write_transcript(&mut file, 30_000);
    drop(file);
    // The test holds the project's lock: the worker (whose first step, the auto-pause, takes
    // it) cannot get far before the test lets go, so the hook must have returned without it.
    env.set_env("CLAUDE_SESSION_LOCKS_WAIT_MS", "120000");
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(env.project_dir().join("sessions.lock"))
        .unwrap();
    lock.lock().unwrap();

    let started = Instant::now();
    let out = env.hook("session-end", end_payload(&env, A, &path).as_bytes());
    let returned_after = started.elapsed();
    assert!(out.stdout.is_empty());
    let ended = events_of(&env.journal(&id), "claude_ended");
    assert_eq!(
        ended.len(),
        1,
        "the fast part is done when the hook returns"
    );
    assert!(ended[0]["tokens"].is_null());
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        token_events(&env, &id).is_empty(),
        "the worker waits for the lock"
    );
    assert!(!workers(&env).is_empty(), "the worker is still there");

    drop(lock);
    assert!(wait_for(LIMIT, || token_events(&env, &id).len() == 1));
    let tokens = &token_events(&env, &id)[0]["tokens"];
    assert_eq!(tokens["responses"], responses);
    assert_eq!(tokens["input_tokens"], input);
    assert_eq!(tokens["output_tokens"], output);
    assert_eq!(tokens["cache_creation_input_tokens"], responses);
    assert_eq!(tokens["cache_read_input_tokens"], 2 * responses);
    assert_eq!(
        env.pause_state()["projects"][&*env.project.to_string_lossy()]["auto"],
        true
    );
    assert_eq!(env.show(&id)["session"]["status"], "paused");
    assert_eq!(env.hooks_log(), "");
    eprintln!("session-end returned after {returned_after:?} (debug build)");
}

#[test]
fn a_large_transcript_file_is_counted_in_the_background() {
    let env = world();
    let id = start(&env, "big file", Some(A));
    let path = env.root.join("big.jsonl");
    let mut file = std::fs::File::create(&path).unwrap();
    let (responses, _, output) = write_transcript(&mut file, 25_000);
    drop(file);
    assert!(std::fs::metadata(&path).unwrap().len() > 50 * 1024 * 1024);
    env.hook("session-end", end_payload(&env, A, &path).as_bytes());
    assert!(wait_for(LIMIT, || token_events(&env, &id).len() == 1));
    let tokens = &token_events(&env, &id)[0]["tokens"];
    assert_eq!(tokens["responses"], responses);
    assert_eq!(tokens["output_tokens"], output);
}

#[test]
fn a_session_another_window_still_works_on_is_not_paused() {
    let env = world();
    let id = start(&env, "shared", Some(A));
    // The second window joins through its session-start hook.
    let start = env.fixture_as("000-SessionStart-startup.json", B, None);
    assert!(additional_context(&env.hook("session-start", start.as_bytes())).is_some());
    let transcript = env.transcripts().join(format!("{FIXTURE_CLAUDE_ID}.jsonl"));

    env.hook("session-end", end_payload(&env, A, &transcript).as_bytes());
    assert!(wait_for(LIMIT, || token_events(&env, &id).len() == 1));
    assert_eq!(env.show(&id)["session"]["status"], "active");
    assert!(env.pause_state().is_null(), "no pause record");

    // The last window quits: now it is paused.
    env.hook("session-end", end_payload(&env, B, &transcript).as_bytes());
    assert!(wait_for(LIMIT, || token_events(&env, &id).len() == 2));
    assert_eq!(env.show(&id)["session"]["status"], "paused");
    assert_eq!(
        env.pause_state()["projects"][&*env.project.to_string_lossy()]["claude_session"],
        B
    );
}

#[test]
fn a_pause_record_of_another_session_is_never_overwritten() {
    let env = world();
    let other = start(&env, "paused by hand", None);
    let id = start(&env, "running", Some(A));
    let key = env.project.to_string_lossy().into_owned();
    let manual = serde_json::json!({
        "version": 1,
        "projects": { key.clone(): {
            "session_id": other, "paused_at": NOW, "branch": "main", "head_commit": null,
            "dirty_files": [], "context_file": null, "note": "lunch", "auto": false
        }}
    });
    std::fs::write(env.pause_state_path(), manual.to_string()).unwrap();
    let transcript = env.transcripts().join(format!("{FIXTURE_CLAUDE_ID}.jsonl"));
    env.hook("session-end", end_payload(&env, A, &transcript).as_bytes());
    assert!(wait_for(LIMIT, || token_events(&env, &id).len() == 1));
    assert_eq!(env.show(&id)["session"]["status"], "paused");
    let state = env.pause_state();
    assert_eq!(state["projects"][&key]["session_id"], other.as_str());
    assert_eq!(state["projects"][&key]["note"], "lunch");
    // The paused session's context file was still written.
    let contexts: Vec<String> = std::fs::read_dir(env.state.join("contexts"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert!(contexts.iter().any(|c| c.contains(&id)));
}

#[test]
fn an_unbound_end_without_sessions_keeps_its_tokens_in_the_inbox() {
    let env = world();
    // The project exists (a session came and went) but nothing is open.
    let gone = start(&env, "gone", None);
    env.ok(&["end", "--yes", &gone, "--no-backup"]);
    let transcript = env.transcripts().join(format!("{FIXTURE_CLAUDE_ID}.jsonl"));
    env.hook("session-end", end_payload(&env, A, &transcript).as_bytes());
    let inbox = env.project_dir().join("inbox").join(format!("{A}.jsonl"));
    assert!(wait_for(LIMIT, || {
        events_of(
            &std::fs::read_to_string(&inbox).unwrap_or_default(),
            "claude_ended",
        )
        .len()
            == 2
    }));
    let ended = events_of(&std::fs::read_to_string(&inbox).unwrap(), "claude_ended");
    assert_eq!(ended[1]["tokens"]["output_tokens"], 120);
    assert!(env.pause_state().is_null());
}

#[test]
fn a_clear_ends_one_conversation_and_the_next_takes_the_session_over() {
    // /clear: SessionEnd (reason clear) of the old id, at once SessionStart (source clear) of a
    // new one, racing the detached worker. Either order leaves the session active and bound.
    let env = world();
    let id = start(&env, "cleared", Some(A));
    let transcript = env.transcripts().join(format!("{FIXTURE_CLAUDE_ID}.jsonl"));
    let end = end_payload(&env, A, &transcript).replace("\"other\"", "\"clear\"");
    env.hook("session-end", end.as_bytes());
    let start = env
        .fixture_as("000-SessionStart-startup.json", B, None)
        .replace("\"startup\"", "\"clear\"");
    let context = additional_context(&env.hook("session-start", start.as_bytes())).unwrap();
    assert!(context.contains(&id), "{context}");
    assert!(wait_for(LIMIT, || token_events(&env, &id).len() == 1));
    let binding = env.project_dir().join("bindings").join(B);
    assert_eq!(std::fs::read_to_string(binding).unwrap().trim(), id);
    let status = env.show(&id)["session"]["status"].clone();
    let record = env.pause_state()["projects"][&*env.project.to_string_lossy()].clone();
    // The worker either saw B bound (no pause) or paused first and B's start resumed it.
    assert!(status == "active" && record.is_null(), "{status} {record}");
}
