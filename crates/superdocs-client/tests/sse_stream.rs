//! The job stream against the simulator over real HTTP: resuming after cuts without loss or
//! duplicates, falling back to polling when the stream cannot be held, and ignoring unknown events.

mod sse_support;

use std::time::Duration;

use sse_support::{client_for, fast_follow, start_sim};
use superdocs_client::retry::CallOptions;
use superdocs_client::sse::{FollowOptions, JobStream, JobUpdate, StreamEvent};
use superdocs_client::types::ChatRequest;
use superdocs_client::{ApiKey, Client, ClientConfig};
use superdocs_sim::{FaultAction, FaultBody, FaultRule};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn collect(mut stream: JobStream) -> (Vec<JobUpdate>, JobStream) {
    let mut out = Vec::new();
    while let Some(item) = stream.next().await {
        out.push(item.expect("no error while following"));
    }
    (out, stream)
}

fn stream_rule(times: u32, action: FaultAction) -> FaultRule {
    FaultRule { method: Some("GET".into()), path: "/v1/chat/*/stream".into(), times, action, ..Default::default() }
}

fn sequences(updates: &[JobUpdate]) -> Vec<u64> {
    updates.iter().filter_map(|u| u.sequence).collect()
}

fn count(updates: &[JobUpdate], f: impl Fn(&StreamEvent) -> bool) -> usize {
    updates.iter().filter(|u| f(&u.event)).count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cut_streams_resume_without_loss_or_duplicates() {
    let sim = start_sim().await;
    let client = client_for(&sim);
    let opts = CallOptions::default();
    let job = client.chat_async(&ChatRequest::new("cut-1", "Draft a project proposal"), &opts).await.unwrap();

    sim.add_fault(stream_rule(2, FaultAction::CutSseAfterEvents(2)));
    let (cut, stream) = collect(JobStream::new(client.clone(), "cut-1", &job.job_id, None, fast_follow())).await;
    assert!(cut.len() > 4, "enough events for two cuts of two: {cut:?}");
    assert_eq!(stream.reconnects(), 2, "two cut connections, then a whole one");
    assert!(!stream.fell_back_to_polling());
    assert_eq!(sim.stats().count("GET", "/v1/chat/*/stream"), 3);

    // The same job read by an uncut stream is the reference: exactly the same items, in order.
    let (clean, _) = collect(JobStream::new(client.clone(), "cut-1", &job.job_id, None, fast_follow())).await;
    assert_eq!(cut, clean);
    let seqs = sequences(&cut);
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "strictly increasing, so no duplicates: {seqs:?}");

    // Every progress item the job recorded arrived.
    let recorded: Vec<u64> = client
        .job(&job.job_id, &opts)
        .await
        .unwrap()
        .metadata
        .intermediate_responses
        .iter()
        .map(|i| i.sequence)
        .collect();
    let progress: Vec<u64> =
        cut.iter().filter(|u| matches!(u.event, StreamEvent::Intermediate { .. })).filter_map(|u| u.sequence).collect();
    assert!(!recorded.is_empty());
    assert_eq!(progress, recorded);
    assert_eq!(count(&cut, |e| matches!(e, StreamEvent::Final { .. })), 1);
    assert_eq!(count(&cut, |e| matches!(e, StreamEvent::Usage { .. })), 1);
    assert!(matches!(cut.last().unwrap().event, StreamEvent::Usage { .. }));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resuming_from_a_sequence_hands_out_only_later_items() {
    let sim = start_sim().await;
    let client = client_for(&sim);
    let job = client.chat_async(&ChatRequest::new("resume-1", "Draft a memo"), &CallOptions::default()).await.unwrap();
    let (all, _) = collect(JobStream::new(client.clone(), "resume-1", &job.job_id, None, fast_follow())).await;
    let middle = sequences(&all)[2];
    let (rest, stream) =
        collect(JobStream::new(client.clone(), "resume-1", &job.job_id, Some(middle), fast_follow())).await;
    let expected: Vec<JobUpdate> = all.iter().filter(|u| u.sequence.is_some_and(|s| s > middle)).cloned().collect();
    assert_eq!(rest, expected);
    assert_eq!(stream.last_sequence(), all.last().unwrap().sequence);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_stream_route_falls_back_to_polling() {
    let sim = start_sim().await;
    let client = client_for(&sim);
    let opts = CallOptions::default();
    let job = client.chat_async(&ChatRequest::new("poll-1", "Draft a project proposal"), &opts).await.unwrap();
    sim.add_fault(stream_rule(100, FaultAction::Respond { status: 502, body: FaultBody::Html }));

    let (updates, stream) = collect(JobStream::new(client.clone(), "poll-1", &job.job_id, None, fast_follow())).await;
    assert!(stream.fell_back_to_polling());
    assert_eq!(sim.stats().count("GET", "/v1/chat/*/stream"), 5, "the retry policy's five attempts, then polling");
    assert!(sim.stats().count("GET", "/v1/jobs/*") >= 1);

    let recorded: Vec<u64> = client
        .job(&job.job_id, &opts)
        .await
        .unwrap()
        .metadata
        .intermediate_responses
        .iter()
        .map(|i| i.sequence)
        .collect();
    let progress: Vec<u64> = updates
        .iter()
        .filter(|u| matches!(u.event, StreamEvent::Intermediate { .. }))
        .filter_map(|u| u.sequence)
        .collect();
    assert_eq!(progress, recorded, "polling hands out every progress item once");
    assert_eq!(count(&updates, |e| matches!(e, StreamEvent::Final { .. })), 1);
    assert_eq!(count(&updates, |e| matches!(e, StreamEvent::Usage { .. })), 1);
    let StreamEvent::Final { result } =
        &updates.iter().find(|u| matches!(u.event, StreamEvent::Final { .. })).unwrap().event
    else {
        unreachable!()
    };
    assert!(result.response.as_deref().is_some_and(|r| r.contains("Drafted")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn polling_goes_back_to_the_stream_once_it_works_again() {
    // A job slow enough to outlast the fallback: about 50 ms a step.
    let sim = superdocs_sim::SimHandle::start(superdocs_sim::SimConfig {
        job_step_delay: Duration::from_millis(50),
        ..Default::default()
    })
    .await
    .unwrap();
    let client = client_for(&sim);
    let opts = CallOptions::default();
    let job = client.chat_async(&ChatRequest::new("back-1", "Draft a project proposal"), &opts).await.unwrap();
    // Exactly one retry run of failures: the stream is given up for polling, then it works again.
    sim.add_fault(stream_rule(5, FaultAction::Respond { status: 502, body: FaultBody::Html }));
    let follow = FollowOptions { stream_retry_polls: 2, ..fast_follow() };

    let (updates, stream) = collect(JobStream::new(client.clone(), "back-1", &job.job_id, None, follow)).await;
    assert!(stream.fell_back_to_polling());
    assert_eq!(stream.returns_to_stream(), 1, "back on the stream after two polls");
    assert_eq!(sim.stats().count("GET", "/v1/chat/*/stream"), 6, "five failed attempts, then the one that held");
    let seqs = sequences(&updates);
    assert!(seqs.windows(2).all(|w| w[0] < w[1]), "no item twice across the switches: {seqs:?}");
    let recorded: Vec<u64> = client
        .job(&job.job_id, &opts)
        .await
        .unwrap()
        .metadata
        .intermediate_responses
        .iter()
        .map(|i| i.sequence)
        .collect();
    let progress: Vec<u64> = updates
        .iter()
        .filter(|u| matches!(u.event, StreamEvent::Intermediate { .. }))
        .filter_map(|u| u.sequence)
        .collect();
    assert_eq!(progress, recorded, "every progress item once");
    assert_eq!(count(&updates, |e| matches!(e, StreamEvent::Final { .. })), 1);
    assert_eq!(count(&updates, |e| matches!(e, StreamEvent::Usage { .. })), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stream_that_opens_but_never_delivers_ends_in_polling() {
    let sim = start_sim().await;
    let client = client_for(&sim);
    let job = client.chat_async(&ChatRequest::new("poll-2", "Draft a memo"), &CallOptions::default()).await.unwrap();
    sim.add_fault(stream_rule(100, FaultAction::CutSseAfterEvents(0)));
    let (updates, stream) = collect(JobStream::new(client.clone(), "poll-2", &job.job_id, None, fast_follow())).await;
    assert!(stream.fell_back_to_polling());
    assert_eq!(sim.stats().count("GET", "/v1/chat/*/stream"), 5);
    assert_eq!(count(&updates, |e| matches!(e, StreamEvent::Final { .. })), 1);
    let seqs = sequences(&updates);
    assert!(seqs.windows(2).all(|w| w[0] < w[1]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_job_ends_with_an_error_event() {
    let sim = start_sim().await;
    let client = client_for(&sim);
    let (updates, _) = collect(JobStream::new(client, "nobody", "job_doesnotexist", None, fast_follow())).await;
    assert_eq!(updates.len(), 1);
    assert!(matches!(&updates[0].event, StreamEvent::Error { error } if error.contains("not found")), "{updates:?}");
}

/// A one-shot HTTP server answering every request with a canned event stream; returns its address
/// and a channel with each request head it saw. (Unknown event names cannot be made to come out of
/// the simulator, so this one piece is tested against canned bytes.)
async fn canned_stream(body: &'static str) -> (String, tokio::sync::mpsc::UnboundedReceiver<String>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else { return };
            let tx = tx.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = [0u8; 1024];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    let n = sock.read(&mut buf).await.unwrap_or(0);
                    if n == 0 {
                        return;
                    }
                    head.extend_from_slice(&buf[..n]);
                }
                let _ = tx.send(String::from_utf8_lossy(&head).into_owned());
                let reply = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = sock.write_all(reply.as_bytes()).await;
            });
        }
    });
    (format!("http://{addr}"), rx)
}

#[tokio::test]
async fn unknown_events_and_comments_are_ignored_and_the_key_stays_in_the_header() {
    const BODY: &str = concat!(
        ": keep-alive\n\n",
        "id: 1\nevent: brand_new_event\ndata: {\"whatever\": true}\n\n",
        "event: no_json_at_all\ndata: plain text\n\n",
        "id: 2\nevent: intermediate\ndata: {\"type\": \"intermediate\", \"content\": \"Reading\", \"sequence\": 2}\n\n",
        "id: 3\nevent: ui_pointer\ndata: {\"type\": \"ui_pointer\", \"target\": \"editor\"}\n\n",
        // No `id:` here, as the real service may send it: the parser repeats id 3, which must not
        // make the final result look like a duplicate.
        "event: final\ndata: {\"type\": \"final\", \"result\": {\"response\": \"ok\"}}\n\n",
        "id: 5\nevent: usage\ndata: {\"monthly_used\": 1, \"monthly_limit\": 500, \"monthly_remaining\": 499, \"was_billable\": true, \"subscription_tier\": \"free\"}\n\n",
    );
    let (base, mut heads) = canned_stream(BODY).await;
    let key = "sk_0123456789abcdef0123456789abcdef";
    let client = Client::new(ClientConfig::new(base, ApiKey::parse(key).unwrap())).unwrap();
    let (updates, _) = collect(JobStream::new(client, "s", "job_1", None, fast_follow())).await;
    let kinds: Vec<&str> = updates
        .iter()
        .map(|u| match u.event {
            StreamEvent::Intermediate { .. } => "intermediate",
            StreamEvent::UiPointer { .. } => "ui_pointer",
            StreamEvent::Final { .. } => "final",
            StreamEvent::Usage { .. } => "usage",
            _ => "other",
        })
        .collect();
    assert_eq!(kinds, ["intermediate", "ui_pointer", "final", "usage"]);
    assert_eq!(sequences(&updates), [2, 3, 5]);

    let head = tokio::time::timeout(Duration::from_secs(5), heads.recv()).await.unwrap().unwrap();
    let request_line = head.lines().next().unwrap();
    assert!(request_line.starts_with("GET /v1/chat/s/stream?job_id=job_1 "), "{request_line}");
    assert!(!request_line.contains("sk_"), "the key never goes in the URL");
    assert!(head.to_ascii_lowercase().contains(&format!("authorization: bearer {key}")));
}

#[tokio::test]
async fn an_unreadable_proposed_change_falls_back_to_the_job_resource() {
    // The stream sends a change whose content is not JSON; the job resource (polled) is the truth.
    const BODY: &str =
        "id: 1\nevent: proposed_change\ndata: {\"type\": \"proposed_change\", \"content\": \"{broken\"}\n\n";
    let (base, _heads) = canned_stream(BODY).await;
    let client =
        Client::new(ClientConfig::new(base, ApiKey::parse("sk_0123456789abcdef0123456789abcdef").unwrap())).unwrap();
    let mut stream = JobStream::new(client, "s", "job_1", None, fast_follow());
    // The canned server answers the poll with the same event-stream body, which is not a Job: a
    // clear protocol error instead of a silently skipped change.
    let err = stream.next().await.unwrap().unwrap_err();
    assert!(stream.fell_back_to_polling(), "{err:?}");
    assert_eq!(err.kind, superdocs_client::ErrorKind::Protocol);
}
