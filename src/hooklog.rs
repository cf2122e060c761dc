//! `<root>/claude-session/logs/hooks.log`: one line per hook failure, rotated by size
//! (`hooks.log` → `hooks.log.1` → ... → `hooks.log.<keep>`, the oldest dropped).

use crate::error::Result;
use crate::paths::Layout;
use crate::store;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long a hook waits for another one that is rotating the log; then it just appends.
const ROTATE_WAIT: Duration = Duration::from_millis(50);

/// Rotation settings (`logs.max_bytes`, `logs.keep`).
#[derive(Debug, Clone, Copy)]
pub struct Rotation {
    pub max_bytes: u64,
    pub keep: usize,
}

impl Rotation {
    pub fn from_config(config: &crate::config::Config) -> Rotation {
        Rotation {
            max_bytes: config.logs.max_bytes,
            keep: config.logs.keep,
        }
    }
}

/// The name of the `n`th rotated log.
pub fn rotated(path: &Path, n: usize) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{n}"));
    path.with_file_name(name)
}

fn size_of(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

/// Appends one line (newlines inside it are flattened), rotating first when the log is full.
pub fn append(layout: &Layout, rotation: Rotation, line: &str) -> Result<()> {
    let path = layout.hooks_log();
    store::ensure_dir(&layout.logs_dir())?;
    let line: String = line
        .chars()
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    if size_of(&path) >= rotation.max_bytes {
        rotate(&path, rotation)?;
    }
    store::append_line(&path, &line)
}

fn rotate(path: &Path, rotation: Rotation) -> Result<()> {
    // Another hook rotating right now is fine: this line lands in whichever file is current.
    let Ok(_guard) = store::lock(path, ROTATE_WAIT) else {
        return Ok(());
    };
    if size_of(path) < rotation.max_bytes {
        return Ok(()); // rotated meanwhile
    }
    let keep = rotation.keep.max(1);
    store::remove_file(&rotated(path, keep))?;
    for n in (1..keep).rev() {
        let from = rotated(path, n);
        if from.exists() {
            store::rename(&from, &rotated(path, n + 1))?;
        }
    }
    store::rename(path, &rotated(path, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_rotates_and_keeps_only_the_configured_files() {
        let dir = tempfile::tempdir().unwrap();
        let layout = Layout {
            root: dir.path().to_path_buf(),
        };
        let rotation = Rotation {
            max_bytes: 100,
            keep: 2,
        };
        for n in 0..40 {
            append(&layout, rotation, &format!("line {n:02} with some padding")).unwrap();
        }
        let log = layout.hooks_log();
        assert!(size_of(&log) <= 100 + 30);
        assert!(rotated(&log, 1).exists());
        assert!(rotated(&log, 2).exists());
        assert!(!rotated(&log, 3).exists());
        let newest = std::fs::read_to_string(&log).unwrap();
        assert!(newest.ends_with("line 39 with some padding\n"));
        let older = std::fs::read_to_string(rotated(&log, 1)).unwrap();
        assert!(older.lines().all(|l| l.starts_with("line ")));
    }

    #[test]
    fn line_breaks_inside_a_message_stay_on_one_line() {
        let dir = tempfile::tempdir().unwrap();
        let layout = Layout {
            root: dir.path().to_path_buf(),
        };
        let rotation = Rotation {
            max_bytes: 1 << 20,
            keep: 3,
        };
        append(&layout, rotation, "a\nb\r\nc").unwrap();
        assert_eq!(
            std::fs::read_to_string(layout.hooks_log()).unwrap(),
            "a b  c\n"
        );
    }
}
