use clap::Parser;
use clap::error::ErrorKind;
use std::process::ExitCode;

fn main() -> ExitCode {
    // Hooks run on every edit: skip argument parsing and settings, go straight to the handler.
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args.get(1).is_some_and(|a| a == "hook")
        && !args
            .get(2)
            .is_some_and(|a| a.to_string_lossy().starts_with('-'))
    {
        return claude_session::hook::main(&args[2..]);
    }
    // The status line runs every few hundred milliseconds: the same shortcut.
    if args.get(1).is_some_and(|a| a == "statusline") && args[2..].iter().all(|a| a == "--wrap") {
        return claude_session::statusline::main(&args[2..]);
    }
    let cli = match claude_session::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            // --help and --version
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e)
            if matches!(
                e.kind(),
                ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand | ErrorKind::MissingSubcommand
            ) =>
        {
            // A bare group command (`restore`, `backup`, `handoff`): its usage, as clap does.
            let _ = e.print();
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!("claude-session: {}", one_line(&e.to_string()));
            return ExitCode::from(1);
        }
    };
    let mut stdout = std::io::stdout().lock();
    match claude_session::run(cli, &mut stdout) {
        Ok(()) => ExitCode::SUCCESS,
        // 1 for every failure: Claude Code reads 2 from a hook as "block".
        Err(claude_session::Error::Reported(_)) => ExitCode::from(1),
        Err(e) => {
            eprintln!("claude-session: {}", e.one_line());
            ExitCode::from(1)
        }
    }
}

/// Clap's message on one line, keeping what matters: the missing argument, the value and why,
/// the suggestion ("a similar subcommand exists: 'status'"), and the usage.
fn one_line(message: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    for line in message.lines().map(str::trim) {
        if line.is_empty() || line.starts_with("For more information") {
            continue;
        }
        let line = line.trim_start_matches("error: ");
        match line.strip_prefix("Usage: ") {
            Some(usage) => parts.push(format!("(usage: {usage})")),
            None => parts.push(line.to_string()),
        }
    }
    let mut text = String::new();
    for part in parts {
        if !text.is_empty() {
            text.push(if text.ends_with(':') { ' ' } else { ';' });
            if !text.ends_with(' ') {
                text.push(' ');
            }
        }
        text.push_str(&part);
    }
    text.replace("; (usage", " (usage")
}
