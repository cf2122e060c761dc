//! The redaction corpus: every secret kind is removed and counted, look-alikes survive.

use claude_session::redact::{is_env_file, redact};

fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/redaction")
        .join(name);
    std::fs::read_to_string(&path).expect("fixture")
}

fn corpus_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
}

#[test]
fn every_secret_kind_is_removed_and_counted() {
    let corpus = fixture("secrets.txt");
    let mut kinds = std::collections::BTreeSet::new();
    let mut redacted_lines = Vec::new();
    for line in corpus_lines(&corpus) {
        let (kind, text) = line.split_once(" | ").expect("`kind | text`");
        let result = redact(text);
        assert_eq!(
            result.counts.get(kind),
            Some(&1),
            "{kind} not found once in {text:?}: {:?} -> {}",
            result.counts,
            result.text
        );
        assert_eq!(
            result.total(),
            1,
            "only one secret in {text:?}: {:?}",
            result.counts
        );
        assert!(result.text.contains(&format!("[REDACTED:{kind}]")));
        // The secret itself is gone: no long token-like word of the input survives.
        for word in text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-')) {
            if word.len() >= 16 && word.chars().any(|c| c.is_ascii_digit()) {
                assert!(
                    !result.text.contains(word),
                    "{word} survived in {}",
                    result.text
                );
            }
        }
        kinds.insert(kind.to_string());
        redacted_lines.push(result.text);
    }
    for kind in [
        "aws_access_key",
        "github_token",
        "gitlab_token",
        "slack_token",
        "stripe_key",
        "openai_key",
        "anthropic_key",
        "jwt",
        "secret_assignment",
    ] {
        assert!(kinds.contains(kind), "the corpus covers {kind}");
    }
    insta::assert_snapshot!("redacted_corpus", redacted_lines.join("\n"));
}

#[test]
fn look_alikes_survive_unchanged() {
    let corpus = fixture("lookalikes.txt");
    for line in corpus_lines(&corpus) {
        let result = redact(line);
        assert_eq!(result.text, line, "changed: {:?}", result.counts);
        assert_eq!(result.total(), 0);
    }
}

#[test]
fn private_key_blocks_are_removed_whole_even_when_cut_off() {
    let text = fixture("private_key.txt");
    let result = redact(&text);
    assert_eq!(
        result.counts.get("private_key"),
        Some(&2),
        "{}",
        result.text
    );
    assert!(
        result
            .text
            .starts_with("Before the key.\n[REDACTED:private_key]\nAfter the key.\n")
    );
    assert!(!result.text.contains("PRIVATE KEY"));
    assert!(
        !result.text.contains("truncated"),
        "an unterminated key is cut to the end"
    );
}

#[test]
fn redaction_is_stable_and_counts_add_up() {
    let text = "A=1\nGITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789\nAPI_KEY=abcdef123456\n";
    let first = redact(text);
    assert_eq!(first.total(), 2);
    assert_eq!(
        first.describe(),
        "2 (github_token: 1, secret_assignment: 1)"
    );
    let second = redact(&first.text);
    assert_eq!(second.text, first.text, "redacting twice changes nothing");
    assert_eq!(second.total(), 0);
    assert_eq!(redact("nothing here").describe(), "none");
}

#[test]
fn env_files_are_recognised() {
    for path in [".env", ".env.local", "config/.env.production", ".envrc"] {
        assert!(is_env_file(path), "{path}");
    }
    for path in [
        "src/env.rs",
        "environment.md",
        "docs/dotenv.md",
        "env/.gitkeep",
    ] {
        assert!(!is_env_file(path), "{path}");
    }
}
