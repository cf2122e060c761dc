//! (being moved here from commands/install.rs)
