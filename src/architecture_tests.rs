//! The layering rules of ARCHITECTURE.md, checked on the sources: a rule that only lives in a
//! document is broken by the first hurried change.

use std::path::{Path, PathBuf};

fn sources(folder: &str) -> Vec<(PathBuf, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src")
        .join(folder);
    let mut files: Vec<(PathBuf, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|x| x == "rs"))
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            (path, text)
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no sources in {}", dir.display());
    files
}

/// Lines of code, without comments (a comment may well name another module).
fn code_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(n, line)| (n + 1, line.trim()))
        .filter(|(_, line)| !line.starts_with("//"))
}

fn violations(folder: &str, forbidden: &[&str], skip: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for (path, text) in sources(folder) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if skip.contains(&name.as_str()) {
            continue;
        }
        for (n, line) in code_lines(&text) {
            for pattern in forbidden {
                if line.contains(pattern) {
                    found.push(format!("src/{folder}/{name}:{n}: {line}"));
                }
            }
        }
    }
    found
}

fn command_modules() -> Vec<String> {
    sources("commands")
        .into_iter()
        .map(|(path, _)| path.file_stem().unwrap().to_string_lossy().into_owned())
        .filter(|name| name != "mod")
        .collect()
}

#[test]
fn a_command_never_imports_another_command() {
    let mut forbidden: Vec<String> = vec!["commands::".to_string()];
    for module in command_modules() {
        forbidden.push(format!("super::{module}::"));
        forbidden.push(format!("super::{module}}}"));
        forbidden.push(format!("super::{module},"));
        forbidden.push(format!("super::{module};"));
    }
    let forbidden: Vec<&str> = forbidden.iter().map(String::as_str).collect();
    let found = violations("commands", &forbidden, &["mod.rs"]);
    assert!(
        found.is_empty(),
        "commands importing commands:\n{}",
        found.join("\n")
    );
}

#[test]
fn hooks_never_import_the_cli() {
    let found = violations("hook", &["commands::", "crate::cli", "clap::"], &[]);
    assert!(
        found.is_empty(),
        "hooks importing the CLI:\n{}",
        found.join("\n")
    );
}

/// The MCP server and the status line are front ends of their own: they call ops and render,
/// never the CLI's commands, the hooks or each other.
#[test]
fn the_mcp_server_and_the_status_line_never_import_another_front_end() {
    let mut found = violations(
        "mcp",
        &[
            "crate::commands",
            "commands::",
            "crate::cli",
            "clap::",
            "crate::hook",
            "crate::statusline",
        ],
        &[],
    );
    found.extend(violations(
        "statusline",
        &[
            "crate::commands",
            "commands::",
            "crate::cli",
            "clap::",
            "crate::hook",
            "crate::mcp",
        ],
        &[],
    ));
    assert!(
        found.is_empty(),
        "front ends importing each other:\n{}",
        found.join("\n")
    );
}

/// The MCP server's stdout carries JSON-RPC only: nothing in it prints there directly.
#[test]
fn the_mcp_server_never_prints_to_stdout() {
    let mut found = Vec::new();
    for (path, text) in sources("mcp") {
        for (n, line) in code_lines(&text) {
            // stderr is Claude Code's MCP log: `eprintln!` is fine there.
            let line_out = line.replace("eprintln!", "").replace("eprint!", "");
            if ["println!", "print!(", "std::io::stdout"]
                .iter()
                .any(|p| line_out.contains(p))
            {
                found.push(format!("{}:{n}: {line}", path.display()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "the MCP server printing besides its replies:\n{}",
        found.join("\n")
    );
}

#[test]
fn ops_never_print_nor_see_a_front_end() {
    let found = violations(
        "ops",
        &[
            "crate::cli",
            "crate::commands",
            "crate::hook",
            "crate::mcp",
            "crate::statusline",
            "crate::render",
            "clap::",
            "println!",
            "print!(",
            "eprintln!",
            "eprint!(",
            "std::io::stdout",
            "std::io::stdin",
        ],
        &[],
    );
    assert!(
        found.is_empty(),
        "ops reaching a front end:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_renderer_only_renders() {
    let found = violations(
        "render",
        &[
            "crate::store",
            "std::fs::",
            "registry::load",
            "registry::commit",
            "registry::record",
        ],
        &[],
    );
    assert!(
        found.is_empty(),
        "render doing more than text:\n{}",
        found.join("\n")
    );
}

#[test]
fn only_process_and_detach_start_children() {
    let mut found = Vec::new();
    for folder in ["", "commands", "hook", "mcp", "ops", "render", "statusline"] {
        let skip: &[&str] = if folder.is_empty() {
            &["process.rs", "detach.rs", "architecture_tests.rs"]
        } else {
            &[]
        };
        found.extend(violations(
            folder,
            &["Command::new", "process::Command", ".spawn()"],
            skip,
        ));
    }
    assert!(
        found.is_empty(),
        "children started outside process/detach:\n{}",
        found.join("\n")
    );
}

#[test]
fn only_net_speaks_http() {
    let mut found = Vec::new();
    for folder in ["", "commands", "hook", "mcp", "ops", "render", "statusline"] {
        let skip: &[&str] = if folder.is_empty() {
            &["net.rs", "architecture_tests.rs"]
        } else {
            &[]
        };
        found.extend(violations(folder, &["ureq", "TcpStream"], skip));
    }
    assert!(found.is_empty(), "HTTP outside net:\n{}", found.join("\n"));
}

#[test]
fn the_layers_below_the_front_ends_never_reach_up() {
    let mut found = violations(
        "",
        &[
            "crate::render",
            "crate::commands",
            "crate::ops",
            "crate::mcp",
            "crate::statusline",
        ],
        &["lib.rs", "architecture_tests.rs"],
    );
    found.extend(violations(
        "hook",
        &["crate::render", "crate::mcp", "crate::statusline"],
        &[],
    ));
    assert!(
        found.is_empty(),
        "model or infra reaching a layer above:\n{}",
        found.join("\n")
    );
}
