#!/usr/bin/env bash
# Benchmark of the hooks and the status line against /bin/true, measured in the same run (see
# BENCHMARKS.md).
#
#   scripts/bench-hooks.sh [RUNS]        (default 1000 runs per hot-path command)
#
# Builds the release binary, makes a temp state root and git repository with a session that
# already holds 5,000 artifacts (recorded through the hook itself), then times each command
# fed the captured payload on stdin. Each run is spawned with posix_spawn and reaped with
# wait4, which also gives that process's peak RSS. Needs cargo, git and python3; installs
# nothing; leaves nothing behind.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS="${1:-1000}"
command -v python3 >/dev/null || { echo "bench-hooks: python3 is required" >&2; exit 1; }
command -v git >/dev/null || { echo "bench-hooks: git is required" >&2; exit 1; }

# Statically linked, as installed: loading shared libraries is most of a dynamic Rust binary's
# start-up cost. RUSTFLAGS with an explicit --target leaves build scripts and proc-macros alone.
HOST="$(rustc -vV | sed -n 's/^host: //p')"
if [ -n "${CLAUDE_SESSION_BIN:-}" ]; then
  BIN="$CLAUDE_SESSION_BIN"
else
  echo "bench-hooks: building the release binary (static, $HOST)" >&2
  (cd "$ROOT" && RUSTFLAGS="${RUSTFLAGS:-} -C target-feature=+crt-static -C relocation-model=static" \
    cargo build --release --quiet --target "$HOST" --bin claude-session)
  BIN="$ROOT/target/$HOST/release/claude-session"
fi
# A plain `cargo build --release` (dynamically linked), when there is one, is timed alongside.
DYNAMIC="$ROOT/target/release/claude-session"
[ -x "$DYNAMIC" ] || DYNAMIC=""

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# Not `exec`: the EXIT trap must still remove $WORK.
python3 - "$BIN" "$ROOT" "$WORK" "$RUNS" "$DYNAMIC" <<'PY'
import json, os, platform, shutil, statistics, subprocess, sys, time

BIN, ROOT, WORK, RUNS, DYNAMIC = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
FIXTURES = os.path.join(ROOT, "tests", "fixtures")
CLAUDE = "7e7467ed-61fa-418e-8f5e-a815690dedad"
STATE = os.path.join(WORK, "state")
REPO = os.path.join(WORK, "webapp")
TRANSCRIPTS = os.path.join(WORK, "transcripts")

env = {
    "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
    "HOME": WORK,
    "CLAUDE_SESSION_HOME": STATE,
    "GIT_CONFIG_GLOBAL": "/dev/null",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example.com",
    "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example.com",
}

def sh(*args, stdin=None):
    return subprocess.run(args, cwd=REPO, env=env, input=stdin, check=True,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)

def payload(name, claude=CLAUDE, transcript=None):
    text = open(os.path.join(FIXTURES, "hook-inputs", name)).read()
    text = text.replace("/home/dev/.claude/projects/-home-dev-src-webapp", TRANSCRIPTS)
    text = text.replace("/home/dev/src/webapp", REPO).replace(CLAUDE, claude)
    if transcript:
        data = json.loads(text)
        data["transcript_path"] = transcript
        text = json.dumps(data)
    return text

def stdin_file(name, text):
    path = os.path.join(WORK, name)
    with open(path, "w") as f:
        f.write(text)
    return path

# --- setup: a repository, a bound session holding 5,000 artifacts --------------------------
os.makedirs(STATE)
os.makedirs(REPO)
shutil.copytree(os.path.join(FIXTURES, "transcripts"), TRANSCRIPTS)
sh("git", "init", "-q", "-b", "main")
open(os.path.join(REPO, "README.md"), "w").write("bench\n")
sh("git", "add", ".")
sh("git", "commit", "-q", "-m", "init")
sh(BIN, "start", "benchmark", "--claude-session", CLAUDE)
print("bench-hooks: recording 5,000 artifacts through `hook post-edit`", file=sys.stderr)
base = payload("006-PostToolUse-Write.json")
for n in range(5000):
    sh(BIN, "hook", "post-edit", stdin=base.replace("notes.md", f"src/file{n:04}.rs").encode())
sh(BIN, "hook", "stop", stdin=payload("028-Stop.json").encode())
show = json.loads(sh(BIN, "list", "--json").stdout)
held = show["sessions"][0]["files_created"] if isinstance(show, dict) else None
assert held == 5000, f"the session holds {held} artifacts"

# A 50 MB transcript for the detached session-end worker.
big = os.path.join(WORK, "big-transcript.jsonl")
filler = "lorem ipsum dolor sit amet " * 40
with open(big, "w") as f:
    for n in range(18000):
        f.write(json.dumps({"type": "user", "message": {"role": "user", "content": f"prompt {n} {filler}"}}) + "\n")
        for block in range(2):
            f.write(json.dumps({"type": "assistant", "requestId": f"req_{n}", "message": {
                "id": f"msg_{n}", "content": [{"type": "text", "text": f"{block} {filler}"}],
                "usage": {"input_tokens": 10, "output_tokens": 5}}}) + "\n")
big_mb = os.path.getsize(big) / 1e6

edit_in = stdin_file("post-edit.json", payload("006-PostToolUse-Write.json"))
unbound_in = stdin_file("post-edit-unbound.json",
                        payload("006-PostToolUse-Write.json", claude="00000000-0000-4000-8000-00000000beef"))
start_in = stdin_file("session-start.json", payload("000-SessionStart-startup.json"))
end_in = stdin_file("session-end.json", payload("030-SessionEnd.json"))
prompt_in = stdin_file("prompt.json", payload("002-UserPromptSubmit.json"))

def statusline_payload(claude):
    # The last payload Claude Code 2.1.332 wrote (captured), pointed at the benchmark's repository.
    captured = json.load(open(os.path.join(FIXTURES, "statusline-captures", "statusline-2.1.332-stdin.json")))[-1]
    captured.update({"session_id": claude, "cwd": REPO})
    captured["workspace"].update({"current_dir": REPO, "project_dir": REPO})
    return json.dumps(captured, indent=1)

status_in = stdin_file("statusline.json", statusline_payload(CLAUDE))
status_unbound_in = stdin_file("statusline-unbound.json",
                               statusline_payload("00000000-0000-4000-8000-00000000beef"))
line = subprocess.run([BIN, "statusline"], stdin=open(status_in), env=env, cwd=REPO, check=True,
                      stdout=subprocess.PIPE).stdout.decode()
assert line.startswith("session 001 benchmark · active · 5000 files"), line

# --- timing ------------------------------------------------------------------------------
TIME = "/usr/bin/time"  # GNU time: a small parent whose child's peak RSS (%M) is the command's own

def spawn(argv, stdin_path):
    actions = [(os.POSIX_SPAWN_OPEN, 0, stdin_path, os.O_RDONLY, 0),
               (os.POSIX_SPAWN_OPEN, 1, "/dev/null", os.O_WRONLY, 0)]
    pid = os.posix_spawn(argv[0], argv, env, file_actions=actions)
    _, status, _ = os.wait4(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"bench-hooks: {' '.join(argv)} exited {status}")

def run_once(argv, stdin_path):
    t0 = time.perf_counter_ns()
    spawn(argv, stdin_path)
    return (time.perf_counter_ns() - t0) / 1e6

def peak_rss(argv, stdin_path, runs):
    """Peak RSS in MiB over `runs` runs. Not from our own wait4: a child spawned by this big
    Python process inherits its high-water mark, so a small parent (GNU time) measures."""
    if not os.access(TIME, os.X_OK):
        return None
    out = os.path.join(WORK, "rss.txt")
    peak = 0
    for _ in range(runs):
        spawn([TIME, "-f", "%M", "-o", out] + argv, stdin_path)
        peak = max(peak, int(open(out).read().split()[-1]))
    return peak / 1024.0

def measure(cases, runs, pause=0.0):
    """Runs the cases interleaved, so drift hits them alike; per case: times, peak RSS."""
    times = {label: [] for label, _, _ in cases}
    for label, argv, stdin in cases:  # warm-up
        for _ in range(min(20, runs)):
            run_once(argv, stdin)
            time.sleep(pause)
    for _ in range(runs):
        for label, argv, stdin in cases:
            times[label].append(run_once(argv, stdin))
            time.sleep(pause)
    rss = {}
    for label, argv, stdin in cases:
        rss[label] = peak_rss(argv, stdin, min(runs, 30))
        time.sleep(pause)
    return {label: (times[label], rss[label]) for label, _, _ in cases}

def p(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]

rows = []
def report(title, results, baseline_label):
    base = statistics.median(results[baseline_label][0])
    rows.append((title,))
    for label, (times, peak) in results.items():
        rows.append((label, len(times), statistics.median(times), p(times, 0.99), peak,
                     statistics.median(times) / base))
    return {label: (statistics.median(t) / base, peak) for label, (t, peak) in results.items()}

true_bin = shutil.which("true") or "/bin/true"
BASE = "/bin/true (baseline, same stdin)"
hot_cases = [
    (BASE, [true_bin], edit_in),
    ("hook post-edit (bound session)", [BIN, "hook", "post-edit"], edit_in),
    ("hook post-edit (unbound: via index.json)", [BIN, "hook", "post-edit"], unbound_in),
    ("hook prompt (bound session)", [BIN, "hook", "prompt"], prompt_in),
    ("statusline (bound session)", [BIN, "statusline"], status_in),
    ("statusline (unbound: the only active one, via index.json)", [BIN, "statusline"], status_unbound_in),
]
if DYNAMIC:
    hot_cases.append(("hook post-edit, dynamically linked build", [DYNAMIC, "hook", "post-edit"], edit_in))
hot = report("hot path", measure(hot_cases, RUNS), BASE)
hot_ratio, hot_rss = hot["hook post-edit (bound session)"]
status_ratio, status_rss = hot["statusline (bound session)"]

slow_runs = max(20, RUNS // 10)
report("session-start", measure([
    (BASE, [true_bin], start_in),
    ("hook session-start (5,000 artifacts)", [BIN, "hook", "session-start"], start_in),
], slow_runs), BASE)
# session-end starts a detached worker each time; let it finish between runs.
report("session-end", measure([
    (BASE, [true_bin], end_in),
    ("hook session-end (returns; worker detached)", [BIN, "hook", "session-end"], end_in),
], slow_runs, pause=0.2), BASE)

job = json.dumps({"claude_session": CLAUDE, "project_dir": REPO, "session": None,
                  "transcript_path": big, "reason": "other", "ended_at": "2025-10-25T14:30:00Z"})
report("session-end's detached worker", measure([
    (BASE, [true_bin], end_in),
    (f"session-end worker, {big_mb:.0f} MB transcript", [BIN, "hook", "session-end-worker", job], end_in),
], 5), BASE)

log = os.path.join(STATE, "claude-session", "logs", "hooks.log")
failures = open(log).read().count("\n") if os.path.exists(log) else 0

cpu = platform.machine()
try:
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
except OSError:
    pass
print(f"claude-session hook benchmark, {time.strftime('%Y-%m-%d')}: {cpu}, {os.cpu_count()} CPUs, "
      f"{platform.system()} {platform.release()}")
print(f"binary: {BIN}")
print(f"{RUNS} runs per hot-path command, interleaved with the baseline; the session holds "
      f"5,000 artifacts\n")
print("| command | runs | median ms | p99 ms | peak RSS MiB | median vs /bin/true |")
print("|---|---:|---:|---:|---:|---:|")
for row in rows:
    if len(row) == 1:
        print(f"| **{row[0]}** | | | | | |")
        continue
    label, n, med, p99, rss, ratio = row
    rss = "n/a" if rss is None else f"{rss:.1f}"
    print(f"| {label} | {n} | {med:.2f} | {p99:.2f} | {rss} | {ratio:.2f}× |")
print()
rss_ok = hot_rss is not None and hot_rss <= 8
print(f"post-edit goal: median ≤ 1.5× /bin/true: {hot_ratio:.2f}× {'OK' if hot_ratio <= 1.5 else 'MISSED'}; "
      f"peak RSS ≤ 8 MiB: {'n/a' if hot_rss is None else f'{hot_rss:.1f} MiB'} {'OK' if rss_ok else 'MISSED'}")
print(f"statusline goal: median ≤ 1.5× /bin/true: {status_ratio:.2f}× {'OK' if status_ratio <= 1.5 else 'MISSED'}; "
      f"peak RSS {'n/a' if status_rss is None else f'{status_rss:.1f} MiB'}")
print(f"hook failures logged during the run: {failures}")
PY
