//! `claude-session statusline`: the one line Claude Code shows under the prompt, from the payload
//! it writes on stdin (captured from 2.1.197 and 2.1.332), and `install --statusline`.

mod install;

use crate::support::*;
use serde_json::{Value, json};

/// The conversation of the payloads below.
pub const CONVERSATION: &str = "b8128e12-6cfd-40dc-9411-45eef5e9cdec";

/// A status line payload as Claude Code 2.1.332 writes it (trimmed of fields we never read, and
/// with `cwd` and `workspace` pointing at `dir`).
pub fn payload(dir: &std::path::Path) -> String {
    let dir = dir.to_str().unwrap();
    json!({
        "session_id": CONVERSATION,
        "transcript_path": "/home/dev/.claude/projects/x/b8128e12.jsonl",
        "cwd": dir,
        "model": {"id": "claude-opus-5-5", "display_name": "Opus 5.5"},
        "workspace": {"current_dir": dir, "project_dir": dir, "added_dirs": []},
        "version": "2.1.332",
        "cost": {"total_cost_usd": 0.0016, "total_duration_ms": 10565},
        "context_window": {"total_input_tokens": 100, "context_window_size": 1000000},
        "prompt_cache": {"warm": false, "requests": 2},
        "exceeds_200k_tokens": false,
    })
    .to_string()
}

/// The line for `input` (exit 0 required, nothing on stderr).
#[track_caller]
pub fn line(env: &TestEnv, input: impl AsRef<[u8]>) -> String {
    let out = env.run_stdin(&["statusline"], input);
    assert_eq!(out.code, 0, "the status line exits 0: {}", out.stderr);
    assert_eq!(out.stderr, "", "nothing on stderr");
    out.stdout
}

/// The payloads Claude Code wrote, as captured from 2.1.197 and 2.1.332 (their paths point
/// elsewhere: the line then has nothing to say, and says nothing).
fn captured() -> Vec<Value> {
    let mut all = Vec::new();
    for version in ["2.1.197", "2.1.332"] {
        let path = fixtures_dir().join(format!(
            "statusline-captures/statusline-{version}-stdin.json"
        ));
        let text = std::fs::read_to_string(&path).unwrap();
        let list: Vec<Value> = serde_json::from_str(&text).unwrap();
        assert!(!list.is_empty());
        all.extend(list);
    }
    all
}

#[test]
fn nothing_where_claude_session_is_not_used() {
    let env = TestEnv::new();
    assert_eq!(line(&env, payload(&env.project)), "");
    // Garbage, an empty payload, a payload of another shape: still nothing, still exit 0.
    for input in [
        &b""[..],
        b"not json",
        b"[1,2]",
        b"{\"cwd\": 5}",
        b"\xff\xfe",
    ] {
        assert_eq!(line(&env, input), "");
    }
    for payload in captured() {
        assert_eq!(line(&env, payload.to_string()), "");
    }
}

#[test]
fn the_line_for_each_state_of_the_project() {
    let env = TestEnv::new();
    let input = payload(&env.project);
    let mut lines = Vec::new();
    let mut see = |what: &str, env: &TestEnv| {
        lines.push(format!("{what}: {}", line(env, &input)));
    };
    // Used before, no session open now.
    env.ok(&["start", "warm up"]);
    env.ok(&["end", "--yes"]);
    see("no session", &env);
    // This conversation's session, just started.
    env.ok(&["start", "auth feature", "--claude-session", CONVERSATION]);
    see("started", &env);
    // Files recorded by the hooks and counted at the end of the turn (the Stop hook).
    env.write("src/a.rs", "a");
    env.write("src/b.rs", "b");
    env.ok(&["track", "src/a.rs"]);
    env.ok(&["track", "src/b.rs"]);
    let stop = json!({"session_id": CONVERSATION, "cwd": env.project, "hook_event_name": "Stop"});
    env.hook("stop", stop.to_string());
    env.at("2025-10-25T14:42:00Z");
    see("two files, 12 minutes in", &env);
    env.ok(&["checkpoint", "auth works"]);
    env.at("2025-10-25T14:50:00Z");
    see("checkpointed 8 minutes ago", &env);
    // `checkpoints.auto_minutes` (30) without a checkpoint: overdue.
    env.at("2025-10-25T15:25:00Z");
    see("overdue", &env);
    // With reminders on, their interval says when.
    env.ok(&["remind", "every", "90"]);
    see("overdue, reminders every 90 min", &env);
    env.ok(&["remind", "off"]);
    env.ok(&["pause", "--note", "lunch"]);
    see("paused", &env);
    // Another conversation, with this one's session paused: it is waiting there too.
    let other = payload(&env.project).replace(CONVERSATION, "aaaaaaaa-0000-0000-0000-000000000000");
    lines.push(format!("another conversation: {}", line(&env, other)));
    env.ok(&[
        "start",
        "--new",
        "hotfix",
        "--claude-session",
        "aaaaaaaa-0000-0000-0000-000000000000",
    ]);
    let other = payload(&env.project).replace(CONVERSATION, "aaaaaaaa-0000-0000-0000-000000000000");
    lines.push(format!(
        "a new one beside the paused one: {}",
        line(&env, other)
    ));
    insta::assert_snapshot!("lines", lines.join(""));
}

#[test]
fn the_conversation_finds_its_own_session_among_several() {
    let env = TestEnv::new();
    env.ok(&["start", "one", "--claude-session", "conv-1"]);
    env.ok(&["start", "two", "--claude-session", "conv-2"]);
    let for_conv = |conv: &str| line(&env, payload(&env.project).replace(CONVERSATION, conv));
    assert!(
        for_conv("conv-1").starts_with("session 001 one · active"),
        "{}",
        for_conv("conv-1")
    );
    assert!(
        for_conv("conv-2").starts_with("session 002 two · active"),
        "{}",
        for_conv("conv-2")
    );
    assert_eq!(
        for_conv("conv-3"),
        "claude-session: 2 sessions active, none in this conversation\n"
    );
}

#[test]
fn the_directory_comes_from_the_payload_else_the_environment() {
    let env = TestEnv::new();
    env.ok(&["start", "dirs"]);
    // The payload names a subfolder: the project is found above it.
    std::fs::create_dir_all(env.project.join("src/deep")).unwrap();
    assert!(line(&env, payload(&env.project.join("src/deep"))).starts_with("session 001 dirs"));
    // No payload at all: CLAUDE_PROJECT_DIR, else the working directory.
    let elsewhere = env.root.join("elsewhere");
    std::fs::create_dir_all(&elsewhere).unwrap();
    let out = env
        .cmd_in(&elsewhere, &["statusline"])
        .env("CLAUDE_PROJECT_DIR", &env.project)
        .capture_stdin(b"");
    assert!(out.stdout.starts_with("session 001 dirs"), "{}", out.stdout);
    assert!(line(&env, b"").starts_with("session 001 dirs"));
}

#[test]
fn the_line_reads_and_never_writes() {
    let env = TestEnv::new();
    let id = env.start("quiet");
    let index = env.project_dir().join("index.json");
    let before = std::fs::read(&index).unwrap();
    // A corrupt index is not moved aside nor rebuilt by the status line: it says no session.
    std::fs::write(&index, "{not json").unwrap();
    assert_eq!(
        line(&env, payload(&env.project)),
        "claude-session: no session · /start\n"
    );
    assert_eq!(std::fs::read_to_string(&index).unwrap(), "{not json");
    assert!(env.corrupt_files().is_empty());
    std::fs::write(&index, &before).unwrap();
    assert!(line(&env, payload(&env.project)).starts_with("session 001 quiet"));
    // A session whose folder went away is not shown.
    std::fs::rename(env.active_dir(&id), env.root.join("moved")).unwrap();
    assert_eq!(
        line(&env, payload(&env.project)),
        "claude-session: no session · /start\n"
    );
}

#[test]
fn json_gives_the_outcome() {
    let env = TestEnv::new();
    env.ok(&["start", "auth", "--claude-session", CONVERSATION]);
    let out = env.run_stdin(&["statusline", "--json"], payload(&env.project));
    assert_eq!(out.code, 0);
    let doc = parse_json(&out.stdout);
    assert_eq!(doc["command"], "statusline");
    assert_eq!(doc["in_use"], true);
    assert_eq!(doc["session"]["number"], "001");
    assert_eq!(doc["session"]["bound"], true);
    assert_eq!(doc["session"]["status"], "active");
    assert_eq!(doc["session"]["overdue_after"], 30);
}

#[test]
fn the_captured_payloads_of_both_versions_find_their_session() {
    let env = TestEnv::new();
    for mut payload in captured() {
        let conversation = payload["session_id"].as_str().unwrap().to_string();
        let dir = Value::String(env.project.to_string_lossy().into_owned());
        payload["cwd"] = dir.clone();
        payload["workspace"]["current_dir"] = dir.clone();
        payload["workspace"]["project_dir"] = dir;
        let shown = line(&env, payload.to_string());
        if shown.is_empty() {
            // The first payload of each version: no session yet; start one bound to it.
            env.ok(&["start", "captured", "--claude-session", &conversation]);
            continue;
        }
        assert!(shown.starts_with("session 00"), "{shown}");
        assert!(shown.contains(" captured · active · "), "{shown}");
    }
}
