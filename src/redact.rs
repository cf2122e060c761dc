//! Secret redaction for anything that leaves the machine (the claude.ai transfer prompt) or is
//! shown back from outside (claude.ai's answer). Each secret becomes `[REDACTED:<kind>]`.
//!
//! Patterns are anchored on the providers' documented prefixes so that ordinary text that merely
//! resembles a secret (a public key block, `sk-learn`, `primary_key = True`) survives.

use regex::{Captures, Regex};
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The marker that replaces a secret.
pub fn marker(kind: &str) -> String {
    format!("[REDACTED:{kind}]")
}

/// Redacted text and how many secrets of each kind were removed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Redacted {
    pub text: String,
    pub counts: BTreeMap<String, usize>,
}

impl Redacted {
    pub fn total(&self) -> usize {
        self.counts.values().sum()
    }

    /// `3 (aws_access_key: 1, github_token: 2)` or `none`.
    pub fn describe(&self) -> String {
        if self.counts.is_empty() {
            return "none".to_string();
        }
        let parts: Vec<String> = self
            .counts
            .iter()
            .map(|(kind, n)| format!("{kind}: {n}"))
            .collect();
        format!("{} ({})", self.total(), parts.join(", "))
    }

    /// Adds another redaction's counts (for texts redacted in parts).
    pub fn absorb(&mut self, other: &BTreeMap<String, usize>) {
        for (kind, n) in other {
            *self.counts.entry(kind.clone()).or_default() += n;
        }
    }
}

/// A secret with a recognisable shape: the whole match is replaced.
struct Shape {
    kind: &'static str,
    pattern: Regex,
}

fn shapes() -> &'static [Shape] {
    static SHAPES: OnceLock<Vec<Shape>> = OnceLock::new();
    SHAPES.get_or_init(|| {
        // Order matters: a more specific shape runs before a general one that would also match.
        let table: &[(&str, &str)] = &[
            (
                "url_credentials",
                r"(?P<keep>\b[A-Za-z][A-Za-z0-9+.-]*://)[^\s/:@]+:[^\s/@]+@",
            ),
            (
                "private_key",
                r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----(?s:.*?)(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|\z)",
            ),
            (
                "jwt",
                r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}",
            ),
            ("aws_access_key", r"\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b"),
            (
                "github_token",
                r"\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b",
            ),
            (
                "gitlab_token",
                r"\bgl(?:pat|dt|rt|ptt|cbt|oas|ft|imt|agent)-[A-Za-z0-9_-]{20,}",
            ),
            (
                "slack_token",
                r"\bxox[abposre]-[A-Za-z0-9-]{10,}|https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9_/]{20,}",
            ),
            (
                "stripe_key",
                r"\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}\b|\bwhsec_[A-Za-z0-9]{24,}\b",
            ),
            (
                "anthropic_key",
                r"\bsk-ant-(?:api|admin|oat|sid)[0-9]{2}-[A-Za-z0-9_-]{20,}",
            ),
            (
                "openai_key",
                r"\bsk-(?:proj|svcacct|admin|None)-[A-Za-z0-9_-]{20,}|\bsk-[A-Za-z0-9]{32,}\b",
            ),
        ];
        table
            .iter()
            .map(|(kind, pattern)| Shape {
                kind,
                pattern: Regex::new(pattern).expect("the redaction patterns are valid"),
            })
            .collect()
    })
}

/// Names that hold secrets: a word KEY, TOKEN, SECRET, PASSWORD (or PASSWD, PWD, PASS) in a
/// `SCREAMING_SNAKE`, `snake`, `kebab`, dotted or `camelCase` name.
fn secret_name(name: &str) -> bool {
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            words.push(std::mem::take(&mut current));
            previous_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && previous_lower {
            words.push(std::mem::take(&mut current));
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        current.push(c.to_ascii_lowercase());
    }
    words.push(current);
    words.iter().any(|w| {
        matches!(
            w.as_str(),
            "key"
                | "apikey"
                | "token"
                | "secret"
                | "password"
                | "passwd"
                | "pwd"
                | "pass"
                | "passphrase"
                | "credentials"
        )
    })
}

/// A value that is plainly not a secret: empty, a boolean or null, a reference to a variable or
/// setting, a type name, or a marker we already wrote.
fn harmless_value(value: &str, quoted: bool) -> bool {
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    if v.len() < 4
        || v.starts_with("[REDACTED")
        || v.starts_with("${")
        || v.starts_with("$(")
        || v.starts_with("{{")
        || v.starts_with('<') && v.ends_with('>')
        || matches!(
            lower.as_str(),
            "true" | "false" | "null" | "none" | "nil" | "undefined" | "empty" | "string"
        )
    {
        return true;
    }
    if quoted {
        return v.contains("${") || v.contains("{{");
    }
    // Unquoted values that read as code, not data.
    let is_path_like = v
        .split('.')
        .all(|part| !part.is_empty() && part.chars().all(|c| c.is_alphanumeric() || c == '_'));
    v.starts_with('$')
        || v.contains('(')
        || v.contains(')')
        || v.contains('[')
        || v.contains('&')
        || v.contains("::")
        || (is_path_like && v.contains('.'))
}

fn env_assignment() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        // `.env` style: a whole line `NAME=value` (also `export NAME=value`, diff lines `+NAME=...`).
        Regex::new(
            r#"(?m)^(?P<lead>[+\- ]?[ \t]*(?:export[ \t]+)?)(?P<name>[A-Za-z_][A-Za-z0-9_.\-]*)(?P<sep>[ \t]*=[ \t]*)(?P<value>"[^"\n]*"|'[^'\n]*'|[^\s#]*)"#,
        )
        .expect("valid pattern")
    })
}

fn code_assignment() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        // Code, YAML, JSON, TOML: `name: "value"`, `"name": "value"`, `name = 'value'`, and
        // unquoted YAML values `name: value`.
        Regex::new(
            r#"(?P<name>["']?[A-Za-z_][A-Za-z0-9_.\-]*["']?)(?P<sep>[ \t]*(?::=|:|=)[ \t]*)(?P<value>"[^"\n]*"|'[^'\n]*'|[^\s"',;#}\]]+)"#,
        )
        .expect("valid pattern")
    })
}

fn split_quotes(value: &str) -> (&str, &str, &str) {
    for q in ['"', '\''] {
        if value.len() >= 2 && value.starts_with(q) && value.ends_with(q) {
            return (
                &value[..1],
                &value[1..value.len() - 1],
                &value[value.len() - 1..],
            );
        }
    }
    ("", value, "")
}

/// Removes secrets from `text`.
pub fn redact(text: &str) -> Redacted {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let mut current = text.to_string();
    for shape in shapes() {
        let mut found = 0;
        let replaced = shape
            .pattern
            .replace_all(&current, |caps: &Captures| {
                found += 1;
                // `keep`: a part of the match that is not secret (a URL's scheme).
                match caps.name("keep") {
                    Some(keep) => format!("{}{}@", keep.as_str(), marker(shape.kind)),
                    None => marker(shape.kind),
                }
            })
            .into_owned();
        if found > 0 {
            *counts.entry(shape.kind.to_string()).or_default() += found;
            current = replaced;
        }
    }
    for (re, strict_unquoted) in [(env_assignment(), false), (code_assignment(), true)] {
        let mut found = 0;
        let replaced = re
            .replace_all(&current, |caps: &Captures| {
                let whole = caps[0].to_string();
                let name = caps["name"].trim_matches(['"', '\'']);
                let value = &caps["value"];
                let (open, inner, close) = split_quotes(value);
                let quoted = !open.is_empty();
                if !secret_name(name) || harmless_value(inner, quoted) {
                    return whole;
                }
                // In code, an unquoted word after `name:` is often a type (`token: String`);
                // only values that look generated (a digit, or long) count there.
                if strict_unquoted
                    && !quoted
                    && !(inner.chars().any(|c| c.is_ascii_digit()) || inner.len() >= 16)
                {
                    return whole;
                }
                found += 1;
                let prefix = &whole[..whole.len() - value.len()];
                format!("{prefix}{open}{}{close}", marker("secret_assignment"))
            })
            .into_owned();
        if found > 0 {
            *counts.entry("secret_assignment".to_string()).or_default() += found;
            current = replaced;
        }
    }
    Redacted {
        text: current,
        counts,
    }
}

/// True for `.env`, `.env.local`, `config/.env.production`, `.envrc`: a file whose name starts
/// with `.env` is never sent anywhere.
pub fn is_env_file(path: &str) -> bool {
    path.rsplit(['/', '\\'])
        .next()
        .is_some_and(|name| name.starts_with(".env"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for name in [
            "API_KEY",
            "apiKey",
            "SECRET_KEY_BASE",
            "github-token",
            "DB_PASSWORD",
            "password",
            "aws.secret",
            "AWS_SECRET_ACCESS_KEY",
        ] {
            assert!(secret_name(name), "{name}");
        }
        for name in [
            "monkey",
            "keyboard",
            "tokenizer",
            "PASSAGE",
            "secretary",
            "author",
        ] {
            assert!(!secret_name(name), "{name}");
        }
    }

    #[test]
    fn env_files() {
        assert!(is_env_file(".env"));
        assert!(is_env_file("app/.env.local"));
        assert!(!is_env_file("src/env.rs"));
        assert!(!is_env_file("environment.md"));
        assert!(!is_env_file("docs/env.example"));
    }
}
