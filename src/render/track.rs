use super::Human;
use crate::ops::track::TrackOutcome;
use crate::session::Action;

impl Human for TrackOutcome {
    fn human(&self) -> String {
        let word = match self.action {
            Action::Created => "created",
            Action::Modified => "modified",
        };
        format!(
            "✅ Tracked: {} ({word}) in {}\n",
            self.path, self.session_id
        )
    }
}
