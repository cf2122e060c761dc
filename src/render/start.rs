use super::{Human, focus, handoff, head, ready};
use crate::ops::start::{StartOutcome, StartPlan, Started};

impl Human for StartOutcome {
    fn human(&self) -> String {
        let mut text = String::new();
        if let Some(warning) = &self.sync_warning {
            text.push_str(&format!("⚠️ {warning}\n"));
        }
        for id in &self.finished_interrupted_ends {
            text.push_str(&format!(
                "♻️ The `end` of {id} had been interrupted; it is finished now (archived, backed up, logged).\n"
            ));
        }
        if let Some(resumed) = &self.resumed {
            text.push_str(
                "⏯️ A session is paused in this project: resuming it instead of starting a second one (`start --new` starts a separate session).\n",
            );
            if self.focus_ignored {
                text.push_str(
                    "   (The focus given was not used: the paused session keeps its own.)\n",
                );
            }
            if self.plan_ignored {
                text.push_str(
                    "   (The objectives given were not written: the paused session keeps its own plan.)\n",
                );
            }
            text.push_str(&resumed.human());
            if self.started.is_some() {
                text.push('\n');
            }
        }
        if let Some(started) = &self.started {
            text.push_str(&started.human());
            if !self.others_open.is_empty() {
                let ids: Vec<String> = self
                    .others_open
                    .iter()
                    .map(|s| format!("{} ({})", s.id, s.status.as_str()))
                    .collect();
                text.push_str(&format!(
                    "\nℹ️ Also open in this project: {}. This session was started beside it: each conversation records into its own, and a command meant for another takes `--session ID`. End or pause the other one if it is finished; `start --new` starts a second session on purpose without this note.\n",
                    ids.join(", ")
                ));
            }
        }
        text
    }
}

impl Human for Started {
    fn human(&self) -> String {
        let mut text = format!(
            "✅ Session started: {}\n📁 Workspace: {}\n🎯 Focus: {}\n🤖 Agent: {}\n",
            self.session_id,
            self.workspace,
            focus(&self.focus),
            self.agent
        );
        if let Some(merged) = &self.merged {
            text.push_str(&handoff::merged(merged));
        }
        text.push_str(&handoff::problem(&self.handoff_problem));
        text.push_str(&format!("🧭 Context: {}\n", self.context));
        if let Some(plan) = &self.plan {
            text.push_str(&format!(
                "📋 Plan: {plan} (fill its `<!-- Claude: … -->` markers)\n"
            ));
        }
        if let Some(memory) = &self.memory {
            text.push_str(&format!("🧠 {}\n", memory.text));
        }
        text.push_str(&ready(&self.ready));
        text
    }
}

impl Human for StartPlan {
    fn human(&self) -> String {
        let mut text = format!("Project: {} ({})\n", self.project_name, self.project_path);
        match (&self.paused, self.new) {
            (Some(paused), false) => {
                text.push_str(&super::resume::pause_plan(paused));
                text.push_str("`claude-session start` will resume it (the focus argument is then not used); `start --new` would start a separate session.\n");
            }
            (Some(paused), true) => {
                text.push_str(&super::resume::pause_plan(paused));
                text.push_str(
                    "`start --new` starts a separate session; the paused one stays paused.\n",
                );
            }
            (None, _) if self.open.is_empty() => text.push_str(
                "No session is paused or open: `claude-session start <focus>` starts one.\n",
            ),
            (None, _) => {
                let ids: Vec<String> = self
                    .open
                    .iter()
                    .map(|s| format!("{} ({})", s.id, s.status.as_str()))
                    .collect();
                text.push_str(&format!(
                    "Open already: {}. `claude-session start <focus>` starts another one beside it.\n",
                    ids.join(", ")
                ));
            }
        }
        if self.answer_waiting {
            text.push_str(
                "An answer from claude.ai is waiting: start shows it as \"Merged from claude.ai\".\n",
            );
        }
        text.push_str(&format!("Branch: {}\n", head(&self.head)));
        text
    }
}
