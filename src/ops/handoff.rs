//! (being moved here from commands/handoff.rs)
