//! claude-session installed twice (user and project scope, or settings and the plugin): doctor
//! counts it as a problem and names the fix, its verdict agrees with its lines, and install warns
//! about it. And doctor's report ends with a newline.

use super::*;
use crate::support::*;

fn doctor(env: &TestEnv) -> (Out, String) {
    let output = env.run(&["doctor"]);
    let text = output.stdout.clone();
    (output, text)
}

fn project_settings(env: &TestEnv) -> std::path::PathBuf {
    env.project.join(".claude/settings.json")
}

const KEEP_ONE: &str = "keep one scope: `claude-session uninstall --scope project` (or \
                        `claude-session uninstall` to keep the project's)";

#[test]
fn both_scopes_with_the_same_commands_are_a_problem_not_all_good() {
    // The issue's case: every hook in both files, running the same absolute path.
    let env = world();
    env.ok(&["install", "--scope", "project"]);
    binary_on_path(&env);
    env.ok(&["install"]);
    let (output, text) = doctor(&env);
    assert_eq!(output.code, 1, "{text}");
    let hooks = format!(
        "✗ hooks: all {} registered in 2 settings files ({}, {}); {KEEP_ONE}",
        wanted_hooks().len(),
        env.settings().display(),
        project_settings(&env).display()
    );
    assert!(text.contains(&hooks), "missing `{hooks}` in\n{text}");
    let commands = format!(
        "✗ commands: start.md, pause.md, resume.md, end.md in both {} and {}, so each slash \
         command is listed twice; {KEEP_ONE}",
        env.commands_dir().display(),
        env.project.join(".claude/commands").display()
    );
    assert!(text.contains(&commands), "missing `{commands}` in\n{text}");
    assert!(!text.contains("registered once"), "{text}");
    assert!(!text.contains("All good"), "{text}");
    assert!(
        !text.contains("registered 2 times"),
        "one line, not one per hook:\n{text}"
    );
    assert_verdict_agrees(&text);
    assert!(output.stderr.contains("doctor found"), "{}", output.stderr);
}

#[test]
fn both_scopes_with_different_commands_say_each_hook_runs_twice() {
    let env = world();
    binary_on_path(&env);
    env.ok(&["install"]);
    // By name in the project (PATH finds this binary), by path for the user.
    env.ok(&["install", "--scope", "project"]);
    let (output, text) = doctor(&env);
    assert_eq!(output.code, 1, "{text}");
    assert!(
        text.contains(&format!(
            "✗ hooks: all {} registered in 2 settings files ({}, {}), with different commands, \
             so each runs twice; {KEEP_ONE}",
            wanted_hooks().len(),
            env.settings().display(),
            project_settings(&env).display()
        )),
        "{text}"
    );
    assert_verdict_agrees(&text);

    // The fix it names works: one scope left, all good again (but for a slow hook round).
    env.ok(&["uninstall", "--scope", "project"]);
    let (_, text) = doctor(&env);
    assert!(!text.contains("✗ hooks"), "{text}");
    assert!(!text.contains("✗ commands"), "{text}");
    assert_verdict_agrees(&text);
}

#[test]
fn hooks_in_the_local_settings_too_name_that_file() {
    let env = world();
    binary_on_path(&env);
    env.ok(&["install"]);
    let local = env.project.join(".claude/settings.local.json");
    std::fs::create_dir_all(local.parent().unwrap()).unwrap();
    std::fs::copy(env.settings(), &local).unwrap();
    let (_, text) = doctor(&env);
    assert!(
        text.contains(&format!(
            "registered in 2 settings files ({}, {}); remove ours from {} by hand",
            env.settings().display(),
            local.display(),
            local.display()
        )),
        "{text}"
    );
    assert_verdict_agrees(&text);
}

#[test]
fn installed_command_files_besides_the_plugin_are_a_problem() {
    let env = world();
    binary_on_path(&env);
    env.ok(&["install"]);
    let mut value = parse(&env.read_settings().unwrap());
    value["enabledPlugins"] = serde_json::json!({"claude-session@local-tools": true});
    std::fs::write(env.settings(), value.to_string()).unwrap();
    let (output, text) = doctor(&env);
    assert_eq!(output.code, 1);
    assert!(
        text.contains(
            "✗ commands: the enabled plugin claude-session@local-tools provides \
             /session-keeper:start ... and start.md, pause.md, resume.md, end.md are installed \
             too, so each slash command exists twice; keep one way (`claude-session uninstall`, \
             or disable the plugin)"
        ),
        "{text}"
    );
    assert_verdict_agrees(&text);
}

#[test]
fn install_warns_when_the_other_scope_is_installed() {
    let env = world();
    env.ok(&["install"]);
    let output = env.run(&["install", "--scope", "project"]).ok();
    let warning = format!(
        "warning: claude-session is also installed in the user scope (hooks in {}; start.md, \
         pause.md, resume.md, end.md in {}): Claude Code loads both, so hooks can run twice and \
         each slash command is listed twice; keep one: `claude-session uninstall` removes that \
         one (`claude-session uninstall --scope project` this one)\n",
        env.settings().display(),
        env.commands_dir().display()
    );
    assert!(output.stdout.contains(&warning), "{}", output.stdout);

    // And the other way round.
    env.ok(&["uninstall"]);
    let output = env.run(&["install"]).ok();
    assert!(
        output.stdout.contains(&format!(
            "warning: claude-session is also installed in the project scope (hooks in {}; ",
            project_settings(&env).display()
        )),
        "{}",
        output.stdout
    );
    assert!(
        output
            .stdout
            .contains("keep one: `claude-session uninstall --scope project` removes that one"),
        "{}",
        output.stdout
    );
}

#[test]
fn install_warns_when_another_settings_file_enables_the_plugin() {
    let env = world();
    env.write_settings(br#"{"enabledPlugins": {"claude-session@local-tools": true}}"#);
    let output = env.run(&["install", "--scope", "project"]).ok();
    assert!(
        output.stdout.contains(&format!(
            "warning: {} enables the plugin claude-session@local-tools: its hooks would run \
             besides these",
            env.settings().display()
        )),
        "{}",
        output.stdout
    );
}

#[test]
fn a_single_installation_gets_no_warning() {
    let env = world();
    let output = env.run(&["install"]).ok();
    assert!(!output.stdout.contains("warning:"), "{}", output.stdout);
}

#[test]
fn the_doctor_report_ends_with_a_newline() {
    // With problems (nothing installed), and healthy.
    let env = world();
    let (output, text) = doctor(&env);
    assert_eq!(output.code, 1);
    assert!(text.ends_with(".\n") && !text.ends_with("\n\n"), "{text:?}");
    assert!(output.stderr.ends_with(")\n"), "{:?}", output.stderr);
    assert_verdict_agrees(&text);
    binary_on_path(&env);
    env.ok(&["install"]);
    let (_, text) = doctor(&env);
    assert!(text.ends_with(".\n") && !text.ends_with("\n\n"), "{text:?}");
    let json = env.run(&["doctor", "--json"]).stdout;
    assert!(json.ends_with("}\n"), "{json:?}");
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(value["warnings"].is_u64(), "{json}");
}
