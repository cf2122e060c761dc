//! The claude.ai handoff: export (secrets redacted, `.env` files left out, size limit),
//! import, and the answer shown once as "Merged from claude.ai".

use super::*;
use std::path::PathBuf;

fn items(env: &TestEnv) -> Vec<(PathBuf, serde_json::Value)> {
    let dir = env.state.join("claude-session/handoff").join(slug(env));
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    paths.retain(|p| p.extension().is_some_and(|x| x == "json"));
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let value = serde_json::from_str(&std::fs::read_to_string(&p).expect("item"))
                .expect("item parses");
            (p, value)
        })
        .collect()
}

/// A session with uncommitted work holding secrets, and `.env` files.
fn session_with_secrets(env: &TestEnv) -> String {
    env.write("config/settings.yaml", "name: demo\n");
    env.git(&["add", "-A"]);
    env.git(&["commit", "-q", "-m", "Add settings"]);
    let id = env.start("handoff");
    env.write(
        "config/settings.yaml",
        "name: demo\napi_token: \"tok-9a8b7c6d5e4f\"\n",
    );
    env.write(
        "src/lib.rs",
        "pub fn answer() -> u32 {\n    // deploy key AKIAIOSFODNN7EXAMPLE\n    42\n}\n",
    );
    env.write(".env", "DATABASE_PASSWORD=supersecret123\n");
    env.write("app/.env.local", "LOCAL_ONLY=visible-only-here\n");
    id
}

#[test]
fn export_then_import_round_trip_with_secrets_removed() {
    let env = world();
    let id = session_with_secrets(&env);

    let out = env.run(&["handoff", "export"]).ok();
    let prompt = out.stdout;
    assert!(out.stderr.contains("Handoff saved:"), "{}", out.stderr);
    for secret in [
        "tok-9a8b7c6d5e4f",
        "AKIAIOSFODNN7EXAMPLE",
        "supersecret123",
        "visible-only-here",
    ] {
        assert!(!prompt.contains(secret), "{secret} leaked");
    }
    assert!(prompt.contains("api_token: \"[REDACTED:secret_assignment]\""));
    assert!(prompt.contains("[REDACTED:aws_access_key]"));
    assert!(prompt.contains("Changed but never shared (`.env` files): .env, app/.env.local."));
    assert!(prompt.ends_with("Redactions: 2 (aws_access_key: 1, secret_assignment: 1)\n"));
    insta::assert_snapshot!("transfer_prompt", scrub(&env, &prompt));

    let all = items(&env);
    assert_eq!(all.len(), 1);
    let (path, item) = &all[0];
    assert_eq!(item["version"], 1);
    assert_eq!(item["status"], "open");
    assert_eq!(item["context"], prompt.as_str());
    assert_eq!(item["claude_ai_response"], "");
    assert_eq!(item["project"], env.project.to_string_lossy().as_ref());
    assert_eq!(item["branch"], "main");
    assert_eq!(item["created_at"], "2026-03-14T10:00:00Z");
    assert_eq!(item["session_id"], id.as_str());
    assert_eq!(
        item["redactions"],
        serde_json::json!({"aws_access_key": 1, "secret_assignment": 1})
    );

    let answer = "## Summary\nWe renamed answer() to the_answer().\n\nUse token ghp_abcdefghijklmnopqrstuvwxyz0123456789 for CI.\n\n## Next steps\n- Update callers\n";
    env.at("2026-03-14T12:00:00Z");
    let out = env.run_stdin(&["handoff", "import"], answer).ok();
    assert!(
        out.stdout.contains("claude.ai's answer stored"),
        "{}",
        out.stdout
    );
    let item: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("item")).expect("json");
    assert_eq!(item["status"], "answered");
    assert_eq!(item["claude_ai_response"], answer);
    assert_eq!(item["answered_at"], "2026-03-14T12:00:00Z");

    let again = env.run_stdin(&["handoff", "import"], "more");
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("no open handoff"), "{}", again.stderr);

    env.run(&["pause"]).ok();
    env.at("2026-03-14T12:30:00Z");
    let out = env.run(&["resume"]).ok();
    assert!(
        out.stdout.contains("## Merged from claude.ai"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("We renamed answer() to the_answer()."));
    assert!(out.stdout.contains("[REDACTED:github_token]"));
    assert!(
        !out.stdout
            .contains("ghp_abcdefghijklmnopqrstuvwxyz0123456789")
    );
    let item: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("item")).expect("json");
    assert_eq!(item["status"], "merged");
    assert_eq!(item["merged_into"], id.as_str());
    let note = env
        .project_dir()
        .join("sessions/active")
        .join(&id)
        .join("notes/claude-ai-20260314T120000Z.md");
    let kept = std::fs::read_to_string(note).expect("the answer is kept in the notes");
    assert!(kept.contains("Update callers") && !kept.contains("ghp_"));

    // Shown once: the next resume has nothing to merge.
    env.run(&["pause"]).ok();
    let out = env.run(&["resume"]).ok();
    assert!(!out.stdout.contains("Merged from claude.ai"));
}

#[test]
fn start_merges_an_answered_handoff_into_a_new_session() {
    let env = world();
    env.write("notes.md", "draft\n");
    env.run(&["handoff", "export"]).ok();
    env.run_stdin(
        &["handoff", "import", "-"],
        "## Summary\nDone on claude.ai.\n",
    )
    .ok();
    let out = env.run(&["start", "continue"]).ok();
    assert!(out.stdout.contains("Session started:"));
    assert!(
        out.stdout.contains("## Merged from claude.ai"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("Done on claude.ai."));
    assert_eq!(items(&env)[0].1["status"], "merged");
}

#[test]
fn the_prompt_keeps_to_its_size_limit() {
    let env = world();
    env.start("big diffs");
    for n in 0..12 {
        let body: String = (0..80).map(|l| format!("line {l} of file {n}\n")).collect();
        env.write(&format!("big/file_{n:02}.txt"), &body);
    }
    let out = env.run(&["handoff", "export", "--max-bytes", "12000"]).ok();
    let prompt = out.stdout;
    assert!(prompt.len() <= 12000, "{} bytes", prompt.len());
    assert!(prompt.contains("```diff"), "some diffs fit");
    assert!(prompt.contains("Left out to stay within the size limit: big/file_"));
    assert!(prompt.contains("## What I'd like from you"));
    assert!(prompt.contains("hand back"));

    let out = env.run(&["handoff", "export", "--max-bytes", "100"]);
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("--max-bytes 100"), "{}", out.stderr);
}

#[test]
fn clipboard_is_used_when_there_is_one_and_its_absence_is_said() {
    let env = world();
    env.start("clip");
    let bin = env.root.join("bin");
    std::fs::create_dir_all(&bin).expect("bin");
    env.set_env("PATH", &bin.to_string_lossy());
    // Without a clipboard the prompt is printed instead, and the report (on stderr) says why.
    let out = env.run(&["handoff", "export", "--clipboard"]).ok();
    assert!(
        out.stderr.contains("Not copied: no clipboard tool found"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.starts_with("# Handoff from Claude Code: demo\n"));

    // A stand-in for xsel (no display server here) that keeps what it is given.
    let copied = env.root.join("copied.txt");
    let script = bin.join("xsel");
    std::fs::write(
        &script,
        format!("#!/bin/sh\n/bin/cat > '{}'\n", copied.display()),
    )
    .expect("script");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let out = env.run(&["handoff", "export", "--clipboard"]).ok();
    assert!(out.stderr.contains("xsel (no $DISPLAY)"), "{}", out.stderr);
    env.set_env("DISPLAY", ":0");
    let out = env.run(&["handoff", "export", "--clipboard"]).ok();
    assert!(
        out.stdout.contains("Copied to the clipboard (xsel)"),
        "{}",
        out.stdout
    );
    let newest = items(&env).pop().expect("item").1;
    assert_eq!(
        std::fs::read_to_string(&copied).expect("copied"),
        newest["context"].as_str().expect("context")
    );
}

#[test]
fn output_file_is_written_and_never_replaced() {
    let env = world();
    env.start("file");
    let out = env
        .run(&["handoff", "export", "--output", "handoff.md"])
        .ok();
    assert!(out.stdout.contains("Prompt written to"));
    let written = env.read("handoff.md");
    assert!(written.starts_with("# Handoff from Claude Code: demo\n"));
    let again = env.run(&["handoff", "export", "--output", "handoff.md"]);
    assert_eq!(again.code, 1);
    assert!(again.stderr.contains("the file exists"), "{}", again.stderr);
    assert_eq!(env.read("handoff.md"), written);
}

#[test]
fn pause_and_end_export_with_handoff() {
    let env = world();
    env.start("trip");
    let out = env.run(&["pause", "--handoff"]).ok();
    assert!(
        out.stdout.contains("Handoff for claude.ai"),
        "{}",
        out.stdout
    );
    assert_eq!(env.pause_record().expect("record")["handoff"], true);
    let all = items(&env);
    assert_eq!(all.len(), 1);
    let markdown = all[0].0.with_extension("md");
    assert_eq!(
        std::fs::read_to_string(markdown).expect("prompt beside the item"),
        all[0].1["context"].as_str().expect("context")
    );
    assert!(
        all[0].1["context"]
            .as_str()
            .expect("context")
            .contains("(pause)")
    );

    env.at("2026-03-14T11:00:00Z");
    let out = env.run(&["end", "--yes", "--handoff", "--no-backup"]).ok();
    assert!(
        out.stdout.contains("Handoff for claude.ai"),
        "{}",
        out.stdout
    );
    let all = items(&env);
    assert_eq!(all.len(), 2);
    assert!(
        all[1].1["context"]
            .as_str()
            .expect("context")
            .contains("(end)")
    );
}
