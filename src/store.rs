//! The only module that writes state. Every write is atomic (temp file in the same folder, fsync,
//! rename); read-modify-write happens under an advisory lock on a sidecar `.lock` file with a
//! bounded wait; a JSON or YAML file that does not parse is moved aside, never read as empty.

#![allow(clippy::disallowed_methods)] // the one module that writes files

use crate::clock;
use crate::error::{Error, IoContext, Result};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The version every JSON state file we write carries.
pub const STATE_VERSION: u32 = 1;

/// Creates a folder and its parents.
pub fn ensure_dir(path: &Path) -> Result<()> {
    fs::create_dir_all(path).at("create folder", path)
}

/// Creates a folder that must not exist yet; `Ok(false)` when it does.
pub fn create_dir_new(path: &Path) -> Result<bool> {
    if let Some(parent) = path.parent() {
        ensure_dir(parent)?;
    }
    match fs::create_dir(path) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(Error::io("create folder", path, e)),
    }
}

fn parent_of(path: &Path) -> Result<&Path> {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .ok_or_else(|| Error::invalid("a state file needs a parent folder", path.display()))
}

fn temp_in(dir: &Path, path: &Path) -> Result<tempfile::NamedTempFile> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".tmp")
        .tempfile_in(dir)
        .at("create temporary file", dir)
}

fn sync_dir(dir: &Path) {
    // Makes the rename durable; a failure here loses nothing already written, so it is not fatal.
    if let Ok(handle) = File::open(dir) {
        let _ = handle.sync_all();
    }
}

/// Writes `bytes` to `path` atomically: readers see the old file or the new one, never a mix.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomic_with(path, |file| file.write_all(bytes).at("write", path))
}

/// Like [`write_atomic`], with the content produced by `fill` into the temporary file.
pub fn write_atomic_with<T>(path: &Path, fill: impl FnOnce(&mut File) -> Result<T>) -> Result<T> {
    let dir = parent_of(path)?;
    ensure_dir(dir)?;
    let mut temp = temp_in(dir, path)?;
    let value = fill(temp.as_file_mut())?;
    temp.as_file_mut().flush().at("write", path)?;
    temp.as_file().sync_all().at("sync", path)?;
    temp.persist(path)
        .map_err(|e| Error::io("replace", path, e.error))?;
    sync_dir(dir);
    Ok(value)
}

/// Writes a new file atomically; never replaces an existing one (`Ok(false)` then).
pub fn write_new_atomic_with<T>(
    path: &Path,
    fill: impl FnOnce(&mut File) -> Result<T>,
) -> Result<Option<T>> {
    let dir = parent_of(path)?;
    ensure_dir(dir)?;
    let mut temp = temp_in(dir, path)?;
    let value = fill(temp.as_file_mut())?;
    temp.as_file_mut().flush().at("write", path)?;
    temp.as_file().sync_all().at("sync", path)?;
    match temp.persist_noclobber(path) {
        Ok(_) => {
            sync_dir(dir);
            Ok(Some(value))
        }
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => Ok(None),
        Err(e) => Err(Error::io("create", path, e.error)),
    }
}

/// Serialises `value` as pretty JSON and writes it atomically.
pub fn write_json<T: Serialize>(path: &Path, value: &T) -> Result<()> {
    let mut text = serde_json::to_string_pretty(value)
        .map_err(|e| Error::invalid(format!("cannot serialise: {e}"), path.display()))?;
    text.push('\n');
    write_atomic(path, text.as_bytes())
}

/// Appends one line with a single `write` on an `O_APPEND` file: concurrent appenders never
/// interleave or lose lines, and no lock is needed.
pub fn append_line(path: &Path, line: &str) -> Result<()> {
    let mut file = OpenOptions::new()
        .create(true)
        .append(true)
        .read(true)
        .open(path)
        .at("open for append", path)?;
    // A writer killed mid-append leaves a line without its newline; a record appended right
    // after it would merge with it and both would be lost. Start on a fresh line then (two
    // writers doing so at once only leave an empty line, which readers skip).
    let torn = ends_without_newline(&file).at("read", path)?;
    let mut buffer = Vec::with_capacity(line.len() + 2);
    if torn {
        buffer.push(b'\n');
    }
    buffer.extend_from_slice(line.as_bytes());
    buffer.push(b'\n');
    file.write_all(&buffer).at("append to", path)
}

/// Whether a non-empty file's last byte is not a newline.
fn ends_without_newline(file: &File) -> std::io::Result<bool> {
    use std::os::unix::fs::FileExt;
    let len = file.metadata()?.len();
    if len == 0 {
        return Ok(false);
    }
    let mut last = [0u8; 1];
    file.read_exact_at(&mut last, len - 1)?;
    Ok(last[0] != b'\n')
}

/// Appends text to a file under its lock (read-modify-write of a human log, atomically replaced).
pub fn append_text_locked(path: &Path, text: &str, wait: Duration) -> Result<()> {
    let _guard = lock(path, wait)?;
    let mut current = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(Error::io("read", path, e)),
    };
    current.extend_from_slice(text.as_bytes());
    write_atomic(path, &current)
}

/// An advisory lock on `<target>.lock`, released when dropped.
#[derive(Debug)]
pub struct LockGuard {
    file: File,
    path: PathBuf,
}

impl LockGuard {
    /// Removes the lock file while still holding the lock, then releases it (for a lock that must
    /// leave no file behind). Safe for waiters: [`lock`] only keeps a lock taken on the file that is
    /// still at the path afterwards, so a waiter on the removed file tries again.
    pub fn remove(self) -> Result<()> {
        let removed = remove_file(&self.path);
        drop(self.file);
        removed
    }
}

/// The sidecar lock file of `target`.
pub fn lock_path(target: &Path) -> PathBuf {
    let mut name = target.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    target.with_file_name(name)
}

/// Takes the exclusive lock of `target`, waiting at most `wait`; then a "busy" error, never a hang.
pub fn lock(target: &Path, wait: Duration) -> Result<LockGuard> {
    let path = lock_path(target);
    let deadline = Instant::now() + wait;
    loop {
        if let Some(dir) = path.parent() {
            ensure_dir(dir)?;
        }
        let file = match OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
        {
            Ok(file) => file,
            // Its folder went away meanwhile (removed with the last lock file in it): again.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && Instant::now() < deadline => {
                continue;
            }
            Err(e) => return Err(Error::io("open lock", &path, e)),
        };
        wait_for_lock(&file, &path, deadline)?;
        if is_at(&file, &path) {
            return Ok(LockGuard { file, path });
        }
        // The holder removed the file before releasing it (LockGuard::remove): that lock guards
        // nothing any more; take the one at the path now.
    }
}

fn wait_for_lock(file: &File, path: &Path, deadline: Instant) -> Result<()> {
    let mut pause = Duration::from_millis(1);
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(()),
            Err(std::fs::TryLockError::WouldBlock) => {
                let now = Instant::now();
                if now >= deadline {
                    return Err(Error::Busy {
                        path: path.to_path_buf(),
                    });
                }
                std::thread::sleep(pause.min(deadline - now));
                pause = (pause * 2).min(Duration::from_millis(20));
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(Error::io("lock", path, e)),
        }
    }
}

/// True when `file` is still the file at `path` (not removed or replaced since it was opened).
fn is_at(file: &File, path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (file.metadata(), fs::metadata(path)) {
            (Ok(open), Ok(now)) => open.dev() == now.dev() && open.ino() == now.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = (file, path);
        true
    }
}

/// What reading a state file found.
#[derive(Debug)]
pub enum Loaded<T> {
    Missing,
    Found(T),
    /// The file did not parse; it was moved to `moved_to` and the caller must decide what is safe.
    Corrupt {
        moved_to: PathBuf,
        detail: String,
    },
}

/// Moves an unreadable file to `<name>.corrupt-<UTC timestamp>` and says so on stderr.
pub fn quarantine(path: &Path, detail: &str) -> Result<PathBuf> {
    let stamp = clock::now()
        .map(clock::file_stamp_utc)
        .unwrap_or_else(|_| clock::file_stamp_utc(jiff::Timestamp::now()));
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".corrupt-{stamp}"));
    let mut target = path.with_file_name(&name);
    let mut n = 1;
    while target.exists() {
        n += 1;
        let mut alt = name.clone();
        alt.push(format!("-{n}"));
        target = path.with_file_name(alt);
    }
    fs::rename(path, &target).at("move corrupt file aside", path)?;
    eprintln!(
        "claude-session: warning: {} did not parse ({detail}); moved it to {}",
        path.display(),
        target.display()
    );
    Ok(target)
}

fn read_optional(path: &Path) -> Result<Option<Vec<u8>>> {
    match fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io("read", path, e)),
    }
}

fn check_version(path: &Path, value: &serde_json::Value) -> Result<()> {
    match value.get("version").and_then(|v| v.as_u64()) {
        Some(v) if v > u64::from(STATE_VERSION) => Err(Error::corrupt(
            path,
            format!("written by a newer claude-session (version {v}); upgrade to read it"),
        )),
        _ => Ok(()),
    }
}

/// Reads a versioned JSON state file. A file that does not parse is moved aside.
pub fn read_json<T: DeserializeOwned>(path: &Path) -> Result<Loaded<T>> {
    let Some(bytes) = read_optional(path)? else {
        return Ok(Loaded::Missing);
    };
    let parsed = serde_json::from_slice::<serde_json::Value>(&bytes)
        .map_err(|e| e.to_string())
        .and_then(|value| {
            if !value.is_object() {
                return Err("not a JSON object".to_string());
            }
            Ok(value)
        });
    let value = match parsed {
        Ok(value) => value,
        Err(detail) => {
            let moved_to = quarantine(path, &detail)?;
            return Ok(Loaded::Corrupt { moved_to, detail });
        }
    };
    check_version(path, &value)?;
    match serde_json::from_value::<T>(value) {
        Ok(v) => Ok(Loaded::Found(v)),
        Err(e) => {
            let detail = e.to_string();
            let moved_to = quarantine(path, &detail)?;
            Ok(Loaded::Corrupt { moved_to, detail })
        }
    }
}

/// Reads a YAML document. A file that does not parse is moved aside.
pub fn read_yaml<T: DeserializeOwned>(path: &Path) -> Result<Loaded<T>> {
    let Some(bytes) = read_optional(path)? else {
        return Ok(Loaded::Missing);
    };
    match serde_yaml_ng::from_slice::<T>(&bytes) {
        Ok(v) => Ok(Loaded::Found(v)),
        Err(e) => {
            let detail = e.to_string().lines().next().unwrap_or_default().to_string();
            let moved_to = quarantine(path, &detail)?;
            Ok(Loaded::Corrupt { moved_to, detail })
        }
    }
}

/// Renames a file or folder (same file system), creating the target's parent.
pub fn rename(from: &Path, to: &Path) -> Result<()> {
    if let Some(parent) = to.parent() {
        ensure_dir(parent)?;
    }
    fs::rename(from, to).at("move", from)
}

/// Removes a file we own; a missing file is fine.
pub fn remove_file(path: &Path) -> Result<()> {
    match fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io("remove", path, e)),
    }
}

/// Removes a folder if it is empty: `Ok(true)` when it was removed, `Ok(false)` when it holds
/// something or is gone.
pub fn remove_empty_dir(path: &Path) -> Result<bool> {
    match fs::remove_dir(path) {
        Ok(()) => Ok(true),
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound
                    | std::io::ErrorKind::DirectoryNotEmpty
                    | std::io::ErrorKind::AlreadyExists
            ) =>
        {
            Ok(false)
        }
        Err(e) => Err(Error::io("remove folder", path, e)),
    }
}

/// Removes a folder tree we own (old backups on prune).
pub fn remove_dir_all(path: &Path) -> Result<()> {
    match fs::remove_dir_all(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io("remove", path, e)),
    }
}

/// The permission bits of an existing file (unix), to carry over to its replacement or backup.
pub fn file_mode(path: &Path) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(path)
            .ok()
            .map(|m| m.permissions().mode() & 0o7777)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

fn set_mode(file: &File, path: &Path, mode: Option<u32>) -> Result<()> {
    match mode {
        Some(mode) => set_mode_bits(file, path, mode),
        None => Ok(()),
    }
}

/// Writes `bytes` atomically with the permission bits `mode` (unix; `None` keeps the temporary
/// file's 0600). Files in the user's Claude Code folder keep their permissions when replaced.
pub fn write_atomic_mode(path: &Path, bytes: &[u8], mode: Option<u32>) -> Result<()> {
    write_atomic_with(path, |file| {
        file.write_all(bytes).at("write", path)?;
        set_mode(file, path, mode)
    })
}

/// Like [`write_atomic_mode`] for a new file: never replaces an existing one (`Ok(false)` then).
pub fn write_new_atomic_mode(path: &Path, bytes: &[u8], mode: Option<u32>) -> Result<bool> {
    let written = write_new_atomic_with(path, |file| {
        file.write_all(bytes).at("write", path)?;
        set_mode(file, path, mode)
    })?;
    Ok(written.is_some())
}

/// Sets the permission bits of an open file (Unix; elsewhere a no-op).
fn set_mode_bits(file: &File, path: &Path, mode: u32) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(fs::Permissions::from_mode(mode & 0o7777))
            .at("set permissions of", path)?;
    }
    #[cfg(not(unix))]
    let _ = (file, path, mode);
    Ok(())
}

/// Creates a file that must not exist yet (`create_new`), filled by `fill`, then given the
/// permission bits `mode` and, when given, the modification time. `sync` makes it durable
/// before returning (checkpoint copies); restores into a staging folder skip that.
pub fn create_new_with<T>(
    path: &Path,
    mode: u32,
    modified: Option<std::time::SystemTime>,
    sync: bool,
    fill: impl FnOnce(&mut File) -> Result<T>,
) -> Result<T> {
    if let Some(dir) = path.parent() {
        ensure_dir(dir)?;
    }
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .at("create", path)?;
    let value = fill(&mut file)?;
    file.flush().at("write", path)?;
    set_mode_bits(&file, path, mode)?;
    if let Some(time) = modified {
        file.set_modified(time).at("set the time of", path)?;
    }
    if sync {
        file.sync_all().at("sync", path)?;
    }
    Ok(value)
}

/// Adds a hard link `new` to `existing`. `Ok(false)` when the file system refuses (another
/// device, too many links, no hard links at all): the caller then copies instead.
pub fn hard_link(existing: &Path, new: &Path) -> Result<bool> {
    if let Some(dir) = new.parent() {
        ensure_dir(dir)?;
    }
    match fs::hard_link(existing, new) {
        Ok(()) => Ok(true),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(Error::io("link", new, e)),
        Err(_) => Ok(false),
    }
}

/// Replaces `path` atomically with what `fill` writes into a fresh temporary file, given the
/// permission bits `mode`. The old file (or symlink) is swapped out by `rename`, never written
/// through, so a hard-linked copy elsewhere is never changed.
pub fn replace_with<T>(
    path: &Path,
    mode: u32,
    fill: impl FnOnce(&mut File) -> Result<T>,
) -> Result<T> {
    write_atomic_with(path, |file| {
        let value = fill(file)?;
        set_mode_bits(file, path, mode)?;
        Ok(value)
    })
}

/// Like [`replace_with`], but the temporary file is made in `staging` (a folder of ours) and
/// renamed over `path`: a kill at any instant leaves nothing of ours beside `path`, only a
/// temporary file in `staging`. When `staging` is on another file system than `path`, the
/// staged bytes go through a temporary file beside `path` after all.
pub fn replace_staged<T>(
    path: &Path,
    staging: &Path,
    mode: u32,
    fill: impl FnOnce(&mut File) -> Result<T>,
) -> Result<T> {
    use std::io::{Seek, SeekFrom};
    let dir = parent_of(path)?;
    ensure_dir(staging)?;
    let mut temp = temp_in(staging, path)?;
    let value = fill(temp.as_file_mut())?;
    set_mode_bits(temp.as_file(), path, mode)?;
    temp.as_file_mut().flush().at("write", path)?;
    temp.as_file().sync_all().at("sync", path)?;
    match temp.persist(path) {
        Ok(_) => {
            sync_dir(dir);
            Ok(value)
        }
        Err(e) if e.error.kind() == std::io::ErrorKind::CrossesDevices => {
            let mut staged = e.file;
            staged.seek(SeekFrom::Start(0)).at("read", staged.path())?;
            replace_with(path, mode, |out| {
                std::io::copy(&mut staged, out).at("write", path)?;
                Ok(())
            })?;
            Ok(value)
        }
        Err(e) => Err(Error::io("replace", path, e.error)),
    }
}

/// A temporary folder inside `parent` (created when missing), removed when dropped; restores
/// unpack into one and move it into place only once everything checked out.
pub fn temp_dir_in(parent: &Path, prefix: &str) -> Result<tempfile::TempDir> {
    ensure_dir(parent)?;
    tempfile::Builder::new()
        .prefix(prefix)
        .tempdir_in(parent)
        .at("create temporary folder", parent)
}

/// Moves a finished temporary folder to `target`; on failure the temporary folder is removed.
pub fn persist_dir(temp: tempfile::TempDir, target: &Path) -> Result<()> {
    let kept = temp.keep();
    match rename(&kept, target) {
        Ok(()) => {
            if let Some(parent) = target.parent() {
                sync_dir(parent);
            }
            Ok(())
        }
        Err(e) => {
            let _ = fs::remove_dir_all(&kept);
            Err(e)
        }
    }
}

/// Makes many freshly written files durable at once. One `fsync` after another costs a journal
/// commit each (seconds for thousands of files); issued from several threads, the file system
/// batches them into a few commits.
pub fn sync_files(paths: &[PathBuf]) -> Result<()> {
    const THREADS: usize = 16;
    if paths.is_empty() {
        return Ok(());
    }
    let chunk = paths.len().div_ceil(THREADS);
    std::thread::scope(|scope| {
        let workers: Vec<_> = paths
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || -> Result<()> {
                    for path in part {
                        File::open(path)
                            .and_then(|f| f.sync_all())
                            .at("sync", path)?;
                    }
                    Ok(())
                })
            })
            .collect();
        workers
            .into_iter()
            .try_for_each(|worker| match worker.join() {
                Ok(result) => result,
                Err(_) => Err(Error::invalid("a file sync thread failed", "sync")),
            })
    })?;
    for dir in paths
        .iter()
        .filter_map(|p| p.parent())
        .collect::<std::collections::BTreeSet<_>>()
    {
        sync_dir(dir);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    #[test]
    fn a_lock_whose_file_was_removed_by_its_holder_is_not_held_twice() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("install");
        let first = lock(&target, Duration::ZERO).unwrap();
        let (locked, told) = mpsc::channel();
        let (release, wait_release) = mpsc::channel::<()>();
        let waiter = std::thread::spawn({
            let target = target.clone();
            move || {
                let guard = lock(&target, Duration::from_secs(20)).unwrap();
                locked.send(()).unwrap();
                wait_release.recv().unwrap();
                drop(guard);
            }
        });
        // Time for the waiter to open the file that is about to be removed.
        std::thread::sleep(Duration::from_millis(100));
        first.remove().unwrap();
        told.recv().unwrap();
        // The waiter holds the lock of the file at the path now, not of the removed one.
        assert!(lock_path(&target).exists());
        assert!(matches!(
            lock(&target, Duration::from_millis(50)),
            Err(Error::Busy { .. })
        ));
        release.send(()).unwrap();
        waiter.join().unwrap();
        lock(&target, Duration::ZERO).unwrap().remove().unwrap();
        assert!(!lock_path(&target).exists());
    }

    #[test]
    fn a_staged_replace_leaves_nothing_beside_the_file_even_across_file_systems() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("file.txt");
        write_atomic(&path, b"old").unwrap();
        // The same file system, and (where /dev/shm is a tmpfs apart from the temp folder)
        // another one, through the fallback.
        let same = dir.path().join("staging");
        let other = tempfile::tempdir_in("/dev/shm").ok();
        let mut stagings = vec![same];
        stagings.extend(other.as_ref().map(|d| d.path().join("staging")));
        for staging in stagings {
            replace_staged(&path, &staging, 0o640, |file| {
                file.write_all(b"new").at("write", &path)
            })
            .unwrap();
            assert_eq!(fs::read(&path).unwrap(), b"new");
            assert_eq!(file_mode(&path), Some(0o640));
            let beside: Vec<_> = fs::read_dir(dir.path())
                .unwrap()
                .flatten()
                .map(|e| e.file_name())
                .filter(|n| n != "file.txt" && n != "staging")
                .collect();
            assert!(beside.is_empty(), "{beside:?}");
            assert_eq!(fs::read_dir(&staging).unwrap().count(), 0);
            write_atomic(&path, b"old").unwrap();
        }
    }

    #[test]
    fn only_an_empty_folder_is_removed() {
        let dir = tempfile::tempdir().unwrap();
        let full = dir.path().join("full");
        write_atomic(&full.join("f"), b"x").unwrap();
        assert!(!remove_empty_dir(&full).unwrap());
        assert!(full.join("f").exists());
        let empty = dir.path().join("empty");
        ensure_dir(&empty).unwrap();
        assert!(remove_empty_dir(&empty).unwrap());
        assert!(!remove_empty_dir(&empty).unwrap(), "gone is fine");
    }
}
