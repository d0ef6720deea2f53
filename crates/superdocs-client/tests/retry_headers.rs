//! What goes on the wire, seen by a bare TCP listener: the user agent, a fresh `X-Request-ID` per
//! attempt, the key only in the Authorization header, and one `Idempotency-Key` for all attempts of
//! one logical operation.

mod faults_support;

use std::sync::Arc;

use faults_support::{RecordingClock, TopOfInterval};
use superdocs_client::retry::CallOptions;
use superdocs_client::types::ChatRequest;
use superdocs_client::{ApiKey, Client, ClientConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const KEY: &str = "sk_0123456789abcdef0123456789ab1a2b";

/// Answers each connection with the next canned response and returns the request heads it read.
async fn serve(responses: Vec<String>) -> (String, tokio::task::JoinHandle<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let mut heads = Vec::new();
        for resp in responses {
            let (mut sock, _) = listener.accept().await.unwrap();
            let mut buf = Vec::new();
            let mut chunk = [0u8; 4096];
            // Read the head and the (small) body named by Content-Length.
            loop {
                let n = sock.read(&mut chunk).await.unwrap();
                buf.extend_from_slice(&chunk[..n]);
                if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                    let head = String::from_utf8_lossy(&buf[..end]).to_string();
                    let len: usize = head
                        .lines()
                        .find_map(|l| {
                            l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse().unwrap())
                        })
                        .unwrap_or(0);
                    while buf.len() < end + 4 + len {
                        let n = sock.read(&mut chunk).await.unwrap();
                        buf.extend_from_slice(&chunk[..n]);
                    }
                    heads.push(head);
                    break;
                }
                if n == 0 {
                    break;
                }
            }
            sock.write_all(resp.as_bytes()).await.unwrap();
            sock.shutdown().await.ok();
        }
        heads
    });
    (base, task)
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.eq_ignore_ascii_case(name).then(|| v.trim())
    })
}

/// A whole HTTP/1.1 response.
fn response(status: &str, content_type: &str, body: &str) -> String {
    let len = body.len();
    format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {len}\r\nConnection: close\r\n\r\n{body}"
    )
}

#[tokio::test]
async fn every_attempt_carries_request_id_user_agent_key_and_one_idempotency_key() {
    let (base, task) = serve(vec![
        response("502 Bad Gateway", "text/html", "<html></html>"),
        // A gateway's 502 may come after the upstream acted: the session's jobs are read before resending.
        response("200 OK", "application/json", r#"{"jobs":[]}"#),
        response("200 OK", "application/json", r#"{"job_id":"j1","session_id":"s1","status":"pending","x":1}"#),
    ])
    .await;
    let mut cfg = ClientConfig::new(&base, ApiKey::parse(KEY).unwrap());
    cfg.clock = Arc::new(RecordingClock::default());
    cfg.random = Arc::new(TopOfInterval);
    let client = Client::new(cfg).unwrap();
    let accepted = client.chat_async(&ChatRequest::new("s1", "hello"), &CallOptions::default()).await.unwrap();
    assert_eq!(accepted.job_id, "j1");
    let mut heads = task.await.unwrap();
    assert_eq!(heads.len(), 3);
    assert!(heads[1].starts_with("GET /v1/sessions/s1/jobs?limit=20 "), "{}", heads[1]);
    assert!(header(&heads[1], "idempotency-key").is_none(), "a read carries no idempotency key");
    heads.remove(1);
    for h in &heads {
        assert!(h.starts_with("POST /v1/chat/async "), "{h}");
        assert!(header(h, "user-agent").unwrap().starts_with("SuperDocs-Desktop/"));
        assert_eq!(header(h, "authorization"), Some(format!("Bearer {KEY}").as_str()));
        assert!(header(h, "x-request-id").unwrap().starts_with("cli_"));
    }
    assert_ne!(header(&heads[0], "x-request-id"), header(&heads[1], "x-request-id"), "one request id per attempt");
    let k0 = header(&heads[0], "idempotency-key").unwrap();
    assert_eq!(Some(k0), header(&heads[1], "idempotency-key"), "one idempotency key per logical operation");
}

#[tokio::test]
async fn a_2xx_that_is_not_json_is_a_protocol_error_with_the_first_bytes() {
    let (base, task) = serve(vec![
        response("200 OK", "text/html", "<html>captive portal</html>"),
        // A complete response whose JSON stops early (a proxy that truncates).
        response("200 OK", "application/json", r#"{"sessions": ["#),
    ])
    .await;
    let client = Client::new(ClientConfig::new(&base, ApiKey::parse(KEY).unwrap())).unwrap();
    let e = client.sessions(None, &CallOptions::default()).await.unwrap_err();
    assert_eq!((e.kind, e.status, e.attempts), (superdocs_client::ErrorKind::Protocol, Some(200), 1));
    assert!(e.detail.as_deref().unwrap().contains("<html>captive"), "{e:?}");
    let e = client.sessions(None, &CallOptions::default()).await.unwrap_err();
    assert_eq!(e.kind, superdocs_client::ErrorKind::Protocol);
    assert!(e.detail.as_deref().unwrap().contains("cut short"), "{e:?}");
    task.await.unwrap();
}
