//! (being moved here from commands/resume.rs)
