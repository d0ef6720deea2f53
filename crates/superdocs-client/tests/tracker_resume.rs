//! The tracker persists what it follows: a second tracker on the same database (a new process)
//! picks a job up where the first stopped, and an ending is reported exactly once.

mod sse_support;

use std::time::Duration;

use sse_support::{client_for, fast_follow, start_sim};
use superdocs_client::event_queue::Subscription as Receiver;
use superdocs_client::retry::CallOptions;
use superdocs_client::store::Store;
use superdocs_client::tracker::{Tracker, TrackerEvent, TrackerEventKind};
use superdocs_client::types::{ApprovalMode, ApproveRequest, ChatRequest, JobStatus};
use superdocs_sim::{FaultAction, FaultBody, FaultRule};

async fn next_event(rx: &mut Receiver<TrackerEvent>) -> TrackerEvent {
    // A guard against hanging, not a timing claim.
    tokio::time::timeout(Duration::from_secs(20), rx.recv()).await.expect("an event arrives").expect("channel open")
}

/// Events until (and including) the first terminal one.
async fn until_terminal(rx: &mut Receiver<TrackerEvent>) -> Vec<TrackerEvent> {
    let mut out = Vec::new();
    loop {
        let e = next_event(rx).await;
        let done = e.kind.is_terminal();
        out.push(e);
        if done {
            return out;
        }
    }
}

/// A simulator, a client of it, and a subscribed tracker on a store in a fresh folder.
struct Rig {
    sim: superdocs_sim::SimHandle,
    client: superdocs_client::Client,
    dir: tempfile::TempDir,
    tracker: Tracker,
    rx: Receiver<TrackerEvent>,
}

async fn rig() -> Rig {
    let sim = start_sim().await;
    let client = client_for(&sim);
    let dir = tempfile::tempdir().unwrap();
    let tracker = Tracker::new(client.clone(), Store::open(dir.path()).unwrap(), fast_follow());
    let rx = tracker.subscribe();
    Rig { sim, client, dir, tracker, rx }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_tracker_on_the_same_database_finishes_the_job() {
    let sim = start_sim().await;
    let client = client_for(&sim);
    let dir = tempfile::tempdir().unwrap();
    let opts = CallOptions::default();

    // "Process" one: submits a review-mode turn and follows it until it waits for approval.
    let (job_id, proposed) = {
        let tracker = Tracker::new(client.clone(), Store::open(dir.path()).unwrap(), fast_follow());
        let mut rx = tracker.subscribe();
        let mut req = ChatRequest::new("persist-1", "Draft a project proposal");
        req.approval_mode = Some(ApprovalMode::AskEveryTime);
        let accepted = tracker.submit_chat(&req, &opts).await.unwrap();
        let mut proposed = Vec::new();
        loop {
            let e = next_event(&mut rx).await;
            assert_eq!(e.job_id, accepted.job_id);
            match e.kind {
                TrackerEventKind::ProposedChange { change } => proposed.push(change.change_id),
                TrackerEventKind::AwaitingApproval { changes } => {
                    assert_eq!(changes.iter().map(|c| c.change_id.clone()).collect::<Vec<_>>(), proposed);
                    break;
                }
                TrackerEventKind::Progress { .. } => {}
                other => panic!("unexpected {other:?}"),
            }
        }
        assert!(!proposed.is_empty());
        // Let the store catch up with the batch event, then "exit".
        let stored = tracker.store().tracked_job(&accepted.job_id).unwrap().unwrap();
        assert_eq!(stored.status, JobStatus::AwaitingApproval);
        assert!(stored.last_sequence.is_some());
        (accepted.job_id, proposed)
    };

    // "Process" two: a new tracker on the same file resumes and first hands out the review still waiting
    // (its window has not seen the changes: they come from the job, not from a replay of the stream); the
    // user approves, the job finishes.
    let tracker = Tracker::new(client.clone(), Store::open(dir.path()).unwrap(), fast_follow());
    let mut rx = tracker.subscribe();
    // Asked before resuming (a window right after a restart): the changes come from the job itself.
    let ids =
        |changes: Vec<superdocs_client::types::Change>| changes.into_iter().map(|c| c.change_id).collect::<Vec<_>>();
    assert_eq!(ids(tracker.pending_changes(&job_id).await.unwrap()), proposed, "read from the job");
    assert_eq!(tracker.resume().unwrap(), 1);
    let waiting = next_event(&mut rx).await;
    let TrackerEventKind::AwaitingApproval { changes } = &waiting.kind else {
        panic!("the review is announced again: {waiting:?}")
    };
    assert_eq!(changes.iter().map(|c| c.change_id.clone()).collect::<Vec<_>>(), proposed, "the same changes");
    let approve = ApproveRequest { job_id: job_id.clone(), approved: true, ..Default::default() };
    assert_eq!(ids(tracker.pending_changes(&job_id).await.unwrap()), proposed, "as announced");
    let decided = client.approve("persist-1", &approve, &opts).await.unwrap();
    assert_eq!(decided.applied.len(), proposed.len());
    let events = until_terminal(&mut rx).await;
    assert!(
        events.iter().all(|e| !matches!(
            e.kind,
            TrackerEventKind::ProposedChange { .. } | TrackerEventKind::AwaitingApproval { .. }
        )),
        "the stream's items process one handled are not handed out again: {events:?}"
    );
    let TrackerEventKind::Completed { result, usage } = &events.last().unwrap().kind else { panic!("{events:?}") };
    assert!(result.response.as_deref().unwrap().contains(&format!("Applied {} of {}", proposed.len(), proposed.len())));
    assert!(usage.is_some());
    let stored = tracker.store().tracked_job(&job_id).unwrap().unwrap();
    assert_eq!(stored.status, JobStatus::Completed);
    assert!(tracker.pending_changes(&job_id).await.unwrap().is_empty(), "nothing waits once it has finished");
    assert!(stored.notified);
    drop(tracker);

    // "Process" three: nothing left to report.
    let tracker = Tracker::new(client, Store::open(dir.path()).unwrap(), fast_follow());
    let _rx = tracker.subscribe();
    assert_eq!(tracker.resume().unwrap(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_that_finished_while_away_is_reported_once() {
    let sim = start_sim().await;
    let client = client_for(&sim);
    let dir = tempfile::tempdir().unwrap();
    let opts = CallOptions::default();

    let job_id = {
        let tracker = Tracker::new(client.clone(), Store::open(dir.path()).unwrap(), fast_follow());
        // No subscriber in this "process": nobody was told, so the ending stays unreported.
        let accepted = tracker.submit_chat(&ChatRequest::new("away-1", "Draft a memo"), &opts).await.unwrap();
        accepted.job_id
    };
    // The job runs to its end while no tracker exists.
    loop {
        if client.job(&job_id, &opts).await.unwrap().status == JobStatus::Completed {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }

    let tracker = Tracker::new(client.clone(), Store::open(dir.path()).unwrap(), fast_follow());
    let mut rx = tracker.subscribe();
    assert_eq!(tracker.resume().unwrap(), 1);
    let events = until_terminal(&mut rx).await;
    assert_eq!(events.len(), 1, "only the ending: {events:?}");
    assert!(matches!(&events[0].kind, TrackerEventKind::Completed { result, .. } if result.response.is_some()));
    assert_eq!(events[0].label, "Draft a memo");
    drop(tracker);

    let tracker = Tracker::new(client, Store::open(dir.path()).unwrap(), fast_follow());
    let _rx = tracker.subscribe();
    assert_eq!(tracker.resume().unwrap(), 0, "reported once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_jobs_at_once_and_a_cancel() {
    let Rig { sim: _sim, client, dir: _dir, tracker, mut rx } = rig().await;
    let opts = CallOptions::default();

    let mut ids = Vec::new();
    for i in 0..3 {
        ids.push(
            tracker.submit_chat(&ChatRequest::new(format!("many-{i}"), "Draft a memo"), &opts).await.unwrap().job_id,
        );
    }
    let mut review = ChatRequest::new("many-review", "Draft a plan");
    review.approval_mode = Some(ApprovalMode::AskEveryTime);
    let waiting = tracker.submit_chat(&review, &opts).await.unwrap().job_id;

    let mut completed = std::collections::HashSet::new();
    let mut cancelled = false;
    while completed.len() < 3 || !cancelled {
        let e = next_event(&mut rx).await;
        match e.kind {
            TrackerEventKind::Completed { .. } => assert!(completed.insert(e.job_id.clone()), "one ending per job"),
            TrackerEventKind::AwaitingApproval { .. } => {
                assert_eq!(e.job_id, waiting);
                client.cancel_job(&waiting, &opts).await.unwrap();
            }
            TrackerEventKind::Cancelled => {
                assert_eq!(e.job_id, waiting);
                cancelled = true;
            }
            TrackerEventKind::Failed { error } | TrackerEventKind::Interrupted { error } => panic!("{error:?}"),
            _ => {}
        }
    }
    assert_eq!(completed, ids.into_iter().collect());
    assert_eq!(tracker.store().tracked_job(&waiting).unwrap().unwrap().status, JobStatus::Cancelled);
    assert!(tracker.store().unreported_jobs().unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outage_is_reported_reconnecting_and_following_starts_again_by_itself() {
    let Rig { sim, client: _, dir: _dir, tracker, mut rx } = rig().await;
    let opts = CallOptions::default();

    // The service stops answering every read of jobs and streams.
    for path in ["/v1/chat/*/stream", "/v1/jobs/*"] {
        sim.add_fault(FaultRule {
            method: Some("GET".into()),
            path: path.into(),
            times: 1000,
            action: FaultAction::Respond { status: 503, body: FaultBody::Html },
            ..Default::default()
        });
    }
    let job_id = tracker.submit_chat(&ChatRequest::new("outage-1", "Draft a memo"), &opts).await.unwrap().job_id;
    let e = next_event(&mut rx).await;
    let TrackerEventKind::Reconnecting { attempt: 1, error, .. } = &e.kind else { panic!("{e:?}") };
    assert_eq!(error.kind, superdocs_client::ErrorKind::Server);
    assert!(error.attempts >= 1);
    assert_eq!(tracker.store().unreported_jobs().unwrap().len(), 1, "the job is still to be reported");

    assert_eq!(tracker.following(), vec![job_id.clone()], "the tracker keeps trying: nothing else needs to resume it");

    // The service is back: with no resume() from anyone, the ending is reported, once.
    sim.clear_faults();
    let events = until_terminal(&mut rx).await;
    assert!(
        !events.iter().any(|e| matches!(e.kind, TrackerEventKind::Interrupted { .. })),
        "a passing outage does not stop the following: {events:?}"
    );
    let back = events.iter().position(|e| e.kind == TrackerEventKind::Reconnected).expect("back online is reported");
    assert!(events[back + 1..].iter().all(|e| !matches!(e.kind, TrackerEventKind::Reconnecting { .. })), "{events:?}");
    assert!(matches!(events.last().unwrap().kind, TrackerEventKind::Completed { .. }), "{events:?}");
    assert_eq!(events.last().unwrap().job_id, job_id);
    assert!(tracker.store().unreported_jobs().unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stop_ends_the_job_here_even_when_the_service_cannot_be_told() {
    let Rig { sim, client: _, dir: _dir, tracker, mut rx } = rig().await;
    let opts = CallOptions::default();
    // A review turn waits for decisions: it stays "running" until someone acts.
    let mut req = ChatRequest::new("stop-1", "Draft a project proposal");
    req.approval_mode = Some(ApprovalMode::AskEveryTime);
    let job_id = tracker.submit_chat(&req, &opts).await.unwrap().job_id;
    loop {
        if matches!(next_event(&mut rx).await.kind, TrackerEventKind::AwaitingApproval { .. }) {
            break;
        }
    }
    // The network goes: every call fails.
    sim.add_fault(FaultRule {
        path: "/v1/*".into(),
        times: 0,
        action: FaultAction::ResetBeforeHandling,
        ..Default::default()
    });
    let e = tracker.stop(&job_id, &opts).await.unwrap_err();
    assert_eq!(e.kind, superdocs_client::ErrorKind::Network, "the caller learns the service was not told");
    let ended = next_event(&mut rx).await;
    assert_eq!((ended.job_id.as_str(), &ended.kind), (job_id.as_str(), &TrackerEventKind::Cancelled));
    assert!(tracker.following().is_empty());
    assert!(tracker.store().unreported_jobs().unwrap().is_empty(), "nothing is left to resume");
    assert_eq!(tracker.store().tracked_job(&job_id).unwrap().unwrap().status, JobStatus::Cancelled);
}

/// Events until (and including) the first one `stop` accepts.
async fn until(rx: &mut Receiver<TrackerEvent>, stop: impl Fn(&TrackerEventKind) -> bool) -> Vec<TrackerEvent> {
    let mut out = Vec::new();
    loop {
        let e = next_event(rx).await;
        let done = stop(&e.kind);
        out.push(e);
        if done {
            return out;
        }
    }
}

/// A simulator whose jobs take a while, a client of it, and a subscribed tracker (a fresh store).
async fn slow_rig(restart_after: Duration) -> Rig {
    let config = superdocs_sim::SimConfig { job_step_delay: Duration::from_millis(150), ..Default::default() };
    let sim = superdocs_sim::SimHandle::start(config).await.expect("sim starts");
    let client = client_for(&sim);
    let dir = tempfile::tempdir().unwrap();
    let follow = superdocs_client::sse::FollowOptions { restart_after, ..fast_follow() };
    let tracker = Tracker::new(client.clone(), Store::open(dir.path()).unwrap(), follow);
    let rx = tracker.subscribe();
    Rig { sim, client, dir, tracker, rx }
}

/// Starts a turn in `session`, and once it is under way the network goes: nothing listens on the
/// service's port any more (real refused connections). Returns the job and its first `Reconnecting`.
async fn cut_mid_job(rig: &mut Rig, session: &str) -> (String, TrackerEventKind) {
    let opts = CallOptions::default();
    let job_id = rig.tracker.submit_chat(&ChatRequest::new(session, "Draft a memo"), &opts).await.unwrap().job_id;
    until(&mut rig.rx, |k| matches!(k, TrackerEventKind::Progress { .. })).await;
    rig.sim.stop_serving().await;
    let out = until(&mut rig.rx, |k| matches!(k, TrackerEventKind::Reconnecting { .. })).await;
    let last = out.last().unwrap();
    assert_eq!(last.job_id, job_id);
    (job_id, last.kind.clone())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_service_going_away_mid_job_is_reconnecting_then_reconnected_and_the_job_finishes() {
    let mut rig = slow_rig(Duration::from_millis(50)).await;
    let (job_id, first) = cut_mid_job(&mut rig, "gone-1").await;
    let Rig { mut sim, client: _, dir: _dir, tracker, mut rx } = rig;
    let TrackerEventKind::Reconnecting { attempt: 1, next_retry_ms: first_pause, error } = first else {
        panic!("{first:?}")
    };
    assert_eq!(error.kind, superdocs_client::ErrorKind::Network, "{error:?}");
    assert_eq!(first_pause, 50, "the first pause is the configured one");
    // It keeps trying, each pause longer than the last, and says so every time.
    let second = next_event(&mut rx).await;
    let TrackerEventKind::Reconnecting { attempt: 2, next_retry_ms, .. } = second.kind else { panic!("{second:?}") };
    assert_eq!(next_retry_ms, 100);
    assert_eq!(tracker.following(), vec![job_id.clone()]);

    // The network is back, same address, same service: the job goes on and finishes, once.
    sim.serve_again().await.expect("the same port again");
    let events = until_terminal(&mut rx).await;
    let back = events
        .iter()
        .position(|e| e.kind == TrackerEventKind::Reconnected)
        .unwrap_or_else(|| panic!("back online: {events:?}"));
    assert_eq!(events.iter().filter(|e| e.kind == TrackerEventKind::Reconnected).count(), 1, "{events:?}");
    assert!(events[back + 1..].iter().all(|e| !matches!(e.kind, TrackerEventKind::Reconnecting { .. })), "{events:?}");
    let TrackerEventKind::Completed { result, .. } = &events.last().unwrap().kind else { panic!("{events:?}") };
    assert!(result.response.is_some());
    assert!(events.iter().all(|e| e.job_id == job_id));
    assert_eq!(sim.stats().count("POST", "/v1/chat/async"), 1, "nothing was sent again");
    assert!(tracker.store().unreported_jobs().unwrap().is_empty(), "reported");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn try_now_ends_the_wait_and_stop_while_offline_ends_the_job_here_at_once() {
    // A pause nobody would wait for: only retry_now() can bring the follower back within the test.
    let mut rig = slow_rig(Duration::from_secs(3600)).await;
    let (job_id, first) = cut_mid_job(&mut rig, "now-1").await;
    assert!(matches!(first, TrackerEventKind::Reconnecting { attempt: 1, next_retry_ms: 3_600_000, .. }), "{first:?}");

    // Still offline: "Try now" tries at once, fails, and says when the next try is.
    rig.tracker.retry_now();
    let again = next_event(&mut rig.rx).await;
    assert!(matches!(again.kind, TrackerEventKind::Reconnecting { attempt: 2, .. }), "{again:?}");

    rig.sim.serve_again().await.expect("the same port again");
    rig.tracker.retry_now();
    let events = until_terminal(&mut rig.rx).await;
    assert_eq!(events[0].kind, TrackerEventKind::Reconnected, "{events:?}");
    assert!(events.iter().all(|e| e.job_id == job_id));
    assert!(matches!(events.last().unwrap().kind, TrackerEventKind::Completed { .. }), "{events:?}");

    // A second job, then the network goes again: Stop ends it here before the service's retries run out.
    let (second, _) = cut_mid_job(&mut rig, "now-2").await;
    let stopping = {
        let tracker = &rig.tracker;
        let second = second.clone();
        async move { tracker.stop(&second, &CallOptions::default()).await }
    };
    tokio::pin!(stopping);
    // The Cancelled event comes while stop() is still trying to tell the service.
    let ended = tokio::select! {
        biased;
        e = next_event(&mut rig.rx) => e,
        r = &mut stopping => panic!("stop returned ({r:?}) before the job ended here"),
    };
    assert_eq!((ended.job_id.as_str(), &ended.kind), (second.as_str(), &TrackerEventKind::Cancelled));
    let told = stopping.await.unwrap_err();
    assert_eq!(told.kind, superdocs_client::ErrorKind::Network, "the caller learns the service was not told");
    assert!(rig.tracker.following().is_empty());
    assert!(rig.tracker.store().unreported_jobs().unwrap().is_empty());
}
