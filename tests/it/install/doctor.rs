//! `claude-session doctor`: a healthy installation, and each kind of breakage it must name.

use super::*;
use crate::support::*;

fn healthy_world() -> TestEnv {
    let env = world();
    let dir = path_dir(&env);
    env.set_env("PATH", &format!("{}:/usr/bin:/bin", dir.display()));
    env.ok(&["install"]);
    env
}

/// Whether this build's `hook post-edit` handles a PostToolUse payload (the hook subcommand is
/// built separately): the doctor's timed round must agree with it.
fn hook_round_works(env: &TestEnv) -> bool {
    let file = env.project.join("notes.md");
    std::fs::write(&file, "goodbye\n").unwrap();
    let payload = serde_json::json!({
        "session_id": "11111111-2222-4333-8444-555555555555",
        "transcript_path": env.root.join("t.jsonl"),
        "cwd": env.project,
        "hook_event_name": "PostToolUse",
        "tool_name": "Edit",
        "tool_input": {"file_path": file, "old_string": "hello", "new_string": "goodbye"},
        "tool_response": {"filePath": file},
        "tool_use_id": "toolu_test"
    });
    env.cmd(&["hook", "post-edit"])
        .env("CLAUDE_SESSION_HOME", env.root.join("probe-state"))
        .capture_stdin(payload.to_string())
        .code
        == 0
}

fn lines_with<'a>(text: &'a str, mark: &str) -> Vec<&'a str> {
    text.lines()
        .filter(|l| l.trim_start().starts_with(mark))
        .collect()
}

fn doctor(env: &TestEnv) -> (Out, String) {
    let output = env.run(&["doctor"]);
    let text = output.stdout.clone();
    (output, text)
}

#[test]
fn a_healthy_installation_passes_every_check() {
    let env = healthy_world();
    let (output, text) = doctor(&env);
    let settings = env.settings().display().to_string();
    for expected in [
        format!(
            "✓ binary: {} (version {})",
            bin(),
            env!("CARGO_PKG_VERSION")
        ),
        format!("✓ hooks run {}: exists, executable", bin()),
        format!(
            "✓ hooks: all {} registered once ({settings})",
            wanted_hooks().len()
        ),
        format!(
            "✓ commands current: start.md, pause.md, resume.md, end.md in {}",
            env.commands_dir().display()
        ),
        "✓ `claude-session` on PATH is this binary".to_string(),
        format!(
            "✓ state folder writable: {}",
            env.state.join("claude-session").display()
        ),
        format!(
            "✓ claude: 2.1.197 (Claude Code) ({})",
            env.root.join("path-bin/claude").display()
        ),
    ] {
        assert!(text.contains(&expected), "missing `{expected}` in\n{text}");
    }
    if hook_round_works(&env) {
        assert!(
            text.contains("✓ hook post-edit round: ") || text.contains("! hook post-edit round: "),
            "{text}"
        );
        assert!(lines_with(&text, "✗").is_empty(), "{text}");
        output.ok();
        // "All good." unless the round was slow, which the verdict then counts as a warning.
        assert_verdict_agrees(&text);
        assert!(
            text.ends_with("All good.\n") || text.ends_with("No problems, 1 warning.\n"),
            "{text}"
        );
    } else {
        // Without a working hook subcommand the round is the one failure, reported with its reason.
        let failures = lines_with(&text, "✗");
        assert_eq!(failures.len(), 1, "{text}");
        assert!(
            failures[0].contains("hook post-edit round failed (exit status: 1): "),
            "{text}"
        );
        assert_eq!(output.code, 1);
        assert!(text.ends_with("1 problem found.\n"), "{text}");
        assert!(output.stderr.contains("doctor found 1 problem(s)"));
    }
}

#[test]
fn a_missing_installation_is_named_check_by_check() {
    let env = world();
    let (output, text) = doctor(&env);
    assert_eq!(output.code, 1);
    assert!(
        text.contains("✗ hooks: none registered in the settings files"),
        "{text}"
    );
    assert!(
        text.contains("✗ commands missing: start.md, pause.md, resume.md, end.md"),
        "{text}"
    );
    assert!(
        text.contains("✗ `claude-session` is not on PATH, and the slash commands run it by name"),
        "{text}"
    );
    assert!(
        text.contains("! claude: not on PATH (version not checked)"),
        "{text}"
    );
    assert!(
        !env.claude_dir().exists(),
        "doctor wrote into Claude Code's folder"
    );
}

#[test]
fn hooks_pointing_at_a_binary_that_is_gone_are_reported() {
    let env = healthy_world();
    env.write_settings(&fixture("ours-old-path.json"));
    let (output, text) = doctor(&env);
    assert_eq!(output.code, 1);
    for program in [
        "/opt/old-place/bin/claude-session",
        "/home/dev/.cargo/bin/claude-session",
    ] {
        assert!(
            text.contains(&format!(
                "✗ hooks run {program}, which does not exist; run `claude-session install`"
            )),
            "{text}"
        );
    }
    // Doctor only reads.
    assert_eq!(env.read_settings().unwrap(), fixture("ours-old-path.json"));
}

#[test]
fn a_hook_registered_twice_with_different_commands_and_a_missing_one_are_reported() {
    let env = healthy_world();
    let mut value = parse(&env.read_settings().unwrap());
    value["hooks"].as_object_mut().unwrap().remove("Stop");
    std::fs::write(
        env.settings(),
        serde_json::to_string_pretty(&value).unwrap(),
    )
    .unwrap();
    // The project's settings register post-edit again, by bare name.
    let project_settings = env.project.join(".claude/settings.json");
    std::fs::create_dir_all(project_settings.parent().unwrap()).unwrap();
    std::fs::write(
        &project_settings,
        r#"{"hooks": {"PostToolUse": [{"matcher": "Write|Edit|MultiEdit|NotebookEdit",
            "hooks": [{"type": "command", "command": "claude-session hook post-edit"}]}]}}"#,
    )
    .unwrap();
    let (output, text) = doctor(&env);
    assert_eq!(output.code, 1);
    assert!(
        text.contains("✗ hook stop (Stop): not registered; run `claude-session install`"),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "✗ hooks: post-edit (PostToolUse) registered in 2 settings files ({}, {}), with \
             different commands, so each runs twice; keep one scope: \
             `claude-session uninstall --scope project`",
            env.settings().display(),
            project_settings.display()
        )),
        "{text}"
    );
}

#[test]
fn identical_duplicates_and_a_changed_matcher_are_told_apart() {
    let env = healthy_world();
    env.write_settings(&fixture("ours-duplicated.json"));
    let (_, text) = doctor(&env);
    assert!(
        text.contains("! hook post-edit (PostToolUse): registered 2 times with the same command"),
        "{text}"
    );
    env.write_settings(&fixture("ours-stale-and-partial.json"));
    let (output, text) = doctor(&env);
    assert_eq!(output.code, 1);
    assert!(
        text.contains("✗ hook post-edit (PostToolUse): matcher is \"Write|Edit|MultiEdit\" instead of \"Write|Edit|MultiEdit|NotebookEdit\""),
        "{text}"
    );
    assert!(
        text.contains("✗ hook retired-hook (SessionStart): not one of ours any more"),
        "{text}"
    );
}

#[test]
fn a_changed_command_file_is_a_warning_and_a_missing_one_a_failure() {
    let env = healthy_world();
    std::fs::write(env.commands_dir().join("pause.md"), "my own pause\n").unwrap();
    std::fs::remove_file(env.commands_dir().join("end.md")).unwrap();
    let (output, text) = doctor(&env);
    assert_eq!(output.code, 1);
    assert!(
        text.contains(&format!(
            "! command {}: yours",
            env.commands_dir().join("pause.md").display()
        )),
        "{text}"
    );
    assert!(text.contains("✗ commands missing: end.md"), "{text}");
    assert!(
        text.contains("✓ commands current: start.md, resume.md in"),
        "{text}"
    );
}

#[test]
fn disabled_hooks_and_an_unreadable_settings_file_fail() {
    let env = healthy_world();
    let mut value = parse(&env.read_settings().unwrap());
    value["disableAllHooks"] = serde_json::Value::Bool(true);
    std::fs::write(env.settings(), value.to_string()).unwrap();
    let (output, text) = doctor(&env);
    assert_eq!(output.code, 1);
    assert!(
        text.contains("\"disableAllHooks\": true, so no hook runs"),
        "{text}"
    );

    env.write_settings(&fixture("invalid-trailing-comma.json"));
    let (output, text) = doctor(&env);
    assert_eq!(output.code, 1);
    assert!(
        text.contains(
            "✗ settings: settings.json is not valid JSON: trailing comma at line 4 column 1"
        ),
        "{text}"
    );
    assert_eq!(
        env.read_settings().unwrap(),
        fixture("invalid-trailing-comma.json")
    );
}

#[test]
fn an_unwritable_state_folder_fails() {
    let env = healthy_world();
    // A folder where the probe file must go: the atomic write cannot put a file there.
    std::fs::create_dir_all(env.state.join("claude-session/.doctor-probe/x")).unwrap();
    let (output, text) = doctor(&env);
    assert_eq!(output.code, 1);
    assert!(text.contains("✗ state folder not writable: "), "{text}");
}

#[test]
fn install_notes_when_path_would_not_find_the_binary() {
    let env = world();
    let output = env.run(&["install"]);
    assert!(
        output
            .stdout
            .contains("note: `claude-session` is not on PATH"),
        "{}",
        output.stdout
    );
    let env = world();
    let dir = path_dir(&env);
    env.set_env("PATH", &format!("{}:/usr/bin:/bin", dir.display()));
    let output = env.run(&["install"]);
    assert!(
        !output.stdout.contains("is not on PATH"),
        "{}",
        output.stdout
    );
    // Another claude-session earlier on PATH is named.
    let other = env.root.join("other-bin");
    std::fs::create_dir_all(&other).unwrap();
    write_executable(&other.join("claude-session"), "#!/bin/sh\nexit 0\n");
    env.set_env("PATH", &format!("{}:{}", other.display(), dir.display()));
    let output = env.run(&["install"]);
    assert!(
        output.stdout.contains(&format!(
            "note: `claude-session` on PATH is {}, not this binary",
            other.join("claude-session").display()
        )),
        "{}",
        output.stdout
    );
}

#[test]
fn the_doctor_hook_round_leaves_no_trace_in_the_state_folder() {
    let env = healthy_world();
    let before = entries_under(&env.state);
    let _ = doctor(&env);
    assert_eq!(entries_under(&env.state), before);
}

#[test]
fn an_enabled_plugin_provides_hooks_and_commands_and_clashes_with_installed_hooks() {
    let env = world();
    let dir = path_dir(&env);
    env.set_env("PATH", &format!("{}:/usr/bin:/bin", dir.display()));
    env.write_settings(
        br#"{"enabledPlugins": {"session-keeper@local-tools": true, "other@x": true}}"#,
    );
    let (_, text) = doctor(&env);
    let settings = env.settings().display().to_string();
    assert!(
        text.contains(&format!(
            "✓ hooks: provided by the enabled plugin (session-keeper@local-tools in {settings})"
        )),
        "{text}"
    );
    assert!(
        text.contains("✓ commands: provided by the enabled plugin"),
        "{text}"
    );
    assert!(!text.contains("✗ hooks"), "{text}");
    assert!(!text.contains("✗ commands"), "{text}");

    let output = env.run(&["install"]).ok();
    assert!(
        output.stdout.contains(
            "note: this settings file also enables the plugin session-keeper@local-tools"
        ),
        "{}",
        output.stdout
    );
    let (output, text) = doctor(&env);
    assert_eq!(output.code, 1);
    assert!(
        text.contains("✗ hooks: registered in settings and by the enabled plugin"),
        "{text}"
    );
}
