//! Reading a Claude Code transcript (`<session_id>.jsonl`, possibly hundreds of MB) as a stream:
//! token usage with each API response counted once, and the last prompts the user typed.
//!
//! A transcript path comes from a hook payload, so it may name anything. Only regular files
//! are read (a FIFO would block, `/dev/zero` and `/dev/urandom` never end, a directory is no
//! file); a line longer than [`Limits::line_bytes`] is skipped without being held in memory,
//! and a read stops at [`Limits::total_bytes`] or after [`Limits::time`]. What was left out
//! comes back in [`Skipped`] for the hook log.

use crate::error::{Error, IoContext, Result};
use crate::session::TokenUsage;
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::collections::{HashSet, VecDeque};
use std::fmt;
use std::fs::{File, Metadata, OpenOptions};
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
use std::path::Path;
use std::time::{Duration, Instant};

const MIB: u64 = 1024 * 1024;

/// The bounds of one read of a transcript.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Longest line parsed; a longer one is skipped as it streams by.
    pub line_bytes: u64,
    /// Most bytes read.
    pub total_bytes: u64,
    /// Longest time spent reading.
    pub time: Duration,
}

impl Limits {
    /// The detached session-end worker (token count). Nobody waits for it, but it must end:
    /// real transcripts reach hundreds of MB, so 1 GiB leaves them whole while a runaway file
    /// stops there; 60 s is several times what 1 GiB of JSON lines takes. A line of 64 MiB
    /// still counts (a Write of a large file is one line, and it carries the usage).
    pub const WORKER: Limits = Limits {
        line_bytes: 64 * MIB,
        total_bytes: 1024 * MIB,
        time: Duration::from_secs(60),
    };

    /// A hook that Claude Code waits for (pre-compact's last prompts): the last 32 MiB of
    /// the file, 3 s at most; a typed prompt over 8 MiB is skipped.
    pub const HOOK: Limits = Limits {
        line_bytes: 8 * MIB,
        total_bytes: 32 * MIB,
        time: Duration::from_secs(3),
    };
}

/// Why a read stopped before the end of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    Bytes,
    Time,
}

/// What a read left out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Skipped {
    /// Lines longer than the line cap.
    pub long_lines: u64,
    /// Set when a cap ended the read before the end of the file.
    pub stopped: Option<Stop>,
}

impl Skipped {
    /// One phrase for the hook log, or `None` when nothing was left out.
    pub fn describe(&self, limits: &Limits) -> Option<String> {
        let mut parts = Vec::new();
        if self.long_lines > 0 {
            parts.push(format!(
                "{} line{} over {} MiB skipped",
                self.long_lines,
                if self.long_lines == 1 { "" } else { "s" },
                limits.line_bytes / MIB
            ));
        }
        match self.stopped {
            Some(Stop::Bytes) => parts.push(format!(
                "stopped at the {} MiB read cap",
                limits.total_bytes / MIB
            )),
            Some(Stop::Time) => parts.push(format!(
                "stopped at the {} s time cap",
                limits.time.as_secs()
            )),
            None => {}
        }
        (!parts.is_empty()).then(|| parts.join(", "))
    }
}

/// What a read found, and what it left out.
#[derive(Debug)]
pub struct Scan<T> {
    pub value: T,
    pub skipped: Skipped,
}

/// Why a transcript was not read.
#[derive(Debug)]
pub enum Unreadable {
    /// No such file (Claude Code deletes transcripts after 30 days).
    Missing,
    /// A FIFO, a device, a directory...: what it is.
    NotRegular(&'static str),
    Failed(Error),
}

impl fmt::Display for Unreadable {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Unreadable::Missing => f.write_str("no such file"),
            Unreadable::NotRegular(kind) => write!(f, "not a regular file ({kind})"),
            Unreadable::Failed(e) => write!(f, "{e}"),
        }
    }
}

impl From<Error> for Unreadable {
    fn from(e: Error) -> Self {
        Unreadable::Failed(e)
    }
}

/// `O_NONBLOCK`: a path swapped for a FIFO between the type check and the open must not block
/// the open. The Linux value of its common architectures; elsewhere the checks before and
/// after the open guard alone.
const O_NONBLOCK: i32 = if cfg!(all(
    target_os = "linux",
    any(
        target_arch = "x86",
        target_arch = "x86_64",
        target_arch = "arm",
        target_arch = "aarch64",
        target_arch = "riscv64",
        target_arch = "powerpc",
        target_arch = "powerpc64",
        target_arch = "s390x",
        target_arch = "loongarch64"
    )
)) {
    0o4000
} else {
    0
};

fn kind_of(meta: &Metadata) -> &'static str {
    let kind = meta.file_type();
    if kind.is_dir() {
        "a directory"
    } else if kind.is_fifo() {
        "a FIFO"
    } else if kind.is_char_device() {
        "a character device"
    } else if kind.is_block_device() {
        "a block device"
    } else if kind.is_socket() {
        "a socket"
    } else {
        "not a file"
    }
}

/// Opens `path` (through symlinks) when it is a regular file, checked before the open (a FIFO
/// is never opened) and again on the open file (in case the path was swapped meanwhile).
#[allow(clippy::disallowed_methods)] // opened read-only, for O_NONBLOCK
pub fn open(path: &Path) -> Result<File, Unreadable> {
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Unreadable::Missing),
        Err(e) => return Err(Error::io("read transcript", path, e).into()),
    };
    if !meta.is_file() {
        return Err(Unreadable::NotRegular(kind_of(&meta)));
    }
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(O_NONBLOCK)
        .open(path)
        .at("open transcript", path)?;
    let opened = file.metadata().at("read transcript", path)?;
    if !opened.is_file() {
        return Err(Unreadable::NotRegular(kind_of(&opened)));
    }
    Ok(file)
}

/// Lines of a file within [`Limits`]: one buffer reused, over-long lines skipped unbuffered.
struct Lines<R> {
    reader: BufReader<R>,
    limits: Limits,
    started: Instant,
    read: u64,
    skipped: Skipped,
}

/// Chunk in which an over-long line is skipped.
const SKIP_CHUNK: u64 = 64 * 1024;

impl<R: Read> Lines<R> {
    fn new(inner: R, limits: Limits) -> Lines<R> {
        Lines {
            reader: BufReader::with_capacity(64 * 1024, inner),
            limits,
            started: Instant::now(),
            read: 0,
            skipped: Skipped::default(),
        }
    }

    /// Whether a cap ends the read here (and records which, unless the file ends here too).
    fn capped(&mut self) -> bool {
        if self.skipped.stopped.is_some() {
            return true;
        }
        if self.read >= self.limits.total_bytes {
            if !self.reader.fill_buf().is_ok_and(|rest| rest.is_empty()) {
                self.skipped.stopped = Some(Stop::Bytes);
            }
            return true;
        }
        if self.started.elapsed() >= self.limits.time {
            self.skipped.stopped = Some(Stop::Time);
            return true;
        }
        false
    }

    /// Reads up to `room` bytes, to the next newline at most, into `buffer`.
    fn read_some(&mut self, room: u64, buffer: &mut Vec<u8>) -> std::io::Result<usize> {
        let n = (&mut self.reader).take(room).read_until(b'\n', buffer)?;
        self.read += n as u64;
        Ok(n)
    }

    /// Skips to just past the next newline, in chunks; `false` at the end or a cap.
    fn skip_line(&mut self, scratch: &mut Vec<u8>) -> std::io::Result<bool> {
        loop {
            if self.capped() {
                return Ok(false);
            }
            scratch.clear();
            let room = (self.limits.total_bytes - self.read).min(SKIP_CHUNK);
            if self.read_some(room, scratch)? == 0 {
                return Ok(false);
            }
            if scratch.last() == Some(&b'\n') {
                return Ok(true);
            }
        }
    }

    /// The next line into `buffer` (replacing what it held); `false` at the end or a cap.
    fn next(&mut self, buffer: &mut Vec<u8>) -> std::io::Result<bool> {
        // A long line may have grown the buffer: do not keep 64 MiB for the rest of the file.
        if buffer.capacity() > 4 * MIB as usize {
            *buffer = Vec::with_capacity(64 * 1024);
        }
        loop {
            if self.capped() {
                return Ok(false);
            }
            buffer.clear();
            let room = (self.limits.total_bytes - self.read).min(self.limits.line_bytes + 1);
            let n = self.read_some(room, buffer)?;
            if n == 0 {
                return Ok(false);
            }
            if buffer.last() == Some(&b'\n') || (n as u64) < room {
                return Ok(true); // a whole line, or the last one without its newline
            }
            if buffer.len() as u64 > self.limits.line_bytes {
                self.skipped.long_lines += 1;
                buffer.clear();
                let mut scratch = std::mem::take(buffer);
                let more = self.skip_line(&mut scratch)?;
                *buffer = scratch;
                if !more {
                    return Ok(false);
                }
            }
            // Else the byte cap cut the line: the next turn stops.
        }
    }
}

/// Calls `each` with every line read within `limits` (with `tail`, of the file's last
/// `limits.total_bytes` only, the partial line they begin in left out); lines that do not
/// parse as a transcript line (a half-written last line, say) are skipped.
fn for_each_line(
    path: &Path,
    limits: Limits,
    tail: bool,
    mut each: impl FnMut(&Line),
) -> Result<Skipped, Unreadable> {
    let mut file = open(path)?;
    let mut skip_first = false;
    if tail {
        let len = file.metadata().at("read transcript", path)?.len();
        if len > limits.total_bytes {
            file.seek(SeekFrom::Start(len - limits.total_bytes))
                .at("read transcript", path)?;
            skip_first = true;
        }
    }
    let mut lines = Lines::new(file, limits);
    let mut buffer = Vec::with_capacity(64 * 1024);
    if skip_first && !lines.skip_line(&mut buffer).at("read transcript", path)? {
        return Ok(lines.skipped);
    }
    while lines.next(&mut buffer).at("read transcript", path)? {
        if let Ok(line) = serde_json::from_slice::<Line>(&buffer) {
            each(&line);
        }
    }
    Ok(lines.skipped)
}

/// One transcript line: only what we read; `content` and the rest are skipped unread.
#[derive(Deserialize)]
struct Line<'a> {
    #[serde(default, rename = "type", borrow)]
    kind: Option<Cow<'a, str>>,
    #[serde(default, rename = "requestId")]
    request_id: Option<String>,
    #[serde(default, rename = "isMeta")]
    is_meta: Option<bool>,
    #[serde(default, rename = "isCompactSummary")]
    is_compact_summary: Option<bool>,
    #[serde(default, borrow)]
    message: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct AssistantMessage {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    usage: Option<Usage>,
}

#[derive(Deserialize, Default)]
struct Usage {
    #[serde(default)]
    input_tokens: u64,
    #[serde(default)]
    output_tokens: u64,
    #[serde(default)]
    cache_creation_input_tokens: u64,
    #[serde(default)]
    cache_read_input_tokens: u64,
}

#[derive(Deserialize)]
struct UserMessage<'a> {
    #[serde(default, borrow)]
    content: Option<&'a RawValue>,
}

/// Token usage of the transcript's API responses. One response with several content blocks is
/// written as several lines carrying the same `message.id`, `requestId` and usage: counted once.
pub fn usage(path: &Path, limits: Limits) -> Result<Scan<TokenUsage>, Unreadable> {
    let mut seen: HashSet<String> = HashSet::new();
    let mut total = TokenUsage::default();
    let skipped = for_each_line(path, limits, false, |line| {
        if line.kind.as_deref() != Some("assistant") {
            return;
        }
        let Some(message) = line
            .message
            .and_then(|raw| serde_json::from_str::<AssistantMessage>(raw.get()).ok())
        else {
            return;
        };
        let Some(usage) = message.usage else { return };
        if message.id.is_some() || line.request_id.is_some() {
            let key = format!(
                "{}\n{}",
                message.id.as_deref().unwrap_or(""),
                line.request_id.as_deref().unwrap_or("")
            );
            if !seen.insert(key) {
                return;
            }
        }
        total.responses += 1;
        total.input_tokens += usage.input_tokens;
        total.output_tokens += usage.output_tokens;
        total.cache_creation_input_tokens += usage.cache_creation_input_tokens;
        total.cache_read_input_tokens += usage.cache_read_input_tokens;
    })?;
    Ok(Scan {
        value: total,
        skipped,
    })
}

/// The last `keep` prompts the user typed, oldest first: user lines whose content is plain
/// text, leaving out tool results, meta lines, compaction summaries and command wrappers.
/// Only the file's last `limits.total_bytes` are read.
pub fn last_prompts(
    path: &Path,
    keep: usize,
    limits: Limits,
) -> Result<Scan<Vec<String>>, Unreadable> {
    let mut prompts: VecDeque<String> = VecDeque::with_capacity(keep + 1);
    if keep == 0 {
        return Ok(Scan {
            value: Vec::new(),
            skipped: Skipped::default(),
        });
    }
    let skipped = for_each_line(path, limits, true, |line| {
        if line.kind.as_deref() != Some("user")
            || line.is_meta == Some(true)
            || line.is_compact_summary == Some(true)
        {
            return;
        }
        let Some(message) = line
            .message
            .and_then(|raw| serde_json::from_str::<UserMessage>(raw.get()).ok())
        else {
            return;
        };
        let Some(text) = message
            .content
            .and_then(|raw| serde_json::from_str::<String>(raw.get()).ok())
        else {
            return; // tool results and other block lists
        };
        let text = text.trim();
        if text.is_empty() || text.starts_with('<') {
            return;
        }
        prompts.push_back(crate::session::truncate_chars(
            text,
            crate::session::PROMPT_CHARS,
        ));
        if prompts.len() > keep {
            prompts.pop_front();
        }
    })?;
    Ok(Scan {
        value: prompts.into(),
        skipped,
    })
}

/// How much of a transcript's head is read to find its first user message.
const HEAD_BYTES: u64 = 256 * 1024;

/// The `uuid` of the transcript's first user line, read from its first 256 KiB. A fork's
/// transcript starts with copies of its parent's lines, uuids included: the same first uuid
/// ties a fork to the conversation it came from (its SessionStart names no parent).
pub fn first_user_uuid(path: &Path) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Head {
        #[serde(rename = "type")]
        kind: Option<String>,
        uuid: Option<String>,
    }
    let file = open(path).ok()?;
    let reader = BufReader::new(file.take(HEAD_BYTES));
    reader
        .split(b'\n')
        .map_while(|line| line.ok())
        .filter_map(|line| serde_json::from_slice::<Head>(&line).ok())
        .find(|head| head.kind.as_deref() == Some("user") && head.uuid.is_some())
        .and_then(|head| head.uuid)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn file_with(lines: &[&str]) -> tempfile::NamedTempFile {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        for line in lines {
            writeln!(file, "{line}").unwrap();
        }
        file
    }

    #[test]
    fn repeated_response_lines_count_once_and_odd_lines_are_skipped() {
        let file = file_with(&[
            r#"{"type":"assistant","requestId":"r1","message":{"id":"m1","usage":{"input_tokens":3,"output_tokens":5}}}"#,
            r#"{"type":"assistant","requestId":"r1","message":{"id":"m1","usage":{"input_tokens":3,"output_tokens":5}}}"#,
            r#"{"type":"assistant","requestId":"r2","message":{"id":"m1","usage":{"input_tokens":1,"output_tokens":1}}}"#,
            r#"{"type":"user","message":{"role":"user","content":"hi"}}"#,
            r#"{"type":"assistant","message":{"content":[]}}"#,
            "not json",
            r#"{"type":"assistant","requestId":"r3","message":{"id":"m3","usage":{"output_tokens":2"#,
        ]);
        let scan = usage(file.path(), Limits::WORKER).unwrap();
        assert_eq!(scan.skipped, Skipped::default());
        let usage = scan.value;
        assert_eq!(usage.responses, 2);
        assert_eq!(usage.input_tokens, 4);
        assert_eq!(usage.output_tokens, 6);
    }

    #[test]
    fn prompts_are_typed_text_only() {
        let file = file_with(&[
            r#"{"type":"user","message":{"content":"first"}}"#,
            r#"{"type":"user","message":{"content":[{"type":"tool_result","content":"x"}]}}"#,
            r#"{"type":"user","isMeta":true,"message":{"content":"meta"}}"#,
            r#"{"type":"user","message":{"content":"<command-name>/compact</command-name>"}}"#,
            r#"{"type":"user","isCompactSummary":true,"message":{"content":"summary"}}"#,
            r#"{"type":"user","message":{"content":"second"}}"#,
            r#"{"type":"user","message":{"content":"third"}}"#,
        ]);
        let prompts = |keep| last_prompts(file.path(), keep, Limits::HOOK).unwrap().value;
        assert_eq!(prompts(2), ["second", "third"]);
        assert_eq!(prompts(5), ["first", "second", "third"]);
    }

    fn response(n: u64) -> String {
        format!(
            r#"{{"type":"assistant","requestId":"r{n}","message":{{"id":"m{n}","usage":{{"output_tokens":1}}}}}}"#
        )
    }

    #[test]
    fn over_long_lines_are_skipped_and_counted() {
        let long = format!("{{\"type\":\"assistant\",\"x\":\"{}\"}}", "y".repeat(5000));
        let file = file_with(&[&response(1), &long, &response(2), &long, &long]);
        let limits = Limits {
            line_bytes: 1024,
            ..Limits::WORKER
        };
        let scan = usage(file.path(), limits).unwrap();
        assert_eq!(scan.value.responses, 2);
        assert_eq!(scan.skipped.long_lines, 3);
        assert_eq!(scan.skipped.stopped, None);
        assert_eq!(
            scan.skipped.describe(&Limits::WORKER).unwrap(),
            "3 lines over 64 MiB skipped"
        );
        // A line of exactly the cap is read.
        let exact = response(3);
        let limits = Limits {
            line_bytes: exact.len() as u64 + 1,
            ..Limits::WORKER
        };
        let file = file_with(&[&exact]);
        assert_eq!(usage(file.path(), limits).unwrap().value.responses, 1);
    }

    #[test]
    fn the_byte_and_time_caps_end_a_read() {
        let lines: Vec<String> = (0..100).map(response).collect();
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let file = file_with(&refs);
        let line = lines[0].len() as u64 + 1;
        let limits = Limits {
            total_bytes: 10 * line + line / 2,
            ..Limits::WORKER
        };
        let scan = usage(file.path(), limits).unwrap();
        assert_eq!(scan.value.responses, 10, "the cut 11th line is not read");
        assert_eq!(scan.skipped.stopped, Some(Stop::Bytes));
        let limits = Limits {
            time: Duration::ZERO,
            ..Limits::WORKER
        };
        let scan = usage(file.path(), limits).unwrap();
        assert_eq!(scan.value.responses, 0);
        assert_eq!(scan.skipped.stopped, Some(Stop::Time));
        assert_eq!(
            scan.skipped.describe(&limits).unwrap(),
            "stopped at the 0 s time cap"
        );
    }

    #[test]
    fn last_prompts_reads_the_end_of_a_large_file() {
        let mut lines = vec![r#"{"type":"user","message":{"content":"old"}}"#.to_string()];
        lines.extend((0..1000).map(response));
        lines.push(r#"{"type":"user","message":{"content":"recent"}}"#.to_string());
        let refs: Vec<&str> = lines.iter().map(String::as_str).collect();
        let file = file_with(&refs);
        let limits = Limits {
            total_bytes: 10_000,
            ..Limits::HOOK
        };
        let scan = last_prompts(file.path(), 5, limits).unwrap();
        assert_eq!(scan.value, ["recent"]);
        assert_eq!(scan.skipped, Skipped::default());
    }

    #[test]
    fn only_regular_files_are_opened() {
        let dir = tempfile::tempdir().unwrap();
        let not = |path: &Path| match open(path) {
            Err(Unreadable::NotRegular(kind)) => kind,
            other => panic!("{}: {other:?}", path.display()),
        };
        assert_eq!(not(Path::new("/dev/zero")), "a character device");
        assert_eq!(not(dir.path()), "a directory");
        // FIFOs: tests/it/hooks/transcripts.rs (making one needs a child process).
        let link = dir.path().join("link");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        assert_eq!(not(&link), "a character device");
        assert!(matches!(
            open(&dir.path().join("missing")),
            Err(Unreadable::Missing)
        ));
        let file = file_with(&["{}"]);
        assert!(open(file.path()).is_ok());
    }
}
