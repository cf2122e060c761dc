use super::Human;
use crate::ops::doctor::{CheckStatus, DoctorOutcome};

impl Human for DoctorOutcome {
    fn human(&self) -> String {
        let mut text = String::from("claude-session doctor\n");
        for check in &self.checks {
            let mark = match check.status {
                CheckStatus::Ok => "✓",
                CheckStatus::Warn => "!",
                CheckStatus::Fail => "✗",
            };
            text.push_str(&format!("  {mark} {}\n", check.message));
        }
        text.push_str(&match self.problems {
            0 => "All good.\n".to_string(),
            1 => "1 problem found.\n".to_string(),
            n => format!("{n} problems found.\n"),
        });
        text
    }
}
