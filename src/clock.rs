//! The one source of "now". Tests pin it with `CLAUDE_SESSION_NOW`.

#![allow(clippy::disallowed_methods)] // the one module that reads the time

use crate::error::{Error, Result};
use jiff::{Timestamp, Zoned, civil::DateTime, tz::TimeZone};

pub const NOW_ENV: &str = "CLAUDE_SESSION_NOW";

/// The current instant: `CLAUDE_SESSION_NOW` (RFC 3339, or a civil time read in the local zone) or the system clock.
pub fn now() -> Result<Timestamp> {
    match std::env::var(NOW_ENV) {
        Ok(text) if !text.trim().is_empty() => parse_instant(text.trim()),
        // Whole seconds: stored times read cleanly and compare exactly.
        _ => Ok(Timestamp::from_second(Timestamp::now().as_second())
            .unwrap_or_else(|_| Timestamp::now())),
    }
}

/// `now()`, or the system clock when `CLAUDE_SESSION_NOW` is unreadable: for log lines, which
/// must be written whatever is wrong.
pub fn now_for_log() -> Timestamp {
    now().unwrap_or_else(|_| Timestamp::now())
}

/// The system clock as the file system sees it (for ages of files), never pinned.
pub fn system_time() -> std::time::SystemTime {
    std::time::SystemTime::now()
}

pub fn parse_instant(text: &str) -> Result<Timestamp> {
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Ok(ts);
    }
    let civil: DateTime = text.parse().map_err(|_| {
        Error::invalid(
            "not a time: use 2025-10-25T14:30:00 or RFC 3339",
            format!("{NOW_ENV}={text}"),
        )
    })?;
    civil
        .to_zoned(local_zone())
        .map(|z| z.timestamp())
        .map_err(|e| Error::invalid(e.to_string(), format!("{NOW_ENV}={text}")))
}

pub fn local_zone() -> TimeZone {
    TimeZone::system()
}

pub fn local(ts: Timestamp) -> Zoned {
    ts.to_zoned(local_zone())
}

/// `YYYY-MM-DD` in local time.
pub fn local_date(ts: Timestamp) -> String {
    local(ts).strftime("%Y-%m-%d").to_string()
}

/// `HH:MM:SS` in local time.
pub fn local_time(ts: Timestamp) -> String {
    local(ts).strftime("%H:%M:%S").to_string()
}

/// `YYYY-MM-DD HH:MM` in local time, for humans.
pub fn local_short(ts: Timestamp) -> String {
    local(ts).strftime("%Y-%m-%d %H:%M").to_string()
}

/// A UTC stamp safe in file names: `20251025T143000Z`.
pub fn file_stamp_utc(ts: Timestamp) -> String {
    ts.strftime("%Y%m%dT%H%M%SZ").to_string()
}

/// Whole minutes between two instants, never negative.
pub fn minutes_between(from: Timestamp, to: Timestamp) -> u64 {
    let secs = to.as_second() - from.as_second();
    if secs <= 0 { 0 } else { (secs / 60) as u64 }
}
