//! Fault injection: rules matched per method + path that replace, delay or break the next N calls.
use serde::{Deserialize, Serialize};
use std::sync::Mutex;

use crate::glob::glob_match;

/// One fault rule. Over HTTP (`POST /__sim/faults`) the same fields are JSON, e.g.
/// `{"method": "POST", "path": "/v1/chat/async", "times": 2, "action": {"respond": {"status": 502, "body": "html"}}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct FaultRule {
    /// HTTP method (any case); None matches every method.
    pub method: Option<String>,
    /// Path glob (`*` = any run of characters); the query string is not part of the path.
    pub path: String,
    /// How many matching calls the rule fires on (after `skip`); 0 = every matching call until cleared.
    pub times: u32,
    /// Matching calls let through untouched before the rule starts firing.
    pub skip: u32,
    pub action: FaultAction,
    /// Wait this long before acting (works with every action).
    pub delay_ms: u64,
    /// Adds a `Retry-After` header with this value to the response.
    pub retry_after: Option<String>,
}

impl Default for FaultRule {
    fn default() -> Self {
        Self {
            method: None,
            path: String::new(),
            times: 1,
            skip: 0,
            action: FaultAction::DelayOnly,
            delay_ms: 0,
            retry_after: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultAction {
    /// Answer with this status and body instead of handling the request.
    Respond { status: u16, body: FaultBody },
    /// Drop the connection; the request is not acted on.
    ResetBeforeHandling,
    /// Handle the request (the server acts), then drop the connection before the response.
    ResetAfterHandling,
    /// Send the response headers and this many body bytes, then drop the connection.
    ResetAfterBytes(u64),
    /// Let an SSE stream send this many events, then drop the connection.
    CutSseAfterEvents(u32),
    /// Only the `delay_ms` (and `retry_after`) of the rule.
    DelayOnly,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultBody {
    /// `{"detail": "..."}` (shape 1).
    Detail(String),
    /// The gateway envelope (shape 5) with one error.
    Gateway {
        code: String,
        message: String,
    },
    /// An HTML error page from a proxy.
    Html,
    Empty,
    /// JSON cut short.
    Truncated,
    Json(serde_json::Value),
}

impl FaultBody {
    /// Content type and bytes of the body.
    pub(crate) fn render(&self, status: u16, request_id: &str) -> (Option<&'static str>, Vec<u8>) {
        const JSON: Option<&str> = Some("application/json");
        match self {
            Self::Detail(text) => (JSON, serde_json::json!({ "detail": text }).to_string().into_bytes()),
            Self::Gateway { code, message } => {
                let body = serde_json::json!({
                    "request_id": request_id,
                    "status": "error",
                    "answer": "",
                    "sources": [],
                    "usage": { "tokens_in": 0, "tokens_out": 0, "latency_ms": 12 },
                    "errors": [{ "code": code, "message": message }],
                    "upstream": {},
                });
                (JSON, body.to_string().into_bytes())
            }
            Self::Html => {
                let reason =
                    axum::http::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()).unwrap_or("Error");
                let page = format!(
                    "<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n<center><h1>{status} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
                );
                (Some("text/html"), page.into_bytes())
            }
            Self::Empty => (None, Vec::new()),
            Self::Truncated => (JSON, br#"{"detail": "Internal server err"#.to_vec()),
            Self::Json(value) => (JSON, value.to_string().into_bytes()),
        }
    }
}

struct ActiveRule {
    rule: FaultRule,
    seen: u32,
    fired: u32,
}

impl ActiveRule {
    fn exhausted(&self) -> bool {
        self.rule.times != 0 && self.fired >= self.rule.times
    }
}

/// The installed rules, first match wins.
#[derive(Default)]
pub(crate) struct FaultSet {
    rules: Mutex<Vec<ActiveRule>>,
}

impl FaultSet {
    pub fn add(&self, rule: FaultRule) {
        self.rules.lock().unwrap().push(ActiveRule { rule, seen: 0, fired: 0 });
    }

    pub fn clear(&self) {
        self.rules.lock().unwrap().clear();
    }

    pub fn list(&self) -> Vec<FaultRule> {
        self.rules.lock().unwrap().iter().filter(|r| !r.exhausted()).map(|r| r.rule.clone()).collect()
    }

    /// The rule that fires on this call, if any (counting the call against every matching rule's skip).
    pub fn take(&self, method: &str, path: &str) -> Option<FaultRule> {
        let mut rules = self.rules.lock().unwrap();
        let mut fired = None;
        for active in rules.iter_mut() {
            if active.exhausted() {
                continue;
            }
            let method_ok = active.rule.method.as_deref().map_or(true, |m| m.eq_ignore_ascii_case(method));
            if !method_ok || !glob_match(&active.rule.path, path) {
                continue;
            }
            active.seen += 1;
            if active.seen <= active.rule.skip {
                continue;
            }
            active.fired += 1;
            fired = Some(active.rule.clone());
            break;
        }
        rules.retain(|r| !r.exhausted());
        fired
    }
}
