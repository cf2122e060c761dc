//! The session-end worker and hostile transcript paths: it reads regular files only, within
//! a line cap, a byte cap and a time cap, and says in the hook log what it skipped.

use super::session_end::{A, LIMIT, end_payload, token_events};
use super::*;
use crate::support::*;
use std::io::{Seek, SeekFrom, Write};
use std::path::PathBuf;

/// One API response as a transcript line.
fn response(n: u64, output: u64) -> String {
    format!(
        r#"{{"type":"assistant","requestId":"req_{n}","message":{{"id":"msg_{n}","usage":{{"input_tokens":1,"output_tokens":{output}}}}}}}"#
    )
}

#[test]
fn transcripts_that_are_not_regular_files_are_skipped_and_logged() {
    let env = world();
    let _reaper = Reaper(&env);
    let id = start(&env, "odd transcripts", Some(A));
    let fifo = env.root.join("pipe.jsonl");
    env.command("mkfifo").arg(&fifo).capture().ok();
    let folder = env.root.join("folder.jsonl");
    std::fs::create_dir(&folder).unwrap();
    let link = env.root.join("link.jsonl");
    std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
    // /dev/zero grew the worker without end, /dev/urandom never ends, a FIFO without a writer
    // blocked it forever.
    let cases: [(PathBuf, &str); 5] = [
        ("/dev/zero".into(), "a character device"),
        ("/dev/urandom".into(), "a character device"),
        (fifo, "a FIFO"),
        (folder, "a directory"),
        (link, "a character device"),
    ];
    for (n, (path, kind)) in cases.iter().enumerate() {
        env.hook("session-end", end_payload(&env, A, path).as_bytes());
        assert!(
            settle(&env, Duration::from_secs(30)),
            "{}: the worker still runs after 30 s",
            path.display()
        );
        // The worker is detached: under load it may not have started when `settle` looked.
        wait_for(Duration::from_secs(30), || {
            env.hooks_log().lines().count() > n
        });
        let log = env.hooks_log();
        assert_eq!(log.lines().count(), n + 1, "{}: {log}", path.display());
        let line = log.lines().last().unwrap();
        assert!(line.contains(" session-end-worker "), "{line}");
        assert!(line.contains(&*path.to_string_lossy()), "{line}");
        assert!(
            line.contains(&format!("not a regular file ({kind})")),
            "{line}"
        );
    }
    assert!(token_events(&env, &id).is_empty());
    // The rest of the worker's job was done: the first end paused the session.
    assert_eq!(env.show(&id)["session"]["status"], "paused");
}

#[test]
fn a_huge_transcript_is_read_within_its_caps_and_over_long_lines_are_skipped() {
    let env = world();
    let _reaper = Reaper(&env);
    let id = start(&env, "huge transcript", Some(A));
    // A response; a 70 MiB line (over the 64 MiB line cap) holding what looks like one more;
    // another response; then zeros (a sparse file, no disk used) past the 1 GiB byte cap, and
    // a last response that the cap leaves unread.
    let path = env.root.join("huge.jsonl");
    let mut file = std::fs::File::create(&path).unwrap();
    writeln!(file, "{}", response(1, 10)).unwrap();
    let mut long = response(2, 1000).into_bytes();
    long.truncate(long.len() - 1);
    long.extend(std::iter::repeat_n(b' ', 70 << 20));
    long.extend(b"}\n");
    file.write_all(&long).unwrap();
    writeln!(file, "{}", response(3, 20)).unwrap();
    file.set_len(1200 << 20).unwrap();
    file.seek(SeekFrom::End(0)).unwrap();
    writeln!(file, "\n{}", response(4, 100_000)).unwrap();
    drop(file);

    env.hook("session-end", end_payload(&env, A, &path).as_bytes());
    assert!(wait_for(LIMIT, || token_events(&env, &id).len() == 1));
    assert!(settle(&env, LIMIT));
    let tokens = &token_events(&env, &id)[0]["tokens"];
    assert_eq!(tokens["responses"], 2, "{tokens}");
    assert_eq!(tokens["output_tokens"], 30, "{tokens}");
    let log = env.hooks_log();
    assert_eq!(log.lines().count(), 1, "{log}");
    assert!(log.contains(" session-end-worker "), "{log}");
    assert!(log.contains("2 lines over 64 MiB skipped"), "{log}");
    assert!(log.contains("stopped at the 1024 MiB read cap"), "{log}");
}
