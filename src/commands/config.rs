//! `claude-session config`: the effective settings and where each came from.

use crate::cli::ConfigArgs;
use crate::env::Env;
use crate::error::Result;
use crate::ops::config::{ConfigRequest, config};

pub fn run(env: &Env, _args: &ConfigArgs, out: &mut super::Printer) -> Result<()> {
    out.outcome(&config(env, &ConfigRequest {})?)
}
