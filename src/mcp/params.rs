//! A tool call's `arguments`, checked against the tool's schema: each accessor names the
//! parameter and the tool in its one-line error (`missing parameter `focus` (session_start)`).
//! `null` reads as absent (models send it for optional parameters); a parameter the tool does
//! not take is refused, so a misspelt name is never silently ignored.

use super::RpcError;
use serde_json::{Map, Value};

pub struct Params<'a> {
    tool: &'a str,
    args: &'a Map<String, Value>,
}

impl<'a> Params<'a> {
    /// Refuses parameters outside `known` (the tool's schema properties).
    pub fn new(
        tool: &'a str,
        args: &'a Map<String, Value>,
        known: &[&str],
    ) -> Result<Self, RpcError> {
        if let Some(unknown) = args.keys().find(|k| !known.contains(&k.as_str())) {
            let takes = if known.is_empty() {
                "no parameters".to_string()
            } else {
                known.join(", ")
            };
            return Err(RpcError::params(format!(
                "unknown parameter `{unknown}` ({tool} takes {takes})"
            )));
        }
        Ok(Params { tool, args })
    }

    fn get(&self, name: &str) -> Option<&'a Value> {
        self.args.get(name).filter(|v| !v.is_null())
    }

    fn wrong(&self, name: &str, expected: &str) -> RpcError {
        RpcError::params(format!(
            "parameter `{name}` must be {expected} ({})",
            self.tool
        ))
    }

    pub fn missing(&self, name: &str) -> RpcError {
        RpcError::params(format!("missing parameter `{name}` ({})", self.tool))
    }

    pub fn string(&self, name: &str) -> Result<Option<String>, RpcError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(self.wrong(name, "a string")),
        }
    }

    pub fn required_string(&self, name: &str) -> Result<String, RpcError> {
        self.string(name)?.ok_or_else(|| self.missing(name))
    }

    pub fn boolean(&self, name: &str) -> Result<Option<bool>, RpcError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(self.wrong(name, "true or false")),
        }
    }

    /// A number within `min..=max`.
    pub fn number(&self, name: &str, min: f64, max: f64) -> Result<Option<f64>, RpcError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Number(n)) => match n.as_f64() {
                Some(v) if v.is_finite() && (min..=max).contains(&v) => Ok(Some(v)),
                _ => Err(self.wrong(name, &format!("a number from {min} to {max}"))),
            },
            Some(_) => Err(self.wrong(name, &format!("a number from {min} to {max}"))),
        }
    }

    /// A whole number within `min..=max`.
    pub fn integer(&self, name: &str, min: u64, max: u64) -> Result<Option<u64>, RpcError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Number(n)) => match n.as_u64() {
                Some(v) if (min..=max).contains(&v) => Ok(Some(v)),
                _ => Err(self.wrong(name, &format!("a whole number from {min} to {max}"))),
            },
            Some(_) => Err(self.wrong(name, &format!("a whole number from {min} to {max}"))),
        }
    }

    /// A list of strings; a single string counts as a list of one.
    pub fn strings(&self, name: &str) -> Result<Vec<String>, RpcError> {
        match self.get(name) {
            None => Ok(Vec::new()),
            Some(Value::String(s)) => Ok(vec![s.clone()]),
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| match item {
                    Value::String(s) => Ok(s.clone()),
                    _ => Err(self.wrong(name, "a list of strings")),
                })
                .collect(),
            Some(_) => Err(self.wrong(name, "a list of strings")),
        }
    }

    pub fn object(&self, name: &str) -> Result<Option<Map<String, Value>>, RpcError> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Object(map)) => Ok(Some(map.clone())),
            Some(_) => Err(self.wrong(name, "an object")),
        }
    }

    /// One of `choices`.
    pub fn choice(&self, name: &str, choices: &[&str]) -> Result<Option<String>, RpcError> {
        match self.string(name)? {
            None => Ok(None),
            Some(s) if choices.contains(&s.as_str()) => Ok(Some(s)),
            Some(_) => {
                let quoted: Vec<String> = choices.iter().map(|c| format!("\"{c}\"")).collect();
                Err(self.wrong(name, &format!("one of {}", quoted.join(", "))))
            }
        }
    }
}
