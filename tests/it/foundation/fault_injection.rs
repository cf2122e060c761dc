//! Seeded random kills: every multi-step operation is killed with SIGKILL (what `kill -9` does:
//! no unwinding, no cleanup) after a random delay within its measured duration, many times over,
//! and after each kill the state is checked:
//!
//! - (a) every state command works: `list --all`, `status`, `show` of each session and
//!   `checkpoints` of each open one exit 0 with a parseable document;
//! - (b) every `*.json` under the state root parses (quarantined `*.corrupt-*` copies aside);
//! - (c) the project holds no temp file of ours and every file is byte-identical to its
//!   content before, or (in-place restore) to either its before or its after content;
//! - (d) running the operation again (`end` for end, `start` after `list` for start) finishes
//!   it, and the result is what a clean run gives;
//! - (e) nothing acknowledged is lost (a `track` that printed ✅ is recorded; an operation that
//!   exited 0 before the kill is done).
//!
//! The seed is printed (`CLAUDE_SESSION_FAULT_SEED` sets it). By default about 200 kill points
//! are tried over all operations; `CLAUDE_SESSION_FAULT_POINTS=1000` tries that many. Run with
//! `--nocapture` to see the figures.

use super::world;
use crate::support::*;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::io::Write;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Kill points over all operations unless `CLAUDE_SESSION_FAULT_POINTS` says otherwise.
const DEFAULT_POINTS: usize = 200;
/// How many operations share the kill points.
const OPERATIONS: usize = 8;
const SUMMARY: &str = "## Summary\n\nFault-injection summary 7f3a.\n";
const SUMMARY_MARK: &str = "Fault-injection summary 7f3a.";

// ---------------------------------------------------------------------------------------------
// Seeds and delays.

/// xorshift64: small, seedable, no dependency.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// Uniform enough in `0..=n`.
    fn upto(&mut self, n: u64) -> u64 {
        self.next() % (n + 1)
    }
}

/// One seed for the whole run (each operation mixes in its name).
fn base_seed() -> u64 {
    static SEED: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *SEED.get_or_init(|| {
        std::env::var("CLAUDE_SESSION_FAULT_SEED")
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos() as u64)
                    .unwrap_or(1)
            })
    })
}

/// The operation's own seed, so that each one replays alone.
fn seed_for(base: u64, name: &str) -> u64 {
    name.bytes().fold(base ^ 0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn points_per_operation() -> usize {
    let total = std::env::var("CLAUDE_SESSION_FAULT_POINTS")
        .ok()
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(DEFAULT_POINTS);
    (total / OPERATIONS).max(1)
}

// ---------------------------------------------------------------------------------------------
// A prepared world, put back before every kill.

/// A world prepared once and saved beside itself; [`World::reset`] copies it back to the same
/// paths (the state folder's name hashes the project's path, so it cannot move).
struct World {
    env: TestEnv,
    saved: PathBuf,
}

fn cp_a(from: &Path, to: &Path) {
    let out = Command::new("cp").arg("-a").arg(from).arg(to).capture();
    assert_eq!(out.code, 0, "cp -a {from:?} {to:?}: {}", out.stderr);
}

impl World {
    fn save(env: TestEnv) -> World {
        let saved = env.root.join("saved");
        std::fs::create_dir_all(&saved).unwrap();
        for dir in [&env.home, &env.project] {
            cp_a(dir, &saved.join(dir.file_name().unwrap()));
        }
        World { env, saved }
    }

    fn reset(&self) {
        for dir in [&self.env.home, &self.env.project] {
            std::fs::remove_dir_all(dir).unwrap();
            cp_a(&self.saved.join(dir.file_name().unwrap()), dir);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Running and killing.

/// One run of an operation: whether the kill caught it, and what it printed.
struct Attempt {
    /// Died of the kill (SIGKILL) rather than exiting.
    killed: bool,
    /// Exited 0 before the kill.
    finished: bool,
    /// Track burst: the files whose `track` printed ✅.
    acknowledged: Vec<String>,
}

/// Runs claude-session `args` (with `stdin`), killing it `delay` after it started unless it
/// exits first; `None`: runs to its end.
fn run_killed(
    env: &TestEnv,
    args: &[&str],
    stdin: Option<&str>,
    delay: Option<Duration>,
) -> (bool, Out) {
    let mut cmd = env.cmd(args);
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    if stdin.is_some() {
        cmd.stdin(Stdio::piped());
    }
    let started = Instant::now();
    let mut child = cmd.spawn().expect("spawn claude-session");
    if let Some(text) = stdin {
        // The reader takes all of it at once; a child killed before reading just breaks the pipe.
        let mut pipe = child.stdin.take().unwrap();
        let _ = pipe.write_all(text.as_bytes());
    }
    if let Some(delay) = delay {
        let deadline = started + delay;
        loop {
            if child.try_wait().expect("poll the child").is_some() {
                break;
            }
            let now = Instant::now();
            if now >= deadline {
                // SIGKILL on unix.
                let _ = child.kill();
                break;
            }
            std::thread::sleep((deadline - now).min(Duration::from_micros(500)));
        }
    }
    let output = child.wait_with_output().expect("wait for the child");
    let killed = output.status.signal() == Some(9);
    let out = Out {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    (killed, out)
}

fn attempt_of(killed: bool, out: &Out) -> Attempt {
    Attempt {
        killed,
        finished: !killed && out.code == 0,
        acknowledged: Vec::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// The invariants.

/// What the checks found wrong (empty: nothing).
type Found = Vec<String>;

/// blake3 of every file of the project, `.git` left out.
fn project_files(env: &TestEnv) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![env.project.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                if path != env.project.join(".git") {
                    stack.push(path);
                }
                continue;
            }
            let rel = path
                .strip_prefix(&env.project)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let hash = std::fs::read(&path)
                .map(|bytes| blake3::hash(&bytes).to_hex().to_string())
                .unwrap_or_else(|e| format!("unreadable: {e}"));
            out.insert(rel, hash);
        }
    }
    out
}

/// A name only a temp file of ours has.
fn temp_name(rel: &str) -> bool {
    rel.split('/').any(|part| {
        part.starts_with(".tmp")
            || part.ends_with(".tmp")
            || part.contains(".partial")
            || part.starts_with(".creating-")
            || (part.starts_with(".claude-session") && part != ".claude-session-restored")
    })
}

/// (c): every project file is as before, or (`after` given) as after; no temp file of ours.
fn check_project(
    env: &TestEnv,
    before: &BTreeMap<String, String>,
    after: Option<&BTreeMap<String, String>>,
    phase: &str,
    found: &mut Found,
) {
    let mut found_here = Found::new();
    let found_all = found;
    let found = &mut found_here;
    let now = project_files(env);
    for (path, hash) in &now {
        let was = before.get(path) == Some(hash);
        let will_be = after.is_some_and(|a| a.get(path) == Some(hash));
        if was || will_be {
            continue;
        }
        if temp_name(path) {
            found.push(format!("a temp file is left in the project: {path}"));
        } else if before.contains_key(path) || after.is_some_and(|a| a.contains_key(path)) {
            found.push(format!(
                "{path} holds neither its content before nor after (a partial write?)"
            ));
        } else {
            found.push(format!(
                "an unexpected file appeared in the project: {path}"
            ));
        }
    }
    for path in before.keys() {
        let deleted_by_op = after.is_some_and(|a| !a.contains_key(path));
        if !now.contains_key(path) && !deleted_by_op {
            found.push(format!("{path} vanished from the project"));
        }
    }
    found_all.extend(found_here.into_iter().map(|f| format!("{phase}: {f}")));
}

/// Runs a state command that must work; its document, or `None` after noting why not.
fn state_doc(env: &TestEnv, args: &[&str], found: &mut Found) -> Option<Value> {
    let out = env.run(args);
    if out.code != 0 {
        found.push(format!(
            "`{}` exited {}: {}",
            args.join(" "),
            out.code,
            out.stderr.trim()
        ));
        return None;
    }
    match serde_json::from_str::<Value>(&out.stdout) {
        Ok(doc) => Some(doc),
        Err(e) => {
            found.push(format!(
                "`{}` printed no JSON document: {e}",
                args.join(" ")
            ));
            None
        }
    }
}

fn sessions_of(doc: &Value) -> Vec<Value> {
    doc["sessions"].as_array().cloned().unwrap_or_default()
}

/// (a) and (b): every state command works and every JSON state file parses; the sessions
/// (`list --all`).
fn check_state(env: &TestEnv, found: &mut Found) -> Vec<Value> {
    let listed = state_doc(env, &["list", "--all", "--json"], found)
        .map(|d| sessions_of(&d))
        .unwrap_or_default();
    state_doc(env, &["status", "--json"], found);
    for session in &listed {
        let id = session["id"].as_str().unwrap_or_default();
        state_doc(env, &["show", id, "--json"], found);
        if session["archived"] == false {
            state_doc(env, &["checkpoints", id, "--json"], found);
        }
    }
    walk(&env.state, &mut |path| {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if name.ends_with(".json") && !name.contains(".corrupt-") {
            let text = std::fs::read(path).unwrap_or_default();
            if let Err(e) = serde_json::from_slice::<Value>(&text) {
                found.push(format!("{} does not parse: {e}", path.display()));
            }
        }
    });
    listed
}

/// Leftovers of ours under the state root that no reader lists (temp files, staging folders):
/// not a loss, but disk that nothing reclaims.
fn state_leftovers(env: &TestEnv) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![env.state.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            let rel = path
                .strip_prefix(&env.state)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let name = entry.file_name().to_string_lossy().into_owned();
            let is_dir = entry.file_type().unwrap().is_dir();
            // A checkpoint's folder without its manifest: copies nothing lists.
            let unfinished_checkpoint = is_dir
                && name.starts_with("checkpoint-")
                && !dir.join(format!("{name}.manifest.json")).exists();
            if name.ends_with(".tmp")
                || name.contains(".partial-")
                || name.starts_with(".creating-")
                || name.contains(".adopting-")
                || unfinished_checkpoint
                || (name == "restoring" && is_dir)
            {
                out.push(rel);
            } else if is_dir {
                stack.push(path);
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// The campaign of one operation.

struct Operation<'a> {
    name: &'static str,
    world: World,
    /// Runs the operation, killed after `delay` (`None`: to its end).
    run: &'a dyn Fn(&TestEnv, Option<Duration>) -> Attempt,
    /// The project's files after a clean run, when the operation changes them.
    after: Option<BTreeMap<String, String>>,
    /// Right after the kill: what must hold already (acknowledged work is there).
    at_kill: &'a dyn Fn(&TestEnv, &Attempt, &mut Found),
    /// Runs the operation again to its end and checks the end state is a clean run's.
    rerun: &'a dyn Fn(&TestEnv, &Attempt, &mut Found),
}

/// Checks after one run (killed or not); what was wrong.
fn check_all(op: &Operation, before: &BTreeMap<String, String>, attempt: &Attempt) -> Found {
    let env = &op.world.env;
    let mut found = Found::new();
    guarded(&mut found, "the state commands", |f| {
        check_state(env, f);
    });
    check_project(env, before, op.after.as_ref(), "after the kill", &mut found);
    guarded(&mut found, "the check at the kill", |f| {
        (op.at_kill)(env, attempt, f)
    });
    guarded(&mut found, "the rerun", |f| (op.rerun)(env, attempt, f));
    guarded(&mut found, "the state commands after the rerun", |f| {
        check_state(env, f);
    });
    // Finished: the project is exactly as a clean run leaves it.
    check_project(
        env,
        op.after.as_ref().unwrap_or(before),
        None,
        "after the rerun",
        &mut found,
    );
    found
}

/// Runs a check; a failed assertion in it (a command that had to work did not) is one more
/// finding, not the end of the campaign.
fn guarded(found: &mut Found, what: &str, check: impl FnOnce(&mut Found)) {
    let mut inner = Found::new();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&mut inner)));
    found.extend(inner);
    if let Err(panic) = result {
        let text = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default();
        found.push(format!("{what} failed: {}", text.replace('\n', " | ")));
    }
}

fn campaign(op: Operation) {
    let base = base_seed();
    let seed = seed_for(base, op.name);
    let mut rng = Rng::new(seed);
    let points = points_per_operation();
    let env = &op.world.env;
    let before = project_files(env);

    // Clean runs: each passes the checks, and the median of the last three bounds the delays.
    // The machine is shared and its load changes, so one more is timed every tenth point.
    let mut durations = Vec::new();
    let clean_run = |durations: &mut Vec<Duration>| {
        op.world.reset();
        let started = Instant::now();
        let clean = (op.run)(env, None);
        durations.push(started.elapsed());
        assert!(clean.finished, "{}: a clean run failed", op.name);
        let found = check_all(&op, &before, &clean);
        assert!(
            found.is_empty(),
            "{}: a clean run fails the checks: {found:#?}",
            op.name
        );
        let mut last: Vec<Duration> = durations.iter().rev().take(3).copied().collect();
        last.sort();
        last[last.len() / 2]
    };
    let mut measured = Duration::ZERO;
    for _ in 0..3 {
        measured = clean_run(&mut durations);
    }

    let campaign_started = Instant::now();
    let mut violations = Vec::new();
    let (mut killed, mut finished) = (0, 0);
    let mut leftovers: BTreeMap<String, usize> = BTreeMap::new();
    for point in 0..points {
        if point > 0 && point % 10 == 0 {
            measured = clean_run(&mut durations);
        }
        op.world.reset();
        let delay = Duration::from_micros(rng.upto(measured.as_micros() as u64));
        let attempt = (op.run)(env, Some(delay));
        killed += usize::from(attempt.killed);
        finished += usize::from(attempt.finished);
        let found = check_all(&op, &before, &attempt);
        let how = if attempt.killed {
            "killed"
        } else {
            "had exited"
        };
        violations.extend(
            found
                .into_iter()
                .map(|f| format!("{} kill point {point} at {delay:?} ({how}): {f}", op.name)),
        );
        for left in state_leftovers(env) {
            // Generalise names holding random parts, so the summary counts kinds.
            let kind = left
                .split('/')
                .map(|part| {
                    if let Some((name, _)) = part.split_once(".partial-") {
                        format!("{name}.partial-*")
                    } else if let Some(name) = part.strip_suffix(".tmp") {
                        format!("{}.*.tmp", name.rsplit_once('.').map_or(name, |(n, _)| n))
                    } else {
                        part.to_string()
                    }
                })
                .collect::<Vec<_>>()
                .join("/");
            *leftovers.entry(kind).or_default() += 1;
        }
    }
    eprintln!(
        "fault injection: {}: seed {base} (CLAUDE_SESSION_FAULT_SEED), {points} kill points within its clean duration ({:.0?} to {:.0?}; {killed} killed mid-run, {finished} exited first), {} violation(s), {:.1?} in all",
        op.name,
        durations.iter().min().unwrap(),
        durations.iter().max().unwrap(),
        violations.len(),
        campaign_started.elapsed(),
    );
    for (left, times) in &leftovers {
        eprintln!(
            "  left in the state root after {times} rerun(s) (not lost, not reclaimed): {left}"
        );
    }
    for v in &violations {
        eprintln!("  VIOLATION {v}");
    }
    assert!(
        violations.is_empty(),
        "{}: {} violation(s) with seed {base}:\n{}",
        op.name,
        violations.len(),
        violations.join("\n")
    );
}

fn nothing(_: &TestEnv, _: &Attempt, _: &mut Found) {}

/// The one open session's id (`list --json`).
fn open_ids(env: &TestEnv) -> Vec<String> {
    sessions_of(&env.json(&["list", "--json"]))
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect()
}

fn all_ids(env: &TestEnv) -> Vec<String> {
    sessions_of(&env.json(&["list", "--all", "--json"]))
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect()
}

/// Deterministic bytes that do not compress away.
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut rng = Rng::new(seed);
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        out.extend_from_slice(&rng.next().to_le_bytes());
    }
    out.truncate(len);
    out
}

// ---------------------------------------------------------------------------------------------
// The operations.

#[test]
fn start_survives_kill_9_at_any_instant() {
    let env = world("fault-start");
    let first = env.start("first");
    let run = |env: &TestEnv, delay| {
        let (killed, out) = run_killed(env, &["start", "second"], None, delay);
        attempt_of(killed, &out)
    };
    let rerun = |env: &TestEnv, attempt: &Attempt, found: &mut Found| {
        let listed = all_ids(env);
        let second = listed.iter().find(|id| id.ends_with("-second")).cloned();
        if attempt.finished && second.is_none() {
            found.push("a start that exited 0 left no session".to_string());
        }
        let third = started_id(&env.ok(&["start", "third"]));
        let mut expected: Vec<String> = [Some(first.clone()), second.clone(), Some(third)]
            .into_iter()
            .flatten()
            .collect();
        expected.sort();
        let mut now = all_ids(env);
        now.sort();
        if now != expected {
            found.push(format!("sessions {now:?}, expected {expected:?}"));
        }
        let mut open = sessions_of(&env.json(&["status", "--json"]))
            .iter()
            .map(|s| s["id"].as_str().unwrap().to_string())
            .collect::<Vec<_>>();
        open.sort();
        if open != expected {
            found.push(format!("status lists {open:?}, expected {expected:?}"));
        }
        if let Some(id) = &second {
            let dir = env.active_dir(id);
            for file in ["README.md", "summary.md", "session.yaml", "events.jsonl"] {
                if !dir.join(file).is_file() {
                    found.push(format!("the killed start's session {id} has no {file}"));
                }
            }
            if env.show(id)["session"]["focus"] != "second" {
                found.push(format!("{id}: focus lost"));
            }
        }
        let active = env.project_dir().join("sessions/active");
        for entry in std::fs::read_dir(active).unwrap().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                found.push(format!(
                    "a start's leftover stays after the next start: {name}"
                ));
            }
        }
    };
    campaign(Operation {
        name: "start",
        world: World::save(env),
        run: &run,
        after: None,
        at_kill: &nothing,
        rerun: &rerun,
    });
}

const TRACKED: usize = 20;

fn tracked_name(i: usize) -> String {
    format!("f{i:02}.txt")
}

#[test]
fn a_burst_of_track_survives_kill_9_at_any_instant() {
    let env = world("fault-track");
    env.start("tracking");
    for i in 0..TRACKED {
        env.write(&tracked_name(i), format!("file {i}\n"));
    }
    // The burst runs from here, one track after another, so that each ✅ is seen.
    let run = |env: &TestEnv, delay: Option<Duration>| {
        let started = Instant::now();
        let mut attempt = Attempt {
            killed: false,
            finished: true,
            acknowledged: Vec::new(),
        };
        for i in 0..TRACKED {
            let name = tracked_name(i);
            let left = delay.map(|d| d.saturating_sub(started.elapsed()));
            let (killed, out) = run_killed(env, &["track", &name], None, left);
            if killed {
                attempt.killed = true;
                attempt.finished = false;
                break;
            }
            if out.code == 0 && out.stdout.contains("✅") {
                attempt.acknowledged.push(name);
            } else {
                attempt.finished = false;
                break;
            }
        }
        attempt
    };
    let created = |env: &TestEnv| -> Vec<String> {
        let id = &open_ids(env)[0];
        env.show(id)["artifacts"]["created"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p.as_str().unwrap().to_string())
            .collect()
    };
    let at_kill = |env: &TestEnv, attempt: &Attempt, found: &mut Found| {
        let recorded = created(env);
        for name in &attempt.acknowledged {
            if !recorded.contains(name) {
                found.push(format!("acknowledged track of {name} is lost"));
            }
        }
    };
    let rerun = |env: &TestEnv, attempt: &Attempt, found: &mut Found| {
        for i in attempt.acknowledged.len()..TRACKED {
            env.ok(&["track", &tracked_name(i)]);
        }
        let recorded = created(env);
        let expected: Vec<String> = (0..TRACKED).map(tracked_name).collect();
        if recorded != expected {
            found.push(format!("recorded {recorded:?}, expected {expected:?}"));
        }
    };
    campaign(Operation {
        name: "track burst",
        world: World::save(env),
        run: &run,
        after: None,
        at_kill: &at_kill,
        rerun: &rerun,
    });
}

/// The pause record of the project (`None`: none).
fn pause_record(env: &TestEnv) -> Option<Value> {
    env.pause_record()
}

#[test]
fn pause_survives_kill_9_at_any_instant() {
    let env = world("fault-pause");
    let id = env.start("pausing");
    env.write("notes.txt", "notes\n");
    env.ok(&["track", "notes.txt"]);
    let args = ["pause", "--summary-file", "-"];
    let run = |env: &TestEnv, delay| {
        let (killed, out) = run_killed(env, &args, Some(SUMMARY), delay);
        attempt_of(killed, &out)
    };
    let rerun = |env: &TestEnv, _: &Attempt, found: &mut Found| {
        env.run_stdin(&args, SUMMARY).ok();
        if env.show(&id)["session"]["status"] != "paused" {
            found.push("not paused after the rerun".to_string());
        }
        let index: Value = parse_json(&read(&env.project_dir().join("index.json")));
        if index["sessions"][&id]["status"] != "paused" {
            found.push(format!("the index says {}", index["sessions"][&id]));
        }
        match pause_record(env) {
            Some(record) if record["session_id"] == json!(id) => {
                let context = record["context_file"].as_str().unwrap_or_default();
                let text = std::fs::read_to_string(context).unwrap_or_default();
                if !text.contains(SUMMARY_MARK) {
                    found.push(format!("the record's context {context} lacks the summary"));
                }
            }
            other => found.push(format!("pause record: {other:?}")),
        }
        // And it resumes.
        env.ok(&["resume"]);
        if env.show(&id)["session"]["status"] != "active" {
            found.push("resume did not make it active".to_string());
        }
    };
    campaign(Operation {
        name: "pause",
        world: World::save(env),
        run: &run,
        after: None,
        at_kill: &nothing,
        rerun: &rerun,
    });
}

/// Each file of a checkpoint against its manifest; the checkpoint's file paths.
fn verify_checkpoint(env: &TestEnv, id: &str, checkpoint: &str, found: &mut Found) -> Vec<String> {
    let manifest = env.manifest(id, checkpoint);
    let tree = env.snapshots(id).join(checkpoint);
    let mut paths = Vec::new();
    for file in manifest["files"].as_array().unwrap() {
        let path = file["path"].as_str().unwrap();
        let bytes = std::fs::read(tree.join(path)).unwrap_or_default();
        if blake3::hash(&bytes).to_hex().as_str() != file["blake3"].as_str().unwrap() {
            found.push(format!(
                "{checkpoint}: the copy of {path} does not match its manifest"
            ));
        }
        paths.push(path.to_string());
    }
    paths
}

#[test]
fn checkpoint_survives_kill_9_at_any_instant() {
    let env = world("fault-checkpoint");
    let id = env.start("snap");
    env.write("a.txt", "alpha\n");
    env.write("b.txt", "beta\n");
    env.write("big.bin", noise(3 << 20, 11));
    for file in ["a.txt", "b.txt", "big.bin"] {
        env.ok(&["track", file]);
    }
    let run = |env: &TestEnv, delay| {
        let (killed, out) = run_killed(env, &["checkpoint", "fault"], None, delay);
        attempt_of(killed, &out)
    };
    let rerun = |env: &TestEnv, attempt: &Attempt, found: &mut Found| {
        let before = env.checkpoint_ids(&id);
        if attempt.finished && before.is_empty() {
            found.push("a checkpoint that exited 0 is not listed".to_string());
        }
        env.ok(&["checkpoint", "again"]);
        let listed = env.checkpoint_ids(&id);
        if listed.len() != before.len() + 1 {
            found.push(format!("checkpoints {listed:?} after {before:?}"));
        }
        for checkpoint in &listed {
            let paths = verify_checkpoint(env, &id, checkpoint, found);
            for want in ["a.txt", "b.txt", "big.bin"] {
                if !paths.iter().any(|p| p == want) {
                    found.push(format!("{checkpoint} lacks {want}"));
                }
            }
        }
        // The session's record agrees with the listing.
        let shown = env.show(&id);
        let recorded: Vec<&str> = shown["checkpoints"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap())
            .collect();
        if recorded != listed.iter().map(String::as_str).collect::<Vec<_>>() {
            found.push(format!(
                "session.yaml records checkpoints {recorded:?}, the listing has {listed:?}"
            ));
        }
    };
    campaign(Operation {
        name: "checkpoint",
        world: World::save(env),
        run: &run,
        after: None,
        at_kill: &nothing,
        rerun: &rerun,
    });
}

#[test]
fn an_in_place_restore_survives_kill_9_at_any_instant() {
    let env = world("fault-restore");
    let id = env.start("restoring");
    env.write("a.txt", "alpha v1\n");
    env.write("b.txt", "beta v1\n");
    env.write("big.bin", noise(4 << 20, 21));
    env.write("c.txt", "gone at the checkpoint\n");
    for file in ["a.txt", "b.txt", "big.bin", "c.txt"] {
        env.ok(&["track", file]);
    }
    std::fs::remove_file(env.project.join("c.txt")).unwrap();
    env.ok(&["checkpoint", "base"]);
    let checkpoint = env.checkpoint_ids(&id)[0].clone();
    let restored = project_files(&env);
    // What the restore puts back: a.txt, b.txt and big.bin as they were, c.txt deleted.
    env.write("a.txt", "alpha v2, longer than before\n");
    std::fs::remove_file(env.project.join("b.txt")).unwrap();
    env.write("big.bin", noise(4 << 20, 22));
    env.write("c.txt", "back again\n");
    env.write("d.txt", "not in the checkpoint\n");
    let mut after = restored.clone();
    after.insert(
        "d.txt".to_string(),
        blake3::hash(b"not in the checkpoint\n")
            .to_hex()
            .to_string(),
    );
    let args = ["restore", "checkpoint", &id, &checkpoint, "--in-place"];
    let run = |env: &TestEnv, delay| {
        let (killed, out) = run_killed(env, &args, None, delay);
        attempt_of(killed, &out)
    };
    let rerun = |env: &TestEnv, _: &Attempt, found: &mut Found| {
        let out = env.run(&args);
        if out.code != 0 {
            found.push(format!("the rerun failed: {}", out.stderr.trim()));
        }
    };
    campaign(Operation {
        name: "restore --in-place",
        world: World::save(env),
        run: &run,
        after: Some(after),
        at_kill: &nothing,
        rerun: &rerun,
    });
}

#[test]
fn end_survives_kill_9_at_any_instant() {
    let env = world("fault-end");
    let id = env.start("ending");
    env.write("a.txt", "alpha\n");
    env.ok(&["track", "a.txt"]);
    let args = ["end", "--yes", "--score", "7", "--summary-file", "-"];
    let run = |env: &TestEnv, delay| {
        let (killed, out) = run_killed(env, &args, Some(SUMMARY), delay);
        attempt_of(killed, &out)
    };
    let rerun = |env: &TestEnv, attempt: &Attempt, found: &mut Found| {
        let out = env.run(&["end", "--yes"]);
        let done_before = out.code == 1 && out.stderr.contains("no open session");
        if out.code != 0 && !done_before {
            found.push(format!("the rerun `end` failed: {}", out.stderr.trim()));
        }
        if attempt.finished && !done_before {
            found.push("an end that exited 0 was not finished".to_string());
        }
        let shown = env.show(&id);
        if shown["archived"] != true || shown["session"]["status"] != "completed" {
            found.push(format!(
                "not ended: archived {}, status {}",
                shown["archived"], shown["session"]["status"]
            ));
        }
        if shown["end_pending"] != json!([]) {
            found.push(format!("still pending: {}", shown["end_pending"]));
        }
        let zips: Vec<PathBuf> = std::fs::read_dir(env.project_dir().join("backups/sessions"))
            .map(|d| {
                d.flatten()
                    .map(|e| e.path())
                    .filter(|p| {
                        let name = p.file_name().unwrap().to_string_lossy();
                        name.starts_with(&id) && name.ends_with(".zip")
                    })
                    .collect()
            })
            .unwrap_or_default();
        match zips.as_slice() {
            [zip] => {
                // Whole, and holding the end's documents (written before it).
                let whole = std::fs::File::open(zip)
                    .ok()
                    .and_then(|f| zip::ZipArchive::new(f).ok())
                    .is_some_and(|mut z| {
                        ["session.yaml", "completed.md", "review.md", "summary.md"]
                            .iter()
                            .all(|name| z.by_name(name).is_ok())
                    });
                if !whole {
                    found.push(format!("{} is not a whole backup", zip.display()));
                }
            }
            other => found.push(format!("{} backups: {other:?}", other.len())),
        }
        // The session record: there once, whole, this session's.
        let record = env
            .project_dir()
            .join(format!("backups/sessions/{id}.json"));
        match std::fs::read_to_string(&record)
            .ok()
            .and_then(|text| serde_json::from_str::<Value>(&text).ok())
        {
            Some(doc) if doc["session_id"] == id.as_str() && doc["artifacts"].is_object() => {}
            other => found.push(format!("session record {}: {other:?}", record.display())),
        }
        let archived = env.project_dir().join("sessions/archive").join(&id);
        for name in ["completed.md", "review.md"] {
            let text = std::fs::read_to_string(archived.join(name)).unwrap_or_default();
            if !text.contains(&id) {
                found.push(format!("{name} is missing or not whole"));
            }
        }
        let mut log = String::new();
        walk(&env.project_dir().join("session-summaries"), &mut |p| {
            let name = p.file_name().unwrap().to_string_lossy();
            if name.ends_with(".md") && !name.starts_with('.') {
                log.push_str(&read(p));
            }
        });
        let entries = log.matches(&format!("## {id}\n")).count();
        if entries != 1 {
            found.push(format!("{entries} summary-log entries"));
        }
        if attempt.finished && !log.contains(SUMMARY_MARK) {
            found.push("the summary of an end that exited 0 is not in the log".to_string());
        }
        if !open_ids(env).is_empty() {
            found.push("a session is still open".to_string());
        }
    };
    campaign(Operation {
        name: "end",
        world: World::save(env),
        run: &run,
        after: None,
        at_kill: &nothing,
        rerun: &rerun,
    });
}

#[test]
fn a_daily_backup_survives_kill_9_at_any_instant() {
    let env = world("fault-backup");
    env.start("backing");
    env.write("a.txt", "alpha\n");
    env.write("big.bin", noise(4 << 20, 31));
    env.ok(&["track", "a.txt"]);
    // Folded now: the state commands of the checks would fold it later, and a backup taken
    // before that would not be "unchanged" on the rerun.
    env.ok(&["list", "--all"]);
    let run = |env: &TestEnv, delay| {
        let (killed, out) = run_killed(env, &["backup", "daily"], None, delay);
        attempt_of(killed, &out)
    };
    let rerun = |env: &TestEnv, attempt: &Attempt, found: &mut Found| {
        let out = env.run(&["backup", "daily"]);
        if out.code != 0 {
            found.push(format!("the rerun failed: {}", out.stderr.trim()));
        }
        if attempt.finished && !out.stdout.contains("unchanged") {
            found.push(format!(
                "a backup that exited 0 was not kept: {}",
                out.stdout
            ));
        }
        let daily: Vec<Value> = env.json(&["backups", "--json"])["backups"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|b| b["kind"] == "daily")
            .cloned()
            .collect();
        if daily.len() != 1 {
            found.push(format!("{} daily backups: {daily:?}", daily.len()));
            return;
        }
        let dir = PathBuf::from(daily[0]["path"].as_str().unwrap());
        let manifest: Value = match std::fs::read_to_string(dir.join("manifest.json")) {
            Ok(text) => parse_json(&text),
            Err(e) => {
                found.push(format!("no manifest.json: {e}"));
                return;
            }
        };
        for archive in manifest["archives"].as_array().unwrap() {
            let file = dir.join(archive["file"].as_str().unwrap());
            let entries = std::fs::File::open(&file)
                .ok()
                .and_then(|f| zip::ZipArchive::new(f).ok())
                .map(|z| z.len() as u64);
            if entries != archive["files"].as_u64() {
                found.push(format!(
                    "{} holds {entries:?} entries, the manifest says {}",
                    file.display(),
                    archive["files"]
                ));
            }
        }
    };
    campaign(Operation {
        name: "backup daily",
        world: World::save(env),
        run: &run,
        after: None,
        at_kill: &nothing,
        rerun: &rerun,
    });
}

const INBOX_EVENTS: usize = 5000;

#[test]
fn an_inbox_adoption_survives_kill_9_at_any_instant() {
    let env = world("fault-adopt");
    let id = env.start("adopting");
    let inbox = env.project_dir().join("inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    let mut text = String::new();
    for i in 0..INBOX_EVENTS {
        let event = json!({"event": "artifact", "at": NOW, "path": format!("f{i}.txt"), "action": "created"});
        text.push_str(&format!("{event}\n"));
    }
    std::fs::write(inbox.join("conv-1.jsonl"), text).unwrap();
    let args = ["pause", "--claude-session", "conv-1"];
    let run = |env: &TestEnv, delay| {
        let (killed, out) = run_killed(env, &args, None, delay);
        attempt_of(killed, &out)
    };
    let rerun = |env: &TestEnv, _: &Attempt, found: &mut Found| {
        env.ok(&args);
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for event in events_of(&env.journal(&id), "artifact") {
            *seen
                .entry(event["path"].as_str().unwrap().to_string())
                .or_default() += 1;
        }
        let doubled: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
        let missing = (0..INBOX_EVENTS)
            .filter(|i| !seen.contains_key(&format!("f{i}.txt")))
            .count();
        if !doubled.is_empty() || missing > 0 || seen.len() != INBOX_EVENTS {
            found.push(format!(
                "{} events adopted, {missing} missing, {} doubled (e.g. {:?})",
                seen.len(),
                doubled.len(),
                doubled.first()
            ));
        }
        let created = env.show(&id)["artifacts"]["created"]
            .as_array()
            .unwrap()
            .len();
        if created != INBOX_EVENTS {
            found.push(format!("{created} artifacts in session.yaml"));
        }
        let left: Vec<String> = std::fs::read_dir(env.project_dir().join("inbox"))
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        if !left.is_empty() {
            found.push(format!("left in the inbox: {left:?}"));
        }
    };
    campaign(Operation {
        name: "inbox adoption",
        world: World::save(env),
        run: &run,
        after: None,
        at_kill: &nothing,
        rerun: &rerun,
    });
}
