//! Hostile archives: every one is generated here, planted as a session backup, and must be
//! refused with the entry named, nothing written outside the target and nothing left behind.

use super::*;
use crate::support::*;
use std::fs;
use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};
use zip::write::SimpleFileOptions;

const EVIL_ID: &str = "2025-10-25-session-009-evil";

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        writer.start_file(*name, options).unwrap();
        writer.write_all(data).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// Plants `bytes` as the session backup of `EVIL_ID`; returns the project's state folder.
fn plant(env: &TestEnv, bytes: &[u8]) -> PathBuf {
    let dir = env.project_dir();
    let backups = dir.join("backups/sessions");
    fs::create_dir_all(&backups).unwrap();
    fs::write(backups.join(format!("{EVIL_ID}-backup.zip")), bytes).unwrap();
    dir
}

/// Every path below `dir`, relative.
fn listing(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            out.push(path.strip_prefix(dir).unwrap().display().to_string());
            if path.is_dir() && !path.is_symlink() {
                stack.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Restores the planted backup, expecting a refusal that names `entry`, and checks that
/// nothing changed anywhere in the temporary world (state root, project, home).
fn refused(env: &TestEnv, bytes: &[u8], entry: &str) -> String {
    let dir = plant(env, bytes);
    let before = listing(&env.root);
    let err = env.fails(&["restore", "backup", EVIL_ID]);
    assert!(err.contains(entry), "the refusal names `{entry}`: {err}");
    assert!(err.starts_with("claude-session: "), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
    // The folder restores go into may be made for the staging folder; it is left empty.
    let restored = dir.join("restored");
    let mut after = listing(&env.root);
    if restored.is_dir() && fs::read_dir(&restored).unwrap().next().is_none() {
        let empty = restored
            .strip_prefix(&env.root)
            .unwrap()
            .display()
            .to_string();
        after.retain(|p| *p != empty);
    }
    assert_eq!(after, before, "nothing written, nothing left");
    assert!(!dir.join(format!("restored/{EVIL_ID}-restored")).exists());
    err
}

#[test]
fn an_entry_climbing_out_with_dot_dot_is_refused() {
    let env = world();
    env.start("hostile");
    let bytes = zip_of(&[("session.yaml", b"ok"), ("../../escaped.txt", b"evil")]);
    refused(&env, &bytes, "../../escaped.txt");
    let bytes = zip_of(&[("notes/..\\..\\escaped.txt", b"evil")]);
    refused(&env, &bytes, "escaped.txt");
}

#[test]
fn an_entry_with_an_absolute_path_is_refused() {
    let env = world();
    env.start("hostile");
    let target = format!("/etc/claude-session-test-{}", std::process::id());
    let bytes = zip_of(&[("session.yaml", b"ok"), (target.as_str(), b"evil")]);
    let err = refused(&env, &bytes, &target);
    assert!(err.contains("absolute"), "{err}");
    assert!(!Path::new(&target).exists());
}

#[test]
fn a_symlink_entry_is_refused() {
    let env = world();
    env.start("hostile");
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default();
    writer.start_file("session.yaml", options).unwrap();
    writer.write_all(b"ok").unwrap();
    writer.add_symlink("link", "/etc", options).unwrap();
    writer.start_file("link/passwd", options).unwrap();
    writer.write_all(b"evil").unwrap();
    let bytes = writer.finish().unwrap().into_inner();
    let err = refused(&env, &bytes, "`link`");
    assert!(err.contains("symbolic link"), "{err}");
}

#[test]
fn a_zip_bomb_declaring_a_huge_size_is_refused_before_writing() {
    let env = world();
    env.start("hostile");
    env.config("[backups]\nmax_restore_bytes = 1048576\n");
    let zeros = vec![0u8; 64 << 20];
    let bytes = zip_of(&[("session.yaml", b"ok"), ("bomb.bin", &zeros)]);
    assert!(bytes.len() < 200_000, "a small archive: {}", bytes.len());
    let err = refused(&env, &bytes, "max_restore_bytes");
    assert!(err.contains("1048576"), "{err}");
}

#[test]
fn a_zip_bomb_lying_about_its_size_is_stopped_and_cleaned_up() {
    let env = world();
    env.start("hostile");
    let zeros = vec![0u8; 4 << 20];
    let mut bytes = zip_of(&[("bomb.bin", &zeros)]);
    // Patch the uncompressed size in the local header (offset 22) and the central directory
    // entry (offset 24) down to 100 bytes: the header now lies.
    assert_eq!(&bytes[..4], b"PK\x03\x04");
    bytes[22..26].copy_from_slice(&100u32.to_le_bytes());
    let central = bytes
        .windows(4)
        .position(|w| w == b"PK\x01\x02")
        .expect("central directory");
    bytes[central + 24..central + 28].copy_from_slice(&100u32.to_le_bytes());
    refused(&env, &bytes, "bomb.bin");
}

#[test]
fn an_archive_with_too_many_entries_is_refused() {
    let env = world();
    env.start("hostile");
    env.config("[backups]\nmax_restore_entries = 3\n");
    let names: Vec<String> = (0..5).map(|i| format!("f{i}.txt")).collect();
    let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b"x"[..])).collect();
    let err = refused(&env, &zip_of(&entries), "max_restore_entries");
    assert!(err.contains("5 entries"), "{err}");
}

#[test]
fn a_file_that_is_not_a_zip_is_refused_cleanly() {
    let env = world();
    env.start("hostile");
    refused(&env, b"this is not a zip archive at all", "zip");
}

#[test]
fn a_well_formed_archive_restores_with_modes_and_times() {
    let env = world();
    env.start("benign");
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let when = zip::DateTime::from_date_and_time(2024, 5, 6, 7, 8, 10).unwrap();
    let exec = SimpleFileOptions::default()
        .unix_permissions(0o755)
        .last_modified_time(when);
    writer.add_directory("empty/", exec).unwrap();
    writer.start_file("bin/run.sh", exec).unwrap();
    writer.write_all(b"#!/bin/sh\n").unwrap();
    writer
        .start_file(
            "setuid",
            SimpleFileOptions::default().unix_permissions(0o4755),
        )
        .unwrap();
    writer.write_all(b"x").unwrap();
    let bytes = writer.finish().unwrap().into_inner();
    let dir = plant(&env, &bytes);
    env.ok(&["restore", "backup", EVIL_ID]);
    let place = dir.join(format!("restored/{EVIL_ID}-restored"));
    assert_eq!(fs::read(place.join("bin/run.sh")).unwrap(), b"#!/bin/sh\n");
    assert_eq!(mode(&place.join("bin/run.sh")), 0o755);
    assert_eq!(
        mode(&place.join("setuid")),
        0o755,
        "no set-uid bit from an archive"
    );
    assert!(place.join("empty").is_dir());
    let modified = fs::metadata(place.join("bin/run.sh"))
        .unwrap()
        .modified()
        .unwrap();
    let expected = jiff::civil::date(2024, 5, 6)
        .at(7, 8, 10, 0)
        .to_zoned(jiff::tz::TimeZone::UTC)
        .unwrap()
        .timestamp();
    assert_eq!(jiff::Timestamp::try_from(modified).unwrap(), expected);
}
