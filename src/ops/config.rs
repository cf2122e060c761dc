//! `config`: the effective settings, where each came from, and what was wrong with the file.

use crate::config::Source;
use crate::env::Env;
use crate::error::Result;
use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

#[derive(Debug, Clone, Default)]
pub struct ConfigRequest {}

/// One effective setting.
#[derive(Debug, Clone)]
pub struct Setting {
    /// `section.name`.
    pub key: String,
    /// JSON `null` for an optional setting left unset.
    pub value: serde_json::Value,
    pub source: SettingSource,
    pub help: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingSource {
    Default,
    File { path: String },
    Env { variable: String },
}

/// The settings in `claude-session config` order. As JSON, a map from key to
/// `{"value", "source" ("default", the file's path, or "env"), "variable" (env only), "help"}`.
#[derive(Debug, Clone, Default)]
pub struct Settings(pub Vec<Setting>);

impl Serialize for Settings {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for setting in &self.0 {
            let mut entry = serde_json::Map::new();
            entry.insert("value".into(), setting.value.clone());
            let source = match &setting.source {
                SettingSource::Default => "default".to_string(),
                SettingSource::File { path } => path.clone(),
                SettingSource::Env { variable } => {
                    entry.insert("variable".into(), variable.clone().into());
                    "env".to_string()
                }
            };
            entry.insert("source".into(), source.into());
            entry.insert("help".into(), setting.help.clone().into());
            map.serialize_entry(&setting.key, &entry)?;
        }
        map.end()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ConfigOutcome {
    /// config.toml (it may not exist).
    pub file: String,
    /// Unknown keys, each named.
    pub warnings: Vec<String>,
    #[serde(flatten)]
    pub settings: Settings,
}

pub fn config(env: &Env, _request: &ConfigRequest) -> Result<ConfigOutcome> {
    let config = env.config();
    let settings = config
        .entries()
        .into_iter()
        .map(|(key, value, source)| Setting {
            key: key.key.to_string(),
            value,
            source: match source {
                Source::Default => SettingSource::Default,
                Source::File(path) => SettingSource::File {
                    path: path.display().to_string(),
                },
                Source::Env(variable) => SettingSource::Env { variable },
            },
            help: key.help.to_string(),
        })
        .collect();
    Ok(ConfigOutcome {
        file: config.file().display().to_string(),
        warnings: config.warnings().to_vec(),
        settings: Settings(settings),
    })
}
