#!/usr/bin/env bash
# Recovery benchmarks, measured against baselines in the same run:
#   1. a full backup of a generated ~100 MB source-like tree (`backup milestone`) against
#      `zip -r -6` of the same tree;
#   2. checkpoints of a 5,000-file tree: first, unchanged, one file changed (time and bytes
#      added on disk) against `cp -a` of the tree;
#   3. `backup daily` run again on an unchanged 10,000-file project (the stat-only fast path)
#      against the first, full daily backup;
#   4. peak memory (RSS, from GNU time's %M) of `backup milestone` on the 100 MB tree, on a
#      tree of four 16 MB incompressible files, and on any tree given with --tree (a cargo
#      registry's src/, say), against `zip -r -6` of the same tree. Goal: ≤ 100 MB for any tree.
# Prints a markdown table (paste it into BENCHMARKS.md). Needs: cargo, git, zip, python3, du,
# /usr/bin/time.
# Usage: scripts/bench-backup.sh [--mb N] [--runs N] [--tree DIR]... [--bin PATH]
#   --bin PATH measures that binary instead of building this checkout (an older build, to
#   compare); --tree DIR is only read (the backups go to a temporary state folder).
set -euo pipefail

MB=100
RUNS=3
TREES=()
BIN=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --mb) MB="$2"; shift 2 ;;
        --runs) RUNS="$2"; shift 2 ;;
        --tree) TREES+=("$(cd "$2" && pwd)"); shift 2 ;;
        --bin) BIN="$(realpath "$2")"; shift 2 ;;
        *) echo "usage: $0 [--mb N] [--runs N] [--tree DIR]... [--bin PATH]" >&2; exit 1 ;;
    esac
done

cd "$(dirname "$0")/.."
if [[ -z "$BIN" ]]; then
    cargo build --release --quiet
    BIN="$PWD/target/release/claude-session"
fi
WORK="$(mktemp -d "${TMPDIR:-/tmp}/bench-backup.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

export CLAUDE_SESSION_HOME="$WORK/state"
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com
export GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
mkdir -p "$CLAUDE_SESSION_HOME"

# generate DIR TOTAL_BYTES FILES SEED: a deterministic tree of source-like text files (lines
# drawn from a pool of generated code-ish lines, sizes varying), compressible like real code.
generate() {
    python3 - "$@" <<'PY'
import os, random, sys
root, total, files, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rng = random.Random(seed)
words = ["self", "value", "result", "config", "buffer", "index", "count", "error", "path",
         "session", "state", "items", "name", "data", "options", "context", "handle", "entry",
         "parse", "write", "read", "update", "build", "check", "render", "load", "store"]
types = ["u64", "String", "Vec<u8>", "Option<Path>", "Result<()>", "HashMap<K, V>", "&str", "bool"]
def line():
    kind = rng.random()
    indent = "    " * rng.randint(0, 3)
    a, b, c = rng.choice(words), rng.choice(words), rng.choice(words)
    if kind < 0.15:
        return f"{indent}// {a} the {b} before {c} ({rng.randint(0, 9999)})"
    if kind < 0.35:
        return f"{indent}let {a}_{b} = {c}.{rng.choice(words)}({rng.randint(0, 255)})?;"
    if kind < 0.5:
        return f"{indent}fn {a}_{b}(&mut self, {c}: {rng.choice(types)}) -> {rng.choice(types)} {{"
    if kind < 0.65:
        return f"{indent}if {a}.{b}() > {rng.randint(0, 4096)} {{ return Err(Error::{c.title()}); }}"
    if kind < 0.8:
        return f"{indent}}}"
    return f"{indent}{a}.{b}.insert(\"{c}-{rng.randint(0, 99999)}\", {rng.random():.6f});"
pool = [line() for _ in range(60000)]
average = total // files
dirs = [os.path.join(root, f"src/mod_{d:03}") for d in range(max(1, files // 50))]
for d in dirs:
    os.makedirs(d, exist_ok=True)
for i in range(files):
    size = max(200, int(rng.expovariate(1 / average)))
    lines, n = [], 0
    while n < size:
        text = rng.choice(pool)
        lines.append(text)
        n += len(text) + 1
    with open(os.path.join(dirs[i % len(dirs)], f"file_{i:05}.rs"), "w") as f:
        f.write("\n".join(lines) + "\n")
PY
}

now() { echo "$EPOCHREALTIME"; }
elapsed() { python3 -c "print(f'{$2 - $1:.3f}')"; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }
human() { python3 -c "
n=$1
for unit in ['B','KiB','MiB','GiB']:
    if n < 1024 or unit == 'GiB':
        print(f'{n:.1f} {unit}' if unit != 'B' else f'{int(n)} B'); break
    n /= 1024"; }
disk_bytes() { du -s --block-size=1 "$1" | cut -f1; }
# peak_kib DIR COMMAND...: the peak RSS (KiB) of COMMAND run in DIR, its output discarded.
peak_kib() {
    local dir="$1"
    shift
    (cd "$dir" && /usr/bin/time -f %M -o "$WORK/rss" "$@" > /dev/null 2>&1)
    tail -n 1 "$WORK/rss"
}
mib() { python3 -c "print(f'{$1 / 1024:.1f} MiB')"; }

echo "Preparing trees in $WORK ..." >&2

# 1. Full backup against zip -r -6.
BIG="$WORK/big"
mkdir -p "$BIG"
generate "$BIG" $((MB * 1024 * 1024)) 4000 1
git -C "$BIG" init -q -b main .
git -C "$BIG" add -A
git -C "$BIG" commit -q -m tree
big_bytes=$(du -s --apparent-size --block-size=1 --exclude=.git "$BIG" | cut -f1)
big_files=$(git -C "$BIG" ls-files | wc -l)
cat "$BIG"/src/*/* > /dev/null # same warm cache for both sides

ours=()
theirs=()
for run in $(seq 1 "$RUNS"); do
    start=$(now)
    (cd "$BIG" && "$BIN" backup milestone "bench-$run" > /dev/null)
    ours+=("$(elapsed "$start" "$(now)")")
    rm -f "$WORK/baseline.zip"
    start=$(now)
    (cd "$BIG" && zip -r -6 -q "$WORK/baseline.zip" . -x '.git/*')
    theirs+=("$(elapsed "$start" "$(now)")")
done
ours_time=$(median "${ours[@]}")
zip_time=$(median "${theirs[@]}")
project_slug_dir=$(ls -d "$CLAUDE_SESSION_HOME"/claude-session/projects/big-*)
ours_size=$(stat -c %s "$project_slug_dir/backups/milestones/bench-1/project.zip")
zip_size=$(stat -c %s "$WORK/baseline.zip")

# 2. Checkpoints of a 5,000-file tree (untracked, so all of it is in the default set).
CP="$WORK/cp"
mkdir -p "$CP"
generate "$CP" $((5000 * 2048)) 5000 2
git -C "$CP" init -q -b main .
cp_bytes=$(du -s --apparent-size --block-size=1 --exclude=.git "$CP" | cut -f1)
(cd "$CP" && "$BIN" start bench checkpoints > /dev/null)
cp_session=$(ls -d "$CLAUDE_SESSION_HOME"/claude-session/projects/cp-*/sessions/active/*-bench-checkpoints)
snapshots="$cp_session/snapshots"

start=$(now)
cp -a "$CP" "$WORK/cp-copy"
copy_time=$(elapsed "$start" "$(now)")
copy_disk=$(disk_bytes "$WORK/cp-copy")
rm -rf "$WORK/cp-copy"

# checkpoint LABEL → "seconds new-file-bytes disk-bytes-added": the file bytes the manifest
# says were copied, and what du sees added (folders and the manifest included).
checkpoint() {
    local before after start seconds new
    before=$(disk_bytes "$snapshots" 2> /dev/null || echo 0)
    start=$(now)
    (cd "$CP" && "$BIN" checkpoint "$1" > /dev/null)
    seconds=$(elapsed "$start" "$(now)")
    after=$(disk_bytes "$snapshots")
    new=$(cd "$CP" && "$BIN" checkpoints --json \
        | python3 -c "import json,sys; print(json.load(sys.stdin)['checkpoints'][-1]['new_bytes'])")
    echo "$seconds $new $((after - before))"
}
read -r first_time first_new first_disk < <(checkpoint first)
read -r same_time same_new same_disk < <(checkpoint unchanged)
echo "// one line more" >> "$CP/src/mod_000/file_00000.rs"
read -r one_time one_new one_disk < <(checkpoint one-changed)

# 3. The unchanged daily backup on 10,000 files.
TEN="$WORK/ten"
mkdir -p "$TEN"
generate "$TEN" $((10000 * 1024)) 10000 3
git -C "$TEN" init -q -b main .
git -C "$TEN" add -A
git -C "$TEN" commit -q -m tree
start=$(now)
(cd "$TEN" && "$BIN" backup daily > /dev/null)
daily_full=$(elapsed "$start" "$(now)")
unchanged=()
for run in $(seq 1 "$RUNS"); do
    start=$(now)
    out=$(cd "$TEN" && "$BIN" backup daily)
    unchanged+=("$(elapsed "$start" "$(now)")")
    grep -q unchanged <<< "$out" || { echo "expected 'unchanged': $out" >&2; exit 1; }
done
daily_same=$(median "${unchanged[@]}")

# 4. Peak memory. The 100 MB tree again, then large incompressible files (streamed, never held
# whole), then any tree given.
rss_rows=()
rss_row() { # LABEL DIR NAME
    local ours theirs
    ours=$(peak_kib "$2" "$BIN" backup milestone "$3")
    rm -f "$WORK/rss.zip"
    theirs=$(peak_kib "$2" zip -r -6 -q "$WORK/rss.zip" . -x '.git/*')
    rm -f "$WORK/rss.zip"
    rss_rows+=("| Peak RSS, \`backup milestone\` of $1 (goal ≤ 100 MB) | $(mib "$ours") | \`zip -r -6\`: $(mib "$theirs") | — |")
}
rss_row "the $(human "$big_bytes") tree ($big_files files)" "$BIG" rss-big
BLOBS="$WORK/blobs"
mkdir -p "$BLOBS"
for n in 1 2 3 4; do head -c 16000000 /dev/urandom > "$BLOBS/blob-$n.bin"; done
echo "# large files" > "$BLOBS/README.md"
rss_row "four 16 MB incompressible files" "$BLOBS" rss-blobs
for tree in "${TREES[@]}"; do
    tree_bytes=$(du -s --apparent-size --block-size=1 "$tree" | cut -f1)
    tree_files=$(find "$tree" -type f | wc -l)
    rss_row "\`$(basename "$(dirname "$tree")")/$(basename "$tree")\` ($(human "$tree_bytes"), $tree_files files)" "$tree" "rss-$RANDOM"
done

cat <<EOF

Machine: $(nproc) cores, $(uname -sr); $(zip -v | sed -n 2p | sed 's/^ *//'); median of $RUNS run(s) where repeated.

| Measurement | claude-session | Baseline | Ratio (baseline / ours) |
|---|---:|---:|---:|
| Full backup of a $(human "$big_bytes") tree, $big_files files (time) | $ours_time s | \`zip -r -6\`: $zip_time s | $(ratio "$zip_time" "$ours_time")× |
| Same, archive size | $(human "$ours_size") | \`zip -r -6\`: $(human "$zip_size") | $(ratio "$zip_size" "$ours_size")× |
| Checkpoint of 5,000 files ($(human "$cp_bytes")), first (time) | $first_time s | \`cp -a\`: $copy_time s | $(ratio "$copy_time" "$first_time")× |
| Checkpoint, first (on disk: files; all incl. folders + manifest) | $(human "$first_new"); $(human "$first_disk") | \`cp -a\`: $(human "$copy_disk") | — |
| Checkpoint, unchanged tree (time) | $same_time s | \`cp -a\`: $copy_time s | $(ratio "$copy_time" "$same_time")× |
| Checkpoint, unchanged tree (added: file bytes; all incl. folders + manifest) | $(human "$same_new"); $(human "$same_disk") | \`cp -a\`: $(human "$copy_disk") | — |
| Checkpoint, one file changed (time) | $one_time s | \`cp -a\`: $copy_time s | $(ratio "$copy_time" "$one_time")× |
| Checkpoint, one file changed (added: file bytes; all incl. folders + manifest) | $(human "$one_new"); $(human "$one_disk") | \`cp -a\`: $(human "$copy_disk") | — |
| \`backup daily\` again, unchanged 10,000 files (time; target ≤ 1 s) | $daily_same s | first daily backup: $daily_full s | $(ratio "$daily_full" "$daily_same")× |
$(printf '%s\n' "${rss_rows[@]}")
EOF
