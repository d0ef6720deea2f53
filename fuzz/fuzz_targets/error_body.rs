//! The error of any non-2xx answer: any status, headers and body build an error, never a panic, and
//! the error always has a message and a request id.
#![no_main]
use http::{HeaderMap, HeaderName, HeaderValue};
use libfuzzer_sys::fuzz_target;
use superdocs_client::error::{parse_retry_after, Error};

fuzz_target!(|input: (u16, Vec<(String, Vec<u8>)>, Vec<u8>)| {
    let (status, pairs, body) = input;
    let mut headers = HeaderMap::new();
    for (name, value) in &pairs {
        if let (Ok(n), Ok(v)) = (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_bytes(value)) {
            headers.append(n, v);
        }
    }
    // The headers the parser reads, as values the fuzzer chose.
    for (name, value) in ["retry-after", "x-usage-remaining", "x-request-id"].iter().zip(&pairs) {
        if let Ok(v) = HeaderValue::from_bytes(&value.1) {
            headers.insert(*name, v);
        }
    }
    let e = Error::from_response(status, &headers, &body, "cli_fuzz");
    assert!(!e.message.is_empty());
    assert_eq!(e.request_id, "cli_fuzz");
    let _ = serde_json::to_string(&e).unwrap();
    let _ = parse_retry_after(&String::from_utf8_lossy(&body), std::time::SystemTime::UNIX_EPOCH);
});
