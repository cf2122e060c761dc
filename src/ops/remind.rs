//! (being moved here from commands/remind.rs)
