//! Recovery: checkpoints, restores, daily and milestone backups, hostile archives.

mod archives;
mod backups;
mod checkpoints;
mod memory;
mod restore;
mod restore_backups;

use crate::support::{Builder, TestEnv};

/// This area's world: a git repository `project` with one commit (README.md, src/main.rs).
pub fn world() -> TestEnv {
    builder().build()
}

/// The same with the state root inside the project (where git does not ignore it).
pub fn world_with_state_inside() -> TestEnv {
    builder().state_in_project(".claude-state").build()
}

/// An empty folder `project`, no git.
pub fn bare_world() -> TestEnv {
    TestEnv::builder().folder("project").build()
}

fn builder() -> Builder {
    TestEnv::builder()
        .repo("project")
        .files(&[("README.md", "# demo\n"), ("src/main.rs", "fn main() {}\n")])
}
