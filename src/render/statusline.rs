//! The status line: one short line, or nothing where claude-session is not used.

use super::Human;
use crate::ops::statusline::{ShownSession, StatuslineOutcome};
use crate::session::Status;

/// Most characters of the focus shown; the line has to share the width with the rest.
const FOCUS_CHARS: usize = 32;

impl Human for StatuslineOutcome {
    fn human(&self) -> String {
        if !self.in_use {
            return String::new();
        }
        let mut parts: Vec<String> = Vec::new();
        match &self.session {
            Some(shown) => session_parts(shown, &mut parts),
            None if self.active > 1 => parts.push(format!(
                "claude-session: {} sessions active, none in this conversation",
                self.active
            )),
            None => parts.push("claude-session: no session · /start".to_string()),
        }
        if let Some(waiting) = &self.pause_waiting {
            let label = waiting.number.as_deref().unwrap_or(waiting.id.as_str());
            parts.push(format!("⚠️ session {label} paused · /resume"));
        }
        format!("{}\n", parts.join(" · "))
    }
}

fn session_parts(shown: &ShownSession, parts: &mut Vec<String>) {
    let mut head = format!(
        "session {}",
        shown.number.as_deref().unwrap_or(shown.id.as_str())
    );
    let focus = shown.focus.trim();
    if !focus.is_empty() {
        head.push(' ');
        head.push_str(&short(focus, FOCUS_CHARS));
    }
    parts.push(head);
    parts.push(shown.status.as_str().to_string());
    parts.push(match shown.files {
        1 => "1 file".to_string(),
        n => format!("{n} files"),
    });
    match shown.status {
        Status::Paused => parts.push("⚠️ /resume to continue".to_string()),
        _ => {
            if let Some(minutes) = shown.minutes_since_checkpoint {
                parts.push(checkpoint_age(
                    shown.checkpointed,
                    minutes,
                    shown.checkpoint_overdue,
                ));
            }
        }
    }
}

fn checkpoint_age(checkpointed: bool, minutes: u64, overdue: bool) -> String {
    let age = super::duration(minutes);
    match (checkpointed, overdue) {
        (true, false) => format!("checkpoint {age} ago"),
        (true, true) => format!("⚠️ checkpoint {age} ago"),
        (false, false) => "no checkpoint yet".to_string(),
        (false, true) => format!("⚠️ no checkpoint in {age}"),
    }
}

/// `text` cut to `max` characters, with `…` where it was cut.
fn short(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let kept: String = text.chars().take(max.saturating_sub(1)).collect();
    format!("{}…", kept.trim_end())
}
