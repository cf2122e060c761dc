//! The markdown we write into a new session's workspace.

/// `summary.md` as created; `end` recognises it to know whether the user edited it.
pub fn summary(id: &str, focus: &str, date: &str, start_time: &str) -> String {
    let focus = self::focus(focus);
    format!(
        "# Session summary: {id}\n\
         \n\
         **Focus**: {focus}\n\
         **Started**: {date} {start_time}\n\
         \n\
         ## Goals\n\
         \n\
         - \n\
         \n\
         ## Accomplished\n\
         \n\
         - \n\
         \n\
         ## Decisions\n\
         \n\
         - \n\
         \n\
         ## Next steps\n\
         \n\
         - \n"
    )
}

/// `summary.md` holding the summary given at `end`.
pub fn final_summary(id: &str, focus: &str, date: &str, start_time: &str, text: &str) -> String {
    let focus = self::focus(focus);
    format!(
        "# Session summary: {id}\n\n**Focus**: {focus}\n**Started**: {date} {start_time}\n\n{}\n",
        text.trim_end()
    )
}

/// `README.md`: what each folder of the workspace is for.
pub fn readme(id: &str) -> String {
    format!(
        "# Session workspace: {id}\n\
         \n\
         This folder belongs to one claude-session session. Production code stays in the project;\n\
         this is where the session's own material lives.\n\
         \n\
         | Path | What it holds |\n\
         |---|---|\n\
         | `artifacts/` | files the session produced that are not project code (drafts, exports) |\n\
         | `notes/` | scratch work, context saved at pause and before compaction |\n\
         | `decisions/` | technical decisions, one markdown file each (added to the project memory's `decisions.md` at the end) |\n\
         | `snapshots/` | checkpoints: copies of the files as they were, with a manifest |\n\
         | `session.yaml` | metadata: focus, times, artifacts, checkpoints, metrics, score |\n\
         | `summary.md` | the session summary, completed at the end |\n\
         | `events.jsonl` | the journal hooks and commands append to; `session.yaml` is folded from it |\n\
         | `context.md` | the system state at the start: branch, last commit, build status, last summary |\n\
         | `plan.md` | objectives and task breakdown (`start --plan`) |\n\
         | `tasks.json` | Claude Code's task list with its metrics (written at pause and end) |\n\
         | `completed.md`, `review.md` | results against the objectives, and the review, written at the end |\n\
         \n\
         Useful commands: `claude-session status`, `claude-session show {id}`,\n\
         `claude-session tasks {id}`, `claude-session end {id} --score 8.5`.\n"
    )
}

/// A session's day, start and end times, and how long it ran (active and wall time).
pub fn time_span(doc: &crate::session::SessionDoc) -> String {
    let s = &doc.session;
    format!(
        "{} {} to {} ({})",
        s.date,
        s.start_time,
        s.end_time.as_deref().unwrap_or("?"),
        active_and_wall(doc.metrics.duration_minutes, doc.metrics.wall_minutes)
    )
}

/// `8.5/10`, or `not given`.
pub fn score(score: Option<f64>) -> String {
    match score {
        Some(s) => format!("{s}/10"),
        None => "not given".to_string(),
    }
}

/// The focus as people read it: the text given at start, or a placeholder.
pub fn focus(focus: &str) -> &str {
    if focus.is_empty() {
        "(none given)"
    } else {
        focus
    }
}

/// A duration as people read it: `45 min`, `2 h 05 min`, `1 h 00 min`.
pub fn duration(minutes: u64) -> String {
    if minutes < 60 {
        format!("{minutes} min")
    } else {
        format!("{} h {:02} min", minutes / 60, minutes % 60)
    }
}

/// Active time, and the time since the start when pauses made it longer.
pub fn active_and_wall(active: u64, wall: u64) -> String {
    if wall > active {
        format!(
            "{} active ({} since the start, pauses included)",
            duration(active),
            duration(wall)
        )
    } else {
        format!("{} active", duration(active))
    }
}

/// The longest prefix of `text` of at most `max` bytes, cut at a character boundary.
pub fn cut_bytes(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}
