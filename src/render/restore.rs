//! Human text of the `restore checkpoint|backup|daily|milestone` outcomes.

use super::{Human, human_bytes};
use crate::ops::restore::{
    FolderRestore, InPlaceRestore, RestoreBackupOutcome, RestoreCheckpointOutcome,
    RestoreFolderBackupOutcome,
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
                "Would restore {} file(s) ({}) of {} into {}\n{}Dry run: nothing was written.\n",
                self.files,
                human_bytes(self.bytes),
                self.checkpoint_id,
                self.target,
                renamed_line(self.requested.as_deref(), &self.target, "would restore")
            );
        }
        let mut text = format!(
            "✅ Restored {} of {} into {}\n{}📁 {} file(s), {}, every hash verified\n",
            self.checkpoint_id,
            self.session_id,
            self.target,
            renamed_line(self.requested.as_deref(), &self.target, "restored"),
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
        match &self.safety_session {
            Some(session) if *session == self.session_id => text.push_str(&format!(
                "🛟 Safety checkpoint: {safety} (undo with `claude-session restore checkpoint {session} {safety} --in-place`)\n"
            )),
            // The session restored from has ended: its archived workspace is left as it was.
            Some(session) => text.push_str(&format!(
                "🛟 Safety checkpoint: {safety} in the open session {session}, since {} has ended (undo with `claude-session restore checkpoint {session} {safety} --in-place`)\n",
                self.session_id
            )),
            None => text.push_str(&format!(
                "🛟 Safety copy: {} ({} has ended and no session is open; the replaced files are in its files/ folder, listed in its manifest.json)\n",
                self.safety_path.as_deref().unwrap_or(safety),
                self.session_id
            )),
        }
        text.push_str(&format!(
            "✅ Restored {} file(s){}; every hash verified; git's index, HEAD and refs untouched\n",
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
            "✅ Restored {} into {}\n{}📁 {} file(s), {}\n",
            self.archive,
            self.target,
            renamed_line(self.requested.as_deref(), &self.target, "restored"),
            self.files,
            human_bytes(self.bytes)
        );
        if self.marked {
            text.push_str(&marked_line());
        }
        text
    }
}

impl Human for RestoreFolderBackupOutcome {
    fn human(&self) -> String {
        let mut text = format!(
            "✅ Restored the {} backup {} into {}\n{}",
            self.kind.as_str(),
            self.name,
            self.target,
            renamed_line(self.requested.as_deref(), &self.target, "restored")
        );
        for a in &self.archives {
            text.push_str(&format!(
                "📁 {} → {}: {} file(s), {}\n",
                a.archive,
                a.folder,
                a.files,
                human_bytes(a.bytes)
            ));
        }
        if !self.later_same_day.is_empty() {
            text.push_str(&format!(
                "ℹ️ Later backups of the same day: {} (`claude-session restore daily NAME`)\n",
                self.later_same_day.join(", ")
            ));
        }
        text
    }
}

/// Where a restore went when the folder asked for was taken, and why; empty otherwise.
fn renamed_line(requested: Option<&str>, target: &str, done: &str) -> String {
    match requested {
        Some(requested) => format!(
            "ℹ️ {requested} exists; {done} into {target} instead (--force writes into {requested})\n"
        ),
        None => String::new(),
    }
}

fn marked_line() -> String {
    format!("ℹ️ Marked with {RESTORED_MARKER}: it is a copy, not a session\n")
}
