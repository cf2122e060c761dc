use clap::Parser;
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
    let cli = match claude_session::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            // --help and --version
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            let first = e.to_string();
            let first = first.lines().next().unwrap_or("bad arguments");
            eprintln!(
                "claude-session: {} (see --help)",
                first.trim_start_matches("error: ")
            );
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
