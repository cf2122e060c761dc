//! The verbs, each once: a typed request in, a typed `Serialize` outcome out. Ops never print,
//! never see clap types and never import a front end; the CLI (`commands/`), the hooks
//! (`hook/`) and any later front end call the same functions, and `render/` turns outcomes
//! into text.

pub mod backup;
pub mod bind;
pub mod checkpoint;
pub mod config;
pub mod doctor;
pub mod end;
pub mod handoff;
pub mod install;
pub mod list;
pub mod pause;
pub mod pick;
pub mod remind;
pub mod restore;
pub mod resume;
pub mod show;
pub mod start;
pub mod track;
