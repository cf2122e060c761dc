//! Secret redaction for anything that leaves the machine (the claude.ai transfer prompt) or is
//! shown back from outside (claude.ai's answer). Each secret becomes `[REDACTED:<kind>]`.
//!
//! Two passes. Secrets with a recognisable shape are anchored on the providers' documented
//! prefixes, so that text that merely resembles one (a public key block, `sk-learn`) survives.
//! Then values assigned to names that contain KEY, TOKEN, SECRET, PASSWORD (`.env` lines,
//! `export`, YAML, JSON, code) are removed unless they are plainly not secrets: empty, a number,
//! a boolean, a reference to another variable (`${VAR}`, `process.env.X`), a placeholder, a type
//! in code (`token: String`), or what the name says it is (`TOKEN_COUNT=3`, `token_type: Bearer`).
//! When unsure, the value goes: a false alarm costs a word in the prompt, a leak a secret.

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
                r"(?P<keep>\b[A-Za-z][A-Za-z0-9+.-]*://)[^\s/:@\[]+:[^\s/@]+@",
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

/// The kind counted for a secret found through the name it is assigned to.
const ASSIGNMENT: &str = "secret_assignment";

/// A pattern compiled once.
macro_rules! pattern {
    ($re:expr) => {{
        static RE: OnceLock<Regex> = OnceLock::new();
        RE.get_or_init(|| Regex::new(&$re).expect("the redaction patterns are valid"))
    }};
}

/// Where an assignment was found; each place has its own idea of what a harmless value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// A whole line `NAME=value` (`.env`, shell, properties): the value runs to the end of the line.
    Dotenv,
    /// A whole line `name = value` (code, INI, TOML): the value may be an expression.
    Spaced,
    /// A whole line `name: value` (YAML, JSON, type annotations).
    Colon,
    /// Anywhere in a line (`f(api_key="...")`, `{"token": "..."}`): only what looks generated.
    Inline,
}

/// The words of a `SCREAMING_SNAKE`, `snake`, `kebab`, dotted or `camelCase` name, lowercased.
fn name_words(name: &str) -> Vec<String> {
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
    words.retain(|w| !w.is_empty());
    words
}

/// Names that hold secrets: they contain KEY, TOKEN, SECRET, PASSWORD (or PASSWD, PASSPHRASE,
/// CREDENTIAL), anywhere (`MYSECRET`, `APITOKEN`, `API_KEYS`), or have a word PASS or PWD.
/// Words that merely contain them (`monkey`, `tokenizer`, `secretary`), keys of data structures
/// (`primary_key`, `sort_key`) and public keys are not secret names.
fn secret_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    // The shell's working directories.
    if matches!(lower.as_str(), "pwd" | "oldpwd") {
        return false;
    }
    let not_secret = pattern!(
        r"monkey|donkey|turkey|hockey|jockey|whiskey|turnkey|hotkey|keyboard|keystroke|keyword|keynote|keyframe|keypad|keypress|keydown|keyup|keycode|keymap|keybind|keyspace|tokeniz[a-z]*|secretar[a-z]*|(?:primary|foreign|sort|partition|range|cache|lookup|group|unique|composite|natural|surrogate|shard|routing|dedupe?|idempotency|row|column|dict|map|index|public|publishable|pub)[_.\-]?key"
    );
    let rest = not_secret.replace_all(&lower, " ");
    if [
        "key",
        "token",
        "secret",
        "passw",
        "passphrase",
        "credential",
    ]
    .iter()
    .any(|w| rest.contains(w))
    {
        return true;
    }
    name_words(name).iter().any(|w| w == "pass" || w == "pwd")
}

/// Passwords are the secrets that may be all digits (a PIN); other names with a number hold
/// a count, a size or an id.
fn password_name(name: &str) -> bool {
    name.to_ascii_lowercase().contains("pass") || name_words(name).iter().any(|w| w == "pwd")
}

/// What a name says about its value when a word after the secret word describes it:
/// `TOKEN_COUNT`, `PASSWORD_HASH_ROUNDS`, `token_type`, `PRIVATE_KEY_FILE`, `TOKEN_URL`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Describes {
    /// A count, size, type, algorithm, name...: numbers and ordinary words.
    Measure,
    /// A file or folder: paths.
    Location,
    /// A service: URLs without credentials, host names.
    Address,
}

fn describes(name: &str) -> Option<Describes> {
    let words = name_words(name);
    let last_secret = words.iter().rposition(|w| secret_name(w))?;
    words[last_secret + 1..].iter().rev().find_map(|w| {
        Some(match w.as_str() {
            "count" | "counts" | "num" | "number" | "rounds" | "round" | "iterations"
            | "iteration" | "iter" | "cost" | "factor" | "type" | "types" | "kind" | "length"
            | "len" | "size" | "bits" | "bytes" | "limit" | "limits" | "max" | "min"
            | "maximum" | "minimum" | "ttl" | "timeout" | "expiry" | "expires" | "expiration"
            | "lifetime" | "age" | "duration" | "interval" | "version" | "algorithm"
            | "algorithms" | "algo" | "alg" | "header" | "scheme" | "prefix" | "suffix"
            | "format" | "encoding" | "name" | "names" | "label" | "field" | "param" | "column"
            | "ref" | "env" | "var" | "variable" | "source" | "store" | "backend" | "provider"
            | "manager" | "mode" | "strategy" | "style" => Describes::Measure,
            "file" | "files" | "path" | "paths" | "dir" | "directory" | "filename" | "location" => {
                Describes::Location
            }
            "url" | "uri" | "endpoint" | "host" | "hostname" | "domain" | "server" | "issuer" => {
                Describes::Address
            }
            _ => return None,
        })
    })
}

/// A value that fits what its name says it is (`TOKEN_TYPE=Bearer`, `KEY_FILE=/run/key.pem`).
fn fits_description(describes: Describes, v: &str) -> bool {
    let number_with_unit =
        pattern!(r"^[0-9][0-9_]*(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?[ ]?[A-Za-z]{0,8}$");
    let words = pattern!(r"^[A-Za-z]+[0-9]{0,4}(?:[-_. /:][A-Za-z]+[0-9]{0,4})*$").is_match(v)
        && v.len() <= 64;
    if number_with_unit.is_match(v) || words {
        return true;
    }
    match describes {
        Describes::Measure => false,
        Describes::Location => pattern!(
            r"^(?:~|\.{1,2}|\$\{?[A-Za-z_][A-Za-z0-9_]*\}?)?[/\\]\S*$|^[A-Za-z]:[\\/]\S*$|^[\w.\-]+(?:[/\\][\w.\-]+)+[/\\]?$|^[\w\-]*\.[A-Za-z][A-Za-z0-9]{0,5}$"
        )
        .is_match(v),
        Describes::Address => pattern!(
            r"^[A-Za-z][A-Za-z0-9+.\-]*://[^\s?#@]+$|^[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+(?::[0-9]+)?$"
        )
        .is_match(v),
    }
}

/// Nothing at all: booleans, nulls, empty collections, the opening of a nested block.
fn nothing(v: &str) -> bool {
    // A colour (`#d8dee9`).
    if pattern!(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$").is_match(v) {
        return true;
    }
    matches!(
        v.to_ascii_lowercase().as_str(),
        "true"
            | "false"
            | "yes"
            | "no"
            | "on"
            | "off"
            | "null"
            | "none"
            | "nil"
            | "undefined"
            | "~"
            | "read"
            | "write"
            | "\"\""
            | "''"
            | "[]"
            | "{}"
            | "()"
            | "["
            | "{"
            | "("
    )
}

fn number(v: &str) -> bool {
    pattern!(
        r"^[+-]?[0-9][0-9_]*(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?(?:_?(?:[iu](?:8|16|32|64|128|size)|f32|f64))?$"
    )
    .is_match(v)
}

/// A version requirement (`"^9.0.0"`, `~1.2`, `>=2.0`): package manifests name packages like
/// `jsonwebtoken` or `keyring`.
fn version_requirement(v: &str) -> bool {
    pattern!(r"^(?:[~^=v]|[<>]=?)*[ ]?[0-9]+(?:\.(?:[0-9]+|x|\*))+(?:-[0-9A-Za-z.\-]+)?$")
        .is_match(v)
}

/// A stand-in for a secret: `<your-key>`, `changeme`, `xxxx`, `sk-...`, `your_token_here`.
fn placeholder(v: &str) -> bool {
    let squashed: String = v
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    (v.starts_with('<') && v.ends_with('>'))
        || matches!(
            squashed.as_str(),
            "changeme"
                | "changethis"
                | "replaceme"
                | "todo"
                | "tbd"
                | "fixme"
                | "placeholder"
                | "redacted"
                | "notset"
                | "example"
        )
        || pattern!(r"^(?:your|insert|enter|paste|replace)[-_ ]").is_match(&v.to_ascii_lowercase())
        || pattern!(
            r"^(?:[A-Za-z]{1,8}[-_])?(?:[xX]{3,}|\*{3,}|•{3,}|\.{3}|…)(?:[-_]?(?:[xX]{3,}|\*{3,}))*$"
        )
        .is_match(v)
}

/// A path to a file (`./config/service-account.json`, `~/.aws/credentials`,
/// `/etc/app/key.pem`): where a secret is, not the secret. An absolute path needs a file
/// extension, since base64 secrets may start with `/`.
fn file_path(v: &str) -> bool {
    pattern!(r"^(?:\.{1,2}|~)/[\w.\-/]*$|^(?:/[\w.\-]+)+\.[a-z][a-z0-9]{1,4}$").is_match(v)
}

/// Keys that are public by design: SSH public keys, Stripe publishable keys.
fn public_key(v: &str) -> bool {
    pattern!(
        r"^(?:ssh-(?:rsa|ed25519|dss)|ecdsa-sha2-nistp[0-9]+|sk-(?:ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com)[ \t]+AAAA[A-Za-z0-9+/]+=*(?:[ \t].*)?$|^pk_(?:live|test)_[A-Za-z0-9]+$"
    )
    .is_match(v)
}

/// Nothing left but markers we wrote (and a scheme word): redacting again changes nothing.
fn only_markers(v: &str) -> bool {
    let markers = pattern!(r"\[REDACTED:[a-z_]+\]?");
    if !markers.is_match(v) {
        return false;
    }
    let rest = markers.replace_all(v, "");
    let rest = rest.trim_matches(|c: char| c.is_whitespace() || c.is_ascii_punctuation());
    rest.is_empty()
        || matches!(
            rest.to_ascii_lowercase().as_str(),
            "bearer" | "basic" | "token"
        )
}

/// `Some(keep)` when the value refers to another variable, setting or template instead of
/// holding a secret: `$VAR`, `${VAR}`, `$(command)`, `{{ template }}`, `%VAR%`. A default
/// (`${VAR:-value}`) is judged as a value of its own.
fn reference(name: &str, v: &str, form: Form) -> Option<bool> {
    if pattern!(
        r"^\$(?:[A-Z_][A-Z0-9_]*|[a-z_][a-z0-9_]*|[0-9@*#?])$|^\$\([^()]*\)$|^`[^`]*`$|^\$?\{\{.*\}\}$|^%[A-Za-z_][A-Za-z0-9_]*%$|^#\{[^}]*\}$|^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?(?:[/\\][\w.\-]*)+$"
    )
    .is_match(v)
    {
        return Some(true);
    }
    if let Some(c) =
        pattern!(r"^\$\{[A-Za-z_][A-Za-z0-9_.\-]*(?:(?P<op>:?[-=?+]|:)(?P<default>[^}]*))?\}$")
            .captures(v)
    {
        let default = c.name("default").map_or("", |m| m.as_str());
        let keep = match c.name("op").map_or("", |m| m.as_str()) {
            // No default, an error message, or a value used only when the variable is set.
            "" | "?" | ":?" | "+" | ":+" => true,
            _ => {
                let (_, inner, _) = split_quotes(default.trim());
                keep_value(name, inner, inner.len() != default.trim().len(), form)
            }
        };
        return Some(keep);
    }
    // A YAML alias, a CloudFormation reference.
    if form == Form::Colon
        && pattern!(r"^\*[A-Za-z0-9_\-]+$|^!(?:Ref|GetAtt|ImportValue)[ \t]+[A-Za-z0-9_.:\-]+$")
            .is_match(v)
    {
        return Some(true);
    }
    // A template: what is left after the interpolations is too plain to be a secret.
    let interpolation = pattern!(
        r"\$\{[^}]*\}|\{\{[^}]*\}\}|\{(?:[A-Za-z_][A-Za-z0-9_.]*|[0-9]*)(?:[:!][^{}]*)?\}|\$(?:[A-Z_][A-Z0-9_]*|[a-z_][a-z0-9_]*)\b|%[-+ #0-9.]*[sdifrxXeEgGc]"
    );
    if interpolation.is_match(v) {
        let rest = interpolation.replace_all(v, "");
        let plain = !rest.chars().any(|c| c.is_ascii_digit())
            && rest
                .split(|c: char| !c.is_ascii_alphanumeric())
                .all(|w| w.len() < 16);
        return plain.then_some(true);
    }
    None
}

/// A string that names a setting or variable (`"API_KEY"`, `"db.password"`, `"S3_KEY"`)
/// rather than holding a secret.
fn setting_name(v: &str) -> bool {
    pattern!(
        r"^_*(?:[A-Za-z]+(?:[_.\-](?:[A-Za-z]+|[0-9]{1,2}))*|[A-Z]+[0-9]*(?:_[A-Z]+[0-9]*)*)_*$"
    )
    .is_match(v)
}

/// Source-code pieces for the patterns below.
const PATH: &str = r"[A-Za-z_][A-Za-z0-9_]*(?:(?:\.|::|->)[A-Za-z_][A-Za-z0-9_]*)*";
/// An argument of a call that is plainly not a secret: a variable, a number, a string that
/// reads as a name (`"API_KEY"`, `"db.password"`), optionally as a keyword argument.
const ARG: &str = r#"(?:[A-Za-z_][A-Za-z0-9_]*[ \t]*=[ \t]*)?(?:"_*(?:[A-Za-z]+(?:[_.\-](?:[A-Za-z]+|[0-9]{1,2}))*|[A-Z]+[0-9]*(?:_[A-Z]+[0-9]*)*)?_*"|'_*(?:[A-Za-z]+(?:[_.\-](?:[A-Za-z]+|[0-9]{1,2}))*|[A-Z]+[0-9]*(?:_[A-Z]+[0-9]*)*)?_*'|[&*]?[A-Za-z_][A-Za-z0-9_]*(?:(?:\.|::|->)[A-Za-z_][A-Za-z0-9_]*)*(?:\(\))?|[0-9]+(?:\.[0-9]+)?)"#;

fn args() -> String {
    format!(r"[ \t]*(?:{ARG}(?:[ \t]*,[ \t]*{ARG})*[ \t]*,?)?[ \t]*")
}

fn chain() -> String {
    format!(
        r"(?:[?!]|(?:\.|::|->)[A-Za-z_][A-Za-z0-9_]*(?:\({}\))?)*",
        args()
    )
}

/// An unquoted value that is code: a call (`get_token()`, `os.getenv("API_KEY")`), an index
/// (`os.environ["API_KEY"]`), a field of a settings object (`self.key`, `process.env.API_KEY`),
/// a path (`Key::Public`, `response.token`), a variable passed on (`token,`), a collection of
/// such things. A `.env` line has no code: only calls, indexes and settings objects count there,
/// unless code punctuation shows a keyword argument (`    token=token,`).
fn code_expression(name: &str, v: &str, form: Form, code_punct: bool) -> bool {
    let call = pattern!(format!(
        r"^[&*]?(?:(?:await|new|try)[ \t]+)?{PATH}(?:::<[^>]*>)?[ \t]*\({}\){}$",
        args(),
        chain()
    ));
    let index = pattern!(format!(
        r"^[&*]?{PATH}(?:[ \t]*\[[ \t]*{ARG}[ \t]*\])+{}$",
        chain()
    ));
    let settings = pattern!(
        r"^[&*]?(?:self|this|\$this|cls|ctx|context|config|conf|cfg|settings|env|ENV|process\.env|import\.meta\.env|os\.environ|Deno\.env|secrets|vars|args|opts|options|params|props|request|req|app|window)(?:(?:\.|->|::)[A-Za-z_][A-Za-z0-9_]*)+[?!]?$"
    );
    if call.is_match(v) || index.is_match(v) || settings.is_match(v) {
        return true;
    }
    let identifier = pattern!(r"^[&*]?[A-Za-z_]+$");
    // `token=token` in a call: the variable of the same name.
    if v == name && name.chars().any(|c| c.is_ascii_lowercase()) {
        return true;
    }
    // `token,` / `token;`: a variable passed on (a digit makes it look generated).
    if code_punct && identifier.is_match(v) {
        return true;
    }
    // `self.token = token`, `result.key = key`, `token_map = token_map_for(x)`: an attribute
    // set from a variable, a snake_case variable.
    let attribute = pattern!(r"^(?:self|this|cls)\.|^@[A-Za-z_]").is_match(name);
    let last_segment = name.rsplit(['.', ':', '>']).next().unwrap_or(name);
    let code_line = form == Form::Spaced || form == Form::Inline || code_punct;
    if code_line
        && (snake_identifier(v) || attribute && in_code(v) || v == last_segment)
        && pattern!(r"^[A-Za-z_]").is_match(v)
    {
        return true;
    }
    if form == Form::Dotenv && !code_punct {
        return false;
    }
    let plain_path = pattern!(r"^[&*]?[A-Za-z_]+(?:(?:\.|::|->)(?:[A-Za-z_]+|[0-9]+))+$");
    let rust_path = pattern!(r"^[&*]?[A-Za-z_][A-Za-z0-9_]*(?:::[A-Za-z_][A-Za-z0-9_]*)+$");
    if rust_path.is_match(v) || plain_path.is_match(v) && code_line {
        return true;
    }
    // `[a, b]`, `(1, 2)`, `{ name: value }` holding only names and numbers.
    let inner = match (v.chars().next(), v.chars().last()) {
        (Some('['), Some(']')) | (Some('('), Some(')')) | (Some('{'), Some('}'))
            if v.len() >= 2 =>
        {
            &v[1..v.len() - 1]
        }
        _ => return false,
    };
    let item = pattern!(
        r#"^(?:[&*]?[A-Za-z_]+(?:(?:\.|::)[A-Za-z_]+)*|"[A-Za-z_]+"|'[A-Za-z_]+'|[0-9]+(?:\.[0-9]+)?)$"#
    );
    inner
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .all(|entry| {
            let value = entry
                .split_once([':', '='])
                .map_or(entry, |(_, value)| value.trim());
            item.is_match(value) || nothing(value)
        })
}

/// A type in code: `token: String,`, `key: str`, `apiKey?: string;`, `token: Option<String>`,
/// `key: &str`, `key: [u8; 32]`, `password: str | None`. A bare capitalised word in YAML
/// (`password: Summer`) is a value; it counts as a type only with code punctuation after it.
fn type_name(v: &str, code_punct: bool) -> bool {
    #[rustfmt::skip]
    const BUILTIN: &[&str] = &[
        "str", "String", "string", "bool", "boolean", "Boolean", "int", "Int", "integer",
        "Integer", "float", "Float", "double", "Double", "number", "Number", "bytes", "Bytes",
        "bytearray", "char", "Char", "byte", "Byte", "u8", "u16", "u32", "u64", "u128", "usize",
        "i8", "i16", "i32", "i64", "i128", "isize", "f32", "f64", "int8", "int16", "int32",
        "int64", "uint", "uint8", "uint16", "uint32", "uint64", "long", "Long", "short", "any",
        "Any", "unknown", "object", "Object", "dict", "Dict", "list", "List", "tuple", "Tuple",
        "set", "Set", "Option", "Optional", "Vec", "Box", "Arc", "Rc", "Cow", "Path", "PathBuf",
        "OsString", "Uuid", "UUID", "Url", "URL", "Buffer", "Uint8Array", "Date", "DateTime",
        "datetime", "void", "never", "Text", "text", "SecretStr", "SecretBytes", "SecretString",
        "SecretBox", "SecretVec", "Self", "Value", "HashMap", "BTreeMap", "Mapping", "Sequence",
    ];
    // Arrays and slices: `[u8; 32]`, `&'a [u8]`.
    if pattern!(r"^\[[ \t]*[A-Za-z_][A-Za-z0-9_]*[ \t]*;[ \t]*[A-Za-z0-9_]+[ \t]*\]$|^&(?:'[A-Za-z_]+[ \t]+)?(?:mut[ \t]+)?\[[A-Za-z_][A-Za-z0-9_<>]*\]$").is_match(v) {
        return true;
    }
    const ATOM: &str = r"(?:\*(?:const|mut)[ \t]+)?&?(?:'[A-Za-z_]+[ \t]+)?(?:mut[ \t]+)?(?:(?:dyn|impl)[ \t]+)?(?:[A-Za-z_][A-Za-z0-9_]*(?:::|\.))*[A-Za-z_][A-Za-z0-9_]*(?:<[^=;]*>|\[[^=;]*\])?\??(?:\[\])*";
    let typed = pattern!(format!(
        r"^(?:\*(?:const|mut)[ \t]+)?&?(?:'[A-Za-z_]+[ \t]+)?(?:mut[ \t]+)?(?:(?:dyn|impl)[ \t]+)?(?:[A-Za-z_][A-Za-z0-9_]*(?:::|\.))*(?P<base>[A-Za-z_][A-Za-z0-9_]*)(?:<[^=;]*>|\[[^=;]*\])?\??(?:\[\])*(?:[ \t]*\|[ \t]*{ATOM})*$"
    ));
    let Some(c) = typed.captures(v) else {
        return false;
    };
    let base = &c["base"];
    let decorated = v.starts_with(['&', '*']) || v.contains(['<', '[', '|']) || v.ends_with('?');
    BUILTIN.contains(&base)
        || (decorated && !base.chars().any(|c| c.is_ascii_digit()))
        || (code_punct && pattern!(r"^[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)*$").is_match(base))
}

/// Whether the value assigned to a secret name is plainly not a secret. When unsure it is
/// not: a false alarm costs a word in the prompt, a leak costs a secret.
fn keep_value(name: &str, value: &str, quoted: bool, form: Form) -> bool {
    let v = value.trim();
    if v.is_empty() || only_markers(v) {
        return true;
    }
    // Code punctuation after an unquoted value (`token,`, `key: str;`, the `)` or `):` that
    // closes a call or a signature) is not part of it.
    let core = if quoted { v } else { strip_code_punctuation(v) };
    let code_punct = core.len() < v.len();
    if core.is_empty()
        || nothing(core)
        || placeholder(core)
        || public_key(core)
        || file_path(core)
        || version_requirement(core)
    {
        return true;
    }
    if let Some(keep) = reference(name, core, form) {
        return keep;
    }
    if describes(name).is_some_and(|d| fits_description(d, core)) {
        return true;
    }
    if number(core) {
        // An all-digit password is still a password; an enum constant (`NETKIT_PASS = 0,`)
        // or a tiny number is not.
        let digits = core.chars().filter(char::is_ascii_digit).count();
        return !password_name(name) || code_punct || digits <= 3;
    }
    if code_number(core) {
        return true;
    }
    // A field named just `key` (Kubernetes `secretKeyRef`, caches, lookups, `key1` in
    // examples) holding plain words, maybe numbered (`value1`, `session/20251117-143022`).
    if pattern!(r"^[Kk][Ee][Yy][0-9]*$").is_match(name)
        && pattern!(r"^[a-z]+[0-9]{0,2}(?:[-_./:](?:[a-z]+[0-9]{0,2}|[0-9]+))*$").is_match(core)
    {
        return true;
    }
    if quoted {
        return false;
    }
    if code_expression(name, core, form, code_punct) {
        return true;
    }
    if form == Form::Colon && type_name(core, code_punct) {
        return true;
    }
    if form == Form::Colon
        && let Some(c) = pattern!(r"^&[A-Za-z0-9_\-]+[ \t]+(?P<rest>\S.*)$").captures(core)
    {
        // A YAML anchor before the value: `password: &pw hunter2`.
        let rest = c.name("rest").map_or("", |m| m.as_str());
        let (open, inner, _) = split_quotes(rest);
        return keep_value(name, inner, !open.is_empty(), form);
    }
    if (form != Form::Dotenv || code_punct) && code_construct(name, core) {
        return true;
    }
    match form {
        Form::Dotenv | Form::Spaced => false,
        // A YAML value is data; with code punctuation after it, it is a field of a struct or
        // object literal in code.
        Form::Colon => code_punct && in_code(core),
        Form::Inline => type_name(core, code_punct) || in_code(core),
    }
}

/// An unquoted value in code that is not a secret: what does not look generated (no digit,
/// short), what opens with a bracket or a sigil (`[u8; 32]`, `&'a str`, `*const c_char`), a
/// generic type (`Option<u64>`), an identifier (`__u32`, `_bindgen_ty_41`) or a path
/// (`node.or1_token`).
fn in_code(v: &str) -> bool {
    let generated = v.len() >= 16 || v.len() >= 4 && v.chars().any(|c| c.is_ascii_digit());
    !generated
        || v.starts_with(['[', '(', '{', '<', '&', '*', '|'])
        || pattern!(
            r"^[A-Za-z_][A-Za-z0-9_:]*<|^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+$"
        )
        .is_match(v)
        || snake_identifier(v)
}

/// `__u32`, `_bindgen_ty_41`, `nl80211_key_attributes`, `MAX_LEN`: words of one case joined
/// by underscores, digits only at their ends (`npm_AbCdEf1234567890` is no identifier).
fn snake_identifier(v: &str) -> bool {
    v.contains('_')
        && pattern!(r"^_*(?:[a-z]+[0-9]{0,5}|[A-Z]+[0-9]{0,5}|[0-9]+)(?:_+(?:[a-z]+[0-9]{0,5}|[A-Z]+[0-9]{0,5}|[0-9]+))*_*$")
            .is_match(v)
}

fn strip_code_punctuation(v: &str) -> &str {
    let mut core = v;
    loop {
        let trimmed = core.trim_end();
        let unbalanced = |s: &str| s.matches(')').count() > s.matches('(').count();
        let closing = trimmed.ends_with(')') && unbalanced(trimmed);
        if !(trimmed.ends_with([',', ';']) || trimmed.ends_with("):") || closing) {
            return trimmed;
        }
        core = &trimmed[..trimmed.len() - 1];
    }
}

/// Numbers as code writes them: `0x04`, `1 << 3`, dates and times (`1979-05-27T07:32:00Z`).
fn code_number(v: &str) -> bool {
    pattern!(
        r"^0[xX][0-9a-fA-F_]{1,8}$|^0[bo][0-7_]+$|^[0-9]+[ \t]*<<[ \t]*[0-9]+$|^[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[T ][0-9:.]+(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?$|^[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]+)?)?$"
    )
    .is_match(v)
}

/// An expression in code (`Some(format!(`, `quote! {`, `KEYS[..2].to_vec()`,
/// `"brown".to_string()`, `Token![&](span)`, `mem::transmute(x)`): a call, a macro, an index
/// or a path on a name. A password can hold `(` too (`Tr0ub4dor(3)`), so the name must be a
/// word on its own, and every string inside must be plainly not a secret.
fn code_construct(name: &str, v: &str) -> bool {
    // A call, an index, a macro, a block, a path, a lambda, or an operator between operands.
    let construct = pattern!(
        r#"(?:^|[^A-Za-z0-9_])[A-Za-z_]+[0-9]*(?:!?[(\[]|![ \t]*\{|[ \t]+\{)|::|->|=>|\.[A-Za-z_][A-Za-z0-9_]*\(|^(?:lambda|function|async|await|not|new)\b|[A-Za-z0-9_"')\]][ \t]+(?:[+%|]|\|\||&&|\?\?|or|and|if|is|in)[ \t]+[A-Za-z0-9_"'(\[]"#
    );
    if !construct.is_match(v) {
        return false;
    }
    let strings = pattern!(r#""(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'"#);
    strings.find_iter(v).all(|m| {
        let inner = &m.as_str()[1..m.as_str().len() - 1];
        inner.len() <= 4 || setting_name(inner) || keep_value(name, inner, true, Form::Inline)
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

/// The byte index of the quote closing the string that `s` opens (backslash escapes skipped).
fn closing_quote(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let quote = *bytes.first()?;
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b if b == quote => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// A whole line that assigns to a secret name, and what to do with it.
enum Verdict {
    /// The value (a byte range of the line) is a secret.
    Secret(std::ops::Range<usize>),
    /// The value is plainly not a secret.
    Keep,
    /// `name: |` or `name: >`: the indented lines below hold the value.
    Block,
}

/// Judges a line that is one assignment: `NAME=value`, `export NAME=value`, `name = value`,
/// `name: value`, `"name": "value",` (also after a diff's `+`/`-` or a YAML list's `- `).
/// `None` when the line is not one, or the name is not a secret name.
fn whole_line(line: &str) -> Option<Verdict> {
    let head = pattern!(
        r#"^[+\-]?[ \t]*(?:-[ \t]+)?(?:(?:export|set|setenv|declare[ \t]+-x|readonly|local|ENV|ARG)[ \t]+|\$env:)?(?P<name>"[^"\n]+"|'[^'\n]+'|[A-Za-z_][A-Za-z0-9_.\-]*\??)(?P<sep>=|[ \t]+=[ \t]*|[ \t]*=[ \t]+|[ \t]*:[ \t]*)"#
    );
    let caps = head.captures(line)?;
    let raw_name = &caps["name"];
    let name_quoted = raw_name.starts_with(['"', '\'']);
    let name = raw_name.trim_matches(['"', '\'']).trim_end_matches('?');
    let sep = &caps["sep"];
    let start = caps.get(0).map_or(0, |m| m.end());
    let rest = &line[start..];
    let form = if sep.contains(':') {
        // YAML wants a space after the colon (`http://`, `key::path` are not assignments);
        // JSON may go without one.
        if !name_quoted && !sep.ends_with([' ', '\t']) && !rest.is_empty() {
            return None;
        }
        Form::Colon
    } else if sep == "=" {
        Form::Dotenv
    } else {
        Form::Spaced
    };
    // `==`, `=>`: a comparison or an arrow, not an assignment.
    if form != Form::Colon && rest.trim_start().starts_with(['=', '>']) {
        return None;
    }
    if !secret_name(name) {
        return None;
    }
    let skipped = rest.len() - rest.trim_start().len();
    let (mut range, mut quoted) = value_span(rest.trim_start(), form);
    range = start + skipped + range.start..start + skipped + range.end;
    // More pairs on the line (`"a": 0, "b": 1`, `token=None, key=None):`,
    // `key_size: int, backend: Any = None`): the pass over the inside of lines judges each.
    let more_pairs = pattern!(r#",[ \t]*(?:\**[A-Za-z_][A-Za-z0-9_]*|"[^"]*"|'[^']*')[ \t]*[:=]"#);
    let more_json_pairs = if quoted {
        line[range.end + 1..].contains([':', '='])
    } else {
        line[range.clone()].contains([',', '}'])
    };
    // A `.env` value may hold `, x=` itself; keyword arguments end in code punctuation.
    let several_arguments = !quoted
        && more_pairs.is_match(&line[range.clone()])
        && (form != Form::Dotenv || line[range.clone()].trim_end().ends_with([',', ')', ':']));
    if name_quoted && more_json_pairs || several_arguments {
        return None;
    }
    let mut form = form;
    if form == Form::Colon && !quoted {
        let value = &line[range.clone()];
        if pattern!(r"^(?:![A-Za-z0-9_!]*[ \t]+)?[|>][0-9+\-]*$").is_match(value) {
            return Some(Verdict::Block);
        }
        // A type with a default (`token: Optional[str] = None`): the default is the value.
        if let Some(c) = pattern!(r"^(?P<ty>[^=]+?)[ \t]*=[ \t]*(?P<default>\S.*)$").captures(value)
            && type_name(c["ty"].trim(), true)
        {
            let at = range.start + c.name("default").map_or(0, |m| m.start());
            let (inner, inner_quoted) = value_span(&line[at..range.end], Form::Spaced);
            range = at + inner.start..at + inner.end;
            quoted = inner_quoted;
            form = Form::Spaced;
        }
    }
    if keep_value(name, &line[range.clone()], quoted, form) {
        Some(Verdict::Keep)
    } else {
        Some(Verdict::Secret(range))
    }
}

/// The value in `rest` (what follows the separator): inside its quotes when it is quoted
/// (and only punctuation or a comment follows), else up to a comment or the end of the line.
fn value_span(rest: &str, form: Form) -> (std::ops::Range<usize>, bool) {
    let rest = rest.trim_end();
    // A string prefix (`f"..."`, `r'...'`, `b"..."`) is not part of the value.
    let prefix = pattern!(r#"^[fFrRbBuU]{0,2}["']"#)
        .find(rest)
        .map(|m| m.end() - 1);
    if let Some(at) = prefix
        && let Some(close) = closing_quote(&rest[at..])
        && pattern!(r"^[ \t]*[,;)\]}]*[ \t]*(?:(?:#|//).*)?$").is_match(&rest[at + close + 1..])
    {
        return (at + 1..at + close, true);
    }
    // A comment starts at `#` (or `//` in code) after whitespace; `p#ss` keeps its `#`.
    let comment = if form == Form::Dotenv {
        pattern!(r"[ \t]#")
    } else {
        pattern!(r"[ \t](?:#|//)")
    };
    let end = comment.find(rest).map_or(rest.len(), |m| m.start());
    (0..rest[..end].trim_end().len(), false)
}

/// The indentation of a block scalar's key line and of a line below it, after the diff
/// marker (`+`, `-`) both lines share; a `- ` YAML list marker counts as the key's column.
fn indents(key: &str, line: &str) -> (usize, usize) {
    let (key, line) = match key.chars().next() {
        Some(c @ ('+' | '-')) if line.starts_with(c) => (&key[1..], &line[1..]),
        _ => (key, line),
    };
    let blanks = |s: &str| s.len() - s.trim_start_matches([' ', '\t']).len();
    (blanks(key), blanks(line))
}

/// Replaces the lines of a YAML block scalar below `lines[at]` with one marker line.
/// Returns the text and the number of lines used (the key's line included).
fn redact_block(lines: &[&str], at: usize) -> Option<(String, usize)> {
    let body = |l: &str| l.trim_end_matches(['\n', '\r']).to_string();
    let key = body(lines[at]);
    let mut last = at;
    for (j, line) in lines.iter().enumerate().skip(at + 1) {
        let line = body(line);
        let stripped = match key.chars().next() {
            Some(c @ ('+' | '-')) if line.starts_with(c) => &line[1..],
            _ => line.as_str(),
        };
        if stripped.trim().is_empty() {
            continue;
        }
        let (key_indent, line_indent) = indents(&key, &line);
        if line_indent <= key_indent {
            break;
        }
        last = j;
    }
    let content: Vec<String> = lines[at + 1..=last]
        .iter()
        .map(|l| body(l))
        .filter(|l| !l.trim_matches([' ', '\t', '+', '-']).is_empty())
        .collect();
    let first = content.first()?;
    if content.len() == 1 && only_markers(first.trim_start_matches(['+', '-']).trim()) {
        return None;
    }
    let prefix_len = first.len() - first.trim_start_matches(['+', '-', ' ', '\t']).len();
    let ending = &lines[last][body(lines[last]).len()..];
    let mut out = lines[at].to_string();
    out.push_str(&first[..prefix_len]);
    out.push_str(&marker(ASSIGNMENT));
    out.push_str(if ending.is_empty() { "" } else { ending });
    Some((out, last - at + 1))
}

/// Assignments inside a line: `f(api_key="...")`, `{"client_secret": "..."}`, `token := "..."`.
fn redact_inline(line: &str, found: &mut usize) -> String {
    let assignment = pattern!(
        r#"(?P<name>"[A-Za-z_][A-Za-z0-9_.\-]*"|'[A-Za-z_][A-Za-z0-9_.\-]*'|[A-Za-z_][A-Za-z0-9_.\-]*)(?P<sep>[ \t]*(?::=|=>|:|=)[ \t]*)(?P<value>\$\{[^}\s]*\}|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|(?:[^\s"'`,;#}\])(>\\]|\\[^ntr"'\\]|\([^\s"'`,;#}()]*\))+)"#
    );
    let mut out = String::with_capacity(line.len());
    let mut pos = 0;
    while let Some(caps) = assignment.captures_at(line, pos) {
        let (Some(whole), Some(name_match), Some(value_match)) =
            (caps.get(0), caps.name("name"), caps.name("value"))
        else {
            break;
        };
        let name = name_match.as_str().trim_matches(['"', '\'']);
        let value = value_match.as_str();
        // `key::path`, `==`, a match arm `Key => ...`: not assignments.
        let arrow_without_quotes =
            caps["sep"].trim() == "=>" && !name_match.as_str().starts_with(['"', '\'']);
        if !secret_name(name) || value.starts_with([':', '=']) || arrow_without_quotes {
            // Not a secret: look again right after the name (`https://x?token=...`).
            out.push_str(&line[pos..name_match.end()]);
            pos = name_match.end();
            continue;
        }
        let (open, inner, _) = split_quotes(value);
        let quoted = !open.is_empty();
        out.push_str(&line[pos..value_match.start()]);
        pos = whole.end();
        let after = &line[pos..];
        // `key: Utf8SuffixKey` is a type annotation; `Utf8SuffixKey {`, `make_key(`,
        // `Key::new` go on as code.
        let code = !quoted
            && (caps["sep"].trim() == ":" && type_name(inner, true)
                || pattern!(r"^(?:[ \t]*\{|\(|::|\.[A-Za-z_])").is_match(after));
        if !code && !keep_value(name, inner, quoted, Form::Inline) {
            *found += 1;
            out.push_str(open);
            out.push_str(&marker(ASSIGNMENT));
            out.push_str(&value[open.len() + inner.len()..]);
            continue;
        }
        out.push_str(value);
        // A literal handed to a constructor (`String::from("...")`, `Secret::new("...")`)
        // is the value; a name of a setting (`os.getenv("API_KEY")`) is not.
        if !quoted
            && after.starts_with("(\"")
            && pattern!(r"(?:^|::|\.)(?:new|from|from_str|parse|[A-Z][A-Za-z0-9_]*)$")
                .is_match(value)
            && let Some(close) = closing_quote(&after[1..])
        {
            let literal = &after[2..close + 1];
            if !keep_value(name, literal, true, Form::Inline) && !setting_name(literal) {
                *found += 1;
                out.push_str("(\"");
                out.push_str(&marker(ASSIGNMENT));
                pos += close + 1;
            }
        }
    }
    out.push_str(&line[pos..]);
    out
}

/// Removes the values of assignments to secret names, line by line; returns the text and how
/// many values were removed.
fn redact_assignments(text: &str) -> (String, usize) {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut out = String::with_capacity(text.len());
    let mut found = 0;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let body = line.trim_end_matches(['\n', '\r']);
        let ending = &line[body.len()..];
        i += 1;
        match whole_line(body) {
            Some(Verdict::Secret(range)) => {
                found += 1;
                out.push_str(&body[..range.start]);
                out.push_str(&marker(ASSIGNMENT));
                out.push_str(&body[range.end..]);
                out.push_str(ending);
            }
            Some(Verdict::Keep) => out.push_str(line),
            Some(Verdict::Block) => match redact_block(&lines, i - 1) {
                Some((text, used)) => {
                    found += 1;
                    out.push_str(&text);
                    i += used - 1;
                }
                None => out.push_str(line),
            },
            None => {
                out.push_str(&redact_inline(body, &mut found));
                out.push_str(ending);
            }
        }
    }
    (out, found)
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
    let (text, found) = redact_assignments(&current);
    if found > 0 {
        *counts.entry(ASSIGNMENT.to_string()).or_default() += found;
    }
    Redacted { text, counts }
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
            // Names that contain the words, not only whole words.
            "MYSECRET",
            "APITOKEN",
            "API_KEYS",
            "GITHUB_TOKENS",
            "smtpPass",
            "MYSQL_PWD",
            "GOOGLE_APPLICATION_CREDENTIALS",
            "_authToken",
        ] {
            assert!(secret_name(name), "{name}");
        }
        for name in [
            "monkey",
            "keyboard",
            "keyboard_layout",
            "tokenizer",
            "tokenizers",
            "PASSAGE",
            "bypass",
            "secretary",
            "author",
            "primary_key",
            "sortKey",
            "public_key",
            "STRIPE_PUBLISHABLE_KEY",
            "PWD",
            "OLDPWD",
        ] {
            assert!(!secret_name(name), "{name}");
        }
    }

    #[test]
    fn what_names_say_about_their_values() {
        assert_eq!(describes("token_count"), Some(Describes::Measure));
        assert_eq!(describes("PASSWORD_HASH_ROUNDS"), Some(Describes::Measure));
        assert_eq!(describes("tokenType"), Some(Describes::Measure));
        assert_eq!(describes("PRIVATE_KEY_FILE"), Some(Describes::Location));
        assert_eq!(describes("TOKEN_URL"), Some(Describes::Address));
        // The descriptor must come after the secret word: `MAX_TOKENS` holds tokens.
        assert_eq!(describes("MAX_TOKENS"), None);
        assert_eq!(describes("API_KEY"), None);
        assert!(fits_description(Describes::Measure, "Bearer"));
        assert!(fits_description(Describes::Measure, "3600s"));
        assert!(!fits_description(Describes::Measure, "Tr0ub4dor&3"));
        assert!(fits_description(Describes::Location, "/run/secrets/db"));
        assert!(fits_description(
            Describes::Address,
            "https://auth.example.com/token"
        ));
        assert!(!fits_description(
            Describes::Address,
            "https://u:p@example.com/"
        ));
    }

    #[test]
    fn values_judged_by_form() {
        let keep = |name, value, form| keep_value(name, value, false, form);
        // The reviewer's secrets.
        assert!(!keep("DB_PASSWORD", "Tr0ub4dor&3xyz", Form::Dotenv));
        assert!(!keep("SESSION_SECRET", "abc123.def456.ghi", Form::Dotenv));
        assert!(!keep(
            "password",
            "correct horse battery staple",
            Form::Colon
        ));
        assert!(!keep("api_key", "abcdefABCDEF", Form::Colon));
        // References, placeholders, numbers, types, code.
        for (name, value, form) in [
            ("API_KEY", "${API_KEY}", Form::Dotenv),
            ("TOKEN", "$GITHUB_TOKEN", Form::Dotenv),
            ("PASSWORD", "${DB_PASSWORD:?missing}", Form::Dotenv),
            ("API_KEY", "<your-api-key>", Form::Dotenv),
            ("API_KEY", "changeme", Form::Dotenv),
            ("SECRET_KEY", "xxxxxxxx", Form::Dotenv),
            ("token_count", "12345", Form::Spaced),
            ("token", "String,", Form::Colon),
            ("key", "str", Form::Colon),
            ("token", "Option<String>", Form::Colon),
            ("apiKey", "process.env.API_KEY", Form::Inline),
            ("api_key", "os.environ[\"API_KEY\"]", Form::Spaced),
            ("password", "env(\"DB_PASSWORD\")", Form::Spaced),
            ("key", "self.key.clone()", Form::Inline),
            ("secret", "Some(format!(", Form::Spaced),
        ] {
            assert!(keep(name, value, form), "{name} = {value} ({form:?})");
        }
        // A password that is all digits goes; a count does not.
        assert!(!keep("DB_PASSWORD", "12345678", Form::Dotenv));
        assert!(keep("API_KEY_LENGTH", "12345678", Form::Dotenv));
        // A default is a value of its own.
        assert!(!keep(
            "PASSWORD",
            "${DB_PASSWORD:-Hunter2Default}",
            Form::Dotenv
        ));
        // A literal handed to code is judged too.
        assert!(!keep("token", "Secret::new(\"hunter22\")", Form::Spaced));
        assert!(keep("token", "os.getenv(\"GITHUB_TOKEN\")", Form::Spaced));
    }

    #[test]
    fn whole_lines_and_their_values() {
        let value = |line: &str| match whole_line(line) {
            Some(Verdict::Secret(range)) => Some(line[range].to_string()),
            _ => None,
        };
        assert_eq!(
            value("DB_PASSWORD=p#ssw0rd # note").as_deref(),
            Some("p#ssw0rd")
        );
        assert_eq!(value("export TOKEN='a b c'").as_deref(), Some("a b c"));
        assert_eq!(
            value("+  \"secret\": \"s3cr3t\",").as_deref(),
            Some("s3cr3t")
        );
        assert_eq!(
            value("  token: Optional[str] = \"abc123\"").as_deref(),
            Some("abc123")
        );
        assert!(matches!(whole_line("private_key: |"), Some(Verdict::Block)));
        // Comparisons and several pairs are not one assignment.
        assert!(whole_line("keyring==24.3.0").is_none());
        assert!(whole_line("\"token\": 1, \"key\": 2}").is_none());
        assert!(whole_line("name=value").is_none());
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
