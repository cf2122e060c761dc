//! `<root>/claude-session/config.toml`: typed settings in sections, every key optional with a
//! built-in default, each one overridable by an environment variable
//! `CLAUDE_SESSION_<SECTION>_<KEY>` (`CLAUDE_SESSION_LOCKS_WAIT_MS=50`).
//!
//! The sections are plain serde structs ([`Config`]); [`KEYS`] lists every key once more with
//! its help text and range, so that an unknown key is a warning that names it and an invalid
//! value an error that names the key and the file (or variable) it came from.

use crate::error::{Error, Result};
use crate::paths::Layout;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Every setting, in sections; a missing section or key takes its default.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    pub checkpoints: CheckpointSettings,
    pub context: ContextSettings,
    pub backups: BackupSettings,
    pub remind: RemindSettings,
    pub locks: LockSettings,
    pub git: GitSettings,
    pub logs: LogSettings,
    pub handoff: HandoffSettings,
    pub sync: SyncSettings,
    pub tracker: TrackerSettings,
    pub auto: AutoSettings,
    /// Where the values came from; not a setting.
    #[serde(skip)]
    origin: Origin,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CheckpointSettings {
    /// Minutes of activity between automatic checkpoints; 0 turns them off.
    pub auto_minutes: u32,
}

impl Default for CheckpointSettings {
    fn default() -> Self {
        CheckpointSettings { auto_minutes: 30 }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ContextSettings {
    pub budget_bytes: usize,
}

impl Default for ContextSettings {
    fn default() -> Self {
        ContextSettings { budget_bytes: 8192 }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BackupSettings {
    pub keep_daily: usize,
    pub max_restore_bytes: u64,
    pub max_restore_entries: u64,
}

impl Default for BackupSettings {
    fn default() -> Self {
        BackupSettings {
            keep_daily: 14,
            max_restore_bytes: 4_294_967_296,
            max_restore_entries: 200_000,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RemindSettings {
    pub default_minutes: u64,
}

impl Default for RemindSettings {
    fn default() -> Self {
        RemindSettings {
            default_minutes: 45,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LockSettings {
    pub wait_ms: u64,
    pub hook_wait_ms: u64,
}

impl Default for LockSettings {
    fn default() -> Self {
        LockSettings {
            wait_ms: 5000,
            hook_wait_ms: 200,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct GitSettings {
    pub push_timeout_seconds: u64,
}

impl Default for GitSettings {
    fn default() -> Self {
        GitSettings {
            push_timeout_seconds: 60,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct LogSettings {
    pub max_bytes: u64,
    pub keep: usize,
}

impl Default for LogSettings {
    fn default() -> Self {
        LogSettings {
            max_bytes: 1_048_576,
            keep: 3,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct HandoffSettings {
    pub backend: HandoffBackend,
    pub onepassword: OnePasswordSettings,
}

/// Where handoff items are kept.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum HandoffBackend {
    /// Files under `<root>/claude-session/handoff/`.
    #[default]
    #[serde(rename = "file")]
    File,
    /// A 1Password vault, through the `op` CLI.
    #[serde(rename = "1password")]
    OnePassword,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OnePasswordSettings {
    /// The vault to use; `None`: the account's default vault.
    pub vault: Option<String>,
    /// Time limit of each `op` call.
    pub timeout_seconds: u64,
}

impl Default for OnePasswordSettings {
    fn default() -> Self {
        OnePasswordSettings {
            vault: None,
            timeout_seconds: 20,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SyncSettings {
    pub remote: String,
}

impl Default for SyncSettings {
    fn default() -> Self {
        SyncSettings {
            remote: "origin".to_string(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TrackerSettings {
    pub url: Option<HttpUrl>,
    pub token_file: Option<PathBuf>,
    /// Also queue a record at `pause` (not only at `end`).
    pub on_pause: bool,
    /// Time limit of one request to the tracker.
    pub timeout_seconds: u64,
}

impl Default for TrackerSettings {
    fn default() -> Self {
        TrackerSettings {
            url: None,
            token_file: None,
            on_pause: false,
            timeout_seconds: 10,
        }
    }
}

/// An `http://` or `https://` URL with a host; checked when the settings are read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct HttpUrl(String);

impl HttpUrl {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for HttpUrl {
    type Error = String;

    fn try_from(text: String) -> std::result::Result<Self, String> {
        let lower = text.to_ascii_lowercase();
        let rest = lower
            .strip_prefix("https://")
            .or_else(|| lower.strip_prefix("http://"));
        let host = rest.map(|rest| rest.split(['/', '?', '#']).next().unwrap_or(""));
        match host {
            Some(host) if !host.is_empty() && !text.chars().any(char::is_whitespace) => {
                Ok(HttpUrl(text))
            }
            _ => Err(format!(
                "must be an http:// or https:// URL with a host, not `{text}`"
            )),
        }
    }
}

impl From<HttpUrl> for String {
    fn from(url: HttpUrl) -> String {
        url.0
    }
}

impl std::fmt::Display for HttpUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a key's value must satisfy beyond its type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// Only the type (and the type's own rules, e.g. a URL).
    Type,
    /// A whole number within these bounds.
    Range(i64, i64),
    /// A string that is not empty.
    NotEmpty,
}

/// Auto mode: the session-manager skill starting, checkpointing and wrapping up on its own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AutoSettings {
    pub enabled: bool,
}

impl Default for AutoSettings {
    fn default() -> Self {
        AutoSettings { enabled: true }
    }
}

/// One key a user may set: `section.name` (or `section.sub.name`), its meaning and its check.
#[derive(Debug)]
pub struct Key {
    pub key: &'static str,
    pub help: &'static str,
    pub check: Check,
}

impl Key {
    /// The environment variable that overrides the key: `CLAUDE_SESSION_LOCKS_WAIT_MS`.
    pub fn env_var(&self) -> String {
        format!(
            "CLAUDE_SESSION_{}",
            self.key.replace('.', "_").to_ascii_uppercase()
        )
    }
}

/// Every key of [`Config`], in the order `claude-session config` prints them.
pub const KEYS: &[Key] = &[
    Key {
        key: "checkpoints.auto_minutes",
        help: "minutes of activity between automatic checkpoints (0 = off)",
        check: Check::Range(0, 1440),
    },
    Key {
        key: "context.budget_bytes",
        help: "size budget of context files and injected context",
        check: Check::Range(1024, 1_048_576),
    },
    Key {
        key: "backups.keep_daily",
        help: "daily backups kept by `backup prune`",
        check: Check::Range(1, 3650),
    },
    Key {
        key: "backups.max_restore_bytes",
        help: "largest total size a restore unpacks",
        check: Check::Range(1_048_576, i64::MAX),
    },
    Key {
        key: "backups.max_restore_entries",
        help: "most entries a restore unpacks",
        check: Check::Range(1, 10_000_000),
    },
    Key {
        key: "remind.default_minutes",
        help: "reminder interval used by `remind on`",
        check: Check::Range(1, 1440),
    },
    Key {
        key: "locks.wait_ms",
        help: "how long a command waits for a busy state file",
        check: Check::Range(10, 600_000),
    },
    Key {
        key: "locks.hook_wait_ms",
        help: "how long a hook waits for a busy state file",
        check: Check::Range(1, 200),
    },
    Key {
        key: "git.push_timeout_seconds",
        help: "time limit of `end --push`",
        check: Check::Range(1, 3600),
    },
    Key {
        key: "logs.max_bytes",
        help: "size at which hooks.log is rotated",
        check: Check::Range(4096, 1_073_741_824),
    },
    Key {
        key: "logs.keep",
        help: "rotated hook logs kept",
        check: Check::Range(1, 100),
    },
    Key {
        key: "handoff.backend",
        help: "where handoff items are kept: \"file\" or \"1password\"",
        check: Check::Type,
    },
    Key {
        key: "handoff.onepassword.vault",
        help: "1Password vault of handoff items (default: the account's default vault)",
        check: Check::NotEmpty,
    },
    Key {
        key: "handoff.onepassword.timeout_seconds",
        help: "time limit of each `op` call",
        check: Check::Range(1, 600),
    },
    Key {
        key: "sync.remote",
        help: "git remote that sessions are synced through",
        check: Check::NotEmpty,
    },
    Key {
        key: "tracker.url",
        help: "issue tracker URL (http:// or https://)",
        check: Check::Type,
    },
    Key {
        key: "tracker.token_file",
        help: "file holding the issue tracker's API token",
        check: Check::NotEmpty,
    },
    Key {
        key: "tracker.on_pause",
        help: "also send a session record at pause (true or false)",
        check: Check::Type,
    },
    Key {
        key: "tracker.timeout_seconds",
        help: "time limit of one request to the tracker",
        check: Check::Range(1, 600),
    },
    Key {
        key: "auto.enabled",
        help: "whether the session-manager skill may start, checkpoint and wrap up sessions on its own (true or false)",
        check: Check::Type,
    },
];

/// Where an effective value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Default,
    File(PathBuf),
    /// The environment variable that set it.
    Env(String),
}

/// Where the values of a [`Config`] came from, and what was wrong but not fatal.
#[derive(Debug, Clone, Default, PartialEq)]
struct Origin {
    file: PathBuf,
    /// One per entry of [`KEYS`].
    sources: Vec<Source>,
    warnings: Vec<String>,
}

impl Config {
    /// Built-in defaults only (hooks use this when config.toml cannot be read).
    pub fn defaults(file: PathBuf) -> Config {
        Config {
            origin: Origin {
                file,
                sources: vec![Source::Default; KEYS.len()],
                warnings: Vec::new(),
            },
            ..Config::default()
        }
    }

    /// config.toml (when there is one), then the environment's overrides. Unknown keys are
    /// warned about on stderr and kept in [`Config::warnings`].
    pub fn load(layout: &Layout) -> Result<Config> {
        let file = layout.config_file();
        let text = match std::fs::read_to_string(&file) {
            Ok(text) => Some(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(Error::io("read", &file, e)),
        };
        let config = Config::resolve(text.as_deref(), &file, &|name| std::env::var(name).ok())?;
        for warning in config.warnings() {
            eprintln!("claude-session: warning: {warning}");
        }
        Ok(config)
    }

    /// The settings from `text` (the content of `file`, if any) and the variables `env` gives.
    pub fn resolve(
        text: Option<&str>,
        file: &Path,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Config> {
        let mut merged = toml::Table::new();
        let mut sources = vec![Source::Default; KEYS.len()];
        let mut warnings = Vec::new();
        if let Some(text) = text {
            let place = file.display().to_string();
            let table: toml::Table = text.parse().map_err(|e: toml::de::Error| {
                Error::invalid(
                    format!("config.toml does not parse: {}", e.message()),
                    &place,
                )
            })?;
            let mut leaves = Vec::new();
            collect_leaves(&table, "", &place, &mut leaves, &mut warnings)?;
            for (index, value) in leaves {
                check(&KEYS[index], &value, &place)?;
                insert(&mut merged, KEYS[index].key, value);
                sources[index] = Source::File(file.to_path_buf());
            }
        }
        for (index, key) in KEYS.iter().enumerate() {
            let var = key.env_var();
            // An empty variable counts as unset (`VAR= command` to drop an override).
            let Some(raw) = env(&var).filter(|raw| !raw.is_empty()) else {
                continue;
            };
            let value = env_value(key, &raw, &var)?;
            insert(&mut merged, key.key, value);
            sources[index] = Source::Env(var);
        }
        let mut config: Config = merged.try_into().map_err(|e: toml::de::Error| {
            Error::invalid(format!("invalid settings: {}", e.message()), file.display())
        })?;
        config.origin = Origin {
            file: file.to_path_buf(),
            sources,
            warnings,
        };
        Ok(config)
    }

    /// The file the settings are read from (it may not exist).
    pub fn file(&self) -> &Path {
        &self.origin.file
    }

    /// What was wrong but not fatal (unknown keys), one message each.
    pub fn warnings(&self) -> &[String] {
        &self.origin.warnings
    }

    /// Every key with its effective value (JSON `null` when unset) and where it came from.
    pub fn entries(&self) -> Vec<(&'static Key, serde_json::Value, Source)> {
        let all = serde_json::to_value(self).unwrap_or_default();
        KEYS.iter()
            .enumerate()
            .map(|(index, key)| {
                let value = key
                    .key
                    .split('.')
                    .try_fold(&all, |value, part| value.get(part))
                    .cloned()
                    .unwrap_or_default();
                let source = self
                    .origin
                    .sources
                    .get(index)
                    .cloned()
                    .unwrap_or(Source::Default);
                (key, value, source)
            })
            .collect()
    }

    /// How long a command waits for a busy state file.
    pub fn lock_wait(&self) -> Duration {
        Duration::from_millis(self.locks.wait_ms)
    }

    /// How long a hook waits for a busy state file.
    pub fn hook_lock_wait(&self) -> Duration {
        Duration::from_millis(self.locks.hook_wait_ms)
    }

    /// Size budget of context files and injected context, in bytes.
    pub fn context_budget(&self) -> usize {
        self.context.budget_bytes
    }

    /// Time limit of `end --push`.
    pub fn push_timeout(&self) -> Duration {
        Duration::from_secs(self.git.push_timeout_seconds)
    }
}

/// The position of `key` in [`KEYS`].
fn key_index(key: &str) -> Option<usize> {
    KEYS.iter().position(|k| k.key == key)
}

/// Whether `path` is a section (or sub-section) of some key.
fn is_section(path: &str) -> bool {
    KEYS.iter().any(|k| {
        k.key.len() > path.len() && k.key.starts_with(path) && k.key[path.len()..].starts_with('.')
    })
}

/// The known keys set in `table` (under `prefix`), with their values; unknown keys become
/// warnings, a section given as a plain value is an error.
fn collect_leaves(
    table: &toml::Table,
    prefix: &str,
    place: &str,
    leaves: &mut Vec<(usize, toml::Value)>,
    warnings: &mut Vec<String>,
) -> Result<()> {
    for (name, value) in table {
        let path = if prefix.is_empty() {
            name.clone()
        } else {
            format!("{prefix}.{name}")
        };
        if let Some(index) = key_index(&path) {
            leaves.push((index, value.clone()));
        } else if is_section(&path) {
            let Some(body) = value.as_table() else {
                return Err(Error::invalid(
                    format!("`{path}` must be a [section]"),
                    place,
                ));
            };
            collect_leaves(body, &path, place, leaves, warnings)?;
        } else {
            warnings.push(format!("unknown setting `{path}` ignored ({place})"));
        }
    }
    Ok(())
}

/// Puts `value` at the dotted `key` of `table`, making the sections on the way.
fn insert(table: &mut toml::Table, key: &str, value: toml::Value) {
    let mut parts: Vec<&str> = key.split('.').collect();
    let last = parts.pop().unwrap_or(key);
    let mut here = table;
    for part in parts {
        let entry = here
            .entry(part.to_string())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        if !entry.is_table() {
            *entry = toml::Value::Table(toml::Table::new());
        }
        let toml::Value::Table(next) = entry else {
            unreachable!("made a table just above")
        };
        here = next;
    }
    here.insert(last.to_string(), value);
}

/// Checks one value of `key` (from `place`, a file or a variable): its range, then its type by
/// reading a configuration that holds only this key.
fn check(key: &Key, value: &toml::Value, place: &str) -> Result<()> {
    let fail = |what: String| Error::invalid(format!("`{}` {what}", key.key), place);
    match key.check {
        Check::Range(min, max) => {
            let number = value
                .as_integer()
                .ok_or_else(|| fail("must be a whole number".to_string()))?;
            if number < min || number > max {
                return Err(fail(format!("must be between {min} and {max}")));
            }
        }
        Check::NotEmpty if value.as_str().is_some_and(str::is_empty) => {
            return Err(fail("must not be empty".to_string()));
        }
        Check::NotEmpty | Check::Type => {}
    }
    let mut alone = toml::Table::new();
    insert(&mut alone, key.key, value.clone());
    alone
        .try_into::<Config>()
        .map(drop)
        .map_err(|e: toml::de::Error| {
            let message = e.message().trim();
            if message.starts_with("must ") {
                fail(message.to_string())
            } else {
                fail(format!("is invalid: {message}"))
            }
        })
}

/// The value an environment variable gives `key`: read as a TOML value when that fits the key
/// (`50`, `true`, `["a", "b"]`), else as the plain string.
fn env_value(key: &Key, raw: &str, var: &str) -> Result<toml::Value> {
    let literal = format!("value = {raw}")
        .parse::<toml::Table>()
        .ok()
        .and_then(|mut t| t.remove("value"));
    let mut first_error = None;
    for candidate in literal
        .into_iter()
        .chain(std::iter::once(toml::Value::String(raw.to_string())))
    {
        match check(key, &candidate, var) {
            Ok(()) => return Ok(candidate),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    Err(first_error.unwrap_or_else(|| Error::invalid(format!("`{}` is invalid", key.key), var)))
}

/// A value as `config.toml` would spell it; `(not set)` for an optional value left out.
pub fn display_value(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Null => "(not set)".to_string(),
        serde_json::Value::Array(items) => format!(
            "[{}]",
            items
                .iter()
                .map(display_value)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        // JSON's string escapes are valid TOML basic-string escapes.
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn file() -> PathBuf {
        PathBuf::from("/state/claude-session/config.toml")
    }

    fn no_env(_: &str) -> Option<String> {
        None
    }

    fn read(text: &str) -> Result<Config> {
        Config::resolve(Some(text), &file(), &no_env)
    }

    fn with_env(text: Option<&str>, vars: &[(&str, &str)]) -> Result<Config> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::resolve(text, &file(), &|name| vars.get(name).cloned())
    }

    fn source_of(config: &Config, key: &str) -> Source {
        config
            .entries()
            .into_iter()
            .find(|(k, _, _)| k.key == key)
            .map(|(_, _, source)| source)
            .unwrap()
    }

    /// Every leaf of the serialised defaults, dotted (`null` for optional values).
    fn leaves(value: &serde_json::Value, prefix: &str, out: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(map) => {
                for (name, value) in map {
                    let path = if prefix.is_empty() {
                        name.clone()
                    } else {
                        format!("{prefix}.{name}")
                    };
                    leaves(value, &path, out);
                }
            }
            _ => out.push(prefix.to_string()),
        }
    }

    #[test]
    fn keys_list_every_field_of_the_struct_and_defaults_pass_their_checks() {
        let mut fields = Vec::new();
        leaves(
            &serde_json::to_value(Config::default()).unwrap(),
            "",
            &mut fields,
        );
        let keys: Vec<&str> = KEYS.iter().map(|k| k.key).collect();
        assert_eq!(fields, keys);
        let defaults = Config::defaults(file());
        for (key, value, source) in defaults.entries() {
            assert_eq!(source, Source::Default);
            if let Check::Range(min, max) = key.check {
                let n = value.as_i64().unwrap();
                assert!(min <= n && n <= max, "{} = {n}", key.key);
            }
        }
    }

    #[test]
    fn no_file_means_the_defaults() {
        let config = Config::resolve(None, &file(), &no_env).unwrap();
        assert_eq!(config.checkpoints.auto_minutes, 30);
        assert_eq!(config.context_budget(), 8192);
        assert_eq!(config.locks.hook_wait_ms, 200);
        assert_eq!(config.handoff.backend, HandoffBackend::File);
        assert_eq!(config.sync.remote, "origin");
        assert_eq!(config.tracker.url, None);
        assert!(config.warnings().is_empty());
        assert_eq!(config, Config::defaults(file()));
    }

    #[test]
    fn integers_are_read_and_attributed_to_the_file() {
        let config = read("[checkpoints]\nauto_minutes = 15\n[logs]\nkeep = 7\n").unwrap();
        assert_eq!(config.checkpoints.auto_minutes, 15);
        assert_eq!(config.logs.keep, 7);
        assert_eq!(config.logs.max_bytes, 1_048_576);
        assert_eq!(
            source_of(&config, "checkpoints.auto_minutes"),
            Source::File(file())
        );
        assert_eq!(source_of(&config, "logs.max_bytes"), Source::Default);
    }

    #[test]
    fn strings_enums_urls_and_paths_are_read() {
        let config = read(
            "[handoff]\nbackend = \"1password\"\n[handoff.onepassword]\nvault = \"Work\"\n\
             [sync]\nremote = \"backup\"\n\
             [tracker]\nurl = \"https://tracker.example.com/api\"\ntoken_file = \"/home/me/.tracker-token\"\n",
        )
        .unwrap();
        assert_eq!(config.handoff.backend, HandoffBackend::OnePassword);
        assert_eq!(config.handoff.onepassword.vault.as_deref(), Some("Work"));
        assert_eq!(config.sync.remote, "backup");
        assert_eq!(
            config.tracker.url.as_ref().map(HttpUrl::as_str),
            Some("https://tracker.example.com/api")
        );
        assert_eq!(
            config.tracker.token_file,
            Some(PathBuf::from("/home/me/.tracker-token"))
        );
        let shown: Vec<(String, String)> = config
            .entries()
            .into_iter()
            .map(|(k, v, _)| (k.key.to_string(), display_value(&v)))
            .filter(|(k, _)| k.starts_with("handoff") || k.starts_with("tracker"))
            .collect();
        assert_eq!(
            shown,
            [
                ("handoff.backend", "\"1password\""),
                ("handoff.onepassword.vault", "\"Work\""),
                ("handoff.onepassword.timeout_seconds", "20"),
                ("tracker.url", "\"https://tracker.example.com/api\""),
                ("tracker.token_file", "\"/home/me/.tracker-token\""),
                ("tracker.on_pause", "false"),
                ("tracker.timeout_seconds", "10"),
            ]
            .map(|(k, v)| (k.to_string(), v.to_string()))
        );
    }

    #[test]
    fn display_spells_values_as_toml() {
        assert_eq!(display_value(&serde_json::json!(null)), "(not set)");
        assert_eq!(display_value(&serde_json::json!(42)), "42");
        assert_eq!(display_value(&serde_json::json!("a\"b")), "\"a\\\"b\"");
        assert_eq!(
            display_value(&serde_json::json!(["a", "b"])),
            "[\"a\", \"b\"]"
        );
    }

    #[test]
    fn an_unknown_enum_value_names_the_key_and_the_choices() {
        let err = read("[handoff]\nbackend = \"vault\"\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("`handoff.backend`"), "{err}");
        assert!(err.contains("1password") && err.contains("file"), "{err}");
        assert!(err.contains("config.toml"), "{err}");
    }

    #[test]
    fn urls_must_be_http_or_https_with_a_host() {
        for good in [
            "http://localhost:8080",
            "https://x.example/a?b#c",
            "HTTPS://X.EXAMPLE",
        ] {
            assert!(
                read(&format!("[tracker]\nurl = \"{good}\"\n")).is_ok(),
                "{good}"
            );
        }
        for bad in [
            "ftp://x.example",
            "https://",
            "tracker.example.com",
            "https:// x",
            "",
        ] {
            let err = read(&format!("[tracker]\nurl = \"{bad}\"\n"))
                .unwrap_err()
                .to_string();
            assert!(
                err.contains("`tracker.url` must be an http:// or https:// URL")
                    && err.contains("config.toml"),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn unknown_keys_and_sections_are_warnings_naming_them() {
        let config = read(
            "[checkpoints]\nauto_minutes = 10\nauto_minuts = 5\n[nonsense]\nx = 1\n\
             [handoff.onepassword]\nvault = \"V\"\naccount = \"me\"\n",
        )
        .unwrap();
        assert_eq!(config.checkpoints.auto_minutes, 10);
        let warnings = config.warnings().join("\n");
        assert!(warnings.contains("`checkpoints.auto_minuts`"), "{warnings}");
        assert!(warnings.contains("`nonsense`"), "{warnings}");
        assert!(
            warnings.contains("`handoff.onepassword.account`"),
            "{warnings}"
        );
        assert!(warnings.contains("config.toml"), "{warnings}");
        assert_eq!(config.warnings().len(), 3);
    }

    #[test]
    fn out_of_range_and_mistyped_values_are_errors_naming_key_and_file() {
        let cases = [
            (
                "[locks]\nhook_wait_ms = 500\n",
                "`locks.hook_wait_ms` must be between 1 and 200",
            ),
            (
                "[locks]\nwait_ms = 0\n",
                "`locks.wait_ms` must be between 10 and 600000",
            ),
            (
                "[logs]\nkeep = -1\n",
                "`logs.keep` must be between 1 and 100",
            ),
            (
                "[checkpoints]\nauto_minutes = \"x\"\n",
                "`checkpoints.auto_minutes` must be a whole number",
            ),
            ("[sync]\nremote = 5\n", "`sync.remote` is invalid"),
            ("[sync]\nremote = \"\"\n", "`sync.remote` must not be empty"),
            ("locks = 5\n", "`locks` must be a [section]"),
            ("not toml [", "config.toml does not parse"),
        ];
        for (text, wanted) in cases {
            let err = read(text).unwrap_err().to_string();
            assert!(err.contains(wanted), "{text}: {err}");
            assert!(err.contains("config.toml"), "{text}: {err}");
        }
    }

    #[test]
    fn environment_variables_override_the_file_and_say_so() {
        let config = with_env(
            Some("[locks]\nwait_ms = 100\n[sync]\nremote = \"upstream\"\n"),
            &[
                ("CLAUDE_SESSION_LOCKS_WAIT_MS", "50"),
                ("CLAUDE_SESSION_HANDOFF_BACKEND", "1password"),
                ("CLAUDE_SESSION_HANDOFF_ONEPASSWORD_VAULT", "123"),
                ("CLAUDE_SESSION_TRACKER_URL", "https://t.example"),
                ("CLAUDE_SESSION_SYNC_REMOTE", ""),
            ],
        )
        .unwrap();
        assert_eq!(config.locks.wait_ms, 50);
        assert_eq!(config.lock_wait(), Duration::from_millis(50));
        assert_eq!(
            source_of(&config, "locks.wait_ms"),
            Source::Env("CLAUDE_SESSION_LOCKS_WAIT_MS".into())
        );
        assert_eq!(config.handoff.backend, HandoffBackend::OnePassword);
        // A vault named like a number stays a string.
        assert_eq!(config.handoff.onepassword.vault.as_deref(), Some("123"));
        assert_eq!(
            source_of(&config, "handoff.onepassword.vault"),
            Source::Env("CLAUDE_SESSION_HANDOFF_ONEPASSWORD_VAULT".into())
        );
        assert_eq!(
            config.tracker.url.as_ref().map(HttpUrl::as_str),
            Some("https://t.example")
        );
        // An empty variable is no override.
        assert_eq!(config.sync.remote, "upstream");
        assert_eq!(source_of(&config, "sync.remote"), Source::File(file()));
    }

    #[test]
    fn an_invalid_environment_value_names_key_and_variable() {
        let err = with_env(None, &[("CLAUDE_SESSION_LOCKS_HOOK_WAIT_MS", "1000")])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("`locks.hook_wait_ms` must be between 1 and 200")
                && err.contains("CLAUDE_SESSION_LOCKS_HOOK_WAIT_MS"),
            "{err}"
        );
        let err = with_env(None, &[("CLAUDE_SESSION_LOCKS_WAIT_MS", "soon")])
            .unwrap_err()
            .to_string();
        assert!(err.contains("must be a whole number"), "{err}");
        let err = with_env(None, &[("CLAUDE_SESSION_TRACKER_URL", "tracker.local")])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("`tracker.url` must be an http")
                && err.contains("CLAUDE_SESSION_TRACKER_URL"),
            "{err}"
        );
    }

    #[test]
    fn environment_names_follow_section_and_key() {
        let names: Vec<String> = KEYS.iter().map(Key::env_var).collect();
        assert!(names.contains(&"CLAUDE_SESSION_LOCKS_WAIT_MS".to_string()));
        assert!(names.contains(&"CLAUDE_SESSION_HANDOFF_ONEPASSWORD_VAULT".to_string()));
        assert!(names.contains(&"CLAUDE_SESSION_TRACKER_TOKEN_FILE".to_string()));
    }
}
