//! `claude-session tasks [SESSION]`: the session's task list, live.

use crate::cli::TasksArgs;
use crate::env::Env;
use crate::error::Result;
use crate::ops::tasks::{TasksRequest, tasks};

pub fn run(env: &Env, args: &TasksArgs, out: &mut super::Printer) -> Result<()> {
    let request = TasksRequest {
        session: crate::cli::session_of(&args.id, &args.session_flag),
    };
    out.outcome(&tasks(env, &request)?)
}
