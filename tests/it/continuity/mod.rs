//! Continuity: pause → resume, `end`, context files, the claude.ai handoff, redaction, and the
//! slash-command files, on real repositories.

mod commands;
mod context;
mod documents;
mod end;
mod handoff;
mod new_user;
mod pause_resume;
mod redaction;

use crate::support::TestEnv;

/// The clock these tests start at.
pub const T0: &str = "2026-03-14T10:00:00Z";

/// This area's world: a git repository `demo` on `main` with one commit (README.md,
/// src/lib.rs), the clock at [`T0`]. Snapshots show its name and commit hashes.
pub fn world() -> TestEnv {
    TestEnv::builder()
        .repo("demo")
        .files(&[
            ("README.md", "# Demo\n\nA small demo project for tests.\n"),
            ("src/lib.rs", "pub fn answer() -> u32 {\n    42\n}\n"),
        ])
        .message("Initial commit")
        .clock(T0)
        .build()
}

/// The same without git: an empty folder `demo`.
pub fn plain_world() -> TestEnv {
    TestEnv::builder().folder("demo").clock(T0).build()
}

/// The project's slug (its folder name under the state root), known before the folder exists.
pub fn slug(env: &TestEnv) -> String {
    claude_session::paths::project_slug(&env.project, "demo")
}

/// [`TestEnv::redact`] as this area's snapshots spell it: the slug as `demo-[SLUG]`.
pub fn scrub(env: &TestEnv, text: &str) -> String {
    env.redact(text).replace("demo-[HASH]", "demo-[SLUG]")
}
