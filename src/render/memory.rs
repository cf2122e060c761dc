use super::Human;
use crate::memory::Entry;
use crate::ops::memory::{AddOutcome, ForgetOutcome, ListOutcome, SearchOutcome};

/// One entry as lists show it: id, kind, date, title, tags; the body's first line indented.
fn entry(e: &Entry, score: Option<f64>) -> String {
    let mut line = format!("{}  {:<12}", e.id, e.kind.as_str());
    if !e.date.is_empty() {
        line.push_str(&format!(" {}", e.date));
    }
    line.push_str(&format!("  {}", e.title()));
    if !e.tags.is_empty() {
        line.push_str(&format!("  [{}]", e.tags.join(", ")));
    }
    if let Some(score) = score {
        line.push_str(&format!("  ({score:.2})"));
    }
    line.push('\n');
    let approach = e
        .pattern
        .as_ref()
        .filter(|p| !p.approach.is_empty())
        .map(|p| format!("Approach: {}", p.approach));
    let first = e
        .body()
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map(str::to_string)
        .or(approach);
    if let Some(first) = first.as_deref() {
        let cut = crate::templates::cut_bytes(first, 100);
        let more = if cut.len() < first.len() { "…" } else { "" };
        line.push_str(&format!("          {cut}{more}\n"));
    }
    line
}

impl Human for AddOutcome {
    fn human(&self) -> String {
        let e = &self.entry;
        let mut text = format!(
            "🧠 Remembered {} {}: {} ({})\n",
            e.kind.as_str(),
            e.id,
            e.title(),
            self.file
        );
        if let Some(session) = &e.session {
            text.push_str(&format!("   Session: {session}\n"));
        }
        if !e.tags.is_empty() {
            text.push_str(&format!("   Tags: {}\n", e.tags.join(", ")));
        }
        text
    }
}

impl Human for ListOutcome {
    fn human(&self) -> String {
        if self.entries.is_empty() {
            let what = self.kind.map_or("project memory".to_string(), |k| {
                format!("{} entries", k.as_str())
            });
            return format!(
                "No {what} yet ({}). Add one with `claude-session memory add KIND TEXT`.\n",
                self.dir
            );
        }
        let mut text = format!("🧠 {} entries ({}):\n", self.entries.len(), self.dir);
        for e in &self.entries {
            text.push_str(&entry(e, None));
        }
        text
    }
}

impl Human for SearchOutcome {
    fn human(&self) -> String {
        if self.hits.is_empty() {
            return format!(
                "No entry matches \"{}\" ({} searched).\n",
                self.query, self.searched
            );
        }
        let mut text = format!(
            "🔎 {} of {} entries match \"{}\", best first:\n",
            self.hits.len(),
            self.searched,
            self.query
        );
        for hit in &self.hits {
            text.push_str(&entry(&hit.entry, Some(hit.score)));
        }
        text
    }
}

impl Human for ForgetOutcome {
    fn human(&self) -> String {
        format!(
            "🗑️ Forgot {} {}: {} (kept in {}; move it back to restore it).\n",
            self.entry.kind.as_str(),
            self.entry.id,
            self.entry.title(),
            self.kept_in
        )
    }
}
