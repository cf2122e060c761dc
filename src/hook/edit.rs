//! `post-edit` (PostToolUse on Write|Edit|MultiEdit|NotebookEdit): records the file as created
//! (a Write that created it) or modified. One journal append; the file itself is never read.

use super::route::{self, deliver};
use super::wire::{PATH_BYTES, Payload};
use super::{Env, Outcome, expect_event};
use crate::clock;
use crate::error::{Error, Result};
use crate::session::{Action, Event};

/// The tools that write files and name them in `tool_input`.
pub const EDIT_TOOLS: &[&str] = &["Write", "Edit", "MultiEdit", "NotebookEdit"];

pub fn post_edit(env: &Env, payload: &Payload) -> Result<Outcome> {
    if let Some(ignored) = expect_event("post-edit", payload, "PostToolUse") {
        return Ok(ignored);
    }
    let tool = payload.tool_name.as_deref().unwrap_or("");
    if !EDIT_TOOLS.contains(&tool) {
        return Ok(Outcome::Ignored(format!(
            "tool `{tool}` is not one of {}",
            EDIT_TOOLS.join("|")
        )));
    }
    let input = payload.tool_input();
    let file = if tool == "NotebookEdit" {
        input.notebook_path.or(input.file_path)
    } else {
        input.file_path.or(input.notebook_path)
    };
    let Some(file) = file.filter(|f| !f.is_empty()) else {
        return Err(Error::invalid(
            "tool_input names no file",
            format!("PostToolUse {tool}"),
        ));
    };
    // Write reports "create" or "update"; every other tool changes a file that existed.
    let action = if tool == "Write" && payload.tool_response().kind.as_deref() == Some("create") {
        Action::Created
    } else {
        Action::Modified
    };
    let routed = route::route(env, payload)?;
    // Inside the project the path gets shorter; outside it the cwd may have made it longer.
    let path = route::project_path(&routed.project, &routed.cwd, &file);
    let path = payload
        .notes
        .cap("the artifact path", path.into(), PATH_BYTES)
        .into_owned();
    deliver(
        &routed,
        &Event::Artifact {
            at: clock::now()?,
            path,
            action,
        },
    )?;
    Ok(Outcome::quiet())
}
