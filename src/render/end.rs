use super::{Human, active_and_wall, focus, head, score};
use crate::documents::Indicators;
use crate::git;
use crate::git::PushOutcome;
use crate::ops::end::{EndDeclined, EndOutcome, EndPreview};

impl Human for EndOutcome {
    fn human(&self) -> String {
        let doc = &self.session;
        let resumed = if self.resumed_interrupted_end {
            "♻️ An earlier `end` of this session was interrupted; it is finished now.\n"
        } else {
            ""
        };
        let mut text = format!(
            "{resumed}✅ Session completed: {}\n📊 Duration: {}\n📁 Files created: {}\n📝 Files modified: {}\n💾 Checkpoints: {}\n",
            self.session_id,
            active_and_wall(doc.metrics.duration_minutes, doc.metrics.wall_minutes),
            doc.metrics.files_created,
            doc.metrics.files_modified,
            doc.metrics.checkpoints,
        );
        // The line is left out when no score was given: "not given" explains nothing.
        if doc.rulemap_score.is_some() {
            text.push_str(&format!(
                "🎯 RULEMAP score: {} (how well the session followed the project's rules, self-assessed)\n",
                score(doc.rulemap_score)
            ));
        }
        match (&self.backup, &self.backup_error) {
            (Some(path), _) => text.push_str(&format!("📦 Backup: {path}\n")),
            (None, Some(error)) => text.push_str(&format!("⚠️ Backup failed: {error}\n")),
            (None, None) => text.push_str("📦 Backup: skipped (--no-backup)\n"),
        }
        text.push_str(&format!("🗄️ Archived: {}\n", self.archived));
        for path in &self.documents {
            text.push_str(&format!("📄 {path}\n"));
        }
        if let Some(path) = &self.session_record {
            text.push_str(&format!("🧾 Session record: {path}\n"));
        }
        text.push_str(&format!("📓 Summary log: {}\n", self.summaries_file));
        text.push_str(&indicators(&self.indicators));
        if self.memory_entries > 0 {
            text.push_str(&format!(
                "🧠 Memory entries added this session: {}\n",
                self.memory_entries
            ));
        }
        for error in &self.step_errors {
            text.push_str(&format!(
                "⚠️ Not done ({error}); the session is ended all the same.\n"
            ));
        }
        let uncommitted = &doc.git.uncommitted_files;
        if !uncommitted.is_empty() {
            text.push_str(&format!(
                "⚠️ {} uncommitted file(s) left in the working tree: {}\n",
                uncommitted.len(),
                uncommitted
                    .iter()
                    .take(10)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if let Some(ending) = &doc.git.ending_branch {
            text.push_str(&format!(
                "🌿 Branch: {} → {ending}, {} commit(s) this session\n",
                doc.git.starting_branch.as_deref().unwrap_or("(none)"),
                doc.git.commits_count.unwrap_or(0)
            ));
        }
        match &self.final_context {
            Ok(path) => text.push_str(&format!("📄 Final context: {path}\n")),
            Err(e) => text.push_str(&format!("⚠️ Final context file not written: {e}\n")),
        }
        match &self.pause_record_cleared {
            Some(Ok(())) => text.push_str("⏸️ Pause record cleared\n"),
            Some(Err(e)) => text.push_str(&format!("⚠️ Pause record not cleared: {e}\n")),
            None => {}
        }
        if let Some(push) = &self.push {
            text.push_str(&match push {
                PushOutcome::Pushed { remote, branch } => {
                    format!("🚀 Pushed {branch} to {remote}\n")
                }
                PushOutcome::Failed {
                    remote,
                    branch,
                    reason,
                } => format!(
                    "⚠️ Push of {branch} to {remote} failed: {reason}. The session is ended and nothing is lost; push later with `git push {remote} {branch}`.\n"
                ),
                PushOutcome::Skipped { reason } => format!("⚠️ Push skipped: {reason}\n"),
            });
        }
        if let Some(handoff) = &self.handoff {
            text.push_str(&handoff.human());
        }
        if let Some(queued) = &self.tracker {
            text.push_str(&queued.human());
        }
        if !self.pattern_proposals.is_empty() {
            text.push_str(
                "💡 Proposed patterns — confirm with `claude-session memory add pattern …`:\n",
            );
            for proposal in &self.pattern_proposals {
                text.push_str(&format!("  - {} ({})\n", proposal.text, proposal.section));
            }
        }
        text
    }
}

/// The seed's success indicators, one line each.
fn indicators(numbers: &Indicators) -> String {
    format!(
        "✅ Completion rate: {}\n🧪 Quality score: {}\n⏱️ Time efficiency: {}\n",
        numbers.completion(),
        numbers.quality(),
        numbers.efficiency()
    )
}

impl Human for EndDeclined {
    fn human(&self) -> String {
        format!(
            "Not archived: {} stays open (nothing changed).\n",
            self.session_id
        )
    }
}

impl Human for EndPreview {
    fn human(&self) -> String {
        let mut text = format!(
            "Session to end: {} ({})\nFocus: {}\nStarted: {}\nBranch: {}\n",
            self.session_id,
            self.status.as_str(),
            focus(&self.focus),
            self.started,
            head(&self.head),
        );
        text.push_str(&format!(
            "Duration: {}\nFiles: {} created, {} modified\nCheckpoints: {}\nAgents: {}\nTasks: {} completed of {}\n",
            active_and_wall(self.duration_minutes, self.wall_minutes),
            self.files_created,
            self.files_modified,
            self.checkpoints,
            self.agents,
            self.indicators.tasks_completed,
            self.indicators.tasks_total,
        ));
        text.push_str(&indicators(&self.indicators));
        if !self.in_git {
            text.push_str("Not a git repository: no commits to make or push.\n");
            return text;
        }
        text.push_str(&format!("Commits this session: {}\n", self.commits_count));
        for c in &self.commits {
            text.push_str(&format!("  {} {}\n", git::short(&c.hash), c.summary));
        }
        if self.uncommitted.is_empty() {
            text.push_str("Uncommitted: none, the working tree is clean.\n");
            return text;
        }
        text.push_str(&format!(
            "Uncommitted: {} file(s)\n",
            self.uncommitted.len()
        ));
        for c in self.uncommitted.iter().take(30) {
            let counts = match (c.binary, c.added, c.deleted) {
                (true, _, _) => " (binary)".to_string(),
                (false, Some(added), Some(deleted)) => format!(" (+{added} -{deleted})"),
                _ => String::new(),
            };
            text.push_str(&format!("  {} {}{counts}\n", c.code, c.path));
        }
        if self.uncommitted.len() > 30 {
            text.push_str(&format!("  … {} more\n", self.uncommitted.len() - 30));
        }
        text.push_str("These are not committed yet: commit them before ending, or `end` records them as left uncommitted.\n");
        text
    }
}
