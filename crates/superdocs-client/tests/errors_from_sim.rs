//! Errors built from the simulator's real answers: kind, suggested action, trace id, attempts,
//! and no key anywhere in the serialized error.

mod faults_support;

use std::sync::Arc;

use faults_support::*;
use superdocs_client::error::{ErrorKind, OperationKind, SuggestedAction};
use superdocs_client::types::{ApprovalMode, ChatRequest};
use superdocs_client::{ApiKey, Client, ClientConfig};

#[tokio::test]
async fn unknown_key_is_auth_with_reenter_key_and_never_echoed() {
    let rig = rig().await;
    let wrong = "sk_ffffffffffffffffffffffffffff9a9a";
    let client = Client::new(ClientConfig {
        clock: Arc::new(RecordingClock::default()),
        ..ClientConfig::new(rig.sim.base_url(), ApiKey::parse(wrong).unwrap())
    })
    .unwrap();
    let e = client.check_key(&opts()).await.unwrap_err();
    assert_eq!((e.kind, e.status, e.attempts), (ErrorKind::Auth, Some(401), 1));
    assert_eq!(e.suggested_action, Some(SuggestedAction::ReenterKey));
    assert_eq!(e.operation.as_ref().unwrap().kind, OperationKind::KeyCheck);
    assert!(e.trace_id.is_some(), "the sim's 4xx bodies carry a trace id");
    let json = serde_json::to_string(&e).unwrap();
    assert!(!json.contains("ffffffffffffffff"), "{json}");
    assert!(!format!("{e:?}").contains("ffffffffffffffff"));
    // The right key works.
    rig.client.check_key(&opts()).await.unwrap();
    rig.sim.shutdown().await;
}

#[tokio::test]
async fn missing_job_is_not_found_with_the_servers_detail() {
    let rig = rig().await;
    let e = rig.client.job("job_does_not_exist", &opts()).await.unwrap_err();
    assert_eq!((e.kind, e.status, e.attempts), (ErrorKind::NotFound, Some(404), 1));
    assert_eq!(e.detail.as_deref(), Some("Job not found"));
    assert!(e.trace_id.is_some());
    assert!(!e.retryable);
    rig.sim.shutdown().await;
}

#[tokio::test]
async fn revert_while_a_job_waits_is_a_conflict_offering_to_wait() {
    let rig = rig().await;
    let job = job_awaiting_approval(&rig.client, "conflict-session").await;
    let e = rig.client.revert("conflict-session", 0, &opts()).await.unwrap_err();
    assert_eq!((e.kind, e.status), (ErrorKind::Conflict, Some(409)));
    assert_eq!(e.suggested_action, Some(SuggestedAction::WaitForJob));
    assert!(e.detail.unwrap().contains("Wait for it to complete or cancel it"));
    // The other way out the error offers: cancel the job.
    rig.client.cancel_job(&job, &opts()).await.unwrap();
    let done = wait_job(&rig.client, &job, |j| j.status.is_terminal()).await;
    assert_eq!(done.status, superdocs_client::types::JobStatus::Cancelled);
    rig.sim.shutdown().await;
}

#[tokio::test]
async fn reverting_a_legacy_turn_is_a_validation_error() {
    let rig = rig().await;
    assert!(rig.sim.seed_legacy_session(rig.sim.key(), "legacy", &["an old message"]));
    let e = rig.client.revert("legacy", 0, &opts()).await.unwrap_err();
    assert_eq!((e.kind, e.status, e.attempts), (ErrorKind::Validation, Some(422), 1));
    assert!(e.detail.unwrap().contains("predates the revertability feature"));
    rig.sim.shutdown().await;
}

#[tokio::test]
async fn a_sync_turn_returns_typed_changes_and_usage() {
    let rig = rig().await;
    let mut req = ChatRequest::new("typed", "Make the title bold");
    req.document_html = Some("<h1>Title</h1><p>Body.</p>".into());
    req.approval_mode = Some(ApprovalMode::ApproveAll);
    let r = rig.client.chat(&req, &opts()).await.unwrap();
    assert_eq!(r.session_id, "typed");
    assert!(!r.response.is_empty());
    let usage = r.usage.expect("usage in every chat response");
    assert_eq!((usage.monthly_used, usage.monthly_limit), (1, 500));
    let h = rig.client.history("typed", &opts()).await.unwrap();
    assert!(h.messages.len() >= 2);
    let sessions = rig.client.sessions(Some(10), &opts()).await.unwrap();
    assert!(sessions.iter().any(|s| s.session_id == "typed"));
    rig.sim.shutdown().await;
}
