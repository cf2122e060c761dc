//! Where things live: the state root, a project's folder and its layout.
//! Pure path arithmetic and read-only probing; nothing here writes.

use crate::error::{Error, IoContext, Result};
use std::path::{Path, PathBuf};

pub const HOME_ENV: &str = "CLAUDE_SESSION_HOME";
pub const CONFIG_DIR_ENV: &str = "CLAUDE_CONFIG_DIR";
/// Our own folder under the root; Claude Code owns `sessions/` and `projects/` beside it.
pub const APP_DIR: &str = "claude-session";

/// Claude Code's own folder: `$CLAUDE_CONFIG_DIR`, else `~/.claude` (our state root may differ).
pub fn claude_config_dir() -> Result<PathBuf> {
    if let Some(dir) = std::env::var_os(CONFIG_DIR_ENV).filter(|v| !v.is_empty()) {
        let dir = PathBuf::from(dir);
        if !dir.is_absolute() {
            return Err(Error::invalid(
                "CLAUDE_CONFIG_DIR must be an absolute path",
                dir.display(),
            ));
        }
        return Ok(dir);
    }
    let home = dirs::home_dir()
        .ok_or_else(|| Error::invalid("cannot find the home directory", "$HOME"))?;
    Ok(home.join(".claude"))
}

/// The state root and the fixed files directly under it.
#[derive(Debug, Clone)]
pub struct Layout {
    pub root: PathBuf,
}

impl Layout {
    /// `$CLAUDE_SESSION_HOME`, else `$CLAUDE_CONFIG_DIR`, else `~/.claude`; must be absolute.
    pub fn from_env() -> Result<Layout> {
        let chosen = [HOME_ENV, CONFIG_DIR_ENV].iter().find_map(|name| {
            std::env::var_os(name)
                .filter(|v| !v.is_empty())
                .map(|v| (*name, PathBuf::from(v)))
        });
        let (source, root) = match chosen {
            Some(found) => found,
            None => {
                let home = dirs::home_dir().ok_or_else(|| {
                    Error::invalid(
                        "cannot find the home directory; set CLAUDE_SESSION_HOME",
                        "$HOME",
                    )
                })?;
                ("$HOME", home.join(".claude"))
            }
        };
        if !root.is_absolute() {
            return Err(Error::invalid(
                "the state root must be an absolute path",
                format!("{source}={}", root.display()),
            ));
        }
        Ok(Layout { root })
    }

    pub fn app_dir(&self) -> PathBuf {
        self.root.join(APP_DIR)
    }
    pub fn pause_state(&self) -> PathBuf {
        self.root.join("pause-state.json")
    }
    pub fn remind_state(&self) -> PathBuf {
        self.root.join("remind-state.json")
    }
    pub fn contexts_dir(&self) -> PathBuf {
        self.root.join("contexts")
    }
    /// One empty file per Claude Code conversation that was told where Claude Code's own
    /// conversation picker went (our /resume hides it).
    pub fn picker_hints_dir(&self) -> PathBuf {
        self.app_dir().join("picker-hints")
    }
    pub fn config_file(&self) -> PathBuf {
        self.app_dir().join("config.toml")
    }
    pub fn logs_dir(&self) -> PathBuf {
        self.app_dir().join("logs")
    }
    pub fn hooks_log(&self) -> PathBuf {
        self.logs_dir().join("hooks.log")
    }
    pub fn projects_dir(&self) -> PathBuf {
        self.app_dir().join("projects")
    }
    pub fn handoff_dir(&self, slug: &str) -> PathBuf {
        self.app_dir().join("handoff").join(slug)
    }
}

/// A project: the git top-level of a working directory, or the directory itself outside git.
#[derive(Debug, Clone)]
pub struct Project {
    pub path: PathBuf,
    pub name: String,
    pub slug: String,
    pub dir: PathBuf,
    pub in_git: bool,
}

impl Project {
    /// Finds the project that holds `cwd` without running git: the nearest ancestor with a `.git` entry.
    pub fn discover(layout: &Layout, cwd: &Path) -> Result<Project> {
        let absolute = cwd.canonicalize().at("open the working directory", cwd)?;
        // A file is never a project (a hook payload's `cwd` may name anything).
        if !absolute.is_dir() {
            return Err(crate::Error::invalid(
                "not a directory, so not a project",
                absolute.display(),
            ));
        }
        let top = git_top_level(&absolute);
        let in_git = top.is_some();
        Ok(Project::at(layout, top.unwrap_or(absolute), in_git))
    }

    pub fn at(layout: &Layout, path: PathBuf, in_git: bool) -> Project {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| "root".to_string());
        let slug = project_slug(&path, &name);
        let dir = layout.projects_dir().join(&slug);
        Project {
            path,
            name,
            slug,
            dir,
            in_git,
        }
    }

    pub fn project_json(&self) -> PathBuf {
        self.dir.join("project.json")
    }
    pub fn sessions_active(&self) -> PathBuf {
        self.dir.join("sessions").join("active")
    }
    pub fn sessions_archive(&self) -> PathBuf {
        self.dir.join("sessions").join("archive")
    }
    pub fn backups_sessions(&self) -> PathBuf {
        self.dir.join("backups").join("sessions")
    }
    pub fn backups_daily(&self) -> PathBuf {
        self.dir.join("backups").join("daily")
    }
    pub fn backups_milestones(&self) -> PathBuf {
        self.dir.join("backups").join("milestones")
    }
    pub fn summaries_dir(&self) -> PathBuf {
        self.dir.join("session-summaries")
    }
    /// One file per Claude Code session id, naming the session it is bound to.
    pub fn bindings_dir(&self) -> PathBuf {
        self.dir.join("bindings")
    }
    /// One empty file per forked Claude Code session that still looks for its parent's session.
    pub fn forks_dir(&self) -> PathBuf {
        self.dir.join("forks")
    }
    /// Events of Claude Code sessions that no session could take yet.
    pub fn inbox_dir(&self) -> PathBuf {
        self.dir.join("inbox")
    }
    /// The lock that serialises creating, ending and moving sessions of this project.
    pub fn sessions_lock_target(&self) -> PathBuf {
        self.dir.join("sessions")
    }

    /// The folders every project has.
    pub fn layout_dirs(&self) -> Vec<PathBuf> {
        vec![
            self.sessions_active(),
            self.sessions_archive(),
            self.backups_sessions(),
            self.backups_daily(),
            self.backups_milestones(),
            self.summaries_dir(),
        ]
    }

    /// Renders `path` relative to the project root when inside it, else absolute.
    pub fn relative(&self, path: &Path) -> String {
        let absolute = if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.path.join(path)
        };
        let absolute = normalize(&absolute);
        if let Some(rel) = self.strip_root(&absolute) {
            return rel;
        }
        // The root is canonical; a path through a symlink may still lie inside it.
        self.strip_root(&resolve_existing(&absolute))
            .unwrap_or_else(|| absolute.to_string_lossy().into_owned())
    }

    fn strip_root(&self, absolute: &Path) -> Option<String> {
        match absolute.strip_prefix(&self.path) {
            Ok(rel) if !rel.as_os_str().is_empty() => Some(rel.to_string_lossy().into_owned()),
            _ => None,
        }
    }
}

/// `<dir name>-<first 8 hex of blake3(absolute path)>`.
pub fn project_slug(path: &Path, name: &str) -> String {
    let hash = blake3::hash(path.as_os_str().as_encoded_bytes());
    format!("{name}-{}", &hash.to_hex()[..8])
}

/// The nearest ancestor (or self) holding `.git` (a folder, or a file for worktrees and submodules).
pub fn git_top_level(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| dir.join(".git").exists())
        .map(Path::to_path_buf)
}

/// Removes `.` and resolves `..` lexically, so hook paths compare with the project root.
pub fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// `path` with symlinks resolved as far as it exists: the deepest existing ancestor is made
/// canonical and the rest (files not created yet, or deleted) is joined back lexically.
pub fn resolve_existing(path: &Path) -> PathBuf {
    let path = normalize(path);
    path.ancestors()
        .find_map(|dir| {
            let rest = path.strip_prefix(dir).ok()?;
            dir.canonicalize().ok().map(|real| real.join(rest))
        })
        .unwrap_or(path)
}

/// True when `candidate` lies inside `root` (lexically).
pub fn is_inside(candidate: &Path, root: &Path) -> bool {
    normalize(candidate).starts_with(normalize(root))
}

#[cfg(test)]
#[allow(clippy::disallowed_methods)] // tests arrange their fixtures directly
mod tests {
    use super::*;

    #[test]
    fn paths_are_relative_to_the_root_even_through_symlinks() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().canonicalize().unwrap().join("proj");
        std::fs::create_dir_all(root.join("src")).unwrap();
        let link = tmp.path().canonicalize().unwrap().join("link");
        std::os::unix::fs::symlink(&root, &link).unwrap();
        let layout = Layout {
            root: tmp.path().join("state"),
        };
        let project = Project::at(&layout, root.clone(), true);
        assert_eq!(project.relative(&root.join("src/a.rs")), "src/a.rs");
        assert_eq!(project.relative(&root.join("src/../b.rs")), "b.rs");
        assert_eq!(project.relative(&link.join("src/a.rs")), "src/a.rs");
        assert_eq!(project.relative(Path::new("/elsewhere/x")), "/elsewhere/x");
    }
}
