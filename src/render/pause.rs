use super::{Human, focus, head, list_files};
use crate::clock;
use crate::git;
use crate::ops::pause::{PauseOutcome, PausePreview, WipOutcome};
use crate::surface::slash;

impl Human for PauseOutcome {
    fn human(&self) -> String {
        let empty = if self.empty_summary_ignored {
            "ℹ️ The summary given was empty: no new summary was saved (the last one written is kept).\n"
        } else {
            ""
        };
        if let Some(already) = &self.already_paused {
            let mut text = format!(
                "⏸️ Session {} is already paused (since {}); nothing was changed: its summary, note and next steps stay as they were.\n{empty}",
                already.session_id,
                clock::local_short(already.paused_at)
            );
            if let Some(context) = &already.context_file {
                text.push_str(&format!("📄 Context: {context}\n"));
            }
            text.push_str(&resume_line());
            return text;
        }
        let mut text = format!(
            "⏸️ Session paused: {}\n🎯 Focus: {}\n🌿 Branch: {}\n📝 Uncommitted: {}\n",
            self.session_id,
            focus(&self.focus),
            head(&self.head),
            list_files(&self.uncommitted, 10)
        );
        if let Some(wip) = &self.wip_commit {
            text.push_str(&match wip {
                WipOutcome::NotGit => "💾 WIP commit: none (not a git repository)\n".to_string(),
                WipOutcome::Committed { commit, message } => format!(
                    "💾 WIP commit: {} \"{message}\" (no hooks ran)\n",
                    git::short(commit)
                ),
                WipOutcome::NothingToCommit => {
                    "💾 WIP commit: none (nothing to commit)\n".to_string()
                }
                WipOutcome::Failed { error } => format!(
                    "⚠️ WIP commit failed, your changes stay uncommitted in the working tree: {error}\n"
                ),
            });
            if !self.env_files_left_out.is_empty() {
                text.push_str(&format!(
                    "🔒 Left out of the WIP commit (secrets stay out of history): {}\n",
                    self.env_files_left_out.join(", ")
                ));
            }
            if !self.unstaged.is_empty() {
                text.push_str(&format!(
                    "🔒 Unstaged, as they had been staged (the files are untouched): {}\n",
                    self.unstaged.join(", ")
                ));
            }
        }
        if let Some(old) = &self.replaced_record_of {
            // One record per project: the other session stays paused and can be resumed by id.
            text.push_str(&format!(
                "ℹ️ This replaces the pause record of {old}, which stays paused: `claude-session resume {old}` resumes it later.\n"
            ));
        }
        text.push_str(empty);
        if let Some(problem) = &self.tasks_problem {
            text.push_str(&format!("⚠️ tasks.json was not written: {problem}\n"));
        }
        for warning in &self.tasks_warnings {
            text.push_str(&format!("⚠️ tasks: {warning}\n"));
        }
        if !self.next_steps.is_empty() {
            text.push_str(&format!("📋 Open tasks: {}\n", self.next_steps.join("; ")));
        }
        text.push_str(&format!("📄 Context: {}\n", self.context_file));
        if let Some(old) = &self.supersedes {
            text.push_str(&format!(
                "🗂️ Supersedes the earlier context (kept): {old}\n"
            ));
        }
        if let Some(handoff) = &self.handoff {
            text.push_str(&handoff.human());
        }
        if let Some(queued) = &self.tracker {
            text.push_str(&queued.human());
        }
        text.push_str(&resume_line());
        text
    }
}

fn resume_line() -> String {
    format!(
        "▶️ Resume with {} (or `claude-session resume`); {} resumes it too.\n",
        slash("resume"),
        slash("start")
    )
}

impl Human for PausePreview {
    fn human(&self) -> String {
        let mut text = format!(
            "Session to pause: {} ({})\nFocus: {}\nBranch: {}\n",
            self.session_id,
            self.status.as_str(),
            focus(&self.focus),
            head(&self.head)
        );
        if self.in_git {
            text.push_str(&format!(
                "Uncommitted: {} file(s)\n",
                self.uncommitted.len()
            ));
            for change in self.uncommitted.iter().take(20) {
                text.push_str(&format!("  {} {}\n", change.code, change.path));
            }
            if self.uncommitted.len() > 20 {
                text.push_str(&format!("  … {} more\n", self.uncommitted.len() - 20));
            }
        }
        if let Some(record) = &self.already_paused {
            text.push_str(&format!(
                "Already paused: {} at {} (a new pause replaces that record)\n",
                record.session_id,
                clock::local_short(record.paused_at)
            ));
        }
        text.push_str("Pausing writes a context file and the pause record; nothing else changes unless --wip-commit is given.\n");
        text
    }
}
