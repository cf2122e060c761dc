//! `claude-session status`.

use crate::cli::StatusArgs;
use crate::env::Env;
use crate::error::Result;
use crate::ops::list::{StatusRequest, status};

pub fn run(env: &Env, _args: &StatusArgs, out: &mut super::Printer) -> Result<()> {
    out.outcome(&status(env, &StatusRequest {})?)
}
