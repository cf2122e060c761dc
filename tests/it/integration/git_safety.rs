//! Git safety: a push that hangs is stopped at its time limit, WIP commits never take `.env`
//! files (even staged ones), a branch switch never overwrites ignored files, the user's own ssh
//! set-up is used for pushes, and push failures are reported by the line that says why.

use super::world;
use crate::support::*;

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

/// A shell script that appends its arguments to `log` and fails, standing in for ssh.
fn logging_ssh(path: &Path, log: &Path) {
    write_executable(
        path,
        &format!("#!/bin/sh\necho \"$@\" >> '{}'\nexit 1\n", log.display()),
    );
}

/// `end --push --no-backup`, required to succeed, with the caller's ssh environment left out
/// (and `GIT_SSH` set when given); returns the report.
fn end_push(env: &TestEnv, git_ssh: Option<&Path>) -> String {
    let mut cmd = env.cmd(&["end", "--yes", "--push", "--no-backup"]);
    cmd.env_remove("GIT_SSH_COMMAND").env_remove("GIT_SSH");
    if let Some(program) = git_ssh {
        cmd.env("GIT_SSH", program);
    }
    cmd.capture().ok().stdout
}

fn pause_state(env: &TestEnv) -> Vec<u8> {
    std::fs::read(env.pause_state_path()).expect("pause-state.json")
}

fn branch(env: &TestEnv) -> String {
    env.git(&["symbolic-ref", "--short", "HEAD"])
}

/// A project with a session started and one new commit on `main`; the session's id.
fn world_with_a_commit() -> (TestEnv, String) {
    let env = world("project");
    let id = started_id(&env.ok(&["start", "git safety"]));
    env.write("work.txt", "done\n");
    env.git(&["add", "work.txt"]);
    env.git(&["commit", "-q", "-m", "Work"]);
    (env, id)
}

#[test]
fn end_push_to_a_remote_that_never_answers_stops_at_the_time_limit() {
    // An http "server" that accepts connections and never answers; the sockets stay open.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("listen");
    let port = listener.local_addr().expect("address").port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    let (env, id) = world_with_a_commit();
    env.git(&[
        "remote",
        "add",
        "origin",
        &format!("http://127.0.0.1:{port}/x.git"),
    ]);
    env.config("[git]\npush_timeout_seconds = 2\n");

    // Output goes to files: a leftover git child must not keep a test pipe open.
    let stdout_path = env.root.join("end.stdout");
    let stderr_path = env.root.join("end.stderr");
    let mut cmd = env.cmd(&["end", "--yes", "--push", "--no-backup"]);
    for proxy in [
        "http_proxy",
        "HTTP_PROXY",
        "https_proxy",
        "HTTPS_PROXY",
        "all_proxy",
        "ALL_PROXY",
    ] {
        cmd.env_remove(proxy);
    }
    cmd.env("NO_PROXY", "*")
        .env("no_proxy", "*")
        .stdout(Stdio::from(
            std::fs::File::create(&stdout_path).expect("file"),
        ))
        .stderr(Stdio::from(
            std::fs::File::create(&stderr_path).expect("file"),
        ));
    let mut child = cmd.spawn().expect("run claude-session");
    // A generous bound only so that a hang fails the test instead of blocking the suite.
    let bound = Instant::now() + Duration::from_secs(30);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if Instant::now() > bound {
            let _ = child.kill();
            let _ = child.wait();
            panic!("`end --push` still ran 30 s after its 2 s push time limit");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let stdout = read(&stdout_path);
    assert!(status.success(), "{stdout}\n{}", read(&stderr_path));
    assert!(
        stdout.contains(&format!("Session completed: {id}")),
        "{stdout}"
    );
    assert!(
        stdout.contains("Push of main to origin failed: timed out"),
        "{stdout}"
    );
    assert!(env.archive_dir(&id).join("session.yaml").exists());
    assert!(!env.active_dir(&id).exists());
}

#[test]
fn wip_commit_leaves_out_env_files_that_were_already_staged() {
    let env = world("project");
    let project = env.project.clone();
    started_id(&env.ok(&["start", "staged secrets"]));
    std::fs::write(project.join(".env"), "API_KEY=never-in-history\n").expect("write");
    std::fs::create_dir_all(project.join("deploy")).expect("dir");
    std::fs::write(
        project.join("deploy/.env.production"),
        "DB_PASSWORD=nor-this\n",
    )
    .expect("write");
    std::fs::write(project.join("notes.txt"), "work in progress\n").expect("write");
    env.git(&["add", ".env", "deploy/.env.production"]);
    let before = env.head();

    let out = env.ok(&["pause", "--wip-commit"]);
    assert_ne!(env.head(), before, "a WIP commit was made: {out}");
    let stat = env.git(&["show", "--stat", "--format=", "HEAD"]);
    assert!(stat.contains("notes.txt"), "{stat}");
    assert!(!stat.contains(".env"), "{stat}");
    // The files are still there, no longer staged.
    assert_eq!(read(&project.join(".env")), "API_KEY=never-in-history\n");
    assert_eq!(
        read(&project.join("deploy/.env.production")),
        "DB_PASSWORD=nor-this\n"
    );
    assert_eq!(
        env.git(&["status", "--porcelain", "--untracked-files=all"]),
        "?? .env\n?? deploy/.env.production"
    );
    let left_out = out
        .lines()
        .find(|l| l.contains("Left out of the WIP commit"))
        .unwrap_or_else(|| panic!("the report names what was left out: {out}"));
    assert!(left_out.contains(".env"), "{left_out}");
    assert!(left_out.contains("deploy/.env.production"), "{left_out}");
    let unstaged = out
        .lines()
        .find(|l| l.contains("Unstaged"))
        .unwrap_or_else(|| panic!("the report says what it unstaged: {out}"));
    assert!(
        unstaged.contains(".env, deploy/.env.production"),
        "{unstaged}"
    );
}

#[test]
fn switch_branch_never_overwrites_an_ignored_file() {
    let env = world("project");
    let project = env.project.clone();
    std::fs::write(project.join(".gitignore"), "local.cfg\n").expect("write");
    env.git(&["add", ".gitignore"]);
    env.git(&["commit", "-q", "-m", "Ignore local.cfg"]);
    // `feat` tracks local.cfg despite the ignore rule.
    env.git(&["checkout", "-q", "-b", "feat"]);
    std::fs::write(project.join("local.cfg"), "from feat\n").expect("write");
    env.git(&["add", "-f", "local.cfg"]);
    env.git(&["commit", "-q", "-m", "Track local.cfg on feat"]);
    let id = started_id(&env.ok(&["start", "feature"]));
    env.ok(&["pause"]);
    // Back on main (which removes feat's local.cfg), the user keeps their own, ignored one.
    env.git(&["checkout", "-q", "main"]);
    std::fs::write(project.join("local.cfg"), "the user's settings\n").expect("write");
    let head_before = env.head();
    let state_before = pause_state(&env);

    let stderr = env.fails(&["resume", "--switch-branch"]);
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr}");
    assert!(stderr.contains("local.cfg"), "{stderr}");
    assert!(stderr.contains("ignored"), "{stderr}");
    assert!(stderr.contains("nothing was changed"), "{stderr}");
    assert_eq!(read(&project.join("local.cfg")), "the user's settings\n");
    assert_eq!(branch(&env), "main");
    assert_eq!(env.head(), head_before);
    assert_eq!(pause_state(&env), state_before);

    // With the file moved away the switch goes ahead.
    std::fs::rename(project.join("local.cfg"), env.root.join("local.cfg.mine")).expect("move");
    let out = env.ok(&["resume", "--switch-branch"]);
    assert!(out.contains(&format!("Session resumed: {id}")), "{out}");
    assert_eq!(branch(&env), "feat");
    assert_eq!(read(&project.join("local.cfg")), "from feat\n");
}

#[test]
fn push_uses_the_configured_core_ssh_command() {
    let (env, id) = world_with_a_commit();
    let log = env.root.join("ssh.log");
    let script = env.root.join("my-ssh-wrapper");
    logging_ssh(&script, &log);
    env.git(&["config", "core.sshCommand", &script.to_string_lossy()]);
    env.git(&["remote", "add", "origin", "ssh://git@127.0.0.1/x.git"]);

    let out = end_push(&env, None);
    assert!(out.contains(&format!("Session completed: {id}")), "{out}");
    assert!(out.contains("Push of main to origin failed"), "{out}");
    let logged = std::fs::read_to_string(&log).expect("core.sshCommand ran");
    assert!(logged.contains("127.0.0.1"), "{logged}");
    // A wrapper that is not plainly ssh gets no options it may not understand.
    assert!(!logged.contains("BatchMode"), "{logged}");
}

#[test]
fn push_adds_batch_mode_to_a_configured_plain_ssh_command() {
    let (env, _) = world_with_a_commit();
    let log = env.root.join("ssh.log");
    let bin = env.root.join("bin");
    std::fs::create_dir_all(&bin).expect("dir");
    logging_ssh(&bin.join("ssh"), &log);
    let command = format!("{} -o LogLevel=ERROR", bin.join("ssh").display());
    env.git(&["config", "core.sshCommand", &command]);
    env.git(&["remote", "add", "origin", "ssh://git@127.0.0.1/x.git"]);

    end_push(&env, None);
    let logged = std::fs::read_to_string(&log).expect("core.sshCommand ran");
    assert!(logged.contains("LogLevel=ERROR"), "{logged}");
    assert!(logged.contains("BatchMode=yes"), "{logged}");
}

#[test]
fn push_uses_git_ssh_from_the_environment() {
    let (env, _) = world_with_a_commit();
    let log = env.root.join("ssh.log");
    let script = env.root.join("my-ssh-program");
    logging_ssh(&script, &log);
    env.git(&["remote", "add", "origin", "ssh://git@127.0.0.1/x.git"]);

    end_push(&env, Some(&script));
    let logged = std::fs::read_to_string(&log).expect("GIT_SSH ran");
    assert!(logged.contains("127.0.0.1"), "{logged}");
}

#[test]
fn a_rejected_push_is_reported_by_its_reason_not_a_hint() {
    let (env, id) = world_with_a_commit();
    let remote = env.root.join("remote.git");
    env.git_in(
        &env.root,
        &["init", "-q", "--bare", "-b", "main", "remote.git"],
    );
    env.git(&["remote", "add", "origin", &remote.to_string_lossy()]);
    env.git(&["push", "-q", "origin", "main"]);
    // Someone else pushes first.
    env.git_in(
        &env.root,
        &["clone", "-q", &remote.to_string_lossy(), "other"],
    );
    let other = env.root.join("other");
    std::fs::write(other.join("theirs.txt"), "theirs\n").expect("write");
    env.git_in(&other, &["add", "theirs.txt"]);
    env.git_in(&other, &["commit", "-q", "-m", "Theirs"]);
    env.git_in(&other, &["push", "-q", "origin", "main"]);
    env.write("mine.txt", "mine\n");
    env.git(&["add", "mine.txt"]);
    env.git(&["commit", "-q", "-m", "Mine"]);

    let out = end_push(&env, None);
    assert!(out.contains(&format!("Session completed: {id}")), "{out}");
    let line = out
        .lines()
        .find(|l| l.contains("Push of main to origin failed"))
        .unwrap_or_else(|| panic!("the push failure is reported: {out}"));
    assert!(line.contains("rejected"), "{line}");
    assert!(
        line.contains("fetch first") || line.contains("non-fast-forward"),
        "{line}"
    );
    assert!(!line.contains("hint"), "{line}");
}
