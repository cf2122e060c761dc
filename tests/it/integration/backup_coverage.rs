//! A daily backup holds every file of the project or says which it could not hold.

use super::world;
use crate::support::*;
use std::os::unix::ffi::OsStrExt;

#[test]
fn nested_repositories_are_backed_up_and_odd_names_are_reported() {
    let env = world("coverage");
    let repo = env.project.clone();
    env.ok(&["start", "coverage"]);
    // A clone inside the project that git shows only as `?? vendor/lib/`.
    let nested = repo.join("vendor/lib");
    std::fs::create_dir_all(&nested).unwrap();
    env.git_in(&nested, &["init", "-q"]);
    std::fs::write(nested.join("lib.rs"), "pub fn f() {}\n").unwrap();
    // A file whose name is not UTF-8.
    let odd = std::ffi::OsStr::from_bytes(b"n\xe9.txt");
    std::fs::write(repo.join(odd), "data\n").unwrap();

    let out = env.ok(&["backup", "daily"]);
    assert!(
        out.contains("n\u{fffd}.txt") && out.contains("not UTF-8"),
        "{out}"
    );
    let zip_path = env
        .project_dir()
        .join("backups/daily/2025-10-25/project.zip");
    let zip = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
    let names: Vec<String> = zip.file_names().map(|n| n.unwrap().to_string()).collect();
    assert!(
        names.contains(&"vendor/lib/lib.rs".to_string()),
        "{names:?}"
    );
    assert!(names.contains(&"README.md".to_string()), "{names:?}");
    assert!(!names.iter().any(|n| n.contains("/.git/")), "{names:?}");
    let manifest: serde_json::Value = serde_json::from_str(&read(
        &env.project_dir()
            .join("backups/daily/2025-10-25/manifest.json"),
    ))
    .unwrap();
    assert!(manifest.to_string().contains("not UTF-8"), "{manifest}");
}
