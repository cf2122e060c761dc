//! `remind`: the prompt hook's checkpoint reminder (`<root>/remind-state.json`): shown, turned
//! on or off, or given a new interval.

use crate::env::Env;
use crate::error::Result;
use crate::remind::{self, RemindState};
use serde::Serialize;

/// What to change; `None` only shows the current state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemindChange {
    On,
    Off,
    /// Remind after this many minutes without a checkpoint (turns reminders on).
    Every(u64),
}

#[derive(Debug, Clone, Default)]
pub struct RemindRequest {
    pub change: Option<RemindChange>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RemindOutcome {
    pub enabled: bool,
    pub interval_minutes: u64,
    /// remind-state.json.
    pub state_file: String,
}

pub fn remind(env: &Env, request: &RemindRequest) -> Result<RemindOutcome> {
    let default_minutes = env.config().remind.default_minutes;
    let state = match request.change {
        None => remind::read(&env.layout)?.unwrap_or_else(|| RemindState::new(default_minutes)),
        Some(change) => remind::update(
            &env.layout,
            env.wait(),
            || RemindState::new(default_minutes),
            env.now()?,
            |state| {
                match change {
                    RemindChange::On => state.enabled = true,
                    RemindChange::Off => state.enabled = false,
                    RemindChange::Every(minutes) => {
                        state.enabled = true;
                        state.interval_minutes = minutes;
                    }
                }
                state.clone()
            },
        )?,
    };
    Ok(RemindOutcome {
        enabled: state.enabled,
        interval_minutes: state.interval_minutes,
        state_file: env.layout.remind_state().display().to_string(),
    })
}
