//! Copies text to the desktop clipboard with whichever tool this machine has.

use crate::process::{self, Run};
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

/// Copies `text` with the first clipboard tool that can work here; the tool's name, or why not.
pub fn copy_to_clipboard(text: &str) -> std::result::Result<String, String> {
    let mut tried = Vec::new();
    for (name, args, display) in CLIPBOARDS {
        let Some(program) = process::find_on_path(name) else {
            continue;
        };
        if let Some(var) = display
            && std::env::var_os(var).is_none_or(|v| v.is_empty())
        {
            tried.push(format!("{name} (no ${var})"));
            continue;
        }
        // Output discarded: xclip and wl-copy leave a process behind that holds the selection,
        // and it must not keep our pipes open.
        let run = Run::new(&program)
            .args(*args)
            .stdin(text.as_bytes().to_vec())
            .discard_output()
            .timeout(Duration::from_secs(5))
            .run();
        match run {
            Ok(finished) if finished.success() => return Ok(name.to_string()),
            Ok(_) => tried.push(format!("{name} (failed)")),
            Err(_) => tried.push(format!("{name} (did not start)")),
        }
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
