#!/usr/bin/env bash
# Benchmark of `memory search` on 10,000 entries against baselines measured in the same run
# (see BENCHMARKS.md).
#
#   scripts/bench-memory.sh [--entries N] [--runs N] [--bin PATH]
#
# Builds the release binary (unless --bin or CLAUDE_SESSION_BIN names one), makes a temp state
# root and git project, writes N entries (default 10,000) into the four memory files in the
# format `memory add` writes (one entry of them added through the binary, so the files are
# ours), then times, RUNS times each (default 20; the median and the slowest are shown):
# `memory search` (two queries), `memory list --json`, `claude-session --version` (process
# start-up) and `grep -c` over the same four files (reading them, no parsing, no ranking).
# The peak RSS comes from /usr/bin/time -v. Needs git, python3 and GNU time; leaves nothing
# behind.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ENTRIES=10000
RUNS=20
BIN="${CLAUDE_SESSION_BIN:-}"
while [ $# -gt 0 ]; do
  case "$1" in
    --entries) ENTRIES="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --bin) BIN="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"; shift 2 ;;
    *) echo "bench-memory: unknown argument $1" >&2; exit 1 ;;
  esac
done
command -v python3 >/dev/null || { echo "bench-memory: python3 is required" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench-memory: GNU time (/usr/bin/time) is required" >&2; exit 1; }
if [ -z "$BIN" ]; then
  echo "bench-memory: building the release binary" >&2
  (cd "$ROOT" && cargo build --release --quiet --bin claude-session)
  BIN="$ROOT/target/release/claude-session"
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

python3 - "$BIN" "$WORK" "$ENTRIES" "$RUNS" <<'PY'
import os, random, re, statistics, subprocess, sys, time

bin_, work, n, runs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
env = dict(os.environ, CLAUDE_SESSION_HOME=os.path.join(work, "state"), HOME=work)
project = os.path.join(work, "project")
os.makedirs(project)
subprocess.run(["git", "init", "-q", project], check=True)

def cs(*args, capture=True):
    return subprocess.run([bin_, *args], cwd=project, env=env, check=True,
                          stdout=subprocess.PIPE if capture else subprocess.DEVNULL,
                          stderr=subprocess.PIPE)

# One entry through the binary: the files and their headers are ours.
out = cs("memory", "add", "decision", "Seed entry", "--json").stdout.decode()
path = re.search(r'"file": "([^"]+)"', out).group(1)
memdir = os.path.dirname(path)

rng = random.Random(15)
words = ("auth token session cache index hook journal backup restore sync remote merge "
         "branch commit budget context focus summary pattern decision error retry timeout "
         "lock atomic rename fsync yaml json markdown parser ranking search memory redact "
         "secret export handoff tracker outbox cursor checkpoint snapshot manifest archive "
         "zip deflate batch worker thread process signal kill crash recover status line").split()
kinds = [("architecture.md", "Architecture"), ("patterns.md", "Patterns"),
         ("decisions.md", "Decisions"), ("errors.md", "Errors")]
blocks = {name: [] for name, _ in kinds}
for i in range(n):
    name, _ = kinds[i % 4]
    title = " ".join(rng.choice(words) for _ in range(6)).capitalize()
    body = " ".join(rng.choice(words) for _ in range(40)) + "."
    tags = ", ".join(sorted(set(rng.choice(words) for _ in range(3))))
    meta = f"_2026-{1 + i % 12:02d}-{1 + i % 28:02d} · session 2026-01-01-session-{i % 999:03d} · tags: {tags} · id: {i:08x}_"
    extra = ""
    if name == "patterns.md":
        extra = f"\n**Approach:** {rng.choice(words)} first\n**Outcome:** {rng.choice(words)} fixed\n**Lessons:**\n- {rng.choice(words)}\n"
    blocks[name].append(f"## {title}\n{meta}\n\n{body}\n{extra}")
for name, _ in kinds:
    p = os.path.join(memdir, name)
    head = open(p).read() if os.path.exists(p) else f"# {name}\n\nnote\n"
    with open(p, "w") as f:
        f.write(head.rstrip("\n") + "\n\n" + "\n".join(blocks[name]))
files = [os.path.join(memdir, name) for name, _ in kinds]
size = sum(os.path.getsize(p) for p in files)

def timed(argv, cwd=project):
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        subprocess.run(argv, cwd=cwd, env=env, check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        samples.append((time.perf_counter() - t) * 1000)
    return statistics.median(samples), max(samples)

def peak_kb(argv):
    r = subprocess.run(["/usr/bin/time", "-v", *argv], cwd=project, env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr.decode())
    return int(m.group(1)) if m else 0

hits = cs("memory", "search", "auth", "token", "--json").stdout.decode().count('"score"')
rows = [
    ("memory search auth token", [bin_, "memory", "search", "auth", "token"]),
    ("memory search --limit 100 cache retry timeout", [bin_, "memory", "search", "cache", "retry", "timeout", "--limit", "100"]),
    ("memory list --json", [bin_, "memory", "list", "--json"]),
    ("claude-session --version (baseline)", [bin_, "--version"]),
    ("grep -c auth over the four files (baseline)", ["grep", "-c", "auth", *files]),
]
print(f"{n} entries, {size / 1e6:.1f} MB of markdown in 4 files; {runs} runs each; "
      f"`search auth token` shows {hits} of them (default limit)")
print()
print("| command | median ms | slowest ms | peak RSS MB |")
print("|---|---:|---:|---:|")
for label, argv in rows:
    med, worst = timed(argv)
    rss = peak_kb(argv) / 1024
    print(f"| {label} | {med:.1f} | {worst:.1f} | {rss:.1f} |")
PY
