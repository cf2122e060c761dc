//! `pre-compact` (PreCompact): before Claude Code compacts the conversation, writes what the
//! session holds (artifacts, agent tasks, last prompts) to `notes/compact-<UTC stamp>.md`.

use super::route::{self, Target};
use super::wire::Payload;
use super::{Env, Outcome, expect_event};
use crate::clock;
use crate::error::{Error, Result};
use crate::registry::{self, Workspace};
use crate::session::{PROMPTS_KEPT, SessionDoc};
use crate::store::{self, Loaded};
use crate::transcript::{self, Limits, Unreadable};
use jiff::Timestamp;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub fn pre_compact(env: &Env, payload: &Payload) -> Result<Outcome> {
    if let Some(ignored) = expect_event("pre-compact", payload, "PreCompact") {
        return Ok(ignored);
    }
    let routed = route::route(env, payload)?;
    let Target::Session(ws) = &routed.target else {
        // No session yet: the events wait in the inbox; there is nothing to snapshot.
        return Ok(Outcome::quiet());
    };
    let now = clock::now()?;
    let doc = load_doc(ws, env.hook_wait())?;
    let mut prompts = doc.prompts.recent.clone();
    if prompts.is_empty()
        && let Some(path) = payload.transcript_path.as_deref().map(Path::new)
    {
        // Claude Code waits for this hook: the end of the file only, briefly (Limits::HOOK).
        let limits = Limits::HOOK;
        match transcript::last_prompts(path, PROMPTS_KEPT, limits) {
            Ok(scan) => {
                prompts = scan.value;
                if let Some(skipped) = scan.skipped.describe(&limits) {
                    let note = format!("transcript {}: {skipped}", path.display());
                    payload.notes.push(note);
                }
            }
            Err(Unreadable::Missing) => {}
            Err(e) => {
                let note = format!("transcript {} skipped: {e}", path.display());
                payload.notes.push(note);
            }
        }
    }
    let snapshot = Snapshot {
        ws,
        doc: &doc,
        prompts: &prompts,
        now,
        trigger: payload.trigger.as_deref().unwrap_or("unknown"),
        claude_session: routed.claude_id.as_deref(),
        custom_instructions: payload.custom_instructions.as_deref(),
    };
    write_note(ws, now, &render(&snapshot))?;
    Ok(Outcome::quiet())
}

/// The session document, folded when its lock is free; else as last saved (hooks do not wait).
pub fn load_doc(ws: &Workspace, wait: Duration) -> Result<SessionDoc> {
    match registry::load(ws, wait) {
        Ok(doc) => Ok(doc),
        Err(Error::Busy { .. }) => match store::read_yaml::<SessionDoc>(&ws.session_file())? {
            Loaded::Found(doc) => Ok(doc),
            _ => Err(Error::Busy {
                path: store::lock_path(&ws.session_file()),
            }),
        },
        Err(e) => Err(e),
    }
}

fn write_note(ws: &Workspace, now: Timestamp, text: &str) -> Result<PathBuf> {
    let stamp = clock::file_stamp_utc(now);
    for n in 1.. {
        let name = if n == 1 {
            format!("compact-{stamp}.md")
        } else {
            format!("compact-{stamp}-{n}.md")
        };
        let path = ws.notes_dir().join(name);
        let written = store::write_new_atomic_with(&path, |file| {
            file.write_all(text.as_bytes())
                .map_err(|e| Error::io("write", &path, e))
        })?;
        if written.is_some() {
            return Ok(path);
        }
    }
    unreachable!("the loop returns or fails")
}

pub struct Snapshot<'a> {
    pub ws: &'a Workspace,
    pub doc: &'a SessionDoc,
    pub prompts: &'a [String],
    pub now: Timestamp,
    pub trigger: &'a str,
    pub claude_session: Option<&'a str>,
    pub custom_instructions: Option<&'a str>,
}

pub fn render(s: &Snapshot) -> String {
    let doc = s.doc;
    let mut text = format!(
        "# Compaction snapshot: {}\n\n- Saved: {} (before compaction, trigger: {})\n- Focus: {}\n- Status: {}\n",
        s.ws.id,
        clock::local_short(s.now),
        s.trigger,
        crate::templates::focus(&doc.session.focus),
        doc.session.status.as_str(),
    );
    if let Some(id) = s.claude_session {
        text.push_str(&format!("- Claude Code session: {id}\n"));
    }
    if let Some(instructions) = s.custom_instructions.filter(|i| !i.trim().is_empty()) {
        text.push_str(&format!(
            "- Compaction instructions: {}\n",
            instructions.trim()
        ));
    }
    text.push_str(&format!(
        "\n## Artifacts ({} created, {} modified)\n\n",
        doc.artifacts.created.len(),
        doc.artifacts.modified.len()
    ));
    if doc.artifacts.created.is_empty() && doc.artifacts.modified.is_empty() {
        text.push_str("- (none)\n");
    }
    for path in &doc.artifacts.created {
        text.push_str(&format!("- created: {path}\n"));
    }
    for path in &doc.artifacts.modified {
        text.push_str(&format!("- modified: {path}\n"));
    }
    text.push_str(&format!("\n## Agent tasks ({})\n\n", doc.agents.len()));
    if doc.agents.is_empty() {
        text.push_str("- (none)\n");
    }
    for task in &doc.agents {
        let mut line = format!(
            "- {} — {}: {}",
            if task.subagent_type.is_empty() {
                "agent"
            } else {
                &task.subagent_type
            },
            if task.description.is_empty() {
                "(no description)"
            } else {
                &task.description
            },
            task.status
        );
        if let Some(ms) = task.duration_ms {
            line.push_str(&format!(", {ms} ms"));
        }
        if let Some(tokens) = task.total_tokens {
            line.push_str(&format!(", {tokens} tokens"));
        }
        line.push_str(&format!(" ({})\n", task.tool_use_id));
        text.push_str(&line);
    }
    text.push_str(&format!(
        "\n## Last prompts ({} in all)\n\n",
        doc.prompts.count.max(s.prompts.len() as u64)
    ));
    if s.prompts.is_empty() {
        text.push_str("- (none)\n");
    }
    for (n, prompt) in s.prompts.iter().enumerate() {
        let one_line = prompt.replace('\n', " ");
        text.push_str(&format!("{}. {}\n", n + 1, one_line.trim()));
    }
    text
}
