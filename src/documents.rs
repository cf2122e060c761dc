//! The session's documents (seed 004): `plan.md` and `context.md` written at `start`,
//! `completed.md` and `review.md` written at `end`; and the session record of seed 002 that
//! `end` writes next to the ZIP, `backups/sessions/<id>.json`. Pure text and data here; the
//! writes are the verbs' (`ops::start`, `ops::end`).
//!
//! What the binary knows is filled in; the rest is left to Claude behind `<!-- Claude: … -->`
//! markers, which `/start` asks it to fill.

use crate::memory::Entry;
use crate::session::{MaintenanceRun, SessionDoc};
use crate::tasks::{Task, TaskList, TaskStatus};
use crate::templates;
use serde::Serialize;
use std::collections::BTreeMap;

pub const PLAN_FILE: &str = "plan.md";
pub const CONTEXT_FILE: &str = "context.md";
pub const COMPLETED_FILE: &str = "completed.md";
pub const REVIEW_FILE: &str = "review.md";
/// The version of the session record (`backups/sessions/<id>.json`).
pub const RECORD_VERSION: u32 = 1;

// ---------------------------------------------------------------------------------------------
// Objectives.

/// The objectives of a `--plan-file`: one per line, or the items of a markdown list (bullets,
/// numbers, checkboxes) when there are any; headings, comments, code fences and blank lines are
/// left out.
pub fn parse_objectives(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| {
            !l.is_empty() && !l.starts_with('#') && !l.starts_with("<!--") && !l.starts_with("```")
        })
        .collect();
    let items: Vec<String> = lines.iter().filter_map(|l| list_item(l)).collect();
    let chosen: Vec<String> = if items.is_empty() {
        lines.iter().map(|l| l.to_string()).collect()
    } else {
        items
    };
    chosen
        .into_iter()
        .map(|o| o.trim().to_string())
        .filter(|o| !o.is_empty())
        .collect()
}

/// The text of a markdown list item (`- x`, `* x`, `+ x`, `1. x`, `1) x`, `- [ ] x`).
fn list_item(line: &str) -> Option<String> {
    let rest = if let Some(rest) = line
        .strip_prefix("- ")
        .or_else(|| line.strip_prefix("* "))
        .or_else(|| line.strip_prefix("+ "))
    {
        rest
    } else {
        let digits = line.chars().take_while(char::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        line[digits..]
            .strip_prefix(". ")
            .or_else(|| line[digits..].strip_prefix(") "))?
    };
    let rest = rest.trim_start();
    let rest = ["[ ] ", "[x] ", "[X] "]
        .iter()
        .find_map(|box_| rest.strip_prefix(box_))
        .unwrap_or(rest);
    Some(rest.trim().to_string())
}

/// The objectives of a `plan.md` (its numbered list under `## 🎯 Objectives`), and which of
/// them its success metrics check (`- [x] objective`).
pub fn plan_objectives(plan: &str) -> Vec<(String, bool)> {
    let mut objectives = Vec::new();
    let mut checked = Vec::new();
    let mut section = "";
    for line in plan.lines() {
        let trimmed = line.trim();
        if let Some(title) = trimmed.strip_prefix("## ") {
            section = if title.contains("Objectives") {
                "objectives"
            } else if title.contains("Success metrics") {
                "metrics"
            } else {
                ""
            };
            continue;
        }
        match section {
            "objectives" => {
                if let Some(item) = list_item(trimmed).filter(|i| !i.starts_with("<!--")) {
                    objectives.push(item);
                }
            }
            "metrics" => {
                if let Some(item) = trimmed
                    .strip_prefix("- [x] ")
                    .or_else(|| trimmed.strip_prefix("- [X] "))
                {
                    checked.push(item.trim().to_lowercase());
                }
            }
            _ => {}
        }
    }
    objectives
        .into_iter()
        .map(|o| {
            let done = checked.contains(&o.to_lowercase());
            (o, done)
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// plan.md and context.md.

/// `plan.md` (seed 004) for the given objectives.
pub fn plan_md(doc: &SessionDoc, objectives: &[String]) -> String {
    let s = &doc.session;
    let mut text = format!(
        "# Session plan: {}\n\n**Focus**: {}\n**Started**: {} {}\n\n\
         <!-- Claude: fill every marker like this one, then remove it. Keep the objectives as the user gave them. -->\n\n\
         ## 🎯 Objectives\n\n",
        s.id,
        templates::focus(&s.focus),
        s.date,
        s.start_time
    );
    for (i, objective) in objectives.iter().enumerate() {
        text.push_str(&format!("{}. {objective}\n", i + 1));
    }
    text.push_str("\n## 📋 Task breakdown\n");
    for (i, objective) in objectives.iter().enumerate() {
        text.push_str(&format!(
            "\n### Task {}: {objective}\n\
             - **Agent**: <!-- Claude: who handles it: main, or a subagent type -->\n\
             - **Estimated time**: <!-- Claude: minutes (also the task's estimatedMinutes) -->\n\
             - **Dependencies**: <!-- Claude: the tasks or things it needs first, or none -->\n\
             - **Success criteria**: <!-- Claude: how we know it is done -->\n\
             - **Test cases**: <!-- Claude: how to verify it -->\n",
            i + 1
        ));
    }
    text.push_str("\n## 🔄 Execution order\n\n");
    for (i, objective) in objectives.iter().enumerate() {
        text.push_str(&format!("{}. Task {}: {objective}\n", i + 1, i + 1));
    }
    text.push_str(
        "\n<!-- Claude: reorder when a task depends on another; say which can run in parallel. -->\n\
         \n## ⚠️ Risk mitigation\n\n\
         - Risk: <!-- Claude: what could go wrong -->\n  \
         Mitigation: <!-- Claude: how to handle it -->\n\
         \n## 📊 Success metrics\n\n",
    );
    for objective in objectives {
        text.push_str(&format!("- [ ] {objective}\n"));
    }
    text.push_str(
        "- [ ] All tests pass\n- [ ] Documentation updated\n- [ ] Work committed\n\
         <!-- Claude: add the measurable targets of this work (performance, coverage…). -->\n",
    );
    text
}

/// What `context.md` shows besides the session itself.
#[derive(Debug, Clone, Default)]
pub struct ContextFacts {
    pub branch: Option<String>,
    pub last_commit: Option<String>,
    /// The newest maintenance runs of an earlier session, and its id.
    pub runs: Option<(String, Vec<MaintenanceRun>)>,
    /// The project memory's known errors.
    pub known_issues: Vec<Entry>,
    /// The last archived session's id and its `summary.md`.
    pub previous: Option<(String, String)>,
    pub objectives: Vec<String>,
}

/// Longest previous summary carried into `context.md`, in bytes.
const PREVIOUS_SUMMARY_BYTES: usize = 6000;

/// `context.md` (seed 004): the state the session starts from.
pub fn context_md(doc: &SessionDoc, facts: &ContextFacts) -> String {
    let s = &doc.session;
    let mut text = format!(
        "# Session context: {}\n\n**Started**: {} {}\n\n## System state\n\n",
        s.id, s.date, s.start_time
    );
    text.push_str(&format!(
        "- **Branch**: {}\n- **Last commit**: {}\n",
        facts.branch.as_deref().unwrap_or("(none)"),
        facts.last_commit.as_deref().unwrap_or("(none)")
    ));
    match &facts.runs {
        Some((session, runs)) if !runs.is_empty() => {
            text.push_str(&format!(
                "- **Build/test status** (`tracker run` in {session}):\n"
            ));
            for run in newest_per_name(runs) {
                text.push_str(&format!("  - {}\n", run_line(run)));
            }
        }
        _ => text.push_str("- **Build/test status**: not recorded\n"),
    }
    if facts.known_issues.is_empty() {
        text.push_str("- **Known issues**: none recorded\n");
    } else {
        text.push_str("- **Known issues** (project memory, errors.md):\n");
        for entry in &facts.known_issues {
            text.push_str(&format!(
                "  - {} ({})\n",
                first_line(&entry.text),
                entry.date
            ));
        }
    }
    text.push_str("\n## Previous session summary\n\n");
    match &facts.previous {
        Some((id, summary)) => {
            text.push_str(&format!("From {id}:\n\n"));
            let body = templates::cut_bytes(summary.trim(), PREVIOUS_SUMMARY_BYTES);
            // Its title is this section's; its sections go one level down, under it.
            let body = match body.split_once('\n') {
                Some((title, rest)) if title.starts_with("# ") => rest.trim_start(),
                _ => body,
            };
            for line in body.lines() {
                if line.starts_with('#') {
                    text.push('#');
                }
                text.push_str(line);
                text.push('\n');
            }
        }
        None => text.push_str("No earlier session has ended in this project.\n"),
    }
    text.push_str(&format!(
        "\n## Current focus\n\n- **Focus**: {}\n",
        templates::focus(&s.focus)
    ));
    if !facts.objectives.is_empty() {
        text.push_str("- **Objectives** (see plan.md):\n");
        for objective in &facts.objectives {
            text.push_str(&format!("  - {objective}\n"));
        }
    }
    text.push_str("- **Priority**: <!-- Claude: why this work now -->\n");
    text
}

fn first_line(text: &str) -> &str {
    text.lines()
        .map(|l| l.trim().trim_start_matches('#').trim())
        .find(|l| !l.is_empty())
        .unwrap_or("")
}

/// The newest run of each name, in the order they ran.
fn newest_per_name(runs: &[MaintenanceRun]) -> Vec<&MaintenanceRun> {
    let mut out: Vec<&MaintenanceRun> = Vec::new();
    for run in runs.iter().rev() {
        if !out.iter().any(|r| r.name == run.name) {
            out.push(run);
        }
    }
    out.reverse();
    out
}

fn run_line(run: &MaintenanceRun) -> String {
    format!(
        "{} {} (`{}`): {}, {}",
        if run.success { "✅" } else { "❌" },
        run.name,
        run.command,
        if run.success { "passed" } else { "failed" },
        run.status
    )
}

// ---------------------------------------------------------------------------------------------
// The numbers of the end.

/// The seed's success indicators, with what they are computed from.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Indicators {
    pub tasks_total: u64,
    pub tasks_completed: u64,
    /// tasks completed / tasks; `None` without tasks.
    pub completion_rate: Option<f64>,
    pub runs_total: u64,
    pub runs_passed: u64,
    /// maintenance runs passed / runs (`tracker run`); `None` without runs.
    pub quality_score: Option<f64>,
    /// Over the tasks with both an estimate and a measured time.
    pub minutes_actual: u64,
    pub minutes_estimated: u64,
    /// actual / estimated minutes; `None` without estimates.
    pub time_efficiency: Option<f64>,
}

impl Indicators {
    pub fn of(doc: &SessionDoc, tasks: &TaskList) -> Indicators {
        let runs_total = doc.maintenance_runs.len() as u64;
        let runs_passed = doc.maintenance_runs.iter().filter(|r| r.success).count() as u64;
        let (minutes_actual, minutes_estimated) = tasks
            .tasks
            .iter()
            .filter_map(|t| Some((t.actual_minutes?, t.estimated_minutes?)))
            .fold((0, 0), |(a, e), (x, y)| (a + x, e + y));
        Indicators {
            tasks_total: tasks.metrics.total_tasks,
            tasks_completed: tasks.metrics.completed,
            completion_rate: tasks.completion_rate(),
            runs_total,
            runs_passed,
            quality_score: (runs_total > 0).then(|| runs_passed as f64 / runs_total as f64),
            minutes_actual,
            minutes_estimated,
            time_efficiency: tasks.time_efficiency(),
        }
    }

    pub fn completion(&self) -> String {
        match self.completion_rate {
            Some(rate) => format!(
                "{} ({}/{} tasks)",
                percent(rate),
                self.tasks_completed,
                self.tasks_total
            ),
            None => "not measured (no tasks)".to_string(),
        }
    }

    pub fn quality(&self) -> String {
        match self.quality_score {
            Some(score) => format!(
                "{} ({}/{} maintenance runs passed)",
                percent(score),
                self.runs_passed,
                self.runs_total
            ),
            None => "not measured (no `tracker run`)".to_string(),
        }
    }

    pub fn efficiency(&self) -> String {
        match self.time_efficiency {
            Some(ratio) => format!(
                "{ratio:.2} ({} min actual / {} min estimated)",
                self.minutes_actual, self.minutes_estimated
            ),
            None => "not measured (no task estimates)".to_string(),
        }
    }
}

fn percent(rate: f64) -> String {
    format!("{:.0}%", rate * 100.0)
}

// ---------------------------------------------------------------------------------------------
// completed.md and review.md.

/// A commit of the session, for the documents.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CommitRef {
    pub hash: String,
    pub summary: String,
}

fn task_status_mark(status: TaskStatus) -> &'static str {
    match status {
        TaskStatus::Completed => "✅ done",
        TaskStatus::Failed => "❌ failed",
        TaskStatus::Blocked => "⛔ blocked",
        TaskStatus::InProgress => "⏳ open (in progress)",
        TaskStatus::Pending => "⏳ open (pending)",
    }
}

fn task_matches(task: &Task, objective: &str) -> bool {
    task.title.trim().eq_ignore_ascii_case(objective.trim())
}

/// `completed.md` (seed 004): the results against the plan's objectives and the tasks.
pub fn completed_md(
    doc: &SessionDoc,
    plan: Option<&str>,
    tasks: &TaskList,
    commits: &[CommitRef],
) -> String {
    let s = &doc.session;
    let mut text = format!(
        "# Session results: {}\n\n**Focus**: {}\n**Time**: {}\n\n## Objectives\n\n",
        s.id,
        templates::focus(&s.focus),
        templates::time_span(doc),
    );
    let objectives = plan.map(plan_objectives).unwrap_or_default();
    if objectives.is_empty() {
        text.push_str("No plan.md objectives (`start --plan` writes them).\n");
    }
    for (i, (objective, checked)) in objectives.iter().enumerate() {
        let task = tasks.tasks.iter().find(|t| task_matches(t, objective));
        let status = match (task, checked) {
            (Some(task), _) => format!("{} (task {})", task_status_mark(task.status), task.id),
            (None, true) => "✅ done (checked in plan.md)".to_string(),
            (None, false) => "⏳ open".to_string(),
        };
        text.push_str(&format!("{}. {objective}: {status}\n", i + 1));
        if let Some(task) = task.filter(|t| !t.files.is_empty()) {
            text.push_str(&format!("   - Files: {}\n", task.files.join(", ")));
        }
    }
    text.push_str("\n## Tasks\n\n");
    if tasks.tasks.is_empty() {
        text.push_str("No tasks were recorded.\n");
    }
    for task in &tasks.tasks {
        text.push_str(&format!(
            "- **{}** {}: {}",
            task.id,
            task.title,
            task_status_mark(task.status)
        ));
        if let Some(minutes) = task.actual_minutes {
            text.push_str(&format!(", {minutes} min"));
        }
        if let Some(estimate) = task.estimated_minutes {
            text.push_str(&format!(" (estimated {estimate} min)"));
        }
        text.push('\n');
        if !task.files.is_empty() {
            text.push_str(&format!("  - Files: {}\n", task.files.join(", ")));
        }
        if !task.blockers.is_empty() {
            text.push_str(&format!("  - Waits for: {}\n", task.blockers.join(", ")));
        }
        if let Some(output) = task.output.as_deref().filter(|o| !o.trim().is_empty()) {
            text.push_str(&format!("  - Output: {}\n", first_line(output)));
        }
    }
    text.push_str("\n## Files\n\n");
    let (created, modified) = (&doc.artifacts.created, &doc.artifacts.modified);
    if created.is_empty() && modified.is_empty() {
        text.push_str("No files were recorded.\n");
    }
    for path in created {
        text.push_str(&format!("- created: {path}\n"));
    }
    for path in modified {
        text.push_str(&format!("- modified: {path}\n"));
    }
    text.push_str("\n## Commits\n\n");
    if commits.is_empty() {
        text.push_str("No commits this session.\n");
    }
    for commit in commits {
        text.push_str(&format!(
            "- {} {}\n",
            crate::git::short(&commit.hash),
            commit.summary
        ));
    }
    if !doc.git.uncommitted_files.is_empty() {
        text.push_str(&format!(
            "\nLeft uncommitted: {}\n",
            doc.git.uncommitted_files.join(", ")
        ));
    }
    text
}

/// `review.md` (seed 004): what worked, what failed, and the success indicators.
pub fn review_md(doc: &SessionDoc, tasks: &TaskList) -> String {
    let s = &doc.session;
    let numbers = Indicators::of(doc, tasks);
    let mut text = format!(
        "# Session review: {}\n\n**Focus**: {}\n**Duration**: {}\n\n## What worked\n\n",
        s.id,
        templates::focus(&s.focus),
        templates::active_and_wall(doc.metrics.duration_minutes, doc.metrics.wall_minutes),
    );
    let mut worked = Vec::new();
    for task in tasks
        .tasks
        .iter()
        .filter(|t| t.status == TaskStatus::Completed)
    {
        worked.push(format!("- ✅ {} ({})", task.title, task.id));
    }
    for run in doc.maintenance_runs.iter().filter(|r| r.success) {
        worked.push(format!("- {}", run_line(run)));
    }
    push_list(&mut text, &worked);
    text.push_str("\n## What failed\n\n");
    let mut failed = Vec::new();
    for task in tasks
        .tasks
        .iter()
        .filter(|t| t.status != TaskStatus::Completed)
    {
        let mut line = format!(
            "- {} {} ({})",
            task_status_mark(task.status),
            task.title,
            task.id
        );
        if !task.blockers.is_empty() {
            line.push_str(&format!(", waits for {}", task.blockers.join(", ")));
        }
        failed.push(line);
    }
    for run in doc.maintenance_runs.iter().filter(|r| !r.success) {
        failed.push(format!("- {}", run_line(run)));
    }
    push_list(&mut text, &failed);
    text.push_str(&format!(
        "\n## Success indicators\n\n\
         | Indicator | Value | Computed as |\n|---|---|---|\n\
         | Completion rate | {} | tasks completed / tasks |\n\
         | Quality score | {} | maintenance runs passed / runs (`tracker run`) |\n\
         | Time efficiency | {} | actual / estimated minutes |\n",
        numbers.completion(),
        numbers.quality(),
        numbers.efficiency()
    ));
    text.push_str("\n## Lessons\n\n<!-- Claude: what to keep and what to change next time. -->\n");
    text
}

fn push_list(text: &mut String, lines: &[String]) {
    if lines.is_empty() {
        text.push_str("Nothing recorded.\n");
    }
    for line in lines {
        text.push_str(line);
        text.push('\n');
    }
}

// ---------------------------------------------------------------------------------------------
// The session record, backups/sessions/<id>.json (seed 002).

/// The kinds artifacts are grouped by in the session record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ArtifactKind {
    Code,
    Tests,
    Docs,
    Scripts,
    Notes,
}

impl ArtifactKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ArtifactKind::Code => "code",
            ArtifactKind::Tests => "tests",
            ArtifactKind::Docs => "docs",
            ArtifactKind::Scripts => "scripts",
            ArtifactKind::Notes => "notes",
        }
    }
}

/// The kind of a project file the session created or modified, by its path (the first rule
/// that matches wins; names compared without regard to case):
///
/// 1. **tests**: a folder `tests`, `test`, `spec`, `specs` or `__tests__` on the path, or a file
///    name `*_test.*`, `test_*.*`, `*.test.*`, `*.spec.*` or `*_spec.*`;
/// 2. **docs**: an extension `md`, `markdown`, `rst`, `txt` or `adoc`, or a folder `docs` or `doc`;
/// 3. **scripts**: an extension `sh`, `bash`, `zsh`, `fish`, `ps1`, `bat` or `cmd`, or a folder
///    `scripts` or `bin`;
/// 4. **code**: everything else.
///
/// **notes** are not decided by path: they are the session's own `notes/` and `decisions/`
/// files (in its workspace).
pub fn artifact_kind(path: &str) -> ArtifactKind {
    let lower = path.replace('\\', "/").to_lowercase();
    let parts: Vec<&str> = lower.split('/').filter(|p| !p.is_empty()).collect();
    let (name, folders) = match parts.split_last() {
        Some((name, folders)) => (*name, folders),
        None => return ArtifactKind::Code,
    };
    let (stem, ext) = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() => (stem, ext),
        _ => (name, ""),
    };
    let in_folder = |names: &[&str]| folders.iter().any(|f| names.contains(f));
    let test_name = stem.ends_with("_test")
        || stem.ends_with("_spec")
        || (stem.starts_with("test_") && !ext.is_empty())
        || stem.ends_with(".test")
        || stem.ends_with(".spec");
    if in_folder(&["tests", "test", "spec", "specs", "__tests__"]) || test_name {
        ArtifactKind::Tests
    } else if ["md", "markdown", "rst", "txt", "adoc"].contains(&ext) || in_folder(&["docs", "doc"])
    {
        ArtifactKind::Docs
    } else if ["sh", "bash", "zsh", "fish", "ps1", "bat", "cmd"].contains(&ext)
        || in_folder(&["scripts", "bin"])
    {
        ArtifactKind::Scripts
    } else {
        ArtifactKind::Code
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct RecordAgent {
    #[serde(rename = "type")]
    pub kind: String,
    pub task: String,
    pub status: String,
    pub duration_minutes: Option<u64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RecordMetrics {
    pub files_created: u64,
    pub files_modified: u64,
    pub checkpoints: u64,
    pub agents_spawned: u64,
    pub memory_entries: u64,
    pub tasks: crate::tasks::TaskMetrics,
    pub completion_rate: Option<f64>,
    pub quality_score: Option<f64>,
    pub time_efficiency: Option<f64>,
    pub maintenance_runs: u64,
    pub maintenance_runs_passed: u64,
    pub commits: Option<u64>,
}

/// `backups/sessions/<id>.json`: seed 002's backup document.
#[derive(Debug, Clone, Serialize)]
pub struct SessionRecord {
    pub version: u32,
    pub session_id: String,
    pub created_at: Option<jiff::Timestamp>,
    pub closed_at: Option<jiff::Timestamp>,
    pub duration_minutes: u64,
    pub topic: String,
    pub project: String,
    pub rulemap_score: Option<f64>,
    pub agents: Vec<RecordAgent>,
    /// Paths by kind (see [`artifact_kind`]); every kind present, empty or not.
    pub artifacts: BTreeMap<&'static str, Vec<String>>,
    pub metrics: RecordMetrics,
    /// The memory entries this session added.
    pub memory_snapshot: Vec<Entry>,
    /// The pattern entries among them.
    pub learned_patterns: Vec<Entry>,
    /// The session's ZIP backup, when one was written.
    pub backup_location: Option<String>,
}

impl SessionRecord {
    /// `notes`: the workspace's own notes and decisions (paths relative to it).
    pub fn of(
        doc: &SessionDoc,
        tasks: &TaskList,
        notes: Vec<String>,
        memory: Vec<Entry>,
        backup: Option<String>,
    ) -> SessionRecord {
        let mut artifacts: BTreeMap<&'static str, Vec<String>> = [
            ArtifactKind::Code,
            ArtifactKind::Tests,
            ArtifactKind::Docs,
            ArtifactKind::Scripts,
            ArtifactKind::Notes,
        ]
        .into_iter()
        .map(|k| (k.as_str(), Vec::new()))
        .collect();
        for path in doc.artifacts.created.iter().chain(&doc.artifacts.modified) {
            let list = artifacts.entry(artifact_kind(path).as_str()).or_default();
            if !list.contains(path) {
                list.push(path.clone());
            }
        }
        artifacts.insert(ArtifactKind::Notes.as_str(), notes);
        let agents: Vec<RecordAgent> =
            doc.agents
                .iter()
                .map(|a| RecordAgent {
                    kind: if a.subagent_type.is_empty() {
                        "general-purpose".to_string()
                    } else {
                        a.subagent_type.clone()
                    },
                    task: a.description.clone(),
                    status: a.status.clone(),
                    duration_minutes: a.duration_ms.map(|ms| ms / 60_000).or_else(|| {
                        Some(crate::clock::minutes_between(a.started_at?, a.ended_at?))
                    }),
                })
                .collect();
        let numbers = Indicators::of(doc, tasks);
        let learned_patterns = memory
            .iter()
            .filter(|e| e.kind == crate::memory::Kind::Pattern)
            .cloned()
            .collect();
        SessionRecord {
            version: RECORD_VERSION,
            session_id: doc.session.id.clone(),
            created_at: doc.session.started_at,
            closed_at: doc.session.ended_at,
            duration_minutes: doc.metrics.duration_minutes,
            topic: doc.session.focus.clone(),
            project: doc.project.name.clone(),
            rulemap_score: doc.rulemap_score,
            metrics: RecordMetrics {
                files_created: doc.metrics.files_created,
                files_modified: doc.metrics.files_modified,
                checkpoints: doc.metrics.checkpoints,
                agents_spawned: agents.len() as u64,
                memory_entries: memory.len() as u64,
                tasks: tasks.metrics.clone(),
                completion_rate: numbers.completion_rate,
                quality_score: numbers.quality_score,
                time_efficiency: numbers.time_efficiency,
                maintenance_runs: numbers.runs_total,
                maintenance_runs_passed: numbers.runs_passed,
                commits: doc.git.commits_count,
            },
            agents,
            artifacts,
            memory_snapshot: memory,
            learned_patterns,
            backup_location: backup,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn artifacts_are_grouped_by_path_and_extension() {
        for (path, kind) in [
            ("src/main.rs", ArtifactKind::Code),
            ("tests/it/end.rs", ArtifactKind::Tests),
            ("web/__tests__/a.js", ArtifactKind::Tests),
            ("src/auth_test.go", ArtifactKind::Tests),
            ("test_auth.py", ArtifactKind::Tests),
            ("src/auth.test.ts", ArtifactKind::Tests),
            ("src/auth.spec.js", ArtifactKind::Tests),
            ("tests/README.md", ArtifactKind::Tests),
            ("README.md", ArtifactKind::Docs),
            ("docs/api.html", ArtifactKind::Docs),
            ("NOTES.TXT", ArtifactKind::Docs),
            ("install.sh", ArtifactKind::Scripts),
            ("scripts/release.py", ArtifactKind::Scripts),
            ("bin/tool", ArtifactKind::Scripts),
            ("Makefile", ArtifactKind::Code),
            ("test_data", ArtifactKind::Code),
            ("src/latest.rs", ArtifactKind::Code),
        ] {
            assert_eq!(artifact_kind(path), kind, "{path}");
        }
    }

    #[test]
    fn objectives_come_from_lines_or_list_items() {
        assert_eq!(parse_objectives("a\n\n b \n"), vec!["a", "b"]);
        assert_eq!(
            parse_objectives("# Goals\nSome intro.\n- [ ] one\n* two\n3. three\n<!-- x -->\n"),
            vec!["one", "two", "three"]
        );
        assert!(parse_objectives("\n# only a heading\n").is_empty());
    }

    fn task(id: &str, title: &str, status: TaskStatus, times: (Option<u64>, Option<u64>)) -> Task {
        Task {
            id: id.to_string(),
            title: title.to_string(),
            agent: "main".to_string(),
            status,
            estimated_minutes: times.1,
            actual_minutes: times.0,
            files: Vec::new(),
            blockers: Vec::new(),
            output: None,
            description: None,
            source: "TaskCreate".to_string(),
            claude_session: None,
            started_at: None,
            completed_at: None,
        }
    }

    fn run(name: &str, success: bool) -> MaintenanceRun {
        MaintenanceRun {
            name: name.to_string(),
            command: "cargo test".to_string(),
            started_at: jiff::Timestamp::UNIX_EPOCH,
            duration_ms: 1,
            status: format!("exit status: {}", if success { 0 } else { 1 }),
            success,
            result: String::new(),
        }
    }

    /// A session with four tasks (one done, one failed, one blocked, one in progress) and two
    /// maintenance runs (one passed).
    fn sample() -> (SessionDoc, TaskList) {
        let started = crate::session::Event::Started {
            at: jiff::Timestamp::UNIX_EPOCH,
            id: "2025-10-25-session-001-x".to_string(),
            focus: "x".to_string(),
            agent: "claude".to_string(),
            project_path: "/p".to_string(),
            project_name: "p".to_string(),
            branch: None,
            commit: None,
            metadata: None,
        };
        let mut doc = SessionDoc::from_started(&started).unwrap();
        doc.maintenance_runs = vec![run("tests", true), run("lint", false)];
        let mut done = task(
            "1",
            "Fix the parser",
            TaskStatus::Completed,
            (Some(30), Some(20)),
        );
        done.files = vec!["src/parser.rs".to_string()];
        let mut blocked = task("3", "Release", TaskStatus::Blocked, (None, Some(5)));
        blocked.blockers = vec!["2".to_string()];
        let mut list = TaskList::empty("2025-10-25-session-001-x");
        list.tasks = vec![
            done,
            task("2", "Add tests", TaskStatus::Failed, (Some(10), Some(10))),
            blocked,
            task("4", "Docs", TaskStatus::InProgress, (Some(7), None)),
        ];
        list.metrics = crate::tasks::TaskMetrics {
            total_tasks: 4,
            completed: 1,
            failed: 1,
            blocked: 1,
            time_spent: 47,
            time_estimated: 35,
        };
        (doc, list)
    }

    #[test]
    fn the_indicators_are_the_seeds_ratios() {
        let (doc, list) = sample();
        let numbers = Indicators::of(&doc, &list);
        assert_eq!(numbers.completion_rate, Some(0.25));
        assert_eq!(numbers.quality_score, Some(0.5));
        // Only the tasks with both an estimate and a measured time: 30+10 over 20+10.
        assert_eq!(
            (numbers.minutes_actual, numbers.minutes_estimated),
            (40, 30)
        );
        assert_eq!(numbers.time_efficiency, Some(40.0 / 30.0));
        assert_eq!(numbers.completion(), "25% (1/4 tasks)");
        assert_eq!(numbers.quality(), "50% (1/2 maintenance runs passed)");
        assert_eq!(
            numbers.efficiency(),
            "1.33 (40 min actual / 30 min estimated)"
        );
        let none = Indicators::of(&doc, &TaskList::empty("x"));
        assert_eq!(none.completion(), "not measured (no tasks)");
        assert_eq!(none.efficiency(), "not measured (no task estimates)");
    }

    #[test]
    fn completed_and_review_give_each_task_its_place() {
        let (doc, list) = sample();
        let plan = plan_md(
            &doc,
            &["Fix the parser".to_string(), "Write docs".to_string()],
        );
        let completed = completed_md(&doc, Some(&plan), &list, &[]);
        assert!(
            completed.contains("1. Fix the parser: ✅ done (task 1)\n   - Files: src/parser.rs\n2. Write docs: ⏳ open\n"),
            "{completed}"
        );
        assert!(completed.contains("- **2** Add tests: ❌ failed, 10 min (estimated 10 min)\n"));
        assert!(
            completed.contains("- **3** Release: ⛔ blocked (estimated 5 min)\n  - Waits for: 2\n")
        );
        let review = review_md(&doc, &list);
        let worked = review.split("## What failed").next().unwrap();
        let failed = review.split("## What failed").nth(1).unwrap();
        assert!(worked.contains("- ✅ Fix the parser (1)"), "{review}");
        assert!(
            worked.contains("✅ tests (`cargo test`): passed"),
            "{review}"
        );
        assert!(failed.contains("- ❌ failed Add tests (2)"), "{review}");
        assert!(
            failed.contains("- ⛔ blocked Release (3), waits for 2"),
            "{review}"
        );
        assert!(
            failed.contains("- ⏳ open (in progress) Docs (4)"),
            "{review}"
        );
        assert!(
            failed.contains("❌ lint (`cargo test`): failed"),
            "{review}"
        );
        assert!(
            review.contains("| Completion rate | 25% (1/4 tasks) |"),
            "{review}"
        );
        assert!(review.contains("| Time efficiency | 1.33 (40 min actual / 30 min estimated) |"));
    }

    #[test]
    fn a_plan_gives_back_its_objectives_and_checks() {
        let plan = "## 🎯 Objectives\n\n1. Fix a\n2. Add b\n\n## 📊 Success metrics\n\n- [x] Fix a\n- [ ] Add b\n";
        assert_eq!(
            plan_objectives(plan),
            vec![("Fix a".to_string(), true), ("Add b".to_string(), false)]
        );
    }
}
