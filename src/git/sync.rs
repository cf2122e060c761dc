//! Sync plumbing: session records committed with git2 into a private ref namespace
//! (`refs/claude-session/<machine>/<session>`), never touching the working tree, the index or
//! HEAD; pushed and fetched with the git CLI (the user's credentials, never prompting).

use super::{git_err, open, run_git};
use crate::error::{Error, Result};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

/// Our refs: one per machine and session.
pub const LOCAL_NS: &str = "refs/claude-session/";

/// Where `fetch` puts a remote's refs of ours.
pub fn tracking_ns(remote: &str) -> String {
    format!("refs/claude-session-remote/{remote}/")
}

/// True when the repository at `root` has a remote called `name`.
pub fn has_remote(root: &Path, name: &str) -> bool {
    open(root).is_some_and(|repo| repo.find_remote(name).is_ok())
}

enum Node {
    File(Vec<u8>),
    Dir(BTreeMap<String, Node>),
}

fn insert(tree: &mut BTreeMap<String, Node>, path: &str, bytes: &[u8]) {
    match path.split_once('/') {
        Some((dir, rest)) => {
            let node = tree
                .entry(dir.to_string())
                .or_insert_with(|| Node::Dir(BTreeMap::new()));
            if let Node::Dir(children) = node {
                insert(children, rest, bytes);
            }
        }
        None => {
            tree.insert(path.to_string(), Node::File(bytes.to_vec()));
        }
    }
}

fn write_tree(
    repo: &git2::Repository,
    root: &Path,
    tree: &BTreeMap<String, Node>,
) -> Result<git2::Oid> {
    let mut builder = repo.treebuilder(None).map_err(git_err(root))?;
    for (name, node) in tree {
        let (oid, mode) = match node {
            Node::File(bytes) => (repo.blob(bytes).map_err(git_err(root))?, 0o100644),
            Node::Dir(children) => (write_tree(repo, root, children)?, 0o040000),
        };
        builder.insert(name, oid, mode).map_err(git_err(root))?;
    }
    builder.write().map_err(git_err(root))
}

/// What [`commit_record`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Committed {
    pub commit: String,
    /// False when the files were the same as the ref's last commit (no new commit).
    pub new: bool,
}

/// Commits `files` (path within the tree → bytes) onto `refname`, its previous commit as the
/// parent. The objects are written first, then the ref moves in one compare-and-swap, so a kill
/// leaves the old ref (and unreferenced objects git collects) or the new one.
pub fn commit_record(
    root: &Path,
    refname: &str,
    files: &[(String, Vec<u8>)],
    message: &str,
    seconds: i64,
) -> Result<Committed> {
    let repo = open(root).ok_or_else(|| Error::Git {
        detail: "not a git repository".to_string(),
        place: root.display().to_string(),
    })?;
    let mut tree = BTreeMap::new();
    for (path, bytes) in files {
        insert(&mut tree, path, bytes);
    }
    let tree_id = write_tree(&repo, root, &tree)?;
    let tree = repo.find_tree(tree_id).map_err(git_err(root))?;
    let parent = repo
        .refname_to_id(refname)
        .ok()
        .and_then(|oid| repo.find_commit(oid).ok());
    if let Some(parent) = &parent
        && parent.tree_id() == tree_id
    {
        return Ok(Committed {
            commit: parent.id().to_string(),
            new: false,
        });
    }
    let sig = git2::Signature::new(
        "claude-session",
        "claude-session@localhost",
        &git2::Time::new(seconds, 0),
    )
    .map_err(git_err(root))?;
    let parents: Vec<&git2::Commit> = parent.iter().collect();
    let oid = repo
        .commit(None, &sig, &sig, message, &tree, &parents)
        .map_err(git_err(root))?;
    match &parent {
        Some(p) => repo.reference_matching(refname, oid, true, p.id(), message),
        None => repo.reference(refname, oid, false, message),
    }
    .map_err(git_err(root))?;
    Ok(Committed {
        commit: oid.to_string(),
        new: true,
    })
}

/// Refs under `prefix` (e.g. [`LOCAL_NS`]) and their commits, sorted by name.
pub fn list_refs(root: &Path, prefix: &str) -> Vec<(String, String)> {
    let Some(repo) = open(root) else {
        return Vec::new();
    };
    let Ok(refs) = repo.references_glob(&format!("{prefix}*")) else {
        return Vec::new();
    };
    let mut out: Vec<(String, String)> = refs
        .flatten()
        .filter_map(|r| Some((r.name().ok()?.to_string(), r.target()?.to_string())))
        .collect();
    out.sort();
    out
}

/// Sets `refname` to `commit` (the remote-tracking ref after a push that moved the remote's).
pub fn set_ref(root: &Path, refname: &str, commit: &str) -> Result<()> {
    let repo = open(root).ok_or_else(|| Error::Git {
        detail: "not a git repository".to_string(),
        place: root.display().to_string(),
    })?;
    let oid = git2::Oid::from_str(commit).map_err(git_err(root))?;
    repo.reference(refname, oid, true, "claude-session sync push")
        .map_err(git_err(root))?;
    Ok(())
}

/// The files of a commit's tree, path → bytes (folders walked).
pub fn commit_files(root: &Path, commit: &str) -> Result<Vec<(String, Vec<u8>)>> {
    let repo = open(root).ok_or_else(|| Error::Git {
        detail: "not a git repository".to_string(),
        place: root.display().to_string(),
    })?;
    let oid = git2::Oid::from_str(commit).map_err(git_err(root))?;
    let tree = repo
        .find_commit(oid)
        .and_then(|c| c.tree())
        .map_err(git_err(root))?;
    let mut out = Vec::new();
    let mut failed = None;
    tree.walk(git2::TreeWalkMode::PreOrder, |dir, entry| {
        if entry.kind() == Some(git2::ObjectType::Blob)
            && let Ok(name) = entry.name()
        {
            match repo.find_blob(entry.id()) {
                Ok(blob) => out.push((format!("{dir}{name}"), blob.content().to_vec())),
                Err(e) => {
                    failed = Some(e);
                    return git2::TreeWalkResult::Abort;
                }
            }
        }
        git2::TreeWalkResult::Ok
    })
    .map_err(git_err(root))?;
    match failed {
        Some(e) => Err(git_err(root)(e)),
        None => Ok(out),
    }
}

/// One ref of a push: `None` when the remote took it, else why not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefPush {
    pub refname: String,
    pub refused: Option<String>,
}

/// Pushes `refs` to the same names on `remote`, fast-forward only (no `+`). `Err` is the one
/// line saying why nothing was pushed (remote unreachable, git missing); a ref the remote
/// refused (`deny updating a hidden ref`, non-fast-forward) comes back with its reason.
pub fn push_refs(
    root: &Path,
    remote: &str,
    refs: &[String],
    timeout: Duration,
) -> std::result::Result<Vec<RefPush>, String> {
    let specs: Vec<String> = refs.iter().map(|r| format!("{r}:{r}")).collect();
    let mut args = vec!["push", "--porcelain", remote];
    args.extend(specs.iter().map(String::as_str));
    let run = run_git(root, &args, timeout).map_err(|e| e.to_string())?;
    // Porcelain: `<flag>\t<from>:<to>\t<summary>`; `!` is a refused ref.
    let lines: BTreeMap<&str, (bool, &str)> = run
        .stdout
        .lines()
        .filter_map(|line| {
            let mut parts = line.split('\t');
            let flag = parts.next()?;
            let spec = parts.next()?;
            let summary = parts.next().unwrap_or("");
            let to = spec.split_once(':').map_or(spec, |(_, to)| to);
            Some((to, (flag == "!", summary)))
        })
        .collect();
    if lines.is_empty() {
        return Err(run.reason());
    }
    let remote_says = run
        .stderr
        .lines()
        .filter_map(|l| l.strip_prefix("remote:"))
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map(str::to_string);
    Ok(refs
        .iter()
        .map(|r| {
            let refused = match lines.get(r.as_str()) {
                Some((false, _)) => None,
                Some((true, summary)) => {
                    let mut reason = summary.replace(['[', ']'], "");
                    if let Some(said) = &remote_says
                        && !reason.contains(said.as_str())
                    {
                        reason.push_str(&format!("; the remote says: {said}"));
                    }
                    Some(reason)
                }
                None => Some(if run.success {
                    "not reported by git push".to_string()
                } else {
                    run.reason()
                }),
            };
            RefPush {
                refname: r.clone(),
                refused,
            }
        })
        .collect())
}

/// Fetches the remote's refs of ours into [`tracking_ns`]; `Err` is the one line saying why not.
pub fn fetch_refs(root: &Path, remote: &str, timeout: Duration) -> std::result::Result<(), String> {
    let spec = format!("+{LOCAL_NS}*:{}*", tracking_ns(remote));
    let run = run_git(
        root,
        &[
            "fetch",
            "--quiet",
            "--no-tags",
            "--no-write-fetch-head",
            remote,
            &spec,
        ],
        timeout,
    )
    .map_err(|e| e.to_string())?;
    if run.success {
        Ok(())
    } else {
        Err(run.reason())
    }
}
