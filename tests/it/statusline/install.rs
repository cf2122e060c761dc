//! `install --statusline` sets ours only where the user has none; `--statusline=wrap` keeps the
//! user's command (in our state) and runs it before ours; `uninstall` puts back exactly what was
//! there.

use super::{CONVERSATION, payload};
use crate::install::{ClaudeFolder, world};
use crate::support::*;
use serde_json::{Value, json};

fn settings_value(env: &TestEnv) -> Value {
    serde_json::from_slice(&env.read_settings().unwrap()).unwrap()
}

fn status_command(env: &TestEnv) -> String {
    settings_value(env)["statusLine"]["command"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn install_sets_ours_where_there_is_none_and_uninstall_takes_it_away() {
    let env = world();
    let original = "{\n  \"model\": \"opus\"\n}\n";
    env.write_settings(original.as_bytes());
    let report = env.ok(&["install", "--statusline"]);
    assert!(
        report.contains("set `claude-session statusline`"),
        "{report}"
    );
    let value = settings_value(&env);
    assert_eq!(value["statusLine"]["type"], "command");
    assert_eq!(
        status_command(&env),
        format!("\"{}\" statusline", crate::install::bin())
    );
    // Idempotent.
    let before = env.read_settings().unwrap();
    let again = env.ok(&["install", "--statusline"]);
    assert!(again.contains("ours, up to date"), "{again}");
    assert_eq!(env.read_settings().unwrap(), before);
    env.ok(&["uninstall"]);
    assert_eq!(
        String::from_utf8(env.read_settings().unwrap()).unwrap(),
        original
    );
}

#[test]
fn install_never_replaces_the_users_status_line() {
    let env = world();
    let original = "{\n  \"statusLine\": {\"type\": \"command\", \"command\": \"~/bin/my-line\", \"padding\": 2}\n}\n";
    env.write_settings(original.as_bytes());
    let report = env.ok(&["install", "--statusline"]);
    assert!(report.contains("kept yours: ~/bin/my-line"), "{report}");
    assert_eq!(status_command(&env), "~/bin/my-line");
    env.ok(&["uninstall"]);
    assert_eq!(
        String::from_utf8(env.read_settings().unwrap()).unwrap(),
        original
    );
}

#[test]
fn wrap_runs_the_users_command_first_and_uninstall_restores_it_byte_for_byte() {
    let env = world();
    // The user's command, in a spelling serde would write differently (an escaped slash).
    let original = "{\r\n\t\"statusLine\": {\r\n\t\t\"type\": \"command\",\r\n\t\t\"command\": \"printf 'mine\\u0020line' \\/ true\",\r\n\t\t\"padding\": 0\r\n\t},\r\n\t\"model\": \"opus\"\r\n}\r\n";
    env.write_settings(original.as_bytes());
    let report = env.ok(&["install", "--statusline=wrap"]);
    assert!(
        report.contains("wrapped yours, with the session appended: printf 'mine line' / true"),
        "{report}"
    );
    assert_eq!(
        status_command(&env),
        format!("\"{}\" statusline --wrap", crate::install::bin())
    );
    // The rest of the statusLine object stays as it was.
    assert_eq!(settings_value(&env)["statusLine"]["padding"], 0);
    let kept: Value = serde_json::from_str(
        &std::fs::read_to_string(env.state.join("claude-session/statusline.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        kept["command"],
        "printf 'mine\\u0020line' \\/ true"
            .replace("\\u0020", " ")
            .replace("\\/", "/")
    );

    // What Claude Code would run: the user's line, then ours.
    let run = |env: &TestEnv| {
        env.run_stdin(&["statusline", "--wrap"], payload(&env.project))
            .ok()
            .stdout
    };
    assert_eq!(
        run(&env),
        "mine line\n",
        "the user's alone where claude-session is unused"
    );
    env.ok(&["start", "auth", "--claude-session", CONVERSATION]);
    assert_eq!(
        run(&env),
        "mine line │ session 001 auth · active · 0 files · no checkpoint yet\n"
    );
    // Installing again changes nothing (the record stays, no second wrap).
    let settings = env.read_settings().unwrap();
    env.ok(&["install", "--statusline=wrap"]);
    env.ok(&["install", "--statusline"]);
    assert_eq!(env.read_settings().unwrap(), settings);

    let report = env.ok(&["uninstall"]);
    assert!(
        report.contains("restored yours: printf 'mine line' / true"),
        "{report}"
    );
    assert_eq!(
        String::from_utf8(env.read_settings().unwrap()).unwrap(),
        original
    );
    assert!(!env.state.join("claude-session/statusline.json").exists());
}

#[test]
fn a_users_command_that_fails_or_hangs_leaves_ours() {
    let env = world();
    env.write_settings(
        json!({"statusLine": {"type": "command", "command": "echo broken >&2; exit 3"}})
            .to_string()
            .as_bytes(),
    );
    env.ok(&["install", "--statusline=wrap"]);
    env.ok(&["start", "x", "--claude-session", CONVERSATION]);
    let out = env.run_stdin(&["statusline", "--wrap"], payload(&env.project));
    assert_eq!(out.code, 0);
    assert_eq!(
        out.stdout,
        "session 001 x · active · 0 files · no checkpoint yet\n"
    );
}

#[test]
fn a_status_line_without_a_command_cannot_be_wrapped_and_is_left() {
    let env = world();
    let original = "{\"statusLine\": {\"type\": \"static\", \"text\": \"hi\"}}";
    env.write_settings(original.as_bytes());
    let report = env.ok(&["install", "--statusline=wrap"]);
    assert!(
        report.contains("your statusLine has no command to wrap"),
        "{report}"
    );
    env.ok(&["uninstall"]);
    assert_eq!(
        String::from_utf8(env.read_settings().unwrap()).unwrap(),
        original
    );
}

#[test]
fn doctor_reports_the_status_line() {
    let env = world();
    env.ok(&["install", "--statusline"]);
    let doc = parse_json(&env.run(&["doctor", "--json"]).stdout);
    let check = doc["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["topic"] == "status_line")
        .cloned()
        .unwrap();
    assert_eq!(check["message"], "status line: shows the session");
}
