//! `handoff`: the trip to claude.ai and back. Export builds a self-contained, redacted transfer
//! prompt and keeps it as an open item in the handoff store; import stores claude.ai's answer;
//! the next start or resume merges it ([`merge_answered`]).

use crate::context_file::{self, ContextInput};
use crate::env::Env;
use crate::error::{Error, Result};
use crate::handoff::{self, HandoffId, HandoffItem, HandoffStore, PromptParts, Status};
use crate::paths::Project;
use crate::redact;
use crate::registry::{self, Workspace};
use crate::session::SessionDoc;
use crate::{clipboard, clock, git, store};
use jiff::Timestamp;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The project's handoff store, as `[handoff] backend` says.
pub fn store_for(env: &Env, project: &Project) -> Box<dyn HandoffStore> {
    handoff::store_for(&env.layout, project, env.wait(), &env.config().handoff)
}

/// A saved handoff: the item and the prompt in it.
#[derive(Debug, Clone, Serialize)]
pub struct Exported {
    pub id: HandoffId,
    /// Where the item is (a file path for the file store).
    pub location: String,
    pub prompt: String,
    /// Secrets taken out of the prompt, by kind.
    pub redactions: BTreeMap<String, usize>,
    /// Why the configured back end (1Password) did not take it: the file store kept it alone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backend_problem: Option<String>,
}

#[derive(Debug, Clone)]
pub struct ExportRequest {
    pub max_bytes: usize,
    /// Also write the prompt to this new file (absolute).
    pub output: Option<PathBuf>,
    pub clipboard: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExportOutcome {
    #[serde(flatten)]
    pub exported: Exported,
    pub output_file: Option<String>,
    /// `None` when the clipboard was not asked for.
    pub clipboard: Option<Clipboard>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum Clipboard {
    Copied { tool: String },
    NotCopied { reason: String },
}

impl Clipboard {
    fn copy(text: &str) -> Clipboard {
        match clipboard::copy_to_clipboard(text) {
            Ok(tool) => Clipboard::Copied { tool },
            Err(reason) => Clipboard::NotCopied { reason },
        }
    }
}

/// A handoff made along with `pause --handoff` or `end --handoff`: never fails the pause or end.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum HandoffShare {
    Shared {
        #[serde(flatten)]
        exported: Exported,
        /// The prompt as a markdown file beside the item, or why not.
        prompt_file: std::result::Result<String, String>,
        clipboard: Clipboard,
    },
    Failed {
        error: String,
    },
}

#[derive(Debug, Clone)]
pub struct ImportRequest {
    pub answer: String,
    /// Where the answer came from, for messages (`-` or a file name).
    pub source: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ImportOutcome {
    pub id: HandoffId,
    pub location: String,
    pub bytes: usize,
}

/// An answer from claude.ai shown at start or resume.
#[derive(Debug, Clone, Serialize)]
pub struct MergedAnswer {
    pub handoff_created_at: Timestamp,
    pub answered_at: Option<Timestamp>,
    /// The copy kept in the session's notes.
    pub note: Option<String>,
    pub redactions: BTreeMap<String, usize>,
    /// The answer, redacted, cut to the budget.
    pub text: String,
    pub cut: bool,
}

/// The project's open session, when there is exactly one.
fn open_session(env: &Env, project: &Project) -> Result<Option<(Workspace, SessionDoc)>> {
    let open = registry::open_sessions(project, env.wait())?;
    match open.as_slice() {
        [(ws, _)] => Ok(Some((ws.clone(), registry::load(ws, env.wait())?))),
        _ => Ok(None),
    }
}

/// The beginning of the project's README: what the project is, in its own words.
fn readme_start(root: &Path) -> Option<String> {
    const ABOUT_BYTES: usize = 700;
    let names = [
        "README.md",
        "README",
        "README.txt",
        "readme.md",
        "Readme.md",
    ];
    let text = names
        .iter()
        .find_map(|n| std::fs::read_to_string(root.join(n)).ok())?;
    let mut about = String::new();
    for line in text.lines() {
        if about.len() + line.len() + 1 > ABOUT_BYTES {
            break;
        }
        about.push_str(line);
        about.push('\n');
    }
    let about = about.trim().to_string();
    (!about.is_empty()).then_some(about)
}

/// Builds, saves and returns a handoff for the project. `context` is the context file's text;
/// when `None`, it is rendered from the open session (or the newest context file is used).
pub fn build(
    env: &Env,
    project: &Project,
    context: Option<String>,
    max_bytes: usize,
) -> Result<Exported> {
    let now = env.now()?;
    let session = open_session(env, project)?;
    let context = match (context, &session) {
        (Some(text), _) => text,
        (None, Some((ws, doc))) => context_file::render_with(
            project,
            ws,
            doc,
            &context_file::with_latest_words(
                ws,
                &ContextInput {
                    reason: "handoff".to_string(),
                    ..ContextInput::default()
                },
            ),
            now,
            Some(env.config().context_budget()),
        ),
        (None, None) => match context_file::newest(env, project) {
            Some(path) => std::fs::read_to_string(&path).unwrap_or_default(),
            None => "No claude-session session is open in this project, and none was paused."
                .to_string(),
        },
    };
    // The project memory relevant to the focus goes along, after the context (cut first when
    // the prompt is too long); transfer_prompt redacts it with everything else.
    let focus = session
        .as_ref()
        .map(|(_, doc)| doc.session.focus.clone())
        .unwrap_or_default();
    let context = match crate::memory::relevant(project, &focus, env.config().context_budget() / 4)
    {
        Ok(memory) if !memory.is_empty() => format!("{}\n\n{}\n", context.trim_end(), memory.text),
        _ => context,
    };
    let head = git::head_state(&project.path);
    let mut facts = vec![format!("- Name: {}", project.name)];
    if project.in_git {
        let mut line = format!("- Branch: {}", head.describe());
        if let Some(commit) = &head.commit {
            line.push_str(&format!(" @ {}", git::short(commit)));
            if let Some(summary) = git::head_summary(&project.path) {
                line.push_str(&format!(" \"{summary}\""));
            }
        }
        facts.push(line);
        if let Some(remote) = git::push_remote_url(&project.path) {
            facts.push(format!("- Remote: {remote}"));
        }
    } else {
        facts.push("- Not a git repository.".to_string());
    }
    if let Some((ws, doc)) = &session {
        facts.push(format!(
            "- Session: {} ({})",
            ws.id,
            doc.session.status.as_str()
        ));
        if !doc.session.focus.is_empty() {
            facts.push(format!("- Focus: {}", doc.session.focus));
        }
        // The open tasks of Claude Code's task list: what claude.ai should help finish.
        const TASKS_LISTED: usize = 20;
        let list = crate::tasks::current(ws, doc, now).list;
        let open: Vec<String> = list.open().map(|t| t.step_line()).collect();
        if !open.is_empty() {
            facts.push(format!(
                "- Open tasks: {} of {}",
                open.len(),
                list.metrics.total_tasks
            ));
            for line in open.iter().take(TASKS_LISTED) {
                facts.push(format!("  - {line}"));
            }
            if open.len() > TASKS_LISTED {
                facts.push(format!("  - … {} more", open.len() - TASKS_LISTED));
            }
        }
    }

    let mut env_files = Vec::new();
    let mut patches = git::patches(&project.path, |path| {
        if redact::is_env_file(path) {
            env_files.push(path.to_string());
            false
        } else {
            true
        }
    })?;
    // Most relevant first: what the session touched, then small diffs before big ones.
    let touched: Vec<&String> = session
        .as_ref()
        .map(|(_, doc)| {
            doc.artifacts
                .created
                .iter()
                .chain(doc.artifacts.modified.iter())
                .collect()
        })
        .unwrap_or_default();
    patches.sort_by_key(|p| (!touched.contains(&&p.path), p.text.len()));
    let parts = PromptParts {
        project_name: project.name.clone(),
        facts,
        about: readme_start(&project.path),
        context,
        patches,
        env_files_left_out: env_files,
    };
    let prompt = handoff::transfer_prompt(&parts, max_bytes);
    let item = HandoffItem {
        version: store::STATE_VERSION,
        context: prompt.text.clone(),
        claude_ai_response: String::new(),
        project: project.path.to_string_lossy().into_owned(),
        branch: head
            .branch
            .clone()
            .or_else(|| head.commit.as_ref().map(|_| head.describe())),
        created_at: now,
        status: Status::Open,
        session_id: session.as_ref().map(|(ws, _)| ws.id.clone()),
        answered_at: None,
        merged_at: None,
        merged_into: None,
        redactions: prompt.counts.clone(),
        onepassword: None,
    };
    let store = store_for(env, project);
    let id = store.create(&item)?;
    Ok(Exported {
        location: store.location(&id),
        backend_problem: store.problem(),
        id,
        redactions: prompt.counts,
        prompt: prompt.text,
    })
}

/// `handoff export`.
pub fn export(env: &Env, request: &ExportRequest) -> Result<ExportOutcome> {
    if request.max_bytes < handoff::MIN_MAX_BYTES {
        return Err(Error::invalid(
            format!(
                "the limit must be at least {} bytes",
                handoff::MIN_MAX_BYTES
            ),
            format!("--max-bytes {}", request.max_bytes),
        ));
    }
    // The file is checked first: a refused export leaves no handoff record behind.
    if let Some(target) = &request.output {
        check_new_file(target)?;
    }
    let project = env.project()?;
    let exported = build(env, &project, None, request.max_bytes)?;
    let mut output_file = None;
    if let Some(target) = &request.output {
        write_new_file(target, &exported.prompt)?;
        output_file = Some(target.to_string_lossy().into_owned());
    }
    let clipboard = request.clipboard.then(|| Clipboard::copy(&exported.prompt));
    Ok(ExportOutcome {
        exported,
        output_file,
        clipboard,
    })
}

/// A file the user named for the prompt: its folder must exist (it is not created behind their
/// back) and the file must not.
fn check_new_file(target: &Path) -> Result<()> {
    let parent = target.parent().filter(|p| !p.as_os_str().is_empty());
    if let Some(parent) = parent
        && !parent.is_dir()
    {
        return Err(Error::invalid(
            "the folder does not exist; create it first or name another (nothing was exported)",
            parent.display(),
        ));
    }
    if target.symlink_metadata().is_ok() {
        return Err(Error::invalid(
            "the file exists; name a new one (nothing was exported)",
            target.display(),
        ));
    }
    Ok(())
}

/// Writes a file the user named, refusing to replace an existing one.
fn write_new_file(target: &Path, text: &str) -> Result<()> {
    let written = store::write_new_atomic_with(target, |file| {
        file.write_all(text.as_bytes())
            .map_err(|e| Error::io("write", target, e))
    })?;
    written.ok_or_else(|| {
        Error::invalid(
            "the file exists; name a new one (nothing was replaced)",
            target.display(),
        )
    })
}

/// Exports for `pause --handoff` and `end --handoff`: the item, its prompt as a markdown file
/// beside it, and the clipboard. Failures are reported, never raised.
pub fn share(env: &Env, project: &Project, context: Option<String>) -> HandoffShare {
    let exported = match build(env, project, context, handoff::DEFAULT_MAX_BYTES) {
        Ok(exported) => exported,
        Err(e) => {
            return HandoffShare::Failed {
                error: e.to_string(),
            };
        }
    };
    let prompt_file = store_for(env, project)
        .attach_prompt(&exported.id, &exported.prompt)
        .map_err(|e| e.to_string());
    let clipboard = Clipboard::copy(&exported.prompt);
    HandoffShare::Shared {
        exported,
        prompt_file,
        clipboard,
    }
}

/// `handoff import`: stores claude.ai's answer in the newest open handoff.
pub fn import(env: &Env, request: &ImportRequest) -> Result<ImportOutcome> {
    if request.answer.trim().is_empty() {
        return Err(Error::invalid(
            "the answer is empty; nothing was stored",
            &request.source,
        ));
    }
    let project = env.project()?;
    let store = store_for(env, &project);
    let Some((id, _)) = store.newest(Status::Open)? else {
        return Err(Error::invalid(
            "no open handoff in this project; export one first with `claude-session handoff export`",
            project.path.display(),
        ));
    };
    let now = env.now()?;
    let location = store.location(&id);
    store.update(&id, &mut |item| {
        if item.status != Status::Open {
            return Err(Error::invalid(
                "this handoff was answered meanwhile; nothing was stored",
                &location,
            ));
        }
        item.claude_ai_response = request.answer.clone();
        item.status = Status::Answered;
        item.answered_at = Some(now);
        Ok(())
    })?;
    Ok(ImportOutcome {
        id,
        location,
        bytes: request.answer.len(),
    })
}

/// The newest answered handoff (redacted), a copy kept in the session's notes, and the item
/// marked merged (`None` when no answer waits); and the back end's problem, if it had one.
pub fn merge_answered(
    env: &Env,
    project: &Project,
    ws: Option<&Workspace>,
) -> Result<(Option<MergedAnswer>, Option<String>)> {
    let store = store_for(env, project);
    let Some((id, item)) = store.newest(Status::Answered)? else {
        return Ok((None, store.problem()));
    };
    let now = env.now()?;
    let shown = redact::redact(&item.claude_ai_response);
    let mut note = None;
    if let Some(ws) = ws {
        // Two answers imported in the same second each keep their own note.
        let stamp = clock::file_stamp_utc(item.answered_at.unwrap_or(now));
        let body = format!("# Answer from claude.ai\n\n{}\n", shown.text.trim_end());
        for n in 1.. {
            let path = ws
                .notes_dir()
                .join(format!("claude-ai-{}.md", handoff::unique_stem(&stamp, n)));
            let written = store::write_new_atomic_with(&path, |file| {
                file.write_all(body.as_bytes())
                    .map_err(|e| Error::io("write", &path, e))
            })?;
            if written.is_some() {
                note = Some(path.to_string_lossy().into_owned());
                break;
            }
        }
    }
    store.update(&id, &mut |item| {
        item.status = Status::Merged;
        item.merged_at = Some(now);
        item.merged_into = ws.map(|w| w.id.clone());
        Ok(())
    })?;
    let limit = env.config().context_budget() * 4;
    let body = shown.text.trim();
    let cut = body.len() > limit;
    let text = crate::templates::cut_bytes(body, limit).to_string();
    let answer = MergedAnswer {
        handoff_created_at: item.created_at,
        answered_at: item.answered_at,
        note,
        redactions: shown.counts,
        text,
        cut,
    };
    Ok((Some(answer), store.problem()))
}
