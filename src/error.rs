//! The library's error type. Every message is one line: what went wrong, then where.

use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{action} failed: {source} ({})", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{detail} ({})", path.display())]
    Corrupt { path: PathBuf, detail: String },
    #[error("busy: another claude-session process holds the lock, try again ({})", path.display())]
    Busy { path: PathBuf },
    #[error("session not found; see `claude-session list --all` ({0})")]
    SessionNotFound(String),
    #[error("ambiguous session id, it matches: {candidates} ({prefix})")]
    AmbiguousSession { prefix: String, candidates: String },
    #[error("{what} ({place})")]
    Invalid { what: String, place: String },
    #[error("git: {detail} ({place})")]
    Git { detail: String, place: String },
    /// Already shown to the user (as a `--json` error document); only the exit status is left.
    #[error("{0}")]
    Reported(Box<Error>),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The message on one line, whatever it quotes: control characters (a newline in a file or
    /// archive entry name) are shown escaped, so nobody can forge a line of our output.
    pub fn one_line(&self) -> String {
        let mut out = String::new();
        for c in self.to_string().chars() {
            if c.is_control() {
                out.extend(c.escape_debug());
            } else {
                out.push(c);
            }
        }
        out
    }

    pub fn io(action: &'static str, path: impl AsRef<Path>, source: std::io::Error) -> Self {
        Error::Io {
            action,
            path: path.as_ref().to_path_buf(),
            source,
        }
    }

    pub fn invalid(what: impl Into<String>, place: impl std::fmt::Display) -> Self {
        Error::Invalid {
            what: what.into(),
            place: place.to_string(),
        }
    }

    pub fn corrupt(path: impl AsRef<Path>, detail: impl Into<String>) -> Self {
        Error::Corrupt {
            path: path.as_ref().to_path_buf(),
            detail: detail.into(),
        }
    }
}

/// Adds the failing path to an `io::Result`.
pub trait IoContext<T> {
    fn at(self, action: &'static str, path: impl AsRef<Path>) -> Result<T>;
}

impl<T> IoContext<T> for std::io::Result<T> {
    fn at(self, action: &'static str, path: impl AsRef<Path>) -> Result<T> {
        self.map_err(|source| Error::io(action, path, source))
    }
}
