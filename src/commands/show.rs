//! `claude-session show ID`.

use crate::cli::ShowArgs;
use crate::env::Env;
use crate::error::Result;
use crate::ops::show::{ShowRequest, show};

pub fn run(env: &Env, args: &ShowArgs, out: &mut super::Printer) -> Result<()> {
    out.outcome(&show(
        env,
        &ShowRequest {
            id: crate::cli::session_of(&args.id, &args.session_flag).unwrap_or_default(),
        },
    )?)
}
