use super::{Human, duration, score, table};
use crate::ops::list::{ListOutcome, StatusOutcome};

impl Human for ListOutcome {
    fn human(&self) -> String {
        if self.sessions.is_empty() {
            return "No sessions.\n".to_string();
        }
        let rows: Vec<Vec<String>> = self
            .sessions
            .iter()
            .map(|s| {
                vec![
                    s.id.clone(),
                    s.status.as_str().to_string(),
                    format!("{} {}", s.date, s.start_time),
                    duration(s.duration_minutes),
                    format!("{}+{}", s.files_created, s.files_modified),
                    score(s.rulemap_score),
                ]
            })
            .collect();
        table(
            &["SESSION", "STATUS", "STARTED", "TIME", "FILES", "SCORE"],
            &rows,
        )
    }
}

impl Human for StatusOutcome {
    fn human(&self) -> String {
        let mut text = format!("Project: {} ({})\n", self.project_name, self.project);
        if self.sessions.is_empty() {
            text.push_str("No open session. Start one with `claude-session start <focus>`.\n");
            return text;
        }
        let rows: Vec<Vec<String>> = self
            .sessions
            .iter()
            .map(|s| {
                vec![
                    s.id.clone(),
                    s.status.as_str().to_string(),
                    duration(s.duration_minutes),
                    s.files_created.to_string(),
                    s.files_modified.to_string(),
                    s.checkpoints.to_string(),
                    s.agents.to_string(),
                    s.prompts.to_string(),
                ]
            })
            .collect();
        text.push_str(&table(
            &[
                "SESSION",
                "STATUS",
                "TIME",
                "CREATED",
                "MODIFIED",
                "CHECKPOINTS",
                "AGENTS",
                "PROMPTS",
            ],
            &rows,
        ));
        text
    }
}
