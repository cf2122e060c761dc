//! Which session a command means: an id or unique prefix, else the one bound to this Claude Code
//! conversation when several are open, else the project's only open session.

use crate::env::Env;
use crate::error::{Error, Result};
use crate::paths::Project;
use crate::registry::{self, Workspace};

/// Claude Code gives its Bash tool and `!` lines the conversation's id in this variable.
pub const CLAUDE_SESSION_ENV: &str = "CLAUDE_CODE_SESSION_ID";

/// A Claude session id as passed by a command file; an unsubstituted placeholder counts as none.
pub fn claude_id(raw: Option<&str>) -> Option<String> {
    raw.map(str::trim)
        .filter(|id| !id.is_empty() && !id.contains('$'))
        .map(str::to_string)
}

/// The Claude session id given on the command line, checked; `None` for an absent or
/// unsubstituted `${CLAUDE_SESSION_ID}`.
pub fn checked_claude_id(raw: Option<&str>) -> Result<Option<String>> {
    let id = claude_id(raw);
    if let Some(id) = &id
        && !registry::valid_claude_id(id)
    {
        return Err(Error::invalid(
            "a Claude session id may hold only letters, digits, - and _",
            id,
        ));
    }
    Ok(id)
}

/// The session named by `id` (unique prefix), else the project's only open session.
pub fn open(env: &Env, project: &Project, id: Option<&str>) -> Result<Workspace> {
    open_for(env, project, id, None)
}

/// Like [`open`], but with several sessions open, the one bound to this Claude Code
/// conversation (`claude`, else `$CLAUDE_CODE_SESSION_ID`) is the one meant: two windows on one
/// project each pause and end their own.
pub fn open_for(
    env: &Env,
    project: &Project,
    id: Option<&str>,
    claude: Option<&str>,
) -> Result<Workspace> {
    if let Some(prefix) = id {
        return registry::resolve(project, prefix);
    }
    registry::reconcile_index(project, env.wait())?;
    let open = registry::open_sessions(project, env.wait())?;
    let from_env = std::env::var(CLAUDE_SESSION_ENV).ok();
    let claude = claude_id(claude).or_else(|| claude_id(from_env.as_deref()));
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
        many => {
            let listed: Vec<String> = many
                .iter()
                .map(|(w, entry)| {
                    if entry.focus.is_empty() {
                        format!("{} ({})", w.id, entry.status.as_str())
                    } else {
                        format!("{} ({}: {})", w.id, entry.status.as_str(), entry.focus)
                    }
                })
                .collect();
            let command = if env.command.is_empty() {
                "<command>"
            } else {
                env.command.as_str()
            };
            Err(Error::invalid(
                format!(
                    "several open sessions, say which: {}; e.g. `claude-session {command} --session {}`",
                    listed.join(", "),
                    many[0].0.id
                ),
                project.path.display(),
            ))
        }
    }
}
