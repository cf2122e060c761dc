//! Restores never lose the current state of a file, however its times were set.

use super::world;
use crate::support::*;

fn find_copies(dir: &std::path::Path, name: &str, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            find_copies(&path, name, out);
        } else if path.file_name().is_some_and(|n| n == name) {
            out.push(path);
        }
    }
}

#[test]
fn same_size_and_forged_mtime_still_count_as_changed() {
    let env = world("forged");
    let repo = env.project.clone();
    let id = started_id(&env.ok(&["start", "forged"]));
    let file = repo.join("f.txt");
    std::fs::write(&file, "AAAA\n").unwrap();
    env.ok(&["checkpoint", "first", "--files", "f.txt"]);
    let first_mtime = std::fs::metadata(&file).unwrap().modified().unwrap();

    // New bytes of the same size, with the old modification time put back (cp -p, touch -r).
    std::thread::sleep(std::time::Duration::from_millis(20));
    std::fs::write(&file, "BBBB\n").unwrap();
    std::fs::File::options()
        .write(true)
        .open(&file)
        .unwrap()
        .set_modified(first_mtime)
        .unwrap();
    env.at("2025-10-25T14:40:00");
    env.ok(&["checkpoint", "second", "--files", "f.txt"]);

    // Putting the first checkpoint back in place keeps BBBB in the safety checkpoint.
    env.at("2025-10-25T14:50:00");
    env.ok(&["restore", "checkpoint", &id, "checkpoint-001", "--in-place"]);
    assert_eq!(read(&file), "AAAA\n");
    let mut copies = Vec::new();
    find_copies(&env.active_dir(&id).join("snapshots"), "f.txt", &mut copies);
    let contents: Vec<String> = copies.iter().map(|p| read(p)).collect();
    assert_eq!(
        contents.iter().filter(|c| c.as_str() == "BBBB\n").count(),
        2,
        "the second and the safety checkpoint hold BBBB: {copies:?}"
    );
}

#[test]
fn restores_go_neither_into_git_nor_over_the_project() {
    let env = world("guarded");
    let repo = env.project.clone();
    let id = started_id(&env.ok(&["start", "guarded"]));
    std::fs::write(repo.join("notes.txt"), "v1\n").unwrap();
    std::fs::write(repo.join("RESTORED.txt"), "a project file\n").unwrap();
    env.ok(&["checkpoint", "v1", "--files", "notes.txt", "RESTORED.txt"]);
    std::fs::write(repo.join("notes.txt"), "v2 important\n").unwrap();
    let head = read(&repo.join(".git/HEAD"));

    for to in [".git", ".git/refs", "."] {
        let err = env.fails(&[
            "restore",
            "checkpoint",
            &id,
            "checkpoint-001",
            "--to",
            to,
            "--force",
        ]);
        assert!(err.contains("refusing"), "{to}: {err}");
        assert_eq!(err.lines().count(), 1);
    }
    assert_eq!(read(&repo.join(".git/HEAD")), head);
    assert_eq!(read(&repo.join("notes.txt")), "v2 important\n");

    // Into the default place: a project file named like our old marker comes back intact.
    env.ok(&["restore", "checkpoint", &id, "checkpoint-001"]);
    let restored = env
        .project_dir()
        .join(format!("restored/{id}-checkpoint-001-14-30-00-restored"));
    assert_eq!(read(&restored.join("RESTORED.txt")), "a project file\n");
    assert_eq!(read(&restored.join("notes.txt")), "v1\n");
    // Out of sessions/ (issue 10), so it is not listed as a session.
    assert!(
        !env.active_dir(&format!("{id}-checkpoint-001-14-30-00-restored"))
            .exists()
    );
    let list = env.ok(&["list"]);
    assert!(!list.contains("restored"), "{list}");
}

#[test]
fn lock_files_of_projects_and_users_survive_a_backup() {
    let env = world("locks");
    let id = started_id(&env.ok(&["start", "locks"]));
    let artifacts = env.active_dir(&id).join("artifacts");
    std::fs::write(artifacts.join("flake.lock"), "{\"nodes\":{}}\n").unwrap();
    std::fs::write(artifacts.join("empty.lock"), "").unwrap();
    env.ok(&["end", "--yes"]);
    env.ok(&["restore", "backup", &id]);
    let restored = env.project_dir().join(format!("restored/{id}-restored"));
    assert_eq!(
        read(&restored.join("artifacts/flake.lock")),
        "{\"nodes\":{}}\n"
    );
    assert!(restored.join("artifacts/empty.lock").is_file());
    // Our own sidecar locks are state, not content.
    assert!(!restored.join("session.yaml.lock").exists());
}

#[test]
fn checkpoint_copies_are_read_only_and_restores_bring_back_the_real_mode() {
    use std::os::unix::fs::PermissionsExt;
    let env = world("modes");
    let repo = env.project.clone();
    let id = started_id(&env.ok(&["start", "modes"]));
    let script = repo.join("run.sh");
    std::fs::write(&script, "#!/bin/sh\necho hi\n").unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    env.ok(&["checkpoint", "script", "--files", "run.sh"]);
    let mut copies = Vec::new();
    find_copies(
        &env.active_dir(&id).join("snapshots"),
        "run.sh",
        &mut copies,
    );
    let [copy] = copies.as_slice() else {
        panic!("{copies:?}")
    };
    let mode = std::fs::metadata(copy).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode & 0o222, 0, "copy is read-only: {mode:o}");
    std::fs::write(&script, "changed\n").unwrap();
    env.ok(&["restore", "checkpoint", &id, "checkpoint-001", "--in-place"]);
    assert_eq!(read(&script), "#!/bin/sh\necho hi\n");
    let restored = std::fs::metadata(&script).unwrap().permissions().mode() & 0o777;
    assert_eq!(restored, 0o755);
}
