//! `claude-session doctor`: prints the checklist; exits 1 when something is wrong.

use crate::cli::DoctorArgs;
use crate::env::Env;
use crate::error::{Error, Result};
use crate::ops::doctor::{DoctorRequest, doctor};

pub fn run(env: &Env, args: &DoctorArgs, out: &mut super::Printer) -> Result<()> {
    let outcome = doctor(
        env,
        &DoctorRequest {
            repair: args.repair,
        },
    )?;
    out.outcome(&outcome)?;
    if outcome.problems > 0 {
        let error = Error::invalid(
            format!("doctor found {} problem(s)", outcome.problems),
            "see the checklist above",
        );
        // The outcome already says so; with --json it is the document, and the exit status is
        // what is left to report.
        return Err(if out.json() {
            Error::Reported(Box::new(error))
        } else {
            error
        });
    }
    Ok(())
}
