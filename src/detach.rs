//! Starting a child process that outlives its parent: a hook hands slow work to it and returns.
//! The child gets its own process group (Claude Code killing the hook's group on a timeout does
//! not reach it) and no stdio of ours (Claude Code waits for the hook's pipes to close).

#![allow(clippy::disallowed_methods)] // starts the detached hook worker

use crate::error::{IoContext, Result};
use std::ffi::OsStr;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};

/// Spawns `program args...` detached and returns its process id without waiting for it.
pub fn spawn(program: &Path, args: &[&OsStr]) -> Result<u32> {
    let child = Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .at("start background process", program)?;
    // Dropping `Child` neither waits for nor kills it; once we exit, init adopts it.
    Ok(child.id())
}

/// This program, for re-running ourselves in a hidden mode.
pub fn current_program() -> Result<std::path::PathBuf> {
    std::env::current_exe().at("find the running program", "/proc/self/exe")
}
