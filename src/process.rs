//! The only place that runs child processes and waits for them (`detach` starts the one that
//! outlives us). Every child gets a time limit, its own process group that is killed whole at
//! that limit (a remote helper, ssh or hook it started goes too), a closed stdin or the bytes
//! it is given (never our terminal, so it can never prompt), and its output captured or
//! discarded (never inherited).

#![allow(clippy::disallowed_methods)] // the one module that starts child processes

use std::ffi::{OsStr, OsString};
use std::io::{Read, Write};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long the output pipes are still read once the child has ended (or was killed): a process
/// that left the child's process group may hold them open, and must not hold up the caller.
const PIPE_GRACE: Duration = Duration::from_secs(2);

/// The longest pause between two looks at a running child; the first looks come sooner, so a
/// quick child is timed closely.
const MAX_POLL: Duration = Duration::from_millis(20);

/// One program to run: `Run::new("git").args([...]).timeout(...).run()`.
#[derive(Debug, Clone)]
pub struct Run {
    program: OsString,
    args: Vec<OsString>,
    dir: Option<PathBuf>,
    env: Vec<(OsString, OsString)>,
    input: Option<Vec<u8>>,
    timeout: Duration,
    capture: bool,
}

/// What a finished (or killed) child left.
#[derive(Debug, Clone)]
pub struct Finished {
    /// `None` when the child was killed at the time limit.
    pub status: Option<ExitStatus>,
    pub timed_out: bool,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    /// From the start to the end of the child (or its kill).
    pub elapsed: Duration,
}

impl Finished {
    /// Exited with status 0 within the time limit.
    pub fn success(&self) -> bool {
        self.status.is_some_and(|s| s.success())
    }

    /// `exit status: 1`, `signal: 9 (SIGKILL)`, or `timed out`.
    pub fn status_text(&self) -> String {
        match self.status {
            Some(status) => status.to_string(),
            None => "timed out".to_string(),
        }
    }

    pub fn stdout_text(&self) -> String {
        String::from_utf8_lossy(&self.stdout).into_owned()
    }

    pub fn stderr_text(&self) -> String {
        String::from_utf8_lossy(&self.stderr).into_owned()
    }
}

/// Why a child could not be run at all.
#[derive(Debug)]
pub enum Failure {
    /// The program did not start (not found, not executable...).
    Start(std::io::Error),
    /// It started, but waiting for it failed (it was killed).
    Wait(std::io::Error),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Start(e) => write!(f, "cannot start: {e}"),
            Failure::Wait(e) => write!(f, "cannot wait: {e}"),
        }
    }
}

impl std::error::Error for Failure {}

impl Run {
    /// `program` (a path, or a name looked up in PATH), with a time limit of one minute until
    /// [`Run::timeout`] says otherwise.
    pub fn new(program: impl AsRef<OsStr>) -> Run {
        Run {
            program: program.as_ref().to_os_string(),
            args: Vec::new(),
            dir: None,
            env: Vec::new(),
            input: None,
            timeout: Duration::from_secs(60),
            capture: true,
        }
    }

    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Run {
        self.args.push(arg.as_ref().to_os_string());
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_os_string()));
        self
    }

    /// The directory the child starts in (default: ours).
    pub fn current_dir(mut self, dir: impl AsRef<Path>) -> Run {
        self.dir = Some(dir.as_ref().to_path_buf());
        self
    }

    /// One environment variable set for the child (the rest is inherited).
    pub fn env(mut self, name: impl AsRef<OsStr>, value: impl AsRef<OsStr>) -> Run {
        self.env
            .push((name.as_ref().to_os_string(), value.as_ref().to_os_string()));
        self
    }

    /// Bytes for the child's stdin, which is closed after them (default: closed at once).
    pub fn stdin(mut self, bytes: impl Into<Vec<u8>>) -> Run {
        self.input = Some(bytes.into());
        self
    }

    /// When the child and its process group are killed.
    pub fn timeout(mut self, timeout: Duration) -> Run {
        self.timeout = timeout;
        self
    }

    /// Send the child's stdout and stderr nowhere instead of capturing them: for a program that
    /// leaves a background process behind (a clipboard tool serving the selection), whose
    /// inherited pipes would otherwise keep us reading.
    pub fn discard_output(mut self) -> Run {
        self.capture = false;
        self
    }

    /// Runs the child to its end or its time limit. `Err` only when it could not be run; a
    /// failure exit or a timeout is a [`Finished`] that says so.
    pub fn run(&self) -> Result<Finished, Failure> {
        let output = || {
            if self.capture {
                Stdio::piped()
            } else {
                Stdio::null()
            }
        };
        let mut command = Command::new(&self.program);
        command
            .args(&self.args)
            .stdin(if self.input.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(output())
            .stderr(output())
            // Its own process group, so that a timeout kills the child's children too.
            .process_group(0);
        if let Some(dir) = &self.dir {
            command.current_dir(dir);
        }
        for (name, value) in &self.env {
            command.env(name, value);
        }
        let started = Instant::now();
        let mut child = command.spawn().map_err(Failure::Start)?;
        // Readers and the writer on threads: a child filling a pipe, or not reading its input,
        // must never block us past the time limit.
        let out_reader = PipeReader::start(child.stdout.take());
        let err_reader = PipeReader::start(child.stderr.take());
        if let (Some(mut stdin), Some(input)) = (child.stdin.take(), self.input.clone()) {
            std::thread::spawn(move || {
                // A child that exits without reading closes the pipe: not a failure of ours.
                let _ = stdin.write_all(&input);
            });
        }
        // A time limit too far to represent is no limit in practice.
        let deadline = started
            .checked_add(self.timeout)
            .unwrap_or(started + Duration::from_secs(365 * 24 * 3600));
        let mut pause = Duration::from_millis(1);
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break Some(status),
                Ok(None) if Instant::now() >= deadline => {
                    // The child is not reaped yet, so its pid still names its group.
                    kill_group(child.id());
                    let _ = child.kill();
                    let _ = child.wait();
                    break None;
                }
                Ok(None) => {
                    std::thread::sleep(
                        pause.min(deadline.saturating_duration_since(Instant::now())),
                    );
                    pause = (pause * 2).min(MAX_POLL);
                }
                Err(e) => {
                    kill_group(child.id());
                    return Err(Failure::Wait(e));
                }
            }
        };
        let elapsed = started.elapsed();
        let pipes_deadline = Instant::now() + PIPE_GRACE;
        Ok(Finished {
            status,
            timed_out: status.is_none(),
            stdout: out_reader.finish(pipes_deadline),
            stderr: err_reader.finish(pipes_deadline),
            elapsed,
        })
    }
}

/// Sends SIGKILL to every process of the group `pgid` (through `kill`: no unsafe code here).
fn kill_group(pgid: u32) {
    let _ = Command::new("kill")
        .args(["-s", "KILL", "--", &format!("-{pgid}")])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

/// A pipe read to its end on a thread, keeping what it read so far.
struct PipeReader {
    bytes: Arc<Mutex<Vec<u8>>>,
    done: mpsc::Receiver<()>,
}

impl PipeReader {
    fn start(pipe: Option<impl Read + Send + 'static>) -> PipeReader {
        let bytes = Arc::new(Mutex::new(Vec::new()));
        let (done_tx, done) = mpsc::channel();
        let sink = bytes.clone();
        std::thread::spawn(move || {
            let Some(mut pipe) = pipe else { return };
            let mut buf = [0u8; 8192];
            while let Ok(n @ 1..) = pipe.read(&mut buf) {
                if let Ok(mut bytes) = sink.lock() {
                    bytes.extend_from_slice(&buf[..n]);
                }
            }
            drop(done_tx);
        });
        PipeReader { bytes, done }
    }

    /// What was read once the pipe closed, or at `deadline` (the thread is then left to end
    /// with the process that holds the pipe).
    fn finish(self, deadline: Instant) -> Vec<u8> {
        let wait = deadline.saturating_duration_since(Instant::now());
        // Disconnected means the reader has ended; Timeout means the pipe is still held open.
        let _ = self.done.recv_timeout(wait);
        self.bytes.lock().map(|b| b.clone()).unwrap_or_default()
    }
}

/// The first executable file named `name` in PATH.
pub fn find_on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .filter(|dir| !dir.as_os_str().is_empty())
        .map(|dir| dir.join(name))
        .find(|candidate| is_executable(candidate))
}

/// A regular file someone may execute.
pub fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .is_ok_and(|meta| meta.is_file() && meta.permissions().mode() & 0o111 != 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_and_status_are_captured() {
        let done = Run::new("sh")
            .args(["-c", "echo out; echo err >&2; exit 3"])
            .timeout(Duration::from_secs(10))
            .run()
            .unwrap();
        assert!(!done.success());
        assert!(!done.timed_out);
        assert_eq!(done.status.and_then(|s| s.code()), Some(3));
        assert_eq!(done.stdout_text(), "out\n");
        assert_eq!(done.stderr_text(), "err\n");
        assert_eq!(done.status_text(), "exit status: 3");
    }

    #[test]
    fn input_bytes_reach_stdin_and_stdin_is_closed_otherwise() {
        let done = Run::new("cat").stdin(b"hello\n".to_vec()).run().unwrap();
        assert!(done.success());
        assert_eq!(done.stdout, b"hello\n");
        // Without input, stdin is at its end at once: `cat` does not wait for a terminal.
        let done = Run::new("cat")
            .timeout(Duration::from_secs(10))
            .run()
            .unwrap();
        assert!(done.success());
        assert!(done.stdout.is_empty());
    }

    #[test]
    fn large_input_a_child_never_reads_does_not_block_the_time_limit() {
        let started = Instant::now();
        let done = Run::new("sleep")
            .arg("30")
            .stdin(vec![b'x'; 1 << 20])
            .timeout(Duration::from_millis(300))
            .run()
            .unwrap();
        assert!(done.timed_out);
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn the_whole_group_is_killed_at_the_time_limit() {
        let dir = tempfile::tempdir().unwrap();
        let marker = dir.path().join("grandchild-survived");
        // The grandchild would write the marker after a second unless it is killed with its
        // parent; it holds the output pipes too, which must not hold us up for long.
        let script = format!("(sleep 1; touch '{}') & sleep 30", marker.display());
        let started = Instant::now();
        let done = Run::new("sh")
            .args(["-c", &script])
            .timeout(Duration::from_millis(200))
            .run()
            .unwrap();
        assert!(done.timed_out && !done.success());
        assert_eq!(done.status_text(), "timed out");
        assert!(started.elapsed() < Duration::from_secs(5));
        std::thread::sleep(Duration::from_millis(1500));
        assert!(
            !marker.exists(),
            "a child of the child outlived the time limit"
        );
    }

    #[test]
    fn environment_and_directory_are_given() {
        let dir = tempfile::tempdir().unwrap();
        let done = Run::new("sh")
            .args(["-c", "printf '%s %s' \"$GREETING\" \"$(pwd)\""])
            .env("GREETING", "hi")
            .current_dir(dir.path())
            .run()
            .unwrap();
        let real = dir.path().canonicalize().unwrap();
        assert_eq!(done.stdout_text(), format!("hi {}", real.display()));
    }

    #[test]
    fn a_missing_program_is_a_start_failure() {
        let err = Run::new("/nonexistent/program").run().unwrap_err();
        assert!(matches!(err, Failure::Start(_)));
        assert!(err.to_string().starts_with("cannot start: "));
    }

    #[test]
    fn discarded_output_is_not_waited_for() {
        let started = Instant::now();
        // The background child keeps no pipe of ours, so nothing waits for it.
        let done = Run::new("sh")
            .args(["-c", "sleep 5 & echo gone"])
            .discard_output()
            .run()
            .unwrap();
        assert!(done.success());
        assert!(done.stdout.is_empty());
        assert!(started.elapsed() < Duration::from_secs(2));
    }
}
