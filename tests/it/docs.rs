//! The README documents what `--help` offers: every subcommand and every flag of each.

use crate::support::*;

const COMMANDS: &[&[&str]] = &[
    &["start"],
    &["track"],
    &["status"],
    &["list"],
    &["show"],
    &["end"],
    &["config"],
    &["pause"],
    &["resume"],
    &["handoff", "export"],
    &["handoff", "import"],
    &["install"],
    &["uninstall"],
    &["doctor"],
    &["checkpoint"],
    &["checkpoints"],
    &["tasks"],
    &["restore", "checkpoint"],
    &["restore", "backup"],
    &["restore", "daily"],
    &["restore", "milestone"],
    &["backup", "daily"],
    &["backup", "milestone"],
    &["backup", "prune"],
    &["backups"],
    &["hook"],
    &["remind"],
    &["mcp"],
    &["statusline"],
    &["sync", "push"],
    &["sync", "pull"],
    &["sync", "status"],
    &["tracker", "flush"],
    &["tracker", "status"],
    &["tracker", "retry"],
    &["tracker", "run"],
    &["memory", "add"],
    &["memory", "list"],
    &["memory", "search"],
    &["memory", "forget"],
];

fn flags_of(help: &str) -> Vec<String> {
    help.split(|c: char| c.is_whitespace() || c == ',' || c == '[' || c == ']')
        .filter(|word| word.starts_with("--") && word.len() > 2)
        // Documented once for all, on the README's first command line.
        .filter(|word| !word.starts_with("--help") && !word.starts_with("--version"))
        .map(|word| {
            word.trim_end_matches(|c: char| !c.is_ascii_alphanumeric() && c != '-')
                .split('=')
                .next()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[test]
fn the_readme_names_every_command_and_flag_of_help() {
    let env = TestEnv::new();
    let readme = repo_file("README.md");
    let mut missing = Vec::new();
    let top = env.ok(&["--help"]);
    for flag in flags_of(&top) {
        if !readme.contains(&flag) {
            missing.push(format!("claude-session {flag}"));
        }
    }
    for command in COMMANDS {
        let line = format!("claude-session {}", command.join(" "));
        if !readme.contains(&line) {
            missing.push(line.clone());
        }
        let mut args = command.to_vec();
        args.push("--help");
        for flag in flags_of(&env.ok(&args)) {
            if !readme.contains(&format!("{flag} "))
                && !readme.contains(&format!("{flag}]"))
                && !readme.contains(&format!("{flag}`"))
            {
                missing.push(format!("{line} {flag}"));
            }
        }
    }
    // `--help` lists every subcommand; the table above must know them all.
    for name in top
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|name| *name != "help")
    {
        assert!(
            COMMANDS.iter().any(|c| c[0] == name),
            "{name} is not checked here"
        );
    }
    missing.dedup();
    assert!(missing.is_empty(), "README lacks:\n{}", missing.join("\n"));
}
