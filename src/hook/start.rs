//! `session-start` (SessionStart: startup, resume, clear, compact): binds the Claude session to
//! the project's session and tells the model where it stands, in at most `context.budget_bytes`,
//! most important first: which session, focus, branch then and now, next steps, the last
//! context (or summary), files touched.
//!
//! Which session: one the session-end hook paused by itself (pause record with `auto: true`) is
//! resumed and bound; else the session this Claude session is already bound to; else the
//! project's only active session. A session paused with /pause is not resumed: the model is
//! told to offer `/resume`, and records wait in the inbox until the user decides.

use super::compact::load_doc;
use super::route;
use super::wire::Payload;
use super::{Env, Outcome, context_output, expect_event};
use crate::error::{Error, Result};
use crate::ops;
use crate::paths::Project;
use crate::pause_state::{self, PauseRecord};
use crate::registry::{self, IndexEntry, Workspace};
use crate::session::{SessionDoc, Status};
use crate::surface::slash;
use crate::{clock, git, templates};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Longest wait for the project lock at start-up (well inside the hook's 10 s time limit).
const START_LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(3);

/// Claude Code cuts context strings longer than 10,000 characters.
const HARD_LIMIT: usize = 9_500;
/// Room kept for the list of files touched when the context file is long.
const FILES_RESERVE: usize = 1_536;
/// Largest file read to quote from (only the budget's worth is shown anyway).
const READ_LIMIT: u64 = 1024 * 1024;
/// Context files looked at when searching the newest one of a session.
const CONTEXT_FILES_SCANNED: usize = 20;

/// What happened to a paused session at this start.
enum Resume {
    /// Not applicable.
    None,
    /// Paused by the session-end hook; active again.
    Done(PauseRecord),
    /// Paused by the session-end hook; resuming it failed.
    Failed(PauseRecord, String),
    /// Paused with /pause, and its own conversation came back (`claude --resume`): active again.
    Manual(PauseRecord),
    /// Paused with /pause and its conversation came back, but the branch moved: left paused
    /// for /resume to ask.
    Elsewhere(PauseRecord),
}

pub fn session_start(env: &Env, payload: &Payload) -> Result<Outcome> {
    if let Some(ignored) = expect_event("session-start", payload, "SessionStart") {
        return Ok(ignored);
    }
    let source = payload.source.as_deref().unwrap_or("startup");
    let cwd = route::cwd_of(payload)?;
    let project = Project::discover(&env.layout, &cwd)?;
    if !project.dir.is_dir() {
        // claude-session was never used here: nothing to say, unless auto mode is off.
        return Ok(Outcome::Done(
            auto_mode_off(env).map(|line| context_output("SessionStart", &line)),
        ));
    }
    let claude = route::claude_id(payload);
    let wait = env.hook_wait();
    let key = project.path.to_string_lossy().into_owned();
    let mut trouble: Vec<String> = Vec::new();

    // Decide and bind under the project lock: a session-end worker pausing a session meanwhile
    // then either sees this binding (and leaves the session alone) or has written its record.
    // SessionStart is no hot path and races that worker after /clear: it waits for the lock
    // longer than other hooks (up to START_LOCK_WAIT), so a loaded machine does not make it
    // bind outside the lock.
    let start_wait = env.wait().clamp(wait, START_LOCK_WAIT);
    let guard = match registry::lock_project(&project, start_wait) {
        Ok(guard) => Some(guard),
        Err(Error::Busy { .. }) => None,
        Err(e) => return Err(e),
    };
    let record = pause_state::record_for(&env.layout, &key).unwrap_or_else(|e| {
        trouble.push(e.to_string());
        None
    });
    let open = registry::open_sessions(&project, wait)?;
    let bound = claude
        .as_deref()
        .and_then(|id| route::bound_workspace(&project, id));

    let auto = record
        .as_ref()
        .filter(|r| r.auto)
        .and_then(|r| route::active_workspace(&project, &r.session_id).map(|ws| (ws, r.clone())));
    // `claude --resume` of a conversation bound to a session paused with /pause: the user came
    // back to that very conversation, so it is resumed as /resume would (same branch check).
    let returning = (source == "resume")
        .then_some(())
        .and(bound.as_ref())
        .zip(record.as_ref().filter(|r| !r.auto))
        .filter(|(ws, rec)| rec.session_id == ws.id)
        .map(|(ws, rec)| (ws.clone(), rec.clone()));
    let mut resume = Resume::None;
    let chosen: Option<Workspace> = match auto {
        Some((ws, rec)) if bound.as_ref().is_none_or(|b| b.id == ws.id) => {
            resume = match resume_if_unchanged(env, &project, guard.is_some(), &ws, &rec) {
                Ok(true) => Resume::Done(rec),
                Ok(false) => Resume::None, // resumed meanwhile by someone else
                Err(e) => Resume::Failed(rec, e.to_string()),
            };
            Some(ws)
        }
        _ => match returning {
            Some((ws, rec)) => {
                let target = ops::resume::paused_target(&rec);
                resume = if !ops::resume::on_target(&project, target.as_ref()) {
                    Resume::Elsewhere(rec)
                } else {
                    match resume_if_unchanged(env, &project, guard.is_some(), &ws, &rec) {
                        Ok(true) => Resume::Manual(rec),
                        Ok(false) => Resume::None,
                        Err(e) => {
                            trouble.push(format!("resume: {e}"));
                            Resume::Elsewhere(rec)
                        }
                    }
                };
                Some(ws)
            }
            None => bound.clone().or_else(|| only_active(&open)),
        },
    };
    if let Resume::Failed(_, why) = &resume {
        trouble.push(format!("auto-resume: {why}"));
    }

    if let (Some(ws), Some(id)) = (&chosen, &claude)
        && let Err(e) = bind(env, &project, ws, id, source, payload)
    {
        trouble.push(format!("bind: {e}"));
    }
    // A fork that could not be told apart from the other sessions here joins its parent's
    // session once its transcript exists (the Stop hook of its first turn looks it up).
    let fork_pending = source == "fork" && chosen.is_none() && claude.is_some();
    if fork_pending
        && let Some(id) = &claude
        && let Err(e) = registry::mark_fork(&project, id)
    {
        trouble.push(format!("fork: {e}"));
    }
    drop(guard);

    // The session the context is about: the chosen one, else one waiting for /resume.
    let manual = record
        .as_ref()
        .filter(|r| !r.auto)
        .and_then(|r| route::active_workspace(&project, &r.session_id));
    let subject = chosen.clone().or(manual).or_else(|| only_paused(&open));
    let mut user_line = None;
    let text = match &subject {
        Some(ws) => {
            let doc = match load_doc(ws, wait) {
                Ok(doc) => Some(doc),
                Err(e) => {
                    trouble.push(e.to_string());
                    None
                }
            };
            let record = record.as_ref().filter(|r| r.session_id == ws.id);
            let subject = Subject {
                env,
                project: &project,
                ws,
                doc: doc.as_ref(),
                record,
                bound: chosen.as_ref().is_some_and(|c| c.id == ws.id),
                resume: &resume,
                source,
                open: &open,
            };
            user_line = for_the_user(&subject);
            describe(&subject)
        }
        None => several_active(&open, fork_pending).or_else(|| project_memory(env, &project)),
    };
    let text = match (text, auto_mode_off(env)) {
        (Some(text), Some(off)) => Some(format!("{text}\n\n{off}")),
        (text, off) => text.or(off),
    };
    let output = start_output(text.as_deref(), user_line.as_deref());
    Ok(if trouble.is_empty() {
        Outcome::Done(output)
    } else {
        Outcome::Partial(output, trouble.join("; "))
    })
}

/// No session here: the project's memory (the newest entries and the last ended session's
/// summary) is what the next session starts from. A quarter of the budget; the four memory files
/// and one summary read, no git.
fn project_memory(env: &Env, project: &Project) -> Option<String> {
    let room = env.config().context_budget().clamp(1024, HARD_LIMIT) / 4;
    let found = crate::memory::relevant(project, "", room)
        .ok()
        .filter(|found| !found.is_empty())?;
    Some(format!(
        "claude-session: no session is open in this project ({} starts one).\n\n{}",
        slash("start"),
        found.text
    ))
}

fn only_active(open: &[(Workspace, IndexEntry)]) -> Option<Workspace> {
    only_with(open, Status::Active)
}

fn only_paused(open: &[(Workspace, IndexEntry)]) -> Option<Workspace> {
    only_with(open, Status::Paused)
}

fn only_with(open: &[(Workspace, IndexEntry)], status: Status) -> Option<Workspace> {
    let mut found = open.iter().filter(|(_, e)| e.status == status);
    match (found.next(), found.next()) {
        (Some((ws, _)), None) => Some(ws.clone()),
        _ => None,
    }
}

/// Makes a paused session active again and clears its pause record (paused by the session-end
/// hook, or with /pause and its own conversation resumed); `false` when the record changed
/// meanwhile (another window resumed it). Only under the project lock (`locked`), else busy.
fn resume_if_unchanged(
    env: &Env,
    project: &Project,
    locked: bool,
    ws: &Workspace,
    record: &PauseRecord,
) -> Result<bool> {
    if !locked {
        return Err(Error::Busy {
            path: project.sessions_lock_target(),
        });
    }
    let key = project.path.to_string_lossy().into_owned();
    if pause_state::record_for(&env.layout, &key)?.as_ref() != Some(record) {
        return Ok(false);
    }
    ops::resume::reactivate(env, project, ws, Some(record), env.hook_wait())?;
    Ok(true)
}

/// The line that tells the session-manager skill to stay its hand (`auto.enabled = false`).
fn auto_mode_off(env: &Env) -> Option<String> {
    (!env.config().auto.enabled).then(|| {
        format!(
            "claude-session auto mode is off (auto.enabled = false): do not start, checkpoint, \
             pause or end sessions on your own; the user runs {} and the other commands.",
            slash("start")
        )
    })
}

/// SessionStart's JSON: the context for the model and, when something waits on the user, one
/// line the user sees (`systemMessage`; the context alone reaches only the model).
fn start_output(context: Option<&str>, user_line: Option<&str>) -> Option<String> {
    if user_line.is_none() {
        return context.map(|text| context_output("SessionStart", text));
    }
    let mut value = serde_json::Map::new();
    if let Some(line) = user_line {
        value.insert("systemMessage".into(), line.into());
    }
    if let Some(text) = context {
        value.insert(
            "hookSpecificOutput".into(),
            serde_json::json!({"hookEventName": "SessionStart", "additionalContext": text}),
        );
    }
    Some(format!("{}\n", serde_json::Value::Object(value)))
}

/// The line the user sees at start-up: a session was resumed for them, or one is paused and
/// waits for the resume command. Nothing when all is as it was.
fn for_the_user(s: &Subject) -> Option<String> {
    let id = &s.ws.id;
    let resume = slash("resume");
    let when = |r: &PauseRecord| clock::local_short(r.paused_at);
    match s.resume {
        Resume::Done(r) => Some(format!(
            "claude-session: resumed session {id} (paused automatically when Claude Code exited, {})",
            when(r)
        )),
        Resume::Manual(r) => Some(format!(
            "claude-session: resumed session {id} (paused with {}, {})",
            slash("pause"),
            when(r)
        )),
        Resume::Failed(..) => Some(format!(
            "claude-session: session {id} could not be resumed automatically — {resume} {id} to continue"
        )),
        Resume::Elsewhere(r) => Some(format!(
            "claude-session: session {id} is paused (on `{}`; the branch changed) — {resume} to continue",
            r.branch.as_deref().unwrap_or("a detached HEAD")
        )),
        Resume::None if s.source == "compact" => None,
        Resume::None => (status_of(s) == Status::Paused)
            .then(|| format!("claude-session: session {id} is paused — {resume} to continue")),
    }
}

fn bind(
    env: &Env,
    project: &Project,
    ws: &Workspace,
    claude_id: &str,
    source: &str,
    payload: &Payload,
) -> Result<()> {
    ops::bind::bind(
        env,
        project,
        ws,
        &ops::bind::BindRequest {
            claude_session: claude_id.to_string(),
            source: source.to_string(),
            transcript_path: payload.transcript_path.clone(),
        },
    )?;
    Ok(())
}

struct Subject<'a> {
    env: &'a Env,
    project: &'a Project,
    ws: &'a Workspace,
    doc: Option<&'a SessionDoc>,
    /// The project's pause record, when it is this session's.
    record: Option<&'a PauseRecord>,
    /// Whether this conversation now records into the session.
    bound: bool,
    resume: &'a Resume,
    source: &'a str,
    open: &'a [(Workspace, IndexEntry)],
}

/// The session's status: its document's, else its index entry's.
fn status_of(s: &Subject) -> Status {
    s.doc
        .map(|d| d.session.status)
        .or_else(|| {
            s.open
                .iter()
                .find(|(w, _)| w.id == s.ws.id)
                .map(|(_, e)| e.status)
        })
        .unwrap_or(Status::Active)
}

fn describe(s: &Subject) -> Option<String> {
    let id = &s.ws.id;
    let status = status_of(s);
    let mut lead = Vec::new();
    if s.source == "compact" {
        lead.push("claude-session context, re-injected after compaction.".to_string());
    }
    let when = |r: &PauseRecord| clock::local_short(r.paused_at);
    lead.push(match (s.resume, s.bound) {
        (Resume::Done(r), _) => format!(
            "claude-session: session {id} was paused automatically when Claude Code exited ({}); \
             it is active again and this conversation records into it. Tell the user so in one line.",
            when(r)
        ),
        (Resume::Failed(r, _), _) => format!(
            "claude-session: session {id} was paused automatically when Claude Code exited ({}) \
             and could not be resumed just now; this conversation records into it. \
             Offer the user `{} {id}`.",
            when(r),
            slash("resume")
        ),
        (Resume::Manual(r), _) => format!(
            "claude-session: session {id} was paused with {} ({}) and this conversation, its own, \
             was resumed: the session is active again and records into it. The user was told in \
             one line; pick up from the next steps below.",
            slash("pause"),
            when(r)
        ),
        (Resume::Elsewhere(r), _) => format!(
            "claude-session: session {id} was paused with {} ({}) on `{}` and the branch changed \
             since, so it stays paused (this conversation records into it). Offer the user `{}`: \
             it shows both branches and asks whether to switch back or stay.",
            slash("pause"),
            when(r),
            r.branch.as_deref().unwrap_or("a detached HEAD"),
            slash("resume")
        ),
        (Resume::None, true) => format!(
            "claude-session: this conversation records into session {id} ({}).",
            status.as_str()
        ),
        (Resume::None, false) => match s.record {
            Some(r) => format!(
                "claude-session: session {id} is paused ({}, {}). Offer the user `{}` to \
                 continue it (or `{}` for a new session); until then this conversation's records \
                 wait in an inbox.",
                slash("pause"),
                when(r),
                slash("resume"),
                slash("start")
            ),
            None => format!(
                "claude-session: session {id} is {}. Offer the user `{} {id}` to continue it (or \
                 `{}` for a new session); until then this conversation's records wait in an inbox.",
                status.as_str(),
                slash("resume"),
                slash("start")
            ),
        },
    });
    if let Some(doc) = s.doc
        && !doc.session.focus.is_empty()
    {
        lead.push(format!("Focus: {}", doc.session.focus));
    }
    lead.extend(branch_line(s));
    if let Some(note) = s.record.and_then(|r| r.note.as_deref()) {
        lead.push(format!("Pause note: {note}"));
    }
    let others: Vec<String> = s
        .open
        .iter()
        .filter(|(w, _)| w.id != *id)
        .map(|(w, e)| format!("{} ({})", w.id, e.status.as_str()))
        .collect();
    if !others.is_empty() {
        lead.push(format!("Other open sessions here: {}.", others.join(", ")));
    }

    let body = last_context(s);
    let next_steps = body
        .as_ref()
        .and_then(|(_, text)| section(text, "next steps"))
        .filter(|steps| !steps.trim().trim_start_matches('-').trim().is_empty());
    let files = s.doc.map(files_touched).unwrap_or_default();
    let budget = s.env.config().context_budget().clamp(1024, HARD_LIMIT);
    let mut text = compose(
        &lead,
        next_steps.as_deref(),
        body.as_ref()
            .map(|(label, text)| (label.as_str(), text.as_str())),
        &files,
        budget,
    );
    // Project memory takes what the session's own context left, at most a quarter of the
    // budget: four small files and the last summary read, no git.
    let room = (budget / 4).min(budget.saturating_sub(text.len() + 2));
    let focus = s.doc.map(|d| d.session.focus.as_str()).unwrap_or_default();
    if let Ok(found) = crate::memory::relevant(s.project, focus, room)
        && !found.is_empty()
    {
        text.push_str("\n\n");
        text.push_str(&found.text);
    }
    Some(text)
}

fn branch_line(s: &Subject) -> Option<String> {
    if !s.project.in_git {
        return None;
    }
    let now = git::head_state(&s.project.path);
    let now_name = if now.commit.is_none() && now.branch.is_none() {
        "no branch".to_string()
    } else {
        now.describe()
    };
    let started = s.doc.and_then(|d| d.git.starting_branch.clone());
    let paused = s.record.map(|r| {
        r.branch
            .clone()
            .unwrap_or_else(|| "a detached HEAD".to_string())
    });
    let mut parts = Vec::new();
    if let Some(b) = &started {
        parts.push(format!("started on `{b}`"));
    }
    if let Some(b) = &paused {
        parts.push(format!("paused on `{b}`"));
    }
    parts.push(format!("now on `{now_name}`"));
    let mut line = format!("Branch: {}.", parts.join(", "));
    let then = paused.or(started);
    if then.is_some_and(|t| t != now_name) {
        line.push_str(" The branch changed since: check with the user before editing.");
    }
    Some(line)
}

/// The newest context file of the session (the pause record's, else the newest under
/// `contexts/` that names the session), else its summary when someone wrote one.
fn last_context(s: &Subject) -> Option<(String, String)> {
    let contexts = s.env.layout.contexts_dir();
    let from_record = s
        .record
        .and_then(|r| r.context_file.as_deref())
        .map(|f| {
            let path = PathBuf::from(f);
            if path.is_absolute() {
                path
            } else {
                contexts.join(path)
            }
        })
        .and_then(|path| read_capped(&path).map(|text| (path, text)));
    let found = from_record.or_else(|| newest_context(&contexts, &s.project.slug, &s.ws.id));
    if let Some((path, text)) = found {
        return Some((format!("Last context ({}):", path.display()), text));
    }
    let doc = s.doc?;
    let summary_path = s.ws.dir.join("summary.md");
    let summary = read_capped(&summary_path)?;
    let untouched = templates::summary(
        &s.ws.id,
        &doc.session.focus,
        &doc.session.date,
        &doc.session.start_time,
    );
    (summary != untouched).then(|| {
        (
            format!("Session summary ({}):", summary_path.display()),
            summary,
        )
    })
}

fn newest_context(dir: &Path, slug: &str, id: &str) -> Option<(PathBuf, String)> {
    let prefix = format!("{slug}-");
    let mut candidates: Vec<(std::time::SystemTime, PathBuf)> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|entry| entry.ok())
        .filter(|entry| {
            let name = entry.file_name();
            let name = name.to_string_lossy();
            name.starts_with(&prefix) && name.ends_with(".md")
        })
        .filter_map(|entry| {
            let modified = entry.metadata().ok()?.modified().ok()?;
            Some((modified, entry.path()))
        })
        .collect();
    candidates.sort_by(|a, b| b.cmp(a));
    candidates
        .into_iter()
        .take(CONTEXT_FILES_SCANNED)
        .filter_map(|(_, path)| read_capped(&path).map(|text| (path, text)))
        .find(|(_, text)| text.contains(id))
}

fn read_capped(path: &Path) -> Option<String> {
    let file = std::fs::File::open(path).ok()?;
    let mut bytes = Vec::new();
    file.take(READ_LIMIT).read_to_end(&mut bytes).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// The text under a markdown heading whose title starts with `title` (any level, any case),
/// up to the next heading.
fn section(text: &str, title: &str) -> Option<String> {
    let mut lines = text.lines();
    lines.by_ref().find(|line| {
        let trimmed = line.trim_start();
        trimmed.starts_with('#')
            && trimmed
                .trim_start_matches('#')
                .trim()
                .to_lowercase()
                .starts_with(title)
    })?;
    let body: Vec<&str> = lines
        .take_while(|line| !line.trim_start().starts_with('#'))
        .collect();
    let body = body.join("\n").trim().to_string();
    (!body.is_empty()).then_some(body)
}

/// `created: path` / `modified: path` lines, the most recently touched first.
fn files_touched(doc: &SessionDoc) -> Vec<String> {
    let created = doc
        .artifacts
        .created
        .iter()
        .rev()
        .map(|p| format!("- created: {p}"));
    let modified = doc
        .artifacts
        .modified
        .iter()
        .rev()
        .map(|p| format!("- modified: {p}"));
    created.chain(modified).collect()
}

/// Puts the parts together within `budget` bytes: the lead always (cut if it must be); the
/// context whole when it fits, else its next steps and as much of it as fits; then files.
fn compose(
    lead: &[String],
    next_steps: Option<&str>,
    body: Option<(&str, &str)>,
    files: &[String],
    budget: usize,
) -> String {
    let mut out = crate::templates::cut_bytes(&lead.join("\n"), budget).to_string();
    let files_reserve = if files.is_empty() {
        0
    } else {
        let wanted = files.iter().map(|f| f.len() + 1).sum::<usize>();
        wanted.min(FILES_RESERVE).min(budget / 4) + 32
    };
    if let Some((label, text)) = body {
        let whole = format!("\n\n{label}\n{}", text.trim_end());
        let room = budget.saturating_sub(out.len() + files_reserve);
        if whole.len() <= room {
            out.push_str(&whole);
        } else {
            if let Some(steps) = next_steps {
                let steps = format!("\n\nNext steps:\n{steps}");
                let room = budget.saturating_sub(out.len() + files_reserve);
                out.push_str(crate::templates::cut_bytes(&steps, room));
            }
            let marker = "\n[… cut to fit; read the file for the rest]";
            let room = budget.saturating_sub(out.len() + files_reserve + marker.len());
            if room > label.len() + 64 {
                // Whole lines read better than a word cut in half.
                let part = crate::templates::cut_bytes(&whole, room);
                let part = part.rfind('\n').map_or(part, |end| &part[..end]);
                out.push_str(part);
                out.push_str(marker);
            }
        }
    }
    if !files.is_empty() {
        let heading = format!("\n\nFiles touched ({}):", files.len());
        if out.len() + heading.len() < budget {
            out.push_str(&heading);
            for (shown, line) in files.iter().enumerate() {
                let rest = files.len() - shown;
                let more = format!("\n- … and {rest} more");
                if out.len() + 1 + line.len() + more.len() > budget {
                    if out.len() + more.len() <= budget {
                        out.push_str(&more);
                    }
                    break;
                }
                out.push('\n');
                out.push_str(line);
            }
        }
    }
    out
}

/// Several active sessions and this conversation bound to none of them.
fn several_active(open: &[(Workspace, IndexEntry)], fork: bool) -> Option<String> {
    let active: Vec<String> = open
        .iter()
        .filter(|(_, e)| e.status == Status::Active)
        .map(|(w, e)| {
            if e.focus.is_empty() {
                w.id.clone()
            } else {
                format!("{} ({})", w.id, e.focus)
            }
        })
        .collect();
    if active.len() < 2 {
        return None;
    }
    if fork {
        return Some(format!(
            "claude-session: this conversation is a fork; it joins the session of the \
             conversation it was forked from at the end of its first turn (this project has {} \
             active sessions: {}). Until then its records wait in an inbox.",
            active.len(),
            active.join(", ")
        ));
    }
    Some(format!(
        "claude-session: this project has {} active sessions and this conversation records into \
         none of them: {}. Its records wait in an inbox until `{}` or `{} <id>`, run in this \
         conversation, claims them. Ask the user which session this is when it matters.",
        active.len(),
        active.join(", "),
        slash("start"),
        slash("resume")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_section_runs_to_the_next_heading() {
        let text = "# Context\n\n## Next steps\n\n- one\n- two\n\n## Files\n- x\n";
        assert_eq!(section(text, "next steps").unwrap(), "- one\n- two");
        assert!(section(text, "open questions").is_none());
    }

    #[test]
    fn compose_keeps_the_budget_and_the_order() {
        let lead = vec!["lead line".to_string()];
        let body = "x".repeat(5000);
        let files: Vec<String> = (0..500)
            .map(|n| format!("- created: src/file{n}.rs"))
            .collect();
        let text = compose(
            &lead,
            Some("- do it"),
            Some(("Last context:", &body)),
            &files,
            2048,
        );
        assert!(text.len() <= 2048, "{} bytes", text.len());
        let lead_at = text.find("lead line").unwrap();
        let steps_at = text.find("Next steps:").unwrap();
        let body_at = text.find("Last context:").unwrap();
        let files_at = text.find("Files touched (500):").unwrap();
        assert!(lead_at < steps_at && steps_at < body_at && body_at < files_at);
        assert!(text.contains("more"));
        let small = compose(
            &lead,
            Some("- do it"),
            Some(("Last context:", "short")),
            &[],
            2048,
        );
        assert_eq!(small, "lead line\n\nLast context:\nshort");
    }

    #[test]
    fn cut_respects_characters() {
        assert_eq!(crate::templates::cut_bytes("héllo", 2), "h");
        assert_eq!(crate::templates::cut_bytes("héllo", 3), "hé");
        assert_eq!(crate::templates::cut_bytes("abc", 10), "abc");
    }
}
