//! Restores: checkpoints into a folder and in place, session backups into the seed's place.

use super::*;
use crate::support::*;
use std::collections::BTreeMap;
use std::fs;

/// What must not change in `.git` when files are restored in place.
fn git_state(env: &TestEnv) -> BTreeMap<String, String> {
    let git = env.project.join(".git");
    let mut state = digest_tree(&git.join("refs"));
    for name in ["index", "HEAD", "logs/refs/stash", "ORIG_HEAD"] {
        if let Ok(bytes) = fs::read(git.join(name)) {
            state.insert(name.to_string(), blake3::hash(&bytes).to_hex().to_string());
        }
    }
    state
}

#[test]
fn a_checkpoint_restores_into_the_restored_folder_and_never_over_an_existing_folder() {
    let env = world();
    let id = env.start("restore here");
    env.write("src/lib.rs", b"pub fn v1() {}\n");
    env.write("yarn.lock", b"# lock files are content\n");
    env.ok(&["checkpoint", "v1"]);
    let checkpoint = env.checkpoint_ids(&id).pop().unwrap();

    // Out of sessions/ (and so out of daily backups): <project state>/restored/.
    env.ok(&["restore", "checkpoint", &id, "1"]);
    let place = env
        .project_dir()
        .join("restored")
        .join(format!("{id}-{checkpoint}-restored"));
    let files = tree(&place);
    assert_eq!(files["src/lib.rs"], b"pub fn v1() {}\n");
    assert!(
        !files.contains_key(".claude-session-restored"),
        "no marker needed there"
    );
    assert!(
        !env.project_dir()
            .join("sessions/active")
            .join(place.file_name().unwrap())
            .exists()
    );

    // Not listed as a session.
    let list = env.json(&["list", "--all", "--json"]);
    assert_eq!(list["sessions"].as_array().unwrap().len(), 1);

    // Again: a new name, the first folder untouched, and the report says where and why.
    fs::write(place.join("my-notes.txt"), "mine").unwrap();
    let out = env.ok(&["restore", "checkpoint", &id, &checkpoint]);
    let second = place.with_file_name(format!("{id}-{checkpoint}-restored-2"));
    assert!(
        out.contains(&format!(
            "{} exists; restored into {} instead (--force writes into {})",
            place.display(),
            second.display(),
            place.display()
        )),
        "{out}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&env.ok(&["restore", "checkpoint", &id, &checkpoint, "--json"]))
            .unwrap();
    assert_eq!(json["requested"], place.display().to_string());
    assert_eq!(
        json["target"],
        place
            .with_file_name(format!("{id}-{checkpoint}-restored-3"))
            .display()
            .to_string()
    );
    assert_eq!(
        fs::read_to_string(place.join("my-notes.txt")).unwrap(),
        "mine"
    );
    assert!(second.join("src/lib.rs").exists());

    // --force writes into the existing folder, keeping what else is there.
    fs::write(place.join("src/lib.rs"), "edited").unwrap();
    fs::remove_file(place.join("yarn.lock")).unwrap();
    let out = env.ok(&["restore", "checkpoint", &id, &checkpoint, "--force"]);
    assert!(!out.contains("exists;"), "{out}");
    assert_eq!(
        fs::read(place.join("yarn.lock")).unwrap(),
        b"# lock files are content\n"
    );
    assert_eq!(
        fs::read(place.join("src/lib.rs")).unwrap(),
        b"pub fn v1() {}\n"
    );
    assert_eq!(
        fs::read_to_string(place.join("my-notes.txt")).unwrap(),
        "mine"
    );
    // Nothing half-written left beside the targets.
    let leftovers: Vec<String> = fs::read_dir(place.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // Asked into sessions/active/ all the same: marked as a copy, so never taken for a session.
    let inside = env.project_dir().join("sessions/active/copy-of-v1");
    env.ok(&[
        "restore",
        "checkpoint",
        &id,
        &checkpoint,
        "--to",
        inside.to_str().unwrap(),
    ]);
    let marker = fs::read_to_string(inside.join(".claude-session-restored")).unwrap();
    assert!(
        marker.contains(&checkpoint) && marker.contains(&id),
        "{marker}"
    );
    let list = env.json(&["list", "--all", "--json"]);
    assert_eq!(list["sessions"].as_array().unwrap().len(), 1);
}

#[test]
fn restore_to_an_existing_folder_says_where_it_went_and_why() {
    let env = world();
    let id = env.start("to dir");
    env.write("a.txt", b"a\n");
    env.ok(&["checkpoint"]);
    let taken = env.root.join("out");
    fs::create_dir_all(&taken).unwrap();
    fs::write(taken.join("keep.txt"), "mine").unwrap();
    let out = env.ok(&["restore", "checkpoint", &id, "1", "--to", "../out"]);
    assert!(
        out.contains(&format!(
            "{} exists; restored into {}-2 instead (--force writes into {})",
            taken.display(),
            taken.display(),
            taken.display()
        )),
        "{out}"
    );
    assert!(env.root.join("out-2/a.txt").exists());
    assert_eq!(fs::read_to_string(taken.join("keep.txt")).unwrap(), "mine");
    let dry = env.ok(&[
        "restore",
        "checkpoint",
        &id,
        "1",
        "--to",
        "../out",
        "--dry-run",
    ]);
    assert!(dry.contains("exists; would restore into"), "{dry}");
}

#[test]
fn in_place_restore_shows_the_plan_takes_a_safety_checkpoint_verifies_and_leaves_git_alone() {
    let env = world();
    // A stash and a staged change, so the index, refs and stash all have something to lose.
    env.write("README.md", b"# stashed edit\n");
    env.git(&["stash", "-q"]);
    env.write("staged.txt", b"staged\n");
    env.git(&["add", "staged.txt"]);

    let id = env.start("in place");
    env.write("src/main.rs", b"fn main() { v1(); }\n");
    env.write("src/new.rs", b"pub fn v1() {}\n");
    env.write("bin/blob", b"\x00\x01\x02\xff");
    env.ok(&["checkpoint", "good state"]);
    let good = env.checkpoint_ids(&id).pop().unwrap();

    // Later: edits gone wrong.
    env.write("src/main.rs", b"fn main() { broken(); }\n");
    fs::remove_file(env.project.join("src/new.rs")).unwrap();
    env.write("bin/blob", b"corrupted");
    let before_files = tree(&env.project.join("src"));
    let before_git = git_state(&env);

    let plan = env.ok(&[
        "restore",
        "checkpoint",
        &id,
        &good,
        "--in-place",
        "--dry-run",
    ]);
    assert!(plan.contains("modify  src/main.rs"), "{plan}");
    assert!(plan.contains("create  src/new.rs"), "{plan}");
    assert!(plan.contains("modify  bin/blob"), "{plan}");
    assert!(plan.contains("Dry run: nothing was changed."), "{plan}");
    assert_eq!(tree(&env.project.join("src")), before_files);
    assert_eq!(
        env.checkpoint_ids(&id).len(),
        1,
        "a dry run takes no checkpoint"
    );

    let out = env.ok(&["restore", "checkpoint", &id, &good, "--in-place"]);
    assert!(out.contains("every hash verified"), "{out}");
    assert_eq!(env.read_bytes("src/main.rs"), b"fn main() { v1(); }\n");
    assert_eq!(env.read_bytes("src/new.rs"), b"pub fn v1() {}\n");
    assert_eq!(env.read_bytes("bin/blob"), b"\x00\x01\x02\xff");
    assert_eq!(
        git_state(&env),
        before_git,
        "git's index, HEAD, refs, stash"
    );
    assert_eq!(env.read_bytes("staged.txt"), b"staged\n");

    // The safety checkpoint holds the state that was replaced.
    let ids = env.checkpoint_ids(&id);
    assert_eq!(ids.len(), 2);
    let safety = env.manifest(&id, &ids[1]);
    assert_eq!(safety["kind"], "safety");
    let safety_tree = env.snapshots(&id).join(&ids[1]);
    assert_eq!(
        fs::read(safety_tree.join("src/main.rs")).unwrap(),
        b"fn main() { broken(); }\n"
    );
    assert_eq!(
        fs::read(safety_tree.join("bin/blob")).unwrap(),
        b"corrupted"
    );
    assert_eq!(safety["deleted"], serde_json::json!(["src/new.rs"]));

    // Undo with the safety checkpoint: the broken state comes back, new.rs goes again.
    env.ok(&["restore", "checkpoint", &id, &ids[1], "--in-place"]);
    assert_eq!(env.read_bytes("src/main.rs"), b"fn main() { broken(); }\n");
    assert!(!env.project.join("src/new.rs").exists());
    assert_eq!(git_state(&env), before_git);

    // The hard-linked checkpoint copies were never written through.
    let good_tree = env.snapshots(&id).join(&good);
    assert_eq!(
        fs::read(good_tree.join("src/main.rs")).unwrap(),
        b"fn main() { v1(); }\n"
    );
}

#[test]
fn in_place_restore_with_nothing_to_change_changes_nothing() {
    let env = world();
    let id = env.start("noop");
    env.write("a.txt", b"same\n");
    env.ok(&["checkpoint"]);
    let out = env.ok(&["restore", "checkpoint", &id, "1", "--in-place"]);
    assert!(out.contains("Nothing to restore"), "{out}");
    assert_eq!(env.checkpoint_ids(&id).len(), 1);
}

#[test]
fn in_place_restore_refuses_to_write_through_a_symlinked_folder() {
    let env = world();
    let id = env.start("symlink");
    env.write("out/file.txt", b"inside\n");
    env.ok(&["checkpoint"]);
    let outside = env.root.join("outside");
    fs::create_dir_all(&outside).unwrap();
    fs::remove_dir_all(env.project.join("out")).unwrap();
    std::os::unix::fs::symlink(&outside, env.project.join("out")).unwrap();
    let err = env.fails(&["restore", "checkpoint", &id, "1", "--in-place"]);
    assert!(err.contains("symbolic link"), "{err}");
    assert!(fs::read_dir(&outside).unwrap().next().is_none());
}

#[test]
fn a_tampered_manifest_cannot_send_files_outside_the_project_or_into_git() {
    let env = world();
    let id = env.start("tamper");
    env.write("a.txt", b"a\n");
    env.ok(&["checkpoint"]);
    let checkpoint = env.checkpoint_ids(&id).pop().unwrap();
    let path = env
        .snapshots(&id)
        .join(format!("{checkpoint}.manifest.json"));
    let original = fs::read_to_string(&path).unwrap();
    for evil in ["../escaped.txt", ".git/hooks/pre-commit", "/tmp/abs.txt"] {
        fs::write(&path, original.replace("\"a.txt\"", &format!("\"{evil}\""))).unwrap();
        let err = env.fails(&["restore", "checkpoint", &id, &checkpoint, "--in-place"]);
        assert!(err.contains(evil), "{evil}: {err}");
    }
    assert!(!env.root.join("escaped.txt").exists());
    assert!(!env.project.join(".git/hooks/pre-commit").exists());
}

#[test]
fn a_damaged_checkpoint_copy_is_detected_and_nothing_is_left_behind() {
    let env = world();
    let id = env.start("damage");
    env.write("a.txt", b"original\n");
    env.ok(&["checkpoint"]);
    let checkpoint = env.checkpoint_ids(&id).pop().unwrap();
    let copy = env.snapshots(&id).join(&checkpoint).join("a.txt");
    fs::write(&copy, b"bit rot\n").unwrap();
    let err = env.fails(&["restore", "checkpoint", &id, &checkpoint, "--to", "../out"]);
    assert!(err.contains("does not match its recorded hash"), "{err}");
    assert!(!env.root.join("out").exists());
    let leftovers: Vec<_> = fs::read_dir(env.root)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_session_backup_restores_into_the_restored_folder_byte_for_byte() {
    let env = world();
    let id = env.start("backed up");
    env.write("src/x.rs", b"\xff\x00binary-ish\n");
    env.write(
        "Cargo.lock",
        b"# a project's lock file is content, not ours\n",
    );
    env.ok(&["checkpoint", "one"]);
    let checkpoint = env.checkpoint_ids(&id).pop().unwrap();
    fs::write(
        env.workspace(&id).join("notes/scratch.md"),
        "# notes\nkept\n",
    )
    .unwrap();
    let end = env.ok(&["end", "--yes", "--score", "8"]);
    assert!(end.contains("Backup:"), "{end}");
    let archived = env.workspace(&id);
    assert!(archived.ends_with(format!("sessions/archive/{id}")));

    let out = env.ok(&["restore", "backup", &id[..10]]);
    let place = env
        .project_dir()
        .join("restored")
        .join(format!("{id}-restored"));
    assert!(out.contains(&place.display().to_string()), "{out}");
    let restored = tree(&place);
    // Our own sidecar locks are state, not content; everything else comes back.
    let original: BTreeMap<String, Vec<u8>> = tree(&archived)
        .into_iter()
        .filter(|(k, _)| !k.ends_with(".lock") || k.starts_with("snapshots/"))
        .collect();
    assert!(original.contains_key(&format!("snapshots/{checkpoint}/Cargo.lock")));
    assert_eq!(restored, original);

    // Not a session; a second restore picks a new name.
    let list = env.json(&["list", "--all", "--json"]);
    assert_eq!(list["sessions"].as_array().unwrap().len(), 1);
    env.ok(&["restore", "backup", &id]);
    assert!(place.with_file_name(format!("{id}-restored-2")).is_dir());

    // --to somewhere else: no marker needed there.
    env.ok(&["restore", "backup", &id, "--to", "../elsewhere"]);
    let elsewhere = tree(&env.root.join("elsewhere"));
    assert!(!elsewhere.contains_key(".claude-session-restored"));
    assert_eq!(elsewhere, original);
}

#[test]
fn restore_backup_names_what_it_cannot_find() {
    let env = world();
    env.start("none");
    let err = env.fails(&["restore", "backup", "2031"]);
    assert!(err.contains("no session backup matches"), "{err}");
    let err = env.fails(&["restore", "checkpoint", "2025", "7"]);
    assert!(err.contains("no such checkpoint"), "{err}");
}

/// The archived workspace of `id` and its backup ZIP, as digests: an ended session is left as
/// it was backed up.
fn ended_state(env: &TestEnv, id: &str) -> (BTreeMap<String, String>, String) {
    let zip = env
        .project_dir()
        .join(format!("backups/sessions/{id}-backup.zip"));
    let zip = blake3::hash(&fs::read(zip).unwrap()).to_hex().to_string();
    (digest_tree(&env.archive_dir(id)), zip)
}

#[test]
fn an_ended_sessions_in_place_restore_keeps_its_safety_checkpoint_in_the_open_session() {
    let env = world();
    let ended = env.start("first");
    env.write("src/main.rs", b"fn main() { good(); }\n");
    env.ok(&["checkpoint", "good"]);
    env.ok(&["end", "--yes", "--score", "8"]);
    let before = ended_state(&env, &ended);

    let open = env.start("second");
    env.write("src/main.rs", b"fn main() { broken(); }\n");
    let out = env.ok(&["restore", "checkpoint", &ended, "1", "--in-place"]);
    assert_eq!(env.read_bytes("src/main.rs"), b"fn main() { good(); }\n");
    assert_eq!(
        ended_state(&env, &ended),
        before,
        "the ended session is untouched"
    );

    // The safety checkpoint is the open session's, and the report says so.
    let ids = env.checkpoint_ids(&open);
    assert_eq!(ids.len(), 1, "{out}");
    let safety = env.manifest(&open, &ids[0]);
    assert_eq!(safety["kind"], "safety");
    assert_eq!(
        fs::read(env.snapshots(&open).join(&ids[0]).join("src/main.rs")).unwrap(),
        b"fn main() { broken(); }\n"
    );
    assert!(
        out.contains(&format!(
            "🛟 Safety checkpoint: {} in the open session {open}, since {ended} has ended",
            ids[0]
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "claude-session restore checkpoint {open} {} --in-place",
            ids[0]
        )),
        "{out}"
    );

    // Undo as the report says.
    env.ok(&["restore", "checkpoint", &open, &ids[0], "--in-place"]);
    assert_eq!(env.read_bytes("src/main.rs"), b"fn main() { broken(); }\n");
    assert_eq!(ended_state(&env, &ended), before);
}

#[test]
fn an_ended_sessions_in_place_restore_with_no_open_session_uses_the_restore_safety_area() {
    let env = world();
    let ended = env.start("only");
    env.write("src/main.rs", b"fn main() { good(); }\n");
    env.ok(&["checkpoint", "--files", "src/main.rs"]);
    env.ok(&["end", "--yes", "--score", "8"]);
    let before = ended_state(&env, &ended);

    env.write("src/main.rs", b"fn main() { broken(); }\n");
    let out = env.run(&["restore", "checkpoint", &ended, "1", "--in-place", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&out.ok().stdout).unwrap();
    assert_eq!(env.read_bytes("src/main.rs"), b"fn main() { good(); }\n");
    assert_eq!(
        ended_state(&env, &ended),
        before,
        "the ended session is untouched"
    );

    // <project state>/restore-safety/<stamp>/: files/ and manifest.json.
    let area = env.project_dir().join("restore-safety");
    let place = area.join("2025-10-25-143000");
    assert_eq!(json["safety_session"], serde_json::Value::Null);
    assert_eq!(json["safety_path"], place.display().to_string());
    assert_eq!(json["safety_checkpoint"], "2025-10-25-143000");
    assert_eq!(
        fs::read(place.join("files/src/main.rs")).unwrap(),
        b"fn main() { broken(); }\n"
    );
    let manifest: serde_json::Value =
        serde_json::from_slice(&fs::read(place.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["kind"], "safety");
    assert_eq!(manifest["session"], ended.as_str());
    assert_eq!(manifest["files"][0]["path"], "src/main.rs");

    // The human report names the place.
    env.write("src/main.rs", b"fn main() { broken again(); }\n");
    let text = env.ok(&["restore", "checkpoint", &ended, "1", "--in-place"]);
    assert!(
        text.contains(&format!(
            "🛟 Safety copy: {} ({ended} has ended and no session is open",
            area.join("2025-10-25-143000-2").display()
        )),
        "{text}"
    );
    assert_eq!(ended_state(&env, &ended), before);
}
