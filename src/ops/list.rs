//! (being moved here from commands/list.rs)
