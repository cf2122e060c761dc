//! How the user reaches our slash commands, so every message names them in the form that works
//! where it is read: `/resume` when `install` put the command files in the user's commands
//! folder, `/session-keeper:resume` when they come from the plugin (Claude Code namespaces a
//! plugin's commands, and there `/resume` opens its own conversation picker).
//!
//! The plugin's command files and hooks pass `--plugin`; hooks also see `CLAUDE_PLUGIN_ROOT`.
//! The mode is set once, at start-up, by the front end; everything below only reads it.

use std::sync::OnceLock;

/// The plugin's name (`plugin/.claude-plugin/plugin.json`). Names starting with `claude-` are
/// reserved by `claude plugin validate`, so the plugin is not called like the binary.
pub const PLUGIN_NAME: &str = "session-keeper";

/// The argument the plugin's command lines carry.
pub const PLUGIN_FLAG: &str = "--plugin";

/// Set by Claude Code for a plugin's hooks.
pub const PLUGIN_ROOT_ENV: &str = "CLAUDE_PLUGIN_ROOT";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    /// Command files in `~/.claude/commands` (or the project's): `/resume`.
    Installed,
    /// Command files of the plugin: `/session-keeper:resume`.
    Plugin,
}

static SURFACE: OnceLock<Surface> = OnceLock::new();

/// Records how the commands are reached; the first call wins (it is made once, at start-up).
pub fn set(surface: Surface) {
    let _ = SURFACE.set(surface);
}

/// How the commands are reached; installed unless told otherwise.
pub fn current() -> Surface {
    SURFACE.get().copied().unwrap_or(Surface::Installed)
}

/// The plugin mode for a hook: its command line says `--plugin`, or Claude Code ran it from a
/// plugin (`CLAUDE_PLUGIN_ROOT` is set).
pub fn for_hook(args_say_plugin: bool) -> Surface {
    let from_plugin = std::env::var_os(PLUGIN_ROOT_ENV).is_some_and(|root| !root.is_empty());
    if args_say_plugin || from_plugin {
        Surface::Plugin
    } else {
        Surface::Installed
    }
}

/// The slash command as the user types it here: `slash("resume")` is `/resume` or
/// `/session-keeper:resume`.
pub fn slash(command: &str) -> String {
    slash_for(current(), command)
}

pub fn slash_for(surface: Surface, command: &str) -> String {
    match surface {
        Surface::Installed => format!("/{command}"),
        Surface::Plugin => format!("/{PLUGIN_NAME}:{command}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_are_named_as_each_surface_offers_them() {
        assert_eq!(slash_for(Surface::Installed, "resume"), "/resume");
        assert_eq!(
            slash_for(Surface::Plugin, "resume"),
            "/session-keeper:resume"
        );
    }
}
