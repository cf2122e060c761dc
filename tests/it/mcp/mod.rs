//! `claude-session mcp`, the MCP server, driven alone over stdin/stdout as Claude Code drives it
//! (one JSON-RPC message per line), and `install --mcp` / `uninstall` on `~/.claude.json`.

mod protocol;
mod register;
mod tools;

use crate::support::*;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdin, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

/// The Claude Code conversation the server runs in (`CLAUDE_CODE_SESSION_ID`).
pub const CONVERSATION: &str = "0e6d910b-6c3d-4448-a98c-e7f71b19a566";

/// How long a reply may take (a backup or an end writes ZIPs).
const REPLY_TIMEOUT: Duration = Duration::from_secs(60);

/// A running server: messages in, lines out (read by a thread, so a missing reply fails the
/// test instead of hanging it).
pub struct Server {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
    next_id: u64,
}

impl Server {
    /// `claude-session mcp` in the project, as Claude Code starts it (the conversation's id and
    /// the project in its environment).
    pub fn start(env: &TestEnv) -> Server {
        Server::start_with(
            env,
            &[("CLAUDE_PROJECT_DIR", env.project.to_str().unwrap())],
        )
    }

    pub fn start_with(env: &TestEnv, vars: &[(&str, &str)]) -> Server {
        let mut cmd = env.command(BIN);
        cmd.arg("mcp")
            .env("CLAUDE_CODE_SESSION_ID", CONVERSATION)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (key, value) in vars {
            cmd.env(key, value);
        }
        let mut child = cmd.spawn().expect("start the server");
        let stdout = child.stdout.take().unwrap();
        let (send, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        let stdin = child.stdin.take();
        Server {
            child,
            stdin,
            lines,
            next_id: 1,
        }
    }

    /// Writes raw bytes (a line, garbage, a notification).
    pub fn send_raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        stdin.write_all(bytes).expect("write");
        stdin.flush().expect("flush");
    }

    pub fn send(&mut self, message: &Value) {
        let mut line = serde_json::to_vec(message).unwrap();
        line.push(b'\n');
        self.send_raw(&line);
    }

    /// The next line the server wrote, parsed: every line must be one JSON-RPC message.
    #[track_caller]
    pub fn receive(&mut self) -> Value {
        let line = self
            .lines
            .recv_timeout(REPLY_TIMEOUT)
            .expect("a reply from the server");
        let message: Value = serde_json::from_str(&line)
            .unwrap_or_else(|e| panic!("stdout holds only JSON-RPC lines, not {line:?}: {e}"));
        assert_eq!(message["jsonrpc"], "2.0", "{message}");
        message
    }

    /// A request and its reply (checked to carry the request's id).
    #[track_caller]
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        let mut message = json!({"jsonrpc": "2.0", "id": id, "method": method});
        if !params.is_null() {
            message["params"] = params;
        }
        self.send(&message);
        let reply = self.receive();
        assert_eq!(reply["id"], id, "{reply}");
        reply
    }

    /// The handshake Claude Code does first.
    #[track_caller]
    pub fn initialize(&mut self) -> Value {
        let reply = self.request(
            "initialize",
            json!({
                "protocolVersion": "2025-11-25",
                "capabilities": {"roots": {}, "elicitation": {}},
                "clientInfo": {"name": "claude-code", "version": "2.1.197"},
            }),
        );
        self.send(&json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));
        reply
    }

    /// `tools/call`'s result (a JSON-RPC success required).
    #[track_caller]
    pub fn call(&mut self, tool: &str, arguments: Value) -> Value {
        let reply = self.request("tools/call", json!({"name": tool, "arguments": arguments}));
        assert!(reply.get("error").is_none(), "{tool}: {reply}");
        reply["result"].clone()
    }

    /// A tool's `structuredContent`, the call required to succeed.
    #[track_caller]
    pub fn ok(&mut self, tool: &str, arguments: Value) -> Value {
        let result = self.call(tool, arguments);
        assert_ne!(result["isError"], true, "{tool}: {result}");
        let text = result["content"][0]["text"].as_str().unwrap_or_default();
        assert!(!text.is_empty(), "{tool}: a text content: {result}");
        result["structuredContent"].clone()
    }

    /// A JSON-RPC error's `(code, message)`.
    #[track_caller]
    pub fn error(&mut self, method: &str, params: Value) -> (i64, String) {
        let reply = self.request(method, params);
        let error = &reply["error"];
        assert!(error.is_object(), "an error: {reply}");
        (
            error["code"].as_i64().unwrap(),
            error["message"].as_str().unwrap().to_string(),
        )
    }

    /// Closes stdin (how Claude Code stops a server): it must exit 0, having written nothing
    /// more; its stderr.
    #[track_caller]
    pub fn close(mut self) -> String {
        drop(self.stdin.take());
        let out = finish_child(&mut self.child);
        assert_eq!(
            out.0,
            Some(0),
            "the server exits 0 when stdin ends: {}",
            out.1
        );
        assert!(
            self.lines.recv_timeout(Duration::from_millis(200)).is_err(),
            "nothing after the last reply"
        );
        out.1
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn finish_child(child: &mut Child) -> (Option<i32>, String) {
    let status = child.wait().expect("wait");
    let mut stderr = String::new();
    if let Some(mut pipe) = child.stderr.take() {
        let _ = std::io::Read::read_to_string(&mut pipe, &mut stderr);
    }
    (status.code(), stderr)
}
