//! Memory as project state: the MCP tools, daily backups, sync between two clones, and
//! redaction before a handoff export.

use super::*;
use serde_json::json;

#[test]
fn mcp_memory_store_and_search() {
    let env = TestEnv::new();
    let mut server = crate::mcp::Server::start(&env);
    server.initialize();
    let stored = server.ok(
        "memory_store",
        json!({"kind": "pattern", "text": "Retry with backoff\nFor the tracker.", "tags": ["retry", "net"], "approach": "exponential", "outcome": "no lost records", "lessons": ["add jitter"]}),
    );
    assert_eq!(stored["command"], "memory add");
    assert_eq!(stored["entry"]["kind"], "pattern");
    assert_eq!(stored["entry"]["pattern"]["lessons"], json!(["add jitter"]));
    let id = stored["entry"]["id"].as_str().unwrap().to_string();
    // The CLI sees what the tool stored.
    let list = env.json(&["memory", "list", "patterns", "--json"]);
    assert_eq!(list["entries"][0]["id"], id.as_str());
    let found = server.ok("memory_search", json!({"query": "retry", "limit": 5}));
    assert_eq!(found["command"], "memory search");
    assert_eq!(found["hits"][0]["id"], id.as_str());
    // Bad parameters are JSON-RPC errors that name them.
    let call =
        |tool: &str, arguments: serde_json::Value| json!({"name": tool, "arguments": arguments});
    for (params, message) in [
        (
            call("memory_store", json!({"text": "x"})),
            "missing parameter `kind` (memory_store)",
        ),
        (
            call("memory_store", json!({"kind": "notes", "text": "x"})),
            "parameter `kind` must be one of",
        ),
        (
            call("memory_search", json!({"query": "x", "limit": 0})),
            "parameter `limit` must be a whole number from 1 to 100 (memory_search)",
        ),
        (
            call("memory_search", json!({"q": "x"})),
            "unknown parameter `q`",
        ),
    ] {
        let (code, text) = server.error("tools/call", params);
        assert_eq!(code, -32602);
        assert!(text.contains(message), "{text}");
    }
    // A verb's failure is a tool error.
    let failed = server.call("memory_store", json!({"kind": "error", "text": " "}));
    assert_eq!(failed["isError"], true);
    server.close();
}

#[test]
fn the_daily_backup_holds_the_memory() {
    let env = TestEnv::new();
    add(&env, &["decision", "Keep hooks fast"]);
    env.ok(&["backup", "daily"]);
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            env.project_dir()
                .join("backups/daily/2025-10-25/manifest.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let files: Vec<&str> = manifest["session_files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert!(files.contains(&"memory/decisions.md"), "{files:?}");
    assert!(!files.iter().any(|f| f.ends_with(".lock")), "{files:?}");
    // A new entry makes the next daily backup differ.
    add(&env, &["decision", "Keep the status line faster"]);
    let again = env.ok(&["backup", "daily"]);
    assert!(!again.contains("unchanged"), "{again}");
}

#[test]
fn a_secret_in_memory_never_reaches_the_handoff() {
    let env = TestEnv::new();
    env.start("deploy pipeline");
    add(
        &env,
        &[
            "error",
            "Deploy failed: the token ghp_pfJBd0Kh8oOOL8dKLzdocJ2isAjIhKtJ0Rlg expired",
            "--tags",
            "deploy",
        ],
    );
    let out = env.run(&["handoff", "export"]).ok();
    assert!(out.stdout.contains("Deploy failed"), "{}", out.stdout);
    assert!(
        !out.stdout
            .contains("ghp_pfJBd0Kh8oOOL8dKLzdocJ2isAjIhKtJ0Rlg")
    );
    assert!(
        out.stdout.contains("[REDACTED:github_token]"),
        "{}",
        out.stdout
    );
    // Neither in the kept handoff item.
    for entry in walk(&env.state.join("claude-session/handoff")) {
        let text = std::fs::read_to_string(&entry).unwrap_or_default();
        assert!(
            !text.contains("ghp_pfJBd0Kh8oOOL8dKLzdocJ2isAjIhKtJ0Rlg"),
            "{entry:?}"
        );
    }
    // The memory itself keeps what the user wrote.
    let errors = std::fs::read_to_string(memory_dir(&env).join("errors.md")).unwrap();
    assert!(errors.contains("ghp_pfJBd0Kh8oOOL8dKLzdocJ2isAjIhKtJ0Rlg"));
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn sync_carries_memory_both_ways_merged_by_id() {
    let crate::sync::Pair { a, b, bare } = crate::sync::pair();

    let on_a = add(&a, &["decision", "Postgres over MySQL", "--tags", "db"]);
    let forgotten_on_a = add(&a, &["error", "Flaky CI on Mondays"]);
    let pushed = a.json(&["sync", "push", "--json"]);
    assert!(pushed["memory_commit"].is_string(), "{pushed}");
    assert!(a.git_ok(&[
        "--git-dir",
        &bare.to_string_lossy(),
        "rev-parse",
        "--verify",
        "refs/claude-session/machine-a/memory"
    ]));
    // The memory ref is no session in `sync status`.
    let status = a.json(&["sync", "status", "--json"]);
    assert_eq!(status["refs"], json!([]), "{status}");

    let on_b = add(&b, &["decision", "Tabs in Makefiles only"]);
    let pulled = b.json(&["sync", "pull", "--json"]);
    assert_eq!(pulled["memory"]["added"], 2, "{pulled}");
    let ids = |env: &TestEnv| -> Vec<String> {
        env.json(&["memory", "list", "--json"])["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_str().unwrap().to_string())
            .collect()
    };
    let mut on_b_now = ids(&b);
    on_b_now.sort();
    let mut want = vec![on_a.clone(), forgotten_on_a.clone(), on_b.clone()];
    want.sort();
    assert_eq!(on_b_now, want);
    // A second pull adds nothing twice.
    let again = b.json(&["sync", "pull", "--json"]);
    assert_eq!(again["memory"]["added"], 0, "{again}");

    // B's entry reaches A; an entry A forgot is forgotten on B too (kept there in forgotten.md).
    b.ok(&["sync", "push"]);
    a.ok(&["memory", "forget", &forgotten_on_a]);
    let pulled = a.json(&["sync", "pull", "--json"]);
    assert_eq!(pulled["memory"]["added"], 1, "{pulled}");
    assert!(ids(&a).contains(&on_b));
    assert!(!ids(&a).contains(&forgotten_on_a));
    a.ok(&["sync", "push"]);
    let pulled = b.json(&["sync", "pull", "--json"]);
    assert_eq!(pulled["memory"]["forgotten"], 1, "{pulled}");
    assert!(!ids(&b).contains(&forgotten_on_a));
    let kept = std::fs::read_to_string(b.project_dir().join("memory/forgotten.md")).unwrap();
    assert!(kept.contains("Flaky CI on Mondays"), "{kept}");
}
