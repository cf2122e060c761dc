//! Cross-cutting guarantees: automatic checkpoints, backup coverage, git safety, hooks that
//! never lose an event, safe pauses and restores, two windows on one project.

mod auto_checkpoint;
mod backup_coverage;
mod git_safety;
mod hook_resilience;
mod pause_safety;
mod restore_safety;
mod two_windows;

/// The world of the foundation tests (state root at `~/.claude`, a repository `name`).
pub use crate::foundation::world;
