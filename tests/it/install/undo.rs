//! Uninstall undoes install: what install made that was not there (settings.json, folders) goes
//! again, no backup is written of a file that did not exist, no lock file stays behind, and what
//! the user had (a `.claude/` folder, a settings.json and its backups) stays. And a project's
//! settings.json, usually committed, names the binary by name when PATH finds it.

use super::*;
use crate::support::*;

fn git_status(env: &TestEnv) -> String {
    env.git(&["status", "--porcelain", "--untracked-files=all"])
}

#[test]
fn project_scope_install_then_uninstall_leaves_the_repository_as_it_was() {
    let env = repo_world();
    let before = paths_under(&env.root);
    assert_eq!(git_status(&env), "");
    env.ok(&["install", "--scope", "project"]);
    assert!(env.project.join(".claude/settings.json").is_file());
    let output = env.run(&["uninstall", "--scope", "project"]).ok();
    assert_eq!(git_status(&env), "", "{}", output.stdout);
    assert_eq!(paths_under(&env.root), before, "{}", output.stdout);
    for line in [
        "removed the file (install had made it; nothing of yours is in it)",
        "/project/.claude/commands  removed (install had made it)",
        "/project/.claude  removed (install had made it)",
    ] {
        assert!(output.stdout.contains(line), "{line}:\n{}", output.stdout);
    }
    assert!(!output.stdout.contains("backup"), "{}", output.stdout);
}

#[test]
fn user_scope_install_then_uninstall_leaves_the_tree_as_it_was() {
    // Claude Code's folder through CLAUDE_CONFIG_DIR, the state folder apart.
    let env = world();
    let before = paths_under(&env.root);
    env.ok(&["install"]);
    env.ok(&["uninstall"]);
    assert_eq!(paths_under(&env.root), before);

    // The default layout: the state folder is ~/.claude too, and ~/.claude is there already.
    let env = TestEnv::builder()
        .folder("project")
        .env("PATH", SYSTEM_PATH)
        .state_in_home()
        .build();
    let claude = env.home.join(".claude");
    assert!(claude.is_dir());
    env.ok(&["install"]);
    assert!(claude.join("settings.json").is_file());
    env.ok(&["uninstall"]);
    assert_eq!(
        paths_under(&env.root),
        vec!["home/", "home/.claude/", "project/"]
    );
}

#[test]
fn install_leaves_no_lock_file_and_no_backup_of_a_file_that_was_not_there() {
    let env = world();
    env.ok(&["install"]);
    let files = paths_under(&env.root);
    assert!(
        files.iter().all(|f| !f.ends_with(".lock")),
        "lock files left: {files:?}"
    );
    assert!(
        files.iter().all(|f| !f.contains("claude-session-backup")),
        "{files:?}"
    );
}

#[test]
fn a_claude_folder_the_user_had_stays_even_when_empty() {
    let env = repo_world();
    let dot_claude = env.project.join(".claude");
    std::fs::create_dir_all(&dot_claude).unwrap();
    let before = paths_under(&env.root);
    env.ok(&["install", "--scope", "project"]);
    env.ok(&["uninstall", "--scope", "project"]);
    assert!(dot_claude.is_dir(), "the user's .claude/ was removed");
    assert_eq!(paths_under(&env.root), before);

    // With something of the user's in it, only our part goes.
    env.write(".claude/agents/reviewer.md", "review carefully\n");
    let before = paths_under(&env.root);
    env.ok(&["install", "--scope", "project"]);
    env.ok(&["uninstall", "--scope", "project"]);
    assert_eq!(paths_under(&env.root), before);
}

#[test]
fn backups_of_the_users_settings_stay_and_uninstall_names_them() {
    let env = world();
    let original = fixture("typical-claude-code.json");
    env.write_settings(&original);
    env.ok(&["install"]);
    let install_backups = env.settings_backups();
    assert_eq!(install_backups.len(), 1);
    assert_eq!(std::fs::read(&install_backups[0]).unwrap(), original);

    let output = env.run(&["uninstall"]).ok();
    assert_eq!(
        env.read_settings().unwrap(),
        original,
        "the user's bytes are back"
    );
    let backups = env.settings_backups();
    assert!(backups.contains(&install_backups[0]), "{backups:?}");
    let text = output.stdout;
    assert!(
        text.contains("  backups   kept, copies of your files from before our changes:\n"),
        "{text}"
    );
    assert!(
        text.contains(&format!("            {}\n", install_backups[0].display())),
        "{text}"
    );
    // The file was the user's: it stays, and so does its folder (commands/ was install's).
    assert!(!text.contains("removed the file"), "{text}");
    assert!(
        !text.contains(&format!("folder    {}  ", env.claude_dir().display())),
        "{text}"
    );
    assert!(env.settings().is_file());
    assert!(!env.commands_dir().exists(), "{text}");
}

#[test]
fn a_settings_file_install_made_stays_once_it_holds_something_of_the_users() {
    let env = world();
    env.ok(&["install"]);
    let mut value = parse(&env.read_settings().unwrap());
    value["model"] = serde_json::json!("opus");
    std::fs::write(
        env.settings(),
        serde_json::to_string_pretty(&value).unwrap(),
    )
    .unwrap();
    std::fs::write(env.commands_dir().join("mine.md"), "my own command\n").unwrap();
    let output = env.run(&["uninstall"]).ok();
    let left = parse(&env.read_settings().expect("kept"));
    assert_eq!(
        left,
        serde_json::json!({"model": "opus"}),
        "{}",
        output.stdout
    );
    assert_eq!(
        env.settings_backups().len(),
        1,
        "a copy of what had the user's key"
    );
    assert_eq!(
        paths_under(&env.commands_dir()),
        vec!["mine.md"],
        "the user's command keeps its folder"
    );
}

#[test]
fn reinstalling_over_a_file_install_made_writes_no_backup() {
    let env = world();
    env.ok(&["install"]);
    // An earlier binary path, as after moving the binary.
    let text = String::from_utf8(env.read_settings().unwrap()).unwrap();
    std::fs::write(
        env.settings(),
        text.replace(&bin(), "/opt/old/bin/claude-session"),
    )
    .unwrap();
    let output = env.run(&["install"]).ok();
    assert!(
        output.stdout.contains("updated the binary path"),
        "{}",
        output.stdout
    );
    assert!(env.settings_backups().is_empty(), "{}", output.stdout);
    let before = paths_under(&env.root);
    env.ok(&["uninstall"]);
    assert!(!env.claude_dir().exists(), "{before:?}");
}

#[test]
fn an_uninstall_dry_run_tells_what_would_go_and_writes_nothing() {
    let env = repo_world();
    env.ok(&["install", "--scope", "project"]);
    let before = paths_under(&env.root);
    let output = env
        .run(&["uninstall", "--scope", "project", "--dry-run"])
        .ok();
    assert_eq!(paths_under(&env.root), before, "a dry run wrote");
    let text = output.stdout;
    for line in [
        "would remove the file (install had made it; nothing of yours is in it)",
        "/project/.claude/commands  would remove (install had made it)",
        "/project/.claude  would remove (install had made it)",
        "(after uninstall: removed)",
    ] {
        assert!(text.contains(line), "{line}:\n{text}");
    }
}

// --- a project's settings name the binary by name when PATH finds it ---

/// The commands of our hook entries in a settings file.
fn hook_commands(path: &std::path::Path) -> Vec<String> {
    ours(&parse(&std::fs::read(path).unwrap()))
        .into_iter()
        .map(|(_, _, entry)| entry["command"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn project_scope_writes_the_bare_name_when_path_finds_this_binary() {
    let env = repo_world();
    binary_on_path(&env);
    let settings = env.project.join(".claude/settings.json");
    let output = env.run(&["install", "--scope", "project"]).ok();
    let commands = hook_commands(&settings);
    assert_eq!(commands.len(), wanted_hooks().len());
    for command in &commands {
        assert!(command.starts_with("claude-session hook "), "{command}");
    }
    let text = std::fs::read_to_string(&settings).unwrap();
    assert!(!text.contains(&bin()), "{text}");
    assert!(
        output.stdout.contains(&format!(
            "note: the hooks run `claude-session` by name (PATH finds this binary), so {} holds \
             no path of this machine",
            settings.display()
        )),
        "{}",
        output.stdout
    );
    // Ours in both forms: a second install changes nothing, doctor checks them, uninstall
    // takes them.
    let again = env.run(&["install", "--scope", "project"]).ok();
    assert!(
        again
            .stdout
            .contains("Already installed: nothing to change."),
        "{}",
        again.stdout
    );
    let doctor = env.run(&["doctor"]).stdout;
    assert!(
        doctor.contains("✓ hooks run claude-session: exists, executable"),
        "{doctor}"
    );
    assert!(
        doctor.contains(&format!(
            "✓ hooks: all {} registered once ({})",
            wanted_hooks().len(),
            settings.display()
        )),
        "{doctor}"
    );
    env.ok(&["uninstall", "--scope", "project"]);
    assert_eq!(git_status(&env), "");
}

#[test]
fn project_scope_keeps_the_path_and_warns_when_path_does_not_find_this_binary() {
    let env = repo_world();
    let settings = env.project.join(".claude/settings.json");
    let output = env.run(&["install", "--scope", "project"]).ok();
    for command in hook_commands(&settings) {
        assert_eq!(
            command,
            format!("\"{}\" hook {}", bin(), command.rsplit(' ').next().unwrap())
        );
    }
    assert!(
        output.stdout.contains(&format!(
            "warning: the hooks run {}, a path of this machine, and {} is usually committed",
            bin(),
            settings.display()
        )),
        "{}",
        output.stdout
    );

    // Once PATH finds it, a new install rewrites the path as the name, in place.
    binary_on_path(&env);
    let output = env.run(&["install", "--scope", "project"]).ok();
    assert!(
        output
            .stdout
            .contains("updated the binary path of hook post-edit"),
        "{}",
        output.stdout
    );
    assert!(
        hook_commands(&settings)
            .iter()
            .all(|c| c.starts_with("claude-session hook ")),
        "{:?}",
        hook_commands(&settings)
    );
    assert!(!output.stdout.contains("warning: the hooks run"));

    // And the bare name is still recognised as ours without PATH.
    env.set_env("PATH", SYSTEM_PATH);
    env.ok(&["uninstall", "--scope", "project"]);
    assert_eq!(git_status(&env), "");
}

#[test]
fn user_scope_keeps_the_absolute_path() {
    let env = world();
    binary_on_path(&env);
    let output = env.run(&["install"]).ok();
    assert_exactly_our_hooks(&parse(&env.read_settings().unwrap()), &bin(), "user scope");
    assert!(!output.stdout.contains("by name"), "{}", output.stdout);
}
