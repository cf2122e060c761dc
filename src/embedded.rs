//! What the binary carries so that an installed copy needs no checkout: the slash command files,
//! the hook registration, and the hashes of every command file version we ever shipped (to tell
//! our unmodified files from the user's own).

/// One slash command file, installed as `<commands dir>/<file_name>`.
#[derive(Debug, Clone, Copy)]
pub struct CommandFile {
    pub file_name: &'static str,
    pub text: &'static str,
}

/// The slash commands, as shipped with this version.
pub const COMMANDS: [CommandFile; 4] = [
    CommandFile {
        file_name: "start.md",
        text: include_str!("../commands/start.md"),
    },
    CommandFile {
        file_name: "pause.md",
        text: include_str!("../commands/pause.md"),
    },
    CommandFile {
        file_name: "resume.md",
        text: include_str!("../commands/resume.md"),
    },
    CommandFile {
        file_name: "end.md",
        text: include_str!("../commands/end.md"),
    },
];

/// The session-manager skill (auto mode), installed as `<claude dir>/skills/session-manager/SKILL.md`.
pub const SKILL_NAME: &str = "session-manager";
pub const SKILL_FILE: CommandFile = CommandFile {
    file_name: "SKILL.md",
    text: include_str!("../skills/session-manager/SKILL.md"),
};

/// The hook registration in plugin format (commands say `claude-session hook <name>`).
pub const HOOKS_JSON: &str = include_str!("../hooks/hooks.json");

/// blake3 hashes (hex) of earlier released versions of each command file. The version embedded
/// above always counts as shipped; when a command file changes after a release, add the released
/// version's hash here (`b3sum commands/NAME.md` before the change), or installs of the new version
/// will take the old file for the user's own and keep it.
const EARLIER_SHIPPED: &[(&str, &str)] = &[];

/// The hash that identifies a version of a command file.
pub fn content_hash(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

/// The embedded command file (or the skill's `SKILL.md`) of that name.
pub fn command(file_name: &str) -> Option<&'static CommandFile> {
    COMMANDS
        .iter()
        .chain(std::iter::once(&SKILL_FILE))
        .find(|c| c.file_name == file_name)
}

/// True when `bytes` are exactly the version embedded in this binary.
pub fn is_current(file_name: &str, bytes: &[u8]) -> bool {
    command(file_name).is_some_and(|c| c.text.as_bytes() == bytes)
}

/// True when `bytes` are a version of this command file that we shipped (this one or an earlier
/// one): such a file is ours to replace or remove.
pub fn is_shipped(file_name: &str, bytes: &[u8]) -> bool {
    if is_current(file_name, bytes) {
        return true;
    }
    let hash = content_hash(bytes);
    EARLIER_SHIPPED
        .iter()
        .any(|(name, shipped)| *name == file_name && *shipped == hash)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_version_counts_as_shipped_and_an_edit_does_not() {
        for command in COMMANDS {
            assert!(is_shipped(command.file_name, command.text.as_bytes()));
            let edited = format!("{}\nmy own line\n", command.text);
            assert!(!is_shipped(command.file_name, edited.as_bytes()));
            assert!(!is_current(command.file_name, edited.as_bytes()));
        }
        assert!(!is_shipped("other.md", COMMANDS[0].text.as_bytes()));
    }

    /// The plugin's command file for an installed one: our command lines carry `--plugin` and
    /// our slash commands are named as the plugin offers them (`/session-keeper:resume`).
    fn plugin_form(text: &str) -> String {
        let mut out = String::with_capacity(text.len() + 256);
        for line in text.split_inclusive('\n') {
            let indent = line.len() - line.trim_start().len();
            let line = if line[indent..].starts_with("claude-session ") {
                format!(
                    "{}claude-session --plugin {}",
                    &line[..indent],
                    &line[indent + 15..]
                )
            } else {
                line.to_string()
            };
            out.push_str(&plugin_slashes(
                &line.replace("`claude-session ", "`claude-session --plugin "),
            ));
        }
        out
    }

    /// `/start`, `/pause`, `/resume` and `/end` as whole words, renamed.
    fn plugin_slashes(line: &str) -> String {
        let mut out = String::with_capacity(line.len());
        let mut rest = line;
        while let Some(at) = rest.find('/') {
            let (before, from) = rest.split_at(at);
            out.push_str(before);
            let after_word = |name: &str| {
                from[1..].starts_with(name)
                    && !from[1 + name.len()..]
                        .chars()
                        .next()
                        .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '-')
            };
            let starts_word = !out
                .chars()
                .last()
                .is_some_and(|c| c.is_alphanumeric() || c == '/' || c == '_');
            match ["start", "pause", "resume", "end"]
                .iter()
                .find(|name| starts_word && after_word(name))
            {
                Some(name) => {
                    out.push_str(&crate::surface::slash_for(
                        crate::surface::Surface::Plugin,
                        name,
                    ));
                    rest = &from[1 + name.len()..];
                }
                None => {
                    out.push('/');
                    rest = &from[1..];
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// The plugin (`plugin/`) ships the installed command files and hooks in plugin form;
    /// `CLAUDE_SESSION_BLESS=1 cargo test plugin_files` rewrites them after a change.
    #[test]
    #[allow(clippy::disallowed_methods)] // writes the plugin's files only when asked to
    fn the_plugins_files_are_the_installed_ones_in_plugin_form() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("plugin");
        let mut wanted: Vec<(std::path::PathBuf, String)> = COMMANDS
            .iter()
            .map(|c| (root.join("commands").join(c.file_name), plugin_form(c.text)))
            .collect();
        wanted.push((
            root.join("skills").join(SKILL_NAME).join("SKILL.md"),
            plugin_form(SKILL_FILE.text),
        ));
        wanted.push((
            root.join("hooks/hooks.json"),
            HOOKS_JSON.replace("\", \"timeout\"", " --plugin\", \"timeout\""),
        ));
        let bless = std::env::var("CLAUDE_SESSION_BLESS").is_ok_and(|v| v == "1");
        for (path, text) in wanted {
            if bless {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, &text).unwrap();
            }
            let shipped = std::fs::read_to_string(&path).unwrap_or_default();
            assert_eq!(
                shipped,
                text,
                "{} is out of date: run CLAUDE_SESSION_BLESS=1 cargo test plugin_files",
                path.display()
            );
        }
    }

    #[test]
    fn plugin_form_renames_our_commands_and_nothing_else() {
        assert_eq!(
            plugin_slashes("offer /resume or /start; not /resumes, a/end, /continue, /end."),
            "offer /session-keeper:resume or /session-keeper:start; not /resumes, a/end, \
             /continue, /session-keeper:end."
        );
        assert_eq!(
            plugin_form(
                "!`claude-session pause`\n   claude-session end --x\n⚠️ claude-session could\n"
            ),
            "!`claude-session --plugin pause`\n   claude-session --plugin end --x\n⚠️ claude-session could\n"
        );
    }

    #[test]
    fn earlier_hashes_are_well_formed() {
        for (name, hash) in EARLIER_SHIPPED {
            assert!(command(name).is_some(), "{name} is not a command file");
            assert_eq!(hash.len(), 64, "{name}: {hash}");
            assert!(
                hash.chars().all(|c| c.is_ascii_hexdigit()),
                "{name}: {hash}"
            );
        }
    }
}
