use super::Human;
use crate::clock;
use crate::ops::handoff::{Clipboard, ExportOutcome, HandoffShare, ImportOutcome, MergedAnswer};
use std::collections::BTreeMap;

/// `3 (aws_access_key: 1, github_token: 2)` or `none`.
pub fn redactions(counts: &BTreeMap<String, usize>) -> String {
    if counts.is_empty() {
        return "none".to_string();
    }
    let parts: Vec<String> = counts
        .iter()
        .map(|(kind, n)| format!("{kind}: {n}"))
        .collect();
    format!("{} ({})", counts.values().sum::<usize>(), parts.join(", "))
}

impl ExportOutcome {
    /// Whether the prompt went somewhere (a file or the clipboard); if not, the front end
    /// prints the prompt itself, ready to pipe, and this report on stderr.
    pub fn delivered(&self) -> bool {
        self.output_file.is_some() || matches!(self.clipboard, Some(Clipboard::Copied { .. }))
    }
}

impl Human for ExportOutcome {
    fn human(&self) -> String {
        let mut text = format!(
            "📤 Handoff saved: {}\n🔒 Redactions: {}\n",
            self.exported.location,
            redactions(&self.exported.redactions)
        );
        text.push_str(&problem(&self.exported.backend_problem));
        if let Some(file) = &self.output_file {
            text.push_str(&format!("📄 Prompt written to {file}\n"));
        }
        match &self.clipboard {
            Some(Clipboard::Copied { tool }) => text.push_str(&format!(
                "📋 Copied to the clipboard ({tool}): paste it into claude.ai\n"
            )),
            Some(Clipboard::NotCopied { reason }) => {
                text.push_str(&format!("⚠️ Not copied: {reason}\n"))
            }
            None => {}
        }
        text.push_str(
            "↩️ Bring claude.ai's answer back with `claude-session handoff import` (paste, then Ctrl-D) or `handoff import FILE`.\n",
        );
        text
    }
}

impl Human for HandoffShare {
    fn human(&self) -> String {
        let (exported, prompt_file, clipboard) = match self {
            HandoffShare::Failed { error } => return format!("⚠️ Handoff not exported: {error}\n"),
            HandoffShare::Shared {
                exported,
                prompt_file,
                clipboard,
            } => (exported, prompt_file, clipboard),
        };
        let mut text = format!(
            "📤 Handoff for claude.ai: {}\n🔒 Redactions: {}\n",
            exported.location,
            redactions(&exported.redactions)
        );
        text.push_str(&problem(&exported.backend_problem));
        match prompt_file {
            Ok(path) => text.push_str(&format!("📄 Prompt: {path}\n")),
            Err(e) => text.push_str(&format!("⚠️ Prompt file not written: {e}\n")),
        }
        match clipboard {
            Clipboard::Copied { tool } => {
                text.push_str(&format!("📋 Copied to the clipboard ({tool})\n"))
            }
            Clipboard::NotCopied { reason } => text.push_str(&format!("📋 Not copied: {reason}\n")),
        }
        text.push_str("↩️ Bring claude.ai's answer back with `claude-session handoff import`.\n");
        text
    }
}

impl Human for ImportOutcome {
    fn human(&self) -> String {
        format!(
            "📥 claude.ai's answer stored ({} bytes): {}\n▶️ The next `claude-session start` or `resume` in this project shows it.\n",
            self.bytes, self.location
        )
    }
}

/// The handoff back end's problem as one line (1Password: the file store kept the handoff).
pub fn problem(problem: &Option<String>) -> String {
    match problem {
        Some(problem) => format!("⚠️ 1Password: {problem}\n"),
        None => String::new(),
    }
}

/// "Merged from claude.ai", as start and resume show it.
pub fn merged(answer: &MergedAnswer) -> String {
    let mut text = format!(
        "\n## Merged from claude.ai\n\n_The answer to the handoff of {}",
        clock::local_short(answer.handoff_created_at)
    );
    if let Some(at) = answer.answered_at {
        text.push_str(&format!(", imported {}", clock::local_short(at)));
    }
    if let Some(note) = &answer.note {
        text.push_str(&format!("; kept in {note}"));
    }
    if !answer.redactions.is_empty() {
        text.push_str(&format!("; redactions: {}", redactions(&answer.redactions)));
    }
    text.push_str(". Take it into account before going on._\n\n");
    text.push_str(&answer.text);
    if answer.cut {
        text.push_str("\n\n… (cut here; the whole answer is in the note above)\n");
    } else {
        text.push('\n');
    }
    text
}
