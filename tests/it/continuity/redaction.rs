//! The redaction corpus: every secret kind is removed and counted, look-alikes survive.

use claude_session::redact::{is_env_file, redact};

fn fixture(name: &str) -> String {
    crate::support::read(&crate::support::fixtures_dir().join("redaction").join(name))
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
        let again = redact(&result.text);
        assert_eq!(again.text, result.text, "redacting twice changes nothing");
        assert_eq!(again.total(), 0, "{} -> {}", result.text, again.text);
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
fn yaml_block_values_are_removed_whole() {
    let text = "\
private_key: |
  MIIEvQIBADANBgkqhkiG9w0BAQEFAASC
  Zm9vYmFyYmF6cXV4

  cXV1eHF1dXg=
name: demo
 config:
+  tls_secret: >-
+    c2VjcmV0MTIzNDU2
+  port: 8443
- api_token: |
    tok-9a8b7c6d5e4f
- name: other
";
    let result = redact(text);
    assert_eq!(
        result.text,
        "\
private_key: |
  [REDACTED:secret_assignment]
name: demo
 config:
+  tls_secret: >-
+    [REDACTED:secret_assignment]
+  port: 8443
- api_token: |
    [REDACTED:secret_assignment]
- name: other
"
    );
    assert_eq!(result.describe(), "3 (secret_assignment: 3)");
    let again = redact(&result.text);
    assert_eq!(again.text, result.text);
    assert_eq!(again.total(), 0);
}

#[test]
fn a_diff_with_mixed_secrets_counts_each_once() {
    let text = "\
--- a/.env.example
+++ b/.env.example
@@ -1,3 +1,9 @@
-DB_PASSWORD=p#ssw0rdlongvalue
+DB_PASSWORD=Tr0ub4dor&3xyz # rotated
+GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789
+TOKEN_TYPE=Bearer
+PASSWORD_HASH_ROUNDS=100000
+API_KEY=${API_KEY}
+MYSECRET=abc123.def456.ghi
 export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
";
    let result = redact(text);
    assert_eq!(
        result.text,
        "\
--- a/.env.example
+++ b/.env.example
@@ -1,3 +1,9 @@
-DB_PASSWORD=[REDACTED:secret_assignment]
+DB_PASSWORD=[REDACTED:secret_assignment] # rotated
+GITHUB_TOKEN=[REDACTED:github_token]
+TOKEN_TYPE=Bearer
+PASSWORD_HASH_ROUNDS=100000
+API_KEY=${API_KEY}
+MYSECRET=[REDACTED:secret_assignment]
 export AWS_ACCESS_KEY_ID=[REDACTED:aws_access_key]
"
    );
    assert_eq!(
        result.describe(),
        "5 (aws_access_key: 1, github_token: 1, secret_assignment: 3)"
    );
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
