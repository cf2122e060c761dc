//! Context files: `<root>/contexts/<slug>-<YYYY-MM-DD-HHMMSS>.md`, what a paused (or ended, or
//! compacted) session needs to pick up exactly where it stopped.
//!
//! Sections, most important first: the header (project, branch, HEAD, time, session, focus);
//! what Claude wrote (summary, accomplished, in progress, next steps, open questions); then what
//! the binary knows itself: uncommitted changes, commits made during the session, artifacts,
//! tasks and agents, checkpoints and the last user prompts. The file is kept within
//! `context.budget_bytes` unless `full` is asked: lower sections are cut first, and the cut is
//! said at the end. Callers use `write`.

use crate::clock;
use crate::config::SETTINGS;
use crate::context::Context;
use crate::error::Result;
use crate::git;
use crate::paths::Project;
use crate::registry::Workspace;
use crate::session::SessionDoc;
use crate::store;
use std::collections::HashMap;
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

/// Most commits listed; older ones are counted.
const COMMITS_LISTED: usize = 30;

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
    let budget = (!input.full).then(|| ctx.config.context_budget());
    let text = render_with(project, ws, doc, input, now, budget);
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

/// The newest context file of a project, if any (names sort by time).
pub fn newest(ctx: &Context, project: &Project) -> Option<PathBuf> {
    let prefix = format!("{}-", project.slug);
    let mut names: Vec<String> = std::fs::read_dir(ctx.layout.contexts_dir())
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&prefix) && n.ends_with(".md"))
        .collect();
    names.sort();
    names.pop().map(|n| ctx.layout.contexts_dir().join(n))
}

/// Renders with the default budget (or none when `input.full`).
pub fn render(
    project: &Project,
    ws: &Workspace,
    doc: &SessionDoc,
    input: &ContextInput,
    now: jiff::Timestamp,
) -> String {
    let default_budget = SETTINGS
        .iter()
        .find(|s| s.key == "context.budget_bytes")
        .map_or(8192, |s| s.default as usize);
    render_with(
        project,
        ws,
        doc,
        input,
        now,
        (!input.full).then_some(default_budget),
    )
}

/// One section: its heading and lines; cut line by line when the budget runs out.
struct Section {
    title: String,
    lines: Vec<String>,
}

impl Section {
    fn new(title: &str) -> Section {
        Section {
            title: title.to_string(),
            lines: Vec::new(),
        }
    }

    fn text(&self) -> String {
        let mut text = format!("\n## {}\n\n", self.title);
        for line in &self.lines {
            text.push_str(line);
            text.push('\n');
        }
        text
    }
}

/// The header lines: where, when, which session.
fn header(
    project: &Project,
    ws: &Workspace,
    doc: &SessionDoc,
    input: &ContextInput,
    now: jiff::Timestamp,
) -> String {
    let mut text = format!(
        "# Context: {}\n\n- Project: {} ({})\n",
        project.name,
        project.name,
        project.path.display()
    );
    if project.in_git {
        let head = git::head_state(&project.path);
        let mut line = format!("- Branch: {}", head.describe());
        if let Some(commit) = &head.commit {
            line.push_str(&format!(" @ {}", git::short(commit)));
            if let Some(summary) = git::head_summary(&project.path) {
                line.push_str(&format!(" \"{}\"", crate::session::truncate_chars(&summary, 80)));
            }
        }
        if let Some(t) = git::tracking(&project.path) {
            line.push_str(&format!(
                " ({} ahead, {} behind {})",
                t.ahead, t.behind, t.upstream
            ));
        }
        text.push_str(&line);
        text.push('\n');
    } else {
        text.push_str("- Branch: (not a git repository)\n");
    }
    let focus = if doc.session.focus.is_empty() {
        "(none given)"
    } else {
        doc.session.focus.as_str()
    };
    text.push_str(&format!(
        "- Session: {} ({})\n- Focus: {}\n- Started: {} {}\n- Saved: {} ({})\n",
        ws.id,
        doc.session.status.as_str(),
        focus,
        doc.session.date,
        doc.session.start_time,
        clock::local_short(now),
        input.reason
    ));
    if let Some(note) = input.note.as_deref().filter(|n| !n.trim().is_empty()) {
        text.push_str(&format!("- Note: {}\n", note.trim()));
    }
    text
}

/// What Claude wrote, headings kept; plain text goes under `## Summary`.
fn claude_sections(input: &ContextInput) -> Section {
    let given = input
        .summary_markdown
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    match given {
        Some(text) if text.lines().any(|l| l.starts_with('#')) => {
            // The given headings are the section titles: no extra heading of ours.
            let mut lines = vec![String::new()];
            lines.extend(text.lines().map(str::to_string));
            Section {
                title: String::new(),
                lines,
            }
        }
        Some(text) => Section {
            title: "Summary".to_string(),
            lines: text.lines().map(str::to_string).collect(),
        },
        None => Section {
            title: "Summary".to_string(),
            lines: vec![format!(
                "_No summary was written ({}); the sections below are what claude-session recorded._",
                input.reason
            )],
        },
    }
}

fn uncommitted(project: &Project) -> Option<Section> {
    if !project.in_git {
        return None;
    }
    let changes = git::changes(&project.path).unwrap_or_default();
    let mut section = Section::new("Uncommitted changes");
    if changes.is_empty() {
        section.lines.push("None: the working tree is clean.".to_string());
        return Some(section);
    }
    let stats: HashMap<String, git::FileStat> = git::diffstat(&project.path)
        .unwrap_or_default()
        .into_iter()
        .map(|s| (s.path.clone(), s))
        .collect();
    let (mut added, mut deleted) = (0, 0);
    for change in &changes {
        let counts = match stats.get(&change.path) {
            Some(s) if s.binary => " (binary)".to_string(),
            Some(s) => {
                added += s.added;
                deleted += s.deleted;
                format!(" (+{} -{})", s.added, s.deleted)
            }
            None => String::new(),
        };
        section
            .lines
            .push(format!("- `{}` {}{counts}", change.code, change.path));
    }
    section.lines.push(String::new());
    section.lines.push(format!(
        "{} file(s) changed, {added} insertion(s), {deleted} deletion(s).",
        changes.len()
    ));
    Some(section)
}

fn commits(project: &Project, doc: &SessionDoc) -> Option<Section> {
    if !project.in_git {
        return None;
    }
    let since = doc.git.starting_commit.as_deref();
    let list = git::commits_between(&project.path, since, COMMITS_LISTED);
    let mut section = Section::new("Commits during the session");
    if since.is_none() && !list.is_empty() {
        section
            .lines
            .push("_The session started before the first commit: all commits are listed._".into());
    }
    if list.is_empty() {
        section.lines.push("None yet.".to_string());
    }
    for commit in &list {
        section
            .lines
            .push(format!("- {} {}", git::short(&commit.hash), commit.summary));
    }
    let total = git::commits_since(&project.path, since);
    if total > list.len() {
        section
            .lines
            .push(format!("- … and {} older", total - list.len()));
    }
    Some(section)
}

fn artifacts(doc: &SessionDoc) -> Option<Section> {
    let a = &doc.artifacts;
    if a.created.is_empty() && a.modified.is_empty() {
        return None;
    }
    let mut section = Section::new("Artifacts");
    section
        .lines
        .extend(a.created.iter().map(|p| format!("- created: {p}")));
    section
        .lines
        .extend(a.modified.iter().map(|p| format!("- modified: {p}")));
    Some(section)
}

fn agents(doc: &SessionDoc) -> Option<Section> {
    if doc.agents.is_empty() {
        return None;
    }
    let mut section = Section::new("Tasks and agents");
    for task in &doc.agents {
        let kind = if task.subagent_type.is_empty() {
            "agent"
        } else {
            task.subagent_type.as_str()
        };
        let mut line = format!("- [{}] {kind}: {}", task.status, task.description);
        if let Some(ms) = task.duration_ms {
            line.push_str(&format!(" ({} s)", ms / 1000));
        }
        section.lines.push(line);
    }
    Some(section)
}

fn checkpoints(doc: &SessionDoc) -> Option<Section> {
    if doc.checkpoints.is_empty() {
        return None;
    }
    let mut section = Section::new("Checkpoints");
    for c in &doc.checkpoints {
        section.lines.push(format!(
            "- {} at {}: {} ({} file(s))",
            c.id,
            c.time,
            c.description,
            c.files_snapshot.len()
        ));
    }
    Some(section)
}

fn prompts(doc: &SessionDoc) -> Option<Section> {
    if doc.prompts.recent.is_empty() {
        return None;
    }
    let mut section = Section::new("Recent prompts");
    section
        .lines
        .push("The last things the user asked, oldest first:".to_string());
    section.lines.push(String::new());
    for prompt in &doc.prompts.recent {
        let one_line: Vec<&str> = prompt.split_whitespace().collect();
        section.lines.push(format!("> {}", one_line.join(" ")));
        section.lines.push(String::new());
    }
    section.lines.pop();
    Some(section)
}

/// Cuts `text` to at most `max` bytes on a character boundary.
fn cut_bytes(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// Renders the context file within `budget` bytes (`None`: everything).
pub fn render_with(
    project: &Project,
    ws: &Workspace,
    doc: &SessionDoc,
    input: &ContextInput,
    now: jiff::Timestamp,
    budget: Option<usize>,
) -> String {
    let mut text = header(project, ws, doc, input, now);
    let sections: Vec<Section> = [
        Some(claude_sections(input)),
        uncommitted(project),
        commits(project, doc),
        artifacts(doc),
        agents(doc),
        checkpoints(doc),
        prompts(doc),
    ]
    .into_iter()
    .flatten()
    .collect();
    let Some(budget) = budget else {
        for section in &sections {
            text.push_str(&section_text(section));
        }
        return text;
    };
    // Room kept for the closing note that says what was cut.
    const NOTE_ROOM: usize = 240;
    let mut cut: Vec<String> = Vec::new();
    let mut omitted: Vec<String> = Vec::new();
    for section in &sections {
        let whole = section_text(section);
        let room = budget.saturating_sub(text.len() + NOTE_ROOM);
        if whole.len() <= room {
            text.push_str(&whole);
            continue;
        }
        let name = section_name(section);
        let heading = section_heading(section);
        // Too little room for even a few lines: leave the section out and say so.
        if room < heading.len() + 120 {
            omitted.push(name);
            continue;
        }
        let mut part = heading;
        let mut kept = 0;
        for line in &section.lines {
            let marker = 60;
            if part.len() + line.len() + 1 + marker > room {
                if kept == 0 {
                    // One long first line (a paragraph): keep its beginning.
                    let space = room.saturating_sub(part.len() + marker);
                    part.push_str(cut_bytes(line, space));
                    part.push_str("…\n");
                    kept += 1;
                }
                break;
            }
            part.push_str(line);
            part.push('\n');
            kept += 1;
        }
        let left = section.lines.len() - kept.min(section.lines.len());
        if left > 0 {
            part.push_str(&format!("- … {left} more line(s) cut\n"));
        }
        text.push_str(&part);
        cut.push(name);
    }
    if !cut.is_empty() || !omitted.is_empty() {
        let mut note = format!("\n_Cut to the {budget}-byte budget");
        if !cut.is_empty() {
            note.push_str(&format!("; shortened: {}", cut.join(", ")));
        }
        if !omitted.is_empty() {
            note.push_str(&format!("; left out: {}", omitted.join(", ")));
        }
        note.push_str(&format!(". `claude-session show {}` has everything._\n", ws.id));
        text.push_str(&note);
    }
    if text.len() > budget {
        // Only a huge header or note can get here: keep the beginning.
        let keep = cut_bytes(&text, budget.saturating_sub(8)).to_string();
        text = format!("{keep}\n…\n");
    }
    text
}

fn section_heading(section: &Section) -> String {
    if section.title.is_empty() {
        String::new()
    } else {
        format!("\n## {}\n\n", section.title)
    }
}

fn section_text(section: &Section) -> String {
    if section.title.is_empty() {
        let mut text = String::new();
        for line in &section.lines {
            text.push_str(line);
            text.push('\n');
        }
        text
    } else {
        section.text()
    }
}

fn section_name(section: &Section) -> String {
    if section.title.is_empty() {
        "Claude's summary".to_string()
    } else {
        section.title.clone()
    }
}
