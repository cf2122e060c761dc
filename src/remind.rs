//! `<root>/remind-state.json`: whether the prompt hook reminds the user to checkpoint, how often,
//! and when it last did so per session (so it reminds at most once per interval).

use crate::error::Result;
use crate::paths::Layout;
use crate::store::{self, Loaded};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::time::Duration;

/// Reminder times older than this are dropped when the file is written (ended sessions).
const FORGET_AFTER_SECONDS: i64 = 7 * 24 * 3600;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RemindState {
    pub version: u32,
    #[serde(default)]
    pub enabled: bool,
    #[serde(default = "default_interval")]
    pub interval_minutes: u64,
    /// Session id → when the prompt hook last reminded it.
    #[serde(default)]
    pub last_reminded: BTreeMap<String, Timestamp>,
}

fn default_interval() -> u64 {
    45
}

impl RemindState {
    pub fn new(interval_minutes: u64) -> RemindState {
        RemindState {
            version: store::STATE_VERSION,
            enabled: false,
            interval_minutes,
            last_reminded: BTreeMap::new(),
        }
    }

    /// Minutes without a checkpoint when a reminder is due for `session`, else `None`:
    /// reminders are on, `since` (last checkpoint or start) is at least one interval ago, and
    /// the session was not reminded within the last interval.
    pub fn due(&self, session: &str, since: Timestamp, now: Timestamp) -> Option<u64> {
        if !self.enabled || self.interval_minutes == 0 {
            return None;
        }
        let idle = crate::clock::minutes_between(since, now);
        if idle < self.interval_minutes {
            return None;
        }
        if let Some(last) = self.last_reminded.get(session)
            && crate::clock::minutes_between(*last, now) < self.interval_minutes
        {
            return None;
        }
        Some(idle)
    }

    fn forget_old(&mut self, now: Timestamp) {
        self.last_reminded
            .retain(|_, at| now.as_second() - at.as_second() < FORGET_AFTER_SECONDS);
    }
}

/// What the file holds; `None` when it is missing. A file that does not parse is moved aside
/// (and said so on stderr) and reads as `None`: it only holds a preference and reminder times.
pub fn read(layout: &Layout) -> Result<Option<RemindState>> {
    match store::read_json::<RemindState>(&layout.remind_state())? {
        Loaded::Found(state) => Ok(Some(state)),
        Loaded::Missing | Loaded::Corrupt { .. } => Ok(None),
    }
}

/// Read-modify-write under the file's lock; `fresh` is the state used when there is none.
pub fn update<T>(
    layout: &Layout,
    wait: Duration,
    fresh: impl FnOnce() -> RemindState,
    now: Timestamp,
    change: impl FnOnce(&mut RemindState) -> T,
) -> Result<T> {
    let path = layout.remind_state();
    let _guard = store::lock(&path, wait)?;
    let mut state = read(layout)?.unwrap_or_else(fresh);
    let value = change(&mut state);
    state.version = store::STATE_VERSION;
    state.forget_old(now);
    store::write_json(&path, &state)?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    #[test]
    fn a_reminder_is_due_once_per_interval() {
        let mut state = RemindState::new(45);
        let start = at("2025-10-25T10:00:00Z");
        assert_eq!(state.due("s", start, at("2025-10-25T11:00:00Z")), None);
        state.enabled = true;
        assert_eq!(state.due("s", start, at("2025-10-25T10:44:59Z")), None);
        assert_eq!(state.due("s", start, at("2025-10-25T10:45:00Z")), Some(45));
        state
            .last_reminded
            .insert("s".into(), at("2025-10-25T10:45:00Z"));
        assert_eq!(state.due("s", start, at("2025-10-25T11:00:00Z")), None);
        assert_eq!(state.due("s", start, at("2025-10-25T11:30:00Z")), Some(90));
        assert_eq!(
            state.due("other", start, at("2025-10-25T11:00:00Z")),
            Some(60)
        );
    }

    #[test]
    fn old_reminder_times_are_forgotten() {
        let mut state = RemindState::new(45);
        state
            .last_reminded
            .insert("old".into(), at("2025-10-01T00:00:00Z"));
        state
            .last_reminded
            .insert("new".into(), at("2025-10-25T00:00:00Z"));
        state.forget_old(at("2025-10-25T12:00:00Z"));
        assert_eq!(state.last_reminded.keys().collect::<Vec<_>>(), ["new"]);
    }
}
