//! Copies text to the desktop clipboard with whichever tool this machine has.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

/// The clipboard tools we know, with the arguments that make them read standard input, and the
/// display variable they need.
const CLIPBOARDS: &[(&str, &[&str], Option<&str>)] = &[
    ("wl-copy", &[], Some("WAYLAND_DISPLAY")),
    ("xclip", &["-selection", "clipboard"], Some("DISPLAY")),
    ("xsel", &["--clipboard", "--input"], Some("DISPLAY")),
    ("pbcopy", &[], None),
    ("clip.exe", &[], None),
];

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
}

/// Copies `text` with the first clipboard tool that can work here; the tool's name, or why not.
pub fn copy_to_clipboard(text: &str) -> std::result::Result<String, String> {
    use std::process::{Command, Stdio};
    let mut tried = Vec::new();
    for (name, args, display) in CLIPBOARDS {
        let Some(program) = on_path(name) else {
            continue;
        };
        if let Some(var) = display
            && std::env::var_os(var).is_none_or(|v| v.is_empty())
        {
            tried.push(format!("{name} (no ${var})"));
            continue;
        }
        let child = Command::new(&program)
            .args(*args)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn();
        let Ok(mut child) = child else {
            tried.push(format!("{name} (did not start)"));
            continue;
        };
        if let Some(mut stdin) = child.stdin.take() {
            let _ = stdin.write_all(text.as_bytes());
        }
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        let status = loop {
            match child.try_wait() {
                Ok(Some(status)) => break Some(status),
                Ok(None) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(20));
                }
                _ => {
                    let _ = child.kill();
                    let _ = child.wait();
                    break None;
                }
            }
        };
        if status.is_some_and(|s| s.success()) {
            return Ok(name.to_string());
        }
        tried.push(format!("{name} (failed)"));
    }
    if tried.is_empty() {
        Err("no clipboard tool found (wl-copy, xclip, xsel, pbcopy); use --output FILE or copy the printed prompt".to_string())
    } else {
        Err(format!(
            "no clipboard tool worked here: {}; use --output FILE",
            tried.join(", ")
        ))
    }
}
