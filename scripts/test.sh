#!/usr/bin/env bash
# The test command: every unit and integration test (hermetic: temp HOME, temp git repositories),
# then the end-to-end scenarios in the real Claude Code CLI (scripts/e2e.sh: installs the pinned
# Claude Code from npm into a cache on first use, runs it offline against a local API stand-in).
# CLAUDE_SESSION_SKIP_E2E=1 runs only the cargo tests.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --locked --all-targets
if [ "${CLAUDE_SESSION_SKIP_E2E:-}" = "1" ]; then
  echo "test.sh: end-to-end scenarios skipped (CLAUDE_SESSION_SKIP_E2E=1)"
  exit 0
fi
cargo build --locked --bin claude-session
CLAUDE_SESSION_BIN="$PWD/target/debug/claude-session" ./scripts/e2e.sh
