//! Merging our hooks into a Claude Code `settings.json` and taking them out again.
//!
//! Pure text-to-text functions: the file is validated with serde_json (so a refusal carries its
//! line and column), then changed by splicing the original text, never by re-serialising it. Every
//! byte that is not ours keeps its place, whatever the file's formatting (indentation, compact
//! lines, number spellings, escapes, CRLF). Each edit is one splice followed by a fresh parse, until
//! nothing is left to do; a final check compares the result's foreign content with the original's.
//!
//! Which entries are ours: a hook entry whose `command` runs a program named `claude-session`
//! (any path, quoted or not) with `hook <name>` as its arguments.
//!
//! Layout choices, so that a second install changes nothing and uninstall gives the original back:
//! - Our hooks go into matcher groups of their own, appended at the end of the event's array
//!   (other tools' groups are never edited, even when their matcher equals ours). An entry of ours
//!   found in place with the right matcher is kept there and only brought up to date (binary path,
//!   timeout); duplicates, stale names and entries under a wrong matcher are removed.
//! - New event arrays and a new `hooks` object are appended at the end of their object.
//! - Uninstall removes our entries; a matcher group left with no hook is removed, and so is an event
//!   array or `hooks` object that this removal empties (install creates those when absent; empty,
//!   they mean nothing to Claude Code). A container that was already empty stays.

use serde_json::Value;

/// The program name our hook commands run.
pub const BINARY_NAME: &str = "claude-session";

const MAX_STEPS: usize = 10_000;
const BOM: &str = "\u{feff}";

/// Why a settings text cannot be changed safely. One line, without the file's path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SettingsError(pub String);

impl std::fmt::Display for SettingsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SettingsError {}

type Res<T> = std::result::Result<T, SettingsError>;

fn refuse<T>(what: impl Into<String>) -> Res<T> {
    Err(SettingsError(what.into()))
}

/// One hook of ours as it must appear in settings.json.
#[derive(Debug, Clone, PartialEq)]
pub struct HookSpec {
    /// `PostToolUse`, `SessionStart`, ...
    pub event: String,
    /// The matcher of its group (`None`: matches everything).
    pub matcher: Option<String>,
    /// The hook's name: `post-edit` in `claude-session hook post-edit`.
    pub name: String,
    /// The hook entry (`type`, `command`, `timeout`, ...) with the command naming our binary.
    pub entry: Value,
    /// Index of its matcher group in hooks.json, so that hooks sharing a group stay together.
    pub group: usize,
}

/// A changed settings text and what changed, for the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub text: String,
    pub changes: Vec<String>,
}

impl Edit {
    pub fn changed(&self, original: &str) -> bool {
        self.text != original
    }
}

/// The shell command that runs `binary hook <name>`: the path double-quoted, so a path with spaces
/// works in the shell Claude Code runs hooks with; the bare name [`BINARY_NAME`] as it is, as the
/// plugin's hooks.json writes it (`claude-session hook <name>`, found on PATH).
pub fn hook_command(binary: &str, name: &str) -> String {
    format!("{} hook {name}", program_word(binary))
}

/// `binary` as the first word of a shell command: double-quoted, or the bare [`BINARY_NAME`].
fn program_word(binary: &str) -> String {
    if binary == BINARY_NAME {
        return BINARY_NAME.to_string();
    }
    let mut quoted = String::with_capacity(binary.len() + 2);
    quoted.push('"');
    for c in binary.chars() {
        if matches!(c, '"' | '\\' | '$' | '`') {
            quoted.push('\\');
        }
        quoted.push(c);
    }
    quoted.push('"');
    quoted
}

/// What a hook command of ours says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OurCommand {
    /// The program as the shell would see it, quotes removed.
    pub program: String,
    pub name: String,
}

/// Recognises `<any path>/claude-session hook <name>`, quoted or not; `None` for anything else.
/// A command that does more (`claude-session hook stop && notify-send done`) is the user's own:
/// never rewritten, never removed.
pub fn parse_our_command(command: &str) -> Option<OurCommand> {
    let (program, rest) = first_shell_word(command.trim_start())?;
    let file_name = program.rsplit(['/', '\\']).next().unwrap_or_default();
    let file_name = file_name.strip_suffix(".exe").unwrap_or(file_name);
    if file_name != BINARY_NAME {
        return None;
    }
    let mut words = rest.split_whitespace();
    if words.next()? != "hook" {
        return None;
    }
    let name = words.next()?.to_string();
    if words.next().is_some() {
        return None;
    }
    Some(OurCommand { program, name })
}

/// The first word of a POSIX shell command line, with quotes and escapes resolved, and the rest.
fn first_shell_word(line: &str) -> Option<(String, &str)> {
    let mut word = String::new();
    let mut chars = line.char_indices().peekable();
    let (mut single, mut double) = (false, false);
    while let Some((at, c)) = chars.next() {
        if single {
            if c == '\'' {
                single = false;
            } else {
                word.push(c);
            }
        } else if double {
            match c {
                '"' => double = false,
                '\\' => match chars.peek() {
                    Some(&(_, next)) if matches!(next, '"' | '\\' | '$' | '`') => {
                        word.push(next);
                        chars.next();
                    }
                    _ => word.push('\\'),
                },
                _ => word.push(c),
            }
        } else {
            match c {
                '\'' => single = true,
                '"' => double = true,
                '\\' => {
                    if let Some((_, next)) = chars.next() {
                        word.push(next);
                    }
                }
                c if c.is_whitespace() => return Some((word, &line[at..])),
                _ => word.push(c),
            }
        }
    }
    if single || double || word.is_empty() {
        return None;
    }
    Some((word, ""))
}

/// Our hooks as hooks.json (plugin format) declares them, with every command rewritten to run
/// `binary`.
pub fn desired_hooks(hooks_json: &str, binary: &str) -> Res<Vec<HookSpec>> {
    let value: Value = serde_json::from_str(hooks_json)
        .map_err(|e| SettingsError(format!("hooks.json is not valid JSON: {e}")))?;
    let Some(events) = value.get("hooks").and_then(Value::as_object) else {
        return refuse("hooks.json has no `hooks` object");
    };
    let mut specs = Vec::new();
    let mut group_index = 0;
    for (event, groups) in events {
        let Some(groups) = groups.as_array() else {
            return refuse(format!("hooks.json: `{event}` is not an array"));
        };
        for group in groups {
            let matcher = group
                .get("matcher")
                .and_then(Value::as_str)
                .map(str::to_string);
            let Some(entries) = group.get("hooks").and_then(Value::as_array) else {
                return refuse(format!(
                    "hooks.json: a `{event}` group has no `hooks` array"
                ));
            };
            for entry in entries {
                let command = entry.get("command").and_then(Value::as_str).unwrap_or("");
                let Some(ours) = parse_our_command(command) else {
                    return refuse(format!(
                        "hooks.json: `{command}` is not a `{BINARY_NAME} hook` command"
                    ));
                };
                let mut entry = entry.clone();
                entry["command"] = Value::String(hook_command(binary, &ours.name));
                specs.push(HookSpec {
                    event: event.clone(),
                    matcher: matcher.clone(),
                    name: ours.name,
                    entry,
                    group: group_index,
                });
            }
            group_index += 1;
        }
    }
    Ok(specs)
}

// ---------------------------------------------------------------------------------------------
// A JSON scanner that keeps byte spans. It only ever reads text serde_json has already accepted.

#[derive(Debug)]
struct Node {
    start: usize,
    end: usize,
    kind: Kind,
}

#[derive(Debug)]
enum Kind {
    Object(Vec<Member>),
    Array(Vec<Node>),
    Scalar,
}

#[derive(Debug)]
struct Member {
    key: String,
    key_start: usize,
    key_end: usize,
    value: Node,
}

impl Node {
    fn members(&self) -> Option<&[Member]> {
        match &self.kind {
            Kind::Object(members) => Some(members),
            _ => None,
        }
    }

    fn elements(&self) -> Option<&[Node]> {
        match &self.kind {
            Kind::Array(elements) => Some(elements),
            _ => None,
        }
    }

    /// The last member named `key` (a later duplicate wins, as in JavaScript's JSON.parse).
    fn member(&self, key: &str) -> Option<(usize, &Member)> {
        self.members()?
            .iter()
            .enumerate()
            .rev()
            .find(|(_, m)| m.key == key)
    }

    /// Each item's span: elements, or members from the key to the end of the value.
    fn item_spans(&self) -> Vec<(usize, usize)> {
        match &self.kind {
            Kind::Object(members) => members.iter().map(|m| (m.key_start, m.value.end)).collect(),
            Kind::Array(elements) => elements.iter().map(|e| (e.start, e.end)).collect(),
            Kind::Scalar => Vec::new(),
        }
    }

    fn value(&self, text: &str) -> Option<Value> {
        serde_json::from_str(&text[self.start..self.end]).ok()
    }

    fn string(&self, text: &str) -> Option<String> {
        match self.value(text)? {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
}

struct Scanner<'a> {
    bytes: &'a [u8],
    text: &'a str,
    pos: usize,
}

fn scan_error<T>() -> Res<T> {
    refuse("internal error: the JSON scanner lost its place")
}

impl<'a> Scanner<'a> {
    fn parse(text: &'a str) -> Res<Node> {
        let mut scanner = Scanner {
            bytes: text.as_bytes(),
            text,
            pos: 0,
        };
        scanner.skip_ws();
        let node = scanner.value()?;
        scanner.skip_ws();
        if scanner.pos != scanner.bytes.len() {
            return scan_error();
        }
        Ok(node)
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn expect(&mut self, byte: u8) -> Res<()> {
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            scan_error()
        }
    }

    fn value(&mut self) -> Res<Node> {
        let start = self.pos;
        match self.peek() {
            Some(b'{') => self.object(start),
            Some(b'[') => self.array(start),
            Some(b'"') => {
                self.string()?;
                Ok(self.scalar(start))
            }
            Some(_) => {
                while matches!(self.peek(), Some(b) if !matches!(b, b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r'))
                {
                    self.pos += 1;
                }
                if self.pos == start {
                    return scan_error();
                }
                Ok(self.scalar(start))
            }
            None => scan_error(),
        }
    }

    fn scalar(&self, start: usize) -> Node {
        Node {
            start,
            end: self.pos,
            kind: Kind::Scalar,
        }
    }

    fn string(&mut self) -> Res<()> {
        self.expect(b'"')?;
        loop {
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some(b'\\') => self.pos += 2,
                Some(_) => self.pos += 1,
                None => return scan_error(),
            }
        }
    }

    fn object(&mut self, start: usize) -> Res<Node> {
        self.expect(b'{')?;
        let mut members = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
        } else {
            loop {
                self.skip_ws();
                let key_start = self.pos;
                self.string()?;
                let key_end = self.pos;
                let key = self
                    .text
                    .get(key_start..key_end)
                    .and_then(|raw| serde_json::from_str::<String>(raw).ok())
                    .map_or_else(scan_error, Ok)?;
                self.skip_ws();
                self.expect(b':')?;
                self.skip_ws();
                let value = self.value()?;
                members.push(Member {
                    key,
                    key_start,
                    key_end,
                    value,
                });
                self.skip_ws();
                match self.peek() {
                    Some(b',') => self.pos += 1,
                    Some(b'}') => {
                        self.pos += 1;
                        break;
                    }
                    _ => return scan_error(),
                }
            }
        }
        Ok(Node {
            start,
            end: self.pos,
            kind: Kind::Object(members),
        })
    }

    fn array(&mut self, start: usize) -> Res<Node> {
        self.expect(b'[')?;
        let mut elements = Vec::new();
        self.skip_ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
        } else {
            loop {
                self.skip_ws();
                elements.push(self.value()?);
                self.skip_ws();
                match self.peek() {
                    Some(b',') => self.pos += 1,
                    Some(b']') => {
                        self.pos += 1;
                        break;
                    }
                    _ => return scan_error(),
                }
            }
        }
        Ok(Node {
            start,
            end: self.pos,
            kind: Kind::Array(elements),
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Splicing: the only ways the text changes.

/// How the file is written, so that inserted text looks like its neighbours.
struct Style {
    unit: String,
    newline: &'static str,
    /// The whole document is one line (and more than `{}`): new content stays on it.
    one_line: bool,
}

impl Style {
    fn detect(text: &str) -> Style {
        let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
        // The first indented line holds a first-level member: its indentation is one unit.
        let unit = text
            .lines()
            .map(|line| {
                let content = line.trim_start_matches([' ', '\t']);
                &line[..line.len() - content.len()]
            })
            .find(|indent| !indent.is_empty())
            .map(|indent| {
                if indent.starts_with('\t') {
                    "\t".to_string()
                } else {
                    " ".repeat(indent.len().min(8))
                }
            })
            .unwrap_or_else(|| "  ".to_string());
        let body = text.trim();
        let one_line = !body.contains('\n') && body.trim_start_matches('{').trim_start() != "}";
        Style {
            unit,
            newline,
            one_line,
        }
    }

    fn pretty(&self, value: &Value, indent: &str) -> String {
        let mut buffer = Vec::new();
        let formatter = serde_json::ser::PrettyFormatter::with_indent(self.unit.as_bytes());
        let mut serializer = serde_json::Serializer::with_formatter(&mut buffer, formatter);
        // Serialising a Value into memory cannot fail.
        let _ = serde::Serialize::serialize(value, &mut serializer);
        let text = String::from_utf8(buffer).unwrap_or_default();
        text.replace('\n', &format!("{}{indent}", self.newline))
    }
}

fn compact(value: &Value) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

fn json_string(text: &str) -> String {
    compact(&Value::String(text.to_string()))
}

/// The spaces and tabs that start the line holding `pos`.
fn line_indent(text: &str, pos: usize) -> &str {
    let line_start = text[..pos].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[line_start..];
    let content = line.trim_start_matches([' ', '\t']);
    &line[..line.len() - content.len()]
}

fn splice(text: &mut String, from: usize, to: usize, with: &str) {
    text.replace_range(from..to, with);
}

/// Removes item `index` of an array or object with its separator, so that appending it again
/// (see [`append_item`]) gives back the same bytes.
fn remove_item(text: &mut String, container: &Node, index: usize) {
    let spans = container.item_spans();
    if spans.len() == 1 {
        splice(text, container.start + 1, container.end - 1, "");
    } else if index + 1 == spans.len() {
        splice(text, spans[index - 1].1, spans[index].1, "");
    } else {
        splice(text, spans[index].0, spans[index + 1].0, "");
    }
}

/// Appends an element (`key` None) or a member to a container, in the container's own layout:
/// one item per line at the last item's indentation, inline after a comma when the container is
/// written on one line, and laid out from the enclosing line's indentation when it is empty.
fn append_item(
    text: &mut String,
    container: &Node,
    key: Option<&str>,
    value: &Value,
    style: &Style,
) {
    let separator = match (&container.kind, key) {
        (Kind::Object(members), Some(_)) => members
            .last()
            .map(|m| text[m.key_end..m.value.start].to_string())
            .unwrap_or_else(|| ": ".to_string()),
        _ => String::new(),
    };
    let render = |value_text: String| match key {
        Some(key) => format!("{}{separator}{value_text}", json_string(key)),
        None => value_text,
    };
    let spans = container.item_spans();
    if let Some(&(last_start, last_end)) = spans.last() {
        let before = text[..last_start]
            .trim_end_matches([' ', '\t', '\n', '\r'])
            .len();
        let gap = text[before..last_start].to_string();
        let inserted = match gap.rfind('\n') {
            Some(newline) => {
                let indent = &gap[newline + 1..];
                format!(
                    ",{}{indent}{}",
                    style.newline,
                    render(style.pretty(value, indent))
                )
            }
            None => format!(",{gap}{}", render(compact(value))),
        };
        splice(text, last_end, last_end, &inserted);
    } else if style.one_line {
        splice(
            text,
            container.start + 1,
            container.end - 1,
            &render(compact(value)),
        );
    } else {
        let base = line_indent(text, container.start).to_string();
        let indent = format!("{base}{}", style.unit);
        let inserted = format!(
            "{nl}{indent}{}{nl}{base}",
            render(style.pretty(value, &indent)),
            nl = style.newline
        );
        splice(text, container.start + 1, container.end - 1, &inserted);
    }
}

/// Replaces a value in place (scalars compact, containers laid out from the line's indentation).
fn replace_value(text: &mut String, node: &Node, value: &Value, style: &Style) {
    let rendered = match value {
        Value::Object(_) | Value::Array(_) => {
            let indent = line_indent(text, node.start).to_string();
            style.pretty(value, &indent)
        }
        _ => compact(value),
    };
    splice(text, node.start, node.end, &rendered);
}

// ---------------------------------------------------------------------------------------------
// Finding our entries.

/// One hook entry of ours found in a settings file.
#[derive(Debug, Clone, PartialEq)]
pub struct Registered {
    pub event: String,
    pub matcher: Option<String>,
    pub name: String,
    /// The command as written.
    pub command: String,
    /// The program it runs, quotes removed.
    pub program: String,
    /// The hook entry as written.
    pub entry: Value,
    // Where it is: member index in `hooks`, group index, entry index.
    event_index: usize,
    group_index: usize,
    entry_index: usize,
    /// Its group holds only entries of ours, so it is ours to edit.
    group_ours: bool,
    group_len: usize,
}

fn is_ours(entry: &Value) -> Option<OurCommand> {
    entry
        .get("command")
        .and_then(Value::as_str)
        .and_then(parse_our_command)
}

fn same_matcher(a: Option<&str>, b: Option<&str>) -> bool {
    fn norm(m: Option<&str>) -> Option<&str> {
        m.filter(|m| !m.is_empty() && *m != "*")
    }
    norm(a) == norm(b)
}

/// The parsed file: its root object and where `hooks` is.
struct Parsed {
    root: Node,
}

impl Parsed {
    fn hooks(&self) -> Option<(usize, &Member)> {
        self.root.member("hooks")
    }
}

fn parse_checked(text: &str) -> Res<Parsed> {
    let root = Scanner::parse(text)?;
    if root.members().is_none() {
        return refuse("settings.json is not a JSON object");
    }
    let parsed = Parsed { root };
    if let Some((_, hooks)) = parsed.hooks()
        && hooks.value.members().is_none()
    {
        return refuse("settings.json: `hooks` is not an object");
    }
    Ok(parsed)
}

fn find_ours(text: &str, parsed: &Parsed) -> Vec<Registered> {
    let mut found = Vec::new();
    let Some((_, hooks)) = parsed.hooks() else {
        return found;
    };
    for (event_index, event) in hooks.value.members().unwrap_or_default().iter().enumerate() {
        let Some(groups) = event.value.elements() else {
            continue;
        };
        for (group_index, group) in groups.iter().enumerate() {
            let Some((_, entries)) = group.member("hooks") else {
                continue;
            };
            let Some(entries) = entries.value.elements() else {
                continue;
            };
            let matcher = group
                .member("matcher")
                .and_then(|(_, m)| m.value.string(text));
            let values: Vec<Option<Value>> = entries.iter().map(|e| e.value(text)).collect();
            let group_ours = values
                .iter()
                .all(|v| v.as_ref().and_then(is_ours).is_some());
            for (entry_index, value) in values.into_iter().enumerate() {
                let Some(entry) = value else { continue };
                let Some(ours) = is_ours(&entry) else {
                    continue;
                };
                found.push(Registered {
                    event: event.key.clone(),
                    matcher: matcher.clone(),
                    name: ours.name,
                    command: entry["command"].as_str().unwrap_or_default().to_string(),
                    program: ours.program,
                    entry,
                    event_index,
                    group_index,
                    entry_index,
                    group_ours,
                    group_len: entries.len(),
                });
            }
        }
    }
    found
}

/// Our hook entries in a settings text (for `doctor`). Refuses what [`install`] refuses.
pub fn registered(original: &str) -> Res<Vec<Registered>> {
    let (_, body) = split_bom(original);
    if body.trim().is_empty() {
        return Ok(Vec::new());
    }
    validate(body)?;
    let parsed = parse_checked(body)?;
    Ok(find_ours(body, &parsed))
}

/// The enabled plugins of ours (`"enabledPlugins": {"claude-session@<marketplace>": true}`):
/// their hooks run besides any registered in settings.
pub fn enabled_plugins(original: &str) -> Vec<String> {
    let body = split_bom(original).1;
    let Ok(value) = serde_json::from_str::<Value>(body) else {
        return Vec::new();
    };
    value
        .get("enabledPlugins")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(id, on)| {
            // The plugin was called like the binary before Claude Code reserved `claude-` names.
            let name = id.split('@').next();
            (name == Some(crate::surface::PLUGIN_NAME) || name == Some(BINARY_NAME))
                && on.as_bool() == Some(true)
        })
        .map(|(id, _)| id.clone())
        .collect()
}

/// True when a settings text holds nothing at all: empty, or an object without keys (what is left
/// of a file that held only our hooks). Not JSON counts as something.
pub fn is_empty_document(text: &str) -> bool {
    let body = split_bom(text).1;
    if body.trim().is_empty() {
        return true;
    }
    matches!(serde_json::from_str::<Value>(body), Ok(Value::Object(map)) if map.is_empty())
}

/// Removes one entry of ours; a group, event array or `hooks` object it leaves empty goes too.
fn remove_registered(text: &mut String, parsed: &Parsed, found: &Registered) {
    let Some((hooks_index, hooks)) = parsed.hooks() else {
        return;
    };
    let events = hooks.value.members().unwrap_or_default();
    let event = &events[found.event_index];
    let groups = event.value.elements().unwrap_or_default();
    let group = &groups[found.group_index];
    let Some((_, entries)) = group.member("hooks") else {
        return;
    };
    if found.group_len > 1 {
        remove_item(text, &entries.value, found.entry_index);
    } else if groups.len() > 1 {
        remove_item(text, &event.value, found.group_index);
    } else if events.len() > 1 {
        remove_item(text, &hooks.value, found.event_index);
    } else {
        remove_item(text, &parsed.root, hooks_index);
    }
}

// ---------------------------------------------------------------------------------------------
// Install and uninstall.

fn split_bom(text: &str) -> (&str, &str) {
    match text.strip_prefix(BOM) {
        Some(rest) => (BOM, rest),
        None => ("", text),
    }
}

fn validate(text: &str) -> Res<Value> {
    let value: Value = serde_json::from_str(text)
        .map_err(|e| SettingsError(format!("settings.json is not valid JSON: {e}")))?;
    if !value.is_object() {
        return refuse("settings.json is not a JSON object");
    }
    Ok(value)
}

fn group_value(matcher: Option<&str>, entries: Vec<Value>) -> Value {
    let mut group = serde_json::Map::new();
    if let Some(matcher) = matcher {
        group.insert("matcher".into(), Value::String(matcher.to_string()));
    }
    group.insert("hooks".into(), Value::Array(entries));
    Value::Object(group)
}

/// The groups holding `specs`, one per hooks.json group, in hooks.json order.
fn groups_of(specs: &[&HookSpec]) -> Vec<Value> {
    let mut groups: Vec<(usize, Option<&str>, Vec<Value>)> = Vec::new();
    for spec in specs {
        match groups.iter_mut().find(|(g, _, _)| *g == spec.group) {
            Some((_, _, entries)) => entries.push(spec.entry.clone()),
            None => groups.push((
                spec.group,
                spec.matcher.as_deref(),
                vec![spec.entry.clone()],
            )),
        }
    }
    groups
        .into_iter()
        .map(|(_, matcher, entries)| group_value(matcher, entries))
        .collect()
}

fn added(spec: &HookSpec) -> String {
    format!("added hook {}", label(&spec.event, &spec.name))
}

fn label(event: &str, name: &str) -> String {
    format!("{name} ({event})")
}

/// Makes our hooks in `original` exactly `desired`: adds what is missing, brings entries of ours up
/// to date, removes duplicates and stale ones. A second run returns the text unchanged.
pub fn install(original: &str, desired: &[HookSpec]) -> Res<Edit> {
    let (bom, body) = split_bom(original);
    let empty = body.trim().is_empty();
    if !empty {
        validate(body)?;
    }
    let mut text = if empty {
        "{}\n".to_string()
    } else {
        body.to_string()
    };
    let style = Style::detect(&text);
    let mut changes = Vec::new();
    for _ in 0..MAX_STEPS {
        let parsed = parse_checked(&text)?;
        match install_step(&mut text, &parsed, desired, &style)? {
            Some(change) => changes.extend(change),
            None => {
                let text = format!("{bom}{text}");
                let text = if text == format!("{bom}{{}}\n") && empty {
                    original.to_string()
                } else {
                    text
                };
                check_foreign_unchanged(original, &text)?;
                return Ok(Edit { text, changes });
            }
        }
    }
    refuse("internal error: install did not settle")
}

/// One edit towards `desired`, described; `None` when the text is already right.
fn install_step(
    text: &mut String,
    parsed: &Parsed,
    desired: &[HookSpec],
    style: &Style,
) -> Res<Option<Vec<String>>> {
    let Some((_, hooks)) = parsed.hooks() else {
        let all: Vec<&HookSpec> = desired.iter().collect();
        let mut events = serde_json::Map::new();
        for spec in desired {
            if !events.contains_key(&spec.event) {
                let of_event: Vec<&HookSpec> = all
                    .iter()
                    .copied()
                    .filter(|s| s.event == spec.event)
                    .collect();
                events.insert(spec.event.clone(), Value::Array(groups_of(&of_event)));
            }
        }
        append_item(
            text,
            &parsed.root,
            Some("hooks"),
            &Value::Object(events),
            style,
        );
        return Ok(Some(desired.iter().map(added).collect()));
    };
    let found = find_ours(text, parsed);
    // Each wanted hook keeps one entry: the first under the right matcher, else the first alone in
    // a group of ours (its matcher gets fixed). Every other entry of ours goes.
    let mut primary: Vec<Option<usize>> = vec![None; desired.len()];
    let mut taken = vec![false; found.len()];
    for (s, spec) in desired.iter().enumerate() {
        let candidates = || {
            found
                .iter()
                .enumerate()
                .filter(|(i, f)| !taken[*i] && f.event == spec.event && f.name == spec.name)
        };
        let pick = candidates()
            .find(|(_, f)| same_matcher(f.matcher.as_deref(), spec.matcher.as_deref()))
            .or_else(|| candidates().find(|(_, f)| f.group_ours && f.group_len == 1))
            .map(|(i, _)| i);
        if let Some(i) = pick {
            taken[i] = true;
            primary[s] = Some(i);
        }
    }
    if let Some(extra) = found.iter().enumerate().find(|(i, _)| !taken[*i]) {
        let extra = extra.1;
        remove_registered(text, parsed, extra);
        let wanted = desired
            .iter()
            .any(|s| s.event == extra.event && s.name == extra.name);
        let why = if wanted { "duplicate" } else { "stale" };
        return Ok(Some(vec![format!(
            "removed {why} hook {}",
            label(&extra.event, &extra.name)
        )]));
    }
    let events = hooks.value.members().unwrap_or_default();
    for (spec, primary) in desired.iter().zip(&primary) {
        let Some(i) = primary else { continue };
        let found = &found[*i];
        let group = &events[found.event_index]
            .value
            .elements()
            .unwrap_or_default()[found.group_index];
        if !same_matcher(found.matcher.as_deref(), spec.matcher.as_deref()) {
            let current = group.member("matcher");
            match (&spec.matcher, current) {
                (Some(m), Some((_, member))) => {
                    replace_value(text, &member.value, &Value::String(m.clone()), style)
                }
                (Some(m), None) => append_item(
                    text,
                    group,
                    Some("matcher"),
                    &Value::String(m.clone()),
                    style,
                ),
                (None, Some((index, _))) => remove_item(text, group, index),
                (None, None) => {}
            }
            return Ok(Some(vec![format!(
                "updated the matcher of hook {}",
                label(&spec.event, &spec.name)
            )]));
        }
        let Some(entry_node) = group
            .member("hooks")
            .and_then(|(_, m)| m.value.elements())
            .and_then(|entries| entries.get(found.entry_index))
        else {
            continue;
        };
        for (key, want) in spec.entry.as_object().into_iter().flatten() {
            let what = if key == "command" {
                "the binary path".to_string()
            } else {
                format!("`{key}`")
            };
            match entry_node.member(key) {
                Some((_, member)) if member.value.value(text).as_ref() == Some(want) => continue,
                Some((_, member)) => replace_value(text, &member.value, want, style),
                None => append_item(text, entry_node, Some(key), want, style),
            }
            return Ok(Some(vec![format!(
                "updated {what} of hook {}",
                label(&spec.event, &spec.name)
            )]));
        }
    }
    // Missing hooks: into a group of ours with the same matcher, else a new group, else a new event.
    let Some(missing) = desired
        .iter()
        .zip(&primary)
        .find(|(_, p)| p.is_none())
        .map(|(s, _)| s)
    else {
        return Ok(None);
    };
    let change = added(missing);
    match hooks.value.member(&missing.event) {
        Some((event_index, event)) => {
            let Some(groups) = event.value.elements() else {
                return refuse(format!(
                    "settings.json: `hooks.{}` is not an array",
                    missing.event
                ));
            };
            let home = found.iter().find(|f| {
                f.event_index == event_index
                    && f.group_ours
                    && same_matcher(f.matcher.as_deref(), missing.matcher.as_deref())
            });
            match home.and_then(|f| {
                groups[f.group_index]
                    .member("hooks")
                    .map(|(_, entries)| &entries.value)
            }) {
                Some(entries) => append_item(text, entries, None, &missing.entry, style),
                None => {
                    let group =
                        group_value(missing.matcher.as_deref(), vec![missing.entry.clone()]);
                    append_item(text, &event.value, None, &group, style);
                }
            }
        }
        None => {
            let of_event: Vec<&HookSpec> = desired
                .iter()
                .zip(&primary)
                .filter(|(s, p)| p.is_none() && s.event == missing.event)
                .map(|(s, _)| s)
                .collect();
            let groups = Value::Array(groups_of(&of_event));
            append_item(text, &hooks.value, Some(&missing.event), &groups, style);
            return Ok(Some(of_event.iter().map(|s| added(s)).collect()));
        }
    }
    Ok(Some(vec![change]))
}

/// Removes every hook entry of ours (see the module comment for what else goes with them).
pub fn uninstall(original: &str) -> Res<Edit> {
    let (bom, body) = split_bom(original);
    if body.trim().is_empty() {
        return Ok(Edit {
            text: original.to_string(),
            changes: Vec::new(),
        });
    }
    validate(body)?;
    let mut text = body.to_string();
    let mut changes = Vec::new();
    for _ in 0..MAX_STEPS {
        let parsed = parse_checked(&text)?;
        let found = find_ours(&text, &parsed);
        let Some(first) = found.first() else {
            let text = format!("{bom}{text}");
            check_foreign_unchanged(original, &text)?;
            return Ok(Edit { text, changes });
        };
        remove_registered(&mut text, &parsed, first);
        changes.push(format!("removed hook {}", label(&first.event, &first.name)));
    }
    refuse("internal error: uninstall did not settle")
}

/// A settings value with our entries taken out and empty hook containers pruned: what install and
/// uninstall must never change.
pub fn foreign_view(value: &Value) -> Value {
    let mut value = value.clone();
    let Some(root) = value.as_object_mut() else {
        return value;
    };
    let Some(hooks) = root.get_mut("hooks").and_then(Value::as_object_mut) else {
        return value;
    };
    for groups in hooks.values_mut() {
        let Some(groups) = groups.as_array_mut() else {
            continue;
        };
        for group in groups.iter_mut() {
            if let Some(entries) = group.get_mut("hooks").and_then(Value::as_array_mut) {
                entries.retain(|entry| is_ours(entry).is_none());
            }
        }
        groups.retain(|group| {
            group
                .get("hooks")
                .and_then(Value::as_array)
                .is_none_or(|entries| !entries.is_empty())
        });
    }
    hooks.retain(|_, groups| groups.as_array().is_none_or(|g| !g.is_empty()));
    if hooks.is_empty() {
        root.remove("hooks");
    }
    value
}

/// The safety net under the splicing: refuse to write when anything not ours would change.
fn check_foreign_unchanged(original: &str, result: &str) -> Res<()> {
    let parse = |text: &str| -> Option<Value> {
        let body = split_bom(text).1;
        if body.trim().is_empty() {
            return Some(Value::Object(serde_json::Map::new()));
        }
        serde_json::from_str(body).ok()
    };
    match (parse(original), parse(result)) {
        (Some(before), Some(after)) if foreign_view(&before) == foreign_view(&after) => Ok(()),
        _ => refuse(
            "internal error: the change would touch content that is not ours; nothing written",
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// Single members: the MCP server entry in `~/.claude.json`, `statusLine` in settings.json.
//
// The same rules as the hooks: validated first (a refusal names the file), changed by splicing
// the original text, and checked afterwards that nothing but the one member changed.

/// The status line command that runs `binary statusline` (`--wrap`: the user's command first).
pub fn statusline_command(binary: &str, wrap: bool) -> String {
    let word = program_word(binary);
    if wrap {
        format!("{word} statusline --wrap")
    } else {
        format!("{word} statusline")
    }
}

/// `Some(wrap)` when `command` runs our status line (`<any path>/claude-session statusline`,
/// with `--wrap` or not); `None` for anything else, which is the user's.
pub fn parse_statusline_command(command: &str) -> Option<bool> {
    let (program, rest) = first_shell_word(command.trim_start())?;
    let file_name = program.rsplit(['/', '\\']).next().unwrap_or_default();
    if file_name.strip_suffix(".exe").unwrap_or(file_name) != BINARY_NAME {
        return None;
    }
    let words: Vec<&str> = rest.split_whitespace().collect();
    match words.as_slice() {
        ["statusline"] => Some(false),
        ["statusline", "--wrap"] => Some(true),
        _ => None,
    }
}

fn validate_named(text: &str, file: &str) -> Res<Value> {
    let value: Value = serde_json::from_str(text)
        .map_err(|e| SettingsError(format!("{file} is not valid JSON: {e}")))?;
    if !value.is_object() {
        return refuse(format!("{file} is not a JSON object"));
    }
    Ok(value)
}

/// The document's root and its body (BOM split off), validated; an empty file reads as `{}`.
fn parse_named(original: &str, file: &str) -> Res<(&'static str, String, Value)> {
    let (bom, body) = split_bom(original);
    let bom = if bom.is_empty() { "" } else { BOM };
    if body.trim().is_empty() {
        return Ok((
            bom,
            "{}\n".to_string(),
            Value::Object(serde_json::Map::new()),
        ));
    }
    let value = validate_named(body, file)?;
    Ok((bom, body.to_string(), value))
}

/// The member at `path` (`["mcpServers", "claude-session"]`), parsed; `None` when absent.
pub fn member(original: &str, path: &[&str], file: &str) -> Res<Option<Value>> {
    let (_, _, value) = parse_named(original, file)?;
    Ok(value_at(&value, path).cloned())
}

/// The member at `path` as written in the file (its exact bytes), `None` when absent.
pub fn member_raw(original: &str, path: &[&str], file: &str) -> Res<Option<String>> {
    let (_, body, _) = parse_named(original, file)?;
    let root = Scanner::parse(&body)?;
    Ok(node_at(&root, path).map(|node| body[node.start..node.end].to_string()))
}

fn value_at<'v>(value: &'v Value, path: &[&str]) -> Option<&'v Value> {
    path.iter()
        .try_fold(value, |at, key| at.as_object()?.get(*key))
}

fn node_at<'n>(root: &'n Node, path: &[&str]) -> Option<&'n Node> {
    path.iter()
        .try_fold(root, |at, key| at.member(key).map(|(_, m)| &m.value))
}

/// What the member at `path` becomes.
enum Change<'a> {
    Set(&'a Value),
    /// Its exact bytes as written before (restoring what an earlier change replaced).
    Raw(&'a str),
    /// Removed; with `prune`, an object above it (below the root) that this leaves empty goes too.
    Remove {
        prune: bool,
    },
}

/// Sets the member at `path` to `value`, creating the objects on the way (appended at the end
/// of their parent); a second run changes nothing.
pub fn set_member(original: &str, path: &[&str], value: &Value, file: &str) -> Res<Edit> {
    change_member(original, path, Change::Set(value), file)
}

/// Puts back the exact bytes `raw` (a JSON value) of the member at `path`, which must exist.
pub fn restore_member(original: &str, path: &[&str], raw: &str, file: &str) -> Res<Edit> {
    change_member(original, path, Change::Raw(raw), file)
}

/// Removes the member at `path`; with `prune`, also any object above it (below the root) that
/// this leaves empty.
pub fn remove_member(original: &str, path: &[&str], prune: bool, file: &str) -> Res<Edit> {
    change_member(original, path, Change::Remove { prune }, file)
}

fn change_member(original: &str, path: &[&str], change: Change, file: &str) -> Res<Edit> {
    let unchanged = || Edit {
        text: original.to_string(),
        changes: Vec::new(),
    };
    let Some((last, parents)) = path.split_last() else {
        return refuse("internal error: an empty member path");
    };
    let (bom, mut text, before) = parse_named(original, file)?;
    let style = Style::detect(&text);
    let root = Scanner::parse(&text)?;
    // The chain of containers down to the member's parent.
    let mut chain: Vec<&Node> = vec![&root];
    for (depth, key) in parents.iter().enumerate() {
        let at = chain[depth];
        match at.member(key) {
            Some((_, m)) if m.value.members().is_some() => chain.push(&m.value),
            Some(_) => {
                return refuse(format!(
                    "{file}: `{}` is not an object",
                    path[..=depth].join(".")
                ));
            }
            None => break,
        }
    }
    let name = path.join(".");
    let mut after = before.clone();
    let description;
    match change {
        Change::Set(value) => {
            if value_at(&before, path) == Some(value) {
                return Ok(unchanged());
            }
            if chain.len() == path.len() {
                let parent = chain[chain.len() - 1];
                match parent.member(last) {
                    Some((_, m)) => replace_value(&mut text, &m.value, value, &style),
                    None => append_item(&mut text, parent, Some(last), value, &style),
                }
            } else {
                // Objects on the way are missing: one value holds them all.
                let depth = chain.len() - 1;
                let mut nested = value.clone();
                for key in path[depth + 1..].iter().rev() {
                    let mut object = serde_json::Map::new();
                    object.insert((*key).to_string(), nested);
                    nested = Value::Object(object);
                }
                append_item(&mut text, chain[depth], Some(path[depth]), &nested, &style);
            }
            set_value(&mut after, path, value.clone());
            description = format!("set {name}");
        }
        Change::Raw(raw) => {
            let Ok(value) = serde_json::from_str::<Value>(raw) else {
                return refuse(format!(
                    "internal error: the kept value of {name} is not JSON"
                ));
            };
            let node = match (chain.len() == path.len(), chain.last()) {
                (true, Some(parent)) => parent.member(last).map(|(_, m)| &m.value),
                _ => None,
            };
            let Some(node) = node else {
                return refuse(format!("{file}: `{name}` is not there to restore"));
            };
            if text[node.start..node.end] == *raw {
                return Ok(unchanged());
            }
            splice(&mut text, node.start, node.end, raw);
            set_value(&mut after, path, value);
            description = format!("restored {name}");
        }
        Change::Remove { prune } => {
            if chain.len() != path.len() || chain[chain.len() - 1].member(last).is_none() {
                return Ok(unchanged());
            }
            // chain[level] holds path[level]: climb while removing would leave it empty.
            let mut level = chain.len() - 1;
            while prune && level > 0 && chain[level].item_spans().len() == 1 {
                level -= 1;
            }
            let container = chain[level];
            let key = path[level];
            let Some((index, _)) = container.member(key) else {
                return scan_error();
            };
            remove_item(&mut text, container, index);
            remove_value(&mut after, &path[..=level]);
            description = format!("removed {name}");
        }
    }
    let text = format!("{bom}{text}");
    // The safety net under the splicing: the result must be the original with this one change.
    let reparsed = if split_bom(&text).1.trim().is_empty() {
        Some(Value::Object(serde_json::Map::new()))
    } else {
        serde_json::from_str::<Value>(split_bom(&text).1).ok()
    };
    if reparsed.as_ref() != Some(&after) {
        return refuse(format!(
            "internal error: changing {name} would touch other content of {file}; nothing written"
        ));
    }
    Ok(Edit {
        text,
        changes: vec![description],
    })
}

fn set_value(root: &mut Value, path: &[&str], value: Value) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let mut at = root;
    for key in parents {
        let Some(object) = at.as_object_mut() else {
            return;
        };
        at = object
            .entry((*key).to_string())
            .or_insert_with(|| Value::Object(serde_json::Map::new()));
    }
    if let Some(object) = at.as_object_mut() {
        object.insert((*last).to_string(), value);
    }
}

fn remove_value(root: &mut Value, path: &[&str]) {
    let Some((last, parents)) = path.split_last() else {
        return;
    };
    let at = parents
        .iter()
        .try_fold(root, |at, key| at.as_object_mut()?.get_mut(*key));
    if let Some(object) = at.and_then(Value::as_object_mut) {
        object.shift_remove(*last);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_our_commands_in_any_spelling() {
        let cases = [
            (
                "claude-session hook post-edit",
                Some(("claude-session", "post-edit")),
            ),
            (
                "\"/opt/my tools/claude-session\" hook stop",
                Some(("/opt/my tools/claude-session", "stop")),
            ),
            (
                "'/a/b/claude-session' hook prompt ",
                Some(("/a/b/claude-session", "prompt")),
            ),
            // More than our hook: the user's own command, left alone.
            ("'/a/b/claude-session' hook prompt --x", None),
            (
                "claude-session hook stop && notify-send 'Claude finished'",
                None,
            ),
            ("claude-session hook stop; echo done", None),
            (
                "/a\\ b/claude-session hook stop",
                Some(("/a b/claude-session", "stop")),
            ),
            (
                "  ${CLAUDE_PLUGIN_ROOT}/bin/claude-session hook pre-task",
                Some(("${CLAUDE_PLUGIN_ROOT}/bin/claude-session", "pre-task")),
            ),
            ("C:\\bin\\claude-session.exe hook stop", None),
            (
                "\"C:\\bin\\claude-session.exe\" hook stop",
                Some(("C:\\bin\\claude-session.exe", "stop")),
            ),
            ("claude-session-other hook stop", None),
            ("my-claude-session hook stop", None),
            ("claude-session start x", None),
            ("claude-session hook", None),
            ("echo claude-session hook stop", None),
            ("\"/unterminated/claude-session hook stop", None),
            ("", None),
        ];
        for (command, want) in cases {
            let got = parse_our_command(command);
            let got = got.as_ref().map(|c| (c.program.as_str(), c.name.as_str()));
            assert_eq!(got, want, "{command}");
        }
    }

    #[test]
    fn quoted_command_reads_back_as_the_same_path() {
        for path in [
            "/usr/bin/claude-session",
            "/h/a b/\"q\"/$x/`y`/\\/claude-session",
        ] {
            let command = hook_command(path, "stop");
            let parsed = parse_our_command(&command).expect("ours");
            assert_eq!(parsed.program, path);
            assert_eq!(parsed.name, "stop");
        }
    }

    #[test]
    fn the_bare_name_is_written_as_the_plugin_writes_it_and_read_back_as_ours() {
        let command = hook_command(BINARY_NAME, "post-edit");
        assert_eq!(command, "claude-session hook post-edit");
        let parsed = parse_our_command(&command).expect("ours");
        assert_eq!(
            (parsed.program.as_str(), parsed.name.as_str()),
            (BINARY_NAME, "post-edit")
        );
        // A path that merely ends in the name is still quoted.
        assert_eq!(
            hook_command("/usr/bin/claude-session", "stop"),
            "\"/usr/bin/claude-session\" hook stop"
        );
    }

    #[test]
    fn install_switches_between_the_bare_name_and_a_path_and_uninstall_takes_either() {
        let hooks = include_str!("../hooks/hooks.json");
        let by_path = desired_hooks(hooks, "/usr/bin/claude-session").unwrap();
        let by_name = desired_hooks(hooks, BINARY_NAME).unwrap();
        let with_path = install("", &by_path).unwrap().text;
        let with_name = install(&with_path, &by_name).unwrap();
        assert!(
            with_name
                .changes
                .iter()
                .all(|c| c.starts_with("updated the binary path"))
        );
        assert!(!with_name.text.contains("/usr/bin"), "{}", with_name.text);
        assert_eq!(
            install(&with_name.text, &by_name).unwrap().text,
            with_name.text
        );
        for text in [&with_path, &with_name.text] {
            let removed = uninstall(text).unwrap();
            assert_eq!(removed.changes.len(), by_name.len());
            assert!(is_empty_document(&removed.text), "{}", removed.text);
        }
    }

    #[test]
    fn an_empty_document_is_one_without_keys() {
        for text in ["", " \n", "{}\n", "\u{feff}{ }", "{\r\n}\r\n"] {
            assert!(is_empty_document(text), "{text:?}");
        }
        for text in ["{\"a\": 1}", "{\"hooks\": {}}", "[]", "{", "null"] {
            assert!(!is_empty_document(text), "{text:?}");
        }
    }

    #[test]
    fn remove_then_append_gives_back_the_same_bytes() {
        let style = Style {
            unit: "  ".into(),
            newline: "\n",
            one_line: false,
        };
        for text in [
            "[]",
            "[1]",
            "[1, 2]",
            "[\n  1,\n  2\n]",
            "{\"a\": {}}",
            "{\n\t\"a\": [\n\t\t1\n\t]\n}",
        ] {
            let root = Scanner::parse(text).unwrap();
            let target = match &root.kind {
                Kind::Object(m) => &m[0].value,
                _ => &root,
            };
            let mut changed = text.to_string();
            let value = serde_json::json!({"k": [1]});
            let key = target.members().map(|_| "new");
            append_item(&mut changed, target, key, &value, &style);
            let reparsed = Scanner::parse(&changed).unwrap();
            let target = match &reparsed.kind {
                Kind::Object(m) => &m[0].value,
                _ => &reparsed,
            };
            let last = target.item_spans().len() - 1;
            remove_item(&mut changed, target, last);
            assert_eq!(changed, text);
        }
    }
}
