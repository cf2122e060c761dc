//! `pause` reconciles with Claude Code's task folder (which wins), writes tasks.json, and puts
//! the open tasks into the pause record's next steps and the context file.

use super::*;
use crate::support::*;
use serde_json::json;

/// Builds `<claude dir>/tasks/<conversation>/` from a `*-task-files.json` capture, with changes.
fn task_folder(env: &TestEnv, name: &str, change: impl Fn(&mut serde_json::Map<String, Value>)) {
    let files: serde_json::Map<String, Value> =
        serde_json::from_str(&read(&fixtures_dir().join("tasks").join(name))).unwrap();
    for (path, text) in &files {
        let mut task: serde_json::Map<String, Value> =
            serde_json::from_str(text.as_str().unwrap()).unwrap();
        change(&mut task);
        let target = env.claude_dir().join(path);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(&target, serde_json::to_string_pretty(&task).unwrap()).unwrap();
    }
}

fn tasks_file(env: &TestEnv, id: &str) -> Value {
    serde_json::from_str(&read(&env.workspace(id).join("tasks.json"))).unwrap()
}

#[test]
fn pause_writes_tasks_json_with_the_folder_winning_and_the_open_tasks_as_next_steps() {
    let env = world();
    let payloads = capture(&env, "tasks-2.1.332-tasks_optin-hooks.json");
    let id = start_for(&env, &payloads);
    replay(&env, &payloads);
    let conversation = payloads[0]["session_id"].as_str().unwrap();
    // The folder as Claude Code left it, then: task 2 owned by "reviewer" with an estimate, a
    // task 3 the hooks never saw, and a file that does not parse.
    task_folder(&env, "tasks-2.1.332-tasks_optin-task-files.json", |task| {
        if task["id"] == "2" {
            task.insert("owner".into(), json!("reviewer"));
            task["metadata"]["estimatedMinutes"] = json!(15);
        }
    });
    let folder = env.claude_dir().join("tasks").join(conversation);
    std::fs::write(
        folder.join("3.json"),
        json!({"id": "3", "subject": "Write docs", "status": "in_progress", "blockedBy": []})
            .to_string(),
    )
    .unwrap();
    std::fs::write(folder.join("4.json"), "{ not json").unwrap();

    env.at(&clock_at(40, 0));
    let out = env.run(&["pause", &id, "--note", "lunch"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    // Said in the pause's own report (the tasks layer never prints).
    assert!(
        out.stdout
            .contains("⚠️ tasks: skipped an unreadable task file"),
        "{}",
        out.stdout
    );
    let list = tasks_file(&env, &id);
    let tasks = list["tasks"].as_array().unwrap();
    assert_eq!(tasks.len(), 3);
    // The journal never saw task 2's blocker (2.1.332's TaskGet said none); the folder did.
    assert_eq!(tasks[1]["blockers"], json!(["1"]));
    assert_eq!(
        tasks[1]["agent"], "reviewer",
        "the folder wins for the owner"
    );
    assert_eq!(tasks[1]["estimatedMinutes"], 15);
    assert_eq!(tasks[1]["status"], "pending", "its blocker is completed");
    assert_eq!(
        tasks[2]["title"], "Write docs",
        "a task only in the folder is added"
    );
    assert_eq!(tasks[2]["status"], "in_progress");
    let mut shown = list.clone();
    for task in shown["tasks"].as_array_mut().unwrap() {
        // The folder-only task started when its file was written (real time).
        if task["id"] == "3" {
            task["startedAt"] = json!("[FILE TIME]");
            task["actualMinutes"] = json!("[MINUTES]");
        }
    }
    shown["metrics"]["timeSpent"] = json!("[MINUTES]");
    shown["sessionId"] = json!("[ID]");
    insta::assert_snapshot!(
        "tasks_json_after_pause",
        serde_json::to_string_pretty(&shown).unwrap()
    );

    let record = env.pause_record().unwrap();
    assert_eq!(
        record["next_steps"],
        json!([
            "#2 Fix bug (pending, reviewer)",
            "#3 Write docs (in progress)"
        ])
    );
    let context = read(std::path::Path::new(
        record["context_file"].as_str().unwrap(),
    ));
    let section = context
        .split("\n## ")
        .find(|s| s.starts_with("Tasks\n"))
        .unwrap_or_else(|| panic!("no Tasks section:\n{context}"));
    assert!(
        section.contains("3 task(s): 1 completed, 2 open (0 blocked), 0 failed"),
        "{section}"
    );
    assert!(
        section.contains("- #2 Fix bug (pending, reviewer)"),
        "{section}"
    );
    assert!(
        !section.contains("Write tests"),
        "completed tasks are not listed"
    );

    // Unchanged: a second reconciliation does not rewrite the file.
    let before = std::fs::metadata(env.workspace(&id).join("tasks.json"))
        .unwrap()
        .modified()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::remove_file(folder.join("3.json")).unwrap();
    std::fs::remove_file(folder.join("4.json")).unwrap();
    env.ok(&["resume", &id]);
    env.at(&clock_at(50, 0));
    env.ok(&["pause", &id, "--note", "again"]);
    let list = tasks_file(&env, &id);
    // Task 3 came from the folder alone: with its file gone, so is it.
    assert_eq!(list["tasks"].as_array().unwrap().len(), 2);
    let after = std::fs::metadata(env.workspace(&id).join("tasks.json"))
        .unwrap()
        .modified()
        .unwrap();
    assert_ne!(before, after);
    env.ok(&["resume", &id]);
    let record_time = |env: &TestEnv| {
        std::fs::metadata(env.workspace(&id).join("tasks.json"))
            .unwrap()
            .modified()
            .unwrap()
    };
    let kept = record_time(&env);
    std::thread::sleep(std::time::Duration::from_millis(20));
    env.ok(&["pause", &id, "--note", "once more"]);
    assert_eq!(
        record_time(&env),
        kept,
        "an unchanged list is not rewritten"
    );
}

#[test]
fn pause_with_no_tasks_writes_an_empty_list_and_no_next_steps() {
    let env = world();
    let id = env.start("quiet");
    env.ok(&["pause", &id, "--note", "bye"]);
    let list = tasks_file(&env, &id);
    assert_eq!(list["tasks"], json!([]));
    assert_eq!(list["metrics"]["totalTasks"], 0);
    let record = env.pause_record().unwrap();
    assert!(record.get("next_steps").is_none(), "{record}");
    let context = read(std::path::Path::new(
        record["context_file"].as_str().unwrap(),
    ));
    assert!(!context.contains("\n## Tasks\n"), "{context}");
}

#[test]
fn the_handoff_lists_the_open_tasks() {
    let env = world();
    let payloads = capture(&env, "tasks-2.1.197-hooks.json");
    start_for(&env, &payloads);
    replay(&env, &payloads);
    let out = env.json(&["handoff", "export", "--json"]);
    let prompt = out["prompt"].as_str().unwrap();
    assert!(prompt.contains("- Open tasks: 1 of 2"), "{prompt}");
    assert!(prompt.contains("  - #2 Fix bug (pending, me)"), "{prompt}");
}

#[test]
fn end_writes_the_folder_winning_list_and_reports_an_unreadable_task_file() {
    let env = world();
    let payloads = capture(&env, "tasks-2.1.332-tasks_optin-hooks.json");
    let id = start_for(&env, &payloads);
    replay(&env, &payloads);
    let conversation = payloads[0]["session_id"].as_str().unwrap();
    task_folder(&env, "tasks-2.1.332-tasks_optin-task-files.json", |task| {
        if task["id"] == "2" {
            task.insert("status".into(), json!("completed"));
        }
    });
    let folder = env.claude_dir().join("tasks").join(conversation);
    std::fs::write(folder.join("9.json"), "{ not json").unwrap();

    let out = env.run(&["end", "--yes", &id]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    // The end went on; the skipped file is said in its report.
    assert!(
        out.stdout
            .contains("tasks: skipped an unreadable task file"),
        "{}",
        out.stdout
    );
    let list = tasks_file(&env, &id);
    let statuses: Vec<&str> = list["tasks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["completed", "completed"], "{list}");
    assert_eq!(list["metrics"]["completed"], 2);
}
