//! What every front end hands to the verbs: the state layout, settings (loaded on first use),
//! the directory a command acts from, the clock and the lock waits. One type for the CLI, the
//! hooks and any later front end.

use crate::clock;
use crate::config::Config;
use crate::error::{IoContext, Result};
use crate::paths::{self, Layout, Project};
use jiff::Timestamp;
use std::cell::OnceCell;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub struct Env {
    pub layout: Layout,
    config: OnceCell<Config>,
    /// The directory the command acts from (`--project`, else the current directory).
    pub cwd: PathBuf,
    /// The command being run (`pause`, `end`…), for messages that tell the exact command to
    /// type; empty outside the CLI.
    pub command: String,
}

impl Env {
    /// For a command: a broken config.toml is an error the user must see.
    pub fn for_command(project_dir: Option<&Path>) -> Result<Env> {
        let layout = Layout::from_env()?;
        let config = Config::load(&layout)?;
        let cwd = match project_dir {
            Some(dir) => dir.to_path_buf(),
            None => std::env::current_dir().at("read the current directory", ".")?,
        };
        let cwd = cwd.canonicalize().at("open the directory", &cwd)?;
        if !cwd.is_dir() {
            return Err(crate::Error::invalid(
                "not a directory; --project takes the project's folder",
                cwd.display(),
            ));
        }
        Ok(Env {
            layout,
            config: OnceCell::from(config),
            cwd,
            command: String::new(),
        })
    }

    /// For a hook: settings are read only when a handler asks, and a broken config.toml never
    /// stops a hook (defaults then). Hooks take their directory from the payload.
    pub fn for_hook(layout: Layout) -> Env {
        Env {
            layout,
            config: OnceCell::new(),
            cwd: PathBuf::from("."),
            command: String::new(),
        }
    }

    /// The same state and settings, acting from another directory.
    pub fn at(&self, cwd: &Path) -> Env {
        Env {
            layout: self.layout.clone(),
            config: OnceCell::from(self.config().clone()),
            cwd: cwd.to_path_buf(),
            command: self.command.clone(),
        }
    }

    pub fn config(&self) -> &Config {
        self.config.get_or_init(|| {
            Config::load(&self.layout)
                .unwrap_or_else(|_| Config::defaults(self.layout.config_file()))
        })
    }

    pub fn project(&self) -> Result<Project> {
        Project::discover(&self.layout, &self.cwd)
    }

    pub fn now(&self) -> Result<Timestamp> {
        clock::now()
    }

    /// How long a command waits for a busy state file.
    pub fn wait(&self) -> Duration {
        self.config().lock_wait()
    }

    /// The bounded lock wait of hooks (`locks.hook_wait_ms`, at most 200 ms).
    pub fn hook_wait(&self) -> Duration {
        self.config().hook_lock_wait()
    }

    /// An absolute path for a path the user typed, relative to the working directory.
    pub fn absolute(&self, path: &Path) -> PathBuf {
        paths::normalize(&self.cwd.join(path))
    }
}
