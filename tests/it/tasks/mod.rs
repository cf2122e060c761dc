//! Claude Code's task list: the captured payloads of 2.1.197 and 2.1.332 fed through the real
//! binary's hooks as hooks.json registers them, TodoWrite, the task folder winning at
//! reconciliation, the metrics with a pinned clock, `tasks` and `pause`.

mod capture;
mod metrics;
mod reconcile;

use crate::support::*;
use serde_json::Value;

/// This area's world: a git repository with one commit.
pub fn world() -> TestEnv {
    TestEnv::builder()
        .repo("webapp")
        .files(&[("README.md", "hello\n")])
        .message("init")
        .build()
}

/// `2025-10-25T<hh>:<mm>:<ss>Z`, `minutes` after 10:00.
pub fn clock_at(minutes: u64, seconds: u64) -> String {
    format!(
        "2025-10-25T{:02}:{:02}:{seconds:02}Z",
        10 + minutes / 60,
        minutes % 60
    )
}

/// The payloads of a capture under `tests/fixtures/tasks`, their `cwd` this world's project.
pub fn capture(env: &TestEnv, name: &str) -> Vec<Value> {
    let text = read(&fixtures_dir().join("tasks").join(name))
        .replace("/home/dev/project", &env.project.to_string_lossy());
    serde_json::from_str(&text).unwrap()
}

/// The hooks hooks.json registers for a payload: (hook name) for each group whose event is the
/// payload's and whose matcher (a `|` list of tool names, or empty) takes its tool.
pub fn hooks_for(payload: &Value) -> Vec<String> {
    let config: Value = serde_json::from_str(&repo_file("hooks/hooks.json")).unwrap();
    let event = payload["hook_event_name"].as_str().unwrap_or("");
    let tool = payload["tool_name"].as_str().unwrap_or("");
    let mut names = Vec::new();
    for group in config["hooks"][event].as_array().into_iter().flatten() {
        let matcher = group["matcher"].as_str().unwrap_or("");
        if !matcher.is_empty() && !matcher.split('|').any(|m| m == tool) {
            continue;
        }
        for hook in group["hooks"].as_array().unwrap() {
            let command = hook["command"].as_str().unwrap();
            names.push(command.rsplit(' ').next().unwrap().to_string());
        }
    }
    names
}

/// The task hooks.
pub const TASK_HOOKS: &[&str] = &["post-todo", "task-created", "task-completed"];

/// Feeds each payload to the task hooks hooks.json registers for it, the clock one minute
/// further for each payload from `10:00`; every hook exits 0 and prints nothing.
pub fn replay(env: &TestEnv, payloads: &[Value]) {
    for (i, payload) in payloads.iter().enumerate() {
        env.at(&clock_at(i as u64, 0));
        for name in hooks_for(payload) {
            if !TASK_HOOKS.contains(&name.as_str()) {
                continue;
            }
            let out = env.hook(&name, payload.to_string());
            assert_eq!(out.code, 0, "{name}: {}", out.stderr);
            assert_eq!(out.stdout, "", "{name} prints nothing");
        }
    }
}

/// Starts a session bound to the capture's conversation, at 09:59.
pub fn start_for(env: &TestEnv, payloads: &[Value]) -> String {
    let conversation = payloads[0]["session_id"].as_str().unwrap();
    env.at("2025-10-25T09:59:00Z");
    started_id(&env.ok(&["start", "--claude-session", conversation, "--", "task work"]))
}

/// The journal's task-list events.
pub fn task_events(env: &TestEnv, id: &str) -> Vec<Value> {
    env.journal(id)
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .filter(|e| {
            matches!(
                e["event"].as_str(),
                Some("todo_created" | "todo_updated" | "todos_written" | "task_event")
            )
        })
        .collect()
}

/// `tasks --json` with the workspace path redacted.
pub fn tasks_json(env: &TestEnv, id: &str) -> Value {
    env.json(&["tasks", id, "--json"])
}
