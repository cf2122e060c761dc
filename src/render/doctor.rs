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
        // The verdict counts what the lines above marked: "All good" only when none is marked.
        let warnings = match self.warnings {
            0 => String::new(),
            1 => "1 warning".to_string(),
            n => format!("{n} warnings"),
        };
        text.push_str(&match (self.problems, warnings.is_empty()) {
            (0, true) => "All good.".to_string(),
            (0, false) => format!("No problems, {warnings}."),
            (1, true) => "1 problem found.".to_string(),
            (n, true) => format!("{n} problems found."),
            (1, false) => format!("1 problem found, {warnings}."),
            (n, false) => format!("{n} problems found, {warnings}."),
        });
        // The last line ends like every other: nothing runs into the prompt or stderr after it.
        text.push('\n');
        text
    }
}
