//! Request extractors that answer bad input the way the real (FastAPI) service does: JSON bodies
//! parsed into typed requests with 422 list-shape errors, bodies over the transport cap as 413 shape 4.
use axum::extract::{FromRequest, Request};
use bytes::Bytes;
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

use crate::errors::{ApiError, ApiResult, FieldError};
use crate::state::Sim;

/// Counts a request body as it streams in; set by the server on every request.
#[derive(Debug)]
pub struct BodyMeter {
    pub received: AtomicU64,
    pub over_cap: AtomicBool,
    /// The transport cap for this path (None: no cap, e.g. a pre-signed PUT).
    pub cap: Option<u64>,
}

impl BodyMeter {
    pub fn new(cap: Option<u64>) -> Arc<Self> {
        Arc::new(Self { received: AtomicU64::new(0), over_cap: AtomicBool::new(false), cap })
    }

    /// The error for a body that could not be read: 413 when the cap cut it, else 400.
    pub fn body_error(&self, reason: impl std::fmt::Display) -> ApiError {
        match self.cap {
            Some(cap) if self.over_cap.load(Ordering::Relaxed) => {
                ApiError::request_too_large(self.received.load(Ordering::Relaxed), cap)
            }
            _ => ApiError::bad_request(format!("Could not read the request body: {reason}")),
        }
    }
}

pub fn meter_of(req: &Request) -> Arc<BodyMeter> {
    req.extensions().get::<Arc<BodyMeter>>().cloned().unwrap_or_else(|| BodyMeter::new(None))
}

/// Reads a whole (transport-capped) body.
pub async fn read_body(req: Request) -> ApiResult<Bytes> {
    let meter = meter_of(&req);
    let mut stream = req.into_body().into_data_stream();
    let mut buf = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| meter.body_error(e))?;
        buf.extend_from_slice(&chunk);
    }
    Ok(Bytes::from(buf))
}

/// A JSON body parsed into `T`; errors in the FastAPI 422 list shape.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<Arc<Sim>> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, _sim: &Arc<Sim>) -> Result<Self, Self::Rejection> {
        let bytes = read_body(req).await?;
        parse_json(&bytes).map(ApiJson)
    }
}

pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> ApiResult<T> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::validation(vec![FieldError::new("missing", &["body"], "Field required")]));
    }
    // Syntax first (FastAPI's `json_invalid` with the position), then the schema.
    let value: Value = serde_json::from_slice(bytes).map_err(|e| {
        ApiError::validation(vec![FieldError {
            kind: "json_invalid".into(),
            loc: vec![json!("body"), json!(e.column().saturating_sub(1))],
            msg: "JSON decode error".into(),
        }])
    })?;
    from_value(value)
}

/// A parsed JSON value deserialized into `T`, with the same 422 errors as a body.
pub fn from_value<T: DeserializeOwned>(value: Value) -> ApiResult<T> {
    serde_path_to_error::deserialize(value).map_err(path_error)
}

fn path_error(e: serde_path_to_error::Error<serde_json::Error>) -> ApiError {
    let mut loc: Vec<Value> = vec![json!("body")];
    for segment in e.path().iter() {
        match segment {
            serde_path_to_error::Segment::Seq { index } => loc.push(json!(index)),
            serde_path_to_error::Segment::Map { key } => loc.push(json!(key)),
            serde_path_to_error::Segment::Enum { variant } => loc.push(json!(variant)),
            serde_path_to_error::Segment::Unknown => {}
        }
    }
    ApiError::validation(vec![describe_serde_error(&e.inner().to_string(), loc)])
}

/// Turns a serde message into a pydantic-like error type and text.
fn describe_serde_error(message: &str, mut loc: Vec<Value>) -> FieldError {
    let message = message.split(" at line ").next().unwrap_or(message);
    if let Some(rest) = message.strip_prefix("missing field `") {
        let field = rest.trim_end_matches('`');
        loc.push(json!(field));
        return FieldError { kind: "missing".into(), loc, msg: "Field required".into() };
    }
    if message.starts_with("unknown variant") {
        let expected: Vec<&str> = message
            .split("expected ")
            .nth(1)
            .unwrap_or("")
            .split('`')
            .enumerate()
            .filter(|(i, _)| i % 2 == 1)
            .map(|(_, s)| s)
            .collect();
        let quoted: Vec<String> = expected.iter().map(|s| format!("'{s}'")).collect();
        let msg = match quoted.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("Input should be {} or {last}", rest.join(", ")),
            Some((last, _)) => format!("Input should be {last}"),
            None => message.to_string(),
        };
        return FieldError { kind: "enum".into(), loc, msg };
    }
    let kind = if message.contains("expected a string") {
        "string_type"
    } else if message.contains("expected u") || message.contains("expected i") {
        "int_type"
    } else if message.contains("expected a boolean") {
        "bool_type"
    } else {
        "value_error"
    };
    FieldError { kind: kind.into(), loc, msg: message.to_string() }
}

pub type QueryMap = HashMap<String, String>;

/// An optional non-negative integer query parameter (422 `int_parsing` when not a number).
pub fn query_u64(query: &QueryMap, name: &str) -> ApiResult<Option<u64>> {
    match query.get(name) {
        None => Ok(None),
        Some(v) => v.parse().map(Some).map_err(|_| {
            ApiError::field(
                "int_parsing",
                &["query", name],
                "Input should be a valid integer, unable to parse string as an integer",
            )
        }),
    }
}

pub fn required_query<'a>(query: &'a QueryMap, name: &str) -> ApiResult<&'a str> {
    query
        .get(name)
        .map(String::as_str)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| ApiError::field("missing", &["query", name], "Field required"))
}

/// `session_id`: ≤ 256 characters of `[A-Za-z0-9_.-]`.
pub fn validate_session_id(sid: &str, loc: &[&str]) -> ApiResult<()> {
    if sid.is_empty() || sid.len() > 256 {
        return Err(ApiError::field(
            if sid.is_empty() { "string_too_short" } else { "string_too_long" },
            loc,
            "String should have between 1 and 256 characters",
        ));
    }
    if !sid.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-')) {
        return Err(ApiError::field("string_pattern_mismatch", loc, "String should match pattern '^[A-Za-z0-9_.-]+$'"));
    }
    Ok(())
}

/// Reads and discards (a bounded amount of) a refused body, so a client still sending it gets to read
/// the answer instead of a reset.
pub async fn drain(body: axum::body::Body) {
    use std::time::{Duration, Instant};
    let mut stream = body.into_data_stream();
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut read = 0u64;
    while Instant::now() < deadline && read < 256 * 1024 * 1024 {
        match tokio::time::timeout(Duration::from_secs(1), stream.next()).await {
            Ok(Some(Ok(chunk))) => read += chunk.len() as u64,
            _ => break,
        }
    }
}
