//! The environment every child process of a test starts from: nothing inherited but `PATH`
//! (no `CLAUDE_*`, `GIT_SSH*` or soft-fail setting of the developer's shell leaks in), UTC, no
//! user or system git configuration, and a fixed git identity and date so commit hashes are
//! stable. Each support module adds its own HOME, state root and clock.

use std::process::Command;

pub const GIT_DATE: &str = "2025-10-25T12:00:00Z";

pub fn isolate(cmd: &mut Command) -> &mut Command {
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("TZ", "UTC")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "Test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
        .env("GIT_AUTHOR_DATE", GIT_DATE)
        .env("GIT_COMMITTER_DATE", GIT_DATE)
}
