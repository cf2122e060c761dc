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

/// The embedded command file of that name.
pub fn command(file_name: &str) -> Option<&'static CommandFile> {
    COMMANDS.iter().find(|c| c.file_name == file_name)
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
