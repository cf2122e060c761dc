//! `checkpoint` and `checkpoints`: a checkpoint of the session's files (by hand, or the
//! automatic one when it is due), and a session's checkpoints.

use crate::archive::Skipped;
use crate::env::Env;
use crate::error::{Error, Result};
use crate::paths::Project;
use crate::registry::{self, Workspace};
use crate::snapshot::{self, Kind, Manifest, Request, Selection, Taken};
use crate::{progress, redact, store};
use jiff::Timestamp;
use serde::Serialize;
use std::path::PathBuf;
use std::time::Duration;

/// The description of a checkpoint taken without one.
pub const DEFAULT_DESCRIPTION: &str = "Checkpoint";

#[derive(Debug, Clone)]
pub struct CheckpointRequest {
    /// What the checkpoint marks; empty: [`DEFAULT_DESCRIPTION`].
    pub description: String,
    /// Snapshot these files or folders (relative to the environment's directory, or absolute)
    /// instead of the default set; empty: the default set.
    pub files: Vec<PathBuf>,
    /// Session id or unique prefix; `None`: the project's open session.
    pub session: Option<String>,
}

/// One checkpoint as listings show it.
#[derive(Debug, Clone, Serialize)]
pub struct CheckpointInfo {
    pub id: String,
    pub created_at: Timestamp,
    /// `YYYY-MM-DD HH:MM:SS`, local time.
    pub time: String,
    pub description: String,
    pub kind: Kind,
    /// Number of files held.
    pub files: usize,
    /// Number of paths recorded as deleted.
    pub deleted: usize,
    /// Bytes of all files held.
    pub bytes: u64,
    /// Bytes this checkpoint added on disk (the rest are hard links to earlier copies).
    pub new_bytes: u64,
    /// The checkpoint's folder.
    pub path: String,
}

impl CheckpointInfo {
    fn of(ws: &Workspace, m: &Manifest) -> CheckpointInfo {
        CheckpointInfo {
            id: m.id.clone(),
            created_at: m.created_at,
            time: m.created_at_local(),
            description: m.description.clone(),
            kind: m.kind,
            files: m.files.len(),
            deleted: m.deleted.len(),
            bytes: m.total_bytes,
            new_bytes: m.new_bytes,
            path: path_string(snapshot::checkpoint_dir(ws, &m.id)),
        }
    }
}

/// A checkpoint just taken.
#[derive(Debug, Clone, Serialize)]
pub struct CheckpointOutcome {
    pub session_id: String,
    #[serde(flatten)]
    pub checkpoint: CheckpointInfo,
    /// Files written to disk (not hard links to earlier copies).
    pub new_files: u64,
    /// The files held, relative to the project.
    pub file_paths: Vec<String>,
    /// Paths that were gone, relative to the project.
    pub deleted_paths: Vec<String>,
    /// Files that could not be copied, with why.
    pub skipped: Vec<Skipped>,
    /// The session's artifacts outside the project (absolute paths), not copied, with why.
    pub not_copied: Vec<Skipped>,
    /// The `.env` files copied (relative to the project): the checkpoint holds secrets.
    pub env_files: Vec<String>,
}

/// Why a session's artifact outside the project is not in its checkpoint.
pub const OUTSIDE_REASON: &str = "outside the project; a checkpoint holds the project's files only";

impl CheckpointOutcome {
    fn of(ws: &Workspace, taken: &Taken) -> CheckpointOutcome {
        let m = &taken.manifest;
        let mut checkpoint = CheckpointInfo::of(ws, m);
        checkpoint.path = path_string(taken.dir.clone());
        CheckpointOutcome {
            session_id: ws.id.clone(),
            checkpoint,
            new_files: m.new_files,
            file_paths: m.files.iter().map(|f| f.path.clone()).collect(),
            deleted_paths: m.deleted.clone(),
            skipped: m.skipped.clone(),
            not_copied: m
                .outside_project
                .iter()
                .map(|path| Skipped {
                    path: path.clone(),
                    reason: OUTSIDE_REASON.to_string(),
                })
                .collect(),
            env_files: env_files(m.files.iter().map(|f| f.path.as_str())),
        }
    }
}

pub fn checkpoint(env: &Env, request: &CheckpointRequest) -> Result<CheckpointOutcome> {
    let project = env.project()?;
    let ws = super::pick::open(env, &project, request.session.as_deref())?;
    if ws.archived {
        return Err(Error::invalid(
            "the session has ended; checkpoints belong to open sessions",
            &ws.id,
        ));
    }
    let selection = if request.files.is_empty() {
        Selection::Default
    } else {
        Selection::Paths(named_files(env, &project, &request.files)?)
    };
    let description = request.description.trim();
    let snapshot_request = Request {
        description: if description.is_empty() {
            DEFAULT_DESCRIPTION.to_string()
        } else {
            description.to_string()
        },
        kind: Kind::Manual,
        selection,
    };
    let bar = progress::bar(0, "checkpoint");
    let taken = snapshot::take(env, &project, &ws, &snapshot_request, &bar)?;
    bar.finish_and_clear();
    Ok(CheckpointOutcome::of(&ws, &taken))
}

/// `files` as paths relative to the project; each must exist and lie inside the project.
fn named_files(env: &Env, project: &Project, files: &[PathBuf]) -> Result<Vec<String>> {
    let scope = snapshot::Scope::new(env, project);
    let mut out = Vec::new();
    for file in files {
        let absolute = env.absolute(file);
        let relative = scope.relative_of(&absolute).ok_or_else(|| {
            Error::invalid("the file is not inside the project", absolute.display())
        })?;
        if std::fs::symlink_metadata(&absolute).is_err() {
            return Err(Error::invalid("no such file", absolute.display()));
        }
        if !scope.allows(&relative) {
            return Err(Error::invalid(
                "checkpoints never hold .git or claude-session's own state",
                absolute.display(),
            ));
        }
        out.push(relative);
    }
    Ok(out)
}

#[derive(Debug, Clone)]
pub struct AutoCheckpointRequest {
    /// Session id or unique prefix; `None`: the project's only open session.
    pub session: Option<String>,
}

/// Why the automatic checkpoint made none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AutoSkip {
    /// `checkpoints.auto_minutes` is 0 or less.
    Disabled,
    /// No state for this project, no such session, or not exactly one open session.
    NoSession,
    /// The session has ended.
    Ended,
    /// Another automatic checkpoint of the session is running.
    Busy,
    /// Too early, or nothing happened since the last checkpoint.
    NotDue,
}

#[derive(Debug, Clone, Serialize)]
pub struct AutoCheckpointOutcome {
    /// Whether a checkpoint was made.
    pub made: bool,
    /// Why not, when none was made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skipped: Option<AutoSkip>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub checkpoint: Option<CheckpointOutcome>,
}

impl AutoCheckpointOutcome {
    fn skipped(why: AutoSkip) -> Result<AutoCheckpointOutcome> {
        Ok(AutoCheckpointOutcome {
            made: false,
            skipped: Some(why),
            checkpoint: None,
        })
    }
}

/// The minutes of activity after which an automatic checkpoint is due (0 or less: never).
pub fn auto_minutes(env: &Env) -> i64 {
    i64::from(env.config().checkpoints.auto_minutes)
}

/// Whether an automatic checkpoint of the session is due now (see
/// [`snapshot::auto_checkpoint_due`]); folds the journal first.
pub fn auto_due(env: &Env, ws: &Workspace) -> Result<bool> {
    let doc = registry::load(ws, env.wait())?;
    Ok(snapshot::auto_checkpoint_due(
        &doc,
        env.now()?,
        auto_minutes(env),
    ))
}

/// The automatic checkpoint: only for an active session, when `checkpoints.auto_minutes` have
/// passed since its last checkpoint (or its start) and something happened since. Anything else
/// makes none and is no error, so the hook that spawns this never has to care.
pub fn auto_checkpoint(
    env: &Env,
    request: &AutoCheckpointRequest,
) -> Result<AutoCheckpointOutcome> {
    let minutes = auto_minutes(env);
    if minutes <= 0 {
        return AutoCheckpointOutcome::skipped(AutoSkip::Disabled);
    }
    let project = env.project()?;
    if !project.dir.exists() {
        return AutoCheckpointOutcome::skipped(AutoSkip::NoSession);
    }
    let ws = match &request.session {
        Some(id) => match registry::resolve(&project, id) {
            Ok(ws) => ws,
            Err(Error::SessionNotFound(_)) => {
                return AutoCheckpointOutcome::skipped(AutoSkip::NoSession);
            }
            Err(e) => return Err(e),
        },
        None => match registry::open_sessions(&project, env.wait())?.as_slice() {
            [(ws, _)] => ws.clone(),
            _ => return AutoCheckpointOutcome::skipped(AutoSkip::NoSession),
        },
    };
    if ws.archived {
        return AutoCheckpointOutcome::skipped(AutoSkip::Ended);
    }
    // One automatic checkpoint at a time: a second hook firing meanwhile just leaves.
    let _guard = match store::lock(&ws.dir.join("auto-checkpoint"), Duration::ZERO) {
        Ok(guard) => guard,
        Err(Error::Busy { .. }) => return AutoCheckpointOutcome::skipped(AutoSkip::Busy),
        Err(e) => return Err(e),
    };
    if !auto_due(env, &ws)? {
        return AutoCheckpointOutcome::skipped(AutoSkip::NotDue);
    }
    let snapshot_request = Request {
        description: format!("Automatic checkpoint ({minutes} min)"),
        kind: Kind::Auto,
        selection: Selection::Default,
    };
    let taken = snapshot::take(env, &project, &ws, &snapshot_request, &progress::none())?;
    Ok(AutoCheckpointOutcome {
        made: true,
        skipped: None,
        checkpoint: Some(CheckpointOutcome::of(&ws, &taken)),
    })
}

#[derive(Debug, Clone)]
pub struct CheckpointsRequest {
    /// Session id or unique prefix; `None`: the project's open session.
    pub session: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckpointsOutcome {
    /// The session's id.
    pub session: String,
    /// Oldest first.
    pub checkpoints: Vec<CheckpointInfo>,
}

/// A session's finished checkpoints.
pub fn list(env: &Env, request: &CheckpointsRequest) -> Result<CheckpointsOutcome> {
    let project = env.project()?;
    let ws = super::pick::open(env, &project, request.session.as_deref())?;
    let checkpoints = snapshot::history(&ws)?
        .iter()
        .map(|m| CheckpointInfo::of(&ws, m))
        .collect();
    Ok(CheckpointsOutcome {
        session: ws.id,
        checkpoints,
    })
}

/// The `.env` files among `paths` (see [`redact::is_env_file`]): copied like any other file,
/// since a checkpoint or backup must be complete, but said so.
pub fn env_files<'a>(paths: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    paths
        .into_iter()
        .filter(|p| redact::is_env_file(p))
        .map(str::to_string)
        .collect()
}

fn path_string(path: PathBuf) -> String {
    path.to_string_lossy().into_owned()
}
