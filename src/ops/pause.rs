//! (being moved here from commands/pause.rs)
