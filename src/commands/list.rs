//! `claude-session list [--archived | --all]`.

use crate::cli::ListArgs;
use crate::env::Env;
use crate::error::Result;
use crate::ops::list::{ListRequest, ListScope, list};

pub fn run(env: &Env, args: &ListArgs, out: &mut super::Printer) -> Result<()> {
    let scope = if args.all {
        ListScope::All
    } else if args.archived {
        ListScope::Archived
    } else {
        ListScope::Open
    };
    out.outcome(&list(env, &ListRequest { scope })?)
}
