//! Crash points for the crash-safety tests. With `CLAUDE_SESSION_CRASH_AT=<name>` the process
//! dies at the point of that name the way `kill -9` kills it: at once, no unwinding, no
//! cleanup, no buffered output. Without the variable a point costs one environment lookup.

pub const CRASH_ENV: &str = "CLAUDE_SESSION_CRASH_AT";

/// Dies here when the crash-safety tests ask for it.
pub fn point(name: &str) {
    if std::env::var_os(CRASH_ENV).is_some_and(|wanted| wanted == name) {
        std::process::abort();
    }
}
