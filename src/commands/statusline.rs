//! `claude-session statusline [--wrap]` reached through argument parsing (`--json`,
//! `--project`); the usual way in is the fast path in `main.rs`. Either way
//! `crate::statusline::run` does the work.

use crate::cli::StatuslineArgs;
use std::io::Write;
use std::path::Path;

pub fn run(project: Option<&Path>, args: &StatuslineArgs, json: bool, out: &mut dyn Write) {
    let options = crate::statusline::Options {
        project: project.map(Path::to_path_buf),
        wrap: args.wrap,
        json,
    };
    crate::statusline::run(&options, out);
}
