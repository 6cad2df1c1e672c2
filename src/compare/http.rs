//! Posting GraphQL requests: one `ureq` agent (a blocking client with a
//! connection pool) shared by the worker threads, a timeout per request,
//! retries with exponential backoff on transport failures and 5xx/429.

use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// An endpoint with its request headers resolved. Header values are never
/// shown: `Debug` names the headers only.
#[derive(Clone)]
pub struct Endpoint {
    pub url: String,
    headers: Vec<(String, String)>,
}

impl std::fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("Endpoint")
            .field("url", &self.url)
            .field("headers", &names)
            .finish()
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum HeaderError {
    #[error(
        "{what}: header `{header}` is read from the environment variable `{variable}`, which is not set; export it and run again"
    )]
    Unset {
        what: String,
        header: String,
        variable: String,
    },
}

impl Endpoint {
    /// `"env:NAME"` values are read from the environment now.
    pub fn new(
        url: String,
        headers: &BTreeMap<String, String>,
        what: &str,
    ) -> Result<Endpoint, HeaderError> {
        let headers = headers
            .iter()
            .map(|(name, value)| match value.strip_prefix("env:") {
                Some(variable) => {
                    std::env::var(variable)
                        .map(|v| (name.clone(), v))
                        .map_err(|_| HeaderError::Unset {
                            what: what.to_string(),
                            header: name.clone(),
                            variable: variable.to_string(),
                        })
                }
                None => Ok((name.clone(), value.clone())),
            })
            .collect::<Result<_, _>>()?;
        Ok(Endpoint { url, headers })
    }
}

/// A GraphQL answer: the response body as JSON, and how long the attempt
/// that produced it took.
#[derive(Debug, Clone)]
pub struct Answer {
    pub body: Value,
    pub elapsed: Duration,
}

#[derive(Debug, Clone, thiserror::Error)]
pub enum HttpFailure {
    #[error("HTTP {status}: {excerpt}")]
    Status { status: u16, excerpt: String },
    #[error("{0}")]
    Transport(String),
    #[error("the answer is not GraphQL JSON: {0}")]
    NotGraphql(String),
    #[error("stopped")]
    Stopped,
}

impl HttpFailure {
    fn is_transient(&self) -> bool {
        match self {
            HttpFailure::Status { status, .. } => *status >= 500 || *status == 429,
            HttpFailure::Transport(_) => true,
            HttpFailure::NotGraphql(_) | HttpFailure::Stopped => false,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Client {
    agent: ureq::Agent,
    retries: u32,
    first_backoff: Duration,
}

impl Client {
    pub fn new(timeout: Duration, retries: u32, connections: usize) -> Client {
        let config = ureq::Agent::config_builder()
            .timeout_global(Some(timeout))
            .http_status_as_error(false)
            .max_idle_connections_per_host(connections.max(1))
            .user_agent(concat!("ferry/", env!("CARGO_PKG_VERSION")))
            .build();
        Client {
            agent: config.into(),
            retries,
            first_backoff: Duration::from_millis(100),
        }
    }

    /// Posts `body` and reads a GraphQL answer. A 4xx whose body is a
    /// GraphQL answer (`data` or `errors`) is an answer, not a failure.
    pub fn post(
        &self,
        endpoint: &Endpoint,
        body: &Value,
        stop: &AtomicBool,
    ) -> Result<Answer, HttpFailure> {
        let mut backoff = self.first_backoff;
        let mut attempt = 0;
        loop {
            let result = self.attempt(endpoint, body);
            match result {
                Err(failure) if failure.is_transient() && attempt < self.retries => {
                    attempt += 1;
                    if !sleep_unless_stopped(backoff, stop) {
                        return Err(HttpFailure::Stopped);
                    }
                    backoff *= 2;
                }
                other => return other,
            }
        }
    }

    fn attempt(&self, endpoint: &Endpoint, body: &Value) -> Result<Answer, HttpFailure> {
        let mut request = self
            .agent
            .post(&endpoint.url)
            .header("Accept", "application/json");
        for (name, value) in &endpoint.headers {
            request = request.header(name.as_str(), value.as_str());
        }
        let started = Instant::now();
        let mut response = request
            .send_json(body)
            .map_err(|e| HttpFailure::Transport(e.to_string()))?;
        let status = response.status().as_u16();
        let text = response
            .body_mut()
            .read_to_string()
            .map_err(|e| HttpFailure::Transport(e.to_string()))?;
        let elapsed = started.elapsed();
        let parsed: Option<Value> = serde_json::from_str(&text).ok();
        let is_graphql = parsed
            .as_ref()
            .and_then(Value::as_object)
            .is_some_and(|o| o.contains_key("data") || o.contains_key("errors"));
        match parsed {
            Some(body) if is_graphql && (status < 500 || status == 200) => {
                Ok(Answer { body, elapsed })
            }
            _ if status >= 400 => Err(HttpFailure::Status {
                status,
                excerpt: excerpt(&text),
            }),
            _ => Err(HttpFailure::NotGraphql(excerpt(&text))),
        }
    }
}

fn excerpt(text: &str) -> String {
    const SHOWN: usize = 200;
    let line = text.trim();
    match line.char_indices().nth(SHOWN) {
        Some((end, _)) => format!("{}…", &line[..end]),
        None => line.to_string(),
    }
}

/// Sleeps in short steps so that Ctrl-C is not kept waiting; false when
/// stopped.
fn sleep_unless_stopped(total: Duration, stop: &AtomicBool) -> bool {
    let step = Duration::from_millis(20);
    let until = Instant::now() + total;
    while Instant::now() < until {
        if stop.load(Ordering::Relaxed) {
            return false;
        }
        std::thread::sleep(step.min(until.saturating_duration_since(Instant::now())));
    }
    !stop.load(Ordering::Relaxed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_values_come_from_the_environment_and_are_never_shown() {
        // SAFETY: this test is the only one reading or writing this variable.
        unsafe { std::env::set_var("FERRY_TEST_COMPARE_TOKEN", "s3cret") };
        let headers = BTreeMap::from([
            (
                "Authorization".to_string(),
                "env:FERRY_TEST_COMPARE_TOKEN".to_string(),
            ),
            ("X-Team".to_string(), "learning".to_string()),
        ]);
        let endpoint =
            Endpoint::new("http://127.0.0.1:1/graphql".into(), &headers, "[python]").unwrap();
        assert_eq!(endpoint.headers[0].1, "s3cret");
        assert!(!format!("{endpoint:?}").contains("s3cret"));
        let missing = BTreeMap::from([(
            "Authorization".to_string(),
            "env:FERRY_TEST_UNSET_VAR".to_string(),
        )]);
        let error = Endpoint::new("http://x".into(), &missing, "service `progress`").unwrap_err();
        assert_eq!(
            error.to_string(),
            "service `progress`: header `Authorization` is read from the environment variable `FERRY_TEST_UNSET_VAR`, which is not set; export it and run again"
        );
    }

    #[test]
    fn a_refused_connection_is_retried_then_reported() {
        // A port nothing listens on: bind, note it, close.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let endpoint = Endpoint::new(
            format!("http://127.0.0.1:{port}/graphql"),
            &BTreeMap::new(),
            "x",
        )
        .unwrap();
        let client = Client {
            first_backoff: Duration::from_millis(1),
            ..Client::new(Duration::from_secs(2), 2, 1)
        };
        let failure = client
            .post(
                &endpoint,
                &serde_json::json!({"query": "{ a }"}),
                &AtomicBool::new(false),
            )
            .unwrap_err();
        assert!(matches!(failure, HttpFailure::Transport(_)), "{failure:?}");
    }
}
