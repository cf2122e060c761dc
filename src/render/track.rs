use super::Human;
use crate::ops::track::TrackOutcome;
use crate::session::Action;

impl Human for TrackOutcome {
    fn human(&self) -> String {
        let word = match self.action {
            Action::Created => "created",
            Action::Modified => "modified",
        };
        let mut text = format!(
            "✅ Tracked: {} ({word}) in {}\n",
            self.path, self.session_id
        );
        if self.outside_project {
            text.push_str(
                "ℹ️ Outside the project: recorded, but checkpoints and backups hold the project's files only.\n",
            );
        }
        text
    }
}
