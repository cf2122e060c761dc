//! `install` / `uninstall` beyond the settings corpus: command files (ours vs the user's), dry
//! runs, scopes, symlinks, permissions, concurrent installs and the plugin manifest.

use super::*;
use crate::support::*;
use std::path::Path;
use std::process::Stdio;

const COMMAND_FILES: [&str; 4] = ["start.md", "pause.md", "resume.md", "end.md"];

fn repo_command(name: &str) -> Vec<u8> {
    std::fs::read(repo_root().join("commands").join(name)).expect("command file")
}

/// The report with the temp folder and binary path replaced, for snapshots. The notes depend on
/// where the binary was built and on PATH, so they are left out.
fn scrub(env: &TestEnv, text: &str) -> String {
    text.replace(&bin(), "<BIN>")
        .replace(&env.root.display().to_string(), "<TMP>")
        .lines()
        .filter(|line| !line.starts_with("note: "))
        .map(|line| format!("{line}\n"))
        .collect()
}

#[test]
fn fresh_home_gets_commands_and_hooks_and_uninstall_takes_them_away() {
    let env = world_without_config_dir();
    let output = env.run(&["install"]).ok();
    insta::assert_snapshot!("fresh-install", scrub(&env, &output.stdout));
    let claude = env.home.join(".claude");
    assert_eq!(env.claude_dir(), claude);
    for name in COMMAND_FILES {
        assert_eq!(
            std::fs::read(claude.join("commands").join(name)).unwrap(),
            repo_command(name),
            "{name} is the embedded text"
        );
    }
    assert_exactly_our_hooks(&parse(&env.read_settings().unwrap()), &bin(), "fresh");

    let again = env.run(&["install"]).ok();
    assert!(
        again
            .stdout
            .contains("Already installed: nothing to change.")
    );

    let removed = env.run(&["uninstall"]).ok();
    insta::assert_snapshot!("fresh-uninstall", scrub(&env, &removed.stdout));
    // ~/.claude was not there: install made it, uninstall takes it away with all it held.
    assert!(!claude.exists(), "{:?}", entries_under(&claude));
}

#[test]
fn dry_run_prints_the_diff_and_writes_nothing() {
    let env = world();
    let original = fixture("typical-claude-code.json");
    env.write_settings(&original);
    let before = entries_under(&env.root);
    let output = env.run(&["install", "--dry-run"]).ok();
    assert_eq!(entries_under(&env.root), before, "a dry run wrote files");
    assert_eq!(env.read_settings().unwrap(), original);
    let text = output.stdout;
    let settings = env.settings().display().to_string();
    assert!(text.contains(&format!("--- {settings}\n")), "{text}");
    assert!(
        text.contains(&format!("+++ {settings} (after install)\n")),
        "{text}"
    );
    assert!(
        text.contains("would add hook post-edit (PostToolUse)"),
        "{text}"
    );
    insta::assert_snapshot!("dry-run-install", scrub(&env, &text));

    // After a real install, an uninstall dry run shows the removal and keeps everything.
    env.ok(&["install"]);
    let installed = env.read_settings().unwrap();
    let before = entries_under(&env.root);
    let output = env.run(&["uninstall", "--dry-run"]).ok();
    assert_eq!(entries_under(&env.root), before);
    assert_eq!(env.read_settings().unwrap(), installed);
    let text = output.stdout;
    assert!(text.contains("would remove hook stop (Stop)"), "{text}");
    assert!(
        text.contains("start.md                            would remove"),
        "{text}"
    );
    assert!(
        text.contains("../skills/session-manager/SKILL.md  would remove"),
        "{text}"
    );
    assert!(text.contains("-            \"command\": \"\\\""), "{text}");
}

#[test]
fn dry_run_on_a_missing_file_diffs_against_nothing() {
    let env = world();
    let output = env.run(&["install", "--dry-run"]).ok();
    assert!(!env.claude_dir().exists());
    let text = output.stdout;
    assert!(text.contains("would create the file"), "{text}");
    assert!(text.contains("--- /dev/null\n"), "{text}");
}

#[test]
fn a_command_file_the_user_changed_is_kept_and_replaced_only_with_force_after_a_backup() {
    let env = world();
    env.ok(&["install"]);
    let start = env.commands_dir().join("start.md");
    let mine = b"---\ndescription: my own start\n---\nDo it my way.\n".to_vec();
    std::fs::write(&start, &mine).unwrap();

    let output = env.run(&["install"]).ok();
    assert!(
        output
            .stdout
            .contains("start.md                            kept: it is yours"),
        "{}",
        output.stdout
    );
    assert_eq!(std::fs::read(&start).unwrap(), mine);
    assert!(backups_in(&env.commands_dir(), "start.md").is_empty());

    let output = env.run(&["install", "--force"]).ok();
    let backups = backups_in(&env.commands_dir(), "start.md");
    assert_eq!(backups.len(), 1, "{backups:?}");
    assert!(backups[0].to_string_lossy().ends_with(STAMP));
    assert_eq!(std::fs::read(&backups[0]).unwrap(), mine);
    assert_eq!(std::fs::read(&start).unwrap(), repo_command("start.md"));
    assert!(
        output.stdout.contains(&format!(
            "start.md                            replaced yours; backup: {}",
            backups[0].display()
        )),
        "{}",
        output.stdout
    );
    // Claude Code only reads `*.md`: the backup does not become a command.
    assert!(!backups[0].to_string_lossy().ends_with(".md"));

    // Uninstall removes our files and keeps the user's.
    let pause = env.commands_dir().join("pause.md");
    std::fs::write(&pause, b"my pause\n").unwrap();
    let output = env.run(&["uninstall"]).ok();
    assert!(
        output
            .stdout
            .contains("pause.md                            kept: it is yours")
    );
    assert_eq!(std::fs::read(&pause).unwrap(), b"my pause\n");
    for name in ["start.md", "resume.md", "end.md"] {
        assert!(!env.commands_dir().join(name).exists(), "{name}");
    }
    assert_eq!(std::fs::read(&backups[0]).unwrap(), mine, "backups stay");
}

#[test]
fn project_scope_installs_into_the_projects_claude_folder() {
    let env = world();
    env.git(&["init", "-q"]);
    let sub = env.project.join("src/deep");
    std::fs::create_dir_all(&sub).unwrap();
    let output = env.run_in(&sub, &["install", "--scope", "project"]).ok();
    let dot_claude = env.project.join(".claude");
    assert_exactly_our_hooks(
        &parse(&std::fs::read(dot_claude.join("settings.json")).unwrap()),
        &bin(),
        "project scope",
    );
    for name in COMMAND_FILES {
        assert!(dot_claude.join("commands").join(name).is_file(), "{name}");
    }
    assert!(!env.claude_dir().exists(), "user scope untouched");
    assert!(output.stdout.contains("(project scope)"));

    env.ok_in(&sub, &["uninstall", "--scope", "project"]);
    assert!(!dot_claude.exists(), "{:?}", entries_under(&dot_claude));
}

#[test]
fn claude_config_dir_wins_over_home() {
    let env = world();
    env.ok(&["install"]);
    assert!(
        env.root
            .join("claude-config")
            .join("settings.json")
            .is_file()
    );
    assert!(!env.home.join(".claude").exists());
}

#[cfg(unix)]
#[test]
fn a_symlinked_settings_file_stays_a_symlink_and_its_target_is_updated() {
    let env = world();
    let dotfiles = env.root.join("dotfiles");
    std::fs::create_dir_all(&dotfiles).unwrap();
    let real = dotfiles.join("claude-settings.json");
    let original = fixture("schema.json");
    std::fs::write(&real, &original).unwrap();
    std::fs::create_dir_all(env.claude_dir()).unwrap();
    std::os::unix::fs::symlink(&real, env.settings()).unwrap();

    env.ok(&["install"]);
    let meta = std::fs::symlink_metadata(env.settings()).unwrap();
    assert!(
        meta.file_type().is_symlink(),
        "the link was replaced by a file"
    );
    assert_exactly_our_hooks(&parse(&std::fs::read(&real).unwrap()), &bin(), "symlink");
    let backups = env.settings_backups();
    assert_eq!(backups.len(), 1);
    assert_eq!(std::fs::read(&backups[0]).unwrap(), original);
    assert_eq!(entries_under(&dotfiles), vec!["claude-settings.json"]);

    env.ok(&["uninstall"]);
    assert!(
        std::fs::symlink_metadata(env.settings())
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read(&real).unwrap(), original);
}

#[cfg(unix)]
#[test]
fn permissions_of_replaced_files_are_kept_and_backups_are_as_private_as_the_original() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let env = world();
    env.write_settings(&fixture("typical-claude-code.json"));
    std::fs::set_permissions(env.settings(), std::fs::Permissions::from_mode(0o600)).unwrap();
    env.ok(&["install"]);
    assert_eq!(mode(&env.settings()), 0o600);
    assert_eq!(mode(&env.settings_backups()[0]), 0o600);
    assert_eq!(mode(&env.commands_dir().join("start.md")), 0o644);

    // A new settings file is an ordinary user file.
    let fresh = world();
    fresh.ok(&["install"]);
    assert_eq!(mode(&fresh.settings()), 0o644);
}

#[test]
fn concurrent_installs_leave_each_hook_exactly_once() {
    let env = world();
    let original = fixture("other-tool-same-events.json");
    env.write_settings(&original);
    let children: Vec<_> = (0..4)
        .map(|_| {
            env.cmd(&["install"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn")
        })
        .collect();
    for child in children {
        let output = finish(child);
        // Each run either installs, finds nothing to do, or (rarely) sees the file change under
        // it and refuses; none may corrupt the file.
        if output.code != 0 {
            assert!(
                output.stderr.contains("busy") || output.stderr.contains("changed while"),
                "{}",
                output.stderr
            );
        }
    }
    let value = parse(&env.read_settings().unwrap());
    assert_exactly_our_hooks(&value, &bin(), "concurrent");
    assert_eq!(foreign(&value), foreign(&parse(&original)));
}

#[test]
fn the_plugin_manifest_matches_the_crate_and_the_files_it_ships() {
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo_root().join("plugin/.claude-plugin/plugin.json")).unwrap(),
    )
    .expect("plugin.json parses");
    // Claude Code reserves plugin names starting with `claude-`.
    assert_eq!(manifest["name"], "session-keeper");
    let marketplace: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo_root().join(".claude-plugin/marketplace.json")).unwrap(),
    )
    .expect("marketplace.json parses");
    assert_eq!(marketplace["plugins"][0]["name"], "session-keeper");
    assert_eq!(marketplace["plugins"][0]["source"], "./plugin");
    assert!(
        !repo_root().join(".claude-plugin/plugin.json").exists(),
        "the repository root is a marketplace, not the plugin (the plugin cache copies it whole)"
    );
    assert_eq!(manifest["version"], env!("CARGO_PKG_VERSION"));
    assert!(
        manifest["description"]
            .as_str()
            .is_some_and(|d| !d.is_empty())
    );
    for name in COMMAND_FILES {
        assert!(repo_root().join("commands").join(name).is_file(), "{name}");
        assert!(
            repo_root().join("plugin/commands").join(name).is_file(),
            "{name}"
        );
    }
    assert!(!wanted_hooks().is_empty());
}

#[test]
fn the_help_lists_the_new_commands_and_their_options() {
    let env = world();
    let output = env.run(&["install", "--help"]).ok();
    let text = output.stdout;
    for option in ["--dry-run", "--force", "--scope"] {
        assert!(text.contains(option), "{text}");
    }
    let output = env.run(&["install", "--scope", "galaxy"]);
    assert_eq!(output.code, 1);
    assert!(output.stderr.contains("galaxy"));
}

#[test]
fn the_session_manager_skill_is_installed_with_the_commands_and_a_changed_one_is_kept() {
    let env = world();
    env.ok(&["install"]);
    let skill = env.claude_dir().join("skills/session-manager/SKILL.md");
    assert_eq!(
        std::fs::read_to_string(&skill).unwrap(),
        repo_file("skills/session-manager/SKILL.md")
    );
    let mine = "---\nname: session-manager\ndescription: mine\n---\nMy way.\n";
    std::fs::write(&skill, mine).unwrap();
    let output = env.run(&["uninstall"]).ok();
    assert!(
        output
            .stdout
            .contains("../skills/session-manager/SKILL.md  kept: it is yours"),
        "{}",
        output.stdout
    );
    assert_eq!(std::fs::read_to_string(&skill).unwrap(), mine);
}
