#!/usr/bin/env bash
# Builds claude-session (release), installs the binary, then registers it with Claude Code.
#
#   ./install.sh [claude-session install options, e.g. --scope project, --force, --dry-run]
#
# The binary goes to "$CLAUDE_SESSION_PREFIX/bin" (default ~/.local/bin). Running this again
# rebuilds only what changed, replaces the binary only when it differs, and leaves an up-to-date
# Claude Code setup byte-for-byte unchanged. Needs a Rust toolchain (cargo); nothing else.
set -euo pipefail

say() { printf 'install.sh: %s\n' "$*"; }
fail() { printf 'install.sh: error: %s\n' "$*" >&2; exit 1; }

cd "$(dirname "${BASH_SOURCE[0]}")"
[ -f Cargo.toml ] && grep -q '^name = "claude-session"' Cargo.toml \
  || fail "run me from a claude-session checkout (no Cargo.toml for claude-session here)"

PREFIX="${CLAUDE_SESSION_PREFIX:-$HOME/.local}"
BIN_DIR="$PREFIX/bin"
TARGET="$BIN_DIR/claude-session"

command -v cargo >/dev/null 2>&1 \
  || fail "cargo not found: install a Rust toolchain (https://rustup.rs), open a new shell, run me again"

need="$(sed -n 's/^rust-version = "\(.*\)"/\1/p' Cargo.toml)"
have="$(rustc --version 2>/dev/null | awk '{print $2}')" \
  || fail "rustc does not run (is a default toolchain set? try \`rustup default stable\`)"
if [ -n "$need" ] && [ -n "$have" ] \
  && [ "$(printf '%s\n%s\n' "$need" "$have" | sort -V | head -n1)" != "$need" ]; then
  fail "Rust $have is older than the $need this needs: run \`rustup update\` and try again"
fi

say "building claude-session in release mode (the first build takes a few minutes)"
started=$(date +%s)
built=""
host="$(rustc -vV 2>/dev/null | sed -n 's/^host: //p')" || host=""
case "$host" in
  *-linux-gnu)
    # Statically linked and not position-independent: loading shared libraries and applying
    # relocations is most of a small binary's start-up time, and hooks start a process per
    # event. An explicit --target keeps the flags off build scripts and proc-macros.
    if RUSTFLAGS="${RUSTFLAGS:-} -C target-feature=+crt-static -C relocation-model=static" \
      cargo build --release --locked --target "$host" --bin claude-session; then
      built="${CARGO_TARGET_DIR:-target}/$host/release/claude-session"
    else
      say "the static build failed; building a regular (dynamically linked) binary instead"
    fi ;;
esac
if [ -z "$built" ]; then
  cargo build --release --locked --bin claude-session \
    || fail "the build failed (see above); nothing was installed"
  built="${CARGO_TARGET_DIR:-target}/release/claude-session"
fi
[ -x "$built" ] || fail "the build did not produce $built"
say "built in $(( $(date +%s) - started )) s"

mkdir -p "$BIN_DIR" || fail "cannot create $BIN_DIR"
if [ -x "$TARGET" ] && cmp -s "$built" "$TARGET"; then
  say "$TARGET is already this build"
else
  # Copy beside the target, then rename over it: a hook running the old binary right now keeps
  # running, and nobody ever sees a half-written file.
  tmp="$(mktemp "$BIN_DIR/.claude-session.XXXXXX")" || fail "cannot write into $BIN_DIR"
  trap 'rm -f "$tmp"' EXIT
  cp "$built" "$tmp" && chmod 755 "$tmp" && mv -f "$tmp" "$TARGET" \
    || fail "cannot install the binary into $BIN_DIR"
  trap - EXIT
  say "installed $TARGET"
fi

say "registering the hooks and slash commands with Claude Code"
"$TARGET" install "$@" || fail "\`$TARGET install $*\` failed (see above)"

case ":$PATH:" in
  *":$BIN_DIR:"*) ;;
  *) say "add $BIN_DIR to your PATH (the slash commands run \`claude-session\` by name), e.g."
     say "  echo 'export PATH=\"$BIN_DIR:\$PATH\"' >> ~/.bashrc   # or ~/.zshrc" ;;
esac
say "done: start Claude Code in a project and type /start <what you are working on>"
say "check the setup any time with: claude-session doctor"
