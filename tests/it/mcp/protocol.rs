//! The JSON-RPC side: the handshake, the tool list, and every kind of bad input answered with
//! the right error (or, for a notification, with nothing), the server going on afterwards.

use super::Server;
use crate::support::*;
use serde_json::{Value, json};

/// The seed's "MCP Tools Reference": its six tools and their parameters (`project_path` is
/// every tool's; the seed's `session_id` is optional here, as the conversation's session is the
/// default).
const SEED: &[(&str, &[&str])] = &[
    (
        "session_start",
        &["project_path", "focus", "agent", "metadata"],
    ),
    (
        "session_checkpoint",
        &[
            "project_path",
            "session_id",
            "description",
            "files_to_snapshot",
        ],
    ),
    (
        "session_track_artifact",
        &["project_path", "session_id", "file_path", "action"],
    ),
    (
        "session_end",
        &[
            "project_path",
            "session_id",
            "rulemap_score",
            "create_backup",
        ],
    ),
    ("session_list_active", &["project_path"]),
    ("create_daily_backup", &["project_path"]),
];

#[test]
fn initialize_answers_the_version_asked_for_or_ours() {
    let env = TestEnv::new();
    let mut server = Server::start(&env);
    let reply = server.initialize();
    let result = &reply["result"];
    assert_eq!(result["protocolVersion"], "2025-11-25");
    assert_eq!(result["capabilities"]["tools"]["listChanged"], false);
    assert_eq!(result["serverInfo"]["name"], "claude-session");
    let instructions = result["instructions"].as_str().unwrap();
    for tool in [
        "session_start",
        "session_checkpoint",
        "session_end",
        "session_pause",
    ] {
        assert!(instructions.contains(tool), "{instructions}");
    }
    // An older client gets its own version; one we do not know gets ours.
    for (asked, answered) in [
        ("2025-06-18", "2025-06-18"),
        ("2024-11-05", "2024-11-05"),
        ("2031-01-01", "2025-11-25"),
    ] {
        let reply = server.request("initialize", json!({"protocolVersion": asked}));
        assert_eq!(reply["result"]["protocolVersion"], answered, "{asked}");
    }
    // A bare initialize (no params) is answered too.
    let reply = server.request("initialize", Value::Null);
    assert_eq!(reply["result"]["protocolVersion"], "2025-11-25");
    assert_eq!(server.request("ping", Value::Null)["result"], json!({}));
    server.close();
}

#[test]
fn the_tool_list_has_the_seeds_tools_with_their_parameters() {
    let env = TestEnv::new();
    let mut server = Server::start(&env);
    server.initialize();
    let reply = server.request("tools/list", json!({}));
    let tools = reply["result"]["tools"].as_array().unwrap().clone();
    for (name, params) in SEED {
        let tool = tools
            .iter()
            .find(|t| t["name"] == *name)
            .unwrap_or_else(|| panic!("{name} is listed"));
        let properties = tool["inputSchema"]["properties"].as_object().unwrap();
        for param in *params {
            assert!(properties.contains_key(*param), "{name} takes {param}");
        }
        assert_eq!(tool["inputSchema"]["type"], "object");
        // Claude Code hands the model structuredContent in place of the text: no outputSchema,
        // so that an oversized document can be left out.
        assert!(tool.get("outputSchema").is_none(), "{name}");
        assert!(tool["description"].as_str().unwrap().len() > 80, "{name}");
    }
    let required = |name: &str| {
        let tool = tools.iter().find(|t| t["name"] == name).unwrap();
        tool["inputSchema"]["required"].clone()
    };
    assert_eq!(required("session_start"), json!(["focus"]));
    assert_eq!(required("session_checkpoint"), json!(["description"]));
    assert_eq!(required("session_track_artifact"), json!(["file_path"]));
    assert_eq!(required("session_end"), json!([]));
    // Destructive tools say so, read-only ones too.
    let hints =
        |name: &str| tools.iter().find(|t| t["name"] == name).unwrap()["annotations"].clone();
    assert_eq!(hints("session_end")["destructiveHint"], true);
    assert_eq!(hints("session_restore_checkpoint")["destructiveHint"], true);
    assert_eq!(hints("session_status")["readOnlyHint"], true);
    assert_eq!(hints("session_list_active")["readOnlyHint"], true);
    assert_eq!(hints("session_start")["destructiveHint"], false);
    for tool in ["session_end", "session_restore_checkpoint"] {
        let description = tools.iter().find(|t| t["name"] == tool).unwrap()["description"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(description.contains("DESTRUCTIVE"), "{tool}: {description}");
    }
    insta::assert_snapshot!(
        "tools_list",
        serde_json::to_string_pretty(&reply["result"]).unwrap()
    );
    server.close();
}

#[test]
fn bad_input_is_answered_with_the_json_rpc_error_that_names_it() {
    let env = TestEnv::new();
    let mut server = Server::start(&env);
    server.initialize();
    let call = |tool: &str, arguments: Value| json!({"name": tool, "arguments": arguments});
    let cases: Vec<(&str, Value, i64, &str)> = vec![
        (
            "tools/call",
            call("session_start", json!({})),
            -32602,
            "missing parameter `focus` (session_start)",
        ),
        (
            "tools/call",
            call("session_start", json!({"focus": 7})),
            -32602,
            "parameter `focus` must be a string (session_start)",
        ),
        (
            "tools/call",
            call("session_start", json!({"focus": "x", "fokus": "y"})),
            -32602,
            "unknown parameter `fokus` (session_start takes focus, agent, metadata, new, objectives, project_path)",
        ),
        (
            "tools/call",
            call("session_end", json!({"rulemap_score": 11})),
            -32602,
            "parameter `rulemap_score` must be a number from 0 to 10 (session_end)",
        ),
        (
            "tools/call",
            call(
                "session_track_artifact",
                json!({"file_path": "a", "action": "deleted"}),
            ),
            -32602,
            "parameter `action` must be one of \"created\", \"modified\" (session_track_artifact)",
        ),
        (
            "tools/call",
            call(
                "session_checkpoint",
                json!({"description": "x", "files_to_snapshot": [1]}),
            ),
            -32602,
            "parameter `files_to_snapshot` must be a list of strings (session_checkpoint)",
        ),
        (
            "tools/call",
            call("session_list_active", json!({"session_id": "x"})),
            -32602,
            "unknown parameter `session_id` (session_list_active takes project_path)",
        ),
        (
            "tools/call",
            json!({"name": "session_status", "arguments": "all"}),
            -32602,
            "`arguments` must be an object (session_status)",
        ),
        (
            "tools/call",
            json!({"arguments": {}}),
            -32602,
            "missing parameter `name` (tools/call)",
        ),
        (
            "resources/list",
            Value::Null,
            -32601,
            "method not found: `resources/list`",
        ),
    ];
    for (method, params, code, message) in cases {
        let (got_code, got_message) = server.error(method, params.clone());
        assert_eq!(
            (got_code, got_message.as_str()),
            (code, message),
            "{method} {params}"
        );
        assert!(!got_message.contains('\n'));
    }
    let (code, message) = server.error("tools/call", call("session_fly", json!({})));
    assert_eq!(code, -32602);
    assert!(
        message.starts_with("unknown tool `session_fly` (the tools are: session_start, "),
        "{message}"
    );
    // Nothing was started by any of it.
    assert!(!env.state.join("claude-session/projects").exists());
    server.close();
}

#[test]
fn garbage_lines_get_errors_and_notifications_get_nothing() {
    let env = TestEnv::new();
    let mut server = Server::start(&env);
    server.initialize();
    let mut errors = Vec::new();
    for line in [
        &b"this is not json\n"[..],
        b"{\"jsonrpc\":\"2.0\",\"id\":1,\n",
        b"[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}]\n",
        b"42\n",
        b"{\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},\"method\":\"ping\"}\n",
        b"{\"jsonrpc\":\"1.0\",\"id\":9,\"method\":\"ping\"}\n",
        b"{\"jsonrpc\":\"2.0\",\"id\":10}\n",
        b"{\"jsonrpc\":\"2.0\",\"id\":11,\"method\":\"tools/list\",\"params\":[1]}\n",
        b"\xff\xfe\x00garbage\n",
    ] {
        server.send_raw(line);
        let reply = server.receive();
        errors.push((
            reply["id"].clone(),
            reply["error"]["code"].as_i64().unwrap(),
        ));
    }
    assert_eq!(
        errors,
        vec![
            (Value::Null, -32700),
            (Value::Null, -32700),
            (Value::Null, -32600),
            (Value::Null, -32600),
            (Value::Null, -32600),
            (json!(9), -32600),
            (json!(10), -32600),
            (json!(11), -32602),
            (Value::Null, -32700),
        ]
    );
    // Notifications, known or not, and a response to a request we never sent: no reply, not
    // even an error; blank lines are skipped. The ping that follows is the next line out.
    for line in [
        &b"{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}\n"[..],
        b"{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":3}}\n",
        b"{\"jsonrpc\":\"2.0\",\"method\":\"notifications/whatever\"}\n",
        b"{\"jsonrpc\":\"2.0\",\"method\":\"tools/call\",\"params\":{\"name\":\"session_start\",\"arguments\":{\"focus\":\"x\"}}}\n",
        b"{\"jsonrpc\":\"2.0\",\"id\":\"s-1\",\"result\":{}}\n",
        b"\n   \n",
    ] {
        server.send_raw(line);
    }
    let reply = server.request("ping", Value::Null);
    assert_eq!(reply["result"], json!({}));
    // A notification never runs a tool: nothing was started.
    assert!(!env.state.join("claude-session/projects").exists());
    // A string id comes back as given.
    server.send(&json!({"jsonrpc": "2.0", "id": "req-7", "method": "ping"}));
    assert_eq!(server.receive()["id"], "req-7");
    server.close();
}

#[test]
fn a_line_without_a_newline_at_the_end_of_input_is_still_answered() {
    let env = TestEnv::new();
    let out = env.run_stdin(
        &["mcp"],
        b"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}\n{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"ping\"}",
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let lines: Vec<Value> = out.stdout.lines().map(parse_json).collect();
    assert_eq!(lines.len(), 2, "{}", out.stdout);
    assert_eq!(lines[1]["id"], 2);
    // Empty input: nothing said, exit 0.
    let out = env.run_stdin(&["mcp"], b"");
    assert_eq!((out.code, out.stdout.as_str()), (0, ""));
}
