//! Error responses in the contract's shapes (docs/superdocs-api.md §1), each with the request's trace id.
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

use crate::request_context::current_request_id;

pub const CONTACT_EMAIL: &str = "hello@superdocs.app";
pub const MSG_EMPTY: &str = "Message cannot be empty. Please provide a text message.";
pub const MSG_LEGACY_DOC: &str = "Legacy .doc files are not supported. Please convert to .docx format and try again.";
pub const MSG_BAD_AUTH_HEADER: &str = "Invalid authorization header format. Expected 'Bearer <api_key>'";
pub const MSG_INVALID_KEY: &str = "Invalid API key";
pub const MSG_JOB_NOT_FOUND: &str = "Job not found";
pub const MSG_REVERT_RUNNING: &str =
    "Cannot revert while a chat job is running for this session. Wait for it to complete or cancel it first.";
pub const MSG_REVERT_PREDATES: &str =
    "This message predates the revertability feature and cannot be reverted. Start a new chat to use revert.";
pub const MSG_CHAT_TIMEOUT: &str = "⏱️ Your request ran past my 30-minute cap and I had to wrap up. For very large documents, try splitting the task into multiple smaller turns — e.g. one section at a time. Your prompt is still in your history above; you can revise it and re-send.";
pub const MSG_FORBIDDEN: &str = "You do not have access to this resource";

/// One entry of a FastAPI 422 body.
#[derive(Debug, Clone)]
pub struct FieldError {
    pub kind: String,
    pub loc: Vec<Value>,
    pub msg: String,
}

impl FieldError {
    pub fn new(kind: &str, loc: &[&str], msg: impl Into<String>) -> Self {
        Self { kind: kind.into(), loc: loc.iter().map(|s| json!(s)).collect(), msg: msg.into() }
    }
}

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    body: Body,
    headers: Vec<(HeaderName, HeaderValue)>,
}

#[derive(Debug)]
enum Body {
    /// Shape 1 (`detail` is a string), 2 (a list) or 3 (an object): `trace_id` is added beside it,
    /// except that shape 3 carries `support_event_id` inside `detail` instead.
    Detail(Value),
    /// Shape 4: top-level fields with their own `support_event_id`.
    TopLevel(Value),
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn detail(status: StatusCode, text: impl Into<String>) -> Self {
        Self { status, body: Body::Detail(Value::String(text.into())), headers: Vec::new() }
    }
    pub fn bad_request(text: impl Into<String>) -> Self {
        Self::detail(StatusCode::BAD_REQUEST, text)
    }
    pub fn not_found(text: impl Into<String>) -> Self {
        Self::detail(StatusCode::NOT_FOUND, text)
    }
    pub fn job_not_found() -> Self {
        Self::not_found(MSG_JOB_NOT_FOUND)
    }
    pub fn forbidden() -> Self {
        Self::detail(StatusCode::FORBIDDEN, MSG_FORBIDDEN)
    }
    pub fn conflict(text: impl Into<String>) -> Self {
        Self::detail(StatusCode::CONFLICT, text)
    }
    pub fn unauthorized(text: &str) -> Self {
        Self::detail(StatusCode::UNAUTHORIZED, text)
    }

    /// Shape 2: the FastAPI validation list.
    pub fn validation(errors: Vec<FieldError>) -> Self {
        let list: Vec<Value> =
            errors.into_iter().map(|e| json!({ "type": e.kind, "loc": e.loc, "msg": e.msg })).collect();
        Self { status: StatusCode::UNPROCESSABLE_ENTITY, body: Body::Detail(Value::Array(list)), headers: Vec::new() }
    }
    pub fn field(kind: &str, loc: &[&str], msg: impl Into<String>) -> Self {
        Self::validation(vec![FieldError::new(kind, loc, msg)])
    }

    /// Shape 4: the request body passed the transport cap.
    pub fn request_too_large(request_bytes: u64, cap_bytes: u64) -> Self {
        let max_mb = mb(cap_bytes);
        let body = json!({
            "detail": "Request body too large",
            "error_code": "request_too_large",
            "message_user": format!("Your request is too large. The current limit is {} MB.", fmt_mb(max_mb)),
            "request_size_mb": round1(mb(request_bytes)),
            "max_size_mb": json_mb(max_mb),
            "suggested_action": "split_request",
            "contact_email": CONTACT_EMAIL,
            "support_event_id": current_request_id(),
        });
        Self { status: StatusCode::PAYLOAD_TOO_LARGE, body: Body::TopLevel(body), headers: Vec::new() }
    }

    /// Shape 3: a rendered export passed the export cap.
    pub fn document_too_large(document_bytes: u64, cap_bytes: u64, format: &str) -> Self {
        let (size, max) = (round1(mb(document_bytes)), mb(cap_bytes));
        let detail = json!({
            "error_code": "document_too_large",
            "message_user": format!(
                "This document is {size:.1} MB, which exceeds the {} MB export limit for the chosen format. Email {CONTACT_EMAIL} or use the in-app 'Email me a copy' button — we'll send you the rendered file within 24 hours.",
                fmt_mb(max)
            ),
            "suggested_action": "email_request",
            "contact_email": CONTACT_EMAIL,
            "document_size_mb": size,
            "max_size_mb": json_mb(max),
            "format": format,
            "support_event_id": current_request_id(),
        });
        Self { status: StatusCode::PAYLOAD_TOO_LARGE, body: Body::Detail(detail), headers: Vec::new() }
    }

    /// A direct upload over the per-file cap (sim decides the text; shape 1).
    pub fn file_too_large(cap_bytes: u64) -> Self {
        Self::detail(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("File too large. The maximum size is {} MB.", fmt_mb(mb(cap_bytes))),
        )
    }

    pub fn quota_exhausted(used: u64, limit: u64) -> Self {
        Self::detail(
            StatusCode::TOO_MANY_REQUESTS,
            format!("Monthly operation limit ({limit}) reached. Upgrade your plan for more operations."),
        )
        .with_usage_headers(limit, used)
    }

    /// The human text of the error (the `detail` string, or the body as JSON).
    pub fn detail_text(&self) -> String {
        match &self.body {
            Body::Detail(Value::String(s)) => s.clone(),
            Body::Detail(v) | Body::TopLevel(v) => v.to_string(),
        }
    }

    pub fn with_usage_headers(mut self, limit: u64, used: u64) -> Self {
        self.headers.extend(usage_headers(limit, used));
        self
    }
}

pub fn usage_headers(limit: u64, used: u64) -> Vec<(HeaderName, HeaderValue)> {
    let n = |v: u64| HeaderValue::from_str(&v.to_string()).unwrap();
    vec![
        (HeaderName::from_static("x-usage-limit"), n(limit)),
        (HeaderName::from_static("x-usage-used"), n(used)),
        (HeaderName::from_static("x-usage-remaining"), n(limit.saturating_sub(used))),
    ]
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}
fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}
/// Whole numbers print without a fraction (32, not 32.0).
fn fmt_mb(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{}", v as u64)
    } else {
        format!("{:.2}", v)
    }
}
fn json_mb(v: f64) -> Value {
    if v.fract() == 0.0 {
        json!(v as u64)
    } else {
        json!((v * 100.0).round() / 100.0)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = match self.body {
            Body::Detail(detail) => json!({ "detail": detail, "trace_id": current_request_id() }),
            Body::TopLevel(value) => value,
        };
        let mut response = (self.status, axum::Json(body)).into_response();
        for (name, value) in self.headers {
            response.headers_mut().insert(name, value);
        }
        response
    }
}
