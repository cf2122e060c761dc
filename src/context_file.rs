//! Context files: `<root>/contexts/<slug>-<YYYY-MM-DD-HHMMSS>.md`, what a paused (or ended, or
//! compacted) session needs to pick up exactly where it stopped.
//!
//! This first version writes the header and what the session document knows; the continuity work
//! extends `render` with git state, commits, prompts and a byte budget. Callers use only `write`.

use crate::clock;
use crate::context::Context;
use crate::error::Result;
use crate::paths::Project;
use crate::registry::Workspace;
use crate::session::SessionDoc;
use crate::store;
use std::path::PathBuf;

/// Why a context file is written, and what Claude (or the user) gave for it.
#[derive(Debug, Clone, Default)]
pub struct ContextInput {
    /// Markdown Claude wrote (summary, accomplished, in progress, next steps, open questions).
    pub summary_markdown: Option<String>,
    pub note: Option<String>,
    /// Ignore the byte budget.
    pub full: bool,
    /// `pause`, `auto-pause` (session-end hook), `end`, `compact`.
    pub reason: String,
}

/// Renders and writes the context file; returns its path.
pub fn write(
    ctx: &Context,
    project: &Project,
    ws: &Workspace,
    doc: &SessionDoc,
    input: &ContextInput,
) -> Result<PathBuf> {
    let now = ctx.now()?;
    let stamp = clock::local(now).strftime("%Y-%m-%d-%H%M%S").to_string();
    let dir = ctx.layout.contexts_dir();
    let text = render(project, ws, doc, input, now);
    for n in 1.. {
        let name = if n == 1 {
            format!("{}-{stamp}.md", project.slug)
        } else {
            format!("{}-{stamp}-{n}.md", project.slug)
        };
        let path = dir.join(name);
        if store::write_new_atomic_with(&path, |file| {
            use std::io::Write;
            file.write_all(text.as_bytes())
                .map_err(|e| crate::Error::io("write", &path, e))
        })?
        .is_some()
        {
            return Ok(path);
        }
    }
    unreachable!("the loop returns or fails")
}

pub fn render(
    project: &Project,
    ws: &Workspace,
    doc: &SessionDoc,
    input: &ContextInput,
    now: jiff::Timestamp,
) -> String {
    let mut text = format!(
        "# Context: {}\n\n- Project: {} ({})\n- Session: {}\n- Focus: {}\n- Saved: {} ({})\n",
        project.name,
        project.name,
        project.path.display(),
        ws.id,
        doc.session.focus,
        clock::local_short(now),
        input.reason
    );
    if let Some(note) = &input.note {
        text.push_str(&format!("- Note: {note}\n"));
    }
    if let Some(summary) = &input.summary_markdown {
        text.push_str(&format!("\n{}\n", summary.trim_end()));
    }
    text.push_str("\n## Artifacts\n\n");
    for path in &doc.artifacts.created {
        text.push_str(&format!("- created: {path}\n"));
    }
    for path in &doc.artifacts.modified {
        text.push_str(&format!("- modified: {path}\n"));
    }
    text
}
