//! Cross-machine sync through the project's own git remote: two clones with two state roots
//! (two "machines") and a local bare repository as the remote, real git throughout.

use crate::support::TestEnv;
use std::path::{Path, PathBuf};

/// The clock these tests start at.
const T0: &str = "2026-03-14T10:00:00Z";

const SUMMARY: &str = "## Summary\nLogin form half done.\n\n## Next steps\n- wire the submit button\n- add the error message\n";

/// Machine A (the repository, pushed to the bare remote) and machine B (a clone of it in
/// another folder, with another state root and HOME).
pub(crate) struct Pair {
    pub a: TestEnv,
    pub b: TestEnv,
    pub bare: PathBuf,
}

fn machine(name: &str, env: &TestEnv) {
    let dir = env.state.join("claude-session");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("machine-id"), format!("{name}\n")).unwrap();
}

pub(crate) fn pair() -> Pair {
    let a = TestEnv::builder()
        .repo("demo")
        .files(&[("README.md", "# Demo\n")])
        .message("Initial commit")
        .clock(T0)
        .build();
    let bare = a.root.join("remote.git");
    a.git(&[
        "init",
        "-q",
        "--bare",
        "-b",
        "main",
        &bare.to_string_lossy(),
    ]);
    a.git(&["remote", "add", "origin", &bare.to_string_lossy()]);
    a.git(&["push", "-q", "origin", "main"]);
    let b = TestEnv::builder().folder("demo-clone").clock(T0).build();
    b.git(&["clone", "-q", &bare.to_string_lossy(), "."]);
    machine("machine-a", &a);
    machine("machine-b", &b);
    Pair { a, b, bare }
}

/// Stable text: temp folders, project hashes and commit hashes masked.
fn clean(env: &TestEnv, text: &str) -> String {
    let text = env.redact(text);
    let re = regex::Regex::new("[0-9a-f]{40}").unwrap();
    re.replace_all(&text, "[COMMIT]").into_owned()
}

/// [`clean`] on B of text that also names A's folders (its context file, imported).
fn clean_b(b: &TestEnv, a: &TestEnv, text: &str) -> String {
    let text = text.replace(&*a.root.to_string_lossy(), "[TMP-A]");
    let slug = regex::Regex::new("demo-[0-9a-f]{8}").unwrap();
    clean(b, &slug.replace_all(&text, "demo-[HASH]"))
}

fn journal_lines(env: &TestEnv, project: &Path, id: &str, archived: bool) -> Vec<String> {
    let dir = env.project_dir_of(project).join(if archived {
        "sessions/archive"
    } else {
        "sessions/active"
    });
    std::fs::read_to_string(dir.join(id).join("events.jsonl"))
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

fn session_id(env: &TestEnv) -> String {
    let out = env.json(&["list", "--json"]);
    out["sessions"][0]["id"].as_str().unwrap().to_string()
}

#[test]
fn pause_on_a_resume_on_b_end_on_b_seen_on_a() {
    let Pair { a, b, .. } = pair();
    a.start("login form");
    let id = session_id(&a);
    a.at("2026-03-14T10:30:00Z");
    let out = a
        .run_stdin(&["pause", "--sync", "--summary-file", "-"], SUMMARY)
        .ok()
        .stdout;
    assert!(out.contains("pushed to origin"), "{out}");
    insta::assert_snapshot!("pause_sync", clean(&a, &out));
    assert!(a.git_ok(&[
        "--git-dir",
        &a.root.join("remote.git").to_string_lossy(),
        "rev-parse",
        "--verify",
        &format!("refs/claude-session/machine-a/{id}")
    ]));
    // The user's branch, index and HEAD are untouched by the sync commit.
    assert_eq!(a.git(&["status", "--porcelain"]).trim(), "");
    assert_eq!(a.git(&["log", "--oneline"]).lines().count(), 1);

    // B: another clone, another state root; with `[sync]` set, resume finds the paused session
    // on the remote by itself (no `sync pull` first).
    b.config("[sync]\nremote = \"origin\"\n");
    b.at("2026-03-14T11:00:00Z");
    let resumed = b.ok(&["resume"]);
    assert!(resumed.contains(&id), "{resumed}");
    assert!(resumed.contains("wire the submit button"), "{resumed}");
    assert!(resumed.contains("main"), "{resumed}");
    insta::assert_snapshot!("resume_on_b", clean_b(&b, &a, &resumed));

    // B ends it and syncs; A sees it ended after a pull.
    b.at("2026-03-14T11:30:00Z");
    let ended = b.ok(&["end", "--yes", "--sync"]);
    assert!(ended.contains("pushed to origin"), "{ended}");
    a.at("2026-03-14T12:00:00Z");
    let pulled = a.ok(&["sync", "pull"]);
    insta::assert_snapshot!("pull_sees_end", clean(&a, &pulled));
    let list = a.json(&["list", "--json", "--all"]);
    let text = list.to_string();
    assert!(text.contains("completed"), "{text}");
    assert!(
        a.project_dir_of(&a.project)
            .join("sessions/archive")
            .join(&id)
            .is_dir()
    );
    // Nothing paused any more on A.
    assert!(a.ok(&["resume"]).contains("No paused session"));
}

#[test]
fn events_of_both_machines_are_merged_once_each() {
    let Pair { a, b, .. } = pair();
    a.start("parallel");
    let id = session_id(&a);
    a.write("one.txt", "1");
    a.ok(&["track", "one.txt"]);
    a.ok(&["pause", "--sync"]);
    b.at("2026-03-14T10:10:00Z");
    b.ok(&["sync", "pull"]);
    b.ok(&["resume"]);
    b.write("two.txt", "2");
    b.ok(&["track", "two.txt"]);
    b.ok(&["sync", "push"]);
    // A kept working on its copy meanwhile.
    a.at("2026-03-14T10:20:00Z");
    a.ok(&["resume", &id]);
    a.write("three.txt", "3");
    a.ok(&["track", "three.txt"]);
    a.ok(&["sync", "pull"]);
    a.ok(&["sync", "push"]);
    b.ok(&["sync", "pull"]);
    // Pulling again changes nothing.
    a.ok(&["sync", "pull"]);
    b.ok(&["sync", "pull"]);
    let on_a = journal_lines(&a, &a.project, &id, false);
    let on_b = journal_lines(&b, &b.project, &id, false);
    for lines in [&on_a, &on_b] {
        let unique: std::collections::BTreeSet<&String> = lines.iter().collect();
        assert_eq!(unique.len(), lines.len(), "an event doubled: {lines:#?}");
        for file in ["one.txt", "two.txt", "three.txt"] {
            assert_eq!(
                lines.iter().filter(|l| l.contains(file)).count(),
                1,
                "{file}: {lines:#?}"
            );
        }
    }
    let set_a: std::collections::BTreeSet<&String> = on_a.iter().collect();
    let set_b: std::collections::BTreeSet<&String> = on_b.iter().collect();
    assert_eq!(set_a, set_b);
    let show = a.ok(&["show", &id]);
    assert!(
        show.contains("two.txt") && show.contains("three.txt"),
        "{show}"
    );
}

#[test]
fn no_remote_is_one_line_and_nothing_is_lost() {
    let Pair { a, .. } = pair();
    a.git(&["remote", "remove", "origin"]);
    a.start("offline");
    let id = session_id(&a);
    // pause --sync: the pause is done and kept; the sync says why it did not happen.
    let out = a.ok(&["pause", "--sync"]);
    assert!(
        out.contains("Not synced: no git remote \"origin\""),
        "{out}"
    );
    let err = a.fails(&["sync", "push"]);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("no git remote \"origin\""), "{err}");
    insta::assert_snapshot!("no_remote", clean(&a, &err));
    let status = a.ok(&["sync", "status"]);
    assert!(
        status.contains(&format!("{id}: NOT PUSHED (never)")),
        "{status}"
    );
    // The session is still paused and resumable here.
    assert!(a.ok(&["resume"]).contains(&id));
}

#[test]
fn unreachable_remote_is_one_line() {
    let Pair { a, .. } = pair();
    a.git(&[
        "remote",
        "set-url",
        "origin",
        &a.root.join("gone.git").to_string_lossy(),
    ]);
    a.start("offline");
    let err = a.fails(&["sync", "push"]);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("could not push to origin"), "{err}");
    let err = a.fails(&["sync", "pull"]);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("could not fetch from origin"), "{err}");
    // resume goes on with what is here, with one line of warning.
    let out = a.ok(&["resume"]);
    assert!(
        out.contains("⚠️ sync: could not fetch from origin"),
        "{out}"
    );
}

#[test]
fn hidden_ref_refused_is_one_line_and_listed_as_not_pushed() {
    let Pair { a, bare, .. } = pair();
    // What some hosts do with custom ref namespaces: git answers "deny updating a hidden ref".
    a.git(&[
        "--git-dir",
        &bare.to_string_lossy(),
        "config",
        "receive.hideRefs",
        "refs/claude-session",
    ]);
    a.start("hidden");
    let id = session_id(&a);
    let err = a.fails(&["sync", "push"]);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("deny updating a hidden ref"), "{err}");
    insta::assert_snapshot!("hidden_ref", clean(&a, &err));
    let json = a.json(&["sync", "status", "--json"]);
    insta::assert_snapshot!(
        "status_json",
        clean(&a, &serde_json::to_string_pretty(&json).unwrap())
    );
    assert_eq!(json["refs"][0]["session_id"], id.as_str());
    assert_eq!(json["refs"][0]["state"], "never_pushed");
}

#[test]
fn push_json_and_status_after_a_push() {
    let Pair { a, .. } = pair();
    a.start("json");
    let json = a.json(&["sync", "push", "--json"]);
    insta::assert_snapshot!(
        "push_json",
        clean(&a, &serde_json::to_string_pretty(&json).unwrap())
    );
    assert_eq!(json["sessions"][0]["result"], "pushed");
    let status = a.ok(&["sync", "status"]);
    insta::assert_snapshot!("status_pushed", clean(&a, &status));
    // Nothing new: up to date, no new commit.
    let again = a.json(&["sync", "push", "--json"]);
    assert_eq!(again["sessions"][0]["result"], "up_to_date");
    assert_eq!(
        again["sessions"][0]["commit"],
        json["sessions"][0]["commit"]
    );
}

#[test]
fn a_non_fast_forward_is_refused_never_forced() {
    let Pair { a, bare, .. } = pair();
    a.start("rewritten");
    let id = session_id(&a);
    a.ok(&["sync", "push"]);
    let remote_before = a.git(&[
        "--git-dir",
        &bare.to_string_lossy(),
        "rev-parse",
        &format!("refs/claude-session/machine-a/{id}"),
    ]);
    // The local ref loses its history (as a re-created state folder would): the next record is
    // a new root commit, which the remote must not take over the old one.
    a.git(&[
        "update-ref",
        "-d",
        &format!("refs/claude-session/machine-a/{id}"),
    ]);
    a.git(&[
        "update-ref",
        "-d",
        &format!("refs/claude-session-remote/origin/machine-a/{id}"),
    ]);
    a.write("x.txt", "x");
    a.ok(&["track", "x.txt"]);
    let err = a.fails(&["sync", "push"]);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("rejected"), "{err}");
    let remote_after = a.git(&[
        "--git-dir",
        &bare.to_string_lossy(),
        "rev-parse",
        &format!("refs/claude-session/machine-a/{id}"),
    ]);
    assert_eq!(remote_before, remote_after);
    assert!(a.ok(&["sync", "status"]).contains("NOT PUSHED"));
}

#[test]
fn start_on_a_fresh_clone_resumes_the_session_paused_elsewhere() {
    let Pair { a, b, .. } = pair();
    a.start("carry over");
    let id = session_id(&a);
    a.run_stdin(&["pause", "--sync", "--summary-file", "-"], SUMMARY)
        .ok();
    let pulled = b.ok(&["sync", "pull"]);
    assert!(
        pulled.contains(&format!(
            "Imported the paused session {id} from machine machine-a"
        )),
        "{pulled}"
    );
    // The pause record names this clone's project and context file, none of A's paths.
    let state = std::fs::read_to_string(b.state.join("pause-state.json")).unwrap();
    assert!(!state.contains(&*a.root.to_string_lossy()), "{state}");
    assert!(state.contains(&*b.project.to_string_lossy()), "{state}");
    assert!(
        state.contains(&*b.state.join("contexts").to_string_lossy()),
        "{state}"
    );
    let out = b.ok(&["start"]);
    assert!(out.contains(&id), "{out}");
    assert!(out.contains("wire the submit button"), "{out}");
}

#[test]
fn pause_and_end_with_sync_in_json_and_the_pull_document() {
    let Pair { a, b, .. } = pair();
    a.start("json both");
    let paused = a.json(&["pause", "--sync", "--json"]);
    assert_eq!(paused["command"], "pause");
    assert_eq!(paused["sync"]["ok"], true);
    assert_eq!(paused["sync"]["outcome"]["sessions"][0]["result"], "pushed");
    assert!(paused["session_id"].is_string());
    let pulled = b.json(&["sync", "pull", "--json"]);
    insta::assert_snapshot!(
        "pull_json",
        clean(&b, &serde_json::to_string_pretty(&pulled).unwrap())
    );
    b.ok(&["resume"]);
    let ended = b.json(&["end", "--yes", "--sync", "--json"]);
    assert_eq!(ended["command"], "end");
    assert_eq!(
        ended["sync"]["outcome"]["sessions"][0]["status"],
        "completed"
    );
    let status = a.json(&["sync", "status", "--json"]);
    assert_eq!(status["refs"][0]["state"], "pushed");
    a.ok(&["sync", "pull"]);
    let status = a.json(&["sync", "status", "--json"]);
    assert_eq!(status["others"][0]["machine"], "machine-b");
    assert_eq!(status["others"][0]["status"], "completed");
}
