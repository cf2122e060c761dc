//! Checkpoints: what they hold, byte-exact copies, deduplication, ids, session.yaml entries,
//! and the automatic mode.

use super::*;
use crate::support::*;
use std::fs;
use std::os::unix::fs::PermissionsExt;

fn paths(manifest: &serde_json::Value, key: &str) -> Vec<String> {
    manifest[key]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            f.get("path")
                .and_then(|p| p.as_str())
                .or_else(|| f.as_str())
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn binary_and_non_utf8_files_round_trip_byte_exact_with_their_modes() {
    let env = world();
    let id = env.start("binary files");
    let mut random = vec![0u8; 300_000];
    let mut x: u32 = 12345;
    for byte in random.iter_mut() {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        *byte = x as u8;
    }
    env.write("data/random.bin", &random);
    env.write("data/latin1.txt", b"caf\xe9 na\xefve \xff\xfe\x00\x01 end");
    env.write("data/empty", b"");
    env.write("tool.sh", b"#!/bin/sh\necho hi\n");
    fs::set_permissions(
        env.project.join("tool.sh"),
        fs::Permissions::from_mode(0o750),
    )
    .unwrap();
    env.write("secret.txt", b"read only\n");
    fs::set_permissions(
        env.project.join("secret.txt"),
        fs::Permissions::from_mode(0o400),
    )
    .unwrap();

    env.ok(&["checkpoint", "binary", "files"]);
    let checkpoint = env.checkpoint_ids(&id).pop().unwrap();
    let out = env.ok(&[
        "restore",
        "checkpoint",
        &id,
        &checkpoint,
        "--to",
        "../restored",
    ]);
    assert!(out.contains("every hash verified"), "{out}");

    let restored = env.root.join("restored");
    let got = tree(&restored);
    let want = [
        "data/random.bin",
        "data/latin1.txt",
        "data/empty",
        "tool.sh",
        "secret.txt",
    ];
    assert_eq!(got.len(), want.len(), "{:?}", got.keys());
    for path in want {
        assert_eq!(got[path], env.read_bytes(path), "{path} differs");
        assert_eq!(
            mode(&restored.join(path)),
            mode(&env.project.join(path)),
            "{path} mode"
        );
    }
    assert_eq!(mode(&restored.join("tool.sh")), 0o750);
    // The snapshot itself holds the same bytes under the seed's layout.
    let snap = env.snapshots(&id).join(&checkpoint);
    assert_eq!(fs::read(snap.join("data/random.bin")).unwrap(), random);
}

#[test]
fn changes_made_outside_the_edit_tools_are_caught_and_git_internals_are_not() {
    let env = world();
    fs::write(env.project.join(".gitignore"), "target/\n").unwrap();
    env.write("docs/guide.md", b"# guide\n");
    env.git(&["add", ".gitignore", "docs/guide.md"]);
    env.git(&["commit", "-q", "-m", "ignore"]);
    let id = env.start("bash changes");
    // What a shell command would do: nothing here goes through `track`.
    env.write(
        "src/main.rs",
        b"fn main() { println!(\"changed by sed\"); }\n",
    );
    env.write("generated/out.json", b"{\"made\": \"by a script\"}\n");
    fs::remove_file(env.project.join("README.md")).unwrap();
    env.write("target/debug/huge.o", b"ignored build output");
    // A session artifact is included even when git sees it unchanged.
    env.ok(&["track", "docs/guide.md"]);

    env.ok(&["checkpoint", "after", "bash"]);
    let checkpoint = env.checkpoint_ids(&id).pop().unwrap();
    let manifest = env.manifest(&id, &checkpoint);
    assert_eq!(
        paths(&manifest, "files"),
        vec!["docs/guide.md", "generated/out.json", "src/main.rs"]
    );
    assert_eq!(paths(&manifest, "deleted"), vec!["README.md"]);
    let snap = env.snapshots(&id).join(&checkpoint);
    assert!(!snap.join(".git").exists());
    assert!(!snap.join("target").exists());
    assert_eq!(
        fs::read(snap.join("src/main.rs")).unwrap(),
        env.read_bytes("src/main.rs")
    );
}

#[test]
fn a_state_root_inside_the_project_is_never_snapshotted() {
    // The state root lives in the project and git does not ignore it.
    let env = world_with_state_inside();
    let id = env.start("nested root");
    env.write("notes.md", b"work\n");
    env.ok(&["checkpoint"]);
    let checkpoint = env.checkpoint_ids(&id).pop().unwrap();
    let files = paths(&env.manifest(&id, &checkpoint), "files");
    assert_eq!(files, vec!["notes.md"]);
    // Even when named explicitly.
    let err = env.fails(&["checkpoint", "--files", ".claude-state"]);
    assert!(err.contains("never hold .git"), "{err}");
    let err = env.fails(&["checkpoint", "--files", ".git/HEAD"]);
    assert!(err.contains("never hold .git"), "{err}");
}

#[test]
fn an_unchanged_tree_checkpointed_again_adds_no_file_bytes() {
    let env = world();
    let id = env.start("dedup");
    for i in 0..200 {
        let body = format!("// file {i}\n{}\n", "let x = compute(y);\n".repeat(50 + i));
        env.write(&format!("src/gen/file_{i:03}.rs"), body.as_bytes());
    }
    env.ok(&["checkpoint", "first"]);
    let snapshots = env.snapshots(&id);
    let (inodes_1, bytes_1) = data_inodes(&snapshots);
    assert_eq!(inodes_1.len(), 200);
    assert!(bytes_1 > 200 * 1000, "{bytes_1}");

    let out = env.ok(&["checkpoint", "second"]);
    assert!(out.contains("new on disk: 0 B in 0 file(s)"), "{out}");
    let (inodes_2, bytes_2) = data_inodes(&snapshots);
    assert_eq!(inodes_2, inodes_1, "no new file inodes");
    assert_eq!(bytes_2, bytes_1, "no new allocated bytes");

    // One changed file costs exactly one new copy.
    env.write("src/gen/file_007.rs", b"// rewritten\n");
    env.ok(&["checkpoint", "third"]);
    let (inodes_3, _) = data_inodes(&snapshots);
    assert_eq!(inodes_3.len(), 201);
    let ids = env.checkpoint_ids(&id);
    let third = env.manifest(&id, &ids[2]);
    assert_eq!(third["new_files"], 1);
    assert_eq!(third["new_bytes"], 13);
    assert_eq!(third["files"].as_array().unwrap().len(), 200);

    // A file changed back to an earlier content links to that earlier copy.
    let original = format!("// file 7\n{}\n", "let x = compute(y);\n".repeat(57));
    env.write("src/gen/file_007.rs", original.as_bytes());
    env.ok(&["checkpoint", "fourth"]);
    assert_eq!(data_inodes(&snapshots).0.len(), 201);
}

#[test]
fn the_seed_checkpoint_entry_lands_in_session_yaml() {
    let env = world();
    let id = env.start("auth");
    env.write("src/auth.py", b"def login(): pass\n");
    env.write("tests/test_auth.py", b"def test_login(): pass\n");
    env.ok(&["checkpoint", "Auth", "logic", "implemented"]);
    env.write("tests/test_auth.py", b"def test_login(): assert True\n");
    env.ok(&[
        "checkpoint",
        "Tests passing",
        "--files",
        "tests/test_auth.py",
    ]);
    let yaml = fs::read_to_string(env.workspace(&id).join("session.yaml")).unwrap();
    let doc: serde_yaml_ng::Value = serde_yaml_ng::from_str(&yaml).unwrap();
    let checkpoints = serde_yaml_ng::to_string(&doc["checkpoints"]).unwrap();
    insta::assert_snapshot!(checkpoints);
    assert_eq!(doc["metrics"]["checkpoints"], 2);
}

#[test]
fn concurrent_processes_never_share_a_checkpoint_number() {
    let env = world();
    let id = env.start("race");
    env.write("a.txt", b"a\n");
    let spawned: Vec<_> = (0..4)
        .map(|i| {
            env.cmd(&["checkpoint", &format!("racer {i}")])
                .env("CLAUDE_SESSION_NOW", format!("2025-10-25T14:30:0{i}"))
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in spawned {
        assert!(child.wait().unwrap().success());
    }
    let ids = env.checkpoint_ids(&id);
    let mut numbers: Vec<&str> = ids.iter().map(|i| &i[11..14]).collect();
    numbers.sort();
    assert_eq!(numbers, vec!["001", "002", "003", "004"], "{ids:?}");
    let yaml = fs::read_to_string(env.workspace(&id).join("session.yaml")).unwrap();
    let doc: serde_yaml_ng::Value = serde_yaml_ng::from_str(&yaml).unwrap();
    assert_eq!(doc["checkpoints"].as_sequence().unwrap().len(), 4);
}

#[test]
fn checkpoints_lists_time_description_files_and_bytes() {
    let env = world();
    let id = env.start("listing");
    env.write("a.txt", b"12345");
    env.ok(&["checkpoint", "five bytes"]);
    let out = env.ok(&["checkpoints"]);
    assert!(out.contains("checkpoint-001-14-30-00"), "{out}");
    assert!(out.contains("2025-10-25 14:30:00"), "{out}");
    assert!(out.contains("five bytes"), "{out}");
    let json = env.json(&["checkpoints", &id, "--json"]);
    let first = &json["checkpoints"][0];
    assert_eq!(first["files"], 1);
    assert_eq!(first["bytes"], 5);
    assert_eq!(first["description"], "five bytes");
}

#[test]
fn checkpoint_refuses_ended_sessions_and_missing_files() {
    let env = world();
    let id = env.start("errors");
    let err = env.fails(&["checkpoint", "--files", "nope.txt"]);
    assert!(err.contains("no such file"), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    env.ok(&["end", "--yes", "--no-backup"]);
    let err = env.fails(&["checkpoint", "--session", &id]);
    assert!(err.contains("has ended"), "{err}");
}

#[test]
fn auto_checkpoints_only_when_due_and_after_activity() {
    let env = world();
    let id = env.start("auto");
    env.write("work.txt", b"v1\n");

    // Too early: silent, nothing taken.
    env.at("2025-10-25T14:45:00");
    env.ok(&["track", "work.txt"]);
    assert_eq!(env.ok(&["checkpoint", "--auto"]), "");
    assert!(env.checkpoint_ids(&id).is_empty());

    // Due (30 min since start) and there was activity: one is taken.
    env.at("2025-10-25T15:01:00");
    let out = env.ok(&["checkpoint", "--auto", "--session", &id]);
    assert!(out.contains("Automatic checkpoint"), "{out}");
    let ids = env.checkpoint_ids(&id);
    assert_eq!(ids, vec!["checkpoint-001-15-01-00"]);
    assert_eq!(env.manifest(&id, &ids[0])["kind"], "auto");

    // Due again by the clock, but nothing happened since: nothing taken.
    env.at("2025-10-25T16:00:00");
    assert_eq!(env.ok(&["checkpoint", "--auto"]), "");
    assert_eq!(env.checkpoint_ids(&id).len(), 1);

    // Activity, and 30 minutes since the last checkpoint: taken.
    env.at("2025-10-25T16:10:00");
    env.write("work.txt", b"v2\n");
    env.ok(&["track", "work.txt"]);
    env.at("2025-10-25T16:11:00");
    assert!(!env.ok(&["checkpoint", "--auto"]).is_empty());
    assert_eq!(env.checkpoint_ids(&id).len(), 2);

    // Switched off in the config: never.
    env.config("[checkpoints]\nauto_minutes = 0\n");
    env.at("2025-10-25T18:00:00");
    env.ok(&["track", "work.txt"]);
    env.at("2025-10-25T19:00:00");
    assert_eq!(env.ok(&["checkpoint", "--auto"]), "");
    assert_eq!(env.checkpoint_ids(&id).len(), 2);
}

#[test]
fn auto_mode_is_silent_without_a_session() {
    let env = world();
    let out = env.run(&["checkpoint", "--auto"]).ok();
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
    let out = env
        .run(&[
            "checkpoint",
            "--auto",
            "--session",
            "2099-01-01-session-001",
        ])
        .ok();
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
}

#[test]
fn outside_git_a_checkpoint_holds_the_sessions_artifacts_and_what_it_held_before() {
    let env = bare_world();
    let id = env.start("no git");
    env.write("draft.md", b"first draft\n");
    env.write("untouched.md", b"not part of the session\n");
    env.ok(&["track", "draft.md"]);
    env.ok(&["checkpoint"]);
    env.write("draft.md", b"second draft\n");
    env.write("extra.txt", b"named explicitly\n");
    env.ok(&["checkpoint", "--files", "extra.txt"]);
    env.ok(&["checkpoint"]);
    let ids = env.checkpoint_ids(&id);
    assert_eq!(
        paths(&env.manifest(&id, &ids[0]), "files"),
        vec!["draft.md"]
    );
    assert_eq!(
        paths(&env.manifest(&id, &ids[1]), "files"),
        vec!["extra.txt"]
    );
    // The default set carries over what the previous checkpoint held.
    assert_eq!(
        paths(&env.manifest(&id, &ids[2]), "files"),
        vec!["draft.md", "extra.txt"]
    );
    let snap = env.snapshots(&id).join(&ids[2]);
    assert_eq!(fs::read(snap.join("draft.md")).unwrap(), b"second draft\n");
}

#[test]
fn env_files_are_copied_and_said_once_and_outside_artifacts_are_listed_as_not_copied() {
    let env = world();
    let id = env.start("secrets");
    env.write(".env", b"API_KEY=abc\n");
    env.write("app/.env.local", b"TOKEN=def\n");
    env.write("src/env.rs", b"// not an env file\n");
    let outside = env.root.join("elsewhere/notes.md");
    fs::create_dir_all(outside.parent().unwrap()).unwrap();
    fs::write(&outside, "outside\n").unwrap();
    env.ok(&["track", outside.to_str().unwrap(), "--outside"]);

    let out = env.ok(&["checkpoint", "with secrets"]);
    assert_eq!(
        out.matches("🔒 .env files included: .env, app/.env.local — this checkpoint holds secrets; it stays on this machine\n")
            .count(),
        1,
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "↗️ Not copied: {} (outside the project; a checkpoint holds the project's files only)",
            outside.display()
        )),
        "{out}"
    );
    // The .env files are in the checkpoint all the same: a checkpoint must be complete.
    let checkpoint = env.checkpoint_ids(&id).pop().unwrap();
    let tree = env.snapshots(&id).join(&checkpoint);
    assert_eq!(fs::read(tree.join(".env")).unwrap(), b"API_KEY=abc\n");
    assert_eq!(
        fs::read(tree.join("app/.env.local")).unwrap(),
        b"TOKEN=def\n"
    );
    let manifest = env.manifest(&id, &checkpoint);
    assert_eq!(
        manifest["outside_project"],
        serde_json::json!([outside.display().to_string()])
    );

    let json = env.json(&["checkpoint", "again", "--json"]);
    assert_eq!(
        json["env_files"],
        serde_json::json!([".env", "app/.env.local"])
    );
    assert_eq!(
        json["not_copied"],
        serde_json::json!([{
            "path": outside.display().to_string(),
            "reason": "outside the project; a checkpoint holds the project's files only"
        }])
    );

    // Without either, the report is as it was.
    let env = world();
    env.start("plain");
    env.write("a.txt", b"a\n");
    let out = env.ok(&["checkpoint"]);
    assert!(!out.contains("🔒") && !out.contains("Not copied"), "{out}");
}
