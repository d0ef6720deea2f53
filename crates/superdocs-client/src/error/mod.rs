//! The one error every layer passes up (docs/error-handling.md §4): the contract type here; how it is
//! built from an HTTP answer in `response.rs`, and the body shapes it reads in `body.rs`
//! (docs/superdocs-api.md §1).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::redact;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The stable category the UI switches on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    Auth,
    Forbidden,
    NotFound,
    Conflict,
    Validation,
    TooLarge,
    Quota,
    RateLimited,
    Timeout,
    Server,
    Network,
    Protocol,
    UnsupportedFile,
    PromptTooLong,
    Keyring,
    Cancelled,
    Internal,
    /// The request may have reached SuperDocs and been applied, and the client could not find out:
    /// sending it again could do it twice (docs/error-handling.md §3).
    UnknownOutcome,
}

/// What the UI offers as the next step (docs/error-handling.md §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SuggestedAction {
    Retry,
    SwitchModel,
    AddAsDocument,
    EmailRequest,
    SplitRequest,
    ReenterKey,
    UpgradePlan,
    WaitForJob,
    CancelJob,
    ConvertToDocx,
    ChooseSmallerFile,
    ContactSupport,
}

impl SuggestedAction {
    /// Tolerant parse of the server's `suggested_action` (it may name actions we do not know).
    pub fn from_wire(s: &str) -> Option<Self> {
        serde_json::from_value(Value::String(s.to_ascii_lowercase())).ok()
    }
}

/// Figures the server reported with the error.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct Limits {
    // Absent fields are left out of the JSON, so TypeScript sees them as optional (`?:`), not required.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional = nullable)]
    pub max_size_mb: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional = nullable)]
    pub request_size_mb: Option<f64>,
    // Counts are far below 2^53: a plain number in TypeScript, not a bigint.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(as = "Option<f64>", optional = nullable)]
    pub monthly_limit: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(as = "Option<f64>", optional = nullable)]
    pub monthly_used: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(as = "Option<f64>", optional = nullable)]
    pub monthly_remaining: Option<u64>,
}

impl Limits {
    fn is_empty(&self) -> bool {
        *self == Limits::default()
    }
}

/// What the user was doing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum OperationKind {
    KeyCheck,
    Sessions,
    History,
    Chat,
    Approve,
    Revert,
    Jobs,
    CancelJob,
    Upload,
    Attachments,
    Export,
    EmailExport,
    Download,
    Template,
    Stream,
    Keyring,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Operation {
    pub kind: OperationKind,
    /// A short human label, e.g. "Uploading report.pdf".
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}

impl Operation {
    pub fn new(kind: OperationKind, label: impl Into<String>) -> Self {
        Operation { kind, label: label.into(), session_id: None, file: None }
    }
    pub fn session(mut self, sid: impl Into<String>) -> Self {
        self.session_id = Some(sid.into());
        self
    }
    pub fn file(mut self, file: impl Into<String>) -> Self {
        self.file = Some(file.into());
        self
    }
}

/// How far a failed request got. Decides whether resending is safe (docs/error-handling.md §2); not part
/// of the serialized error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Reach {
    /// Failed in the client before any network activity (validation, local files, keyring...).
    #[default]
    Local,
    /// Nothing reached the server: connection refused, DNS, TLS handshake, reset before sending.
    NotSent,
    /// The request went out, no answer came back: the server may have acted.
    Ambiguous { timed_out: bool },
    /// The server (or a gateway) answered with a status.
    Answered,
}

/// The error of docs/error-handling.md §4.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    pub kind: ErrorKind,
    /// One sentence a person can act on.
    pub message: String,
    /// The server's own text, unmodified (but with any API key redacted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trace_id: Option<String>,
    /// The `X-Request-ID` the client sent (or generated, for local failures). Always present.
    pub request_id: String,
    pub retryable: bool,
    pub attempts: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(type = "number | null")]
    pub retry_after_ms: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suggested_action: Option<SuggestedAction>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limits: Option<Limits>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<Operation>,
    #[ts(type = "string")]
    pub at: DateTime<Utc>,
    #[serde(skip)]
    #[ts(skip)]
    pub reach: Reach,
    /// The failure looked like a gateway (envelope, HTML page, UPSTREAM_* code) rather than the API.
    #[serde(skip)]
    #[ts(skip)]
    pub from_gateway: bool,
}

/// A fresh id for `X-Request-ID` (and for local failures, so `request_id` is never empty).
pub fn new_request_id() -> String {
    format!("cli_{:032x}", rand::random::<u128>())
}

impl Error {
    /// An error that happened in the client itself.
    pub fn local(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            detail: None,
            status: None,
            code: None,
            trace_id: None,
            request_id: new_request_id(),
            retryable: false,
            attempts: 0,
            retry_after_ms: None,
            suggested_action: None,
            limits: None,
            operation: None,
            at: Utc::now(),
            reach: Reach::Local,
            from_gateway: false,
        }
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Error::local(ErrorKind::Internal, message).with_action(SuggestedAction::ContactSupport)
    }

    /// The operation may have been applied and whether it was is unknown: `last` is the failure that
    /// left it open, `looking` (if any) why checking was not possible. Carries the ids to check with.
    pub fn unknown_outcome(last: &Error, op: &Operation, looking: Option<&Error>) -> Self {
        let mut ids = Vec::new();
        if let Some(sid) = &op.session_id {
            ids.push(format!("session {sid}"));
        }
        if let Some(file) = &op.file {
            ids.push(format!("file {file}"));
        }
        ids.push(format!("request {}", last.request_id));
        let mut e = Error::local(
            ErrorKind::UnknownOutcome,
            format!(
                "SuperDocs may have received this ({}); check before sending it again ({}).",
                op.label.to_lowercase(),
                ids.join(", ")
            ),
        )
        .with_request_id(&last.request_id);
        let mut detail = format!("The last attempt: {}", last.detail.as_deref().unwrap_or(&last.message));
        if let Some(l) = looking {
            detail.push_str(&format!(
                ". Checking whether it arrived failed: {}",
                l.detail.as_deref().unwrap_or(&l.message)
            ));
        }
        e.detail = Some(redact::text(&detail));
        e.trace_id = last.trace_id.clone().or_else(|| looking.and_then(|l| l.trace_id.clone()));
        e.status = last.status;
        e.attempts = last.attempts;
        e.operation = Some(op.clone());
        e.reach = last.reach;
        e
    }

    pub fn cancelled() -> Self {
        Error::local(ErrorKind::Cancelled, "The operation was cancelled.")
    }

    pub fn with_action(mut self, action: SuggestedAction) -> Self {
        self.suggested_action = Some(action);
        self
    }
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(redact::text(&detail.into()));
        self
    }
    pub fn with_operation(mut self, op: &Operation) -> Self {
        self.operation = Some(op.clone());
        self
    }
    pub fn with_request_id(mut self, id: &str) -> Self {
        self.request_id = id.to_string();
        self
    }
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = Some(limits);
        self
    }
}

mod body;
mod response;

pub use response::{first_bytes, parse_retry_after};

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
    use serde_json::json;

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(HeaderName::from_bytes(k.as_bytes()).unwrap(), HeaderValue::from_str(v).unwrap());
        }
        h
    }

    fn build(status: u16, h: &[(&str, &str)], body: Value) -> Error {
        Error::from_response(status, &headers(h), body.to_string().as_bytes(), "cli_mine")
    }

    #[test]
    fn shape1_string_detail_with_sim_trace_id() {
        let e = build(404, &[("x-request-id", "req_hdr")], json!({"detail": "Job not found", "trace_id": "tr_1"}));
        assert_eq!(e.kind, ErrorKind::NotFound);
        assert_eq!(e.detail.as_deref(), Some("Job not found"));
        assert_eq!(e.trace_id.as_deref(), Some("tr_1"), "body trace_id beats the header");
        assert_eq!(e.request_id, "cli_mine");
        assert!(!e.retryable);
    }

    #[test]
    fn shape2_validation_list() {
        let e = build(
            422,
            &[],
            json!({"detail": [{"type": "enum", "loc": ["body", "format"], "msg": "Input should be 'docx' or 'pdf'"}]}),
        );
        assert_eq!(e.kind, ErrorKind::Validation);
        assert_eq!(e.code.as_deref(), Some("enum"));
        assert_eq!(e.detail.as_deref(), Some("body.format: Input should be 'docx' or 'pdf'"));
        assert!(e.trace_id.is_none());
    }

    #[test]
    fn shape3_structured_detail_export_cap() {
        let e = build(
            413,
            &[],
            json!({"detail": {"error_code": "document_too_large", "message_user": "Your export is over 100 MB.",
                "suggested_action": "email_request", "max_size_mb": 100, "support_event_id": "evt_9"}}),
        );
        assert_eq!(e.kind, ErrorKind::TooLarge);
        assert_eq!(e.code.as_deref(), Some("document_too_large"));
        assert_eq!(e.message, "Your export is over 100 MB.");
        assert_eq!(e.suggested_action, Some(SuggestedAction::EmailRequest));
        assert_eq!(e.trace_id.as_deref(), Some("evt_9"));
        assert_eq!(e.limits.unwrap().max_size_mb, Some(100.0));
    }

    #[test]
    fn shape4_top_level_transport_cap() {
        let e = build(
            413,
            &[("x-request-id", "req_h")],
            json!({"detail": "Request body too large", "error_code": "request_too_large", "message_user": "This request is 40 MB; the limit is 32 MB.",
                "request_size_mb": 40.5, "max_size_mb": 32, "suggested_action": "split_request", "contact_email": "hello@superdocs.app",
                "support_event_id": "evt_top", "trace_id": "tr_x"}),
        );
        assert_eq!(e.kind, ErrorKind::TooLarge);
        assert_eq!(e.code.as_deref(), Some("request_too_large"));
        assert_eq!(e.detail.as_deref(), Some("Request body too large"));
        assert_eq!(e.message, "This request is 40 MB; the limit is 32 MB.");
        assert_eq!(e.trace_id.as_deref(), Some("evt_top"), "support_event_id comes first");
        assert_eq!(e.suggested_action, Some(SuggestedAction::SplitRequest));
        let l = e.limits.unwrap();
        assert_eq!((l.request_size_mb, l.max_size_mb), (Some(40.5), Some(32.0)));
    }

    #[test]
    fn shape5_gateway_envelope_first_error_wins() {
        let e = build(
            502,
            &[],
            json!({"request_id": "gw_1", "status": "error", "answer": "", "sources": [], "usage": {},
                "errors": [{"code": "UPSTREAM_ERROR", "message": "upstream unhealthy"}, {"code": "OTHER", "message": "x"}], "upstream": {}}),
        );
        assert_eq!(e.kind, ErrorKind::Server);
        assert_eq!(e.code.as_deref(), Some("UPSTREAM_ERROR"));
        assert_eq!(e.detail.as_deref(), Some("upstream unhealthy"));
        assert_eq!(e.trace_id.as_deref(), Some("gw_1"));
        assert!(e.from_gateway && e.retryable);
    }

    #[test]
    fn shape6_html_empty_truncated() {
        let h = Error::from_response(
            502,
            &headers(&[("x-trace-id", "tr_h")]),
            b"<html><body>Bad Gateway</body></html>",
            "cli_a",
        );
        assert_eq!(h.kind, ErrorKind::Server);
        assert!(h.detail.unwrap().contains("Bad Gateway"));
        assert_eq!(h.trace_id.as_deref(), Some("tr_h"));
        assert!(!h.message.is_empty());

        let empty = Error::from_response(503, &HeaderMap::new(), b"", "cli_b");
        assert_eq!(empty.kind, ErrorKind::Server);
        assert_eq!(empty.trace_id, None, "no id from the server: the UI falls back to request_id");
        assert_eq!(empty.request_id, "cli_b");

        let cut = Error::from_response(500, &HeaderMap::new(), br#"{"detail": "Internal ser"#, "cli_c");
        assert_eq!(cut.kind, ErrorKind::Server);
        assert!(cut.detail.unwrap().starts_with("{\"detail\""));
    }

    #[test]
    fn html_504_is_a_gateway_timeout_but_plain_504_is_the_chat_cap() {
        let gw = Error::from_response(504, &HeaderMap::new(), b"<html>Gateway Timeout</html>", "c");
        assert!(gw.from_gateway && !gw.is_chat_cap());
        assert_eq!(gw.suggested_action, Some(SuggestedAction::Retry));
        let cap =
            build(504, &[], json!({"detail": "The turn ran past 30 minutes. Split the work into smaller requests."}));
        assert!(cap.is_chat_cap());
        assert_eq!(cap.kind, ErrorKind::Timeout);
        assert_eq!(cap.suggested_action, Some(SuggestedAction::SplitRequest));
        let up = build(504, &[], json!({"errors": [{"code": "UPSTREAM_TIMEOUT", "message": "timeout"}]}));
        assert!(!up.is_chat_cap());
    }

    #[test]
    fn quota_429_versus_rate_limit_429() {
        let quota = build(
            429,
            &[("x-usage-limit", "500"), ("x-usage-used", "500"), ("x-usage-remaining", "0")],
            json!({"detail": "Monthly operation limit (500) reached. Upgrade your plan for more operations."}),
        );
        assert_eq!(quota.kind, ErrorKind::Quota);
        assert_eq!(quota.suggested_action, Some(SuggestedAction::UpgradePlan));
        assert!(!quota.retryable);
        let l = quota.limits.unwrap();
        assert_eq!((l.monthly_limit, l.monthly_used, l.monthly_remaining), (Some(500), Some(500), Some(0)));

        let rate =
            build(429, &[("retry-after", "3")], json!({"errors": [{"code": "RATE_LIMITED", "message": "slow down"}]}));
        assert_eq!(rate.kind, ErrorKind::RateLimited);
        assert_eq!(rate.retry_after_ms, Some(3000));
        assert!(rate.retryable);
        assert_eq!(rate.suggested_action, Some(SuggestedAction::Retry));

        let bare = build(429, &[], json!({"detail": "Too many operations"}));
        assert_eq!(bare.kind, ErrorKind::Quota, "a 429 without a rate-limit mark is the API's quota answer");
        let ra = build(429, &[("retry-after", "2")], json!({"detail": "slow down"}));
        assert_eq!(ra.kind, ErrorKind::RateLimited);

        let over = build(402, &[], json!({"errors": [{"code": "OVER_QUOTA", "message": "plan ceiling"}]}));
        assert_eq!(over.kind, ErrorKind::Quota);
        assert!(!over.retryable);
    }

    #[test]
    fn auth_conflict_doc_and_message_user() {
        let a = build(401, &[], json!({"detail": "Invalid API key"}));
        assert_eq!((a.kind, a.suggested_action), (ErrorKind::Auth, Some(SuggestedAction::ReenterKey)));
        let c = build(
            409,
            &[],
            json!({"detail": "Cannot revert while a chat job is running for this session. Wait for it to complete or cancel it first."}),
        );
        assert_eq!((c.kind, c.suggested_action), (ErrorKind::Conflict, Some(SuggestedAction::WaitForJob)));
        let d = build(
            400,
            &[],
            json!({"detail": "Legacy .doc files are not supported. Please convert to .docx format and try again."}),
        );
        assert_eq!((d.kind, d.suggested_action), (ErrorKind::UnsupportedFile, Some(SuggestedAction::ConvertToDocx)));
    }

    #[test]
    fn keys_in_bodies_are_redacted() {
        let e = build(400, &[], json!({"detail": "bad key sk_0123456789abcdef0123456789abcdef in request"}));
        let s = serde_json::to_string(&e).unwrap();
        assert!(!s.contains("0123456789abcdef0123456789abcdef"), "{s}");
        assert!(s.contains("sk_…cdef"));
    }

    #[test]
    fn serializes_snake_case_and_round_trips() {
        let e = build(429, &[("x-usage-remaining", "0")], json!({"detail": "Monthly operation limit (500) reached."}));
        let v = serde_json::to_value(&e).unwrap();
        assert_eq!(v["kind"], "quota");
        assert_eq!(v["suggested_action"], "upgrade_plan");
        assert_eq!(v["request_id"], "cli_mine");
        assert!(v["at"].as_str().unwrap().ends_with('Z'));
        let back: Error = serde_json::from_value(v).unwrap();
        assert_eq!(back.kind, ErrorKind::Quota);
    }

    #[test]
    fn the_ui_type_declaration_has_every_field_in_snake_case() {
        let cfg = ts_rs::Config::default();
        let decl = <Error as TS>::decl(&cfg);
        for field in [
            "kind: ErrorKind",
            "request_id: string",
            "trace_id?:",
            "suggested_action?:",
            "at: string",
            "retry_after_ms?:",
        ] {
            assert!(decl.contains(field), "{field} missing in {decl}");
        }
        assert!(!decl.contains("reach") && !decl.contains("from_gateway"), "internal fields stay out: {decl}");
        assert!(<ErrorKind as TS>::decl(&cfg).contains("\"rate_limited\""));
    }

    #[test]
    fn retry_after_seconds_and_http_date() {
        let now = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
        assert_eq!(parse_retry_after("7", now), Some(7000));
        let later = httpdate::fmt_http_date(now + std::time::Duration::from_secs(90));
        assert_eq!(parse_retry_after(&later, now), Some(90_000));
        assert_eq!(parse_retry_after("soon", now), None);
    }
}
