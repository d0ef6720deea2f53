//! The `proposed_change` double parse (a JSON string holding JSON) and its batch: any `data` line is
//! decoded or refused as a protocol error, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;
use superdocs_client::sse::{decode, decode_frame};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for name in ["proposed_change", "proposed_change_batch", "final", "usage", "intermediate"] {
        let _ = decode_frame(name, &text, "");
        // The inner document as the string the service sends it in.
        let _ = decode(name, serde_json::json!({ "type": name, "content": text }));
    }
});
