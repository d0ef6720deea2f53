//! Regression: a spec-legal stream that starts with a UTF-8 BOM (and uses CRLF line ends, split at
//! awkward places) is followed to its end. The SSE crate used before panicked on it ("start byte index
//! 1 is not a char boundary"), which in the app ended job events for the whole run.

use std::time::Duration;

use superdocs_client::sse::{FollowOptions, JobStream, StreamEvent};
use superdocs_client::{ApiKey, Client, ClientConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const KEY: &str = "sk_0123456789abcdef0123456789abcdef";

/// A server that answers one request with `body` as an event stream, written in the given pieces.
async fn one_stream(pieces: Vec<&'static [u8]>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut conn, _) = listener.accept().await.unwrap();
        let mut head = Vec::new();
        let mut buf = [0u8; 4096];
        while !head.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = conn.read(&mut buf).await.unwrap();
            assert!(n > 0);
            head.extend_from_slice(&buf[..n]);
        }
        conn.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n")
            .await
            .unwrap();
        for p in pieces {
            conn.write_all(p).await.unwrap();
            conn.flush().await.unwrap();
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn a_stream_starting_with_a_bom_is_followed_to_its_end() {
    let base = one_stream(vec![
        b"\xEF",
        b"\xBB\xBFevent: intermediate\r",
        b"\ndata: {\"content\": \"Reading \xE2\x80",
        b"\xA6\"}\r\nid: 1\r\n\r",
        b"\nevent: final\r\ndata: {\"result\": {\"response\": \"done\"}}\r\nid: 2\r\n\r\n",
        b"event: usage\r\ndata: {\"monthly_used\": 1, \"monthly_limit\": 500, \"monthly_remaining\": 499}\r\nid: 3\r\n\r\n",
    ])
    .await;
    let client = Client::new(ClientConfig::new(base, ApiKey::parse(KEY).unwrap())).unwrap();
    let mut stream = JobStream::new(client, "bom-1", "job_bom", None, FollowOptions::default());
    let mut events = Vec::new();
    while let Some(item) = stream.next().await {
        events.push(item.expect("every frame is read").event);
    }
    assert_eq!(events.len(), 3, "{events:?}");
    assert_eq!(events[0], StreamEvent::Intermediate { content: "Reading …".into(), timestamp: None });
    assert!(matches!(&events[1], StreamEvent::Final { result } if result.response.as_deref() == Some("done")));
    assert!(matches!(&events[2], StreamEvent::Usage { usage } if usage.monthly_remaining == 499));
    assert_eq!(stream.last_sequence(), Some(3));
}
