//! Human text of `sync push|pull|status` and of the `--sync` note of `pause` and `end`.

use super::Human;
use crate::ops::sync::{PullOutcome, PushOutcome, StatusOutcome, SyncNote, WithSync};

impl Human for PushOutcome {
    fn human(&self) -> String {
        if self.sessions.is_empty() && self.memory_commit.is_none() {
            return "ℹ️ No session to sync.\n".to_string();
        }
        let mut text = String::new();
        if self.memory_commit.is_some() {
            text.push_str(&format!(
                "🧠 Project memory: refs/claude-session/{}/memory{}\n",
                self.machine,
                if self.error.is_some() {
                    " (kept locally)"
                } else {
                    ""
                }
            ));
        }
        for s in &self.sessions {
            let what = match s.result.as_str() {
                "pushed" => format!("pushed to {}", self.remote),
                "up_to_date" => format!("already on {}", self.remote),
                _ => format!(
                    "not pushed: {}",
                    s.reason.as_deref().unwrap_or("unknown reason")
                ),
            };
            text.push_str(&format!(
                "🔄 {} ({}): {what}\n",
                s.session_id,
                s.status.as_str()
            ));
        }
        text.push_str(&format!("   refs/claude-session/{}/…\n", self.machine));
        text
    }
}

impl Human for PullOutcome {
    fn human(&self) -> String {
        let mut text = String::new();
        if let Some(i) = &self.imported {
            text.push_str(&format!(
                "📥 Imported the paused session {} from machine {} (branch {}); resume continues it.\n",
                i.session_id,
                i.machine,
                i.branch.as_deref().unwrap_or("none")
            ));
        }
        for u in &self.updated {
            if u.ended {
                text.push_str(&format!(
                    "🏁 {} was ended on another machine: archived here too ({} event(s) merged).\n",
                    u.session_id, u.events_added
                ));
            } else {
                text.push_str(&format!(
                    "🔀 {}: {} event(s) of other machines merged (now {}).\n",
                    u.session_id,
                    u.events_added,
                    u.status.as_str()
                ));
            }
        }
        for id in &self.available {
            text.push_str(&format!(
                "ℹ️ {id} is paused on another machine; not imported while a session is paused here.\n"
            ));
        }
        if self.memory.added > 0 || self.memory.forgotten > 0 {
            text.push_str(&format!(
                "🧠 Project memory of other machines: {} entr{} added, {} forgotten as there.\n",
                self.memory.added,
                if self.memory.added == 1 { "y" } else { "ies" },
                self.memory.forgotten
            ));
        }
        for id in &self.conflicts {
            text.push_str(&format!(
                "⚠️ {id} here and on the remote are different sessions; left alone.\n"
            ));
        }
        if text.is_empty() {
            text = format!("✅ Up to date with {}: nothing new.\n", self.remote);
        }
        text
    }
}

impl Human for StatusOutcome {
    fn human(&self) -> String {
        let mut text = format!(
            "🔄 Sync through \"{}\" (machine {})\n",
            self.remote, self.machine
        );
        if !self.remote_configured {
            text.push_str(&format!(
                "⚠️ No git remote \"{}\": nothing can be pushed yet.\n",
                self.remote
            ));
        }
        if self.refs.is_empty() {
            text.push_str("   No session synced from this machine yet.\n");
        }
        for r in &self.refs {
            let state = match r.state.as_str() {
                "pushed" => "pushed",
                "never_pushed" => "NOT PUSHED (never)",
                _ => "NOT PUSHED (newer than the remote's)",
            };
            text.push_str(&format!("   {}: {state}\n", r.session_id));
        }
        for o in &self.others {
            text.push_str(&format!(
                "   from {}: {} ({})\n",
                o.machine,
                o.session_id,
                o.status.map_or("unknown", |s| s.as_str())
            ));
        }
        text
    }
}

impl Human for SyncNote {
    fn human(&self) -> String {
        match (&self.line, &self.outcome) {
            (Some(line), _) => {
                format!("⚠️ Not synced: {line} (`claude-session sync status` lists it)\n")
            }
            (None, Some(outcome)) => outcome.human(),
            (None, None) => String::new(),
        }
    }
}

impl<T: Human> Human for WithSync<T> {
    fn human(&self) -> String {
        format!("{}{}", self.inner.human(), self.sync.human())
    }
}
