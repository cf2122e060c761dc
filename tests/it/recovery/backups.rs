//! Daily and milestone backups, their manifest, the unchanged fast path, listing and pruning.

use super::*;
use crate::support::*;
use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::Path;

fn unzip(path: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut archive = zip::ZipArchive::new(fs::File::open(path).unwrap()).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        out.insert(entry.name().unwrap().to_string(), bytes);
    }
    out
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&fs::read(path).unwrap()).unwrap()
}

fn names(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    out.sort();
    out
}

#[test]
fn a_daily_backup_holds_the_project_the_sessions_and_the_seeds_manifest() {
    let env = world_with_state_inside();
    fs::write(env.project.join(".gitignore"), "build/\n").unwrap();
    env.git(&["add", ".gitignore"]);
    env.git(&["commit", "-q", "-m", "ignore build"]);
    env.write("build/out.o", b"ignored");
    env.write("notes/todo.md", b"untracked, not ignored\n");
    env.write("assets/logo.bin", b"\x89PNG\x00\xff");
    let id = env.start("daily");
    env.ok(&["checkpoint", "before end"]);
    env.ok(&["end", "--yes", "--score", "7"]);

    let out = env.run(&["backup", "daily"]).ok();
    let dir = env.project_dir().join("backups/daily/2025-10-25");
    assert_eq!(
        names(&dir),
        vec!["manifest.json", "project.zip", "sessions.zip"]
    );

    let expected_files = [
        ".gitignore",
        "README.md",
        "assets/logo.bin",
        "notes/todo.md",
        "src/main.rs",
    ];
    let project_zip = unzip(&dir.join("project.zip"));
    assert_eq!(
        project_zip.keys().cloned().collect::<Vec<_>>(),
        expected_files
    );
    for (path, bytes) in &project_zip {
        assert_eq!(bytes, &env.read_bytes(path), "{path}");
    }

    let sessions_zip = unzip(&dir.join("sessions.zip"));
    assert!(sessions_zip.contains_key(&format!("sessions/archive/{id}/session.yaml")));
    assert!(sessions_zip.contains_key("session-summaries/2025-10-25.md"));
    assert!(
        sessions_zip
            .keys()
            .any(|k| k.contains("/snapshots/checkpoint-001-14-30-00/"))
    );

    let manifest = json(&dir.join("manifest.json"));
    assert_eq!(manifest["version"], 1);
    assert_eq!(manifest["date"], "2025-10-25");
    assert_eq!(manifest["timestamp"], "2025-10-25T14:30:00");
    assert_eq!(manifest["backup_path"], dir.display().to_string());
    assert_eq!(
        manifest["items_backed_up"],
        serde_json::json!([
            ".gitignore",
            "README.md",
            "assets",
            "notes",
            "session-summaries",
            "sessions",
            "src"
        ])
    );
    let files = manifest["files"].as_array().unwrap();
    assert_eq!(files.len(), expected_files.len());
    for file in files {
        let path = file["path"].as_str().unwrap();
        let on_disk = env.project.join(path);
        let meta = fs::metadata(&on_disk).unwrap();
        assert_eq!(file["size"], meta.len(), "{path}");
        let mtime: jiff::Timestamp = file["mtime"].as_str().unwrap().parse().unwrap();
        assert_eq!(
            mtime,
            jiff::Timestamp::try_from(meta.modified().unwrap()).unwrap()
        );
        assert_eq!(
            file["blake3"],
            blake3::hash(&fs::read(&on_disk).unwrap())
                .to_hex()
                .to_string()
        );
    }
    assert!(!manifest["session_files"].as_array().unwrap().is_empty());

    // Its size said up front on stderr, alone: no progress bar when stderr is not a terminal.
    let all: Vec<&serde_json::Value> = files
        .iter()
        .chain(manifest["session_files"].as_array().unwrap())
        .collect();
    let bytes: u64 = all.iter().map(|f| f["size"].as_u64().unwrap()).sum();
    let kib = format!("{:.1} KiB", bytes as f64 / 1024.0);
    assert_eq!(
        out.stderr,
        format!(
            "📦 Backing up {} file(s), {kib}, into {}\n",
            all.len(),
            dir.display()
        )
    );
}

#[test]
fn the_same_day_unchanged_says_so_and_a_changed_project_gets_a_new_folder() {
    let env = world();
    let first = env.ok(&["backup", "daily"]);
    assert!(first.contains("Daily backup:"), "{first}");
    let daily = env.project_dir().join("backups/daily");
    let original_manifest = fs::read(daily.join("2025-10-25/manifest.json")).unwrap();

    env.at("2025-10-25T18:00:00");
    let again = env.ok(&["backup", "daily"]);
    assert!(again.contains("unchanged"), "{again}");
    assert_eq!(names(&daily), vec!["2025-10-25"]);

    env.write("src/main.rs", b"fn main() { changed(); }\n");
    let changed = env.ok(&["backup", "daily"]);
    assert!(changed.contains("2025-10-25-2"), "{changed}");
    assert!(changed.contains("which is kept"), "{changed}");
    assert_eq!(names(&daily), vec!["2025-10-25", "2025-10-25-2"]);
    assert_eq!(
        fs::read(daily.join("2025-10-25/manifest.json")).unwrap(),
        original_manifest,
        "the earlier backup is never replaced"
    );
    let newer = unzip(&daily.join("2025-10-25-2/project.zip"));
    assert_eq!(newer["src/main.rs"], b"fn main() { changed(); }\n");

    // Unchanged compares with the day's latest backup.
    assert!(env.ok(&["backup", "daily"]).contains("unchanged"));
    // A new file is a change too.
    env.write("new.txt", b"new\n");
    assert!(env.ok(&["backup", "daily"]).contains("2025-10-25-3"));
    // So is a new day.
    env.at("2025-10-26T09:00:00");
    assert!(env.ok(&["backup", "daily"]).contains("daily/2025-10-26"));
}

#[test]
fn outside_git_every_file_not_ignored_is_backed_up() {
    let env = bare_world();
    env.write(".gitignore", b"*.log\n");
    env.write("doc.md", b"# doc\n");
    env.write("debug.log", b"noise");
    env.write("deep/er/file.txt", b"deep\n");
    env.ok(&["backup", "daily"]);
    let dir = env.project_dir().join("backups/daily/2025-10-25");
    let files = unzip(&dir.join("project.zip"));
    assert_eq!(
        files.keys().cloned().collect::<Vec<_>>(),
        vec![".gitignore", "deep/er/file.txt", "doc.md"]
    );
}

#[test]
fn milestones_are_sanitised_never_overwritten_and_listed_with_the_rest() {
    let env = world();
    let id = env.start("listed");
    env.ok(&["end", "--yes", "--score", "9"]);
    env.ok(&["backup", "daily"]);
    let out = env.ok(&["backup", "milestone", "v1.0 release!"]);
    assert!(out.contains("milestones/v1.0-release"), "{out}");
    let dir = env.project_dir().join("backups/milestones/v1.0-release");
    let manifest_before = fs::read(dir.join("manifest.json")).unwrap();
    assert_eq!(json(&dir.join("manifest.json"))["kind"], "milestone");

    env.write("README.md", b"# changed after the milestone\n");
    let err = env.fails(&["backup", "milestone", "v1.0-release"]);
    assert!(err.contains("never overwritten"), "{err}");
    assert_eq!(
        fs::read(dir.join("manifest.json")).unwrap(),
        manifest_before
    );
    let err = env.fails(&["backup", "milestone", "../.."]);
    assert!(err.contains("needs a name"), "{err}");

    let listing = env.json(&["backups", "--json"]);
    let rows = listing["backups"].as_array().unwrap();
    let kinds: Vec<&str> = rows.iter().map(|r| r["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, vec!["session", "daily", "milestone"]);
    assert_eq!(rows[0]["name"], format!("{id}-backup.zip"));
    assert_eq!(rows[2]["name"], "v1.0-release");
    for row in rows {
        assert!(row["size"].as_u64().unwrap() > 0, "{row}");
        assert_eq!(row["date"], "2025-10-25");
    }
    let table = env.ok(&["backups"]);
    assert!(table.starts_with("KIND"), "{table}");
    assert!(table.contains("v1.0-release"), "{table}");
}

#[test]
fn prune_removes_the_oldest_days_prints_and_logs_each_and_never_touches_milestones() {
    let env = world();
    for day in ["2025-10-20", "2025-10-21", "2025-10-22", "2025-10-23"] {
        env.at(&format!("{day}T10:00:00"));
        env.write("day.txt", day.as_bytes());
        env.ok(&["backup", "daily"]);
    }
    // Two backups on the 21st: a day counts as one.
    env.at("2025-10-21T12:00:00");
    env.write("day.txt", b"second run");
    env.ok(&["backup", "daily"]);
    env.ok(&["backup", "milestone", "old-milestone"]);
    let daily = env.project_dir().join("backups/daily");
    assert_eq!(
        names(&daily),
        vec![
            "2025-10-20",
            "2025-10-21",
            "2025-10-21-2",
            "2025-10-22",
            "2025-10-23"
        ]
    );

    let out = env.ok(&["backup", "prune", "--keep-daily", "2"]);
    let removed: Vec<&str> = out
        .lines()
        .filter_map(|l| l.strip_prefix("🗑️ Removed "))
        .collect();
    let expected: Vec<String> = ["2025-10-20", "2025-10-21", "2025-10-21-2"]
        .iter()
        .map(|n| daily.join(n).display().to_string())
        .collect();
    assert_eq!(removed.len(), 3, "{out}");
    for (line, path) in removed.iter().zip(&expected) {
        assert!(line.starts_with(path.as_str()), "{line} vs {path}");
    }
    assert_eq!(names(&daily), vec!["2025-10-22", "2025-10-23"]);
    assert!(
        env.project_dir()
            .join("backups/milestones/old-milestone/manifest.json")
            .exists()
    );
    let log = fs::read_to_string(env.state.join("claude-session/logs/backups.log")).unwrap();
    assert_eq!(log.lines().count(), 3, "{log}");
    for path in &expected {
        assert!(log.contains(&format!("prune removed {path} (")), "{log}");
    }

    // The config's keep_daily applies without the flag.
    env.config("[backups]\nkeep_daily = 1\n");
    let out = env.ok(&["backup", "prune"]);
    assert!(out.contains("2025-10-22"), "{out}");
    assert_eq!(names(&daily), vec!["2025-10-23"]);
    let out = env.ok(&["backup", "prune"]);
    assert!(out.starts_with("Nothing to prune"), "{out}");
    let err = env.fails(&["backup", "prune", "--keep-daily", "0"]);
    assert!(
        err.contains("--keep-daily") && err.contains("from 1 to"),
        "{err}"
    );
    assert_eq!(tree(&daily).len(), 3, "the last backup is intact");
}

#[test]
fn on_a_terminal_a_backup_says_its_size_and_draws_a_progress_bar() {
    // `script` (util-linux) runs the command on a pseudo-terminal and records what it drew.
    let script = Path::new("/usr/bin/script");
    if !script.exists() {
        eprintln!("skipped: /usr/bin/script is not installed");
        return;
    }
    let env = world();
    env.write("data/big.bin", vec![7u8; 6 << 20]);
    let screen = env.root.join("screen.txt");
    let report = env.root.join("report.txt");
    let command = format!(
        "{} backup daily > {}",
        crate::support::BIN,
        report.display()
    );
    let out = env
        .command(script)
        // A terminal has a TERM; without one, nothing is drawn.
        .env("TERM", "xterm")
        .args(["-qec", &command])
        .arg(&screen)
        .capture();
    assert_eq!(out.code, 0, "{}", out.stderr);
    let drawn = String::from_utf8_lossy(&fs::read(&screen).unwrap()).into_owned();
    assert!(
        drawn.contains("📦 Backing up 3 file(s), 6.0 MiB, into"),
        "{drawn}"
    );
    assert!(drawn.contains("backup ["), "a progress bar: {drawn}");
    assert!(drawn.contains("B/6.00 MiB"), "counted in bytes: {drawn}");
    let report = fs::read_to_string(report).unwrap();
    assert!(report.starts_with("✅ Daily backup:"), "{report}");
    assert!(
        !report.contains("backup ["),
        "the report is plain: {report}"
    );
}
