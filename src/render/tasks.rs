use super::Human;
use crate::ops::tasks::TasksOutcome;
use crate::tasks::{TaskList, TaskStatus};

/// `12 min`, or `-` when unknown.
fn minutes(value: Option<u64>) -> String {
    value.map_or_else(|| "-".to_string(), |m| format!("{m} min"))
}

/// The list's counts on one line: `3 tasks: 1 completed, 1 in progress, 1 blocked`.
pub fn counts(list: &TaskList) -> String {
    let m = &list.metrics;
    let count = |status| list.tasks.iter().filter(|t| t.status == status).count();
    let mut parts = vec![format!("{} completed", m.completed)];
    for (status, word) in [
        (TaskStatus::InProgress, "in progress"),
        (TaskStatus::Pending, "pending"),
    ] {
        let n = count(status);
        if n > 0 {
            parts.push(format!("{n} {word}"));
        }
    }
    if m.blocked > 0 {
        parts.push(format!("{} blocked", m.blocked));
    }
    if m.failed > 0 {
        parts.push(format!("{} failed", m.failed));
    }
    format!("{} task(s): {}", m.total_tasks, parts.join(", "))
}

impl Human for TasksOutcome {
    fn human(&self) -> String {
        let list = &self.list;
        let mut text = format!("Session:     {}\n", list.session_id);
        if list.tasks.is_empty() {
            text.push_str(
                "Tasks:       none recorded (normal when Claude used no task tools; Claude Code \
                 2.1.233+ offers them only with CLAUDE_CODE_ENABLE_TODO_TOOLS=1)\n",
            );
            return text;
        }
        text.push_str(&format!(
            "Tasks:       {}\nTime:        {} spent, {} estimated\n\n",
            counts(list),
            minutes(Some(list.metrics.time_spent)),
            minutes(Some(list.metrics.time_estimated)),
        ));
        for task in &list.tasks {
            let mark = match task.status {
                TaskStatus::Completed => "[x]",
                TaskStatus::InProgress => "[>]",
                TaskStatus::Pending => "[ ]",
                TaskStatus::Blocked => "[-]",
                TaskStatus::Failed => "[!]",
            };
            text.push_str(&format!(
                "{mark} #{} {}  ({}, {}",
                task.id,
                task.title,
                task.status.as_str(),
                task.agent
            ));
            match (task.actual_minutes, task.estimated_minutes) {
                (Some(actual), Some(estimated)) => {
                    text.push_str(&format!(", {actual} of {estimated} min estimated"))
                }
                (Some(actual), None) => text.push_str(&format!(", {actual} min")),
                (None, Some(estimated)) => text.push_str(&format!(", {estimated} min estimated")),
                (None, None) => {}
            }
            text.push_str(")\n");
            if !task.blockers.is_empty() {
                let ids: Vec<String> = task.blockers.iter().map(|b| format!("#{b}")).collect();
                let word = if task.status == TaskStatus::Blocked {
                    "blocked by"
                } else {
                    "after"
                };
                text.push_str(&format!("      {word} {}\n", ids.join(", ")));
            }
            if !task.files.is_empty() {
                text.push_str(&format!("      files: {}\n", task.files.join(", ")));
            }
            if let Some(output) = &task.output {
                let one_line: Vec<&str> = output.split_whitespace().collect();
                text.push_str(&format!(
                    "      output: {}\n",
                    crate::session::truncate_chars(&one_line.join(" "), 200)
                ));
            }
        }
        for warning in &self.warnings {
            text.push_str(&format!("\n⚠️ {warning}\n"));
        }
        text
    }
}
