//! Keeps API keys out of everything the client echoes: URLs (including an `api_key=` query), header
//! values, bodies, error details, log lines. A key `sk_<32 hex>` is shown as `sk_…1a2b`.

/// The masked form of a key: `sk_…` and its last four characters.
pub fn mask_key(key: &str) -> String {
    let tail: String = key.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
    format!("sk_…{tail}")
}

/// Replaces every `sk_` token (`sk_` followed by hex/alphanumerics) in `s` with its mask, and the
/// value of any `api_key=` query parameter, whatever it looks like.
pub fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    loop {
        let key_at = find_key(rest);
        let query_at = find_query_key(rest);
        let next = match (key_at, query_at) {
            (None, None) => break,
            (Some(k), None) => Hit::Key(k),
            (None, Some(q)) => Hit::Query(q),
            (Some(k), Some(q)) => {
                if q.0 < k.0 {
                    Hit::Query(q)
                } else {
                    Hit::Key(k)
                }
            }
        };
        match next {
            Hit::Key((start, end)) => {
                out.push_str(&rest[..start]);
                out.push_str(&mask_key(&rest[start..end]));
                rest = &rest[end..];
            }
            Hit::Query((start, end)) => {
                out.push_str(&rest[..start]);
                let value = &rest[start..end];
                if value.starts_with("sk_") {
                    out.push_str(&mask_key(value));
                } else if !value.is_empty() {
                    out.push_str("…redacted");
                }
                rest = &rest[end..];
            }
        }
    }
    out.push_str(rest);
    out
}

enum Hit {
    Key((usize, usize)),
    Query((usize, usize)),
}

/// The first `sk_` token of at least 8 key characters, as a byte range.
fn find_key(s: &str) -> Option<(usize, usize)> {
    let bytes = s.as_bytes();
    let mut from = 0;
    while let Some(i) = s[from..].find("sk_") {
        let start = from + i;
        // A word boundary before, so "task_abc" is left alone.
        let boundary = start == 0 || !bytes[start - 1].is_ascii_alphanumeric();
        let mut end = start + 3;
        while end < bytes.len() && bytes[end].is_ascii_alphanumeric() {
            end += 1;
        }
        if boundary && end - start - 3 >= 8 {
            return Some((start, end));
        }
        from = start + 3;
    }
    None
}

/// The value range of the first `api_key=` parameter.
fn find_query_key(s: &str) -> Option<(usize, usize)> {
    let i = s.find("api_key=")?;
    let start = i + "api_key=".len();
    let end = s[start..].find(['&', ' ', '"', '\'', '#', '\n']).map(|e| start + e).unwrap_or(s.len());
    if start == end {
        // Nothing to hide here; look further on.
        return find_query_key(&s[start..]).map(|(a, b)| (a + start, b + start));
    }
    // An already-masked value must not be masked again (keeps `text` idempotent).
    if s[start..end].starts_with("sk_…") || s[start..end].starts_with("…redacted") {
        return find_query_key(&s[end..]).map(|(a, b)| (a + end, b + end));
    }
    Some((start, end))
}

/// A URL fit for a log line or an error.
pub fn url(u: &url::Url) -> String {
    text(u.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "sk_0123456789abcdef0123456789ab1a2b";

    #[test]
    fn masks_keys_in_text_headers_and_urls() {
        assert_eq!(mask_key(KEY), "sk_…1a2b");
        assert_eq!(text(&format!("Authorization: Bearer {KEY}")), "Authorization: Bearer sk_…1a2b");
        let u = url::Url::parse(&format!(
            "https://api.superdocs.app/v1/chat/s/stream?job_id=j&api_key={KEY}&last_sequence=3"
        ))
        .unwrap();
        assert_eq!(url(&u), "https://api.superdocs.app/v1/chat/s/stream?job_id=j&api_key=sk_…1a2b&last_sequence=3");
        assert_eq!(text("?api_key=hunter2"), "?api_key=…redacted");
        assert_eq!(text(&format!("{{\"key\":\"{KEY}\"}} and {KEY}")), "{\"key\":\"sk_…1a2b\"} and sk_…1a2b");
    }

    #[test]
    fn leaves_other_text_alone_and_is_idempotent() {
        assert_eq!(text("task_0123456789abcdef and sk_short"), "task_0123456789abcdef and sk_short");
        let once = text(&format!("api_key={KEY} {KEY}"));
        assert_eq!(text(&once), once);
    }
}
