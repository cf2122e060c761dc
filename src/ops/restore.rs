//! (being moved here from commands/restore.rs)
