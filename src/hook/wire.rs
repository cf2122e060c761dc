//! What Claude Code writes on a hook's stdin, read tolerantly: only the fields we use, every one
//! optional, unknown fields ignored. Tool inputs and responses stay borrowed raw JSON until a
//! handler asks for the few fields it needs, so a Write's `content` (megabytes, possibly) is
//! never copied into a string of its own.

use serde::Deserialize;
use serde_json::value::RawValue;
use std::borrow::Cow;

/// The fields common to every event, plus the per-event ones we read.
#[derive(Debug, Default, Deserialize)]
pub struct Payload<'a> {
    #[serde(default)]
    pub session_id: Option<String>,
    #[serde(default)]
    pub transcript_path: Option<String>,
    #[serde(default)]
    pub cwd: Option<String>,
    #[serde(default)]
    pub hook_event_name: Option<String>,
    #[serde(default)]
    pub tool_name: Option<String>,
    #[serde(default, borrow)]
    pub tool_input: Option<&'a RawValue>,
    #[serde(default, borrow)]
    pub tool_response: Option<&'a RawValue>,
    #[serde(default)]
    pub tool_use_id: Option<String>,
    /// SessionStart: startup, resume, clear, compact.
    #[serde(default)]
    pub source: Option<String>,
    /// SessionEnd: clear, logout, prompt_input_exit, other...
    #[serde(default)]
    pub reason: Option<String>,
    /// PreCompact: manual or auto.
    #[serde(default)]
    pub trigger: Option<String>,
    #[serde(default, borrow)]
    pub custom_instructions: Option<Cow<'a, str>>,
    /// UserPromptSubmit: the text as typed.
    #[serde(default, borrow)]
    pub prompt: Option<Cow<'a, str>>,
}

impl<'a> Payload<'a> {
    /// Parses a payload; the error says what is wrong with the input, in one line.
    pub fn parse(bytes: &'a [u8]) -> Result<Payload<'a>, String> {
        match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
            None => return Err("empty input".to_string()),
            // serde would also read a struct from an array; a payload is always an object.
            Some(b'{') => {}
            Some(_) => return Err("input is not a JSON object".to_string()),
        }
        let payload: Payload = serde_json::from_slice(bytes)
            .map_err(|e| format!("input is not a hook payload: {e}"))?;
        if payload.session_id.is_none() {
            return Err("the payload has no session_id".to_string());
        }
        Ok(payload)
    }

    pub fn tool_input(&self) -> ToolInput<'a> {
        parse_lenient(self.tool_input)
    }

    pub fn tool_response(&self) -> ToolResponse {
        parse_lenient(self.tool_response)
    }

    /// The event name, or "" when the payload has none.
    pub fn event(&self) -> &str {
        self.hook_event_name.as_deref().unwrap_or("")
    }
}

/// A tool's input or response that is not the object we expect reads as empty: the handler then
/// reports the missing field instead of the whole payload failing.
fn parse_lenient<'a, T: Deserialize<'a> + Default>(raw: Option<&'a RawValue>) -> T {
    raw.and_then(|raw| serde_json::from_str(raw.get()).ok())
        .unwrap_or_default()
}

/// `tool_input` of Write, Edit, MultiEdit, NotebookEdit, Agent and Task. `content`,
/// `old_string`, `new_string` and `prompt` are skipped unread.
#[derive(Debug, Default, Deserialize)]
pub struct ToolInput<'a> {
    #[serde(default, borrow)]
    pub file_path: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    pub notebook_path: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    pub description: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    pub subagent_type: Option<Cow<'a, str>>,
}

/// `tool_response` fields of Write (`type`) and Agent/Task (the rest).
#[derive(Debug, Default, Deserialize)]
pub struct ToolResponse {
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default, rename = "totalDurationMs", deserialize_with = "lenient_u64")]
    pub total_duration_ms: Option<u64>,
    #[serde(default, rename = "totalTokens", deserialize_with = "lenient_u64")]
    pub total_tokens: Option<u64>,
    #[serde(default, rename = "agentId")]
    pub agent_id: Option<String>,
    #[serde(default, rename = "agentType")]
    pub agent_type: Option<String>,
}

/// A count that may arrive as an integer, a float, or not at all.
fn lenient_u64<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    let number = Option::<serde_json::Number>::deserialize(d)?;
    Ok(number.and_then(|n| {
        n.as_u64()
            .or_else(|| n.as_f64().filter(|f| *f >= 0.0).map(|f| f.round() as u64))
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_write_payload_yields_its_path_and_kind_without_its_content() {
        let text = br#"{"session_id":"s1","hook_event_name":"PostToolUse","tool_name":"Write",
            "tool_input":{"file_path":"/p/a.md","content":"x\ny"},
            "tool_response":{"type":"create","content":"x\ny"},"extra":[1,2]}"#;
        let payload = Payload::parse(text).unwrap();
        assert_eq!(payload.event(), "PostToolUse");
        assert_eq!(payload.tool_input().file_path.as_deref(), Some("/p/a.md"));
        assert_eq!(payload.tool_response().kind.as_deref(), Some("create"));
    }

    #[test]
    fn odd_tool_responses_read_as_empty() {
        let text = br#"{"session_id":"s","tool_response":"oops","tool_input":[1]}"#;
        let payload = Payload::parse(text).unwrap();
        assert!(payload.tool_response().kind.is_none());
        assert!(payload.tool_input().file_path.is_none());
        let floats =
            br#"{"session_id":"s","tool_response":{"totalTokens":12.0,"totalDurationMs":-1}}"#;
        let response = Payload::parse(floats).unwrap().tool_response();
        assert_eq!(response.total_tokens, Some(12));
        assert_eq!(response.total_duration_ms, None);
    }

    #[test]
    fn empty_and_broken_input_is_refused_with_a_reason() {
        assert_eq!(Payload::parse(b"  \n").unwrap_err(), "empty input");
        assert!(Payload::parse(b"{\"session_id\":").is_err());
        assert!(Payload::parse(b"[1,2]").is_err());
        assert!(Payload::parse(br#"["s1"]"#).is_err());
        assert!(Payload::parse(b"{}").is_err());
    }
}
