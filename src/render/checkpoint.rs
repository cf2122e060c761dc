//! Human text of the `checkpoint` and `checkpoints` outcomes.

use super::{Human, human_bytes, table};
use crate::ops::checkpoint::{AutoCheckpointOutcome, CheckpointOutcome, CheckpointsOutcome};

/// The announcement, in the seed's words.
impl Human for CheckpointOutcome {
    fn human(&self) -> String {
        let c = &self.checkpoint;
        let mut text = format!("💾 Checkpoint created: \"{}\"\n", c.description);
        text.push_str(&format!("🆔 {} ({} {})\n", c.id, c.time, c.kind.as_str()));
        if self.file_paths.is_empty() {
            text.push_str("📁 Files snapshotted: none (nothing changed or tracked)\n");
        } else {
            text.push_str(&format!(
                "📁 Files snapshotted: {}\n",
                list_some(&self.file_paths)
            ));
        }
        if !self.deleted_paths.is_empty() {
            text.push_str(&format!(
                "🗑️ Deleted (recorded): {}\n",
                list_some(&self.deleted_paths)
            ));
        }
        if !self.skipped.is_empty() {
            text.push_str(&format!(
                "⚠️ Skipped: {}\n",
                self.skipped
                    .iter()
                    .take(5)
                    .map(|s| format!("{} ({})", s.path, s.reason))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        if !self.not_copied.is_empty() {
            let paths: Vec<String> = self.not_copied.iter().map(|s| s.path.clone()).collect();
            text.push_str(&format!(
                "↗️ Not copied: {} ({})\n",
                list_some(&paths),
                self.not_copied[0].reason
            ));
        }
        if !self.env_files.is_empty() {
            text.push_str(&env_line(&self.env_files, "checkpoint"));
        }
        text.push_str(&format!(
            "📦 {} file(s), {}; new on disk: {} in {} file(s)\n",
            c.files,
            human_bytes(c.bytes),
            human_bytes(c.new_bytes),
            self.new_files
        ));
        text.push_str(&format!("📂 {}\n", c.path));
        text
    }
}

/// Silent when none was made: the Stop hook spawns this detached, and a no-op says nothing.
impl Human for AutoCheckpointOutcome {
    fn human(&self) -> String {
        self.checkpoint
            .as_ref()
            .map(Human::human)
            .unwrap_or_default()
    }
}

impl Human for CheckpointsOutcome {
    fn human(&self) -> String {
        if self.checkpoints.is_empty() {
            return format!("No checkpoints in {}.\n", self.session);
        }
        let rows: Vec<Vec<String>> = self
            .checkpoints
            .iter()
            .map(|c| {
                vec![
                    c.id.clone(),
                    c.time.clone(),
                    c.kind.as_str().to_string(),
                    c.files.to_string(),
                    human_bytes(c.bytes),
                    human_bytes(c.new_bytes),
                    c.description.clone(),
                ]
            })
            .collect();
        let mut text = format!("Checkpoints of {}:\n", self.session);
        text.push_str(&table(
            &[
                "CHECKPOINT",
                "TIME",
                "KIND",
                "FILES",
                "BYTES",
                "NEW",
                "DESCRIPTION",
            ],
            &rows,
        ));
        text
    }
}

/// Said once when `.env` files were copied into a checkpoint or backup (`what`).
pub fn env_line(files: &[String], what: &str) -> String {
    format!(
        "🔒 .env files included: {} — this {what} holds secrets; it stays on this machine\n",
        list_some(files)
    )
}

/// The first ten, then how many more.
pub fn list_some(items: &[String]) -> String {
    let shown: Vec<&str> = items.iter().take(10).map(String::as_str).collect();
    let mut text = shown.join(", ");
    if items.len() > shown.len() {
        text.push_str(&format!(" and {} more", items.len() - shown.len()));
    }
    text
}
