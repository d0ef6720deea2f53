//! The body shapes an error answer may have (docs/superdocs-api.md §1), read into one `ParsedBody`.

use serde_json::Value;

use super::response::first_bytes;
use super::Limits;

/// What the client could read from an error body, whatever its shape.
#[derive(Debug, Default)]
pub(super) struct ParsedBody {
    pub(super) detail: Option<String>,
    pub(super) message_user: Option<String>,
    pub(super) code: Option<String>,
    pub(super) trace_id: Option<String>,
    pub(super) suggested_action: Option<String>,
    pub(super) limits: Limits,
    pub(super) gateway: bool,
}

fn str_of(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

impl ParsedBody {
    pub(super) fn parse(body: &[u8]) -> ParsedBody {
        let json: Option<Value> = serde_json::from_slice(body).ok().filter(|v: &Value| v.is_object());
        let Some(v) = json else {
            // Shape 6: HTML proxy page, empty or truncated body. Show what there is.
            let text = String::from_utf8_lossy(body);
            let looks_html = text.trim_start().starts_with('<');
            return ParsedBody {
                detail: (!body.is_empty()).then(|| first_bytes(body)),
                gateway: looks_html || body.is_empty(),
                ..Default::default()
            };
        };
        let mut p = ParsedBody::default();
        // Shape 5: the gateway envelope; its first `errors` entry is the one to show.
        if let Some(Value::Array(errors)) = v.get("errors") {
            p.gateway = true;
            if let Some(first) = errors.first() {
                p.code = str_of(first, "code");
                p.detail = str_of(first, "message");
            }
        }
        match v.get("detail") {
            Some(Value::String(s)) => p.detail = Some(s.clone()),
            // Shape 2: 422 validation list.
            Some(Value::Array(items)) => {
                let msgs: Vec<String> = items
                    .iter()
                    .map(|it| {
                        let loc = it.get("loc").and_then(Value::as_array).map(|l| {
                            l.iter()
                                .map(|x| x.as_str().map(String::from).unwrap_or_else(|| x.to_string()))
                                .collect::<Vec<_>>()
                                .join(".")
                        });
                        let msg = str_of(it, "msg").unwrap_or_default();
                        match loc {
                            Some(l) if !l.is_empty() => format!("{l}: {msg}"),
                            _ => msg,
                        }
                    })
                    .collect();
                p.detail = Some(msgs.join("; "));
                p.code = p.code.or_else(|| items.first().and_then(|i| str_of(i, "type")));
            }
            // Shape 3: structured detail.
            Some(d @ Value::Object(_)) => p.read_structured(d),
            _ => {}
        }
        // Shape 4 (top-level structured) and the ids beside any shape.
        p.read_structured(&v);
        if p.trace_id.is_none() {
            p.trace_id = str_of(&v, "request_id").or_else(|| str_of(&v, "trace_id"));
        }
        if let Some(Value::Object(d)) = v.get("detail") {
            let d = Value::Object(d.clone());
            p.trace_id = p.trace_id.or_else(|| str_of(&d, "request_id")).or_else(|| str_of(&d, "trace_id"));
        }
        if p.code.as_deref().is_some_and(|c| c.starts_with("UPSTREAM_")) {
            p.gateway = true;
        }
        p
    }

    /// Reads the structured fields of shapes 3 and 4, keeping whatever is already known.
    fn read_structured(&mut self, d: &Value) {
        self.code = self.code.take().or_else(|| str_of(d, "error_code"));
        self.message_user = self.message_user.take().or_else(|| str_of(d, "message_user"));
        self.suggested_action = self.suggested_action.take().or_else(|| str_of(d, "suggested_action"));
        // support_event_id wins over every other id, at either level.
        if let Some(id) = str_of(d, "support_event_id") {
            self.trace_id = Some(id);
        }
        if self.detail.is_none() {
            self.detail = str_of(d, "message").or_else(|| self.message_user.clone());
        }
        let f = |k: &str| d.get(k).and_then(Value::as_f64);
        let u = |k: &str| d.get(k).and_then(Value::as_u64);
        let l = &mut self.limits;
        l.max_size_mb = l.max_size_mb.or_else(|| f("max_size_mb"));
        l.request_size_mb = l.request_size_mb.or_else(|| f("request_size_mb").or_else(|| f("size_mb")));
        l.monthly_limit = l.monthly_limit.or_else(|| u("monthly_limit"));
        l.monthly_used = l.monthly_used.or_else(|| u("monthly_used"));
        l.monthly_remaining = l.monthly_remaining.or_else(|| u("monthly_remaining"));
    }
}
