//! (being moved here from commands/bind.rs)
