//! Progress bars for long work (backups, restores, big checkpoints): drawn on stderr when it is
//! a terminal, and nothing at all otherwise, so pipes, logs and hooks see only the report.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// A bar counting `total` items, labelled `what`; hidden unless stderr is a terminal.
pub fn bar(total: u64, what: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template("{msg:>12} [{bar:30}] {pos}/{len} {elapsed}")
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    bar.set_style(style);
    bar.set_message(what.to_string());
    bar
}

/// A bar counting `total` bytes (shown as KiB, MiB...), labelled `what`; hidden unless stderr
/// is a terminal. For work whose files may be few and large (a backup of a big tree).
pub fn bytes_bar(total: u64, what: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template(
        "{msg:>12} [{bar:30}] {binary_bytes}/{binary_total_bytes} {elapsed}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar())
    .progress_chars("=> ");
    bar.set_style(style);
    bar.set_message(what.to_string());
    // Drawn at once, and redrawn while one large file takes its time.
    bar.enable_steady_tick(std::time::Duration::from_millis(200));
    bar
}

/// A bar that draws nothing, for callers that report progress elsewhere.
pub fn none() -> ProgressBar {
    ProgressBar::hidden()
}
