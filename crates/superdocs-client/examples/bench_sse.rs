//! SSE parse + dispatch throughput of the core: a synthetic in-memory `text/event-stream` of ~1M
//! events, in network-sized chunks, through the same pieces the job stream uses (the core's
//! framing, typed decoding incl. the second parse of proposed changes, the never-twice filter) and
//! handed to a consumer task over a channel, as the tracker does. Prints events per second.
//!
//! cargo run --release -p superdocs-client --example bench_sse [EVENTS]

use std::time::Instant;

use bytes::Bytes;
use futures_util::StreamExt;
use serde_json::json;
use superdocs_client::sse::{Delivered, FrameDecoder, StreamEvent};

/// One frame of the mix: mostly progress, a fifth proposed changes, some hints and unknown names.
fn frame(seq: u64) -> String {
    let (name, data) = match seq % 20 {
        0..=13 => (
            "intermediate",
            json!({"type": "intermediate", "content": format!("Reading section {seq} of the document and checking terms"), "timestamp": "2026-01-01T10:00:00Z"}),
        ),
        14..=17 => {
            let change = json!({"change_id": format!("chg_{seq}"), "operation": "edit", "chunk_id": format!("c{seq}"),
                "old_html": "<p data-chunk-id=\"c1\">The quick brown fox.</p>", "new_html": "<p data-chunk-id=\"c1\">The swift brown fox.</p>",
                "ai_explanation": "A livelier word.", "batch_id": "batch_1", "batch_total": 4});
            ("proposed_change", json!({"type": "proposed_change", "content": change.to_string()}))
        }
        18 => ("ui_pointer", json!({"type": "ui_pointer", "target": "editor", "chunk_id": "c3"})),
        _ => ("some_future_event", json!({"type": "some_future_event", "x": seq})),
    };
    format!("id: {seq}\nevent: {name}\ndata: {data}\n\n")
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let events: u64 = std::env::args().nth(1).and_then(|a| a.parse().ok()).unwrap_or(1_000_000);
    // Build the stream up front (not timed), cut into 16 KiB chunks that split frames anywhere.
    let mut body = String::with_capacity(events as usize * 300);
    for seq in 1..=events {
        body.push_str(&frame(seq));
        if seq % 1000 == 0 {
            body.push_str(": keep-alive\n\n");
        }
    }
    let bytes = Bytes::from(body);
    let chunks: Vec<Result<Bytes, std::io::Error>> =
        (0..bytes.len()).step_by(16 * 1024).map(|i| Ok(bytes.slice(i..(i + 16 * 1024).min(bytes.len())))).collect();
    let total_bytes = bytes.len();

    let (tx, mut rx) = tokio::sync::mpsc::channel::<StreamEvent>(1024);
    let consumer = tokio::spawn(async move {
        let (mut progress, mut changes, mut other) = (0u64, 0u64, 0u64);
        while let Some(e) = rx.recv().await {
            match e {
                StreamEvent::Intermediate { .. } => progress += 1,
                StreamEvent::ProposedChange { .. } => changes += 1,
                _ => other += 1,
            }
        }
        (progress, changes, other)
    });

    let started = Instant::now();
    let mut frames = std::pin::pin!(superdocs_client::sse_frames::frames(futures_util::stream::iter(chunks)));
    let mut delivered = Delivered::default();
    let mut decoder = FrameDecoder::default();
    let (mut parsed, mut ignored) = (0u64, 0u64);
    while let Some(f) = frames.next().await {
        let f = f.expect("well-formed stream");
        parsed += 1;
        match decoder.decode(&f).expect("decodable") {
            Some(u) if delivered.accept(&u) => tx.send(u.event).await.expect("consumer alive"),
            _ => ignored += 1,
        }
    }
    drop(tx);
    let (progress, changes, other) = consumer.await.unwrap();
    let secs = started.elapsed().as_secs_f64();
    assert_eq!(parsed, events);
    assert_eq!(progress + changes + other + ignored, events);
    println!(
        "SSE parse + decode + dispatch: {events} events ({:.1} MiB) in {secs:.2} s = {:.0} events/s ({:.0} MiB/s); dispatched {} (progress {progress}, changes {changes}, other {other}), ignored {ignored}",
        total_bytes as f64 / 1048576.0,
        events as f64 / secs,
        total_bytes as f64 / 1048576.0 / secs,
        progress + changes + other,
    );
}
