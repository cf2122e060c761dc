//! What every command needs: the state root, settings, the working directory and the clock.

use crate::clock;
use crate::config::Config;
use crate::error::{IoContext, Result};
use crate::paths::{self, Layout, Project};
use jiff::Timestamp;
use std::path::{Path, PathBuf};
use std::time::Duration;

pub struct Context {
    pub layout: Layout,
    pub config: Config,
    /// The directory the command acts from (`--project`, else the current directory).
    pub cwd: PathBuf,
}

impl Context {
    pub fn new(project_dir: Option<&Path>) -> Result<Context> {
        let layout = Layout::from_env()?;
        let config = Config::load(&layout)?;
        let cwd = match project_dir {
            Some(dir) => dir.to_path_buf(),
            None => std::env::current_dir().at("read the current directory", ".")?,
        };
        let cwd = cwd.canonicalize().at("open the directory", &cwd)?;
        Ok(Context {
            layout,
            config,
            cwd,
        })
    }

    pub fn project(&self) -> Result<Project> {
        Project::discover(&self.layout, &self.cwd)
    }

    pub fn now(&self) -> Result<Timestamp> {
        clock::now()
    }

    pub fn wait(&self) -> Duration {
        self.config.lock_wait()
    }

    /// An absolute path for a path the user typed, relative to the working directory.
    pub fn absolute(&self, path: &Path) -> PathBuf {
        paths::normalize(&self.cwd.join(path))
    }
}
