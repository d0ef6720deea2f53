//! Review per change: a job waits for decisions when a `proposed_change_batch` arrives, when
//! `batch_total` changes of one batch arrived one by one, or when the job resource says
//! `awaiting_approval`. Each shape, announced by the simulator, reaches the tracker as one
//! `AwaitingApproval` with every change; approving them finishes the job.

mod sse_support;

use std::time::Duration;

use sse_support::{client_for, fast_follow, start_sim};
use superdocs_client::retry::CallOptions;
use superdocs_client::store::Store;
use superdocs_client::tracker::{Tracker, TrackerEventKind};
use superdocs_client::types::{ApprovalMode, ApproveRequest, ChatRequest};
use superdocs_sim::{FaultAction, FaultBody, FaultRule, ReviewAnnounce};

async fn review_reaches_the_tracker(announce: ReviewAnnounce, follow_by_polling: bool) {
    let sim = start_sim().await;
    sim.set_review_announce(announce);
    let client = client_for(&sim);
    let dir = tempfile::tempdir().unwrap();
    let mut follow = fast_follow();
    if follow_by_polling {
        // No stream at all: the job resource is the only source.
        sim.add_fault(FaultRule {
            path: "/v1/chat/*/stream".into(),
            times: 0,
            action: FaultAction::Respond { status: 503, body: FaultBody::Html },
            ..FaultRule::default()
        });
        follow.poll_interval = Duration::from_millis(20);
    }
    let tracker = Tracker::new(client.clone(), Store::open(dir.path()).unwrap(), follow);
    let mut rx = tracker.subscribe();
    let mut req = ChatRequest::new(format!("review-{announce:?}").to_lowercase(), "Draft a project proposal");
    req.approval_mode = Some(ApprovalMode::AskEveryTime);
    let accepted = tracker.submit_chat(&req, &CallOptions::default()).await.unwrap();
    let mut proposed = Vec::new();
    let mut announced = 0;
    loop {
        let e = tokio::time::timeout(Duration::from_secs(20), rx.recv()).await.expect("an event arrives").unwrap();
        match e.kind {
            TrackerEventKind::ProposedChange { change } => proposed.push(change.change_id),
            TrackerEventKind::AwaitingApproval { changes } => {
                announced += 1;
                let ids: Vec<String> = changes.into_iter().map(|c| c.change_id).collect();
                assert!(!ids.is_empty());
                assert_eq!(ids, proposed, "{announce:?}: the batch holds every change shown");
                let req = ApproveRequest { job_id: accepted.job_id.clone(), approved: true, ..Default::default() };
                client.approve(&accepted.session_id, &req, &CallOptions::default()).await.unwrap();
            }
            TrackerEventKind::Completed { result, .. } => {
                assert!(result
                    .response
                    .unwrap_or_default()
                    .contains(&format!("Applied {n} of {n}", n = proposed.len())));
                break;
            }
            TrackerEventKind::Progress { .. } => {}
            other => panic!("{announce:?}: unexpected {other:?}"),
        }
    }
    assert_eq!(announced, 1, "{announce:?}: the review is announced once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_batch_event_announces_the_review() {
    review_reaches_the_tracker(ReviewAnnounce::Batch, false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batch_total_changes_one_by_one_announce_the_review() {
    review_reaches_the_tracker(ReviewAnnounce::OneByOne, false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changes_without_batch_fields_wait_on_the_job_resource() {
    review_reaches_the_tracker(ReviewAnnounce::OneByOneUntotalled, false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_followed_by_polling_announces_its_review_once() {
    review_reaches_the_tracker(ReviewAnnounce::OneByOneUntotalled, true).await;
}
