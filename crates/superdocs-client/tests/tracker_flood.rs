//! A window far behind the tracker loses nothing: a review proposing more changes than the tracker's
//! queue holds (1,024), read by a subscriber that takes nothing until the service has proposed them
//! all, still delivers every change, in order, then the batch.

mod sse_support;

use std::time::Duration;

use sse_support::{client_for, fast_follow, start_sim};
use superdocs_client::retry::CallOptions;
use superdocs_client::store::Store;
use superdocs_client::tracker::{Tracker, TrackerEventKind};
use superdocs_client::types::{ApprovalMode, ChatRequest, JobStatus};

const PARAGRAPHS: usize = 1_500;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_subscriber_gets_every_proposed_change() {
    let sim = start_sim().await;
    let client = client_for(&sim);
    let dir = tempfile::tempdir().unwrap();
    let tracker = Tracker::new(client.clone(), Store::open(dir.path()).unwrap(), fast_follow());
    let mut rx = tracker.subscribe();
    // One informal word per paragraph: "make it formal" proposes one edit for each.
    let html: String = (0..PARAGRAPHS).map(|i| format!("<p>Paragraph {i}: we don't stop here.</p>")).collect();
    let mut req = ChatRequest::new("flood", "Make it formal");
    req.approval_mode = Some(ApprovalMode::AskEveryTime);
    req.document_html = Some(html);
    let accepted = tracker.submit_chat(&req, &CallOptions::default()).await.unwrap();

    // The slow window: reads nothing until the service has proposed every change.
    for _ in 0..2_000 {
        if client.job(&accepted.job_id, &CallOptions::default()).await.unwrap().status == JobStatus::AwaitingApproval {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    assert!(rx.len() <= 1_025, "the queue stays bounded: {} waiting", rx.len());

    let mut proposed = Vec::new();
    let mut progress = 0;
    let batch = loop {
        // A guard against hanging, not a timing claim.
        let e = tokio::time::timeout(Duration::from_secs(60), rx.recv()).await.expect("an event arrives").unwrap();
        match e.kind {
            TrackerEventKind::ProposedChange { change } => proposed.push(change.change_id),
            TrackerEventKind::AwaitingApproval { changes } => break changes,
            TrackerEventKind::Progress { sequence, .. } => {
                assert_eq!(sequence, progress + 1, "progress is numbered in order");
                progress = sequence;
            }
            other => panic!("unexpected {other:?}"),
        }
    };
    assert_eq!(proposed.len(), PARAGRAPHS, "every change arrived");
    let ids: Vec<String> = batch.into_iter().map(|c| c.change_id).collect();
    assert_eq!(ids, proposed, "in the order proposed, then the batch");
    // The job still runs (it waits for review): the tracker remembers its latest progress for a window.
    assert_eq!(tracker.last_progress(&accepted.job_id).is_some(), progress > 0);
}
