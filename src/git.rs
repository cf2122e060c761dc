//! The only module that touches git: in-process reads and local writes through git2, and the
//! `git` CLI where the user's credentials and hooks matter (push, commit).

pub mod sync;

use crate::error::{Error, Result};
use crate::process;
use git2::{Repository, StatusOptions};
use std::path::Path;

/// Where the repository stands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HeadState {
    /// Branch name; `None` when HEAD is detached or there is no repository.
    pub branch: Option<String>,
    /// Full hash of HEAD; `None` before the first commit.
    pub commit: Option<String>,
    pub detached: bool,
}

impl HeadState {
    /// `main`, `detached at 1a2b3c4`, or `no commits yet`.
    pub fn describe(&self) -> String {
        match (&self.branch, &self.commit) {
            (Some(b), _) => b.clone(),
            (None, Some(c)) if self.detached => format!("detached at {}", short(c)),
            _ => "no branch".to_string(),
        }
    }
}

pub fn short(hash: &str) -> &str {
    &hash[..hash.len().min(7)]
}

fn git_err(place: &Path) -> impl Fn(git2::Error) -> Error + '_ {
    move |e| Error::Git {
        detail: e.message().to_string(),
        place: place.display().to_string(),
    }
}

/// Opens the repository at `root`; `None` outside git.
pub fn open(root: &Path) -> Option<Repository> {
    Repository::open(root).ok()
}

/// Branch and HEAD of the repository at `root` (default state outside git).
pub fn head_state(root: &Path) -> HeadState {
    let Some(repo) = open(root) else {
        return HeadState::default();
    };
    let detached = repo.head_detached().unwrap_or(false);
    match repo.head() {
        Ok(head) => HeadState {
            branch: if detached {
                None
            } else {
                head.shorthand().ok().map(str::to_string)
            },
            commit: head.target().map(|oid| oid.to_string()),
            detached,
        },
        // An unborn branch: HEAD names a branch that has no commit yet.
        Err(_) => HeadState {
            branch: repo.find_reference("HEAD").ok().and_then(|r| {
                r.symbolic_target()
                    .ok()
                    .flatten()
                    .map(|t| t.trim_start_matches("refs/heads/").to_string())
            }),
            commit: None,
            detached: false,
        },
    }
}

/// Whether git tracks `relative` (in the index) in the repository at `root`.
pub fn is_tracked(root: &Path, relative: &str) -> bool {
    // git2 asserts on paths outside the work tree; such a path (or the root itself) is untracked.
    let path = Path::new(relative);
    if relative.is_empty()
        || path.is_absolute()
        || path
            .components()
            .any(|c| !matches!(c, std::path::Component::Normal(_)))
    {
        return false;
    }
    open(root)
        .and_then(|repo| repo.index().ok())
        .is_some_and(|index| index.get_path(path, 0).is_some())
}

/// One changed path, as `git status --porcelain` would name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// Two-letter porcelain code, e.g. ` M`, `A `, `??`, ` D`.
    pub code: String,
    pub path: String,
}

/// The porcelain letter of the first flag that is set, else a space.
fn status_letter(flags: [(bool, char); 5]) -> char {
    flags
        .iter()
        .find(|(set, _)| *set)
        .map_or(' ', |(_, letter)| *letter)
}

/// Modified, staged, deleted and untracked-not-ignored paths.
pub fn changes(root: &Path) -> Result<Vec<Change>> {
    let Some(repo) = open(root) else {
        return Ok(Vec::new());
    };
    let mut options = StatusOptions::new();
    options
        .include_untracked(true)
        .recurse_untracked_dirs(true)
        .include_ignored(false)
        .renames_head_to_index(false);
    let statuses = repo.statuses(Some(&mut options)).map_err(git_err(root))?;
    let mut out = Vec::new();
    for entry in statuses.iter() {
        let Ok(path) = entry.path() else { continue };
        let s = entry.status();
        let index = status_letter([
            (s.is_index_new(), 'A'),
            (s.is_index_modified(), 'M'),
            (s.is_index_deleted(), 'D'),
            (s.is_index_renamed(), 'R'),
            (s.is_index_typechange(), 'T'),
        ]);
        let work = status_letter([
            (s.is_wt_new(), '?'),
            (s.is_wt_modified(), 'M'),
            (s.is_wt_deleted(), 'D'),
            (s.is_wt_renamed(), 'R'),
            (s.is_wt_typechange(), 'T'),
        ]);
        let code = if s.is_wt_new() && index == ' ' {
            "??".to_string()
        } else {
            format!("{index}{work}")
        };
        if code.trim().is_empty() {
            continue;
        }
        out.push(Change {
            code,
            path: path.to_string(),
        });
    }
    Ok(out)
}

/// How many commits are reachable from HEAD but not from `since` (0 when unknown).
pub fn commits_since(root: &Path, since: Option<&str>) -> usize {
    let Some(repo) = open(root) else { return 0 };
    let Ok(mut walk) = repo.revwalk() else {
        return 0;
    };
    if walk.push_head().is_err() {
        return 0;
    }
    if let Some(oid) = since.and_then(|s| git2::Oid::from_str(s).ok())
        && walk.hide(oid).is_err()
    {
        return 0;
    }
    walk.filter(|r| r.is_ok()).count()
}

/// One commit, for reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitLine {
    pub hash: String,
    pub summary: String,
}

/// Commits from HEAD back to (not including) `since`, newest first, at most `limit`.
pub fn commits_between(root: &Path, since: Option<&str>, limit: usize) -> Vec<CommitLine> {
    let Some(repo) = open(root) else {
        return Vec::new();
    };
    let Ok(mut walk) = repo.revwalk() else {
        return Vec::new();
    };
    if walk.push_head().is_err() {
        return Vec::new();
    }
    if let Some(oid) = since.and_then(|s| git2::Oid::from_str(s).ok()) {
        let _ = walk.hide(oid);
    }
    walk.filter_map(|r| r.ok())
        .take(limit)
        .filter_map(|oid| repo.find_commit(oid).ok())
        .map(|c| CommitLine {
            hash: c.id().to_string(),
            summary: c.summary().ok().flatten().unwrap_or("").to_string(),
        })
        .collect()
}

/// True when tracked files differ from HEAD (staged or not). Untracked files do not count: a
/// checkout keeps them, and refuses by itself when one would be overwritten.
pub fn has_tracked_changes(root: &Path) -> Result<bool> {
    Ok(changes(root)?.iter().any(|c| c.code != "??"))
}

/// Lines added and removed in one file, HEAD against the working tree (index included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileStat {
    pub path: String,
    pub added: usize,
    pub deleted: usize,
    pub binary: bool,
}

/// One file's unified diff, HEAD against the working tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilePatch {
    pub path: String,
    pub text: String,
    pub binary: bool,
}

fn workdir_diff<'r>(repo: &'r Repository, root: &Path) -> Result<git2::Diff<'r>> {
    let head_tree = repo.head().ok().and_then(|h| h.peel_to_tree().ok());
    let mut options = git2::DiffOptions::new();
    options
        .include_untracked(true)
        .recurse_untracked_dirs(true)
        .show_untracked_content(true)
        .include_ignored(false);
    repo.diff_tree_to_workdir_with_index(head_tree.as_ref(), Some(&mut options))
        .map_err(git_err(root))
}

fn delta_path(delta: &git2::DiffDelta<'_>) -> String {
    delta
        .new_file()
        .path()
        .or_else(|| delta.old_file().path())
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// `git diff HEAD --stat` with untracked files counted as added; empty outside git.
pub fn diffstat(root: &Path) -> Result<Vec<FileStat>> {
    let Some(repo) = open(root) else {
        return Ok(Vec::new());
    };
    let diff = workdir_diff(&repo, root)?;
    let mut out = Vec::new();
    for index in 0..diff.deltas().len() {
        let Some(delta) = diff.get_delta(index) else {
            continue;
        };
        let path = delta_path(&delta);
        let patch = git2::Patch::from_diff(&diff, index).map_err(git_err(root))?;
        let (added, deleted, binary) = match patch {
            Some(patch) if !delta.flags().is_binary() => {
                let (_, added, deleted) = patch.line_stats().map_err(git_err(root))?;
                (added, deleted, false)
            }
            _ => (0, 0, true),
        };
        out.push(FileStat {
            path,
            added,
            deleted,
            binary,
        });
    }
    Ok(out)
}

/// The unified diff of every changed file (HEAD against the working tree) that `keep` accepts.
pub fn patches(root: &Path, mut keep: impl FnMut(&str) -> bool) -> Result<Vec<FilePatch>> {
    let Some(repo) = open(root) else {
        return Ok(Vec::new());
    };
    let diff = workdir_diff(&repo, root)?;
    let mut out = Vec::new();
    for index in 0..diff.deltas().len() {
        let Some(delta) = diff.get_delta(index) else {
            continue;
        };
        let path = delta_path(&delta);
        if !keep(&path) {
            continue;
        }
        let patch = git2::Patch::from_diff(&diff, index).map_err(git_err(root))?;
        let binary = delta.flags().is_binary();
        let text = match patch {
            Some(mut patch) if !binary => {
                let buf = patch.to_buf().map_err(git_err(root))?;
                String::from_utf8_lossy(&buf).into_owned()
            }
            _ => String::new(),
        };
        let binary = binary || text.is_empty();
        out.push(FilePatch { path, text, binary });
    }
    Ok(out)
}

/// How the current branch compares with its upstream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tracking {
    pub upstream: String,
    pub ahead: usize,
    pub behind: usize,
}

/// Ahead/behind counts against the branch's upstream; `None` without one.
pub fn tracking(root: &Path) -> Option<Tracking> {
    let repo = open(root)?;
    let head = repo.head().ok()?;
    if !head.is_branch() {
        return None;
    }
    let name = head.shorthand().ok()?;
    let branch = repo.find_branch(name, git2::BranchType::Local).ok()?;
    let upstream = branch.upstream().ok()?;
    let upstream_name = upstream.name().ok().flatten()?.to_string();
    let (ahead, behind) = repo
        .graph_ahead_behind(head.target()?, upstream.get().target()?)
        .ok()?;
    Some(Tracking {
        upstream: upstream_name,
        ahead,
        behind,
    })
}

/// The first line of HEAD's commit message.
pub fn head_summary(root: &Path) -> Option<String> {
    let repo = open(root)?;
    let commit = repo.head().ok()?.peel_to_commit().ok()?;
    commit.summary().ok().flatten().map(str::to_string)
}

/// Where a checkout should go: a branch, or a commit for a detached HEAD.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Branch(String),
    Detached(String),
}

impl Target {
    pub fn describe(&self) -> String {
        match self {
            Target::Branch(name) => name.clone(),
            Target::Detached(commit) => format!("detached at {}", short(commit)),
        }
    }
}

/// Checks out `target` in-process. Refuses, touching nothing, when tracked files have
/// uncommitted changes; libgit2's safe checkout also refuses (before writing anything) when an
/// untracked file would be overwritten.
pub fn checkout(root: &Path, target: &Target) -> Result<()> {
    let repo = open(root).ok_or_else(|| Error::Git {
        detail: "not a git repository".to_string(),
        place: root.display().to_string(),
    })?;
    if has_tracked_changes(root)? {
        return Err(Error::Git {
            detail: format!(
                "the working tree has uncommitted changes; commit or stash them before switching to {}, nothing was changed",
                target.describe()
            ),
            place: root.display().to_string(),
        });
    }
    let (object, reference) = match target {
        Target::Branch(name) => {
            let reference = format!("refs/heads/{name}");
            let object = repo.revparse_single(&reference).map_err(|_| Error::Git {
                detail: format!("branch `{name}` no longer exists, nothing was changed"),
                place: root.display().to_string(),
            })?;
            (object, Some(reference))
        }
        Target::Detached(commit) => {
            let object = git2::Oid::from_str(commit)
                .and_then(|oid| repo.find_object(oid, None))
                .map_err(|_| Error::Git {
                    detail: format!(
                        "commit {} no longer exists, nothing was changed",
                        short(commit)
                    ),
                    place: root.display().to_string(),
                })?;
            (object, None)
        }
    };
    // Ignored files are the user's too (local settings, secrets): a clash refuses the checkout
    // like an untracked one, before anything is written. The paths in the way are collected.
    let mut blocked = Vec::new();
    let checked_out = {
        let mut options = git2::build::CheckoutBuilder::new();
        options
            .safe()
            .overwrite_ignored(false)
            .notify_on(git2::CheckoutNotificationType::CONFLICT)
            .notify(|_, path, _, _, _| {
                if let Some(path) = path {
                    blocked.push(path.to_path_buf());
                }
                true
            });
        repo.checkout_tree(&object, Some(&mut options))
    };
    checked_out.map_err(|e| Error::Git {
        detail: refusal(&repo, target, &blocked, &e),
        place: root.display().to_string(),
    })?;
    match reference {
        Some(reference) => repo.set_head(&reference),
        None => repo.set_head_detached(object.id()),
    }
    .map_err(git_err(root))
}

/// Why a checkout was refused: the files in the way (ignored or untracked), else libgit2's reason.
fn refusal(
    repo: &Repository,
    target: &Target,
    blocked: &[std::path::PathBuf],
    error: &git2::Error,
) -> String {
    if blocked.is_empty() {
        return format!("checkout refused: {}", error.message());
    }
    let mut names: Vec<String> = blocked
        .iter()
        .take(5)
        .map(|path| {
            let kind = if repo.is_path_ignored(path).unwrap_or(false) {
                "ignored"
            } else {
                "untracked"
            };
            format!("{} ({kind})", path.display())
        })
        .collect();
    if blocked.len() > 5 {
        names.push(format!("… {} more", blocked.len() - 5));
    }
    format!(
        "checkout refused: switching to {} would overwrite {}; move {} away first, nothing was changed",
        target.describe(),
        names.join(", "),
        if blocked.len() == 1 { "it" } else { "them" }
    )
}

/// What a git child process did.
#[derive(Debug, Clone)]
pub struct GitRun {
    pub success: bool,
    pub timed_out: bool,
    pub stdout: String,
    pub stderr: String,
}

impl GitRun {
    /// The line that says why git failed, for one-line reports: a refused ref of `push
    /// --porcelain` (`rejected (fetch first)`), else the first `error:`/`fatal:` line, else the
    /// last line; never a `hint:`.
    pub fn reason(&self) -> String {
        if self.timed_out {
            return "timed out".to_string();
        }
        // Porcelain: `!\t<from>:<to>\t[rejected] (fetch first)` for each refused ref.
        let refused = self
            .stdout
            .lines()
            .find_map(|l| l.strip_prefix("!\t"))
            .map(|rest| {
                rest.rsplit('\t')
                    .next()
                    .unwrap_or(rest)
                    .replace(['[', ']'], "")
            });
        let said = || {
            self.stderr
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with("hint:"))
        };
        let line = refused
            .or_else(|| {
                said()
                    .find(|l| l.starts_with("error:") || l.starts_with("fatal:"))
                    .map(str::to_string)
            })
            .or_else(|| said().next_back().map(str::to_string))
            .unwrap_or_else(|| "git failed without a message".to_string());
        line.trim().trim_end_matches('.').to_string()
    }
}

/// Runs the git CLI in `root`, never prompting (no terminal, no ssh password, no stdin), killed
/// with everything it started (remote helpers, ssh, hooks) after `timeout`.
pub fn run_git(root: &Path, args: &[&str], timeout: std::time::Duration) -> Result<GitRun> {
    let mut run = process::Run::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GCM_INTERACTIVE", "never")
        .env("GIT_ASKPASS", "")
        .env("SSH_ASKPASS", "")
        .timeout(timeout);
    if let Some(ssh) = batch_ssh_command(root) {
        run = run.env("GIT_SSH_COMMAND", ssh);
    }
    let done = run.run().map_err(|e| Error::Git {
        detail: match e {
            process::Failure::Start(e) => format!("cannot run git: {e}"),
            process::Failure::Wait(e) => format!("cannot wait for git: {e}"),
        },
        place: root.display().to_string(),
    })?;
    Ok(GitRun {
        success: done.success(),
        timed_out: done.timed_out,
        stdout: done.stdout_text(),
        stderr: done.stderr_text(),
    })
}

/// The `GIT_SSH_COMMAND` that makes ssh fail instead of asking for a password or a host key
/// decision (BatchMode), built on the user's own ssh command (`GIT_SSH_COMMAND`, else
/// `core.sshCommand`) when that is plainly `ssh`. `None` leaves the user's set-up alone: a
/// `GIT_SSH` program, or a wrapper that might not take ssh's options.
fn batch_ssh_command(root: &Path) -> Option<String> {
    let from_env = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
    let theirs = from_env("GIT_SSH_COMMAND").or_else(|| {
        // FROM_ENV: the same global and system files as the git we run (GIT_CONFIG_GLOBAL...).
        let flags = git2::RepositoryOpenFlags::FROM_ENV | git2::RepositoryOpenFlags::NO_SEARCH;
        let repo =
            Repository::open_ext(root, flags, std::iter::empty::<&std::ffi::OsStr>()).ok()?;
        let value = repo.config().ok()?.get_string("core.sshCommand").ok()?;
        Some(value).filter(|v| !v.trim().is_empty())
    });
    match theirs {
        Some(command) => is_plain_ssh(&command).then(|| format!("{command} -o BatchMode=yes")),
        None if from_env("GIT_SSH").is_some() => None,
        None => Some("ssh -o BatchMode=yes".to_string()),
    }
}

/// True when a shell command runs `ssh` itself (`ssh -i key`, `/usr/bin/ssh -F cfg`).
fn is_plain_ssh(command: &str) -> bool {
    command
        .split_whitespace()
        .next()
        .and_then(|program| Path::new(program).file_name())
        .is_some_and(|name| name == "ssh")
}

/// Files a WIP commit never takes: `.env`, `.env.local`... at any depth. They stay in the
/// working tree, uncommitted, so a later push cannot publish their secrets.
pub const WIP_EXCLUDE: &str = ":(exclude,glob)**/.env*";

/// What `wip_commit` did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WipCommit {
    /// The new commit; `None` when nothing was left to commit.
    pub commit: Option<String>,
    /// `.env*` files the user had staged, taken back out of the index (they stay on disk).
    pub unstaged: Vec<String>,
}

/// Commits everything but `.env*` files (`git add -A`) with `message` through the git CLI, with
/// no hooks and no signing prompt. `.env*` files already staged are unstaged first: the exclude
/// pathspec only keeps `git add` from adding them.
pub fn wip_commit(root: &Path, message: &str, timeout: std::time::Duration) -> Result<WipCommit> {
    let mut done = WipCommit::default();
    if changes(root)?.is_empty() {
        return Ok(done);
    }
    let add = run_git(root, &["add", "-A", "--", ".", WIP_EXCLUDE], timeout)?;
    if !add.success {
        return Err(Error::Git {
            detail: format!("git add -A failed: {}", add.reason()),
            place: root.display().to_string(),
        });
    }
    done.unstaged = staged_env_files(root)?;
    if !done.unstaged.is_empty() {
        let mut args = vec!["reset".to_string(), "-q".to_string(), "--".to_string()];
        args.extend(done.unstaged.iter().map(|p| format!(":(literal){p}")));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let reset = run_git(root, &args, timeout)?;
        if !reset.success {
            return Err(Error::Git {
                detail: format!(
                    "could not unstage {} before the WIP commit, nothing was committed: {}",
                    done.unstaged.join(", "),
                    reset.reason()
                ),
                place: root.display().to_string(),
            });
        }
    }
    let staged = run_git(root, &["diff", "--cached", "--quiet"], timeout)?;
    if staged.success {
        return Ok(done);
    }
    let commit = run_git(
        root,
        &[
            "-c",
            "core.hooksPath=/dev/null",
            "-c",
            "commit.gpgsign=false",
            "commit",
            "--no-verify",
            "--quiet",
            "-m",
            message,
        ],
        timeout,
    )?;
    if !commit.success {
        return Err(Error::Git {
            detail: format!("git commit failed: {}", commit.reason()),
            place: root.display().to_string(),
        });
    }
    done.commit = head_state(root).commit;
    Ok(done)
}

/// `.env*` paths whose staged state differs from HEAD (added, changed or deleted in the index).
fn staged_env_files(root: &Path) -> Result<Vec<String>> {
    let Some(repo) = open(root) else {
        return Ok(Vec::new());
    };
    let head_tree = repo.head().ok().and_then(|h| h.peel_to_tree().ok());
    let index = repo.index().map_err(git_err(root))?;
    let diff = repo
        .diff_tree_to_index(head_tree.as_ref(), Some(&index), None)
        .map_err(git_err(root))?;
    let mut paths: Vec<String> = diff
        .deltas()
        .flat_map(|d| [d.old_file().path(), d.new_file().path()])
        .flatten()
        .filter_map(|p| p.to_str())
        .filter(|p| crate::redact::is_env_file(p))
        .map(str::to_string)
        .collect();
    paths.sort();
    paths.dedup();
    Ok(paths)
}

/// What `push_current_branch` did.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum PushOutcome {
    Pushed {
        remote: String,
        branch: String,
    },
    Failed {
        remote: String,
        branch: String,
        reason: String,
    },
    /// Nothing to push from: not a repository, no branch, or no remote.
    Skipped {
        reason: String,
    },
}

/// The remote the branch pushes to: its configured remote, else `origin`, else the only one.
fn push_remote(repo: &Repository, branch: &str) -> Option<String> {
    if let Ok(config) = repo.config()
        && let Ok(remote) = config.get_string(&format!("branch.{branch}.remote"))
        && remote != "."
    {
        return Some(remote);
    }
    let remotes = repo.remotes().ok()?;
    let names: Vec<&str> = remotes.iter().filter_map(|r| r.ok().flatten()).collect();
    if names.contains(&"origin") {
        return Some("origin".to_string());
    }
    match names.as_slice() {
        [only] => Some((*only).to_string()),
        _ => None,
    }
}

/// Pushes the current branch with the git CLI (the user's credentials), never prompting. Never
/// fails: git that cannot run is a failed push, reported like one.
pub fn push_current_branch(root: &Path, timeout: std::time::Duration) -> PushOutcome {
    let skipped = |reason: String| PushOutcome::Skipped { reason };
    let Some(repo) = open(root) else {
        return skipped("not a git repository, nothing pushed".to_string());
    };
    let head = head_state(root);
    let Some(branch) = head.branch.clone().filter(|_| head.commit.is_some()) else {
        return skipped(format!(
            "not on a branch with commits ({}), nothing pushed",
            head.describe()
        ));
    };
    let Some(remote) = push_remote(&repo, &branch) else {
        return skipped("no remote to push to, nothing pushed".to_string());
    };
    let refspec = format!("refs/heads/{branch}:refs/heads/{branch}");
    match run_git(root, &["push", "--porcelain", &remote, &refspec], timeout) {
        Ok(run) if run.success => PushOutcome::Pushed { remote, branch },
        Ok(run) => PushOutcome::Failed {
            remote,
            branch,
            reason: run.reason(),
        },
        Err(e) => PushOutcome::Failed {
            remote,
            branch,
            reason: e.to_string(),
        },
    }
}

/// The URL of the remote the current branch pushes to, if any.
pub fn push_remote_url(root: &Path) -> Option<String> {
    let repo = open(root)?;
    let branch = head_state(root).branch.unwrap_or_default();
    let name = push_remote(&repo, &branch)?;
    let remote = repo.find_remote(&name).ok()?;
    remote.url().ok().map(|u| format!("{name} {u}"))
}

/// The files of the working tree, as git sees them.
#[derive(Debug, Default)]
pub struct WorktreeFiles {
    /// Tracked or untracked-not-ignored paths, relative to the root, sorted. An untracked
    /// folder git does not look into (a nested repository) is listed with a trailing `/`.
    pub files: Vec<String>,
    /// Paths whose names are not UTF-8 (shown lossily): callers report them, never drop them.
    pub not_utf8: Vec<String>,
}

/// The files of the working tree that git tracks or would add (untracked, not ignored); `None`
/// outside git. Submodules are left out; tracked files deleted from the working tree are still
/// listed (callers stat them).
pub fn worktree_files(root: &Path) -> Result<Option<WorktreeFiles>> {
    let Some(repo) = open(root) else {
        return Ok(None);
    };
    let mut out = std::collections::BTreeSet::new();
    let mut not_utf8 = std::collections::BTreeSet::new();
    let index = repo.index().map_err(git_err(root))?;
    for entry in index.iter() {
        // 0o160000 is a gitlink: a submodule's folder, not a file.
        if entry.mode & 0o170000 == 0o160000 {
            continue;
        }
        match String::from_utf8(entry.path) {
            Ok(path) => out.insert(path),
            Err(e) => not_utf8.insert(String::from_utf8_lossy(e.as_bytes()).into_owned()),
        };
    }
    let mut options = StatusOptions::new();
    options
        .show(git2::StatusShow::Workdir)
        .include_untracked(true)
        .recurse_untracked_dirs(true)
        .include_ignored(false)
        .exclude_submodules(true);
    let statuses = repo.statuses(Some(&mut options)).map_err(git_err(root))?;
    for entry in statuses.iter() {
        if !entry.status().is_wt_new() {
            continue;
        }
        match entry.path() {
            Ok(path) => out.insert(path.to_string()),
            Err(_) => not_utf8.insert(String::from_utf8_lossy(entry.path_bytes()).into_owned()),
        };
    }
    Ok(Some(WorktreeFiles {
        files: out.into_iter().collect(),
        not_utf8: not_utf8.into_iter().collect(),
    }))
}
