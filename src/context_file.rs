//! Context files: `<root>/contexts/<slug>-<YYYY-MM-DD-HHMMSS>.md`, what a paused (or ended, or
//! compacted) session needs to pick up exactly where it stopped.
//!
//! Sections, most important first: the header (project, branch, HEAD, time, session, focus);
//! what Claude wrote (summary, accomplished, in progress, next steps, open questions); then what
//! the binary knows itself: Claude Code's task list (counts and open tasks), uncommitted changes, commits made during the session, artifacts,
//! tasks and agents, checkpoints and the last user prompts. The file is kept within
//! `context.budget_bytes` unless `full` is asked: lower sections are cut first, and the cut is
//! said at the end. Callers use `write`.

use crate::clock;
use crate::env::Env;
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
    /// The context file this one replaces (a second pause of a paused session).
    pub supersedes: Option<String>,
    /// The task list, when the caller has it already (pause and end reconcile it first);
    /// `None`: computed from the journal and the task folders.
    pub tasks: Option<crate::tasks::TaskList>,
}

/// What Claude (or the user) last wrote for the session: kept in the workspace so that every
/// later context (an automatic pause, a handoff export, a compaction, the final context) starts
/// from it, whichever command wrote it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct LatestWords {
    pub version: u32,
    pub written_at: jiff::Timestamp,
    /// The command that took them (`pause`, `end`…).
    pub reason: String,
    pub summary: Option<String>,
    pub note: Option<String>,
}

fn latest_words_file(ws: &Workspace) -> PathBuf {
    ws.notes_dir().join("latest-words.json")
}

/// The words last given for the session, if any (an unreadable file is moved aside by `store`
/// and counts as none: every context that held them is still in `notes/`).
pub fn latest_words(ws: &Workspace) -> Option<LatestWords> {
    match store::read_json::<LatestWords>(&latest_words_file(ws)) {
        Ok(store::Loaded::Found(words)) => Some(words),
        _ => None,
    }
}

/// The input with what is missing taken from the latest words: a pause or export without a new
/// summary keeps the one written before.
pub fn with_latest_words(ws: &Workspace, input: &ContextInput) -> ContextInput {
    let mut input = input.clone();
    let has_summary = input
        .summary_markdown
        .as_deref()
        .is_some_and(|t| !t.trim().is_empty());
    if has_summary {
        return input;
    }
    if let Some(words) = latest_words(ws) {
        input.summary_markdown = words.summary;
        if input.note.as_deref().is_none_or(|n| n.trim().is_empty()) {
            input.note = words.note;
        }
    }
    input
}

/// Most commits listed; older ones are counted.
const COMMITS_LISTED: usize = 30;

/// Renders and writes the context file; returns its path.
pub fn write(
    ctx: &Env,
    project: &Project,
    ws: &Workspace,
    doc: &SessionDoc,
    input: &ContextInput,
) -> Result<PathBuf> {
    let now = ctx.now()?;
    let given = input
        .summary_markdown
        .as_deref()
        .is_some_and(|t| !t.trim().is_empty())
        || input.note.as_deref().is_some_and(|n| !n.trim().is_empty());
    if given && !ws.archived && ws.dir.is_dir() {
        let earlier = latest_words(ws);
        let words = LatestWords {
            version: store::STATE_VERSION,
            written_at: now,
            reason: input.reason.clone(),
            summary: input
                .summary_markdown
                .clone()
                .filter(|t| !t.trim().is_empty())
                .or_else(|| earlier.as_ref().and_then(|w| w.summary.clone())),
            note: input
                .note
                .clone()
                .filter(|n| !n.trim().is_empty())
                .or_else(|| earlier.and_then(|w| w.note)),
        };
        store::write_json(&latest_words_file(ws), &words)?;
    }
    let input = &with_latest_words(ws, input);
    let stamp = clock::local(now).strftime("%Y-%m-%d-%H%M%S").to_string();
    let dir = ctx.layout.contexts_dir();
    let budget = (!input.full).then(|| ctx.config().context_budget());
    let text = render_with(project, ws, doc, input, now, budget);
    // Everything, unbudgeted, in the session's notes: what Claude wrote is never lost to the
    // budget, and the session's backup holds every context it had. An archived workspace is
    // finished and backed up: it is not written to any more.
    if !ws.archived && ws.dir.is_dir() {
        let full = if budget.is_some() {
            render_with(project, ws, doc, input, now, None)
        } else {
            text.clone()
        };
        let note = ws
            .notes_dir()
            .join(format!("context-{stamp}-{}.md", input.reason));
        store::write_new_atomic_with(&note, |file| {
            use std::io::Write;
            file.write_all(full.as_bytes())
                .map_err(|e| crate::Error::io("write", &note, e))
        })?;
    }
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
pub fn newest(ctx: &Env, project: &Project) -> Option<PathBuf> {
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

/// One section: its heading line and body lines; cut line by line when the budget runs out.
struct Section {
    /// `## Title`, or empty for text before the first heading.
    heading: String,
    lines: Vec<String>,
}

impl Section {
    fn new(title: &str) -> Section {
        Section {
            heading: format!("## {title}"),
            lines: Vec::new(),
        }
    }

    fn head_text(&self) -> String {
        if self.heading.is_empty() {
            "\n".to_string()
        } else {
            format!("\n{}\n\n", self.heading)
        }
    }

    fn text(&self) -> String {
        let mut text = self.head_text();
        for line in &self.lines {
            text.push_str(line);
            text.push('\n');
        }
        text
    }

    fn name(&self) -> String {
        let name = self.heading.trim_start_matches('#').trim();
        if name.is_empty() {
            "the summary".to_string()
        } else {
            name.to_string()
        }
    }

    /// The section cut to `room` bytes, or `None` when not even a few lines fit.
    fn fit(&self, room: usize) -> Option<String> {
        const MARKER: usize = 60;
        let mut part = self.head_text();
        if room < part.len() + 120 {
            return None;
        }
        let mut kept = 0;
        for line in &self.lines {
            if part.len() + line.len() + 1 + MARKER > room {
                if kept == 0 {
                    // One long first line (a paragraph): keep its beginning.
                    let space = room.saturating_sub(part.len() + MARKER);
                    part.push_str(crate::templates::cut_bytes(line, space));
                    part.push_str("…\n");
                    kept += 1;
                }
                break;
            }
            part.push_str(line);
            part.push('\n');
            kept += 1;
        }
        let left = self.lines.len() - kept.min(self.lines.len());
        if left > 0 {
            part.push_str(&format!("- … {left} more line(s) cut\n"));
        }
        Some(part)
    }
}

/// Shares `room` between parts of the given lengths: short parts get all they need, the rest
/// split what remains evenly (so every heading of Claude's summary keeps its beginning).
fn share(lengths: &[usize], room: usize) -> Vec<usize> {
    let mut allot = vec![0; lengths.len()];
    let mut order: Vec<usize> = (0..lengths.len()).collect();
    order.sort_by_key(|&i| lengths[i]);
    let mut left = room;
    for (done, &i) in order.iter().enumerate() {
        let fair = left / (order.len() - done);
        allot[i] = lengths[i].min(fair);
        left -= allot[i];
    }
    allot
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
                line.push_str(&format!(
                    " \"{}\"",
                    crate::session::truncate_chars(&summary, 80)
                ));
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
    let focus = crate::templates::focus(&doc.session.focus);
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
    if let Some(old) = &input.supersedes {
        text.push_str(&format!("- Supersedes: {old}\n"));
    }
    text
}

/// What Claude wrote, split at its headings (kept as given); plain text goes under `## Summary`.
fn claude_sections(input: &ContextInput) -> Vec<Section> {
    let given = input
        .summary_markdown
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    let Some(text) = given else {
        let mut section = Section::new("Summary");
        section.lines.push(format!(
            "_No summary was written ({}); the sections below are what claude-session recorded._",
            input.reason
        ));
        return vec![section];
    };
    if !text.lines().any(|l| l.starts_with('#')) {
        let mut section = Section::new("Summary");
        section.lines = text.lines().map(str::to_string).collect();
        return vec![section];
    }
    let mut sections = Vec::new();
    let mut current = Section {
        heading: String::new(),
        lines: Vec::new(),
    };
    let mut fenced = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        }
        if !fenced && line.starts_with('#') {
            sections.push(std::mem::replace(
                &mut current,
                Section {
                    heading: line.to_string(),
                    lines: Vec::new(),
                },
            ));
        } else {
            current.lines.push(line.to_string());
        }
    }
    sections.push(current);
    for section in &mut sections {
        while section.lines.first().is_some_and(|l| l.trim().is_empty()) {
            section.lines.remove(0);
        }
        while section.lines.last().is_some_and(|l| l.trim().is_empty()) {
            section.lines.pop();
        }
    }
    sections.retain(|s| !s.heading.is_empty() || !s.lines.is_empty());
    sections
}

fn uncommitted(project: &Project) -> Option<Section> {
    if !project.in_git {
        return None;
    }
    let changes = git::changes(&project.path).unwrap_or_default();
    let mut section = Section::new("Uncommitted changes");
    if changes.is_empty() {
        section
            .lines
            .push("None: the working tree is clean.".to_string());
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

/// Claude Code's task list: the counts, then the open tasks (the next steps).
fn tasks(list: &crate::tasks::TaskList) -> Option<Section> {
    if list.tasks.is_empty() {
        return None;
    }
    let m = &list.metrics;
    let open: Vec<String> = list
        .open()
        .map(|t| format!("- {}", t.step_line()))
        .collect();
    let mut section = Section::new("Tasks");
    section.lines.push(format!(
        "{} task(s): {} completed, {} open ({} blocked), {} failed; {} min spent of {} estimated.",
        m.total_tasks,
        m.completed,
        open.len(),
        m.blocked,
        m.failed,
        m.time_spent,
        m.time_estimated
    ));
    if !open.is_empty() {
        section.lines.push(String::new());
        section.lines.push("Open:".to_string());
        section.lines.extend(open);
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
    let claude = claude_sections(input);
    let computed;
    let task_list = match &input.tasks {
        Some(list) => list,
        None => {
            computed = crate::tasks::current(ws, doc, now).list;
            &computed
        }
    };
    let others: Vec<Section> = [
        tasks(task_list),
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
        for section in claude.iter().chain(others.iter()) {
            text.push_str(&section.text());
        }
        return text;
    };
    // Room kept for the closing note that says what was cut.
    const NOTE_ROOM: usize = 240;
    let mut cut: Vec<String> = Vec::new();
    let mut omitted: Vec<String> = Vec::new();
    let remaining = budget.saturating_sub(text.len() + NOTE_ROOM);
    let claude_lengths: Vec<usize> = claude.iter().map(|s| s.text().len()).collect();
    let claude_len: usize = claude_lengths.iter().sum();
    let others_len: usize = others.iter().map(|s| s.text().len()).sum();
    // Claude's summary comes first, but leaves a quarter of the room to what git knows.
    let claude_room = if claude_len + others_len <= remaining {
        claude_len
    } else {
        claude_len.min((remaining * 3 / 4).max(remaining.saturating_sub(others_len)))
    };
    for (section, room) in claude.iter().zip(share(&claude_lengths, claude_room)) {
        let whole = section.text();
        if whole.len() <= room {
            text.push_str(&whole);
        } else if let Some(part) = section.fit(room) {
            text.push_str(&part);
            cut.push(section.name());
        } else {
            omitted.push(section.name());
        }
    }
    for section in &others {
        let whole = section.text();
        let room = budget.saturating_sub(text.len() + NOTE_ROOM);
        if whole.len() <= room {
            text.push_str(&whole);
        } else if let Some(part) = section.fit(room) {
            text.push_str(&part);
            cut.push(section.name());
        } else {
            omitted.push(section.name());
        }
    }
    if !cut.is_empty() || !omitted.is_empty() {
        let mut note = format!("\n_Cut to the {budget}-byte budget");
        if !cut.is_empty() {
            note.push_str(&format!("; shortened: {}", cut.join(", ")));
        }
        if !omitted.is_empty() {
            note.push_str(&format!("; left out: {}", omitted.join(", ")));
        }
        note.push_str(&format!(
            ". The whole context is in the `notes/` folder of {}._\n",
            ws.dir.display()
        ));
        text.push_str(&note);
    }
    if text.len() > budget {
        // Only a huge header or note can get here: keep the beginning.
        let keep = crate::templates::cut_bytes(&text, budget.saturating_sub(8)).to_string();
        text = format!("{keep}\n…\n");
    }
    text
}
