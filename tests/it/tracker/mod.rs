//! The Cloud Tracker: records queued in the outbox at `end` (and `pause` with `on_pause`), sent
//! to a real HTTP server on 127.0.0.1 that the tests run (`server`), exactly once, with the
//! token and the `Idempotency-Key`; refusals parked, a slow server cut off, maintenance runs.

mod server;

use crate::support::*;
use serde_json::Value;
use server::{Server, free_port};
use std::time::{Duration, Instant};

const TOKEN: &str = "trk_test_token_123";

/// A git project whose tracker is `url`, with the token in the environment.
fn world(url: &str, extra: &str) -> TestEnv {
    let env = TestEnv::builder()
        .env("CLAUDE_SESSION_TRACKER_TOKEN", TOKEN)
        .build();
    env.config(&format!(
        "[tracker]\nurl = \"{url}\"\ntimeout_seconds = 2\n{extra}"
    ));
    env.git(&[
        "remote",
        "add",
        "origin",
        "https://github.com/acme/webapp.git",
    ]);
    env
}

/// Outputs with the temp folder and the idempotency keys (hashes of temp paths) made stable.
fn stable(env: &TestEnv, text: &str) -> String {
    let text = regex_lite_keys(&env.redact(text));
    // The server's port is a free one, different each run.
    let mut out = String::new();
    let mut rest = text.as_str();
    while let Some(at) = rest.find("127.0.0.1:") {
        out.push_str(&rest[..at + 10]);
        rest = &rest[at + 10..];
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        out.push_str("[PORT]");
        rest = &rest[digits..];
    }
    out.push_str(rest);
    out
}

fn regex_lite_keys(text: &str) -> String {
    // A key is 32 lower-case hex digits; nothing else in these outputs is.
    let mut out = String::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let run = chars[i..]
            .iter()
            .take_while(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
            .count();
        if run == 32 {
            out.push_str("[KEY]");
            i += 32;
        } else {
            let n = run.max(1);
            out.extend(&chars[i..i + n]);
            i += n;
        }
    }
    out
}

fn end_with_summary(env: &TestEnv) -> String {
    env.run_stdin(
        &["end", "--yes", "--no-backup", "--summary-file", "-"],
        "Shipped the login form.\n",
    )
    .ok()
    .stdout
}

#[test]
fn end_sends_the_seed_record_with_token_and_idempotency_key() {
    let server = Server::start();
    let env = world(&server.url(), "");
    let id = env.start("login form");
    env.write("src/login.rs", "fn login() {}\n");
    env.ok(&["track", "src/login.rs"]);
    env.git(&["add", "-A"]);
    env.git(&["commit", "-q", "-m", "Add the login form"]);
    env.at("2025-10-25T15:00:00Z");
    let out = end_with_summary(&env);
    assert!(out.contains("Tracker: session record queued"), "{out}");

    // The detached sender delivers it.
    let requests = server.wait_for(1);
    assert_eq!(requests.len(), 1, "{requests:?}");
    let request = &requests[0];
    assert_eq!(request.method, "POST");
    assert_eq!(request.path, "/api/sessions");
    assert_eq!(request.headers["authorization"], format!("Bearer {TOKEN}"));
    assert_eq!(request.key().len(), 32);
    let record = request.json();
    for field in [
        "started_at",
        "ended_at",
        "duration_minutes",
        "starting_branch",
        "ending_branch",
        "commits_count",
        "context_id",
        "session_source",
        "tokens_input",
        "tokens_output",
        "summary",
        "accomplishments",
        "next_steps",
        "files_changed",
        "maintenance_runs",
        "security_findings",
        "repository_url",
    ] {
        assert!(record.get(field).is_some(), "no {field} in {record}");
    }
    assert_eq!(record["session_id"], id.as_str());
    assert_eq!(record["started_at"], "2025-10-25T14:30:00Z");
    assert_eq!(record["ended_at"], "2025-10-25T15:00:00Z");
    assert_eq!(record["starting_branch"], "main");
    assert_eq!(record["ending_branch"], "main");
    assert_eq!(record["commits_count"], 1);
    assert_eq!(record["session_source"], "claude-code");
    assert_eq!(record["summary"], "Shipped the login form.");
    assert_eq!(
        record["accomplishments"],
        serde_json::json!(["Add the login form"])
    );
    assert_eq!(record["files_changed"], serde_json::json!(["src/login.rs"]));
    assert_eq!(
        record["repository_url"],
        "https://github.com/acme/webapp.git"
    );

    // A later flush finds nothing to send: the cursor moved after the 2xx.
    wait_unlocked(&env);
    let flushed = env.json(&["tracker", "flush", "--json"]);
    assert_eq!(flushed["deliveries"], serde_json::json!([]));
    assert_eq!(flushed["pending"], 0);
    assert_eq!(server.requests().len(), 1);
}

/// Waits until no sender holds the outbox (a detached one may still be finishing).
fn wait_unlocked(env: &TestEnv) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        let status = env.json(&["tracker", "status", "--json"]);
        if status["pending"].as_array().is_some_and(Vec::is_empty) {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn server_down_keeps_records_across_restarts_and_delivers_each_once() {
    let port = free_port();
    let env = world(&format!("http://127.0.0.1:{port}"), "on_pause = true\n");
    env.start("offline work");
    env.run_stdin(&["pause", "--summary-file", "-"], "Half way.\n")
        .ok();
    env.ok(&["resume"]);
    env.at("2025-10-25T15:10:00Z");
    end_with_summary(&env);

    // New processes, server still down: the records stay, in order, and nothing is lost.
    let out = env.run(&["tracker", "flush"]).ok().stdout;
    assert!(out.contains("kept for the next flush"), "{out}");
    let status = env.json(&["tracker", "status", "--json"]);
    let pending = status["pending"].as_array().unwrap();
    assert_eq!(pending.len(), 2, "{status}");
    assert_eq!(pending[0]["kind"], "pause");
    assert_eq!(pending[1]["kind"], "end");
    insta::assert_snapshot!(
        "status_pending",
        stable(&env, &env.ok(&["tracker", "status"]))
    );

    // The server comes back: each record arrives once, however many flushes run.
    let server = Server::on(port);
    env.ok(&["tracker", "flush"]);
    env.ok(&["tracker", "flush"]);
    let requests = server.requests();
    assert_eq!(requests.len(), 2, "{requests:?}");
    assert_ne!(requests[0].key(), requests[1].key());
    assert_eq!(requests[0].json()["ended_at"], Value::Null);
    assert_eq!(requests[1].json()["ended_at"], "2025-10-25T15:10:00Z");
    let status = env.json(&["tracker", "status", "--json"]);
    assert_eq!(status["pending"], serde_json::json!([]));
}

#[test]
fn unauthorized_parks_with_the_message_and_retry_resends() {
    let server = Server::start();
    server.answer(401, r#"{"error":"invalid API token"}"#, Duration::ZERO);
    let env = world(&server.url(), "");
    env.start("parked");
    end_with_summary(&env);
    server.wait_for(1);
    wait_unlocked(&env);
    let status = env.json(&["tracker", "status", "--json"]);
    let parked = status["parked"].as_array().unwrap();
    assert_eq!(parked.len(), 1, "{status}");
    assert_eq!(parked[0]["status"], 401);
    assert_eq!(parked[0]["message"], "invalid API token");
    insta::assert_snapshot!(
        "status_parked",
        stable(&env, &env.ok(&["tracker", "status"]))
    );
    // A 401 is not retried within a flush: one request.
    assert_eq!(server.requests().len(), 1);

    server.answer(201, "{}", Duration::ZERO);
    let retried = env.json(&["tracker", "retry", "--json"]);
    insta::assert_snapshot!(
        "retry_json",
        stable(&env, &serde_json::to_string_pretty(&retried).unwrap())
    );
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[0].key(),
        requests[1].key(),
        "the same key on retry"
    );
    assert_eq!(
        env.json(&["tracker", "status", "--json"])["parked"],
        serde_json::json!([])
    );
}

#[test]
fn a_slow_server_hits_the_time_limit() {
    let server = Server::start();
    server.answer(201, "{}", Duration::from_secs(4));
    let env = TestEnv::builder()
        .env("CLAUDE_SESSION_TRACKER_TOKEN", TOKEN)
        .build();
    env.config(&format!(
        "[tracker]\nurl = \"{}\"\ntimeout_seconds = 1\n",
        server.url()
    ));
    env.start("slow");
    // Queued without the detached sender's timing in the way: a flush of our own.
    env.run_stdin(
        &["end", "--yes", "--no-backup", "--summary-file", "-"],
        "x\n",
    )
    .ok();
    let started = Instant::now();
    let flushed = env.json(&["tracker", "flush", "--json"]);
    let delivery = &flushed["deliveries"][0];
    // Three attempts of 1 s and the back-off between them, plus any wait for the detached one.
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(delivery["result"], "failed", "{flushed}");
    assert_eq!(delivery["message"], "timed out");
    assert_eq!(delivery["attempts"], 3);
    assert_eq!(flushed["pending"], 1);
}

#[test]
fn parallel_flushes_never_send_a_record_twice() {
    let server = Server::start();
    // Slow enough that the flushes overlap.
    server.answer(201, "{}", Duration::from_millis(300));
    let env = world(&server.url(), "on_pause = true\n");
    env.start("parallel");
    env.run_stdin(&["pause", "--summary-file", "-"], "one\n")
        .ok();
    env.ok(&["resume"]);
    env.at("2025-10-25T15:00:00Z");
    end_with_summary(&env);
    let children: Vec<_> = (0..4)
        .map(|_| {
            env.cmd(&["tracker", "flush"])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    wait_unlocked(&env);
    std::thread::sleep(Duration::from_millis(500));
    let requests = server.requests();
    let mut keys: Vec<String> = requests.iter().map(|r| r.key()).collect();
    keys.sort();
    keys.dedup();
    assert_eq!(requests.len(), 2, "{requests:?}");
    assert_eq!(keys.len(), 2);
}

#[test]
fn tracker_run_records_a_redacted_maintenance_run_that_goes_into_the_record() {
    let server = Server::start();
    let env = world(&server.url(), "");
    let id = env.start("maintenance");
    let out = env.run(&[
        "tracker",
        "run",
        "audit",
        "--",
        "sh",
        "-c",
        "echo checking; echo GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789; exit 3",
    ]);
    let text = out.ok().stdout;
    let shown = regex_ms(&stable(&env, &text));
    insta::assert_snapshot!("run_human", shown);
    assert!(!text.contains("ghp_abcdef"), "{text}");

    let show = env.show(&id);
    let runs = &show["maintenance_runs"];
    assert_eq!(runs.as_array().map(Vec::len), Some(1), "{show}");
    end_with_summary(&env);
    let record = server.wait_for(1)[0].json();
    let run = &record["maintenance_runs"][0];
    assert_eq!(run["name"], "audit");
    assert_eq!(run["status"], "exit status: 3");
    assert_eq!(run["success"], false);
    assert!(
        run["result"].as_str().unwrap().contains("[REDACTED"),
        "{run}"
    );
    assert!(!record.to_string().contains("ghp_abcdef"));
    assert_eq!(
        record["security_findings"],
        serde_json::json!(["audit: exit status: 3"])
    );
}

/// Durations vary: `in 12 ms` → `in [MS] ms`, `"duration_ms": 12` likewise.
fn regex_ms(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find(" in ") {
        out.push_str(&rest[..at + 4]);
        rest = &rest[at + 4..];
        let digits = rest.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 && rest[digits..].starts_with(" ms") {
            out.push_str("[MS]");
            rest = &rest[digits..];
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn refusals_before_sending_are_one_line_and_keep_the_records() {
    // Plain http to a non-loopback host would send the token in clear text.
    let env = world("http://tracker.example.com", "");
    let err = env.fails(&["tracker", "flush"]);
    assert!(
        err.contains("plain http:// is allowed for loopback addresses only"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "{err}");

    let server = Server::start();
    let env = TestEnv::new();
    env.config(&format!("[tracker]\nurl = \"{}\"\n", server.url()));
    env.start("no token");
    end_with_summary(&env);
    let err = env.fails(&["tracker", "flush"]);
    assert!(err.contains("no tracker token"), "{err}");
    assert_eq!(
        env.json(&["tracker", "status", "--json"])["pending"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert!(server.requests().is_empty());
}

#[test]
fn a_kill_between_the_2xx_and_the_cursor_resends_with_the_same_key() {
    let server = Server::start();
    let env = world(&server.url(), "");
    env.start("killed sender");
    // No token for `end`: its detached sender sends nothing, so the flushes below are alone.
    env.set_env("CLAUDE_SESSION_TRACKER_TOKEN", "");
    end_with_summary(&env);
    env.set_env("CLAUDE_SESSION_TRACKER_TOKEN", TOKEN);
    env.set_env("CLAUDE_SESSION_CRASH_AT", "tracker.sent");
    let killed = env.run(&["tracker", "flush"]);
    assert_ne!(killed.code, 0, "the flush was killed");
    env.set_env("CLAUDE_SESSION_CRASH_AT", "");
    assert_eq!(server.requests().len(), 1);
    let status = env.json(&["tracker", "status", "--json"]);
    assert_eq!(status["pending"].as_array().unwrap().len(), 1);
    env.ok(&["tracker", "flush"]);
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(
        requests[0].key(),
        requests[1].key(),
        "the server can deduplicate"
    );
    assert_eq!(requests[0].body, requests[1].body);
    let status = env.json(&["tracker", "status", "--json"]);
    assert_eq!(status["pending"], serde_json::json!([]));
}
