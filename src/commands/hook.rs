//! `claude-session hook NAME` reached through argument parsing (e.g. after `--project`); the
//! usual way in is the fast path in `main.rs`. Either way `crate::hook::run` does the work.

use crate::cli::HookArgs;
use std::ffi::OsString;
use std::io::Write;

pub fn run(args: &HookArgs, out: &mut dyn Write) {
    let mut argv: Vec<OsString> = vec![OsString::from(&args.name)];
    argv.extend(args.rest.iter().map(OsString::from));
    crate::hook::run(&argv, out);
}
