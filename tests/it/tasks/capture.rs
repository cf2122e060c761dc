//! The captured payloads of both versions through the real binary's hooks.

use super::*;

#[test]
fn task_tools_of_2_1_197_are_recorded_and_folded() {
    let env = world();
    let payloads = capture(&env, "tasks-2.1.197-hooks.json");
    let id = start_for(&env, &payloads);
    replay(&env, &payloads);
    let events = task_events(&env, &id);
    let kinds: Vec<String> = events
        .iter()
        .map(|e| {
            format!(
                "{} {}",
                e["event"].as_str().unwrap(),
                e["task_id"].as_str().unwrap_or("-")
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            "task_event 1",
            "todo_created 1",
            "task_event 2",
            "todo_created 2",
            "todo_updated 1",
            "task_event 1",
            "todo_updated 1",
            "todo_updated 2",
        ]
    );
    assert_eq!(
        events[3]["metadata"]["files"],
        serde_json::json!(["src/a.rs"])
    );
    assert_eq!(
        events[3]["claude_session"],
        "0923fd54-5426-46f1-aab2-a4dbd8b95e5f"
    );
    assert_eq!(events[7]["owner"], "me");
    assert_eq!(events[7]["add_blocked_by"], serde_json::json!(["1"]));
    assert_eq!(events[6]["status_from"], "in_progress");
    assert!(!env.hooks_log().contains("error"), "{}", env.hooks_log());

    env.at(&clock_at(30, 0));
    let mut json = tasks_json(&env, &id);
    json["workspace"] = "[WORKSPACE]".into();
    json["tasks_file"] = "[WORKSPACE]/tasks.json".into();
    json["sessionId"] = "[ID]".into();
    insta::assert_snapshot!(
        "tasks_2_1_197_json",
        serde_json::to_string_pretty(&json).unwrap()
    );
    let text = env.ok(&["tasks", &id]).replace(&id, "[ID]");
    insta::assert_snapshot!("tasks_2_1_197_text", text);
}

#[test]
fn task_tools_of_2_1_332_opted_in_give_the_same_list() {
    let list_of = |name: &str| {
        let env = world();
        let payloads = capture(&env, name);
        let id = start_for(&env, &payloads);
        replay(&env, &payloads);
        env.at(&clock_at(30, 0));
        tasks_json(&env, &id)
    };
    let old = list_of("tasks-2.1.197-hooks.json");
    let new = list_of("tasks-2.1.332-tasks_optin-hooks.json");
    let strip = |mut v: Value| {
        for task in v["tasks"].as_array_mut().unwrap() {
            task.as_object_mut().unwrap().remove("claudeSession");
        }
        (v["tasks"].clone(), v["metrics"].clone())
    };
    assert_eq!(strip(old), strip(new));
}

#[test]
fn with_the_tools_disabled_nothing_is_recorded() {
    let env = world();
    let payloads = capture(&env, "tasks-2.1.332-tasks-hooks.json");
    let id = start_for(&env, &payloads);
    let before = env.journal(&id);
    replay(&env, &payloads);
    // Every payload through every task hook, registered or not: each is ignored.
    for payload in &payloads {
        for name in TASK_HOOKS {
            let out = env.hook(name, payload.to_string());
            assert_eq!((out.code, out.stdout.as_str()), (0, ""));
        }
    }
    assert_eq!(env.journal(&id), before);
    let json = tasks_json(&env, &id);
    assert_eq!(json["tasks"], serde_json::json!([]));
    assert_eq!(json["metrics"]["totalTasks"], 0);
    let text = env.ok(&["tasks", &id]);
    assert!(text.contains("none recorded"), "{text}");
    assert!(text.contains("CLAUDE_CODE_ENABLE_TODO_TOOLS=1"), "{text}");
}

#[test]
fn todo_write_of_both_versions_and_a_replaced_list() {
    for name in [
        "tasks-2.1.197-todowrite-hooks.json",
        "tasks-2.1.332-todo_optin-hooks.json",
    ] {
        let env = world();
        let payloads = capture(&env, name);
        let id = start_for(&env, &payloads);
        replay(&env, &payloads);
        // A third write drops the open "Fix bug" and adds "Ship it"; the completed one stays.
        let mut third = payloads
            .iter()
            .rfind(|p| p["hook_event_name"] == "PostToolUse")
            .unwrap()
            .clone();
        third["tool_input"]["todos"] = serde_json::json!([
            {"content": "Ship it", "status": "in_progress", "activeForm": "Shipping"},
        ]);
        env.at(&clock_at(20, 0));
        env.hook("post-todo", third.to_string()).ok();
        env.at(&clock_at(25, 0));
        let json = tasks_json(&env, &id);
        let rows: Vec<(String, String, String, Value)> = json["tasks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| {
                (
                    t["id"].as_str().unwrap().to_string(),
                    t["title"].as_str().unwrap().to_string(),
                    t["status"].as_str().unwrap().to_string(),
                    t["actualMinutes"].clone(),
                )
            })
            .collect();
        let row = |id: &str, title: &str, status: &str, minutes: Value| {
            (
                id.to_string(),
                title.to_string(),
                status.to_string(),
                minutes,
            )
        };
        // Write tests: in progress from 10:02 (the first PostToolUse) to 10:05; Ship it: 10:20-10:25.
        assert_eq!(
            rows,
            [
                row("todo-1", "Write tests", "completed", 3.into()),
                row("todo-3", "Ship it", "in_progress", 5.into()),
            ],
            "{name}"
        );
        assert_eq!(json["tasks"][0]["source"], "TodoWrite");
        assert_eq!(json["tasks"][0]["agent"], "main");
        let events = task_events(&env, &id);
        assert_eq!(events.len(), 3, "{name}");
        assert_eq!(events[0]["total"], 2);
        assert_eq!(events[0]["todos"][1]["content"], "Fix bug");
    }
}

#[test]
fn odd_payloads_are_tolerated_and_capped() {
    let env = world();
    let conversation = "0923fd54-5426-46f1-aab2-a4dbd8b95e5f";
    let id = start_for(&env, &[serde_json::json!({"session_id": conversation})]);
    let base = serde_json::json!({
        "session_id": conversation,
        "cwd": env.project.to_string_lossy(),
        "hook_event_name": "PostToolUse",
    });
    let with = |extra: Value| {
        let mut payload = base.clone();
        for (k, v) in extra.as_object().unwrap() {
            payload[k] = v.clone();
        }
        payload.to_string()
    };
    let long = "x".repeat(10_000);
    // Wrong types read as absent; a numeric id is an id; a long subject is cut.
    env.hook(
        "post-todo",
        with(serde_json::json!({
            "tool_name": "TaskCreate",
            "tool_input": {"subject": long, "description": 5, "metadata": {"estimatedMinutes": "12", "files": "one.rs"}},
            "tool_response": {"task": {"id": 7}},
            "agent_type": "Explore",
            "agent_id": "a1",
            "unknown": {"deep": [1, 2, 3]},
        })),
    )
    .ok();
    env.hook(
        "post-todo",
        with(serde_json::json!({
            "tool_name": "TaskUpdate",
            "tool_input": {"taskId": "7", "status": ["in_progress"], "addBlockedBy": "nope", "metadata": []},
            "tool_response": {"success": true},
        })),
    )
    .ok();
    // A failed call, another tool, another event, garbage: nothing recorded, exit 0.
    for payload in [
        with(
            serde_json::json!({"tool_name": "TaskUpdate", "tool_input": {"taskId": "7", "status": "completed"}, "tool_response": {"success": false}}),
        ),
        with(serde_json::json!({"tool_name": "Write", "tool_input": {"file_path": "a"}})),
        with(serde_json::json!({"hook_event_name": "PostToolBatch", "tool_name": "TaskCreate"})),
        "not json".to_string(),
        String::new(),
    ] {
        for name in TASK_HOOKS {
            let out = env.hook(name, &payload);
            assert_eq!((out.code, out.stdout.as_str()), (0, ""), "{name} {payload}");
        }
    }
    let events = task_events(&env, &id);
    assert_eq!(events.len(), 2, "{events:?}");
    let subject = events[0]["subject"].as_str().unwrap();
    assert!(
        subject.len() <= 512 && subject.ends_with('…'),
        "{}",
        subject.len()
    );
    assert!(events[0].get("description").is_none());
    assert_eq!(events[0]["task_id"], "7");
    assert_eq!(events[0]["agent_type"], "Explore");
    assert_eq!(events[0]["metadata"]["estimated_minutes"], 12);
    assert_eq!(
        events[0]["metadata"]["files"],
        serde_json::json!(["one.rs"])
    );
    assert!(events[1].get("status").is_none());
    let json = tasks_json(&env, &id);
    assert_eq!(
        json["tasks"][0]["agent"], "Explore",
        "the subagent that made it"
    );
    assert_eq!(json["tasks"][0]["estimatedMinutes"], 12);
    assert!(
        env.hooks_log().contains("cut tool_input.subject"),
        "{}",
        env.hooks_log()
    );
}
