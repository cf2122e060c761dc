//! `claude-session handoff export|import`: the trip to claude.ai and back.

use super::read_text_arg;
use crate::cli::{HandoffCommand, HandoffExportArgs, HandoffImportArgs};
use crate::context_file::{self, ContextInput};
use crate::env::Env;
use crate::error::{Error, Result};
use crate::handoff::{self, HandoffItem, PromptParts, Status};
use crate::paths::Project;
use crate::redact;
use crate::registry::{self, Workspace};
use crate::session::SessionDoc;
use crate::{clock, git, store};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub fn run(ctx: &Env, command: &HandoffCommand, out: &mut super::Printer) -> Result<()> {
    match command {
        HandoffCommand::Export(args) => export_command(ctx, args, out),
        HandoffCommand::Import(args) => import_command(ctx, args, out),
    }
}

/// A saved handoff: the item and the prompt in it.
pub struct Exported {
    pub item: PathBuf,
    pub prompt: String,
    pub redactions: String,
}

/// The project's open session, when there is exactly one.
fn open_session(ctx: &Env, project: &Project) -> Result<Option<(Workspace, SessionDoc)>> {
    let open = registry::open_sessions(project, ctx.wait())?;
    match open.as_slice() {
        [(ws, _)] => Ok(Some((ws.clone(), registry::load(ws, ctx.wait())?))),
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
pub fn export(
    ctx: &Env,
    project: &Project,
    context: Option<String>,
    max_bytes: usize,
) -> Result<Exported> {
    let now = ctx.now()?;
    let session = open_session(ctx, project)?;
    let context = match (context, &session) {
        (Some(text), _) => text,
        (None, Some((ws, doc))) => context_file::render_with(
            project,
            ws,
            doc,
            &ContextInput {
                reason: "handoff".to_string(),
                ..ContextInput::default()
            },
            now,
            Some(ctx.config().context_budget()),
        ),
        (None, None) => match context_file::newest(ctx, project) {
            Some(path) => std::fs::read_to_string(&path).unwrap_or_default(),
            None => "No claude-session session is open in this project, and none was paused."
                .to_string(),
        },
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
    };
    let path = handoff::save_new(&ctx.layout, &project.slug, &item)?;
    Ok(Exported {
        item: path,
        redactions: prompt.describe(),
        prompt: prompt.text,
    })
}

fn export_command(ctx: &Env, args: &HandoffExportArgs, out: &mut super::Printer) -> Result<()> {
    if args.max_bytes < handoff::MIN_MAX_BYTES {
        return Err(Error::invalid(
            format!(
                "the limit must be at least {} bytes",
                handoff::MIN_MAX_BYTES
            ),
            format!("--max-bytes {}", args.max_bytes),
        ));
    }
    let project = ctx.project()?;
    let exported = export(ctx, &project, None, args.max_bytes)?;
    let mut report = format!(
        "📤 Handoff saved: {}\n🔒 Redactions: {}\n",
        exported.item.display(),
        exported.redactions
    );
    let mut printed = false;
    if let Some(file) = &args.output {
        let target = ctx.absolute(file);
        write_new_file(&target, &exported.prompt)?;
        report.push_str(&format!("📄 Prompt written to {}\n", target.display()));
        printed = true;
    }
    if args.clipboard {
        match copy_to_clipboard(&exported.prompt) {
            Ok(tool) => {
                report.push_str(&format!(
                    "📋 Copied to the clipboard ({tool}): paste it into claude.ai\n"
                ));
                printed = true;
            }
            Err(why) => report.push_str(&format!("⚠️ Not copied: {why}\n")),
        }
    }
    report.push_str(
        "↩️ Bring claude.ai's answer back with `claude-session handoff import` (paste, then Ctrl-D) or `handoff import FILE`.\n",
    );
    if printed {
        out.text(&report)
    } else {
        // The prompt alone on stdout (ready to pipe); the report on stderr.
        out.text(&exported.prompt)?;
        eprint!("{report}");
        Ok(())
    }
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

/// The clipboard tools we know, with the arguments that make them read standard input, and the
/// display variable they need.
const CLIPBOARDS: &[(&str, &[&str], Option<&str>)] = &[
    ("wl-copy", &[], Some("WAYLAND_DISPLAY")),
    ("xclip", &["-selection", "clipboard"], Some("DISPLAY")),
    ("xsel", &["--clipboard", "--input"], Some("DISPLAY")),
    ("pbcopy", &[], None),
    ("clip.exe", &[], None),
];

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// Copies `text` with the first clipboard tool that can work here; the tool's name, or why not.
pub fn copy_to_clipboard(text: &str) -> std::result::Result<String, String> {
    use std::process::{Command, Stdio};
    let mut tried = Vec::new();
    for (name, args, display) in CLIPBOARDS {
        let Some(program) = on_path(name) else {
            continue;
        };
        if let Some(var) = display
            && std::env::var_os(var).is_none_or(|v| v.is_empty())
        {
            tried.push(format!("{name} (no ${var})"));
            continue;
        }
        let child = Command::new(&program)
            .args(*args)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        let Ok(mut child) = child else {
            tried.push(format!("{name} (did not start)"));
            continue;
        };
        if let Some(mut stdin) = child.stdin.take() {
            let _ = stdin.write_all(text.as_bytes());
        }
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break Some(status),
                Ok(None) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                _ => {
                    let _ = child.kill();
                    let _ = child.wait();
                    break None;
                }
            }
        };
        if status.is_some_and(|s| s.success()) {
            return Ok(name.to_string());
        }
        tried.push(format!("{name} (failed)"));
    }
    if tried.is_empty() {
        Err("no clipboard tool found (wl-copy, xclip, xsel, pbcopy); use --output FILE or copy the printed prompt".to_string())
    } else {
        Err(format!(
            "no clipboard tool worked here: {}; use --output FILE",
            tried.join(", ")
        ))
    }
}

/// Saves an exported prompt beside its item (`.md`) and tries the clipboard; report lines for
/// `pause --handoff` and `end --handoff`.
pub fn export_for_command(ctx: &Env, project: &Project, context: Option<String>) -> String {
    let exported = match export(ctx, project, context, handoff::DEFAULT_MAX_BYTES) {
        Ok(exported) => exported,
        Err(e) => return format!("⚠️ Handoff not exported: {e}\n"),
    };
    let markdown = exported.item.with_extension("md");
    let mut text = format!(
        "📤 Handoff for claude.ai: {}\n🔒 Redactions: {}\n",
        exported.item.display(),
        exported.redactions
    );
    match store::write_atomic(&markdown, exported.prompt.as_bytes()) {
        Ok(()) => text.push_str(&format!("📄 Prompt: {}\n", markdown.display())),
        Err(e) => text.push_str(&format!("⚠️ Prompt file not written: {e}\n")),
    }
    match copy_to_clipboard(&exported.prompt) {
        Ok(tool) => text.push_str(&format!("📋 Copied to the clipboard ({tool})\n")),
        Err(why) => text.push_str(&format!("📋 Not copied: {why}\n")),
    }
    text.push_str("↩️ Bring claude.ai's answer back with `claude-session handoff import`.\n");
    text
}

fn import_command(ctx: &Env, args: &HandoffImportArgs, out: &mut super::Printer) -> Result<()> {
    let text = read_text_arg(ctx, &args.file)?;
    if text.trim().is_empty() {
        return Err(Error::invalid(
            "the answer is empty; nothing was stored",
            args.file.display(),
        ));
    }
    let project = ctx.project()?;
    let Some((path, _)) = handoff::newest(&ctx.layout, &project.slug, Status::Open)? else {
        return Err(Error::invalid(
            "no open handoff in this project; export one first with `claude-session handoff export`",
            project.path.display(),
        ));
    };
    let now = ctx.now()?;
    handoff::update(&path, ctx.wait(), |item| {
        if item.status != Status::Open {
            return Err(Error::invalid(
                "this handoff was answered meanwhile; nothing was stored",
                path.display(),
            ));
        }
        item.claude_ai_response = text.clone();
        item.status = Status::Answered;
        item.answered_at = Some(now);
        Ok(())
    })?;
    out.text(
        &format!(
            "📥 claude.ai's answer stored ({} bytes): {}\n▶️ The next `claude-session start` or `resume` in this project shows it.\n",
            text.len(),
            path.display()
        ),
    )
}

/// Shows the newest answered handoff (redacted) as "Merged from claude.ai", keeps a copy in the
/// session's notes, and marks it merged. `None` when no answer waits.
pub fn merge_answered(
    ctx: &Env,
    project: &Project,
    ws: Option<&Workspace>,
) -> Result<Option<String>> {
    let Some((path, item)) = handoff::newest(&ctx.layout, &project.slug, Status::Answered)? else {
        return Ok(None);
    };
    let now = ctx.now()?;
    let shown = redact::redact(&item.claude_ai_response);
    let mut saved = None;
    if let Some(ws) = ws {
        let note = ws.notes_dir().join(format!(
            "claude-ai-{}.md",
            clock::file_stamp_utc(item.answered_at.unwrap_or(now))
        ));
        store::write_atomic(
            &note,
            format!("# Answer from claude.ai\n\n{}\n", shown.text.trim_end()).as_bytes(),
        )?;
        saved = Some(note);
    }
    handoff::update(&path, ctx.wait(), |item| {
        item.status = Status::Merged;
        item.merged_at = Some(now);
        item.merged_into = ws.map(|w| w.id.clone());
        Ok(())
    })?;
    let mut text = format!(
        "\n## Merged from claude.ai\n\n_The answer to the handoff of {}",
        clock::local_short(item.created_at)
    );
    if let Some(at) = item.answered_at {
        text.push_str(&format!(", imported {}", clock::local_short(at)));
    }
    if let Some(note) = &saved {
        text.push_str(&format!("; kept in {}", note.display()));
    }
    if shown.total() > 0 {
        text.push_str(&format!("; redactions: {}", shown.describe()));
    }
    text.push_str(". Take it into account before going on._\n\n");
    let limit = ctx.config().context_budget() * 4;
    let body = shown.text.trim();
    if body.len() > limit {
        let mut end = limit;
        while !body.is_char_boundary(end) {
            end -= 1;
        }
        text.push_str(&body[..end]);
        text.push_str("\n\n… (cut here; the whole answer is in the note above)\n");
    } else {
        text.push_str(body);
        text.push('\n');
    }
    Ok(Some(text))
}
