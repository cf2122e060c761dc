//! `install` / `uninstall` beyond the settings corpus: command files (ours vs the user's), dry
//! runs, scopes, symlinks, permissions, concurrent installs and the plugin manifest.

mod install_support;

use install_support::*;
use std::path::Path;

const COMMAND_FILES: [&str; 4] = ["start.md", "pause.md", "resume.md", "end.md"];

fn repo_command(name: &str) -> Vec<u8> {
    std::fs::read(repo_root().join("commands").join(name)).expect("command file")
}

/// The report with the temp folder and binary path replaced, for snapshots. The notes depend on
/// where the binary was built and on PATH, so they are left out.
fn scrub(world: &World, text: &str) -> String {
    text.replace(&bin(), "<BIN>")
        .replace(&world.root().display().to_string(), "<TMP>")
        .lines()
        .filter(|line| !line.starts_with("note: "))
        .map(|line| format!("{line}\n"))
        .collect()
}

fn files_under(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path.clone());
            }
            found.push(
                path.strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
            );
        }
    }
    found.sort();
    found
}

#[test]
fn fresh_home_gets_commands_and_hooks_and_uninstall_takes_them_away() {
    let mut world = World::new();
    world.use_config_dir = false;
    let output = world.run(&["install"]);
    assert_ok(&output);
    insta::assert_snapshot!("fresh-install", scrub(&world, &stdout(&output)));
    let claude = world.home.join(".claude");
    assert_eq!(world.claude_dir(), claude);
    for name in COMMAND_FILES {
        assert_eq!(
            std::fs::read(claude.join("commands").join(name)).unwrap(),
            repo_command(name),
            "{name} is the embedded text"
        );
    }
    assert_exactly_our_hooks(&parse(&world.read_settings().unwrap()), &bin(), "fresh");

    let again = world.run(&["install"]);
    assert_ok(&again);
    assert!(stdout(&again).contains("Already installed: nothing to change."));

    let removed = world.run(&["uninstall"]);
    assert_ok(&removed);
    insta::assert_snapshot!("fresh-uninstall", scrub(&world, &stdout(&removed)));
    for name in COMMAND_FILES {
        assert!(!claude.join("commands").join(name).exists(), "{name}");
    }
    assert_eq!(world.read_settings().unwrap(), b"{}\n");
}

#[test]
fn dry_run_prints_the_diff_and_writes_nothing() {
    let world = World::new();
    let original = fixture("typical-claude-code.json");
    world.write_settings(&original);
    let before = files_under(&world.root());
    let output = world.run(&["install", "--dry-run"]);
    assert_ok(&output);
    assert_eq!(files_under(&world.root()), before, "a dry run wrote files");
    assert_eq!(world.read_settings().unwrap(), original);
    let text = stdout(&output);
    let settings = world.settings().display().to_string();
    assert!(text.contains(&format!("--- {settings}\n")), "{text}");
    assert!(
        text.contains(&format!("+++ {settings} (after install)\n")),
        "{text}"
    );
    assert!(
        text.contains("would add hook post-edit (PostToolUse)"),
        "{text}"
    );
    insta::assert_snapshot!("dry-run-install", scrub(&world, &text));

    // After a real install, an uninstall dry run shows the removal and keeps everything.
    assert_ok(&world.run(&["install"]));
    let installed = world.read_settings().unwrap();
    let before = files_under(&world.root());
    let output = world.run(&["uninstall", "--dry-run"]);
    assert_ok(&output);
    assert_eq!(files_under(&world.root()), before);
    assert_eq!(world.read_settings().unwrap(), installed);
    let text = stdout(&output);
    assert!(text.contains("would remove hook stop (Stop)"), "{text}");
    assert!(text.contains("start.md   would remove"), "{text}");
    assert!(text.contains("-            \"command\": \"\\\""), "{text}");
}

#[test]
fn dry_run_on_a_missing_file_diffs_against_nothing() {
    let world = World::new();
    let output = world.run(&["install", "--dry-run"]);
    assert_ok(&output);
    assert!(!world.claude_dir().exists());
    let text = stdout(&output);
    assert!(text.contains("would create the file"), "{text}");
    assert!(text.contains("--- /dev/null\n"), "{text}");
}

#[test]
fn a_command_file_the_user_changed_is_kept_and_replaced_only_with_force_after_a_backup() {
    let world = World::new();
    assert_ok(&world.run(&["install"]));
    let start = world.commands_dir().join("start.md");
    let mine = b"---\ndescription: my own start\n---\nDo it my way.\n".to_vec();
    std::fs::write(&start, &mine).unwrap();

    let output = world.run(&["install"]);
    assert_ok(&output);
    assert!(
        stdout(&output).contains("start.md   kept: it is yours"),
        "{}",
        stdout(&output)
    );
    assert_eq!(std::fs::read(&start).unwrap(), mine);
    assert!(backups_in(&world.commands_dir(), "start.md").is_empty());

    let output = world.run(&["install", "--force"]);
    assert_ok(&output);
    let backups = backups_in(&world.commands_dir(), "start.md");
    assert_eq!(backups.len(), 1, "{backups:?}");
    assert!(backups[0].to_string_lossy().ends_with(STAMP));
    assert_eq!(std::fs::read(&backups[0]).unwrap(), mine);
    assert_eq!(std::fs::read(&start).unwrap(), repo_command("start.md"));
    assert!(
        stdout(&output).contains(&format!(
            "start.md   replaced yours; backup: {}",
            backups[0].display()
        )),
        "{}",
        stdout(&output)
    );
    // Claude Code only reads `*.md`: the backup does not become a command.
    assert!(!backups[0].to_string_lossy().ends_with(".md"));

    // Uninstall removes our files and keeps the user's.
    let pause = world.commands_dir().join("pause.md");
    std::fs::write(&pause, b"my pause\n").unwrap();
    let output = world.run(&["uninstall"]);
    assert_ok(&output);
    assert!(stdout(&output).contains("pause.md   kept: it is yours"));
    assert_eq!(std::fs::read(&pause).unwrap(), b"my pause\n");
    for name in ["start.md", "resume.md", "end.md"] {
        assert!(!world.commands_dir().join(name).exists(), "{name}");
    }
    assert_eq!(std::fs::read(&backups[0]).unwrap(), mine, "backups stay");
}

#[test]
fn project_scope_installs_into_the_projects_claude_folder() {
    let world = World::new();
    let status = std::process::Command::new("git")
        .args(["init", "-q"])
        .current_dir(&world.project)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .status()
        .expect("git");
    assert!(status.success());
    let sub = world.project.join("src/deep");
    std::fs::create_dir_all(&sub).unwrap();
    let mut command = world.command(&["install", "--scope", "project"]);
    let output = command.current_dir(&sub).output().unwrap();
    assert_ok(&output);
    let dot_claude = world.project.join(".claude");
    assert_exactly_our_hooks(
        &parse(&std::fs::read(dot_claude.join("settings.json")).unwrap()),
        &bin(),
        "project scope",
    );
    for name in COMMAND_FILES {
        assert!(dot_claude.join("commands").join(name).is_file(), "{name}");
    }
    assert!(!world.claude_dir().exists(), "user scope untouched");
    assert!(stdout(&output).contains("(project scope)"));

    let output = world
        .command(&["uninstall", "--scope", "project"])
        .current_dir(&sub)
        .output()
        .unwrap();
    assert_ok(&output);
    assert_eq!(
        std::fs::read(dot_claude.join("settings.json")).unwrap(),
        b"{}\n"
    );
}

#[test]
fn claude_config_dir_wins_over_home() {
    let world = World::new();
    assert_ok(&world.run(&["install"]));
    assert!(world.claude.join("settings.json").is_file());
    assert!(!world.home.join(".claude").exists());
}

#[cfg(unix)]
#[test]
fn a_symlinked_settings_file_stays_a_symlink_and_its_target_is_updated() {
    let world = World::new();
    let dotfiles = world.root().join("dotfiles");
    std::fs::create_dir_all(&dotfiles).unwrap();
    let real = dotfiles.join("claude-settings.json");
    let original = fixture("schema.json");
    std::fs::write(&real, &original).unwrap();
    std::fs::create_dir_all(world.claude_dir()).unwrap();
    std::os::unix::fs::symlink(&real, world.settings()).unwrap();

    assert_ok(&world.run(&["install"]));
    let meta = std::fs::symlink_metadata(world.settings()).unwrap();
    assert!(
        meta.file_type().is_symlink(),
        "the link was replaced by a file"
    );
    assert_exactly_our_hooks(&parse(&std::fs::read(&real).unwrap()), &bin(), "symlink");
    let backups = world.settings_backups();
    assert_eq!(backups.len(), 1);
    assert_eq!(std::fs::read(&backups[0]).unwrap(), original);
    assert_eq!(files_under(&dotfiles), vec!["claude-settings.json"]);

    assert_ok(&world.run(&["uninstall"]));
    assert!(
        std::fs::symlink_metadata(world.settings())
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
    let world = World::new();
    world.write_settings(&fixture("typical-claude-code.json"));
    std::fs::set_permissions(world.settings(), std::fs::Permissions::from_mode(0o600)).unwrap();
    assert_ok(&world.run(&["install"]));
    assert_eq!(mode(&world.settings()), 0o600);
    assert_eq!(mode(&world.settings_backups()[0]), 0o600);
    assert_eq!(mode(&world.commands_dir().join("start.md")), 0o644);

    // A new settings file is an ordinary user file.
    let fresh = World::new();
    assert_ok(&fresh.run(&["install"]));
    assert_eq!(mode(&fresh.settings()), 0o644);
}

#[test]
fn concurrent_installs_leave_each_hook_exactly_once() {
    let world = World::new();
    let original = fixture("other-tool-same-events.json");
    world.write_settings(&original);
    let children: Vec<_> = (0..4)
        .map(|_| world.command(&["install"]).spawn().expect("spawn"))
        .collect();
    for child in children {
        let output = child.wait_with_output().unwrap();
        // Each run either installs, finds nothing to do, or (rarely) sees the file change under
        // it and refuses; none may corrupt the file.
        if !output.status.success() {
            assert!(
                stderr(&output).contains("busy") || stderr(&output).contains("changed while"),
                "{}",
                stderr(&output)
            );
        }
    }
    let value = parse(&world.read_settings().unwrap());
    assert_exactly_our_hooks(&value, &bin(), "concurrent");
    assert_eq!(foreign(&value), foreign(&parse(&original)));
}

#[test]
fn the_plugin_manifest_matches_the_crate_and_the_files_it_ships() {
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(repo_root().join(".claude-plugin/plugin.json")).unwrap(),
    )
    .expect("plugin.json parses");
    assert_eq!(manifest["name"], "claude-session");
    assert_eq!(manifest["version"], env!("CARGO_PKG_VERSION"));
    assert!(
        manifest["description"]
            .as_str()
            .is_some_and(|d| !d.is_empty())
    );
    for name in COMMAND_FILES {
        assert!(repo_root().join("commands").join(name).is_file(), "{name}");
    }
    assert!(!wanted_hooks().is_empty());
}

#[test]
fn the_help_lists_the_new_commands_and_their_options() {
    let world = World::new();
    let output = world.run(&["install", "--help"]);
    assert_ok(&output);
    let text = stdout(&output);
    for option in ["--dry-run", "--force", "--scope"] {
        assert!(text.contains(option), "{text}");
    }
    let output = world.run(&["install", "--scope", "galaxy"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("galaxy"));
}
