//! `claude-session config`: the effective settings and where each came from.

use crate::cli::ConfigArgs;
use crate::config::Source;
use crate::env::Env;
use crate::error::Result;

pub fn run(ctx: &Env, _args: &ConfigArgs, out: &mut super::Printer) -> Result<()> {
    let source = |s: &Source| match s {
        Source::Default => "default".to_string(),
        Source::File(path) => path.display().to_string(),
    };
    if out.json() {
        let mut map = serde_json::Map::new();
        for (setting, value, from) in ctx.config().entries() {
            map.insert(
                setting.key.to_string(),
                serde_json::json!({"value": value, "source": source(from)}),
            );
        }
        let text =
            serde_json::to_string_pretty(&serde_json::Value::Object(map)).unwrap_or_default();
        return out.text(&format!("{text}\n"));
    }
    let mut text = format!("# {}\n", ctx.config().file.display());
    for (setting, value, from) in ctx.config().entries() {
        text.push_str(&format!(
            "{} = {}    # {} ({})\n",
            setting.key,
            value,
            source(from),
            setting.help
        ));
    }
    out.text(&text)
}
