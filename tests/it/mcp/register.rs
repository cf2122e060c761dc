//! `install --mcp` writes the entry `claude mcp add -s user claude-session -- <binary> mcp`
//! writes into `~/.claude.json` (its shape taken from Claude Code 2.1.197 and 2.1.332, run
//! offline), keeping every other byte; `uninstall` takes it out again.

use crate::install::{ClaudeFolder, backups_in, bin, world, world_without_config_dir};
use crate::support::*;
use serde_json::{Value, json};
use std::path::PathBuf;

/// A user's `~/.claude.json` as Claude Code writes it (two-space indentation, no newline at the
/// end), with state of its own and another MCP server.
const CLAUDE_JSON: &str = "{\n  \"numStartups\": 12,\n  \"projects\": {\n    \"/home/dev/app\": {\n      \"allowedTools\": [],\n      \"hasTrustDialogAccepted\": true\n    }\n  },\n  \"mcpServers\": {\n    \"github\": {\n      \"type\": \"stdio\",\n      \"command\": \"npx\",\n      \"args\": [\"-y\", \"@modelcontextprotocol/server-github\"],\n      \"env\": {\"GITHUB_TOKEN\": \"x\"}\n    }\n  },\n  \"userID\": \"e3b0c442\"\n}";

/// Where the world's Claude Code keeps `.claude.json`: `$CLAUDE_CONFIG_DIR/.claude.json` when
/// that is set, else `~/.claude.json`.
fn claude_json(env: &TestEnv, config_dir: bool) -> PathBuf {
    if config_dir {
        env.claude_dir().join(".claude.json")
    } else {
        env.home.join(".claude.json")
    }
}

fn write(path: &PathBuf, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn read(path: &PathBuf) -> String {
    std::fs::read_to_string(path).unwrap()
}

/// What `claude mcp add -s user claude-session -- <binary> mcp` puts under `mcpServers`.
fn entry() -> Value {
    json!({"type": "stdio", "command": bin(), "args": ["mcp"], "env": {}})
}

#[test]
fn install_mcp_adds_the_entry_claude_mcp_add_writes_and_uninstall_gives_the_file_back() {
    for config_dir in [true, false] {
        let env = if config_dir {
            world()
        } else {
            world_without_config_dir()
        };
        let path = claude_json(&env, config_dir);
        write(&path, CLAUDE_JSON);
        let report = env.ok(&["install", "--mcp"]);
        assert!(report.contains("added server claude-session"), "{report}");
        let installed = read(&path);
        let value: Value = serde_json::from_str(&installed).unwrap();
        assert_eq!(value["mcpServers"]["claude-session"], entry());
        // Everything else as it was: the original with our member added at the end of
        // `mcpServers`, nothing else.
        let mut expected: Value = serde_json::from_str(CLAUDE_JSON).unwrap();
        expected["mcpServers"]["claude-session"] = entry();
        assert_eq!(value, expected);
        let github_at = installed.find("\"github\"").unwrap();
        assert_eq!(&installed[..github_at], &CLAUDE_JSON[..github_at]);
        assert!(
            installed.ends_with("\n  },\n  \"userID\": \"e3b0c442\"\n}"),
            "{installed}"
        );
        // A backup of the user's file before the change.
        let backups = backups_in(path.parent().unwrap(), ".claude.json");
        assert_eq!(backups.len(), 1, "{backups:?}");
        assert_eq!(read(&backups[0]), CLAUDE_JSON);

        // A second run changes nothing, and writes no second backup.
        let again = env.ok(&["install", "--mcp"]);
        assert!(
            again.contains("server claude-session up to date"),
            "{again}"
        );
        assert_eq!(read(&path), installed);
        assert_eq!(backups_in(path.parent().unwrap(), ".claude.json").len(), 1);
        // A plain install leaves it alone (and does not remove it).
        env.ok(&["install"]);
        assert_eq!(read(&path), installed);

        let removed = env.ok(&["uninstall"]);
        assert!(
            removed.contains("removed server claude-session"),
            "{removed}"
        );
        assert_eq!(read(&path), CLAUDE_JSON, "byte for byte");
    }
}

#[test]
fn the_entry_in_a_file_without_servers_or_without_the_file_goes_entirely() {
    let env = world();
    let path = claude_json(&env, true);
    // No mcpServers yet: install makes it, uninstall takes it away again.
    let original = "{\n  \"numStartups\": 1\n}";
    write(&path, original);
    env.ok(&["install", "--mcp"]);
    let value: Value = serde_json::from_str(&read(&path)).unwrap();
    assert_eq!(value["mcpServers"]["claude-session"], entry());
    env.ok(&["uninstall"]);
    assert_eq!(read(&path), original);

    // No file at all: install makes it, uninstall removes it (nothing else came into it).
    std::fs::remove_file(&path).unwrap();
    env.ok(&["install", "--mcp"]);
    let value: Value = serde_json::from_str(&read(&path)).unwrap();
    assert_eq!(value, json!({"mcpServers": {"claude-session": entry()}}));
    env.ok(&["uninstall"]);
    assert!(!path.exists());
    assert!(!env.state.join("claude-session/installs.json").exists());
}

#[test]
fn invalid_json_is_refused_in_one_line_and_nothing_is_written() {
    let env = world();
    let path = claude_json(&env, true);
    let broken = "{\n  \"numStartups\": 1,\n";
    write(&path, broken);
    let err = env.fails(&["install", "--mcp"]);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("claude-session: .claude.json is not valid JSON")
            && err.contains("left it untouched"),
        "{err}"
    );
    assert_eq!(read(&path), broken);
    assert!(backups_in(path.parent().unwrap(), ".claude.json").is_empty());
    // Planned before any write: no settings.json, no command files either.
    assert!(env.read_settings().is_none());
    assert!(!env.commands_dir().exists());
    // Without --mcp the broken file is none of install's business.
    env.ok(&["install"]);
    assert_eq!(read(&path), broken);
    // Uninstall goes on and says it left the file alone.
    let report = env.ok(&["uninstall"]);
    assert!(report.contains("left alone"), "{report}");
    assert_eq!(read(&path), broken);
}

#[test]
fn another_server_named_claude_session_is_never_replaced_nor_removed() {
    let env = world();
    let path = claude_json(&env, true);
    let theirs = "{\"mcpServers\": {\"claude-session\": {\"type\": \"stdio\", \"command\": \"/opt/other\", \"args\": []}}}";
    write(&path, theirs);
    let err = env.fails(&["install", "--mcp"]);
    assert!(
        err.contains("already has an MCP server named `claude-session` that runs something else"),
        "{err}"
    );
    assert_eq!(read(&path), theirs);
    env.ok(&["uninstall"]);
    assert_eq!(read(&path), theirs);
}

#[test]
fn an_entry_of_ours_with_another_path_is_brought_up_to_date() {
    let env = world();
    let path = claude_json(&env, true);
    let old = "{\"mcpServers\": {\"claude-session\": {\"type\": \"stdio\", \"command\": \"/old/place/claude-session\", \"args\": [\"mcp\"], \"env\": {}}}}";
    write(&path, old);
    // Even a plain install keeps our entry pointing at this binary.
    let report = env.ok(&["install"]);
    assert!(report.contains("updated server claude-session"), "{report}");
    let value: Value = serde_json::from_str(&read(&path)).unwrap();
    assert_eq!(value["mcpServers"]["claude-session"], entry());
}

#[test]
fn a_dry_run_shows_the_diff_and_writes_nothing() {
    let env = world();
    let path = claude_json(&env, true);
    write(&path, CLAUDE_JSON);
    let report = env.ok(&["install", "--mcp", "--dry-run"]);
    assert!(
        report.contains("would add server claude-session"),
        "{report}"
    );
    assert!(report.contains("+    \"claude-session\": {"), "{report}");
    assert_eq!(read(&path), CLAUDE_JSON);
    assert!(env.read_settings().is_none());
    let doc = env.json(&["install", "--mcp", "--dry-run", "--json"]);
    assert_eq!(doc["mcp"]["action"], "add");
    assert_eq!(doc["mcp"]["changed"], true);
}

#[test]
fn mcp_and_statusline_are_the_users_and_refused_for_a_project_scope() {
    let env = world();
    for flag in ["--mcp", "--statusline"] {
        let err = env.fails(&["install", "--scope", "project", flag]);
        assert!(err.contains("register for the user"), "{err}");
    }
    assert!(!env.project.join(".claude").exists());
}

#[test]
fn doctor_reports_the_mcp_server() {
    let env = world();
    let doc = env.run(&["doctor", "--json"]).stdout.parse_json();
    let line = |doc: &Value| {
        doc["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["topic"] == "mcp")
            .cloned()
            .unwrap()
    };
    assert!(
        line(&doc)["message"]
            .as_str()
            .unwrap()
            .contains("install --mcp")
    );
    env.ok(&["install", "--mcp"]);
    let check = line(&env.run(&["doctor", "--json"]).stdout.parse_json());
    assert_eq!(check["status"], "ok", "{check}");
    assert!(
        check["message"]
            .as_str()
            .unwrap()
            .contains("runs this binary")
    );
    // Pointing at a binary that is gone is a problem.
    let path = claude_json(&env, true);
    let text = read(&path).replace(&bin(), "/gone/claude-session");
    write(&path, &text);
    let check = line(&env.run(&["doctor", "--json"]).stdout.parse_json());
    assert_eq!(check["status"], "fail", "{check}");
}

trait ParseJson {
    fn parse_json(&self) -> Value;
}

impl ParseJson for String {
    fn parse_json(&self) -> Value {
        parse_json(self)
    }
}
