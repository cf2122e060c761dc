//! The four slash-command files: their frontmatter parses, they name only `$ARGUMENTS`, and
//! every `!` line is a valid claude-session call that exits 0 with a readable message whether or
//! not a session exists.

use super::*;
use crate::support::repo_file;
use clap::Parser;

const NAMES: [&str; 4] = ["start", "pause", "resume", "end"];
const UUID: &str = "0f5c2a9e-1b2c-4d5e-8f90-123456789abc";

fn command_file(name: &str) -> String {
    repo_file(&format!("commands/{name}.md"))
}

/// The frontmatter (between the `---` lines) and the body.
fn split(text: &str) -> (&str, &str) {
    let rest = text.strip_prefix("---\n").expect("starts with frontmatter");
    let end = rest.find("\n---\n").expect("frontmatter ends");
    (&rest[..end], &rest[end + 5..])
}

/// The commands of the body's `` !`...` `` lines, with `${CLAUDE_SESSION_ID}` substituted.
fn bang_lines(body: &str) -> Vec<String> {
    body.lines()
        .filter_map(|line| line.strip_prefix("!`"))
        .map(|rest| {
            rest.strip_suffix('`')
                .expect("a `!` line ends with a backtick")
                .replace("${CLAUDE_SESSION_ID}", UUID)
        })
        .collect()
}

#[test]
fn frontmatter_parses_with_the_keys_claude_code_reads() {
    for name in NAMES {
        let text = command_file(name);
        let (front, body) = split(&text);
        let map: serde_yaml_ng::Mapping =
            serde_yaml_ng::from_str(front).unwrap_or_else(|e| panic!("{name}.md: {e}"));
        let get = |key: &str| {
            map.get(key)
                .and_then(|v| v.as_str())
                .unwrap_or_else(|| panic!("{name}.md lacks a string `{key}`"))
                .to_string()
        };
        assert!(
            get("description").len() > 20,
            "{name}.md: a real description"
        );
        assert!(!get("argument-hint").is_empty());
        let tools: Vec<String> = get("allowed-tools")
            .split(", ")
            .map(str::to_string)
            .collect();
        assert!(
            tools.contains(&"Bash(claude-session:*)".to_string()),
            "{name}.md: {tools:?}"
        );
        for tool in &tools {
            assert!(
                tool.starts_with("Bash(") && tool.ends_with(":*)"),
                "{name}.md: `{tool}` is a Bash prefix rule"
            );
        }
        assert!(body.len() < 4000, "{name}.md stays short");
    }
    let end = command_file("end");
    for git in ["git status", "git diff", "git add", "git commit"] {
        assert!(
            end.contains(&format!("Bash({git}:*)")),
            "end.md allows {git}"
        );
    }
}

#[test]
fn only_arguments_is_named_never_positional_parameters() {
    for name in NAMES {
        let text = command_file(name);
        assert!(
            text.contains("$ARGUMENTS"),
            "{name}.md passes the arguments"
        );
        let bytes = text.as_bytes();
        for (i, b) in bytes.iter().enumerate() {
            if *b == b'$' {
                let next = bytes.get(i + 1).copied().unwrap_or(b' ');
                assert!(
                    !next.is_ascii_digit(),
                    "{name}.md names ${} (its meaning changed in Claude Code 2.1.19)",
                    next as char
                );
            }
        }
        // The arguments are the user's text: never pasted into a shell line.
        for line in bang_lines(split(&text).1) {
            assert!(!line.contains("$ARGUMENTS"), "{name}.md: {line}");
        }
    }
}

#[test]
fn bang_lines_are_valid_soft_failing_claude_session_calls() {
    for name in NAMES {
        let text = command_file(name);
        let lines = bang_lines(split(&text).1);
        assert_eq!(lines.len(), 1, "{name}.md has one `!` line");
        for line in lines {
            let words: Vec<&str> = line.split_whitespace().collect();
            assert_eq!(words[0], "claude-session", "{name}.md: {line}");
            assert_eq!(words[1], "--soft-fail", "{name}.md: {line}");
            assert!(
                !line.contains(['|', '&', ';', '>', '<', '$', '\'', '"']),
                "{name}.md: a plain call passes the permission check: {line}"
            );
            claude_session::cli::Cli::try_parse_from(&words)
                .unwrap_or_else(|e| panic!("{name}.md: {line}: {e}"));
        }
    }
}

fn run_bang_lines(env: &TestEnv) -> Vec<(String, String)> {
    let mut outputs = Vec::new();
    for name in NAMES {
        for line in bang_lines(split(&command_file(name)).1) {
            let words: Vec<&str> = line.split_whitespace().skip(1).collect();
            let out = env.run(&words);
            assert_eq!(out.code, 0, "{line} exits 0: {}", out.stderr);
            assert!(!out.stdout.trim().is_empty(), "{line} prints a message");
            outputs.push((name.to_string(), out.stdout));
        }
    }
    outputs
}

#[test]
fn bang_lines_exit_zero_with_and_without_a_session() {
    // No session at all, and not even a git repository.
    let bare = plain_world();
    for (name, stdout) in run_bang_lines(&bare) {
        match name.as_str() {
            "start" => assert!(stdout.contains("No session is paused or open"), "{stdout}"),
            "resume" => assert!(stdout.contains("No paused session"), "{stdout}"),
            _ => assert!(stdout.contains("⚠️"), "{name}: {stdout}"),
        }
    }
    // An active session in a repository with changes: previews only, nothing changes.
    let env = world();
    let id = env.start("commands");
    env.write("src/lib.rs", "changed\n");
    let outputs = run_bang_lines(&env);
    assert!(outputs[1].1.contains(&format!("Session to pause: {id}")));
    assert!(outputs[3].1.contains(&format!("Session to end: {id}")));
    assert!(env.pause_record().is_none());
    assert_eq!(env.show(&id)["session"]["status"], "active");
}
