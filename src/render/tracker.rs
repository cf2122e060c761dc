use super::Human;
use crate::ops::tracker::{Delivery, FlushOutcome, QueuedInfo, RunOutcome, StatusOutcome};

fn delivery_line(d: &Delivery) -> String {
    let what = if d.session_id.is_empty() {
        "(unreadable line)".to_string()
    } else {
        format!("{} ({}, key {})", d.session_id, d.kind, d.key)
    };
    let detail = match (d.result.as_str(), d.status, &d.message) {
        ("sent", Some(status), _) => format!("sent (HTTP {status})"),
        ("parked", Some(status), Some(message)) => {
            format!(
                "parked: HTTP {status}: {message} (fix it, then `claude-session tracker retry`)"
            )
        }
        (_, _, Some(message)) => format!(
            "{}: {message} after {} attempt(s); kept for the next flush",
            d.result, d.attempts
        ),
        (result, _, None) => result.to_string(),
    };
    format!("  {what}: {detail}\n")
}

impl Human for FlushOutcome {
    fn human(&self) -> String {
        let mut text = if self.deliveries.is_empty() {
            format!("📡 Tracker {}: nothing to send.\n", self.url)
        } else {
            format!("📡 Tracker {}:\n", self.url)
        };
        for d in &self.deliveries {
            text.push_str(&delivery_line(d));
        }
        text.push_str(&format!(
            "Waiting in the outbox: {}; parked: {}.\n",
            self.pending, self.parked
        ));
        text
    }
}

impl Human for StatusOutcome {
    fn human(&self) -> String {
        let mut text = format!(
            "📡 Tracker: {}\nOutbox: {}\n",
            self.url.as_deref().unwrap_or("not set (tracker.url)"),
            self.outbox
        );
        if self.pending.is_empty() {
            text.push_str("Pending: none.\n");
        } else {
            text.push_str(&format!("Pending ({}):\n", self.pending.len()));
            for p in &self.pending {
                text.push_str(&format!(
                    "  {} ({}, queued {}, key {})\n",
                    p.session_id, p.kind, p.queued_at, p.key
                ));
            }
        }
        if self.parked.is_empty() {
            text.push_str("Parked: none.\n");
        } else {
            text.push_str(&format!(
                "Parked ({}), refused by the server; `claude-session tracker retry` sends them again:\n",
                self.parked.len()
            ));
            for p in &self.parked {
                text.push_str(&format!(
                    "  {} ({}, key {}): HTTP {}: {}\n",
                    p.session_id, p.kind, p.key, p.status, p.message
                ));
            }
        }
        text
    }
}

impl Human for RunOutcome {
    fn human(&self) -> String {
        let run = &self.run;
        let mark = if run.success { "✅" } else { "❌" };
        let mut text = format!(
            "{mark} Maintenance run `{}` ({}): {} in {} ms, recorded in session {}.\n",
            run.name, run.command, run.status, run.duration_ms, self.session_id
        );
        if !run.result.is_empty() {
            for line in run.result.lines() {
                text.push_str(&format!("  | {line}\n"));
            }
        }
        text
    }
}

impl Human for QueuedInfo {
    fn human(&self) -> String {
        match &self.sender {
            Ok(_) => format!(
                "📡 Tracker: session record queued ({}), sending in the background; see `claude-session tracker status`.\n",
                self.outbox
            ),
            Err(why) => format!(
                "⚠️ Tracker: {why}; the outbox keeps what was queued, send it with `claude-session tracker flush` ({}).\n",
                self.outbox
            ),
        }
    }
}
