//! `claude-session checkpoints [SESSION]`: a session's checkpoints with time, description,
//! file count and bytes.

use crate::cli::CheckpointsArgs;
use crate::env::Env;
use crate::error::Result;
use crate::ops::checkpoint::{CheckpointsRequest, list};

pub fn run(env: &Env, args: &CheckpointsArgs, out: &mut super::Printer) -> Result<()> {
    let request = CheckpointsRequest {
        session: crate::cli::session_of(&args.id, &args.session_flag),
    };
    out.outcome(&list(env, &request)?)
}
