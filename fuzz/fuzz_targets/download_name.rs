//! Server-given download names: whatever the `Content-Disposition` says, the name that is used stays
//! inside the chosen folder (no separators, no dot-dot, no control characters, never empty).
#![no_main]
use libfuzzer_sys::fuzz_target;
use superdocs_client::export::{filename_from_disposition, safe_file_name, sanitize_file_name, MAX_FILE_NAME_BYTES};

fn check(raw: &str) {
    if let Some(name) = safe_file_name(raw) {
        assert!(!name.is_empty());
        assert!(!name.contains('/') && !name.contains('\\'), "{name:?}");
        assert!(name != "." && name != ".." && !name.starts_with('.'), "{name:?}");
        assert!(!name.chars().any(char::is_control), "{name:?}");
    }
}

/// With a format's extension: the name always ends in it, fits the byte limit, and has no bidi or
/// zero-width character left to disguise what it is.
fn check_for_format(raw: &str) {
    if let Some(name) = sanitize_file_name(raw, Some("pdf")) {
        assert!(name.to_lowercase().ends_with(".pdf"), "{name:?}");
        assert!(name.len() <= MAX_FILE_NAME_BYTES, "{} bytes: {name:?}", name.len());
        assert!(!name.chars().any(|c| matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')), "{name:?}");
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    check(&text);
    check_for_format(&text);
    if let Some(name) = filename_from_disposition(&text) {
        check(&name);
    }
});
