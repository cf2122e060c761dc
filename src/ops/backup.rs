//! (being moved here from commands/backup.rs)
