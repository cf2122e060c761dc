//! (being moved here from commands/start.rs)
