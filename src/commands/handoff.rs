//! `claude-session handoff export|import`.

use super::read_text_arg;
use crate::cli::{HandoffCommand, HandoffExportArgs, HandoffImportArgs};
use crate::env::Env;
use crate::error::Result;
use crate::ops::handoff::{ExportRequest, ImportRequest, export, import};
use crate::render::Human;

pub fn run(env: &Env, command: &HandoffCommand, out: &mut super::Printer) -> Result<()> {
    match command {
        HandoffCommand::Export(args) => export_command(env, args, out),
        HandoffCommand::Import(args) => import_command(env, args, out),
    }
}

fn export_command(env: &Env, args: &HandoffExportArgs, out: &mut super::Printer) -> Result<()> {
    let outcome = export(
        env,
        &ExportRequest {
            max_bytes: args.max_bytes,
            output: args.output.as_deref().map(|file| env.absolute(file)),
            clipboard: args.clipboard,
        },
    )?;
    if out.json() || outcome.delivered() {
        return out.outcome(&outcome);
    }
    // The prompt alone on stdout (ready to pipe); the report on stderr.
    super::emit(out.raw(), &outcome.exported.prompt)?;
    eprint!("{}", outcome.human());
    Ok(())
}

fn import_command(env: &Env, args: &HandoffImportArgs, out: &mut super::Printer) -> Result<()> {
    let answer = read_text_arg(env, &args.file)?;
    out.outcome(&import(
        env,
        &ImportRequest {
            answer,
            source: args.file.display().to_string(),
        },
    )?)
}
