//! ZIP archives: writing (batches of entries compressed in parallel a bounded window ahead, then
//! copied raw into the archive in order, with real file times and modes) and safe unpacking (names checked, sizes and counts capped,
//! everything staged in a temporary folder and moved into place only when all went well).
//! The bytes go to disk only through `store`.

use crate::error::{Error, IoContext, Result};
use crate::store;
use indicatif::ProgressBar;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use std::fs::{self, File};
use std::io::{BufWriter, Read, Write};
use std::path::{Component, Path, PathBuf};
use zip::write::SimpleFileOptions;

/// Deflate level of every archive we write: the usual default, as `zip -6` uses.
pub const COMPRESSION_LEVEL: i64 = 6;
/// Files larger than this are streamed into the archive by the writer instead of being
/// compressed in memory on a worker, so memory stays bounded whatever the tree holds.
const IN_MEMORY_LIMIT: u64 = 4 << 20;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ArchiveStats {
    pub files: u64,
    pub bytes: u64,
}

/// One file to put into an archive: where it is, and the entry name (relative, with `/`).
#[derive(Debug, Clone)]
pub struct Source {
    pub absolute: PathBuf,
    pub name: String,
}

/// What the archive holds of one file, as read while compressing it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct FileInfo {
    pub path: String,
    pub size: u64,
    pub mtime: Option<Timestamp>,
    pub blake3: String,
    /// Status-change time (ns), which copying tools cannot set back like mtime.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ctime_ns: Option<i64>,
}

/// A file that could not be archived (vanished or unreadable while the archive was written).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
}

/// The outcome of writing an archive.
#[derive(Debug, Clone, Default)]
pub struct ZipReport {
    pub stats: ArchiveStats,
    /// Per file, sorted by path.
    pub files: Vec<FileInfo>,
    pub skipped: Vec<Skipped>,
}

/// Files below `root`, sorted, as (absolute, relative with `/`) pairs; symlinks and our lock
/// files are left out.
pub fn collect_files(root: &Path) -> Result<Vec<(PathBuf, String)>> {
    list_files(root, true)
}

/// Every regular file below `root`, lock files included (what a restore staged).
pub fn collect_all_files(root: &Path) -> Result<Vec<(PathBuf, String)>> {
    list_files(root, false)
}

fn list_files(root: &Path, skip_locks: bool) -> Result<Vec<(PathBuf, String)>> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).at("list", &dir)? {
            let entry = entry.at("list", &dir)?;
            let kind = entry.file_type().at("inspect", entry.path())?;
            let path = entry.path();
            if kind.is_dir() {
                stack.push(path);
            } else if kind.is_file() {
                let relative = path
                    .strip_prefix(root)
                    .map(|p| p.to_string_lossy().replace('\\', "/"))
                    .unwrap_or_default();
                let len = entry.metadata().map(|m| m.len()).unwrap_or(0);
                if skip_locks && is_our_lock_file(&relative, len) {
                    continue;
                }
                out.push((path, relative));
            }
        }
    }
    out.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(out)
}

/// Our sidecar locks (`store::lock`) are state, not content: always empty, named after the state
/// file they guard (`session.yaml.lock`, `2025-10-25.md.lock`) or one of our lock names. A
/// project's or user's `.lock` file (`Cargo.lock`, `Gemfile.lock`, `flake.lock`) is content.
fn is_our_lock_file(relative: &str, len: u64) -> bool {
    let name = relative.rsplit('/').next().unwrap_or(relative);
    let Some(guarded) = name.strip_suffix(".lock") else {
        return false;
    };
    len == 0
        && ([".yaml", ".json", ".jsonl", ".md"]
            .iter()
            .any(|ext| guarded.ends_with(ext))
            || ["auto-checkpoint", "snapshots", "sessions", "install"].contains(&guarded))
}

fn entry_options(meta: &fs::Metadata) -> SimpleFileOptions {
    let mut options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(COMPRESSION_LEVEL))
        .large_file(meta.len() >= u64::from(u32::MAX));
    if let Some(ts) = mtime_of(meta) {
        let civil = ts.to_zoned(crate::clock::local_zone()).datetime();
        if let Ok(dos) = zip::DateTime::try_from(civil) {
            options = options.last_modified_time(dos);
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        options = options.unix_permissions(meta.permissions().mode() & 0o7777);
    }
    options
}

/// A file's modification time, as an exact instant.
/// The status-change time in nanoseconds (unix); `None` elsewhere.
pub fn ctime_of(meta: &fs::Metadata) -> Option<i64> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        meta.ctime()
            .checked_mul(1_000_000_000)
            .and_then(|ns| ns.checked_add(meta.ctime_nsec()))
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        None
    }
}

pub fn mtime_of(meta: &fs::Metadata) -> Option<Timestamp> {
    meta.modified()
        .ok()
        .and_then(|m| Timestamp::try_from(m).ok())
}

/// Writes a ZIP of everything below `source` to `target` (entries relative to `source`).
/// Never replaces an existing file: `Ok(None)` then.
pub fn zip_dir(source: &Path, target: &Path) -> Result<Option<ArchiveStats>> {
    let sources: Vec<Source> = collect_files(source)?
        .into_iter()
        .map(|(absolute, name)| Source { absolute, name })
        .collect();
    // Empty folders are part of a workspace's layout (artifacts/, decisions/, ...): keep them.
    let folders = empty_dirs(source)?;
    Ok(write_zip(&sources, &folders, target, false, &crate::progress::none())?.map(|r| r.stats))
}

/// Folders below `root` that hold nothing, relative with `/`, sorted.
pub fn empty_dirs(root: &Path) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let mut empty = true;
        for entry in fs::read_dir(&dir).at("list", &dir)? {
            let entry = entry.at("list", &dir)?;
            empty = false;
            if entry.file_type().at("inspect", entry.path())?.is_dir() {
                stack.push(entry.path());
            }
        }
        if empty
            && dir != root
            && let Ok(relative) = dir.strip_prefix(root)
        {
            out.push(relative.to_string_lossy().replace('\\', "/"));
        }
    }
    out.sort();
    Ok(out)
}

/// Small files are compressed in batches: consecutive files (in archive order) of up to this
/// many bytes together go to one worker, which writes them into a small in-memory ZIP (one
/// compressor for the whole batch); the writer then copies the compressed entries raw into the
/// archive. Batches, not single files, because a fresh compressor per file (several hundred KiB
/// of state) churns the allocator into keeping hundreds of MB resident on trees of many files.
const BATCH_BYTES: u64 = 1 << 20;
/// At most this many files per batch (tiny files: the per-entry cost is the header).
const BATCH_FILES: usize = 256;
/// Batches compressed ahead of the writer, per worker thread. Together with
/// [`IN_MEMORY_LIMIT`] this bounds memory: at most `workers × BATCHES_AHEAD` batches of at most
/// a few MiB each exist at once, whatever the tree holds.
const BATCHES_AHEAD: usize = 4;

/// What goes into the archive next, in order: a batch of small files, or one large file that
/// the writer streams itself.
enum Unit<'a> {
    Batch(Vec<(&'a Source, fs::Metadata)>),
    Large(&'a Source, fs::Metadata),
}

/// Groups the files in order into batches and large files.
fn plan_units<'a>(files: Vec<(&'a Source, fs::Metadata)>) -> Vec<Unit<'a>> {
    let mut units = Vec::new();
    let mut batch: Vec<(&Source, fs::Metadata)> = Vec::new();
    let mut batch_bytes = 0u64;
    for (source, meta) in files {
        let size = meta.len();
        if size > IN_MEMORY_LIMIT {
            if !batch.is_empty() {
                units.push(Unit::Batch(std::mem::take(&mut batch)));
                batch_bytes = 0;
            }
            units.push(Unit::Large(source, meta));
            continue;
        }
        if !batch.is_empty() && (batch_bytes + size > BATCH_BYTES || batch.len() >= BATCH_FILES) {
            units.push(Unit::Batch(std::mem::take(&mut batch)));
            batch_bytes = 0;
        }
        batch_bytes += size;
        batch.push((source, meta));
    }
    if !batch.is_empty() {
        units.push(Unit::Batch(batch));
    }
    units
}

/// A batch compressed by a worker: a small ZIP in memory, and per file what became of it (with
/// the index of its entry in that ZIP when it has one worth copying).
struct Compressed {
    zip: Vec<u8>,
    files: Vec<(std::result::Result<FileInfo, Skipped>, Option<usize>)>,
}

/// Compresses a batch into `buffer` (cleared first; a recycled buffer keeps its capacity).
fn compress_batch(batch: &[(&Source, fs::Metadata)], mut buffer: Vec<u8>) -> Result<Compressed> {
    buffer.clear();
    // Room for the worst case (stored blocks and headers) up front: no regrowth copies, and
    // pages never written cost no memory.
    let input: u64 = batch.iter().map(|(_, m)| m.len()).sum();
    let room = input + input / 512 + 256 * batch.len() as u64 + 4096;
    buffer.reserve(usize::try_from(room).unwrap_or(0));
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(buffer));
    let mut files = Vec::with_capacity(batch.len());
    let mut entries = 0;
    // Larger reads than `io::copy`'s 8 KiB: fewer calls into the hasher and the compressor.
    let mut chunk = vec![0u8; 64 << 10];
    for (source, meta) in batch {
        let mut input = match File::open(&source.absolute) {
            Ok(input) => input,
            Err(e) => {
                files.push((
                    Err(Skipped {
                        path: source.name.clone(),
                        reason: e.to_string(),
                    }),
                    None,
                ));
                continue;
            }
        };
        let place = &source.absolute;
        writer
            .start_file(source.name.as_str(), entry_options(meta))
            .map_err(|e| zip_error(place, e))?;
        let index = entries;
        entries += 1;
        let mut hasher = blake3::Hasher::new();
        let copied = (|| -> std::io::Result<u64> {
            let mut size = 0u64;
            loop {
                let n = match input.read(&mut chunk) {
                    Ok(0) => return Ok(size),
                    Ok(n) => n,
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                };
                hasher.update(&chunk[..n]);
                writer.write_all(&chunk[..n])?;
                size += n as u64;
            }
        })();
        match copied {
            Ok(size) => files.push((
                Ok(FileInfo {
                    path: source.name.clone(),
                    size,
                    mtime: mtime_of(meta),
                    blake3: hasher.finalize().to_hex().to_string(),
                    ctime_ns: ctime_of(meta),
                }),
                Some(index),
            )),
            // The entry stays in the batch's ZIP (rewinding a ZIP is not safe) but is not
            // copied into the archive.
            Err(e) => files.push((
                Err(Skipped {
                    path: source.name.clone(),
                    reason: e.to_string(),
                }),
                None,
            )),
        }
    }
    let cursor = writer.finish().map_err(|e| {
        let place = batch.first().map(|(s, _)| s.absolute.as_path());
        zip_error(place.unwrap_or(Path::new("archive")), e)
    })?;
    Ok(Compressed {
        zip: cursor.into_inner(),
        files,
    })
}

/// Copies a compressed batch's entries raw into the archive, in order; `progress` counts bytes.
fn copy_batch<W: Write + std::io::Seek>(
    writer: &mut zip::ZipWriter<W>,
    batch: &Compressed,
    report: &mut ZipReport,
    target: &Path,
    progress: &ProgressBar,
) -> Result<()> {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(batch.zip.as_slice()))
        .map_err(|e| zip_error(target, e))?;
    for (outcome, index) in &batch.files {
        match (outcome, index) {
            (Ok(info), Some(index)) => {
                let entry = zip.by_index_raw(*index).map_err(|e| zip_error(target, e))?;
                writer
                    .raw_copy_file(entry)
                    .map_err(|e| zip_error(target, e))?;
                report.stats.files += 1;
                report.stats.bytes += info.size;
                report.files.push(info.clone());
                progress.inc(info.size);
            }
            (Ok(info), None) => report.skipped.push(Skipped {
                path: info.path.clone(),
                reason: "lost while compressing".to_string(),
            }),
            (Err(skip), _) => report.skipped.push(skip.clone()),
        }
    }
    Ok(())
}

fn skipped(source: &Source, error: &Error) -> Skipped {
    Skipped {
        path: source.name.clone(),
        reason: match error {
            Error::Io { source, .. } => source.to_string(),
            other => other.to_string(),
        },
    }
}

/// The batches between the writer and the workers. Workers take batches in order and compress
/// them as soon as they may: batch `n` only once fewer than `ahead` batches before it wait to be
/// written, which bounds memory without making the workers wait for the writer to hand out
/// work (under load, a worker that had to wait for the writer's turn would sit idle).
struct Window {
    ahead: usize,
    /// The next batch a worker takes.
    next: std::sync::atomic::AtomicUsize,
    state: std::sync::Mutex<WindowState>,
    changed: std::sync::Condvar,
}

#[derive(Default)]
struct WindowState {
    /// Batches written so far (the writer wants batch `written` next).
    written: usize,
    /// Compressed batches waiting for the writer, by number.
    ready: std::collections::BTreeMap<usize, Result<Compressed>>,
    /// Buffers of written batches, for later ones.
    spare: Vec<Vec<u8>>,
    /// The writer has left (done or failed): workers stop.
    stopped: bool,
    /// Workers still running.
    running: usize,
}

impl Window {
    fn new(ahead: usize) -> Window {
        Window {
            ahead: ahead.max(1),
            next: std::sync::atomic::AtomicUsize::new(0),
            state: std::sync::Mutex::new(WindowState::default()),
            changed: std::sync::Condvar::new(),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, WindowState> {
        // A poisoned lock means a worker panicked holding it; the data is still consistent.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A worker: compresses batches in order, never more than `ahead` past the writer.
    fn work(&self, batches: &[&[(&Source, fs::Metadata)]]) {
        self.lock().running += 1;
        // Counted out however the worker ends (a panic included), so the writer never waits
        // for a batch nobody will bring.
        let _running = Running(self);
        loop {
            let number = self.next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let Some(batch) = batches.get(number) else {
                break;
            };
            let buffer = {
                let mut state = self.lock();
                while !state.stopped && number >= state.written + self.ahead {
                    state = self.changed.wait(state).unwrap_or_else(|e| e.into_inner());
                }
                if state.stopped {
                    break;
                }
                state.spare.pop().unwrap_or_default()
            };
            let compressed = compress_batch(batch, buffer);
            self.lock().ready.insert(number, compressed);
            self.changed.notify_all();
        }
    }

    /// The writer has left: workers stop.
    fn stop(&self) {
        self.lock().stopped = true;
        self.changed.notify_all();
    }

    /// The writer: batch `number`, once compressed; `None` when every worker is gone without
    /// it (one panicked).
    fn take(&self, number: usize) -> Option<Result<Compressed>> {
        let mut state = self.lock();
        loop {
            if let Some(found) = state.ready.remove(&number) {
                return Some(found);
            }
            if state.running == 0 && self.next.load(std::sync::atomic::Ordering::SeqCst) > number {
                return None;
            }
            state = self.changed.wait(state).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// The writer wrote `count` batches; `buffer` may serve a later one.
    fn written(&self, count: usize, mut buffer: Vec<u8>) {
        let mut state = self.lock();
        state.written = count;
        // A buffer that grew for an unusually large batch is not kept.
        if buffer.capacity() as u64 <= 2 * IN_MEMORY_LIMIT {
            buffer.clear();
            state.spare.push(buffer);
        }
        drop(state);
        self.changed.notify_all();
    }
}

/// A running worker, counted out when dropped.
struct Running<'a>(&'a Window);

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.lock().running -= 1;
        self.0.changed.notify_all();
    }
}

/// Writes `sources` into a new ZIP at `target`, in the order given, hashing every file as it
/// is read; `progress` counts the bytes archived. Small files are compressed in batches on all cores, a bounded number of batches
/// ahead of this thread, which copies their compressed bytes into the archive in order; large
/// files are streamed by this thread when their turn comes. Memory stays bounded whatever the
/// tree holds: no file is ever read whole, and only a few batches exist at once. A file that
/// vanished or cannot be read is reported as skipped when `skip_unreadable` (a live project may
/// change under a backup), else it fails the archive. Never replaces an existing file:
/// `Ok(None)` then.
pub fn write_zip(
    sources: &[Source],
    empty_folders: &[String],
    target: &Path,
    skip_unreadable: bool,
    progress: &ProgressBar,
) -> Result<Option<ZipReport>> {
    store::write_new_atomic_with(target, |file: &mut File| {
        let mut report = ZipReport::default();
        let mut writer = zip::ZipWriter::new(BufWriter::with_capacity(1 << 20, &mut *file));
        for folder in empty_folders {
            writer
                .add_directory(folder.as_str(), SimpleFileOptions::default())
                .map_err(|e| zip_error(target, e))?;
        }
        let mut files = Vec::with_capacity(sources.len());
        for source in sources {
            match fs::symlink_metadata(&source.absolute) {
                Ok(meta) if meta.is_file() => files.push((source, meta)),
                Ok(_) => report.skipped.push(Skipped {
                    path: source.name.clone(),
                    reason: "not a regular file".to_string(),
                }),
                Err(e) => report.skipped.push(Skipped {
                    path: source.name.clone(),
                    reason: e.to_string(),
                }),
            }
        }
        let units = plan_units(files);
        let batches: Vec<&[(&Source, fs::Metadata)]> = units
            .iter()
            .filter_map(|unit| match unit {
                Unit::Batch(batch) => Some(batch.as_slice()),
                Unit::Large(..) => None,
            })
            .collect();
        let workers = rayon::current_num_threads()
            .max(1)
            .min(batches.len().max(1));
        let window = Window::new(workers * BATCHES_AHEAD);

        std::thread::scope(|scope| -> Result<()> {
            let handles: Vec<_> = (0..workers)
                .map(|_| {
                    let (window, batches) = (&window, &batches);
                    scope.spawn(move || window.work(batches))
                })
                .collect();
            let mut write_units = || -> Result<()> {
                let mut batch_number = 0;
                for unit in &units {
                    match unit {
                        Unit::Batch(_) => {
                            let compressed = window.take(batch_number).ok_or_else(|| {
                                Error::invalid("a compressing thread failed", target.display())
                            })??;
                            batch_number += 1;
                            copy_batch(&mut writer, &compressed, &mut report, target, progress)?;
                            window.written(batch_number, compressed.zip);
                        }
                        Unit::Large(source, meta) => {
                            match stream_large(&mut writer, source, meta, target, progress) {
                                Ok(info) => {
                                    report.stats.files += 1;
                                    report.stats.bytes += info.size;
                                    report.files.push(info);
                                }
                                Err(Streamed::Unreadable(e)) => {
                                    report.skipped.push(skipped(source, &e))
                                }
                                Err(Streamed::Fatal(e)) => return Err(e),
                            }
                        }
                    }
                }
                Ok(())
            };
            let written = write_units();
            // However the writer left, the workers stop waiting for it; joined here, a
            // worker's panic is an error, not a crash.
            window.stop();
            // Every handle joined (no short-circuit): an unjoined panicked thread would make
            // the scope panic.
            let joined: Vec<bool> = handles
                .into_iter()
                .map(|handle| handle.join().is_err())
                .collect();
            let panicked = joined.contains(&true);
            written?;
            if panicked {
                return Err(Error::invalid(
                    "a compressing thread failed",
                    target.display(),
                ));
            }
            Ok(())
        })?;

        if let Some(first) = report.skipped.first().filter(|_| !skip_unreadable) {
            return Err(Error::invalid(
                format!("cannot archive `{}`: {}", first.path, first.reason),
                target.display(),
            ));
        }
        let buffered = writer.finish().map_err(|e| zip_error(target, e))?;
        buffered
            .into_inner()
            .map_err(|e| Error::io("write", target, e.into_error()))?;
        file.flush().at("write", target)?;
        report.files.sort_by(|a, b| a.path.cmp(&b.path));
        report.skipped.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(report)
    })
}

enum Streamed {
    /// The source could not be opened: skip it, the archive is intact.
    Unreadable(Error),
    /// The archive itself failed.
    Fatal(Error),
}

/// Compresses one large file straight into the archive, hashing it on the way (and counting
/// its bytes on `progress` as they go).
fn stream_large<W: Write + std::io::Seek>(
    writer: &mut zip::ZipWriter<W>,
    source: &Source,
    meta: &fs::Metadata,
    target: &Path,
    progress: &ProgressBar,
) -> std::result::Result<FileInfo, Streamed> {
    let mut input = File::open(&source.absolute)
        .at("read", &source.absolute)
        .map_err(Streamed::Unreadable)?;
    writer
        .start_file(source.name.as_str(), entry_options(meta))
        .map_err(|e| Streamed::Fatal(zip_error(target, e)))?;
    let mut hasher = blake3::Hasher::new();
    let mut buffer = vec![0u8; 1 << 20];
    let mut size = 0u64;
    loop {
        let n = match input.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Streamed::Fatal(Error::io("read", &source.absolute, e))),
        };
        hasher.update(&buffer[..n]);
        writer
            .write_all(&buffer[..n])
            .map_err(|e| Streamed::Fatal(Error::io("write", target, e)))?;
        size += n as u64;
        progress.inc(n as u64);
    }
    Ok(FileInfo {
        path: source.name.clone(),
        size,
        mtime: mtime_of(meta),
        blake3: hasher.finalize().to_hex().to_string(),
        ctime_ns: ctime_of(meta),
    })
}

pub fn zip_error(place: &Path, e: zip::result::ZipError) -> Error {
    Error::invalid(format!("zip: {e}"), place.display())
}

/// Caps on what a restore unpacks (`backups.max_restore_bytes`, `backups.max_restore_entries`).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_bytes: u64,
    pub max_entries: u64,
}

impl Limits {
    pub fn from_config(config: &crate::config::Config) -> Limits {
        Limits {
            max_bytes: config.backups.max_restore_bytes,
            max_entries: config.backups.max_restore_entries,
        }
    }
}

/// Checks an entry name (from an archive or a manifest) and returns it as a relative path:
/// absolute paths, drive letters, `..` components and NUL bytes are refused, with the reason.
pub fn safe_relative(name: &str) -> std::result::Result<PathBuf, &'static str> {
    if name.contains('\0') {
        return Err("its name holds a NUL byte");
    }
    let unified = name.replace('\\', "/");
    let bytes = unified.as_bytes();
    if unified.starts_with('/') || (bytes.len() >= 2 && bytes[1] == b':') {
        return Err("it has an absolute path");
    }
    let mut out = PathBuf::new();
    for part in unified.split('/') {
        match part {
            "" | "." => {}
            ".." => return Err("it climbs out of the target with `..`"),
            other => out.push(other),
        }
    }
    // `split` already rules these out; this guards against a platform reading more into a name.
    if out.components().any(|c| !matches!(c, Component::Normal(_))) {
        return Err("it is not a plain relative path");
    }
    if out.as_os_str().is_empty() {
        return Err("it has an empty name");
    }
    Ok(out)
}

/// Where a restore puts its files: a fresh temporary folder beside the target, moved into place
/// at the end. A failure at any point leaves nothing behind but what was there before.
pub struct Staging {
    temp: tempfile::TempDir,
    target: PathBuf,
    merge: bool,
}

impl Staging {
    /// `merge`: the target exists and the user said `--force`: files are moved into it one by
    /// one (replacing same-named files) instead of the folder being moved into place.
    pub fn new(target: &Path, merge: bool) -> Result<Staging> {
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .ok_or_else(|| Error::invalid("a restore target needs a parent", target.display()))?;
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temp = store::temp_dir_in(parent, &format!(".{name}.restoring-"))?;
        Ok(Staging {
            temp,
            target: target.to_path_buf(),
            merge,
        })
    }

    pub fn path(&self) -> &Path {
        self.temp.path()
    }

    /// Moves the staged files into the target.
    pub fn commit(self) -> Result<PathBuf> {
        if !self.merge {
            store::persist_dir(self.temp, &self.target)?;
            return Ok(self.target);
        }
        let root = self.temp.path().to_path_buf();
        for (staged, relative) in collect_all_files(&root)? {
            let destination = self.target.join(&relative);
            refuse_symlinked_parents(&self.target, Path::new(&relative))?;
            store::rename(&staged, &destination)?;
        }
        Ok(self.target)
    }
}

/// Refuses to write `relative` below `root` when a folder on the way is a symlink (or a file):
/// writing through it could land outside `root`.
pub fn refuse_symlinked_parents(root: &Path, relative: &Path) -> Result<()> {
    let mut current = root.to_path_buf();
    let parts: Vec<_> = relative.components().collect();
    for part in parts.iter().take(parts.len().saturating_sub(1)) {
        current.push(part);
        match fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                return Err(Error::invalid(
                    "refusing to write through a symbolic link",
                    current.display(),
                ));
            }
            Ok(meta) if !meta.is_dir() => {
                return Err(Error::invalid(
                    "a file stands where a folder is needed",
                    current.display(),
                ));
            }
            Ok(_) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(Error::io("inspect", &current, e)),
        }
    }
    Ok(())
}

/// Picks where a restore goes: `base` when it is free (missing or an empty folder), else
/// `base-2`, `base-3`...; with `force`, `base` itself (merging into it when it exists).
/// Returns the folder and whether files must be merged into an existing one.
pub fn choose_target(base: &Path, force: bool) -> Result<(PathBuf, bool)> {
    let occupied = |path: &Path| -> Result<bool> {
        match fs::symlink_metadata(path) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(Error::io("inspect", path, e)),
            Ok(meta) if meta.is_dir() => Ok(fs::read_dir(path).at("list", path)?.next().is_some()),
            Ok(_) => Ok(true),
        }
    };
    if force {
        if let Ok(meta) = fs::symlink_metadata(base)
            && !meta.is_dir()
        {
            return Err(Error::invalid(
                "the restore target exists and is not a folder",
                base.display(),
            ));
        }
        return Ok((base.to_path_buf(), occupied(base)?));
    }
    if !occupied(base)? {
        return Ok((base.to_path_buf(), false));
    }
    let name = base
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    for n in 2..10_000 {
        let candidate = base.with_file_name(format!("{name}-{n}"));
        if !occupied(&candidate)? {
            return Ok((candidate, false));
        }
    }
    Err(Error::invalid(
        "no free name for the restore target; pass --to or --force",
        base.display(),
    ))
}

/// What an unpack wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Unpacked {
    pub files: u64,
    pub bytes: u64,
}

/// One checked entry of an archive.
struct Planned {
    index: usize,
    relative: PathBuf,
    is_dir: bool,
    size: u64,
    mode: u32,
    modified: Option<std::time::SystemTime>,
}

fn refuse(archive: &Path, entry: &str, why: &str) -> Error {
    Error::invalid(
        format!("refusing to restore: entry `{entry}` is unsafe: {why}"),
        archive.display(),
    )
}

/// Reads the archive's directory and checks every entry before anything is written: names,
/// symlinks, encryption, entry count and declared total size.
fn plan_unpack<R: Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    archive: &Path,
    limits: Limits,
) -> Result<Vec<Planned>> {
    if zip.len() as u64 > limits.max_entries {
        return Err(Error::invalid(
            format!(
                "refusing to restore: the archive has {} entries, more than the limit of {} (backups.max_restore_entries)",
                zip.len(),
                limits.max_entries
            ),
            archive.display(),
        ));
    }
    let mut planned = Vec::with_capacity(zip.len());
    let mut declared = 0u64;
    for index in 0..zip.len() {
        let entry = zip.by_index_raw(index).map_err(|e| zip_error(archive, e))?;
        let name = entry
            .name()
            .map(|n| n.into_owned())
            .unwrap_or_else(|_| String::from_utf8_lossy(entry.name_raw()).into_owned());
        if entry.is_symlink() {
            return Err(refuse(archive, &name, "it is a symbolic link"));
        }
        if entry.encrypted() {
            return Err(refuse(archive, &name, "it is encrypted"));
        }
        let relative = safe_relative(&name).map_err(|why| refuse(archive, &name, why))?;
        declared = declared.saturating_add(entry.size());
        if declared > limits.max_bytes {
            return Err(Error::invalid(
                format!(
                    "refusing to restore: the archive unpacks to more than the limit of {} bytes (backups.max_restore_bytes)",
                    limits.max_bytes
                ),
                archive.display(),
            ));
        }
        let modified = entry.last_modified().and_then(|dos| {
            let civil = jiff::civil::DateTime::try_from(dos).ok()?;
            let zoned = civil.to_zoned(crate::clock::local_zone()).ok()?;
            Some(std::time::SystemTime::from(zoned.timestamp()))
        });
        planned.push(Planned {
            index,
            relative,
            is_dir: entry.is_dir(),
            size: entry.size(),
            // Permission bits only: no set-uid or set-gid from an archive.
            mode: entry.unix_mode().map(|m| m & 0o777).unwrap_or(0o644),
            modified,
        });
    }
    Ok(planned)
}

/// Unpacks `archive` into `target` safely: every entry is checked first (see [`check`]),
/// each file may not expand beyond its declared size, everything is written into a staging
/// folder beside the target and moved into place only at the end. `before_commit` may add files
/// to the staging folder (a restore marker). Nothing is written outside `target`; on error
/// nothing is left behind.
pub fn unpack(
    archive: &Path,
    target: &Path,
    merge: bool,
    limits: Limits,
    progress: &ProgressBar,
    before_commit: impl FnOnce(&Path) -> Result<()>,
) -> Result<Unpacked> {
    let checked = check(archive, limits)?;
    let staging = Staging::new(target, merge)?;
    let done = checked.write_into(staging.path(), progress)?;
    before_commit(staging.path())?;
    staging.commit()?;
    Ok(done)
}

/// An archive whose every entry was checked, ready to be unpacked.
pub struct Checked {
    archive: PathBuf,
    zip: zip::ZipArchive<std::io::BufReader<File>>,
    planned: Vec<Planned>,
}

/// Opens `archive` and checks every entry before anything is written: names, symlinks,
/// encryption, entry count and declared total size against `limits`.
pub fn check(archive: &Path, limits: Limits) -> Result<Checked> {
    let file = File::open(archive).at("open", archive)?;
    let mut zip =
        zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(|e| zip_error(archive, e))?;
    let planned = plan_unpack(&mut zip, archive, limits)?;
    Ok(Checked {
        archive: archive.to_path_buf(),
        zip,
        planned,
    })
}

impl Checked {
    /// Entries (files and folders), and the bytes the files declare.
    pub fn entries(&self) -> u64 {
        self.planned.len() as u64
    }

    pub fn declared_bytes(&self) -> u64 {
        self.planned.iter().map(|p| p.size).sum()
    }

    /// Unpacks into `dir`, a folder inside a [`Staging`] folder (created when missing); the
    /// caller commits the staging folder.
    pub fn write_into(mut self, dir: &Path, progress: &ProgressBar) -> Result<Unpacked> {
        let archive = self.archive.as_path();
        progress.inc_length(self.planned.len() as u64);
        store::ensure_dir(dir)?;
        let mut done = Unpacked::default();
        for item in &self.planned {
            let destination = dir.join(&item.relative);
            if item.is_dir {
                store::ensure_dir(&destination)?;
                progress.inc(1);
                continue;
            }
            let mut entry = self
                .zip
                .by_index(item.index)
                .map_err(|e| zip_error(archive, e))?;
            let name = item.relative.display().to_string();
            let written =
                store::create_new_with(&destination, item.mode, item.modified, false, |out| {
                    // One byte more than declared tells a lying header from an honest one.
                    let mut limited = (&mut entry).take(item.size.saturating_add(1));
                    std::io::copy(&mut limited, out).map_err(|e| {
                        Error::invalid(
                            format!("refusing to restore: entry `{name}` does not unpack: {e}"),
                            archive.display(),
                        )
                    })
                })?;
            if written > item.size {
                return Err(refuse(
                    archive,
                    &name,
                    "it expands beyond the size it declares",
                ));
            }
            done.files += 1;
            done.bytes += written;
            progress.inc(1);
        }
        Ok(done)
    }
}

#[cfg(test)]
mod tests {
    use super::{is_our_lock_file, safe_relative};
    use std::path::PathBuf;

    #[test]
    fn only_our_own_lock_files_are_left_out_of_archives() {
        assert!(is_our_lock_file("session.yaml.lock", 0));
        assert!(is_our_lock_file("snapshots.lock", 0));
        assert!(is_our_lock_file("auto-checkpoint.lock", 0));
        assert!(is_our_lock_file("sessions/active/x/session.yaml.lock", 0));
        assert!(is_our_lock_file("session-summaries/2025-10-25.md.lock", 0));
        // Projects' and users' lock files are content, wherever they are.
        for name in [
            "snapshots/checkpoint-001-10-00-00/Cargo.lock",
            "artifacts/flake.lock",
            "Gemfile.lock",
            "yarn.lock",
        ] {
            assert!(!is_our_lock_file(name, 0), "{name}");
            assert!(!is_our_lock_file(name, 120), "{name}");
        }
        // A lock of ours is never written to: a non-empty one is someone's content.
        assert!(!is_our_lock_file("notes.md.lock", 5));
        assert!(!is_our_lock_file("session.yaml", 0));
    }

    #[test]
    fn plain_relative_names_pass_and_hostile_ones_are_refused_with_a_reason() {
        assert_eq!(safe_relative("a/b.txt"), Ok(PathBuf::from("a/b.txt")));
        assert_eq!(safe_relative("./a//b/"), Ok(PathBuf::from("a/b")));
        assert_eq!(safe_relative("a\\b"), Ok(PathBuf::from("a/b")));
        for (name, why) in [
            ("../x", "`..`"),
            ("a/../../x", "`..`"),
            ("a\\..\\x", "`..`"),
            ("/etc/x", "absolute"),
            ("\\\\server\\x", "absolute"),
            ("C:/x", "absolute"),
            ("a\0b", "NUL"),
            ("", "empty"),
            ("./", "empty"),
        ] {
            let err = safe_relative(name).expect_err(name);
            assert!(err.contains(why), "{name:?}: {err}");
        }
    }
}
