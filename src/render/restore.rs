//! Human text of the `restore checkpoint|backup` outcomes.

use super::{Human, human_bytes};
use crate::ops::restore::{
    FolderRestore, InPlaceRestore, RestoreBackupOutcome, RestoreCheckpointOutcome,
};
use crate::registry::RESTORED_MARKER;

impl Human for RestoreCheckpointOutcome {
    fn human(&self) -> String {
        match self {
            RestoreCheckpointOutcome::Folder(folder) => folder.human(),
            RestoreCheckpointOutcome::InPlace(in_place) => in_place.human(),
        }
    }
}

impl Human for FolderRestore {
    fn human(&self) -> String {
        if self.dry_run {
            return format!(
                "Would restore {} file(s) ({}) of {} into {}\nDry run: nothing was written.\n",
                self.files,
                human_bytes(self.bytes),
                self.checkpoint_id,
                self.target
            );
        }
        let mut text = format!(
            "✅ Restored {} of {} into {}\n📁 {} file(s), {}, every hash verified\n",
            self.checkpoint_id,
            self.session_id,
            self.target,
            self.files,
            human_bytes(self.bytes)
        );
        if self.deleted_at_checkpoint > 0 {
            text.push_str(&format!(
                "🗑️ {} file(s) were deleted at checkpoint time and are not in the folder\n",
                self.deleted_at_checkpoint
            ));
        }
        if self.marked {
            text.push_str(&marked_line());
        }
        text
    }
}

impl Human for InPlaceRestore {
    fn human(&self) -> String {
        let mut text = format!(
            "Restore {} of {} into {}:\n",
            self.checkpoint_id, self.session_id, self.project
        );
        for change in &self.changes {
            text.push_str(&format!(
                "  {:<7} {}\n",
                change.action.as_str(),
                change.path
            ));
        }
        text.push_str(&format!(
            "  ({} file(s) already as in the checkpoint)\n",
            self.unchanged
        ));
        let Some(safety) = &self.safety_checkpoint else {
            text.push_str(if self.changes.is_empty() {
                "Nothing to restore: the project already matches the checkpoint.\n"
            } else {
                "Dry run: nothing was changed.\n"
            });
            return text;
        };
        text.push_str(&format!(
            "🛟 Safety checkpoint: {safety} (undo with `claude-session restore checkpoint {} {safety} --in-place`)\n\
             ✅ Restored {} file(s){}; every hash verified; git's index, HEAD and refs untouched\n",
            self.session_id,
            self.written,
            if self.deleted > 0 {
                format!(", deleted {}", self.deleted)
            } else {
                String::new()
            }
        ));
        text
    }
}

impl Human for RestoreBackupOutcome {
    fn human(&self) -> String {
        let mut text = format!(
            "✅ Restored {} into {}\n📁 {} file(s), {}\n",
            self.archive,
            self.target,
            self.files,
            human_bytes(self.bytes)
        );
        if self.marked {
            text.push_str(&marked_line());
        }
        text
    }
}

fn marked_line() -> String {
    format!("ℹ️ Marked with {RESTORED_MARKER}: it is a copy, not a session\n")
}
