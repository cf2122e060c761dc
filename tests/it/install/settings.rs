//! The settings.json corpus: every fixture under tests/fixtures/settings/ goes through the real
//! binary's install, install again, uninstall, uninstall again, in a throwaway Claude Code folder.
//!
//! For each valid file: our hooks end up exactly as hooks.json wants them, everything else is
//! unchanged, a second run leaves the file byte-identical (and makes no backup), the first change
//! is backed up byte for byte, and uninstall leaves no entry of ours. For files without entries of
//! ours, install only inserts bytes and uninstall gives the original bytes back, except where the
//! file held an empty `hooks` object or event array (uninstall removes the containers it empties;
//! see src/settings.rs). Invalid files are refused with a one-line error and never touched.
//! The exact changes are kept as reviewed snapshots.

use super::*;

/// Fixtures whose uninstall does not give back the original bytes, and why.
const NOT_BYTE_RESTORED: &[(&str, &str)] = &[
    ("empty.json", "an empty file becomes {}"),
    ("whitespace-only.json", "a blank file becomes {}"),
    (
        "hooks-empty-object.json",
        "its empty `hooks` object is filled, then removed once emptied",
    ),
    (
        "compact-spaced-one-line.json",
        "its empty `hooks` object is filled, then removed once emptied",
    ),
    (
        "event-empty-array.json",
        "its empty PostToolUse array is filled, then removed once emptied",
    ),
    (
        "weird-spacing.json",
        "its empty `hooks` / Stop containers are filled, then removed once emptied",
    ),
];

fn has_ours(bytes: &[u8]) -> bool {
    !ours(&parse(bytes)).is_empty()
}

#[test]
fn the_corpus_has_at_least_twenty_valid_files_and_some_invalid_ones() {
    let names = fixture_names();
    let invalid = names.iter().filter(|n| n.starts_with("invalid-")).count();
    assert!(names.len() - invalid >= 20, "{names:?}");
    assert!(invalid >= 5, "{names:?}");
    for (name, _) in NOT_BYTE_RESTORED {
        assert!(
            names.iter().any(|n| n == name),
            "{name} is listed but missing"
        );
    }
}

#[test]
fn every_valid_fixture_installs_idempotently_and_uninstalls_cleanly() {
    let binary = bin();
    for name in fixture_names()
        .into_iter()
        .filter(|n| !n.starts_with("invalid-"))
    {
        let original = fixture(&name);
        let env = world();
        env.write_settings(&original);

        env.ok(&["install"]);
        let installed = env.read_settings().expect("settings after install");
        let installed_value = parse(&installed);
        assert_exactly_our_hooks(&installed_value, &binary, &name);
        assert_eq!(
            foreign(&parse(&original)),
            foreign(&installed_value),
            "{name}: install changed content that is not ours"
        );
        let backups = env.settings_backups();
        if installed != original {
            assert_eq!(backups.len(), 1, "{name}: {backups:?}");
            assert!(
                backups[0].to_string_lossy().ends_with(STAMP),
                "{name}: {backups:?}"
            );
            assert_eq!(
                std::fs::read(&backups[0]).unwrap(),
                original,
                "{name}: backup"
            );
        } else {
            assert!(
                backups.is_empty(),
                "{name}: nothing changed, yet {backups:?}"
            );
        }

        let second = env.run(&["install"]).ok();
        assert_eq!(
            env.read_settings().unwrap(),
            installed,
            "{name}: second install changed the file"
        );
        assert!(
            second.stdout.contains("nothing to change"),
            "{name}: {}",
            second.stdout
        );
        assert_eq!(
            env.settings_backups(),
            backups,
            "{name}: second run backed up"
        );

        env.ok(&["uninstall"]);
        let uninstalled = env.read_settings().expect("settings after uninstall");
        let uninstalled_value = parse(&uninstalled);
        assert!(ours(&uninstalled_value).is_empty(), "{name}: ours left");
        assert_eq!(
            foreign(&parse(&original)),
            uninstalled_value,
            "{name}: uninstall left something other than the foreign content"
        );
        env.ok(&["uninstall"]);
        assert_eq!(
            env.read_settings().unwrap(),
            uninstalled,
            "{name}: second uninstall changed the file"
        );

        if !has_ours(&original) {
            assert!(
                is_subsequence(&original, &installed),
                "{name}: install removed or changed original bytes"
            );
            match NOT_BYTE_RESTORED.iter().find(|(n, _)| *n == name) {
                None => assert_eq!(
                    String::from_utf8_lossy(&uninstalled),
                    String::from_utf8_lossy(&original),
                    "{name}: uninstall did not restore the original bytes"
                ),
                Some(_) => assert_ne!(uninstalled, original, "{name}: listed as not restored"),
            }
        }

        insta::assert_snapshot!(
            format!("corpus-{}", name.trim_end_matches(".json")),
            format!(
                "install:\n{}\nuninstall:\n{}",
                diff_for_snapshot(&original, &installed),
                diff_for_snapshot(&installed, &uninstalled)
            )
        );
    }
}

#[test]
fn empty_and_blank_files_round_trip_to_an_empty_object() {
    for name in ["empty.json", "whitespace-only.json"] {
        let env = world();
        env.write_settings(&fixture(name));
        env.ok(&["install"]);
        env.ok(&["uninstall"]);
        assert_eq!(env.read_settings().unwrap(), b"{}\n", "{name}");
    }
}

#[test]
fn invalid_files_are_refused_with_the_parse_error_and_left_untouched() {
    for name in fixture_names()
        .into_iter()
        .filter(|n| n.starts_with("invalid-"))
    {
        let original = fixture(&name);
        let env = world();
        env.write_settings(&original);
        for command in [
            "install",
            "uninstall",
            "install --dry-run",
            "install --force",
        ] {
            let args: Vec<&str> = command.split(' ').collect();
            let output = env.run(&args);
            assert_eq!(
                env.read_settings().unwrap(),
                original,
                "{name}: `{command}` touched the file"
            );
            assert!(env.settings_backups().is_empty(), "{name}: `{command}`");
            assert!(
                !env.commands_dir().exists(),
                "{name}: `{command}` wrote command files despite the refusal"
            );
            // Uninstall has nothing to do in a file whose only problem is where install would write.
            if name == "invalid-event-not-array.json" && command == "uninstall" {
                let output = output.ok();
                assert!(
                    output.stdout.contains("no hook of ours"),
                    "{}",
                    output.stdout
                );
                continue;
            }
            assert_eq!(output.code, 1, "{name}: `{command}`");
            let err = output.stderr;
            assert_eq!(err.lines().count(), 1, "{name}: `{command}`: {err}");
            assert!(
                err.contains(&env.settings().display().to_string()),
                "{name}: {err}"
            );
            assert!(err.contains("left it untouched"), "{name}: {err}");
            let syntax = !matches!(
                name.as_str(),
                "invalid-not-object.json"
                    | "invalid-hooks-not-object.json"
                    | "invalid-event-not-array.json"
                    | "invalid-not-utf8.json"
            );
            if syntax {
                assert!(
                    err.contains(" line ") && err.contains(" column "),
                    "{name}: no position in {err}"
                );
            }
        }
    }
}

#[test]
fn a_missing_settings_file_is_created_and_uninstall_removes_it_again() {
    let env = world();
    assert!(env.read_settings().is_none());
    let output = env.run(&["install"]).ok();
    assert!(
        output.stdout.contains("created the file"),
        "{}",
        output.stdout
    );
    let installed = env.read_settings().expect("created");
    assert!(installed.ends_with(b"}\n"));
    assert_exactly_our_hooks(&parse(&installed), &bin(), "missing file");
    assert!(env.settings_backups().is_empty(), "nothing to back up");
    let output = env.run(&["uninstall"]).ok();
    assert!(
        output
            .stdout
            .contains("removed the file (install had made it; nothing of yours is in it)"),
        "{}",
        output.stdout
    );
    assert!(
        env.read_settings().is_none(),
        "install made it, uninstall removes it"
    );
    assert!(
        env.settings_backups().is_empty(),
        "no backup of a file that was not there"
    );
    assert!(
        !env.claude_dir().exists(),
        "the folder install made goes too"
    );
}

#[test]
fn indentation_and_line_endings_of_the_file_are_kept() {
    let cases = [
        (
            "four-space-indent.json",
            "\n        \"PostToolUse\": [\n            {\n                \"matcher\"",
            "\n",
        ),
        (
            "tab-indent.json",
            "\n\t\t\"PostToolUse\": [\n\t\t\t{\n\t\t\t\t\"matcher\"",
            "\n",
        ),
        (
            "crlf-line-endings.json",
            "\r\n    \"PostToolUse\": [\r\n      {\r\n        \"matcher\"",
            "\r\n",
        ),
    ];
    for (name, expected, newline) in cases {
        let env = world();
        env.write_settings(&fixture(name));
        env.ok(&["install"]);
        let text = String::from_utf8(env.read_settings().unwrap()).unwrap();
        assert!(text.contains(expected), "{name}:\n{text}");
        if newline == "\r\n" {
            assert_eq!(
                text.matches('\n').count(),
                text.matches("\r\n").count(),
                "{name}"
            );
        } else {
            assert!(!text.contains('\r'), "{name}");
        }
    }
    // A one-line file stays one line.
    let env = world();
    env.write_settings(&fixture("compact-one-line.json"));
    env.ok(&["install"]);
    let text = String::from_utf8(env.read_settings().unwrap()).unwrap();
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(!text.ends_with('\n'));
}

#[test]
fn old_binary_paths_are_replaced_in_place_not_duplicated() {
    let env = world();
    let original = fixture("ours-old-path.json");
    env.write_settings(&original);
    let output = env.run(&["install"]).ok();
    let text = String::from_utf8(env.read_settings().unwrap()).unwrap();
    assert!(!text.contains("/opt/old-place"), "{text}");
    assert!(!text.contains(".cargo/bin"), "{text}");
    assert_exactly_our_hooks(&parse(text.as_bytes()), &bin(), "old paths");
    // Same number of lines: only the command strings and one timeout changed.
    assert_eq!(
        text.lines().count(),
        String::from_utf8(original).unwrap().lines().count()
    );
    assert!(
        output
            .stdout
            .contains("updated the binary path of hook stop (Stop)")
    );
    assert!(
        output
            .stdout
            .contains("updated `timeout` of hook session-end (SessionEnd)")
    );
}

#[test]
fn a_current_installation_is_left_byte_identical_without_backup() {
    // Written here from hooks.json (not taken from a fixture) so that it stays current.
    let mut events = serde_json::Map::new();
    for (event, matcher, name, timeout) in wanted_hooks() {
        let mut entry = serde_json::json!({
            "type": "command",
            "command": format!("\"{}\" hook {name}", bin()),
        });
        if let Some(timeout) = timeout {
            entry["timeout"] = timeout.into();
        }
        let mut group = serde_json::Map::new();
        if let Some(matcher) = matcher {
            group.insert("matcher".into(), matcher.into());
        }
        group.insert("hooks".into(), serde_json::json!([entry]));
        events
            .entry(event)
            .or_insert_with(|| serde_json::json!([]))
            .as_array_mut()
            .unwrap()
            .push(group.into());
    }
    let settings = serde_json::json!({"model": "opus", "hooks": events});
    let original = format!("{}\n", serde_json::to_string_pretty(&settings).unwrap()).into_bytes();
    let env = world();
    env.write_settings(&original);
    let output = env.run(&["install"]).ok();
    assert_eq!(env.read_settings().unwrap(), original);
    assert!(env.settings_backups().is_empty());
    assert!(
        output.stdout.contains("hooks up to date"),
        "{}",
        output.stdout
    );
}

#[test]
fn json_parse_then_reserialise_would_have_changed_bytes_that_install_keeps() {
    // The reason for splicing instead of re-serialising: number spellings, escapes and spacing.
    let env = world();
    let original = fixture("unknown-top-level-keys.json");
    env.write_settings(&original);
    env.ok(&["install"]);
    let text = String::from_utf8(env.read_settings().unwrap()).unwrap();
    for kept in [
        "[1, 2.50, -0.0, 1e3, 1E-7, 12345678901234567890]",
        r#"\u00e9 \ud83d\ude00"#,
        r#"\/ slash"#,
        r#"{"a": [], "b": {}, "c": ""}"#,
    ] {
        assert!(text.contains(kept), "lost {kept}:\n{text}");
    }
}
