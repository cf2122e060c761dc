//! `claude-session end`.
//!
//! Archiving needs the user's approval (the seed's HITL closeout): `--yes`, or a yes to the
//! question on a terminal. Without either, `end` refuses and changes nothing; `--dry-run` shows
//! the numbers to approve. `/end` asks the user in the conversation and then runs `end --yes`.

use super::read_text_arg;
use crate::cli::EndArgs;
use crate::env::Env;
use crate::error::{Error, IoContext, Result};
use crate::ops::end::{EndDeclined, EndRequest, end, finish_interrupted, preview};
use crate::render::Human;
use std::io::{BufRead, IsTerminal, Write};

pub fn run(env: &Env, args: &EndArgs, out: &mut super::Printer) -> Result<()> {
    let mut request = EndRequest {
        session: crate::cli::session_of(&args.id, &args.session_flag),
        claude_session: args.claude_session.clone(),
        score: args.score,
        summary: None,
        no_backup: args.no_backup,
        push: args.push,
        handoff: args.handoff,
    };
    if args.dry_run {
        return out.outcome(&preview(env, &request)?);
    }
    if !args.yes {
        crate::ops::end::validate_score(request.score)?;
        // An end a kill interrupted was approved before it began: finishing it asks nothing.
        let finished = finish_interrupted(env, &env.project()?)?;
        let named = request.session.as_deref();
        let numbers = match preview(env, &request) {
            Ok(numbers) => numbers,
            Err(e) => {
                return match finished
                    .into_iter()
                    .find(|done| named.is_none_or(|prefix| done.session_id.starts_with(prefix)))
                {
                    Some(done) => out.outcome(&done),
                    None => Err(e),
                };
            }
        };
        if !std::io::stdin().is_terminal() {
            return Err(Error::invalid(
                "not archived without approval: run `claude-session end --dry-run` to see the numbers, then `claude-session end --yes` to archive",
                "stdin is not a terminal",
            ));
        }
        if !ask(&numbers.human(), &numbers.session_id)? {
            return out.outcome(&EndDeclined {
                session_id: numbers.session_id,
                archived: false,
            });
        }
    }
    if let Some(path) = &args.summary_file {
        request.summary = Some(read_text_arg(env, path)?);
    }
    let outcome = end(env, &request)?;
    let id = outcome.session_id.clone();
    out.outcome_then_sync(env, outcome, &id, args.sync)
}

/// Shows the numbers and asks on the terminal (stderr, so `--json` output stays one document);
/// only `y` or `yes` approves.
fn ask(numbers: &str, id: &str) -> Result<bool> {
    let mut err = std::io::stderr();
    let _ = write!(err, "{numbers}\nArchive session {id}? [y/N] ");
    let _ = err.flush();
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .at("read", "standard input")?;
    Ok(matches!(answer.trim().to_lowercase().as_str(), "y" | "yes"))
}
