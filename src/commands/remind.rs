//! `claude-session remind [on | off | every MINUTES]`.

use crate::cli::{RemindAction, RemindArgs};
use crate::env::Env;
use crate::error::Result;
use crate::ops::remind::{RemindChange, RemindRequest, remind};

pub fn run(env: &Env, args: &RemindArgs, out: &mut super::Printer) -> Result<()> {
    let request = RemindRequest {
        change: args.action.as_ref().map(|action| match action {
            RemindAction::On => RemindChange::On,
            RemindAction::Off => RemindChange::Off,
            RemindAction::Every { minutes } => RemindChange::Every(*minutes),
        }),
    };
    out.outcome(&remind(env, &request)?)
}
