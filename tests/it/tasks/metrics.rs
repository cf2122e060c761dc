//! The metrics' arithmetic with a pinned clock: minutes rounded up, blocked and failed tasks,
//! files edited while a task was in progress, deleted tasks.

use super::*;
use crate::support::*;
use serde_json::json;

const CONVERSATION: &str = "5a1e0000-0000-4000-8000-000000000001";

fn post(env: &TestEnv, tool: &str, input: Value, response: Value) {
    let payload = json!({
        "session_id": CONVERSATION,
        "cwd": env.project.to_string_lossy(),
        "hook_event_name": "PostToolUse",
        "tool_name": tool,
        "tool_input": input,
        "tool_response": response,
    });
    env.hook("post-todo", payload.to_string()).ok();
}

fn create(env: &TestEnv, id: &str, subject: &str, metadata: Value) {
    post(
        env,
        "TaskCreate",
        json!({"subject": subject, "description": "", "metadata": metadata}),
        json!({"task": {"id": id, "subject": subject}}),
    );
}

fn update(env: &TestEnv, input: Value) {
    post(env, "TaskUpdate", input, json!({"success": true}));
}

#[test]
fn minutes_counts_and_files_add_up() {
    let env = world();
    let id = start_for(&env, &[json!({"session_id": CONVERSATION})]);
    env.at(&clock_at(0, 0));
    create(
        &env,
        "1",
        "Parser",
        json!({"estimatedMinutes": 10, "files": ["docs/a.md"]}),
    );
    create(&env, "2", "Lexer", json!({"estimated_minutes": 5}));
    create(&env, "3", "Docs", json!({"estimatedMinutes": "7"}));
    create(&env, "4", "Spike", json!({}));
    create(&env, "5", "Dropped", json!({"estimatedMinutes": 100}));
    update(&env, json!({"taskId": "5", "status": "deleted"}));
    env.at(&clock_at(1, 0));
    update(&env, json!({"taskId": "1", "status": "in_progress"}));
    env.at(&clock_at(3, 0));
    env.write("src/x.rs", "fn x() {}\n");
    env.ok(&["track", "src/x.rs", "--session", &id]);
    // 4 min 30 s in progress: 5 minutes, rounded up.
    env.at(&clock_at(5, 30));
    update(
        &env,
        json!({"taskId": "1", "status": "completed", "metadata": {"output": "parser done"}}),
    );
    env.at(&clock_at(6, 0));
    update(&env, json!({"taskId": "2", "status": "in_progress"}));
    update(&env, json!({"taskId": "3", "addBlockedBy": ["2"]}));
    env.at(&clock_at(7, 0));
    update(&env, json!({"taskId": "4", "status": "in_progress"}));
    // A few seconds count as one minute once started.
    env.at(&clock_at(7, 10));
    update(
        &env,
        json!({"taskId": "4", "metadata": {"status": "failed"}}),
    );
    env.at(&clock_at(10, 0));
    let json = tasks_json(&env, &id);
    let row = |n: usize| {
        let t = &json["tasks"][n];
        (
            t["id"].as_str().unwrap().to_string(),
            t["status"].as_str().unwrap().to_string(),
            t["actualMinutes"].clone(),
            t["estimatedMinutes"].clone(),
        )
    };
    let want = |id: &str, status: &str, actual: Value, estimated: Value| {
        (id.to_string(), status.to_string(), actual, estimated)
    };
    assert_eq!(
        json["tasks"].as_array().unwrap().len(),
        4,
        "the deleted one is gone"
    );
    assert_eq!(row(0), want("1", "completed", 5.into(), 10.into()));
    // In progress since 10:06, now 10:10.
    assert_eq!(row(1), want("2", "in_progress", 4.into(), 5.into()));
    assert_eq!(row(2), want("3", "blocked", Value::Null, 7.into()));
    assert_eq!(row(3), want("4", "failed", 1.into(), Value::Null));
    assert_eq!(json["tasks"][0]["files"], json!(["docs/a.md", "src/x.rs"]));
    assert_eq!(json["tasks"][0]["output"], "parser done");
    assert_eq!(json["tasks"][1]["files"], json!([]));
    assert_eq!(json["tasks"][2]["blockers"], json!(["2"]));
    assert_eq!(
        json["metrics"],
        json!({"totalTasks": 4, "completed": 1, "failed": 1, "blocked": 1,
               "timeSpent": 10, "timeEstimated": 22})
    );
    let text = env.ok(&["tasks", &id]).replace(&id, "[ID]");
    insta::assert_snapshot!("tasks_metrics_text", text);
    // Once the blocker is done, the task is pending again.
    env.at(&clock_at(12, 0));
    update(&env, json!({"taskId": "2", "status": "completed"}));
    let json = tasks_json(&env, &id);
    assert_eq!(json["tasks"][2]["status"], "pending");
    assert_eq!(json["metrics"]["timeSpent"], 5 + 6 + 1);
}
