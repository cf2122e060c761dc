//! What Claude Code 2.1.198 and later send (payloads captured from 2.1.332): background agents
//! and their `<task-notification>` prompts, forked conversations, `claude --resume` of a
//! conversation paused with /pause, the line the user sees at start-up, and command names in
//! plugin mode.

use super::*;
use crate::support::*;
use serde_json::Value;

const CAPTURED: &str = "hook-inputs-2.1.332";
/// The forked conversation of the captured run (the parent is `FIXTURE_CLAUDE_ID`).
const FORK: &str = "0d0eb27b-706d-4bad-b482-eff1d8c5bd9e";
const OTHER: &str = "cccccccc-0000-4000-8000-0000000000cc";

fn captured(env: &TestEnv, name: &str) -> String {
    env.fixture(&format!("{CAPTURED}/{name}"))
}

fn session_yaml(env: &TestEnv, id: &str) -> Value {
    serde_yaml_ng::from_str(
        &std::fs::read_to_string(env.workspace(id).join("session.yaml")).unwrap(),
    )
    .unwrap()
}

fn hook_plugin(env: &TestEnv, name: &str, payload: &str) -> Out {
    env.cmd(&["hook", name, "--plugin"])
        .capture_stdin(payload.as_bytes())
}

/// A transcript whose first user line has `uuid` (what ties a fork to its parent).
fn transcript_starting_with(env: &TestEnv, claude: &str, uuid: &str) {
    let line = serde_json::json!({"type": "user", "uuid": uuid, "sessionId": claude,
        "message": {"role": "user", "content": "hello"}});
    std::fs::write(
        env.transcripts().join(format!("{claude}.jsonl")),
        format!("{{\"type\":\"mode\",\"sessionId\":\"{claude}\"}}\n{line}\n"),
    )
    .unwrap();
}

#[test]
fn a_background_agent_is_launched_then_completed_by_subagent_stop_and_its_notification_is_no_prompt()
 {
    let env = world();
    let id = start(&env, "helpers", Some(FIXTURE_CLAUDE_ID));
    env.hook("prompt", captured(&env, "002-UserPromptSubmit.json"));
    env.hook("pre-task", captured(&env, "004-PreToolUse-Agent.json"));
    // The tool returns at once: the task runs on in the background.
    env.hook("post-task", captured(&env, "008-PostToolUse-Agent.json"));
    env.hook("stop", captured(&env, "012-Stop.json"));
    let doc = session_yaml(&env, &id);
    let task = &doc["agents"][0];
    assert_eq!(task["status"], "running");
    assert_eq!(task["background"], true);
    assert_eq!(task["agent_id"], "acf1cb3f96f5c99c6");
    assert!(task["ended_at"].is_null());

    env.hook("subagent-stop", captured(&env, "016-SubagentStop.json"));
    // Its result comes back as a prompt nobody typed.
    let notification = captured(&env, "018-UserPromptSubmit.json");
    assert!(notification.contains("<task-notification>"));
    let out = env.hook("prompt", &notification);
    assert!(out.stdout.is_empty());
    env.hook("stop", captured(&env, "020-Stop.json"));

    let doc = session_yaml(&env, &id);
    let task = &doc["agents"][0];
    assert_eq!(task["status"], "completed");
    assert_eq!(task["description"], "Write a helper");
    assert_eq!(task["result"], "helper written");
    assert!(task["duration_ms"].as_u64().is_some(), "{task:?}");
    assert!(!task["ended_at"].is_null());
    assert_eq!(doc["agents"].as_array().unwrap().len(), 1);
    assert_eq!(doc["prompts"]["count"], 1, "only what the user typed");
    assert_eq!(doc["prompts"]["recent"], serde_json::json!(["do the work"]));
    assert_eq!(env.hooks_log(), "", "nothing failed or was ignored");
}

#[test]
fn a_prompt_whose_source_is_not_the_user_is_not_recorded() {
    let env = world();
    let id = start(&env, "sources", Some(FIXTURE_CLAUDE_ID));
    let typed = captured(&env, "002-UserPromptSubmit.json");
    let mut by_system: Value = serde_json::from_str(&typed).unwrap();
    by_system["source"] = "system".into();
    by_system["prompt"] = "made by Claude Code".into();
    let mut by_user = by_system.clone();
    by_user["source"] = "user".into();
    by_user["prompt"] = "typed, source given".into();
    env.hook("prompt", by_system.to_string());
    env.hook("prompt", by_user.to_string());
    env.hook("prompt", &typed);
    env.hook("stop", captured(&env, "012-Stop.json"));
    let doc = session_yaml(&env, &id);
    assert_eq!(
        doc["prompts"]["recent"],
        serde_json::json!(["typed, source given", "do the work"])
    );
}

#[test]
fn a_fork_with_one_active_session_joins_it_as_a_second_conversation() {
    let env = world();
    let id = start(&env, "forks", Some(FIXTURE_CLAUDE_ID));
    let out = env.hook(
        "session-start",
        captured(&env, "024-SessionStart-fork.json"),
    );
    let context = additional_context(&out).unwrap();
    assert!(
        context.contains(&format!("this conversation records into session {id}")),
        "{context}"
    );
    assert!(user_line(&out).is_none(), "nothing waits on the user");
    let binding = env.project_dir().join("bindings").join(FORK);
    assert_eq!(std::fs::read_to_string(binding).unwrap().trim(), id);
    env.hook("prompt", captured(&env, "026-UserPromptSubmit.json"));
    env.hook("stop", captured(&env, "028-Stop.json"));
    let shown = env.show(&id);
    let conversations: Vec<&str> = shown["claude_sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert!(conversations.contains(&FORK), "{conversations:?}");
    assert!(
        conversations.contains(&FIXTURE_CLAUDE_ID),
        "{conversations:?}"
    );
    assert_eq!(
        session_yaml(&env, &id)["prompts"]["recent"],
        serde_json::json!(["again"])
    );
}

#[test]
fn a_fork_among_several_active_sessions_finds_its_parents_session_at_its_first_stop() {
    let env = world();
    let parent = start(&env, "parent work", Some(FIXTURE_CLAUDE_ID));
    let other = start(&env, "other work", Some(OTHER));
    transcript_starting_with(&env, FIXTURE_CLAUDE_ID, "uuid-first-message");
    transcript_starting_with(&env, OTHER, "uuid-another-message");

    let out = env.hook(
        "session-start",
        captured(&env, "024-SessionStart-fork.json"),
    );
    let context = additional_context(&out).unwrap();
    assert!(context.contains("this conversation is a fork"), "{context}");
    assert!(!env.project_dir().join("bindings").join(FORK).exists());
    assert!(env.project_dir().join("forks").join(FORK).exists());

    // The first prompt waits in the inbox; the fork's transcript now exists.
    env.hook("prompt", captured(&env, "026-UserPromptSubmit.json"));
    transcript_starting_with(&env, FORK, "uuid-first-message");
    env.hook("stop", captured(&env, "028-Stop.json"));

    let binding = env.project_dir().join("bindings").join(FORK);
    assert_eq!(std::fs::read_to_string(binding).unwrap().trim(), parent);
    assert!(!env.project_dir().join("forks").join(FORK).exists());
    assert_eq!(
        session_yaml(&env, &parent)["prompts"]["recent"],
        serde_json::json!(["again"]),
        "the inbox went to the parent's session"
    );
    assert_eq!(session_yaml(&env, &other)["prompts"]["count"], 0);
    assert_eq!(env.hooks_log(), "");
}

#[test]
fn a_fork_whose_first_message_matches_two_sessions_stays_unbound_and_stops_looking() {
    let env = world();
    start(&env, "one", Some(FIXTURE_CLAUDE_ID));
    start(&env, "two", Some(OTHER));
    transcript_starting_with(&env, FIXTURE_CLAUDE_ID, "uuid-same");
    transcript_starting_with(&env, OTHER, "uuid-same");
    env.hook(
        "session-start",
        captured(&env, "024-SessionStart-fork.json"),
    );
    transcript_starting_with(&env, FORK, "uuid-same");
    env.hook("stop", captured(&env, "028-Stop.json"));
    assert!(!env.project_dir().join("bindings").join(FORK).exists());
    assert!(!env.project_dir().join("forks").join(FORK).exists());
}

fn pause_bound(env: &TestEnv, id: &str) {
    env.ok(&[
        "pause",
        "--session",
        id,
        "--claude-session",
        FIXTURE_CLAUDE_ID,
        "--note",
        "lunch",
    ]);
    assert_eq!(env.show(id)["session"]["status"], "paused");
}

#[test]
fn claude_resume_of_a_conversation_paused_with_pause_resumes_its_session_and_says_so() {
    let env = world();
    let id = start(&env, "returning", Some(FIXTURE_CLAUDE_ID));
    pause_bound(&env, &id);
    let out = env.hook("session-start", env.fixture("032-SessionStart-resume.json"));
    let line = user_line(&out).expect("a line for the user");
    assert!(
        line.starts_with(&format!(
            "claude-session: resumed session {id} (paused with /pause, "
        )),
        "{line}"
    );
    let context = additional_context(&out).unwrap();
    assert!(context.contains("was paused with /pause"), "{context}");
    assert!(context.contains("Pause note: lunch"), "{context}");
    assert_eq!(env.show(&id)["session"]["status"], "active");
    assert!(
        env.pause_state()["projects"]
            .as_object()
            .unwrap()
            .is_empty(),
        "the pause record is cleared"
    );
}

#[test]
fn claude_resume_on_another_branch_leaves_the_session_paused_and_offers_resume() {
    let env = world();
    let id = start(&env, "returning", Some(FIXTURE_CLAUDE_ID));
    pause_bound(&env, &id);
    env.git(&["checkout", "-q", "-b", "elsewhere"]);
    let out = env.hook("session-start", env.fixture("032-SessionStart-resume.json"));
    let line = user_line(&out).unwrap();
    assert_eq!(
        line,
        format!(
            "claude-session: session {id} is paused (on `main`; the branch changed) — /resume to continue"
        )
    );
    let context = additional_context(&out).unwrap();
    assert!(context.contains("Offer the user `/resume`"), "{context}");
    assert_eq!(env.show(&id)["session"]["status"], "paused");
    assert!(
        !env.pause_state()["projects"]
            .as_object()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn a_new_conversation_tells_the_user_a_session_is_paused_in_the_form_that_works_there() {
    let env = world();
    let id = start(&env, "waiting", Some(FIXTURE_CLAUDE_ID));
    pause_bound(&env, &id);
    let fresh = env.fixture_as("000-SessionStart-startup.json", OTHER, None);

    let installed = env.hook("session-start", &fresh);
    assert_eq!(
        user_line(&installed).unwrap(),
        format!("claude-session: session {id} is paused — /resume to continue")
    );
    assert!(
        additional_context(&installed)
            .unwrap()
            .contains("Offer the user `/resume`")
    );

    let plugin = hook_plugin(&env, "session-start", &fresh);
    assert_eq!(
        user_line(&plugin).unwrap(),
        format!("claude-session: session {id} is paused — /session-keeper:resume to continue")
    );
    let context = additional_context(&plugin).unwrap();
    assert!(
        context.contains("Offer the user `/session-keeper:resume`"),
        "{context}"
    );
    assert!(context.contains("`/session-keeper:start`"), "{context}");
    assert!(!context.contains("`/resume`"), "{context}");

    // Claude Code sets CLAUDE_PLUGIN_ROOT for a plugin's hooks: the same without the flag.
    let from_plugin = env
        .cmd(&["hook", "session-start"])
        .env("CLAUDE_PLUGIN_ROOT", env.root.join("plugin"))
        .capture_stdin(fresh.as_bytes());
    assert!(
        user_line(&from_plugin)
            .unwrap()
            .contains("/session-keeper:resume")
    );
}

#[test]
fn the_cli_names_the_plugins_commands_when_told_it_runs_from_the_plugin() {
    let env = world();
    let id = start(&env, "names", None);
    let installed = env.ok(&["pause", "--session", &id]);
    assert!(installed.contains("Resume with /resume"), "{installed}");
    let plugin = env.ok(&["--plugin", "pause", "--session", &id]);
    assert!(
        plugin.contains("Resume with /session-keeper:resume (or `claude-session resume`); /session-keeper:start resumes it too."),
        "{plugin}"
    );
}

#[test]
fn resume_names_claude_codes_own_picker_once_per_conversation_and_only_where_it_hides_it() {
    let env = world();
    let id = start(&env, "picker", Some(FIXTURE_CLAUDE_ID));
    let hint = "Claude Code's own list of past conversations? It is /continue";
    let resume_in = |claude: &str, plugin: bool| {
        pause_bound(&env, &id);
        let flag = format!("--claude-session={claude}");
        let mut args = vec!["resume", flag.as_str()];
        if plugin {
            args.insert(0, "--plugin");
        }
        env.ok(&args)
    };
    // In plugin mode our command is /session-keeper:resume: Claude Code's /resume is untouched.
    assert!(!resume_in(FIXTURE_CLAUDE_ID, true).contains(hint));
    let first = resume_in(FIXTURE_CLAUDE_ID, false);
    assert!(
        first
            .trim_end()
            .ends_with("/resume here is claude-session's."),
        "{first}"
    );
    assert!(
        !resume_in(FIXTURE_CLAUDE_ID, false).contains(hint),
        "said once"
    );
    assert!(
        resume_in(OTHER, false).contains(hint),
        "another conversation is told too"
    );
    // From a terminal (no conversation) nothing was hidden.
    pause_bound(&env, &id);
    assert!(!env.ok(&["resume"]).contains(hint));
}

#[test]
fn a_forks_mark_left_by_a_join_killed_after_binding_goes_at_the_next_stop() {
    let env = world();
    let id = start(&env, "marks", Some(FIXTURE_CLAUDE_ID));
    // What a join killed between its binding and clearing its mark leaves.
    env.ok(&["resume", &id, &format!("--claude-session={FORK}")]);
    let marks = env.project_dir().join("forks");
    std::fs::create_dir_all(&marks).unwrap();
    std::fs::write(marks.join(FORK), "").unwrap();
    env.hook("stop", captured(&env, "028-Stop.json"));
    assert!(!marks.join(FORK).exists());
    assert_eq!(env.hooks_log(), "");
}

#[test]
fn with_auto_mode_off_every_start_tells_the_skill_to_stay_its_hand() {
    let env = world();
    let fresh = env.fixture_as("000-SessionStart-startup.json", OTHER, None);
    // A project claude-session never saw: nothing to say while auto mode is on.
    assert!(env.hook("session-start", &fresh).stdout.is_empty());
    let off = |env: &TestEnv| {
        env.cmd(&["hook", "session-start"])
            .env("CLAUDE_SESSION_AUTO_ENABLED", "false")
            .capture_stdin(fresh.as_bytes())
    };
    let context = additional_context(&off(&env)).unwrap();
    assert!(
        context.starts_with("claude-session auto mode is off"),
        "{context}"
    );
    let id = start(&env, "manual only", None);
    let context = additional_context(&off(&env)).unwrap();
    assert!(context.contains(&id), "{context}");
    assert!(
        context.ends_with("the user runs /start and the other commands."),
        "{context}"
    );
}
