//! Reading a Claude Code transcript (`<session_id>.jsonl`, possibly hundreds of MB) as a stream:
//! token usage with each API response counted once, and the last prompts the user typed.

use crate::error::{IoContext, Result};
use crate::session::TokenUsage;
use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::collections::{HashSet, VecDeque};
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

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

/// Calls `each` with every line of the file, reusing one buffer; lines that do not parse as a
/// transcript line (a half-written last line, say) are skipped.
fn for_each_line(path: &Path, mut each: impl FnMut(&Line)) -> Result<()> {
    let file = File::open(path).at("open transcript", path)?;
    let mut reader = BufReader::with_capacity(64 * 1024, file);
    let mut buffer = Vec::with_capacity(64 * 1024);
    loop {
        buffer.clear();
        let read = reader
            .read_until(b'\n', &mut buffer)
            .at("read transcript", path)?;
        if read == 0 {
            return Ok(());
        }
        if let Ok(line) = serde_json::from_slice::<Line>(&buffer) {
            each(&line);
        }
    }
}

/// Token usage of the transcript's API responses. One response with several content blocks is
/// written as several lines carrying the same `message.id`, `requestId` and usage: counted once.
pub fn usage(path: &Path) -> Result<TokenUsage> {
    let mut seen: HashSet<String> = HashSet::new();
    let mut total = TokenUsage::default();
    for_each_line(path, |line| {
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
    Ok(total)
}

/// The last `keep` prompts the user typed, oldest first: user lines whose content is plain
/// text, leaving out tool results, meta lines, compaction summaries and command wrappers.
pub fn last_prompts(path: &Path, keep: usize) -> Result<Vec<String>> {
    let mut prompts: VecDeque<String> = VecDeque::with_capacity(keep + 1);
    if keep == 0 {
        return Ok(Vec::new());
    }
    for_each_line(path, |line| {
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
    Ok(prompts.into())
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
        let usage = usage(file.path()).unwrap();
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
        assert_eq!(last_prompts(file.path(), 2).unwrap(), ["second", "third"]);
        assert_eq!(
            last_prompts(file.path(), 5).unwrap(),
            ["first", "second", "third"]
        );
    }
}
