//! Building the `Error` from what HTTP gave: a transport failure, an unreadable 2xx, a non-2xx answer
//! (its status, headers and body; docs/error-handling.md §2).

use reqwest::header::HeaderMap;

use super::body::ParsedBody;
use super::*;
use crate::redact;

impl Error {
    /// A transport failure (no HTTP status).
    pub fn transport(err: &reqwest::Error, reach: Reach, request_id: &str) -> Self {
        let text = redact::text(&error_chain(err));
        let (kind, message) = if err.is_timeout() {
            (ErrorKind::Timeout, "The service did not answer in time. Check your connection and try again.")
        } else {
            (ErrorKind::Network, "Could not reach SuperDocs. Check your internet connection and try again.")
        };
        let mut e = Error::local(kind, message).with_detail(text).with_request_id(request_id);
        e.reach = reach;
        e.retryable = true;
        e.suggested_action = Some(SuggestedAction::Retry);
        e
    }

    /// A 2xx the client cannot read: not JSON, truncated, or the wrong content type.
    pub fn protocol(status: u16, what: &str, body: &[u8], request_id: &str) -> Self {
        let mut e = Error::local(
            ErrorKind::Protocol,
            "The service sent an answer this app cannot read. Try again later, or contact support with the request id.",
        )
        .with_detail(format!("HTTP {status}: {what}; body starts: {}", first_bytes(body)))
        .with_request_id(request_id)
        .with_action(SuggestedAction::ContactSupport);
        e.status = Some(status);
        e.reach = Reach::Answered;
        e
    }

    /// Builds the error for a non-2xx answer from any of the body shapes of docs/superdocs-api.md §1.
    pub fn from_response(status: u16, headers: &HeaderMap, body: &[u8], request_id: &str) -> Self {
        let parsed = ParsedBody::parse(body);
        let mut e = Error::local(ErrorKind::Server, String::new()).with_request_id(request_id);
        e.status = Some(status);
        e.reach = Reach::Answered;
        e.detail = parsed.detail.as_deref().map(redact::text);
        e.code = parsed.code.clone();
        e.from_gateway = parsed.gateway;
        e.trace_id = parsed
            .trace_id
            .clone()
            .or_else(|| header(headers, "x-request-id"))
            .or_else(|| header(headers, "x-trace-id"));
        e.retry_after_ms =
            header(headers, "retry-after").and_then(|v| parse_retry_after(&v, std::time::SystemTime::now()));
        let mut limits = parsed.limits.clone();
        limits.monthly_limit = limits.monthly_limit.or_else(|| header_u64(headers, "x-usage-limit"));
        limits.monthly_used = limits.monthly_used.or_else(|| header_u64(headers, "x-usage-used"));
        limits.monthly_remaining = limits.monthly_remaining.or_else(|| header_u64(headers, "x-usage-remaining"));
        let code_lc = e.code.as_deref().unwrap_or("").to_ascii_lowercase();
        let detail_lc = e.detail.as_deref().unwrap_or("").to_ascii_lowercase();
        let server_action = parsed.suggested_action.as_deref().and_then(SuggestedAction::from_wire);

        let (kind, action, fallback): (ErrorKind, Option<SuggestedAction>, String) = match status {
            400 if detail_lc.contains(".doc ") || detail_lc.contains("legacy .doc") => (
                ErrorKind::UnsupportedFile,
                Some(SuggestedAction::ConvertToDocx),
                "Legacy .doc files are not supported. Convert the file to .docx and try again.".into(),
            ),
            400 => (ErrorKind::Validation, None, "The service refused the request as invalid. Check what you entered and try again.".into()),
            401 => (
                ErrorKind::Auth,
                Some(SuggestedAction::ReenterKey),
                "Your API key was not accepted. Open the key settings and enter a valid key.".into(),
            ),
            402 => (
                ErrorKind::Quota,
                Some(SuggestedAction::UpgradePlan),
                "Your plan's limit is reached. Upgrade your plan to continue.".into(),
            ),
            403 => (ErrorKind::Forbidden, None, "This item belongs to another account; you cannot open it with this key.".into()),
            404 => (ErrorKind::NotFound, None, "The item was not found; it may have expired or been removed.".into()),
            409 => (
                ErrorKind::Conflict,
                Some(SuggestedAction::WaitForJob),
                "A chat job is still running on this session. Wait for it to finish or cancel it, then try again.".into(),
            ),
            413 if code_lc == "document_too_large" => (
                ErrorKind::TooLarge,
                Some(SuggestedAction::EmailRequest),
                "The exported file is over the size limit; it can be sent to you as an e-mailed link instead.".into(),
            ),
            413 => (
                ErrorKind::TooLarge,
                Some(SuggestedAction::SplitRequest),
                "The request is too large for the service. Split it into smaller parts and try again.".into(),
            ),
            422 => (ErrorKind::Validation, None, "The service could not accept these values. Check them and try again.".into()),
            429 => {
                // The API's own 429 is the monthly quota; only a gateway's RATE_LIMITED or a
                // Retry-After marks a request-rate limit. Quota markers win over both.
                let quota_marked = limits.monthly_remaining == Some(0)
                    || detail_lc.contains("monthly operation limit")
                    || code_lc == "quota_exceeded"
                    || code_lc == "over_quota";
                let rate_marked = code_lc == "rate_limited" || e.retry_after_ms.is_some();
                if quota_marked || !rate_marked {
                    (
                        ErrorKind::Quota,
                        Some(SuggestedAction::UpgradePlan),
                        "Your monthly operation limit is used up. Upgrade your plan or wait for the monthly reset.".into(),
                    )
                } else {
                    (
                        ErrorKind::RateLimited,
                        Some(SuggestedAction::Retry),
                        "Too many requests right now. Wait a moment and try again.".into(),
                    )
                }
            }
            500 => (
                ErrorKind::Server,
                Some(SuggestedAction::Retry),
                "SuperDocs had an unexpected error. Try again; if it keeps happening, contact support with the trace id.".into(),
            ),
            502 | 503 => (
                ErrorKind::Server,
                Some(SuggestedAction::Retry),
                "SuperDocs is temporarily unavailable. Try again in a moment.".into(),
            ),
            504 => (
                ErrorKind::Timeout,
                Some(if e.from_gateway { SuggestedAction::Retry } else { SuggestedAction::SplitRequest }),
                if e.from_gateway {
                    "The service took too long to answer. Try again in a moment.".into()
                } else {
                    "The request ran past the service's time limit. Split the work into smaller requests.".into()
                },
            ),
            s if (400..500).contains(&s) => (ErrorKind::Validation, None, "The service refused the request. Check it and try again.".into()),
            _ => (ErrorKind::Server, Some(SuggestedAction::Retry), "SuperDocs had an unexpected error. Try again later.".into()),
        };
        e.kind = kind;
        // Our own reading of a quota or a chat cap wins over a generic server hint; otherwise the
        // server's suggestion is the more specific one.
        e.suggested_action = match (kind, server_action) {
            (ErrorKind::Quota, _) => action,
            (_, Some(s)) => Some(s),
            (_, None) => action,
        };
        e.retryable = matches!(kind, ErrorKind::RateLimited | ErrorKind::Server | ErrorKind::Network)
            || (kind == ErrorKind::Timeout && e.from_gateway);
        if !limits.is_empty() {
            e.limits = Some(limits);
        }
        e.message = parsed.message_user.map(|m| redact::text(&m)).unwrap_or(fallback);
        e
    }

    /// Re-reads a 504 as the chat turn's 30-minute cap (never retried) unless a gateway sent it.
    pub(crate) fn is_chat_cap(&self) -> bool {
        self.status == Some(504) && !self.from_gateway
    }
}

fn error_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut s = err.to_string();
    let mut src = err.source();
    while let Some(e) = src {
        s.push_str(": ");
        s.push_str(&e.to_string());
        src = e.source();
    }
    s
}

/// The first bytes of a body, printable and redacted, for a protocol error.
pub fn first_bytes(body: &[u8]) -> String {
    let n = body.len().min(200);
    let s = String::from_utf8_lossy(&body[..n]).replace(['\n', '\r'], " ");
    let s = redact::text(&s);
    if body.is_empty() {
        "(empty)".into()
    } else if body.len() > n {
        format!("{s}…")
    } else {
        s
    }
}

fn header(h: &HeaderMap, name: &str) -> Option<String> {
    h.get(name).and_then(|v| v.to_str().ok()).map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

fn header_u64(h: &HeaderMap, name: &str) -> Option<u64> {
    header(h, name).and_then(|v| v.parse().ok())
}

/// `Retry-After` as seconds or an HTTP date, in milliseconds from `now`.
pub fn parse_retry_after(v: &str, now: std::time::SystemTime) -> Option<u64> {
    let v = v.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(secs.saturating_mul(1000));
    }
    let when = httpdate::parse_http_date(v).ok()?;
    Some(when.duration_since(now).map(|d| d.as_millis() as u64).unwrap_or(0))
}
