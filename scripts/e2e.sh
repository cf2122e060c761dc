#!/usr/bin/env bash
# End-to-end tests: the real Claude Code CLI, run offline against a scripted local stand-in of
# the Anthropic Messages API (tests/e2e/api_standin.py), with claude-session wired in through
# hooks and slash commands. See tests/e2e/README.md.
#
#   scripts/e2e.sh [run_tests.py args: -k PATTERN, test names, -v]
#
# It runs one Claude Code version; scripts/test.sh runs every version of tests/e2e/versions.
#
# Environment:
#   CLAUDE_SESSION_BIN        claude-session binary to test. Unset: `cargo build --release` and
#                             use target/release/claude-session. "none": run only the scenarios
#                             that need no claude-session binary (the harness's own).
#   CLAUDE_SESSION_E2E_CACHE  where Claude Code is installed and kept
#                             (default ~/.cache/claude-session-e2e)
#   CLAUDE_CODE_VERSION       exact Claude Code version to run (default: the newest of
#                             tests/e2e/versions, the pinned list)
#   CLAUDE_BIN                use this claude executable instead of installing one
#   CLAUDE_SESSION_E2E_TIMEOUT        seconds for one `claude -p` (default 90)
#   CLAUDE_SESSION_E2E_SUITE_TIMEOUT  seconds for the whole suite of one version (default 300)
#   CLAUDE_SESSION_E2E_KEEP=1 keeps every test's temp folder (failed tests always keep theirs)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

log() { printf 'e2e: %s\n' "$*" >&2; }

VERSION="${CLAUDE_CODE_VERSION:-$(grep -Ev '^[[:space:]]*(#|$)' "$ROOT/tests/e2e/versions" | tail -n 1)}"
# Exact versions only: a tag such as "latest" would make runs differ from day to day.
[[ "$VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] \
  || { log "CLAUDE_CODE_VERSION must be an exact version such as 2.1.332, not '$VERSION'"; exit 1; }
CACHE="${CLAUDE_SESSION_E2E_CACHE:-${HOME}/.cache/claude-session-e2e}"
PREFIX="$CACHE/claude-code-$VERSION"
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

command -v python3 >/dev/null || { log "python3 is required"; exit 1; }

# The interactive scenarios (/clear, /exit) drive Claude Code's terminal UI through tmux. In CI
# (a fresh machine, as root) install it; elsewhere those scenarios skip with a message.
if ! command -v tmux >/dev/null && [ "${CI:-}" = "true" ] && [ "$(id -u)" = 0 ] \
  && command -v apt-get >/dev/null; then
  log "installing tmux for the interactive scenarios"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tmux) >/dev/null \
    || log "could not install tmux; the interactive scenarios will be skipped"
fi

# The native binary of the platform package (npm installs only the one matching this machine).
# Running it directly needs no postinstall script, so the install runs with --ignore-scripts.
find_claude() {
  local bin
  for bin in "$1"/node_modules/@anthropic-ai/claude-code-*/claude; do
    [ -x "$bin" ] && { printf '%s\n' "$bin"; return 0; }
  done
  bin="$1/node_modules/@anthropic-ai/claude-code/bin/claude.exe"  # postinstall's copy
  [ -x "$bin" ] && [ "$(stat -c %s "$bin")" -gt 1000000 ] && { printf '%s\n' "$bin"; return 0; }
  return 1
}

claude_ok() { [ -n "${1:-}" ] && "$1" --version 2>/dev/null | grep -q "^$VERSION "; }

if [ -n "${CLAUDE_BIN:-}" ]; then
  log "using CLAUDE_BIN=$CLAUDE_BIN"
else
  CLAUDE_BIN="$(find_claude "$PREFIX" || true)"
  if claude_ok "$CLAUDE_BIN"; then
    log "Claude Code $VERSION cached in $PREFIX"
  else
    command -v npm >/dev/null || { log "npm is required to install Claude Code"; exit 1; }
    log "installing @anthropic-ai/claude-code@$VERSION into $PREFIX (about 245 MB)"
    t0="$(now)"
    mkdir -p "$CACHE"
    tmp="$(mktemp -d "$CACHE/install.XXXXXX")"
    trap 'rm -rf "$tmp"' EXIT
    printf '{"name":"claude-session-e2e-cache","private":true}\n' > "$tmp/package.json"
    timeout 900 npm install --prefix "$tmp" --no-save --no-audit --no-fund --ignore-scripts \
      --loglevel=error "@anthropic-ai/claude-code@$VERSION" >&2
    CLAUDE_BIN="$(find_claude "$tmp" || true)"
    claude_ok "$CLAUDE_BIN" || { log "installed package has no working claude binary for this platform"; exit 1; }
    rm -rf "$PREFIX"
    mv "$tmp" "$PREFIX"
    trap - EXIT
    CLAUDE_BIN="$(find_claude "$PREFIX")"
    log "installed in $(since "$t0")s"
  fi
fi
claude_ok "$CLAUDE_BIN" || log "warning: $CLAUDE_BIN is not Claude Code $VERSION"
export CLAUDE_BIN

case "${CLAUDE_SESSION_BIN-}" in
  none) log "CLAUDE_SESSION_BIN=none: scenarios needing claude-session are skipped" ;;
  "")
    log "building claude-session (cargo build --release)"
    t0="$(now)"
    (cd "$ROOT" && cargo build --release --bin claude-session >&2)
    target="${CARGO_TARGET_DIR:-target}"
    case "$target" in /*) ;; *) target="$ROOT/$target" ;; esac
    export CLAUDE_SESSION_BIN="$target/release/claude-session"
    log "built in $(since "$t0")s"
    ;;
  *)
    [ -x "$CLAUDE_SESSION_BIN" ] || { log "CLAUDE_SESSION_BIN=$CLAUDE_SESSION_BIN is not executable"; exit 1; }
    export CLAUDE_SESSION_BIN="$(cd "$(dirname "$CLAUDE_SESSION_BIN")" && pwd)/$(basename "$CLAUDE_SESSION_BIN")"
    ;;
esac

log "running scenarios with $("$CLAUDE_BIN" --version)"
# Unset what could point a nested Claude Code somewhere else; the harness builds each run's
# environment from scratch anyway.
unset ANTHROPIC_API_KEY ANTHROPIC_AUTH_TOKEN ANTHROPIC_BASE_URL CLAUDECODE CLAUDE_CODE_ENTRYPOINT || true
export PYTHONDONTWRITEBYTECODE=1
exec timeout --kill-after=10 "${CLAUDE_SESSION_E2E_SUITE_TIMEOUT:-300}" \
  python3 "$ROOT/tests/e2e/run_tests.py" "$@"
