//! One module per subcommand, plus what several of them share.

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
pub mod pause;
pub mod remind;
pub mod restore;
pub mod resume;
pub mod show;
pub mod start;
pub mod status;
pub mod track;
pub mod uninstall;

use crate::context::Context;
use crate::error::{Error, IoContext, Result};
use crate::paths::Project;
use crate::registry::{self, Workspace};
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

/// The session named by `id` (unique prefix), else the project's only open session.
pub fn pick_open(ctx: &Context, project: &Project, id: Option<&str>) -> Result<Workspace> {
    pick_open_for(ctx, project, id, None)
}

/// Claude Code gives its Bash tool and `!` lines the conversation's id in this variable.
pub const CLAUDE_SESSION_ENV: &str = "CLAUDE_CODE_SESSION_ID";

/// Like [`pick_open`], but with several sessions open, the one bound to this Claude Code
/// conversation (`claude`, else `$CLAUDE_CODE_SESSION_ID`) is the one meant: two windows on one
/// project each pause and end their own.
pub fn pick_open_for(
    ctx: &Context,
    project: &Project,
    id: Option<&str>,
    claude: Option<&str>,
) -> Result<Workspace> {
    if let Some(prefix) = id {
        return registry::resolve(project, prefix);
    }
    let open = registry::open_sessions(project, ctx.wait())?;
    let from_env = std::env::var(CLAUDE_SESSION_ENV).ok();
    let claude = start::claude_id(claude).or_else(|| start::claude_id(from_env.as_deref()));
    if open.len() > 1
        && let Some(bound) = claude.and_then(|c| registry::bound_session(project, &c))
        && let Some((ws, _)) = open.iter().find(|(ws, _)| ws.id == bound)
    {
        return Ok(ws.clone());
    }
    match open.as_slice() {
        [(ws, _)] => Ok(ws.clone()),
        [] => Err(Error::invalid(
            "no open session in this project; start one with `claude-session start`",
            project.path.display(),
        )),
        many => Err(Error::invalid(
            format!(
                "several open sessions, name one: {}",
                many.iter()
                    .map(|(w, _)| w.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            project.path.display(),
        )),
    }
}

/// Reads a markdown text the user (or Claude) gave: a file, or `-` for standard input.
pub fn read_text_arg(ctx: &Context, path: &Path) -> Result<String> {
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
