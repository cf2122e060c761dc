//! Hook fuzzing: a seeded generator (xorshift, no dependency) turns the captured payloads into
//! hostile inputs — truncated, fields of every wrong type, huge strings, deep nesting, NUL and
//! invalid UTF-8, `..` and absolute paths, transcript paths that are devices, FIFOs, folders or
//! missing, session ids with `/` and `..`, duplicate keys — and sends them to every hook.
//!
//! For each input: exit code 0 within a time limit, stdout empty or exactly the documented
//! JSON (`{"hookSpecificOutput": {"hookEventName", "additionalContext"}}`, SessionStart and
//! UserPromptSubmit only). After all of them (and the detached workers they started): nothing
//! changed outside the state root and the project (the rest of the temp folder is listed
//! before and after), no state file was found corrupt, no journal line is huge (over 64 KiB:
//! the caps keep a line to a few KiB, JSON escapes of control characters included).
//!
//! `CLAUDE_SESSION_FUZZ_CASES` (default 300) sets the number of inputs,
//! `CLAUDE_SESSION_FUZZ_SEED` the seed; a violation names its case, which replays alone with
//! `CLAUDE_SESSION_FUZZ_ONLY=<case>`; `CLAUDE_SESSION_FUZZ_LOG=<file>` keeps the hook log.

use super::*;
use crate::support::*;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::os::unix::fs::MetadataExt;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

const DEFAULT_CASES: usize = 300;
const DEFAULT_SEED: u64 = 0x9e37_79b9_7f4a_7c15;
/// Longest a hook may take (a debug build on a busy machine); Claude Code's shortest budget
/// is SessionEnd's 1.5 s, which a release build keeps far below.
const HOOK_LIMIT: Duration = Duration::from_secs(20);
const CLAUDE_B: &str = "bbbbbbbb-0000-4000-8000-00000000000b";

/// xorshift64*: small, seeded, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn new(seed: u64, case: usize) -> Rng {
        let mut rng = Rng((seed ^ (case as u64).wrapping_mul(0x2545_f491_4f6c_dd1d)) | 1);
        rng.next(); // decorrelate neighbouring cases
        rng
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// The fuzzing world: the project with a session bound to the captured Claude session, a
/// second active session, the transcripts, and odd files in a sentinel folder.
struct World {
    env: TestEnv,
    seeds: Vec<Value>,
    sentinel: PathBuf,
    paths: Vec<String>,
    transcripts: Vec<String>,
    session_ids: Vec<String>,
}

impl World {
    fn new() -> World {
        let env = world();
        start(&env, "fuzzed", Some(FIXTURE_CLAUDE_ID));
        start(&env, "second", Some(CLAUDE_B));
        let sentinel = env.root.join("sentinel");
        std::fs::create_dir_all(sentinel.join("deep/er")).unwrap();
        std::fs::write(sentinel.join("file.txt"), "keep me\n").unwrap();
        std::fs::write(sentinel.join("deep/er/x.jsonl"), "{}\n").unwrap();
        let fifo = sentinel.join("fifo.jsonl");
        env.command("mkfifo").arg(&fifo).capture().ok();
        let project = env.project.to_string_lossy().into_owned();
        let sent = sentinel.to_string_lossy().into_owned();
        let mut seeds: Vec<Value> = hook_fixture_names()
            .iter()
            .map(|name| serde_json::from_str(&env.fixture(name)).unwrap())
            .collect();
        for name in [
            "mcp-2.1.332-hooks.json",
            "tasks-2.1.332-tasks_optin-hooks.json",
        ] {
            let text = read(&fixtures_dir().join("hook-captures").join(name))
                .replace("/home/dev/project", &project);
            let list: Vec<Value> = serde_json::from_str(&text).unwrap();
            seeds.extend(list);
        }
        let transcript = env
            .transcripts()
            .join(format!("{FIXTURE_CLAUDE_ID}.jsonl"))
            .to_string_lossy()
            .into_owned();
        let paths = vec![
            format!("{project}/src/new.rs"),
            format!("{project}/../sentinel/file.txt"),
            format!("{project}/a/../../../../../etc/passwd"),
            "../../../../etc/shadow".to_string(),
            "relative/file.md".to_string(),
            "/etc/passwd".to_string(),
            "/".to_string(),
            ".".to_string(),
            "..".to_string(),
            String::new(),
            format!("{sent}/file.txt"),
            format!("{sent}/deep"),
            format!("{sent}/missing/dir/f"),
            format!("{project}/with\nnewline"),
            format!("{project}/with\u{0}nul"),
            "~/x".to_string(),
            "$(touch /tmp/pwned)".to_string(),
        ];
        let transcripts = vec![
            transcript,
            "/dev/zero".to_string(),
            "/dev/urandom".to_string(),
            "/dev/null".to_string(),
            fifo.to_string_lossy().into_owned(),
            sent.clone(),
            format!("{sent}/missing.jsonl"),
            format!("{sent}/deep/er/x.jsonl"),
            "/proc/self/mem".to_string(),
            "relative.jsonl".to_string(),
            String::new(),
        ];
        let session_ids = vec![
            FIXTURE_CLAUDE_ID.to_string(),
            CLAUDE_B.to_string(),
            "cccccccc-0000-4000-8000-00000000000c".to_string(),
            "../../../sentinel/x".to_string(),
            "a/b".to_string(),
            "..".to_string(),
            ".".to_string(),
            String::new(),
            "x".repeat(129),
            "ÿ-unicode".to_string(),
            "nul\u{0}id".to_string(),
            "-rf".to_string(),
        ];
        World {
            env,
            seeds,
            sentinel,
            paths,
            transcripts,
            session_ids,
        }
    }

    /// Everything under the temp folder but the state root and the project: path → (kind,
    /// size, modification time).
    fn outside(&self) -> BTreeMap<String, (String, u64, i64, i64)> {
        let mut out = BTreeMap::new();
        let skip = [&self.env.state, &self.env.project];
        let mut stack = vec![self.env.root.clone()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let path = entry.path();
                if skip.contains(&&path) {
                    continue;
                }
                let meta = std::fs::symlink_metadata(&path).unwrap();
                let kind = format!("{:?}", meta.file_type());
                let rel = path.strip_prefix(&self.env.root).unwrap();
                out.insert(
                    rel.to_string_lossy().into_owned(),
                    (kind, meta.len(), meta.mtime(), meta.mtime_nsec()),
                );
                if meta.is_dir() {
                    stack.push(path);
                }
            }
        }
        out
    }
}

/// A hostile string of some kind.
fn hostile_string(rng: &mut Rng, world: &World) -> String {
    match rng.below(10) {
        0 => world.rng_path(rng),
        1 => rng.pick(&world.transcripts).clone(),
        2 => rng.pick(&world.session_ids).clone(),
        3 => huge_string(rng),
        4 => "\u{0}".repeat(1 + rng.below(4)),
        5 => "\u{1b}[31mred\u{1b}[0m\r\n".to_string(),
        6 => "💥é中".repeat(1 + rng.below(100)),
        7 => rng
            .pick(&["Write", "Edit", "Agent", "Task", "NotebookEdit", "Bash"])
            .to_string(),
        8 => rng
            .pick(&[
                "startup", "resume", "clear", "compact", "fork", "manual", "auto",
            ])
            .to_string(),
        _ => String::new(),
    }
}

impl World {
    fn rng_path(&self, rng: &mut Rng) -> String {
        rng.pick(&self.paths).clone()
    }
}

/// 4 KiB to 1 MiB, ASCII or multibyte.
fn huge_string(rng: &mut Rng) -> String {
    let len = 4096 << rng.below(9);
    let unit = *rng.pick(&["a", "é", "中", "💥", "/..", "\\u0000"]);
    unit.repeat(len / unit.len())
}

fn nested(depth: usize, object: bool) -> Value {
    let mut value = json!(1);
    for _ in 0..depth {
        value = if object {
            json!({ "a": value })
        } else {
            json!([value])
        };
    }
    value
}

/// A value of some type, often the wrong one.
fn hostile_value(rng: &mut Rng, world: &World) -> Value {
    match rng.below(12) {
        0 => Value::Null,
        1 => json!(rng.chance(50)),
        2 => json!(*rng.pick(&[0i64, -1, i64::MIN, i64::MAX])),
        3 => json!(*rng.pick(&[1.5f64, -0.0, 1e308, -1e308, 5e-324])),
        4 => json!(u64::MAX),
        5 => json!([]),
        6 => json!({}),
        7 => json!([1, "two", {"three": [null]}]),
        8 => nested(1 + rng.below(200), rng.chance(50)),
        _ => Value::String(hostile_string(rng, world)),
    }
}

const FIELDS: &[&str] = &[
    "session_id",
    "transcript_path",
    "cwd",
    "hook_event_name",
    "tool_name",
    "tool_input",
    "tool_response",
    "tool_use_id",
    "source",
    "reason",
    "trigger",
    "custom_instructions",
    "prompt",
    "permission_mode",
    "stop_hook_active",
    "agent_id",
];
const TOOL_INPUT_FIELDS: &[&str] = &[
    "file_path",
    "notebook_path",
    "description",
    "subagent_type",
    "content",
    "prompt",
];
const TOOL_RESPONSE_FIELDS: &[&str] = &[
    "type",
    "status",
    "agentId",
    "agentType",
    "totalDurationMs",
    "totalTokens",
];
const EVENTS: &[&str] = &[
    "PostToolUse",
    "PreToolUse",
    "SessionStart",
    "SessionEnd",
    "PreCompact",
    "UserPromptSubmit",
    "Stop",
    "SubagentStop",
    "PostToolBatch",
    "",
];

fn object_at<'v>(payload: &'v mut Map<String, Value>, key: &str) -> &'v mut Map<String, Value> {
    let slot = payload.entry(key.to_string()).or_insert_with(|| json!({}));
    if !slot.is_object() {
        *slot = json!({});
    }
    slot.as_object_mut().unwrap()
}

/// One structural change; its description.
fn mutate(rng: &mut Rng, world: &World, payload: &mut Map<String, Value>) -> String {
    match rng.below(11) {
        0 | 1 => {
            let field = *rng.pick(FIELDS);
            let value = hostile_value(rng, world);
            payload.insert(field.to_string(), value);
            format!("{field}=<{}>", kind(payload.get(field).unwrap()))
        }
        2 => {
            let field = *rng.pick(TOOL_INPUT_FIELDS);
            let value = match rng.below(3) {
                0 => Value::String(world.rng_path(rng)),
                _ => hostile_value(rng, world),
            };
            let text = format!("tool_input.{field}=<{}>", kind(&value));
            object_at(payload, "tool_input").insert(field.to_string(), value);
            text
        }
        3 => {
            let field = *rng.pick(TOOL_RESPONSE_FIELDS);
            let value = hostile_value(rng, world);
            let text = format!("tool_response.{field}=<{}>", kind(&value));
            object_at(payload, "tool_response").insert(field.to_string(), value);
            text
        }
        4 => {
            let field = *rng.pick(FIELDS);
            payload.remove(field);
            format!("-{field}")
        }
        5 => {
            let path = rng.pick(&world.transcripts).clone();
            payload.insert("transcript_path".into(), Value::String(path.clone()));
            format!("transcript_path={path:?}")
        }
        6 => {
            let id = rng.pick(&world.session_ids).clone();
            payload.insert("session_id".into(), Value::String(id.clone()));
            format!("session_id={:?}", cut(&id))
        }
        7 => {
            let cwd = match rng.below(3) {
                0 => world.sentinel.to_string_lossy().into_owned(),
                _ => world.rng_path(rng),
            };
            payload.insert("cwd".into(), Value::String(cwd.clone()));
            format!("cwd={:?}", cut(&cwd))
        }
        8 => {
            let path = rng.pick(&world.transcripts).clone();
            payload.insert("transcript_path".into(), Value::String(path.clone()));
            format!("transcript_path={path:?}")
        }
        _ => {
            let event = *rng.pick(EVENTS);
            payload.insert("hook_event_name".into(), json!(event));
            format!("event={event}")
        }
    }
}

/// One change to the bytes; its description.
fn mutate_bytes(rng: &mut Rng, bytes: &mut Vec<u8>) -> String {
    match rng.below(7) {
        0 => {
            let at = rng.below(bytes.len());
            bytes.truncate(at);
            format!("truncated at {at}")
        }
        1 => {
            // Inside a string: after a quote.
            let quotes: Vec<usize> = (0..bytes.len()).filter(|&i| bytes[i] == b'"').collect();
            let at = quotes.get(rng.below(quotes.len())).map_or(0, |q| q + 1);
            const BAD: [&[u8]; 4] = [&[0xff], &[0xc3], &[0xed, 0xa0, 0x80], &[0xf8, 0x88]];
            let bad = BAD[rng.below(BAD.len())];
            bytes.splice(at..at, bad.iter().copied());
            "invalid UTF-8".to_string()
        }
        2 => {
            let at = rng.below(bytes.len());
            bytes.insert(at, 0);
            "raw NUL".to_string()
        }
        3 => {
            let field = *rng.pick(FIELDS);
            let value = rng
                .pick(&["5", "null", "\"dup\"", "[]", "{}", "\"\""])
                .to_string();
            let dup = format!("\"{field}\": {value}, ");
            let at = bytes.iter().position(|b| *b == b'{').map_or(0, |p| p + 1);
            bytes.splice(at..at, dup.into_bytes());
            format!("duplicate {field} first")
        }
        4 => {
            let field = *rng.pick(FIELDS);
            let dup = format!(", \"{field}\": \"dup\"");
            let at = bytes
                .iter()
                .rposition(|b| *b == b'}')
                .unwrap_or(bytes.len());
            bytes.splice(at..at, dup.into_bytes());
            format!("duplicate {field} last")
        }
        5 => {
            let depth = 100 + rng.below(100_000);
            *bytes = [
                &b"{\"session_id\":"[..],
                &vec![b'['; depth],
                &vec![b']'; depth],
                b"}",
            ]
            .concat();
            format!("nested {depth} deep")
        }
        _ => {
            let at = rng.below(bytes.len());
            bytes[at] ^= 1 << rng.below(8);
            format!("bit flip at {at}")
        }
    }
}

fn kind(value: &Value) -> String {
    match value {
        Value::String(s) if s.len() > 40 => format!("string of {} bytes", s.len()),
        Value::String(s) => format!("{s:?}"),
        Value::Array(_) | Value::Object(_) => {
            let text = value.to_string();
            if text.len() > 40 {
                format!("{}… ({} bytes)", &text[..30], text.len())
            } else {
                text
            }
        }
        other => other.to_string(),
    }
}

fn cut(text: &str) -> String {
    text.chars().take(40).collect()
}

/// The hooks Claude Code would send this event to.
fn hooks_for(event: &str) -> &'static [&'static str] {
    match event {
        "PostToolUse" => &["post-edit", "post-task"],
        "PreToolUse" => &["pre-task"],
        "SessionStart" => &["session-start"],
        "SessionEnd" => &["session-end"],
        "PreCompact" => &["pre-compact"],
        "UserPromptSubmit" => &["prompt"],
        "Stop" => &["stop"],
        _ => &[],
    }
}

/// One generated input.
struct Case {
    hook: &'static str,
    input: Vec<u8>,
    /// Run from the sentinel folder instead of the project, with this CLAUDE_PROJECT_DIR.
    from_sentinel: bool,
    project_dir: Option<String>,
    what: String,
}

/// Whether `hook` would act on `seed` (rather than ignore it): its event, and its tools.
fn takes(hook: &str, seed: &Value) -> bool {
    let event = seed["hook_event_name"].as_str().unwrap_or("");
    let tool = seed["tool_name"].as_str().unwrap_or("");
    hooks_for(event).contains(&hook)
        && match hook {
            "post-edit" => ["Write", "Edit", "NotebookEdit"].contains(&tool),
            "pre-task" | "post-task" => ["Agent", "Task"].contains(&tool),
            _ => true,
        }
}

fn generate(rng: &mut Rng, world: &World) -> Case {
    // Mostly a hook with a payload it acts on (so the mutations reach its handler), else any.
    let hook = *rng.pick(claude_session::hook::NAMES);
    let fitting: Vec<&Value> = world.seeds.iter().filter(|s| takes(hook, s)).collect();
    let seed = if rng.chance(80) && !fitting.is_empty() {
        (*rng.pick(&fitting)).clone()
    } else {
        rng.pick(&world.seeds).clone()
    };
    let event = seed["hook_event_name"].as_str().unwrap_or("").to_string();
    let mut payload = seed.as_object().cloned().unwrap_or_default();
    let mut what = vec![format!(
        "{event} {}",
        seed["tool_name"].as_str().unwrap_or("")
    )];
    for _ in 0..1 + rng.below(3) {
        what.push(mutate(rng, world, &mut payload));
    }
    let mut input = if rng.chance(10) {
        serde_json::to_vec_pretty(&payload).unwrap()
    } else {
        serde_json::to_vec(&payload).unwrap()
    };
    if rng.chance(30) {
        what.push(mutate_bytes(rng, &mut input));
    }
    let from_sentinel = rng.chance(10);
    let project_dir = rng.chance(10).then(|| match rng.below(3) {
        0 => world.sentinel.to_string_lossy().into_owned(),
        1 => world.env.project.to_string_lossy().into_owned(),
        // An environment variable cannot hold a NUL.
        _ => world.rng_path(rng).replace('\0', ""),
    });
    Case {
        hook,
        input,
        from_sentinel,
        project_dir,
        what: what.join(", "),
    }
}

/// Runs one case; what is wrong with its result, if anything.
fn run(world: &World, case: &Case) -> Result<(), String> {
    let mut cmd = world.env.cmd(&["hook", case.hook]);
    if case.from_sentinel {
        cmd.current_dir(&world.sentinel);
    }
    if let Some(dir) = &case.project_dir {
        cmd.env("CLAUDE_PROJECT_DIR", dir);
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("spawn: {e}"))?;
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let started = Instant::now();
    std::thread::scope(|scope| {
        let input = &case.input;
        // A hook that stops reading early is fine for the writer: the error is ignored.
        scope.spawn(move || {
            let _ = stdin.write_all(input);
        });
        let out = scope.spawn(move || {
            let mut bytes = Vec::new();
            let _ = stdout.read_to_end(&mut bytes);
            bytes
        });
        let err = scope.spawn(move || {
            let mut bytes = Vec::new();
            let _ = stderr.read_to_end(&mut bytes);
            bytes
        });
        let status = loop {
            if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
                break status;
            }
            if started.elapsed() > HOOK_LIMIT {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("still running after {HOOK_LIMIT:?}"));
            }
            std::thread::sleep(Duration::from_millis(2));
        };
        let stdout = out.join().unwrap();
        let stderr = err.join().unwrap();
        if status.code() != Some(0) {
            return Err(format!(
                "exit {status}; stderr: {}",
                String::from_utf8_lossy(&stderr)
            ));
        }
        if !stderr.is_empty() {
            return Err(format!("stderr: {}", String::from_utf8_lossy(&stderr)));
        }
        check_stdout(case.hook, &stdout)
    })
}

/// Empty, or the one JSON object Claude Code reads from SessionStart and UserPromptSubmit.
fn check_stdout(hook: &str, stdout: &[u8]) -> Result<(), String> {
    if stdout.is_empty() {
        return Ok(());
    }
    let shown = String::from_utf8_lossy(stdout);
    let event = match hook {
        "session-start" => "SessionStart",
        "prompt" => "UserPromptSubmit",
        _ => return Err(format!("printed: {shown}")),
    };
    let text = std::str::from_utf8(stdout).map_err(|_| format!("not UTF-8: {shown}"))?;
    let Some(line) = text.strip_suffix('\n').filter(|l| !l.contains('\n')) else {
        return Err(format!("not one line: {shown}"));
    };
    let value: Value = serde_json::from_str(line).map_err(|e| format!("{e}: {shown}"))?;
    let object = value.as_object().ok_or("not an object")?;
    // SessionStart may add one line for the user (`systemMessage`), never anything else.
    let user_line_ok = match object.get("systemMessage") {
        None => true,
        Some(Value::String(line)) => {
            hook == "session-start" && line.starts_with("claude-session: ") && !line.contains('\n')
        }
        Some(_) => false,
    };
    let expected_keys = 1 + usize::from(object.contains_key("systemMessage"));
    let specific = object
        .get("hookSpecificOutput")
        .and_then(Value::as_object)
        .filter(|_| object.len() == expected_keys && user_line_ok)
        .ok_or_else(|| format!("not hookSpecificOutput (and a user line) alone: {shown}"))?;
    let context = specific
        .get("additionalContext")
        .and_then(Value::as_str)
        .ok_or_else(|| format!("no additionalContext: {shown}"))?;
    if specific.len() != 2 || specific.get("hookEventName") != Some(&json!(event)) {
        return Err(format!("not the {event} output: {shown}"));
    }
    if context.chars().count() > 10_000 {
        return Err(format!("context of {} chars", context.chars().count()));
    }
    Ok(())
}

fn env_number(name: &str) -> Option<u64> {
    std::env::var(name).ok().and_then(|v| {
        let v = v.trim();
        v.strip_prefix("0x")
            .map_or_else(|| v.parse().ok(), |h| u64::from_str_radix(h, 16).ok())
    })
}

#[test]
fn hostile_inputs_to_every_hook_exit_0_print_only_json_and_write_only_state() {
    let cases = env_number("CLAUDE_SESSION_FUZZ_CASES").map_or(DEFAULT_CASES, |n| n as usize);
    let seed = env_number("CLAUDE_SESSION_FUZZ_SEED").unwrap_or(DEFAULT_SEED);
    let only = env_number("CLAUDE_SESSION_FUZZ_ONLY").map(|n| n as usize);
    let world = World::new();
    let _reaper = Reaper(&world.env);
    let before = world.outside();
    let started = Instant::now();

    let next = AtomicUsize::new(0);
    let violations = Mutex::new(Vec::new());
    let tried = AtomicUsize::new(0);
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get().min(4));
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= cases {
                        break;
                    }
                    if only.is_some_and(|only| only != n) {
                        continue;
                    }
                    let case = generate(&mut Rng::new(seed, n), &world);
                    tried.fetch_add(1, Ordering::Relaxed);
                    if let Err(why) = run(&world, &case) {
                        let input: String = String::from_utf8_lossy(&case.input)
                            .chars()
                            .take(300)
                            .collect();
                        violations.lock().unwrap().push(format!(
                            "case {n} ({} <- {}): {}\n    input: {input:?}",
                            case.hook,
                            case.what,
                            cut_line(&why)
                        ));
                    }
                }
            });
        }
    });
    let hooks_took = started.elapsed();
    let mut violations = violations.into_inner().unwrap();

    // The detached workers (session-end) and automatic checkpoints (stop) finish too.
    if !settle(&world.env, Duration::from_secs(120)) {
        violations.push(format!(
            "background processes still running after 120 s: {:?}",
            workers(&world.env)
        ));
    }
    let after = world.outside();
    for (path, was) in &before {
        match after.get(path) {
            None => violations.push(format!("{path} was removed")),
            Some(now) if now != was => {
                violations.push(format!("{path} changed: {was:?} → {now:?}"))
            }
            _ => {}
        }
    }
    for path in after.keys().filter(|p| !before.contains_key(*p)) {
        violations.push(format!(
            "{path} was written outside the state root and project"
        ));
    }
    for path in world.env.corrupt_files() {
        violations.push(format!(
            "a state file was found corrupt: {}",
            path.display()
        ));
    }
    walk(&world.env.state, &mut |path| {
        if path.extension().is_some_and(|e| e == "jsonl")
            && let Ok(text) = std::fs::read(path)
            && let Some(line) = text.split(|b| *b == b'\n').find(|l| l.len() > 64 * 1024)
        {
            violations.push(format!(
                "a journal line of {} bytes in {}",
                line.len(),
                path.display()
            ));
        }
    });

    let tried = tried.into_inner();
    let log = world.env.hooks_log();
    if let Ok(copy) = std::env::var("CLAUDE_SESSION_FUZZ_LOG") {
        std::fs::write(copy, &log).unwrap();
    }
    let count = |what: &str| log.lines().filter(|l| l.contains(what)).count();
    let mut recorded = 0;
    walk(&world.env.state, &mut |path| {
        if path.extension().is_some_and(|e| e == "jsonl") {
            recorded += std::fs::read(path).map_or(0, |t| t.split(|b| *b == b'\n').count() - 1);
        }
    });
    eprintln!(
        "hook fuzz: {tried} inputs tried (seed {seed:#x}, {threads} threads, {:.1} s, then \
         {:.1} s for background work), {} violations; hook log: {} errors, {} ignored, {} notes; \
         {recorded} journal and inbox lines",
        hooks_took.as_secs_f64(),
        (started.elapsed() - hooks_took).as_secs_f64(),
        violations.len(),
        count(" error: "),
        count(" ignored: "),
        count(" note: "),
    );
    for violation in &violations {
        eprintln!("  {violation}");
    }
    assert!(violations.is_empty(), "{} violations", violations.len());
}

fn cut_line(text: &str) -> String {
    let one: String = text.replace('\n', " ");
    one.chars().take(600).collect()
}
