//! `claude-session memory add|list|search|forget`.

use crate::cli::MemoryCommand;
use crate::env::Env;
use crate::error::{Error, Result};
use crate::memory::Kind;
use crate::ops::memory::{
    AddRequest, ForgetRequest, ListRequest, SearchRequest, add, forget, list, search,
};

fn kind(name: &str) -> Result<Kind> {
    Kind::parse(name).ok_or_else(|| {
        Error::invalid(
            "not a memory kind; give architecture, pattern, decision or error",
            name,
        )
    })
}

pub fn run(env: &Env, command: &MemoryCommand, out: &mut super::Printer) -> Result<()> {
    match command {
        MemoryCommand::Add(args) => {
            let joined = args.text.join(" ");
            let text = if joined == "-" {
                super::read_text_arg(env, std::path::Path::new("-"))?
            } else {
                joined
            };
            let request = AddRequest {
                kind: kind(&args.kind)?,
                text,
                tags: args.tags.clone(),
                approach: args.approach.clone(),
                outcome: args.outcome.clone(),
                lessons: args.lessons.clone(),
                claude_session: None,
            };
            out.outcome(&add(env, &request)?)
        }
        MemoryCommand::List(args) => {
            let request = ListRequest {
                kind: args.kind.as_deref().map(kind).transpose()?,
            };
            out.outcome(&list(env, &request)?)
        }
        MemoryCommand::Search(args) => {
            let request = SearchRequest {
                query: args.query.join(" "),
                limit: args.limit as usize,
            };
            out.outcome(&search(env, &request)?)
        }
        MemoryCommand::Forget(args) => out.outcome(&forget(
            env,
            &ForgetRequest {
                id: args.id.clone(),
            },
        )?),
    }
}
