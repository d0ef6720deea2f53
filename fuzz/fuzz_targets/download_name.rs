//! Server-given download names: whatever the `Content-Disposition` says, the name that is used stays
//! inside the chosen folder (no separators, no dot-dot, no control characters, never empty).
#![no_main]
use libfuzzer_sys::fuzz_target;
use superdocs_client::export::{filename_from_disposition, safe_file_name};

fn check(raw: &str) {
    if let Some(name) = safe_file_name(raw) {
        assert!(!name.is_empty());
        assert!(!name.contains('/') && !name.contains('\\'), "{name:?}");
        assert!(name != "." && name != ".." && !name.starts_with('.'), "{name:?}");
        assert!(!name.chars().any(char::is_control), "{name:?}");
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    check(&text);
    if let Some(name) = filename_from_disposition(&text) {
        check(&name);
    }
});
