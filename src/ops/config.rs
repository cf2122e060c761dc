//! (being moved here from commands/config.rs)
