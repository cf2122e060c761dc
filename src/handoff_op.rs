//! The 1Password handoff store (`[handoff] backend = "1password"`), through the `op` CLI: one
//! Secure Note `session-{project}-{date}` per handoff, with the fields `context` (the redacted
//! transfer prompt), `claude_ai_response` (empty until the user pastes claude.ai's answer into
//! it), `project`, `branch`, `timestamp`, `session_id` and `status`.
//!
//! The file store is written first and stays the record: the 1Password item mirrors it, and
//! its id is kept in the file item. So `op` missing, not signed in, timing out or failing costs
//! one line ([`HandoffStore::problem`]) and never the handoff. Large values reach `op` only in a
//! JSON template file (private, removed afterwards), never on its command line.

use crate::config::OnePasswordSettings;
use crate::error::Result;
use crate::handoff::{FileStore, HandoffId, HandoffItem, HandoffStore, Status};
use crate::process::{Failure, Run};
use crate::{clock, store};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::cell::RefCell;
use std::time::Duration;

/// The program, looked up in PATH.
const OP: &str = "op";
/// The variable with which `op` runs as a service account (which has no default vault).
const SERVICE_ACCOUNT: &str = "OP_SERVICE_ACCOUNT_TOKEN";

/// How many of the newest open handoffs are looked up in 1Password for an answer.
pub const LOOKS: usize = 3;

/// The 1Password item that mirrors a file item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpItemRef {
    pub id: String,
    pub title: String,
    /// The vault's name as `op` reported it.
    #[serde(default)]
    pub vault: Option<String>,
}

pub struct OnePasswordStore {
    files: FileStore,
    project_name: String,
    vault: Option<String>,
    timeout: Duration,
    /// The first problem met, in one line.
    problem: RefCell<Option<String>>,
}

impl OnePasswordStore {
    pub fn new(files: FileStore, project_name: &str, settings: &OnePasswordSettings) -> Self {
        OnePasswordStore {
            files,
            project_name: project_name.to_string(),
            vault: settings.vault.clone(),
            timeout: Duration::from_secs(settings.timeout_seconds),
            problem: RefCell::new(None),
        }
    }

    /// Keeps the first problem (later ones usually repeat it).
    fn note(&self, problem: String) {
        let mut slot = self.problem.borrow_mut();
        if slot.is_none() {
            *slot = Some(problem);
        }
    }

    /// Runs `op <args> [--vault V]`; its stdout, or the one-line reason it failed.
    fn op(&self, args: &[&str]) -> std::result::Result<String, String> {
        let what = format!(
            "op {}",
            args.iter().take(2).copied().collect::<Vec<_>>().join(" ")
        );
        let service = std::env::var_os(SERVICE_ACCOUNT).is_some_and(|t| !t.is_empty());
        if service && self.vault.is_none() {
            return Err(format!(
                "a 1Password service account ({SERVICE_ACCOUNT}) needs a vault: set `[handoff.onepassword] vault`"
            ));
        }
        let mut run = Run::new(OP).args(args).timeout(self.timeout);
        if let Some(vault) = &self.vault {
            run = run.args(["--vault", vault]);
        }
        match run.run() {
            Err(Failure::Start(e)) if e.kind() == std::io::ErrorKind::NotFound => {
                Err("the 1Password CLI `op` is not installed (not found in PATH)".to_string())
            }
            Err(e) => Err(format!("`{what}`: {e}")),
            Ok(done) if done.timed_out => Err(format!(
                "`{what}` did not finish within {} s (`handoff.onepassword.timeout_seconds`)",
                self.timeout.as_secs()
            )),
            Ok(done) if !done.success() => Err(explain(&done.stderr_text(), &what)),
            Ok(done) => Ok(done.stdout_text()),
        }
    }

    /// Creates the 1Password item of `item` from a template file.
    fn create_remote(&self, item: &HandoffItem) -> std::result::Result<OpItemRef, String> {
        let title = format!(
            "session-{}-{}",
            self.project_name,
            item.created_at.strftime("%Y-%m-%d")
        );
        let template = template(&title, item);
        // A private folder (0700) in our own state, removed when `folder` is dropped; the file
        // in it is written 0600. A kill in between can leave it: `.op-template-*` beside the items.
        let folder =
            store::temp_dir_in(&self.files.dir(), ".op-template-").map_err(|e| e.to_string())?;
        let path = folder.path().join("item.json");
        store::write_atomic(&path, template.to_string().as_bytes()).map_err(|e| e.to_string())?;
        let path_text = path.to_string_lossy().into_owned();
        let out = self.op(&[
            "item",
            "create",
            "--template",
            &path_text,
            "--format",
            "json",
        ])?;
        drop(folder);
        let created: Value = serde_json::from_str(&out)
            .map_err(|e| format!("`op item create` answered something that is not JSON ({e})"))?;
        let id = created["id"].as_str().unwrap_or_default();
        if id.is_empty() {
            return Err("`op item create` answered without an item id".to_string());
        }
        Ok(OpItemRef {
            id: id.to_string(),
            title: created["title"].as_str().unwrap_or(&title).to_string(),
            vault: created["vault"]["name"]
                .as_str()
                .map(str::to_string)
                .or_else(|| self.vault.clone()),
        })
    }

    /// The item's `claude_ai_response`, when the user filled it.
    fn response(&self, item: &OpItemRef) -> std::result::Result<Option<String>, String> {
        let out = self.op(&[
            "item",
            "get",
            &item.id,
            "--fields",
            "label=claude_ai_response",
            "--format",
            "json",
        ])?;
        let field: Value = serde_json::from_str(&out)
            .map_err(|e| format!("`op item get` answered something that is not JSON ({e})"))?;
        let value = field["value"].as_str().unwrap_or_default();
        Ok((!value.trim().is_empty()).then(|| value.to_string()))
    }
}

/// The JSON item template (the shape `op item get --format json` prints).
fn template(title: &str, item: &HandoffItem) -> Value {
    let field = |label: &str, value: &str| json!({"id": label, "type": "STRING", "label": label, "value": value});
    json!({
        "title": title,
        "category": "SECURE_NOTE",
        "fields": [
            {"id": "notesPlain", "type": "STRING", "purpose": "NOTES", "label": "notesPlain",
             "value": "A claude-session handoff to claude.ai. Paste `context` into claude.ai; put its answer into `claude_ai_response`: the next /start or /resume of the project merges it."},
            field("context", &item.context),
            field("claude_ai_response", ""),
            field("project", &item.project),
            field("branch", item.branch.as_deref().unwrap_or("")),
            field("timestamp", &item.created_at.to_string()),
            field("session_id", item.session_id.as_deref().unwrap_or("")),
            field("status", "open"),
        ],
    })
}

/// `op`'s error as one line: `[ERROR] <date> <time> ` dropped, sign-in spelled out.
fn explain(stderr: &str, what: &str) -> String {
    let line = stderr
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("no message");
    let message = match line.strip_prefix("[ERROR]") {
        Some(rest) => {
            let mut words = rest.trim_start().splitn(3, ' ');
            let (date, time, rest) = (words.next(), words.next(), words.next());
            let dated =
                date.is_some_and(|d| d.contains('/')) && time.is_some_and(|t| t.contains(':'));
            if dated {
                rest.unwrap_or("")
            } else {
                rest_of(line)
            }
        }
        None => line,
    };
    if message.contains("not currently signed in") || message.contains("not signed in") {
        return format!(
            "the 1Password CLI is not signed in: run `op signin` (or set {SERVICE_ACCOUNT}) ({what})"
        );
    }
    format!("{} ({what})", message.trim())
}

fn rest_of(line: &str) -> &str {
    line.strip_prefix("[ERROR]").unwrap_or(line).trim()
}

impl HandoffStore for OnePasswordStore {
    fn list(&self) -> Result<Vec<(HandoffId, HandoffItem)>> {
        let mut items = self.files.list()?;
        // The newest open items only: each look is one `op` call, and old handoffs nobody
        // answered must not slow every start down.
        let open = items
            .iter_mut()
            .rev()
            .filter(|(_, item)| item.status == Status::Open)
            .filter_map(|(id, item)| Some((&*id, item.onepassword.clone()?, item)))
            .take(LOOKS);
        for (id, remote, item) in open {
            match self.response(&remote) {
                Ok(Some(answer)) => {
                    let now = clock::now()?;
                    self.files.update(id, &mut |stored| {
                        if stored.status == Status::Open {
                            stored.claude_ai_response = answer.clone();
                            stored.status = Status::Answered;
                            stored.answered_at = Some(now);
                        }
                        Ok(())
                    })?;
                    item.claude_ai_response = answer;
                    item.status = Status::Answered;
                    item.answered_at = Some(now);
                }
                Ok(None) => {}
                Err(problem) if problem.contains("isn't an item") => {
                    // Deleted in 1Password: said once, then the handoff is a file item only.
                    self.files.update(id, &mut |stored| {
                        stored.onepassword = None;
                        Ok(())
                    })?;
                    item.onepassword = None;
                    self.note(format!(
                        "the item \"{}\" is gone from 1Password; the handoff stays in the file store",
                        remote.title
                    ));
                }
                Err(problem) => {
                    // One failure is enough: the next items would wait for the same `op`.
                    self.note(format!(
                        "{problem}; claude.ai's answer in 1Password was not read (the file store's handoffs are used)"
                    ));
                    break;
                }
            }
        }
        Ok(items)
    }

    fn create(&self, item: &HandoffItem) -> Result<HandoffId> {
        let id = self.files.create(item)?;
        match self.create_remote(item) {
            Ok(remote) => self.files.update(&id, &mut |stored| {
                stored.onepassword = Some(remote.clone());
                Ok(())
            })?,
            Err(problem) => self.note(format!(
                "{problem}; the handoff is kept in the file store only"
            )),
        }
        Ok(id)
    }

    fn update(
        &self,
        id: &HandoffId,
        change: &mut dyn FnMut(&mut HandoffItem) -> Result<()>,
    ) -> Result<()> {
        let mut merged_remote = None;
        self.files.update(id, &mut |item| {
            change(item)?;
            merged_remote = item
                .onepassword
                .clone()
                .filter(|_| item.status == Status::Merged);
            Ok(())
        })?;
        // Marked in 1Password too, so that whoever looks there sees it was taken in.
        if let Some(remote) = merged_remote
            && let Err(problem) = self.op(&["item", "edit", &remote.id, "status[text]=merged"])
        {
            self.note(format!(
                "{problem}; the 1Password item still says open (the file store says merged)"
            ));
        }
        Ok(())
    }

    fn location(&self, id: &HandoffId) -> String {
        let file = self.files.location(id);
        let remote = match store::read_json::<HandoffItem>(&self.files.path(id)) {
            Ok(store::Loaded::Found(item)) => item.onepassword,
            _ => None,
        };
        match remote {
            Some(remote) => format!(
                "1Password item \"{}\" in vault {} (copy: {file})",
                remote.title,
                remote.vault.as_deref().unwrap_or("(default)")
            ),
            None => file,
        }
    }

    fn attach_prompt(&self, id: &HandoffId, prompt: &str) -> Result<String> {
        self.files.attach_prompt(id, prompt)
    }

    fn problem(&self) -> Option<String> {
        self.problem.borrow().clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn op_errors_become_one_line() {
        assert_eq!(
            explain(
                "[ERROR] 2025/10/25 14:30:00 \"Work\" isn't a vault in this account. Specify the vault with its ID or name.\n",
                "op item create"
            ),
            "\"Work\" isn't a vault in this account. Specify the vault with its ID or name. (op item create)"
        );
        assert!(
            explain(
                "[ERROR] 2025/10/25 14:30:00 You are not currently signed in. Please run `op signin --help` for instructions\n",
                "op item get"
            )
            .starts_with("the 1Password CLI is not signed in: run `op signin`")
        );
        assert_eq!(explain("", "op item get"), "no message (op item get)");
        assert_eq!(explain("[ERROR] boom", "op x"), "boom (op x)");
    }
}
