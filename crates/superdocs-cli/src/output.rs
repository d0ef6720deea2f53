//! Printing: JSON on stdout with `--json`, text for people otherwise; errors on stderr.

use serde::Serialize;
use superdocs_client::Error;

/// Prints `value` as JSON (machine mode) or runs `human` (people mode).
pub fn emit<T: Serialize>(json: bool, value: &T, human: impl FnOnce(&T)) {
    if json {
        println!("{}", serde_json::to_string_pretty(value).expect("output serializes"));
    } else {
        human(value);
    }
}

/// The error: the whole object as one JSON line on stderr, or a readable block.
pub fn error(json: bool, e: &Error) {
    if json {
        eprintln!("{}", serde_json::to_string(e).expect("errors serialize"));
        return;
    }
    eprintln!("error: {}", e.message);
    if let Some(d) = &e.detail {
        eprintln!("  detail: {d}");
    }
    if let Some(a) = e.suggested_action {
        eprintln!(
            "  what to do: {}",
            serde_json::to_value(a).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
        );
    }
    match &e.trace_id {
        Some(t) => eprintln!("  trace id: {t} (quote it to support: hello@superdocs.app)"),
        None => eprintln!("  request id: {}", e.request_id),
    }
}

/// Shortens one line of text for a table cell.
pub fn clip(s: &str, n: usize) -> String {
    let one_line = s.replace(['\n', '\r'], " ");
    if one_line.chars().count() <= n {
        one_line
    } else {
        format!("{}…", one_line.chars().take(n.saturating_sub(1)).collect::<String>())
    }
}
