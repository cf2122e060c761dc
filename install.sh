#!/usr/bin/env bash
# Builds claude-session in release mode and installs the binary into ~/.local/bin (or $CLAUDE_SESSION_PREFIX/bin).
set -euo pipefail
cd "$(dirname "$0")"
prefix="${CLAUDE_SESSION_PREFIX:-$HOME/.local}"
command -v cargo >/dev/null || { echo "install.sh: cargo not found; install a Rust toolchain first" >&2; exit 1; }
echo "Building and installing claude-session into $prefix/bin ..."
cargo install --path . --locked --root "$prefix" --force
echo "Installed: $prefix/bin/claude-session"
case ":$PATH:" in *":$prefix/bin:"*) ;; *) echo "Note: add $prefix/bin to your PATH." ;; esac
