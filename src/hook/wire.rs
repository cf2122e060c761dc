//! What Claude Code writes on a hook's stdin, read tolerantly: only the fields we use, every one
//! optional, unknown fields ignored. Tool inputs and responses stay borrowed raw JSON until a
//! handler asks for the few fields it needs, so a Write's `content` (megabytes, possibly) is
//! never copied into a string of its own.
//!
//! Hostile input keeps what can be kept:
//! - A field of the wrong type (`"reason": 5`, `"source": []`, `"tool_input": "x"`) reads as
//!   absent, and the rest of the event is recorded; the hook log says which field was ignored.
//! - A key given twice: the **last** usable value wins (as `JSON.parse` does; Claude Code is
//!   JavaScript), and a later value of the wrong type does not erase an earlier good one.
//! - Every string a hook records is capped ([`PATH_BYTES`], [`TEXT_BYTES`], [`NAME_BYTES`]),
//!   cut at a character boundary and marked with `…`; the hook log says what was cut. A
//!   `cwd` or `transcript_path` over [`PATH_BYTES`] names no real file (Linux's `PATH_MAX` is
//!   4096): it is ignored rather than cut into another path. Prompts are kept whole here and
//!   cut to [`crate::session::PROMPT_CHARS`] characters where they are recorded, without a log
//!   line (long prompts are normal).
//! - Nesting deeper than serde_json's limit (128) still fails the whole payload (logged).

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::cell::RefCell;
use std::fmt;

/// Most bytes kept of a file path (`file_path`, `notebook_path`, a recorded artifact path).
pub const PATH_BYTES: usize = 4096;
/// Most bytes kept of a free text (`description`, `custom_instructions`).
pub const TEXT_BYTES: usize = 2048;
/// Most bytes kept of a title (a task's subject, a todo's content).
pub const TITLE_BYTES: usize = 512;
/// Most bytes kept of a name or id (tool, event, subagent type, agent id, tool_use_id, status,
/// `source`, `reason`, `trigger`).
pub const NAME_BYTES: usize = 256;
/// Appended where a string was cut.
pub const CUT_MARKER: &str = "…";

/// `text` within `max` bytes: cut at a character boundary and marked with [`CUT_MARKER`].
pub fn cap(text: &str, max: usize) -> Cow<'_, str> {
    if text.len() <= max {
        return Cow::Borrowed(text);
    }
    let kept = crate::templates::cut_bytes(text, max.saturating_sub(CUT_MARKER.len()));
    Cow::Owned(format!("{kept}{CUT_MARKER}"))
}

/// Notes for the hook log on what was cut or ignored; one line in the end.
#[derive(Debug, Default)]
pub struct Notes(RefCell<Vec<String>>);

impl Notes {
    pub fn push(&self, note: String) {
        let mut notes = self.0.borrow_mut();
        if !notes.contains(&note) {
            notes.push(note);
        }
    }

    /// The notes joined, or `None` when there are none.
    pub fn joined(&self) -> Option<String> {
        let notes = self.0.borrow();
        (!notes.is_empty()).then(|| notes.join("; "))
    }

    /// Caps `text` to `max` bytes, noting a cut of `field`.
    pub fn cap<'s>(&self, field: &str, text: Cow<'s, str>, max: usize) -> Cow<'s, str> {
        if text.len() <= max {
            return text;
        }
        self.push(format!("cut {field} from {} to {max} bytes", text.len()));
        Cow::Owned(cap(&text, max).into_owned())
    }

    pub fn cap_owned(&self, field: &str, text: Option<Cow<'_, str>>, max: usize) -> Option<String> {
        text.map(|t| self.cap(field, t, max).into_owned())
    }

    /// A path longer than `max` bytes is no path at all: ignored, with a note.
    fn path(&self, field: &str, text: Option<Cow<'_, str>>, max: usize) -> Option<String> {
        let text = text?;
        if text.len() > max {
            self.push(format!(
                "ignored {field} ({} bytes, longer than any path)",
                text.len()
            ));
            return None;
        }
        Some(text.into_owned())
    }
}

/// The fields common to every event, plus the per-event ones we read.
#[derive(Debug, Default)]
pub struct Payload<'a> {
    pub session_id: Option<String>,
    pub transcript_path: Option<String>,
    pub cwd: Option<String>,
    pub hook_event_name: Option<String>,
    pub tool_name: Option<String>,
    pub tool_input: Option<&'a RawValue>,
    pub tool_response: Option<&'a RawValue>,
    pub tool_use_id: Option<String>,
    /// SessionStart: startup, resume, clear, compact.
    pub source: Option<String>,
    /// SessionEnd: clear, logout, prompt_input_exit, other...
    pub reason: Option<String>,
    /// PreCompact: manual or auto.
    pub trigger: Option<String>,
    pub custom_instructions: Option<Cow<'a, str>>,
    /// UserPromptSubmit: the text as typed.
    pub prompt: Option<Cow<'a, str>>,
    /// SubagentStop (and SubagentStart): the agent.
    pub agent_id: Option<String>,
    pub agent_type: Option<String>,
    /// Stop / SubagentStop: the start of the last message, capped.
    pub last_assistant_message: Option<String>,
    /// TaskCreated / TaskCompleted: the task (`task_description` capped to [`TEXT_BYTES`]).
    pub task_id: Option<String>,
    pub task_subject: Option<String>,
    pub task_description: Option<String>,
    /// What was cut or ignored, for the hook log.
    pub notes: Notes,
}

impl<'a> Payload<'a> {
    /// Parses a payload; the error says what is wrong with the input, in one line.
    pub fn parse(bytes: &'a [u8]) -> Result<Payload<'a>, String> {
        match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
            None => return Err("empty input".to_string()),
            // A payload is always an object.
            Some(b'{') => {}
            Some(_) => return Err("input is not a JSON object".to_string()),
        }
        let mut raw: RawPayload = serde_json::from_slice(bytes)
            .map_err(|e| format!("input is not a hook payload: {e}"))?;
        let notes = Notes::default();
        for field in raw.ignored() {
            notes.push(format!("ignored {field}"));
        }
        let payload = Payload {
            session_id: raw.session_id.map(Cow::into_owned),
            transcript_path: notes.path("transcript_path", raw.transcript_path, PATH_BYTES),
            cwd: notes.path("cwd", raw.cwd, PATH_BYTES),
            hook_event_name: notes.cap_owned("hook_event_name", raw.hook_event_name, NAME_BYTES),
            tool_name: notes.cap_owned("tool_name", raw.tool_name, NAME_BYTES),
            tool_input: raw.tool_input,
            tool_response: raw.tool_response,
            tool_use_id: notes.cap_owned("tool_use_id", raw.tool_use_id, NAME_BYTES),
            source: notes.cap_owned("source", raw.source, NAME_BYTES),
            reason: notes.cap_owned("reason", raw.reason, NAME_BYTES),
            trigger: notes.cap_owned("trigger", raw.trigger, NAME_BYTES),
            custom_instructions: raw
                .custom_instructions
                .map(|t| notes.cap("custom_instructions", t, TEXT_BYTES)),
            prompt: raw.prompt,
            agent_id: notes.cap_owned("agent_id", raw.agent_id, NAME_BYTES),
            agent_type: notes.cap_owned("agent_type", raw.agent_type, NAME_BYTES),
            last_assistant_message: raw.last_assistant_message.map(|t| {
                notes
                    .cap("last_assistant_message", t, TEXT_BYTES)
                    .into_owned()
            }),
            task_id: notes.cap_owned("task_id", raw.task_id, NAME_BYTES),
            task_subject: notes.cap_owned("task_subject", raw.task_subject, TITLE_BYTES),
            task_description: notes.cap_owned("task_description", raw.task_description, TEXT_BYTES),
            notes,
        };
        if payload.session_id.is_none() {
            return Err("the payload has no session_id".to_string());
        }
        Ok(payload)
    }

    /// The tool's input, its strings capped; not the object we expect reads as empty.
    pub fn tool_input(&self) -> ToolInput<'a> {
        let raw: RawToolInput = self.parse_part("tool_input", self.tool_input);
        let notes = &self.notes;
        ToolInput {
            file_path: raw
                .file_path
                .map(|t| notes.cap("tool_input.file_path", t, PATH_BYTES)),
            notebook_path: raw
                .notebook_path
                .map(|t| notes.cap("tool_input.notebook_path", t, PATH_BYTES)),
            description: raw
                .description
                .map(|t| notes.cap("tool_input.description", t, TEXT_BYTES)),
            subagent_type: raw
                .subagent_type
                .map(|t| notes.cap("tool_input.subagent_type", t, NAME_BYTES)),
        }
    }

    /// The tool's response, its strings capped; not the object we expect reads as empty.
    pub fn tool_response(&self) -> ToolResponse {
        let raw: RawToolResponse = self.parse_part("tool_response", self.tool_response);
        let notes = &self.notes;
        ToolResponse {
            kind: notes.cap_owned("tool_response.type", raw.kind, NAME_BYTES),
            status: notes.cap_owned("tool_response.status", raw.status, NAME_BYTES),
            total_duration_ms: raw.total_duration_ms,
            total_tokens: raw.total_tokens,
            agent_id: notes.cap_owned("tool_response.agentId", raw.agent_id, NAME_BYTES),
            agent_type: notes.cap_owned("tool_response.agentType", raw.agent_type, NAME_BYTES),
        }
    }

    /// A tool input or response: anything but an object reads as empty (the handler then
    /// reports the missing field instead of the whole payload failing); its own notes join ours.
    fn parse_part<T: Deserialize<'a> + Default + Ignored>(
        &self,
        name: &str,
        raw: Option<&'a RawValue>,
    ) -> T {
        let Some(raw) = raw else {
            return T::default();
        };
        match serde_json::from_str::<T>(raw.get()) {
            Ok(mut part) => {
                for field in part.ignored() {
                    self.notes.push(format!("ignored {name}.{field}"));
                }
                part
            }
            Err(e) => {
                // A tool_response is not always an object (MCP content arrays, error texts);
                // a tool_input always is.
                if name == "tool_input" {
                    let why = if e.is_data() {
                        "not an object".to_string()
                    } else {
                        one_line(&e)
                    };
                    self.notes.push(format!("ignored tool_input ({why})"));
                }
                T::default()
            }
        }
    }

    /// The event name, or "" when the payload has none.
    pub fn event(&self) -> &str {
        self.hook_event_name.as_deref().unwrap_or("")
    }
}

/// `tool_input` of Write, Edit, MultiEdit, NotebookEdit, Agent and Task, capped.
#[derive(Debug, Default)]
pub struct ToolInput<'a> {
    pub file_path: Option<Cow<'a, str>>,
    pub notebook_path: Option<Cow<'a, str>>,
    pub description: Option<Cow<'a, str>>,
    pub subagent_type: Option<Cow<'a, str>>,
}

/// `tool_response` fields of Write (`type`) and Agent/Task (the rest), capped.
#[derive(Debug, Default)]
pub struct ToolResponse {
    pub kind: Option<String>,
    pub status: Option<String>,
    pub total_duration_ms: Option<u64>,
    pub total_tokens: Option<u64>,
    pub agent_id: Option<String>,
    pub agent_type: Option<String>,
}

/// A serde_json error without its position (the log line stays short and stable).
fn one_line(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.find(" at line ") {
        Some(at) => text[..at].to_string(),
        None => text,
    }
}

// --- the tolerant reading ---

/// The fields of a tolerant struct that were read as absent: `field (what it was)`.
trait Ignored {
    fn ignored(&mut self) -> Vec<String>;
}

/// A string field as read: its text, or `None` for any other JSON type (a note says which).
struct Lenient<'a>(Option<Cow<'a, str>>, Option<&'static str>);

/// A count: a non-negative integer or float; anything else reads as `None`.
struct LenientCount(Option<u64>, Option<&'static str>);

/// Skips what is inside an array or object (nothing in it is used).
fn drain_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<(), A::Error> {
    while seq.next_element::<IgnoredAny>()?.is_some() {}
    Ok(())
}

fn drain_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    Ok(())
}

impl<'de: 'a, 'a> Deserialize<'de> for Lenient<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Lenient<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Lenient(Some(Cow::Borrowed(v)), None))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Lenient(Some(Cow::Owned(v.to_string())), None))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Lenient(Some(Cow::Owned(v)), None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Lenient(None, None)) // null: absent, as Claude Code means it
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Lenient(None, None))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Lenient(None, Some("a boolean")))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
                Ok(Lenient(None, Some("a number")))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
                Ok(Lenient(None, Some("a number")))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Ok(Lenient(None, Some("a number")))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                drain_seq(seq)?;
                Ok(Lenient(None, Some("an array")))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                drain_map(map)?;
                Ok(Lenient(None, Some("an object")))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

impl<'de> Deserialize<'de> for LenientCount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = LenientCount;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(LenientCount(Some(v), None))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(match u64::try_from(v) {
                    Ok(v) => LenientCount(Some(v), None),
                    Err(_) => LenientCount(None, Some("a negative number")),
                })
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                // `as` saturates at u64::MAX; NaN cannot come out of JSON.
                Ok(if v >= 0.0 {
                    LenientCount(Some(v.round() as u64), None)
                } else {
                    LenientCount(None, Some("a negative number"))
                })
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(LenientCount(None, None))
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(LenientCount(None, None))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(LenientCount(None, Some("a boolean")))
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
                Ok(LenientCount(None, Some("a string")))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                drain_seq(seq)?;
                Ok(LenientCount(None, Some("an array")))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                drain_map(map)?;
                Ok(LenientCount(None, Some("an object")))
            }
        }
        d.deserialize_any(V)
    }
}

/// Keeps `value` unless it is absent (a later duplicate of the wrong type keeps the earlier
/// good value); notes a value of the wrong type.
fn keep<'a>(
    slot: &mut Option<Cow<'a, str>>,
    field: &str,
    value: Lenient<'a>,
    ignored: &mut Vec<String>,
) {
    if let Some(kind) = value.1 {
        ignored.push(format!("{field} ({kind})"));
    }
    if value.0.is_some() {
        *slot = value.0;
    }
}

fn keep_count(slot: &mut Option<u64>, field: &str, value: LenientCount, ignored: &mut Vec<String>) {
    if let Some(kind) = value.1 {
        ignored.push(format!("{field} ({kind})"));
    }
    if value.0.is_some() {
        *slot = value.0;
    }
}

/// Declares a struct read field by field from a JSON object, every field tolerant, unknown
/// keys skipped unread, duplicates resolved by [`keep`]; a field named in the JSON differently
/// is given as `field = "name"`.
macro_rules! tolerant_struct {
    (
        $name:ident<$lt:lifetime> {
            strings: { $($s:ident = $sname:literal),* $(,)? }
            counts: { $($c:ident = $cname:literal),* $(,)? }
            raws: { $($r:ident = $rname:literal),* $(,)? }
        }
    ) => {
        #[derive(Debug, Default)]
        struct $name<$lt> {
            $($s: Option<Cow<$lt, str>>,)*
            $($c: Option<u64>,)*
            $($r: Option<&$lt RawValue>,)*
            ignored: Vec<String>,
        }

        impl Ignored for $name<'_> {
            fn ignored(&mut self) -> Vec<String> {
                std::mem::take(&mut self.ignored)
            }
        }

        impl<'de: $lt, $lt> Deserialize<'de> for $name<$lt> {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V<$lt>(std::marker::PhantomData<&$lt ()>);
                impl<'de: $lt, $lt> Visitor<'de> for V<$lt> {
                    type Value = $name<$lt>;
                    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                        f.write_str("a JSON object")
                    }
                    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                        let mut out = $name::default();
                        // Keys with escapes arrive owned; most arrive borrowed.
                        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                            match &*key {
                                $($sname => {
                                    let value: Lenient = map.next_value()?;
                                    keep(&mut out.$s, $sname, value, &mut out.ignored);
                                })*
                                $($cname => {
                                    let value: LenientCount = map.next_value()?;
                                    keep_count(&mut out.$c, $cname, value, &mut out.ignored);
                                })*
                                $($rname => {
                                    // Raw: read later, by whoever needs it; the last one wins.
                                    out.$r = Some(map.next_value::<&'de RawValue>()?);
                                })*
                                _ => {
                                    map.next_value::<IgnoredAny>()?;
                                }
                            }
                        }
                        Ok(out)
                    }
                }
                d.deserialize_map(V(std::marker::PhantomData))
            }
        }
    };
}

tolerant_struct!(RawPayload<'a> {
    strings: {
        session_id = "session_id",
        transcript_path = "transcript_path",
        cwd = "cwd",
        hook_event_name = "hook_event_name",
        tool_name = "tool_name",
        tool_use_id = "tool_use_id",
        source = "source",
        reason = "reason",
        trigger = "trigger",
        custom_instructions = "custom_instructions",
        prompt = "prompt",
        agent_id = "agent_id",
        agent_type = "agent_type",
        last_assistant_message = "last_assistant_message",
        task_id = "task_id",
        task_subject = "task_subject",
        task_description = "task_description",
    }
    counts: {}
    raws: { tool_input = "tool_input", tool_response = "tool_response" }
});

// `content`, `old_string`, `new_string` and `prompt` are skipped unread.
tolerant_struct!(RawToolInput<'a> {
    strings: {
        file_path = "file_path",
        notebook_path = "notebook_path",
        description = "description",
        subagent_type = "subagent_type",
    }
    counts: {}
    raws: {}
});

tolerant_struct!(RawToolResponse<'a> {
    strings: {
        kind = "type",
        status = "status",
        agent_id = "agentId",
        agent_type = "agentType",
    }
    counts: { total_duration_ms = "totalDurationMs", total_tokens = "totalTokens" }
    raws: {}
});

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
        assert!(payload.notes.joined().is_none());
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

    #[test]
    fn a_field_of_the_wrong_type_reads_as_absent_and_is_noted() {
        let text = br#"{"session_id":"s","reason":5,"source":[],"trigger":{"a":[1,{}]},
            "cwd":true,"hook_event_name":"SessionEnd","tool_input":"x","prompt":null,
            "tool_response":{"status":[1],"agentId":"a1","totalTokens":"12","totalDurationMs":-4}}"#;
        let payload = Payload::parse(text).unwrap();
        assert_eq!(payload.event(), "SessionEnd");
        assert!(payload.reason.is_none() && payload.source.is_none());
        assert!(payload.trigger.is_none() && payload.cwd.is_none());
        assert!(payload.prompt.is_none());
        assert!(payload.tool_input().file_path.is_none());
        let response = payload.tool_response();
        assert_eq!(response.agent_id.as_deref(), Some("a1"));
        assert!(response.status.is_none() && response.total_tokens.is_none());
        assert_eq!(
            payload.notes.joined().unwrap(),
            "ignored reason (a number); ignored source (an array); ignored trigger (an object); \
             ignored cwd (a boolean); ignored tool_input (not an object); \
             ignored tool_response.status (an array); \
             ignored tool_response.totalTokens (a string); \
             ignored tool_response.totalDurationMs (a negative number)"
        );
        // A wrong-typed session_id is no session_id.
        assert!(Payload::parse(br#"{"session_id":7}"#).is_err());
    }

    #[test]
    fn a_duplicate_key_takes_the_last_usable_value() {
        let text = br#"{"session_id":"s","reason":"clear","reason":"logout","source":"resume",
            "source":5,"session_id":"t","tool_input":{"file_path":"/a","file_path":"/b"},
            "tool_input":{"file_path":"/c"}}"#;
        let payload = Payload::parse(text).unwrap();
        assert_eq!(payload.session_id.as_deref(), Some("t"));
        assert_eq!(payload.reason.as_deref(), Some("logout"));
        assert_eq!(payload.source.as_deref(), Some("resume"));
        assert_eq!(payload.tool_input().file_path.as_deref(), Some("/c"));
        let inner = br#"{"session_id":"s","tool_input":{"file_path":"/a","file_path":"/b"}}"#;
        let payload = Payload::parse(inner).unwrap();
        assert_eq!(payload.tool_input().file_path.as_deref(), Some("/b"));
        // Escaped keys are the same keys.
        let escaped = br#"{"session\u005fid":"s","reason":"x"}"#;
        assert_eq!(
            Payload::parse(escaped).unwrap().session_id.as_deref(),
            Some("s")
        );
    }

    #[test]
    fn long_strings_are_cut_at_a_character_boundary_with_a_marker() {
        let long = format!("x{}", "é".repeat(5000));
        let text = serde_json::json!({
            "session_id": "s",
            "reason": long,
            "tool_input": {"file_path": long, "description": long},
            "transcript_path": long,
            "cwd": "/ok",
        })
        .to_string();
        let payload = Payload::parse(text.as_bytes()).unwrap();
        let reason = payload.reason.as_deref().unwrap();
        assert!(reason.len() <= NAME_BYTES && reason.ends_with(CUT_MARKER));
        assert!(reason.starts_with("xéé"));
        let input = payload.tool_input();
        let path = input.file_path.as_deref().unwrap();
        assert!(
            path.len() <= PATH_BYTES && path.ends_with(CUT_MARKER),
            "{}",
            path.len()
        );
        assert!(input.description.unwrap().len() <= TEXT_BYTES);
        assert!(payload.transcript_path.is_none(), "no path is that long");
        assert_eq!(payload.cwd.as_deref(), Some("/ok"));
        let notes = payload.notes.joined().unwrap();
        assert!(
            notes.contains("cut reason from 10001 to 256 bytes"),
            "{notes}"
        );
        assert!(
            notes.contains("ignored transcript_path (10001 bytes"),
            "{notes}"
        );
        assert!(
            notes.contains("cut tool_input.file_path from 10001 to 4096 bytes"),
            "{notes}"
        );
        assert_eq!(cap("abc", 3), "abc");
        assert_eq!(cap("abcdef", 4), "a…");
        assert_eq!(cap("héllo", 5), "h…");
    }
}
