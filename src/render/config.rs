use super::Human;
use crate::config::display_value;
use crate::ops::config::{ConfigOutcome, SettingSource};

impl Human for ConfigOutcome {
    fn human(&self) -> String {
        let mut text = format!("# {}\n", self.file);
        for setting in &self.settings.0 {
            let source = match &setting.source {
                SettingSource::Default => "default".to_string(),
                SettingSource::File { path } => path.clone(),
                SettingSource::Env { variable } => format!("env {variable}"),
            };
            text.push_str(&format!(
                "{} = {}    # {source} ({})\n",
                setting.key,
                display_value(&setting.value),
                setting.help
            ));
        }
        for warning in &self.warnings {
            text.push_str(&format!("# warning: {warning}\n"));
        }
        text
    }
}
