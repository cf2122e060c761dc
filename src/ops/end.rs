//! (being moved here from commands/end.rs)
