//! The 1Password handoff store (`[handoff] backend = "1password"`) against the fake `op` in
//! `tests/fixtures/fake-op/op` (the real CLI cannot be installed on test machines): the item it
//! creates, the prompt never on `op`'s command line, claude.ai's answer merged by start and
//! resume, and each failure (missing, signed out, time limit, service account, vault) costing
//! one line while the file store keeps the handoff.

use crate::support::{TestEnv, fixtures_dir};
use serde_json::Value;
use std::path::{Path, PathBuf};

const T0: &str = "2026-03-14T10:00:00Z";

/// A git project `demo` whose handoffs go to 1Password through the fake `op`, first in PATH.
fn world() -> TestEnv {
    let env = TestEnv::builder()
        .repo("demo")
        .files(&[
            ("README.md", "# Demo\n\nA small demo project for tests.\n"),
            ("src/lib.rs", "pub fn answer() -> u32 {\n    42\n}\n"),
        ])
        .message("Initial commit")
        .clock(T0)
        .build();
    let path = format!(
        "{}:{}",
        fixtures_dir().join("fake-op").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    env.set_env("PATH", &path);
    env.set_env("FAKE_OP_DIR", &op_dir(&env).to_string_lossy());
    env.set_env("CLAUDE_SESSION_HANDOFF_BACKEND", "1password");
    env
}

fn op_dir(env: &TestEnv) -> PathBuf {
    env.root.join("fake-op-state")
}

/// A vault the fake knows (`Private`, the default, is made on first use).
fn add_vault(env: &TestEnv, name: &str) {
    std::fs::create_dir_all(op_dir(env).join("vaults").join(name)).unwrap();
}

/// The fake's items in `vault`, each with the path of its JSON file.
fn op_items(env: &TestEnv, vault: &str) -> Vec<(PathBuf, Value)> {
    let dir = op_dir(env).join("vaults").join(vault);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let item = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
            (p, item)
        })
        .collect()
}

fn field<'a>(item: &'a Value, label: &str) -> &'a Value {
    item["fields"]
        .as_array()
        .and_then(|fields| fields.iter().find(|f| f["label"] == label))
        .map(|f| &f["value"])
        .unwrap_or(&Value::Null)
}

/// What the user does on claude.ai's side: pastes the answer into `claude_ai_response`.
fn fill_answer(path: &Path, answer: &str) {
    let mut item: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    for f in item["fields"].as_array_mut().unwrap() {
        if f["label"] == "claude_ai_response" {
            f["value"] = Value::from(answer);
        }
    }
    std::fs::write(path, serde_json::to_string_pretty(&item).unwrap()).unwrap();
}

/// Every call the fake received, as it logged them.
fn op_calls(env: &TestEnv) -> Vec<Value> {
    std::fs::read_to_string(op_dir(env).join("argv.log"))
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// The file store's items (the record, whatever the back end).
fn file_items(env: &TestEnv) -> Vec<Value> {
    let slug = claude_session::paths::project_slug(&env.project, "demo");
    let dir = env.state.join("claude-session/handoff").join(slug);
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    paths.retain(|p| p.extension().is_some_and(|x| x == "json"));
    paths.sort();
    paths
        .iter()
        .map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap())
        .collect()
}

/// The export's one 1Password line, and the file store holding the whole handoff.
#[track_caller]
fn kept_in_files(env: &TestEnv, stderr: &str, problem: &str) {
    let lines: Vec<&str> = stderr.lines().filter(|l| l.contains("1Password")).collect();
    assert_eq!(lines.len(), 1, "{stderr}");
    assert!(lines[0].contains(problem), "{stderr}");
    assert!(
        lines[0].ends_with("the handoff is kept in the file store only"),
        "{stderr}"
    );
    let items = file_items(env);
    assert_eq!(items.len(), 1);
    assert!(
        items[0]["context"]
            .as_str()
            .unwrap()
            .contains("# Handoff from Claude Code: demo")
    );
    assert!(items[0].get("onepassword").is_none());
}

#[test]
fn export_creates_a_secure_note_and_the_prompt_never_reaches_ops_command_line() {
    let env = world();
    add_vault(&env, "Work");
    env.set_env("CLAUDE_SESSION_HANDOFF_ONEPASSWORD_VAULT", "Work");
    let id = env.start("handoff");
    env.write("src/lib.rs", "pub fn answer() -> u32 {\n    43\n}\n");

    let out = env.run(&["handoff", "export"]).ok();
    let prompt = out.stdout;
    assert!(
        out.stderr.contains(
            "Handoff saved: 1Password item \"session-demo-2026-03-14\" in vault Work (copy: "
        ),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("⚠️"), "{}", out.stderr);

    let items = op_items(&env, "Work");
    assert_eq!(items.len(), 1);
    let item = &items[0].1;
    assert_eq!(item["title"], "session-demo-2026-03-14");
    assert_eq!(item["category"], "SECURE_NOTE");
    assert_eq!(item["vault"]["name"], "Work");
    assert_eq!(field(item, "context"), prompt.as_str());
    assert_eq!(field(item, "claude_ai_response"), "");
    assert_eq!(
        field(item, "project"),
        env.project.to_string_lossy().as_ref()
    );
    assert_eq!(field(item, "branch"), "main");
    assert_eq!(field(item, "timestamp"), T0);
    assert_eq!(field(item, "session_id"), id.as_str());
    assert_eq!(field(item, "status"), "open");
    assert!(op_items(&env, "Private").is_empty());

    // The prompt went through a private template file, removed afterwards; never in argv.
    let calls = op_calls(&env);
    assert_eq!(calls.len(), 1);
    let argv: Vec<&str> = calls[0]["argv"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert_eq!(argv[..2], ["item", "create"]);
    assert!(
        argv.windows(2).any(|w| w == ["--vault", "Work"]),
        "{argv:?}"
    );
    assert!(
        argv.windows(2).any(|w| w == ["--format", "json"]),
        "{argv:?}"
    );
    for arg in &argv {
        assert!(!arg.contains("Handoff from Claude Code"), "{arg}");
        assert!(!arg.contains("answer()"), "{arg}");
    }
    let template = &calls[0]["template"];
    assert_eq!(template["mode"], "0o600");
    assert!(
        template["text"]
            .as_str()
            .unwrap()
            .contains("Handoff from Claude Code")
    );
    let template_path = PathBuf::from(template["path"].as_str().unwrap());
    assert!(!template_path.exists(), "the template file was left behind");
    assert!(!template_path.parent().unwrap().exists());

    // The file store has it too, with the 1Password item's id.
    let files = file_items(&env);
    assert_eq!(files.len(), 1);
    assert_eq!(files[0]["context"], prompt.as_str());
    assert_eq!(files[0]["onepassword"]["id"], item["id"]);

    let json = env.json(&["handoff", "export", "--json", "--output", "../p.md"]);
    assert!(json.get("backend_problem").is_none(), "{json}");
}

#[test]
fn an_answer_filled_in_1password_is_merged_by_start_like_an_import() {
    let env = world();
    env.write("notes.md", "draft\n");
    env.run(&["handoff", "export"]).ok();
    let items = op_items(&env, "Private");
    assert_eq!(items.len(), 1, "the account's default vault");
    let (path, item) = &items[0];
    assert_eq!(item["title"], "session-demo-2026-03-14");

    // Nothing answered yet: start merges nothing (and a new session is not wanted here).
    let plan = env.json(&["start", "--dry-run", "--json"]);
    assert_eq!(plan["answer_waiting"], false, "{plan}");

    fill_answer(
        path,
        "## Summary\nDone on claude.ai.\nToken ghp_abcdefghijklmnopqrstuvwxyz0123456789 here.\n",
    );
    env.at("2026-03-14T11:00:00Z");
    let out = env.run(&["start", "continue"]).ok();
    assert!(
        out.stdout.contains("## Merged from claude.ai"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("Done on claude.ai."));
    assert!(out.stdout.contains("[REDACTED:github_token]"));
    assert!(!out.stdout.contains("ghp_abcdefghij"));
    assert!(!out.stdout.contains("⚠️"), "{}", out.stdout);

    let files = file_items(&env);
    assert_eq!(files[0]["status"], "merged");
    assert_eq!(files[0]["answered_at"], "2026-03-14T11:00:00Z");
    assert!(
        files[0]["claude_ai_response"]
            .as_str()
            .unwrap()
            .contains("Done on claude.ai.")
    );
    // Marked merged in 1Password too; the answer is never sent back on a command line.
    assert_eq!(field(&op_items(&env, "Private")[0].1, "status"), "merged");
    for call in op_calls(&env) {
        assert!(
            !call["argv"].to_string().contains("Done on claude.ai"),
            "{call}"
        );
    }

    // Shown once.
    env.run(&["pause"]).ok();
    let out = env.run(&["resume"]).ok();
    assert!(
        !out.stdout.contains("Merged from claude.ai"),
        "{}",
        out.stdout
    );
}

#[test]
fn resume_merges_an_answer_filled_in_1password() {
    let env = world();
    let id = env.start("work");
    let out = env.run(&["pause", "--handoff"]).ok();
    assert!(
        out.stdout
            .contains("Handoff for claude.ai: 1Password item \"session-demo-2026-03-14\""),
        "{}",
        out.stdout
    );
    let (path, _) = op_items(&env, "Private").remove(0);
    fill_answer(&path, "## Next steps\n- Rename answer()\n");
    env.at("2026-03-14T12:30:00Z");
    let out = env.run(&["resume"]).ok();
    assert!(
        out.stdout.contains("## Merged from claude.ai"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains("- Rename answer()"));
    let files = file_items(&env);
    assert_eq!(files[0]["status"], "merged");
    assert_eq!(files[0]["merged_into"], id.as_str());
}

#[test]
fn op_missing_costs_one_line_and_the_file_store_keeps_the_handoff() {
    if Path::new("/usr/bin/op").exists() || Path::new("/bin/op").exists() {
        return; // a real `op` on this machine: the case cannot be made here
    }
    let env = world();
    env.set_env("PATH", "/usr/bin:/bin");
    let out = env.run(&["handoff", "export"]).ok();
    kept_in_files(
        &env,
        &out.stderr,
        "⚠️ 1Password: the 1Password CLI `op` is not installed (not found in PATH)",
    );
    // The way back works as with the file store: import, then start merges.
    env.run_stdin(&["handoff", "import"], "## Summary\nFrom claude.ai.\n")
        .ok();
    let out = env.run(&["start", "next"]).ok();
    assert!(
        out.stdout.contains("## Merged from claude.ai"),
        "{}",
        out.stdout
    );
}

#[test]
fn not_signed_in_costs_one_line_at_export_and_at_start() {
    let env = world();
    env.set_env("FAKE_OP_SIGNED_OUT", "1");
    let out = env.run(&["handoff", "export"]).ok();
    kept_in_files(
        &env,
        &out.stderr,
        "the 1Password CLI is not signed in: run `op signin` (or set OP_SERVICE_ACCOUNT_TOKEN) (op item create)",
    );
    let json = env.json(&["handoff", "export", "--json", "--output", "../p.md"]);
    assert!(
        json["backend_problem"]
            .as_str()
            .unwrap()
            .contains("not signed in"),
        "{json}"
    );

    // Exported while signed in, read while signed out: start goes on and says why.
    let env = world();
    env.run(&["handoff", "export"]).ok();
    env.set_env("FAKE_OP_SIGNED_OUT", "1");
    let out = env.run(&["start", "next"]).ok();
    let lines: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.contains("1Password"))
        .collect();
    assert_eq!(lines.len(), 1, "{}", out.stdout);
    assert!(
        lines[0].contains("not signed in") && lines[0].contains("not read"),
        "{}",
        lines[0]
    );
    assert!(out.stdout.contains("Session started:"));
}

#[test]
fn a_slow_op_is_stopped_at_the_configured_time_limit() {
    let env = world();
    env.set_env("FAKE_OP_SLEEP", "30");
    env.set_env("CLAUDE_SESSION_HANDOFF_ONEPASSWORD_TIMEOUT_SECONDS", "1");
    let started = std::time::Instant::now();
    let out = env.run(&["handoff", "export"]).ok();
    assert!(started.elapsed().as_secs() < 15, "{:?}", started.elapsed());
    kept_in_files(
        &env,
        &out.stderr,
        "`op item create` did not finish within 1 s (`handoff.onepassword.timeout_seconds`)",
    );
}

#[test]
fn a_service_account_without_a_vault_is_told_to_name_one() {
    let env = world();
    env.set_env("OP_SERVICE_ACCOUNT_TOKEN", "ops_test");
    let out = env.run(&["handoff", "export"]).ok();
    kept_in_files(
        &env,
        &out.stderr,
        "a 1Password service account (OP_SERVICE_ACCOUNT_TOKEN) needs a vault: set `[handoff.onepassword] vault`",
    );
    assert!(op_calls(&env).is_empty(), "op was called");

    // With a vault it works.
    add_vault(&env, "CI");
    env.set_env("CLAUDE_SESSION_HANDOFF_ONEPASSWORD_VAULT", "CI");
    let out = env.run(&["handoff", "export"]).ok();
    assert!(!out.stderr.contains("⚠️"), "{}", out.stderr);
    assert_eq!(op_items(&env, "CI").len(), 1);
}

#[test]
fn an_unknown_vault_is_named() {
    let env = world();
    env.set_env("CLAUDE_SESSION_HANDOFF_ONEPASSWORD_VAULT", "Nope");
    let out = env.run(&["handoff", "export"]).ok();
    kept_in_files(
        &env,
        &out.stderr,
        "\"Nope\" isn't a vault in this account. Specify the vault with its ID or name. (op item create)",
    );
}

#[test]
fn only_the_newest_open_handoffs_are_looked_up_and_a_deleted_item_is_said_once() {
    let env = world();
    for (n, at) in ["10:00", "10:10", "10:20", "10:30"].iter().enumerate() {
        env.at(&format!("2026-03-14T{at}:00Z"));
        env.write("notes.md", format!("draft {n}\n"));
        env.run(&["handoff", "export"]).ok();
    }
    let files = file_items(&env);
    let ids: Vec<&str> = files
        .iter()
        .map(|f| f["onepassword"]["id"].as_str().unwrap())
        .collect();
    std::fs::remove_file(op_dir(&env).join("argv.log")).unwrap();

    env.json(&["start", "--dry-run", "--json"]);
    let looked: Vec<String> = op_calls(&env)
        .iter()
        .map(|c| {
            assert_eq!(c["argv"][1], "get", "{c}");
            c["argv"][2].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(looked, [ids[3], ids[2], ids[1]]);

    // The newest is deleted in 1Password: one line, once; the file item stays.
    let newest = op_dir(&env).join(format!("vaults/Private/{}.json", ids[3]));
    std::fs::remove_file(newest).unwrap();
    let out = env.run(&["start", "next"]).ok();
    let lines: Vec<&str> = out
        .stdout
        .lines()
        .filter(|l| l.contains("1Password"))
        .collect();
    assert_eq!(lines.len(), 1, "{}", out.stdout);
    assert!(lines[0].contains("is gone from 1Password"), "{}", lines[0]);
    assert_eq!(file_items(&env).len(), 4);
    assert!(file_items(&env)[3].get("onepassword").is_none());
    env.run(&["pause"]).ok();
    let out = env.run(&["resume"]).ok();
    assert!(!out.stdout.contains("1Password"), "{}", out.stdout);
}
