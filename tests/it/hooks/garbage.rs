//! The contract under bad input: exit 0, nothing on stdout, one line in hooks.log naming the
//! hook and the trouble, and the session left as it was.

use super::*;
use crate::support::*;

fn garbage(env: &TestEnv) -> Vec<(&'static str, Vec<u8>)> {
    let fixture = env.fixture("006-PostToolUse-Write.json");
    // A fixed pseudo-random byte soup (xorshift), not valid UTF-8.
    let mut state: u32 = 0x9e37_79b9;
    let binary: Vec<u8> = (0..4096)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state >> 24) as u8
        })
        .collect();
    let mut big = b"{\"session_id\": \"".to_vec();
    big.extend(std::iter::repeat_n(b'x', 10 * 1024 * 1024));
    vec![
        ("empty", Vec::new()),
        ("blank", b"  \n\t".to_vec()),
        ("malformed", b"{\"session_id\": 12,, }".to_vec()),
        (
            "truncated",
            fixture.as_bytes()[..fixture.len() / 2].to_vec(),
        ),
        ("binary", binary),
        ("10 MB unterminated", big),
        ("not an object", b"[1, 2, 3]".to_vec()),
        ("an array, not a payload", br#"["7e7467ed"]"#.to_vec()),
        ("no session_id", b"{}".to_vec()),
        ("deeply nested", vec![b'['; 100_000]),
    ]
}

#[test]
fn garbage_of_every_kind_exits_0_prints_nothing_and_is_logged() {
    let env = world();
    let id = start(&env, "garbage", Some(FIXTURE_CLAUDE_ID));
    let journal_before = env.journal(&id);
    let mut expected_lines = 0;
    for name in claude_session::hook::NAMES {
        for (what, input) in garbage(&env) {
            let out = env.hook(name, &input);
            assert!(out.stdout.is_empty(), "{name} / {what} printed");
            expected_lines += 1;
            let log = env.hooks_log();
            assert_eq!(
                log.lines().count(),
                expected_lines,
                "{name} / {what}: {log}"
            );
            let last = log.lines().last().unwrap();
            assert!(last.contains(&format!(" {name} ")), "{last}");
            assert!(last.contains("error:"), "{last}");
            assert!(last.ends_with(" ms)"), "{last}");
        }
    }
    assert_eq!(
        env.journal(&id),
        journal_before,
        "no event came from garbage"
    );
    assert!(env.corrupt_files().is_empty());
}

#[test]
fn unknown_events_tools_and_hook_names_are_ignored_with_a_log_line() {
    let env = world();
    let id = start(&env, "unknown", Some(FIXTURE_CLAUDE_ID));
    let journal_before = env.journal(&id);
    let cases: Vec<(&str, String)> = vec![
        // Events Claude Code has that we do not register, sent to each hook anyway.
        ("post-edit", env.fixture("022-SubagentStart.json")),
        ("pre-task", env.fixture("024-SubagentStop.json")),
        ("post-task", env.fixture("040-PostCompact.json")),
        ("session-start", env.fixture("028-Stop.json")),
        ("session-end", env.fixture("000-SessionStart-startup.json")),
        ("pre-compact", env.fixture("002-UserPromptSubmit.json")),
        ("prompt", env.fixture("034-PreCompact.json")),
        ("stop", env.fixture("036-SubagentStop.json")),
        // Tools the matchers would not send.
        ("post-edit", env.fixture("018-PostToolUse-Bash.json")),
        ("pre-task", env.fixture("004-PreToolUse-Write.json")),
        ("post-task", env.fixture("014-PostToolUse-Write.json")),
        (
            "post-edit",
            env.fixture("006-PostToolUse-Write.json")
                .replace("\"Write\"", "\"FancyNewTool\""),
        ),
        // Hook names we do not have.
        ("subagent-end", env.fixture("024-SubagentStop.json")),
        ("", env.fixture("024-SubagentStop.json")),
    ];
    for (n, (name, input)) in cases.iter().enumerate() {
        let out = env.hook(name, input.as_bytes());
        assert!(out.stdout.is_empty(), "{name} printed");
        let log = env.hooks_log();
        assert_eq!(log.lines().count(), n + 1, "{name}: {log}");
        assert!(log.lines().last().unwrap().contains("ignored:"), "{log}");
    }
    assert_eq!(env.journal(&id), journal_before);
}

#[test]
fn a_10_mb_write_is_recorded_without_trouble() {
    let env = world();
    let id = start(&env, "big write", Some(FIXTURE_CLAUDE_ID));
    let content = "y".repeat(10 * 1024 * 1024);
    let payload = env
        .fixture("006-PostToolUse-Write.json")
        .replace("\"hello world\\n\"", &format!("\"{content}\""))
        .replace("notes.md", "big.bin");
    assert!(payload.len() > 20 * 1024 * 1024);
    let out = env.hook("post-edit", payload.as_bytes());
    assert!(out.stdout.is_empty());
    assert_eq!(env.hooks_log(), "");
    let events = events_of(&env.journal(&id), "artifact");
    assert_eq!(events.len(), 1);
    assert_eq!(events[0]["path"], "big.bin");
    assert_eq!(events[0]["action"], "created");
}

#[test]
fn odd_but_readable_payloads_still_record() {
    let env = world();
    let id = start(&env, "odd", Some(FIXTURE_CLAUDE_ID));
    // tool_response of an unexpected shape, extra fields everywhere, no event name.
    let payload = format!(
        r#"{{"session_id":"{FIXTURE_CLAUDE_ID}","cwd":"{}","tool_name":"Edit",
            "tool_input":{{"file_path":"{}/src/lib.rs","new":{{"deep":[1,2,{{}}]}}}},
            "tool_response":"edited","brand_new_field":[null]}}"#,
        env.project.display(),
        env.project.display()
    );
    env.hook("post-edit", payload.as_bytes());
    assert_eq!(env.hooks_log(), "");
    let events = events_of(&env.journal(&id), "artifact");
    assert_eq!(events[0]["path"], "src/lib.rs");
    assert_eq!(events[0]["action"], "modified");
}

#[test]
fn an_unusable_state_root_still_exits_0() {
    let env = world();
    let out = env
        .cmd(&["hook", "post-edit"])
        .env("CLAUDE_SESSION_HOME", "relative/path")
        .capture()
        .ok();
    assert!(out.stdout.is_empty());
    assert!(out.stderr.contains("absolute"), "{}", out.stderr);
}
