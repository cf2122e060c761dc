use super::{Human, active_and_wall, score};
use crate::ops::show::ShowOutcome;

impl Human for ShowOutcome {
    fn human(&self) -> String {
        let doc = &self.doc;
        let s = &doc.session;
        let mut text = format!(
            "Session:     {}\nStatus:      {}\nFocus:       {}\nAgent:       {}\nStarted:     {} {}\n",
            s.id,
            s.status.as_str(),
            s.focus,
            s.agent,
            s.date,
            s.start_time
        );
        if let Some(end) = &s.end_time {
            text.push_str(&format!("Ended:       {end}\n"));
        }
        if !self.end_pending.is_empty() {
            text.push_str(&format!(
                "End:         interrupted; still to do: {} (`claude-session end` finishes it)\n",
                self.end_pending.join(", ")
            ));
        }
        text.push_str(&format!(
            "Duration:    {}\nWorkspace:   {}\nBranch:      {}\nScore:       {}\n",
            active_and_wall(doc.metrics.duration_minutes, doc.metrics.wall_minutes),
            self.workspace,
            doc.git.starting_branch.as_deref().unwrap_or("(none)"),
            score(doc.rulemap_score)
        ));
        let list = |title: &str, items: &[String], text: &mut String| {
            text.push_str(&format!("\n{title} ({}):\n", items.len()));
            for item in items {
                text.push_str(&format!("  {item}\n"));
            }
        };
        list("Created", &doc.artifacts.created, &mut text);
        list("Modified", &doc.artifacts.modified, &mut text);
        let checkpoints: Vec<String> = doc
            .checkpoints
            .iter()
            .map(|c| format!("{}  {}  {}", c.id, c.time, c.description))
            .collect();
        list("Checkpoints", &checkpoints, &mut text);
        let agents: Vec<String> = doc
            .agents
            .iter()
            .map(|a| {
                format!(
                    "{}  {}  {}  {}",
                    a.tool_use_id, a.subagent_type, a.status, a.description
                )
            })
            .collect();
        list("Agents", &agents, &mut text);
        text
    }
}
