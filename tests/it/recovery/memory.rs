//! Backups keep memory bounded whatever the tree holds (issue 10): files are streamed, and only
//! a few compressed batches exist at once.

use super::*;
use crate::support::*;
use std::path::Path;

/// Bytes that do not compress (xorshift), so a compressed copy is as large as the file.
fn noise(len: usize, seed: u32) -> Vec<u8> {
    let mut x = seed.max(1);
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            x as u8
        })
        .collect()
}

#[test]
fn a_backup_of_large_incompressible_files_stays_within_a_bounded_memory() {
    // GNU time reports the peak RSS of the command; without it there is nothing to measure.
    let time = Path::new("/usr/bin/time");
    if !time.exists() {
        eprintln!("skipped: /usr/bin/time is not installed");
        return;
    }
    let env = world();
    // 4 × 16 MB: held in memory whole (and again compressed), these alone are 64 MB or more.
    for n in 0..4u32 {
        env.write(&format!("data/blob-{n}.bin"), noise(16_000_000, n + 7));
    }
    let report = env.root.join("peak-rss.txt");
    let out = env
        .command(time)
        .args(["-f", "%M", "-o"])
        .arg(&report)
        .args([BIN, "backup", "milestone", "memory"])
        .capture()
        .ok();
    assert!(out.stdout.contains("Milestone backup"), "{}", out.stdout);
    let kib: u64 = std::fs::read_to_string(&report)
        .unwrap()
        .lines()
        .last()
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(
        kib < 48 * 1024,
        "backup milestone of 64 MB peaked at {} MiB",
        kib / 1024
    );
}
