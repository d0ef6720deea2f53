//! Random identifiers and API keys.
use rand::Rng;

pub fn hex(bytes: usize) -> String {
    let mut rng = rand::thread_rng();
    (0..bytes).map(|_| format!("{:02x}", rng.gen::<u8>())).collect()
}

/// `prefix` + 16 hex digits, e.g. `job_3f9a…`.
pub fn new_id(prefix: &str) -> String {
    format!("{prefix}{}", hex(8))
}

pub fn new_api_key() -> String {
    format!("sk_{}", hex(16))
}

pub fn is_well_formed_key(key: &str) -> bool {
    key.len() == 35 && key.starts_with("sk_") && key[3..].bytes().all(|b| b.is_ascii_hexdigit())
}

/// `sk_…1a2b`: how a key may appear in output.
pub fn redact_key(key: &str) -> String {
    let tail: String = key.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
    format!("sk_…{tail}")
}

pub fn now_rfc3339() -> String {
    rfc3339(chrono::Utc::now())
}

pub fn rfc3339(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}
