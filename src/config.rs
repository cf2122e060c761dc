//! `<root>/claude-session/config.toml`: every key optional, each with a built-in default.

use crate::error::{Error, Result};
use crate::paths::Layout;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// One setting a user may change: its key (`section.name`), default and meaning.
pub struct Setting {
    pub key: &'static str,
    pub default: i64,
    pub min: i64,
    pub max: i64,
    pub help: &'static str,
}

pub const SETTINGS: &[Setting] = &[
    Setting {
        key: "checkpoints.auto_minutes",
        default: 30,
        min: 0,
        max: 1440,
        help: "minutes of activity between automatic checkpoints (0 = off)",
    },
    Setting {
        key: "context.budget_bytes",
        default: 8192,
        min: 1024,
        max: 1_048_576,
        help: "size budget of context files and injected context",
    },
    Setting {
        key: "backups.keep_daily",
        default: 14,
        min: 1,
        max: 3650,
        help: "daily backups kept by `backup prune`",
    },
    Setting {
        key: "backups.max_restore_bytes",
        default: 4_294_967_296,
        min: 1_048_576,
        max: i64::MAX,
        help: "largest total size a restore unpacks",
    },
    Setting {
        key: "backups.max_restore_entries",
        default: 200_000,
        min: 1,
        max: 10_000_000,
        help: "most entries a restore unpacks",
    },
    Setting {
        key: "remind.default_minutes",
        default: 45,
        min: 1,
        max: 1440,
        help: "reminder interval used by `remind on`",
    },
    Setting {
        key: "locks.wait_ms",
        default: 5000,
        min: 10,
        max: 600_000,
        help: "how long a command waits for a busy state file",
    },
    Setting {
        key: "locks.hook_wait_ms",
        default: 200,
        min: 1,
        max: 200,
        help: "how long a hook waits for a busy state file",
    },
    Setting {
        key: "git.push_timeout_seconds",
        default: 60,
        min: 1,
        max: 3600,
        help: "time limit of `end --push`",
    },
    Setting {
        key: "logs.max_bytes",
        default: 1_048_576,
        min: 4096,
        max: 1_073_741_824,
        help: "size at which hooks.log is rotated",
    },
    Setting {
        key: "logs.keep",
        default: 3,
        min: 1,
        max: 100,
        help: "rotated hook logs kept",
    },
];

/// Where an effective value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Default,
    File(PathBuf),
}

#[derive(Debug, Clone)]
pub struct Config {
    values: Vec<(i64, Source)>,
    pub file: PathBuf,
}

impl Config {
    /// Built-in defaults only (hooks use this when they need no user setting).
    pub fn defaults(file: PathBuf) -> Config {
        Config {
            values: SETTINGS
                .iter()
                .map(|s| (s.default, Source::Default))
                .collect(),
            file,
        }
    }

    pub fn load(layout: &Layout) -> Result<Config> {
        let file = layout.config_file();
        let mut config = Config::defaults(file.clone());
        let text = match std::fs::read_to_string(&file) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(config),
            Err(e) => return Err(Error::io("read", &file, e)),
        };
        config.apply(&text, &file)?;
        Ok(config)
    }

    fn apply(&mut self, text: &str, file: &Path) -> Result<()> {
        let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
            Error::invalid(
                format!("config.toml does not parse: {}", e.message()),
                file.display(),
            )
        })?;
        for (section, body) in &table {
            let Some(body) = body.as_table() else {
                return Err(Error::invalid(
                    format!("`{section}` must be a [section]"),
                    file.display(),
                ));
            };
            for (name, value) in body {
                let key = format!("{section}.{name}");
                let Some(index) = SETTINGS.iter().position(|s| s.key == key) else {
                    eprintln!(
                        "claude-session: warning: unknown setting `{key}` ignored ({})",
                        file.display()
                    );
                    continue;
                };
                let setting = &SETTINGS[index];
                let number = value.as_integer().ok_or_else(|| {
                    Error::invalid(format!("`{key}` must be a whole number"), file.display())
                })?;
                if number < setting.min || number > setting.max {
                    return Err(Error::invalid(
                        format!(
                            "`{key}` must be between {} and {}",
                            setting.min, setting.max
                        ),
                        file.display(),
                    ));
                }
                self.values[index] = (number, Source::File(file.to_path_buf()));
            }
        }
        Ok(())
    }

    pub fn get(&self, key: &str) -> i64 {
        let index = SETTINGS
            .iter()
            .position(|s| s.key == key)
            .unwrap_or_else(|| unreachable!("unknown setting {key}"));
        self.values[index].0
    }

    pub fn entries(&self) -> impl Iterator<Item = (&'static Setting, i64, &Source)> {
        SETTINGS
            .iter()
            .zip(self.values.iter())
            .map(|(s, (v, src))| (s, *v, src))
    }

    pub fn lock_wait(&self) -> Duration {
        Duration::from_millis(self.get("locks.wait_ms") as u64)
    }
    pub fn hook_lock_wait(&self) -> Duration {
        Duration::from_millis(self.get("locks.hook_wait_ms") as u64)
    }
    pub fn context_budget(&self) -> usize {
        self.get("context.budget_bytes") as usize
    }
}
