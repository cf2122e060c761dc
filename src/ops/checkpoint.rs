//! (being moved here from commands/checkpoint.rs)
