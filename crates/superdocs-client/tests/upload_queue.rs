//! The upload queue both hosts use, over real HTTP to the simulator: what it records in the profile's
//! store, that a retry goes out under the profile the upload was first sent with (not whichever is
//! active now), and the attachment follow-up reported to the host as events.

mod faults_support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use faults_support::*;
use superdocs_client::host::{AttachmentsChanged, Finished, Host};
use superdocs_client::store::{Store, UploadState, UploadTarget};
use superdocs_client::types::AttachmentState;
use superdocs_client::upload_queue::{UploadEvent, UploadQueue, UploadSink};
use superdocs_client::Error;
use superdocs_sim::{FaultAction, FaultBody, FaultRule};
use tokio::sync::mpsc;

#[derive(Default)]
struct RecordingHost {
    attachments: Mutex<Vec<AttachmentsChanged>>,
    errors: Mutex<Vec<Error>>,
}

impl Host for RecordingHost {
    fn attachments_changed(&self, event: AttachmentsChanged) {
        self.attachments.lock().unwrap().push(event);
    }
    fn background_error(&self, error: &Error) {
        self.errors.lock().unwrap().push(error.clone());
    }
    fn notify(&self, _what: Finished, _body: &str, _session_id: Option<&str>) {}
}

fn sink() -> (UploadSink, mpsc::UnboundedReceiver<UploadEvent>) {
    let (tx, rx) = mpsc::unbounded_channel();
    (Arc::new(move |e| drop(tx.send(e))), rx)
}

/// The upload's last event: done, failed or cancelled.
async fn ending(rx: &mut mpsc::UnboundedReceiver<UploadEvent>) -> UploadEvent {
    loop {
        let e = tokio::time::timeout(Duration::from_secs(30), rx.recv()).await.expect("an ending").expect("open");
        if matches!(e, UploadEvent::Done { .. } | UploadEvent::Failed { .. } | UploadEvent::Cancelled { .. }) {
            return e;
        }
    }
}

fn refuse_uploads(times: u32) -> FaultRule {
    FaultRule {
        method: Some("POST".into()),
        path: "/v1/documents/upload".into(),
        times,
        action: FaultAction::Respond { status: 403, body: FaultBody::Detail("Not for this account.".into()) },
        ..Default::default()
    }
}

/// The next document upload is answered after `ms`.
fn slow_uploads(ms: u64) -> FaultRule {
    FaultRule {
        method: Some("POST".into()),
        path: "/v1/documents/upload".into(),
        action: FaultAction::DelayOnly,
        delay_ms: ms,
        ..Default::default()
    }
}

#[tokio::test]
async fn a_failed_upload_stays_on_its_profiles_queue_and_a_retry_uses_that_profile() {
    let (work, personal) = (rig().await, rig().await);
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("work")).unwrap();
    let file = dir.path().join("report.txt");
    std::fs::write(&file, "Quarterly report.").unwrap();
    let queue = UploadQueue::new(Arc::new(RecordingHost::default()), dir.path().join("outgoing"));

    work.sim.add_fault(refuse_uploads(1));
    let (s, mut rx) = sink();
    let queued = queue.add(&work.client, Some(&store), file.clone(), "s_work", UploadTarget::Document, s);
    assert!(queued.refused.is_none());
    assert!(matches!(ending(&mut rx).await, UploadEvent::Failed { .. }));
    let rows = store.uploads().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].status, UploadState::Failed);
    assert!(rows[0].error.as_deref().is_some_and(|m| !m.is_empty()));

    // The user switches to another profile (its client is the active one now) and presses Retry.
    let _active_now = &personal.client;
    queue.retry(&queued.upload_id).unwrap();
    assert!(matches!(ending(&mut rx).await, UploadEvent::Done { .. }));
    assert_eq!(work.sim.stats().count("POST", "/v1/documents/upload"), 2, "sent again to the first profile's server");
    assert_eq!(personal.sim.stats().count("POST", "/v1/documents/upload"), 0, "never under the other key");
    assert!(store.uploads().unwrap().is_empty(), "done is taken off the queue");
    assert!(queue.retry(&queued.upload_id).is_err(), "a finished upload is no longer held");
}

#[tokio::test]
async fn an_upload_cut_off_is_listed_once_by_the_next_run_and_not_while_running() {
    let rig = rig().await;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let file = dir.path().join("notes.txt");
    std::fs::write(&file, "Notes.").unwrap();
    // An earlier run recorded it and quit mid-way.
    store.enqueue_upload(&file, "s_prev", UploadTarget::Attachment).unwrap();

    let queue = UploadQueue::new(Arc::new(RecordingHost::default()), dir.path().join("outgoing"));
    let (s, mut rx) = sink();
    rig.sim.add_fault(slow_uploads(500));
    queue.add(&rig.client, Some(&store), file.clone(), "s_now", UploadTarget::Document, s);
    let listed = queue.take_interrupted(&store).unwrap();
    assert_eq!(listed.len(), 1, "this run's upload is not an interrupted one: {listed:?}");
    assert_eq!((listed[0].session_id.as_str(), listed[0].mode), ("s_prev", UploadTarget::Attachment));
    assert_eq!(listed[0].size, 6);
    assert!(queue.take_interrupted(&store).unwrap().is_empty(), "listed once");
    assert!(matches!(ending(&mut rx).await, UploadEvent::Done { .. }));
}

#[tokio::test]
async fn an_attachment_is_followed_until_indexed_and_the_host_hears_of_it() {
    let rig = rig().await;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let file = dir.path().join("terms.txt");
    std::fs::write(&file, "Terms and conditions.").unwrap();
    let host = Arc::new(RecordingHost::default());
    let queue = UploadQueue::new(host.clone(), dir.path().join("outgoing"));
    let (s, mut rx) = sink();
    // The session exists at the service once it has a document.
    let doc = dir.path().join("doc.txt");
    std::fs::write(&doc, "The document.").unwrap();
    queue.add(&rig.client, Some(&store), doc, "s_att", UploadTarget::Document, s.clone());
    assert!(matches!(ending(&mut rx).await, UploadEvent::Done { .. }));
    queue.add(&rig.client, Some(&store), file, "s_att", UploadTarget::Attachment, s);
    assert!(matches!(ending(&mut rx).await, UploadEvent::Done { .. }));
    let indexed = |h: &RecordingHost| {
        h.attachments.lock().unwrap().last().is_some_and(|e| {
            e.session_id == "s_att" && e.attachments.iter().all(|a| a.status == AttachmentState::Completed)
        })
    };
    for _ in 0..300 {
        if indexed(&host) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(indexed(&host), "the host heard the attachment indexed: {:?}", host.attachments.lock().unwrap());
    assert!(host.errors.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_cancelled_upload_leaves_the_queue_and_says_so() {
    let rig = rig().await;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let file = dir.path().join("slow.txt");
    std::fs::write(&file, "Slow.").unwrap();
    rig.sim.add_fault(slow_uploads(5_000));
    let queue = UploadQueue::new(Arc::new(RecordingHost::default()), dir.path().join("outgoing"));
    let (s, mut rx) = sink();
    let queued = queue.add(&rig.client, Some(&store), file, "s_cancel", UploadTarget::Document, s);
    assert_eq!(store.uploads().unwrap().len(), 1, "recorded while it runs");
    queue.cancel(&queued.upload_id);
    assert!(matches!(ending(&mut rx).await, UploadEvent::Cancelled { .. }));
    assert!(store.uploads().unwrap().is_empty());
}

#[tokio::test]
async fn a_refused_file_is_answered_at_once_and_never_recorded() {
    let rig = rig().await;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let old = dir.path().join("legacy.doc");
    std::fs::write(&old, "old").unwrap();
    let queue = UploadQueue::new(Arc::new(RecordingHost::default()), dir.path().join("outgoing"));
    let (s, _rx) = sink();
    let queued = queue.add(&rig.client, Some(&store), old, "s_ref", UploadTarget::Document, s);
    assert!(queued.refused.is_some());
    assert!(store.uploads().unwrap().is_empty());
    assert_eq!(rig.sim.stats().count("POST", "/v1/*"), 0);
}
