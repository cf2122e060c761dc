//! **The only module that speaks HTTP**: one blocking JSON POST with a time limit, through `ureq`
//! (rustls with ring: no OpenSSL, no async runtime). Callers decide what a status means.

use std::time::Duration;

/// The server's answer: any status, 2xx or not, with the start of its body.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub body: String,
}

/// Why no answer came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SendError {
    /// The time limit passed (connecting, sending or reading).
    Timeout,
    /// Connection refused, DNS, TLS, a broken reply…
    Failed(String),
}

impl std::fmt::Display for SendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SendError::Timeout => f.write_str("timed out"),
            SendError::Failed(why) => f.write_str(why),
        }
    }
}

/// The most of a reply body kept (the server's message, for people to read).
const BODY_LIMIT: u64 = 16 * 1024;

/// POSTs `body` (JSON) to `url` with the given headers, all within `timeout`.
pub fn post_json(
    url: &str,
    headers: &[(&str, &str)],
    body: &str,
    timeout: Duration,
) -> Result<Reply, SendError> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .user_agent(concat!("claude-session/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let mut request = agent.post(url).content_type("application/json");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let mut response = request.send(body).map_err(classify)?;
    let status = response.status().as_u16();
    // A reply whose body cannot be read still has its status; the message is then empty.
    let body = response
        .body_mut()
        .with_config()
        .limit(BODY_LIMIT)
        .read_to_string()
        .unwrap_or_default();
    Ok(Reply { status, body })
}

fn classify(error: ureq::Error) -> SendError {
    match error {
        ureq::Error::Timeout(_) => SendError::Timeout,
        ureq::Error::Io(e) if e.kind() == std::io::ErrorKind::TimedOut => SendError::Timeout,
        other => SendError::Failed(other.to_string()),
    }
}
