use super::Human;
use crate::ops::remind::RemindOutcome;

impl Human for RemindOutcome {
    fn human(&self) -> String {
        if self.enabled {
            format!(
                "⏰ Reminders on: after {} min without a checkpoint, once per interval ({}).\n",
                self.interval_minutes, self.state_file
            )
        } else {
            format!(
                "Reminders off. Turn them on with `claude-session remind on` or `remind every MINUTES` ({}).\n",
                self.state_file
            )
        }
    }
}
