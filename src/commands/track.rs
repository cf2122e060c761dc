//! `claude-session track FILE`.

use crate::cli::{TrackAction, TrackArgs};
use crate::env::Env;
use crate::error::Result;
use crate::ops::track::{TrackRequest, track};
use crate::session::Action;

pub fn run(env: &Env, args: &TrackArgs, out: &mut super::Printer) -> Result<()> {
    let request = TrackRequest {
        file: args.file.clone(),
        action: args.action.map(|action| match action {
            TrackAction::Created => Action::Created,
            TrackAction::Modified => Action::Modified,
        }),
        session: args.session.clone(),
        outside: args.outside,
    };
    out.outcome(&track(env, &request)?)
}
