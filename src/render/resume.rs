use super::{Human, handoff, head, list_files, ready, table};
use crate::clock;
use crate::git::{self, Target};
use crate::ops::resume::{
    BranchAction, ContextShown, Mismatch, PausePlan, ResumeOutcome, ResumeReport, Resumed,
    SessionRow,
};
use crate::surface::slash;

impl Human for ResumeOutcome {
    fn human(&self) -> String {
        match self {
            ResumeOutcome::Resumed(resumed) => resumed.human(),
            ResumeOutcome::Mismatch(mismatch) => mismatch.human(),
            ResumeOutcome::NoRecord {
                project,
                recent,
                sync_warning,
            } => format!(
                "{}ℹ️ No paused session in this project ({project}).\n{}",
                sync_warning
                    .as_ref()
                    .map(|w| format!("⚠️ {w}\n"))
                    .unwrap_or_default(),
                recent_sessions(recent)
            ),
            ResumeOutcome::Stale { session_id, recent } => format!(
                "ℹ️ The pause record named {session_id}, which has ended or is gone; the record was cleared.\n{}",
                recent_sessions(recent)
            ),
        }
    }
}

impl Human for ResumeReport {
    fn human(&self) -> String {
        let mut text = self.outcome.human();
        if self.picker_hint {
            text.push_str(
                "ℹ️ Looking for Claude Code's own list of past conversations? It is /continue (or \
                 `claude --resume`); /resume here is claude-session's.\n",
            );
        }
        text
    }
}

impl Human for Resumed {
    fn human(&self) -> String {
        let mut text = String::new();
        if self.without_record {
            text.push_str(&format!(
                "ℹ️ No pause record in this project: resuming {} without a branch check.\n",
                self.session_id
            ));
        }
        match &self.branch_action {
            Some(BranchAction::Switched { to, was }) => {
                text.push_str(&format!("🔀 Switched to {to} (was on {}).\n", head(was)))
            }
            Some(BranchAction::Stayed { on, paused_on }) => text.push_str(&format!(
                "↪️ Staying on {}; the session was paused on {paused_on}.\n",
                head(on)
            )),
            None => {}
        }
        text.push_str(&format!(
            "▶️ Session resumed: {}\n🎯 Focus: {}\n🌿 Branch: {}\n",
            self.session_id,
            super::focus(&self.focus),
            head(&self.head)
        ));
        if let Some(paused) = &self.paused {
            text.push_str(&format!(
                "⏸️ Paused: {}{}\n",
                clock::local_short(paused.paused_at),
                paused
                    .note
                    .as_deref()
                    .map(|n| format!(" ({n})"))
                    .unwrap_or_default()
            ));
            if let Some(wip) = &paused.wip_commit {
                text.push_str(&format!(
                    "💾 WIP commit made at pause: {} (amend or reset it when you make the real commit)\n",
                    git::short(wip)
                ));
            }
        }
        match &self.context {
            ContextShown::Shown { path, text: body } => {
                text.push_str(&format!("📄 Context: {path}\n\n"));
                text.push_str(body.trim_end());
                text.push('\n');
            }
            ContextShown::Unreadable { path, error } => text.push_str(&format!(
                "⚠️ The context file could not be read ({error}): {path}\n"
            )),
            ContextShown::NotSaved => {
                text.push_str("📄 No context file was saved for this pause.\n")
            }
        }
        if let Some(merged) = &self.merged {
            text.push_str(&handoff::merged(merged));
        }
        text.push_str(&handoff::problem(&self.handoff_problem));
        if let Some(memory) = &self.memory {
            text.push_str(&format!("🧠 {}\n", memory.text));
        }
        text.push_str(&ready(&self.ready));
        text
    }
}

fn target_of(branch: &Option<String>, commit: &Option<String>) -> Target {
    match (branch, commit) {
        (Some(branch), _) => Target::Branch(branch.clone()),
        (None, Some(commit)) => Target::Detached(commit.clone()),
        (None, None) => Target::Branch(String::new()),
    }
}

impl Human for Mismatch {
    fn human(&self) -> String {
        let target = target_of(&self.paused_branch, &self.paused_commit);
        let paused = match (&target, &self.paused_commit) {
            (Target::Branch(name), Some(commit)) => format!("{name} @ {}", git::short(commit)),
            _ => target.describe(),
        };
        let current = head(&self.current);
        let mut text = format!(
            "⚠️ Branch mismatch: session {} was paused on {paused}, the project is now on {current}.\nNothing was changed. Choose one:\n  1. Switch back to {}: `claude-session resume --switch-branch`\n  2. Stay on {current} and resume here: `claude-session resume --stay`\n  3. Cancel: do nothing; the session stays paused.\n",
            self.session_id,
            target.describe(),
        );
        if !self.tracked_changes.is_empty() {
            text.push_str(&format!(
                "Note: switching is refused while tracked files have uncommitted changes ({}); commit or stash them first.\n",
                list_files(&self.tracked_changes, 5)
            ));
        }
        text
    }
}

/// The project's open sessions and the last few ended ones.
fn recent_sessions(rows: &[SessionRow]) -> String {
    if rows.is_empty() {
        return format!(
            "No sessions yet: start one with {} (or `claude-session start <focus>`).\n",
            slash("start")
        );
    }
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            vec![
                row.id.clone(),
                row.status.as_str().to_string(),
                row.started.clone(),
                if row.focus.is_empty() {
                    "-".to_string()
                } else {
                    row.focus.clone()
                },
            ]
        })
        .collect();
    let mut text = String::from("Recent sessions:\n");
    text.push_str(&table(&["SESSION", "STATUS", "STARTED", "FOCUS"], &rows));
    text.push_str(&format!(
        "Resume one with `claude-session resume <id>`, or start a new one with {}.\n",
        slash("start")
    ));
    text
}

/// What `start --dry-run` says about a pause record.
pub fn pause_plan(plan: &PausePlan) -> String {
    let target = match (&plan.paused_branch, &plan.paused_commit) {
        (None, None) => "no branch".to_string(),
        (branch, commit) => target_of(branch, commit).describe(),
    };
    let mut text = format!(
        "A session is paused: {} (at {}, on {target}).\n",
        plan.session_id,
        clock::local_short(plan.paused_at),
    );
    if let Some(now) = &plan.now_elsewhere {
        text.push_str(&format!(
            "The project is now on {}: resuming will ask whether to switch back or stay.\n",
            head(now)
        ));
    }
    text
}
