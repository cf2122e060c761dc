//! Human text of the `backup daily|milestone|prune` and `backups` outcomes.

use super::{Human, human_bytes, table};
use crate::ops::backup::{
    BackupStart, BackupsOutcome, DailyBackupOutcome, MilestoneOutcome, PruneOutcome, WrittenBackup,
};

/// Said on stderr before a backup starts: a big tree takes a while.
impl Human for BackupStart {
    fn human(&self) -> String {
        format!(
            "📦 Backing up {} file(s), {}, into {}\n",
            self.files,
            human_bytes(self.bytes),
            self.path
        )
    }
}

impl Human for DailyBackupOutcome {
    fn human(&self) -> String {
        match self {
            DailyBackupOutcome::Unchanged {
                path,
                name: _,
                project_files,
                session_files,
                seconds,
            } => format!(
                "✅ Daily backup unchanged: {path} already holds this state ({project_files} project file(s) and {session_files} session file(s) checked, {seconds:.2} s)\n"
            ),
            DailyBackupOutcome::Written {
                backup,
                earlier_today,
            } => {
                let mut text = format!("✅ Daily backup: {}\n", backup.path);
                if !earlier_today.is_empty() {
                    text.push_str(&format!(
                        "ℹ️ The project changed since today's earlier backup ({}), which is kept\n",
                        earlier_today.join(", ")
                    ));
                }
                text.push_str(&describe(backup));
                text
            }
        }
    }
}

impl Human for MilestoneOutcome {
    fn human(&self) -> String {
        let mut text = format!("🏁 Milestone backup: {}\n", self.backup.path);
        if let Some(requested) = &self.requested_name {
            text.push_str(&format!(
                "ℹ️ Name sanitised: `{}` → `{}`\n",
                requested.escape_debug(),
                self.backup.name
            ));
        }
        text.push_str(&describe(&self.backup));
        text
    }
}

/// The archives written, what was skipped, and the time taken.
fn describe(backup: &WrittenBackup) -> String {
    let mut text = String::new();
    for a in &backup.archives {
        text.push_str(&format!(
            "📦 {}: {} file(s), {} → {} ({})\n",
            a.file,
            a.files,
            human_bytes(a.bytes),
            human_bytes(a.size),
            a.holds
        ));
    }
    if !backup.env_files.is_empty() {
        text.push_str(&super::checkpoint::env_line(&backup.env_files, "backup"));
    }
    if !backup.skipped.is_empty() {
        text.push_str(&format!(
            "⚠️ Skipped {}: {}\n",
            backup.skipped.len(),
            backup
                .skipped
                .iter()
                .take(5)
                .map(|s| format!("{} ({})", s.path, s.reason))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    text.push_str(&format!("⏱️ {:.2} s\n", backup.seconds));
    text
}

impl Human for PruneOutcome {
    fn human(&self) -> String {
        let Some(log) = &self.log else {
            return format!(
                "Nothing to prune: {} daily backup(s) over {} day(s), keeping {} day(s).\n",
                self.daily_backups, self.days, self.keep_days
            );
        };
        let mut text = String::new();
        for removed in &self.removed {
            text.push_str(&format!(
                "🗑️ Removed {} ({})\n",
                removed.path,
                human_bytes(removed.bytes)
            ));
        }
        text.push_str(&format!(
            "Kept the newest {} day(s) of daily backups; milestones are never pruned. Logged to {log}\n",
            self.kept_days
        ));
        text
    }
}

impl Human for BackupsOutcome {
    fn human(&self) -> String {
        if self.backups.is_empty() {
            return "No backups yet.\n".to_string();
        }
        let rows: Vec<Vec<String>> = self
            .backups
            .iter()
            .map(|b| {
                vec![
                    b.kind.as_str().to_string(),
                    b.name.clone(),
                    b.date.clone(),
                    human_bytes(b.size),
                    b.path.clone(),
                ]
            })
            .collect();
        table(&["KIND", "NAME", "DATE", "SIZE", "PATH"], &rows)
    }
}

#[cfg(test)]
mod tests {
    use super::human_bytes;

    #[test]
    fn bytes_read_as_binary_units() {
        assert_eq!(human_bytes(1023), "1023 B");
        assert_eq!(human_bytes(1536), "1.5 KiB");
        assert_eq!(human_bytes(5 << 30), "5.0 GiB");
    }
}
