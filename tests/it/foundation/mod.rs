//! The session lifecycle, ids and corrupt state, in real git repositories.

mod corrupt;
mod crash;
mod fault_injection;
mod ids;
mod leftovers;
mod lifecycle;

use crate::support::TestEnv;

/// This area's world: the state root at `~/.claude` (where it is without
/// `CLAUDE_SESSION_HOME`) and a git repository `name` holding `README.md`. The snapshots show
/// both.
pub fn world(name: &'static str) -> TestEnv {
    TestEnv::builder().state_in_home().repo(name).build()
}
