#!/usr/bin/env bash
# The test command: every unit and integration test (hermetic: temp HOME, temp git repos).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo test --locked --all-targets
