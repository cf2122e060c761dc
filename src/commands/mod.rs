//! The command-line front end: one module per subcommand, each clap arguments → request → ops
//! → [`Printer`]. A command never imports another command; what two need lives in `ops/` or
//! `render/`.

pub mod backup;
pub mod backups;
pub mod checkpoint;
pub mod checkpoints;
pub mod config;
pub mod doctor;
pub mod end;
pub mod handoff;
pub mod hook;
pub mod install;
pub mod list;
pub mod mcp;
pub mod memory;
pub mod pause;
pub mod remind;
pub mod restore;
pub mod resume;
pub mod show;
pub mod start;
pub mod status;
pub mod statusline;
pub mod sync;
pub mod tasks;
pub mod track;
pub mod tracker;
pub mod uninstall;

use crate::env::Env;
use crate::error::{Error, IoContext, Result};
use crate::render::{self, Human};
use serde::Serialize;
use std::io::{Read, Write};
use std::path::Path;

/// Writes a report; a closed stdout (e.g. piped into `head`) is not an error worth failing for.
pub fn emit(out: &mut dyn Write, text: &str) -> Result<()> {
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::io("write", "stdout", e))
        }
        _ => Ok(()),
    }
}

/// Reads a markdown text the user (or Claude) gave: a file, or `-` for standard input.
pub fn read_text_arg(ctx: &Env, path: &Path) -> Result<String> {
    let bytes = if path.as_os_str() == "-" {
        let mut buffer = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buffer)
            .at("read", "standard input")?;
        buffer
    } else {
        let absolute = ctx.absolute(path);
        std::fs::read(&absolute).at("read", &absolute)?
    };
    String::from_utf8(bytes).map_err(|_| Error::invalid("the text is not UTF-8", path.display()))
}

/// Where a command's outcome goes: human text, or with `--json` one JSON document.
pub struct Printer<'a> {
    out: &'a mut dyn Write,
    json: bool,
    command: String,
}

impl<'a> Printer<'a> {
    pub fn new(out: &'a mut dyn Write, json: bool, command: impl Into<String>) -> Printer<'a> {
        Printer {
            out,
            json,
            command: command.into(),
        }
    }

    pub fn json(&self) -> bool {
        self.json
    }

    /// Prints the outcome as text, or as its JSON document.
    pub fn outcome<T: Serialize + Human + ?Sized>(&mut self, outcome: &T) -> Result<()> {
        let text = if self.json {
            render::json_document(&self.command, outcome)?
        } else {
            outcome.human()
        };
        emit(self.out, &text)
    }

    /// The outcome of `pause` or `end`; with `--sync`, the session is pushed first and the
    /// push's note goes with it.
    pub fn outcome_then_sync<T>(
        &mut self,
        env: &Env,
        outcome: T,
        id: &str,
        sync: bool,
    ) -> Result<()>
    where
        T: Serialize + Human,
    {
        if !sync {
            return self.outcome(&outcome);
        }
        let sync = crate::ops::sync::after(env, id);
        self.outcome(&crate::ops::sync::WithSync {
            inner: outcome,
            sync,
        })
    }

    /// The error, as the JSON document of a failure.
    pub fn error(&mut self, error: &Error) -> Result<()> {
        emit(self.out, &render::json_error(&self.command, error))
    }

    pub fn raw(&mut self) -> &mut dyn Write {
        self.out
    }
}
