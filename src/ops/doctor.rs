//! (being moved here from commands/doctor.rs)
