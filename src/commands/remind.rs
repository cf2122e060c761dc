//! `claude-session remind [on | off | every MINUTES]`: the prompt hook's checkpoint reminder
//! (`<root>/remind-state.json`).

use crate::cli::{RemindAction, RemindArgs};
use crate::env::Env;
use crate::error::Result;
use crate::remind::{self, RemindState};

pub fn run(ctx: &Env, args: &RemindArgs, out: &mut super::Printer) -> Result<()> {
    let default_minutes = ctx.config().get("remind.default_minutes") as u64;
    let state = match &args.action {
        None => remind::read(&ctx.layout)?.unwrap_or_else(|| RemindState::new(default_minutes)),
        Some(action) => remind::update(
            &ctx.layout,
            ctx.wait(),
            || RemindState::new(default_minutes),
            ctx.now()?,
            |state| {
                match action {
                    RemindAction::On => state.enabled = true,
                    RemindAction::Off => state.enabled = false,
                    RemindAction::Every { minutes } => {
                        state.enabled = true;
                        state.interval_minutes = *minutes;
                    }
                }
                state.clone()
            },
        )?,
    };
    let text = if state.enabled {
        format!(
            "⏰ Reminders on: after {} min without a checkpoint, once per interval ({}).\n",
            state.interval_minutes,
            ctx.layout.remind_state().display()
        )
    } else {
        format!(
            "Reminders off. Turn them on with `claude-session remind on` or `remind every MINUTES` ({}).\n",
            ctx.layout.remind_state().display()
        )
    };
    out.text(&text)
}
