//! Upload routing at each boundary, with the simulator's counters proving what was (not) sent;
//! the pre-signed and direct routes under faults; the concurrency bound; progress.
//! Limits are lowered on both sides (same ratios as the contract) to keep files small.

mod faults_support;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use faults_support::*;
use superdocs_client::error::{ErrorKind, SuggestedAction};
use superdocs_client::progress::TransferProgress;
use superdocs_client::types::OpenMode;
use superdocs_client::upload::{UploadKind, UploadLimits, UploadRoute, Uploaded};
use superdocs_sim::{FaultAction, FaultBody, FaultRule, SimConfig, Stats};

const TRANSPORT: u64 = 64 * 1024;
const DIRECT: u64 = 100 * 1024;
// Above the client's 256 KiB in-memory threshold, so files at the cap are streamed from disk.
const PRESIGNED: u64 = 512 * 1024;
const OVERHEAD: u64 = 2048;
const SESSION: &str = "upload-session";
const DOC: UploadKind = UploadKind::Document { open_mode: OpenMode::Replace };

fn limits() -> UploadLimits {
    UploadLimits {
        transport_cap_bytes: TRANSPORT,
        direct_upload_cap_bytes: DIRECT,
        presigned_cap_bytes: PRESIGNED,
        multipart_overhead_bytes: OVERHEAD,
    }
}

async fn upload_rig(max_concurrent: usize) -> Rig {
    let sim = SimConfig {
        transport_cap_bytes: TRANSPORT,
        upload_cap_bytes: DIRECT,
        presigned_cap_bytes: PRESIGNED,
        ..sim_config()
    };
    rig_with(sim, |c| {
        c.upload_limits = limits();
        c.max_concurrent_uploads = max_concurrent;
    })
    .await
}

/// A text file of exactly `size` bytes (readable text, so the sim can parse it).
fn text_file(dir: &Path, name: &str, size: u64) -> PathBuf {
    let line = b"The quick brown fox jumps over the lazy dog.\n";
    let body: Vec<u8> = line.iter().copied().cycle().take(size as usize).collect();
    let p = dir.join(name);
    std::fs::write(&p, body).unwrap();
    p
}

fn total_calls(s: &Stats) -> usize {
    s.calls.iter().map(|c| c.count).sum()
}

fn total_bytes(s: &Stats) -> u64 {
    s.bytes.iter().map(|b| b.bytes).sum()
}

fn route(u: &Uploaded) -> UploadRoute {
    match u {
        Uploaded::Document { route, .. } | Uploaded::Attachment { route, .. } => *route,
    }
}

#[tokio::test]
async fn the_largest_multipart_file_goes_multipart_and_one_byte_more_goes_presigned() {
    let rig = upload_rig(3).await;
    let dir = tempfile::tempdir().unwrap();
    let name = "edge.txt";
    let largest = TRANSPORT - OVERHEAD - name.len() as u64;

    let f = text_file(dir.path(), name, largest);
    let up = rig.client.upload_file(&f, SESSION, DOC, None, &opts()).await.unwrap();
    assert_eq!(route(&up), UploadRoute::Multipart);
    let s = rig.sim.stats();
    assert_eq!(s.count("POST", "/v1/documents/upload"), 1);
    assert_eq!(s.count("POST", "/v1/uploads"), 0);
    assert!(s.bytes_received("/v1/documents/upload") >= largest);
    assert_eq!(s.submissions("upload", &key2(SESSION, name)), 1);

    rig.sim.reset_stats();
    let f = text_file(dir.path(), name, largest + 1);
    let up = rig.client.upload_file(&f, SESSION, DOC, None, &opts()).await.unwrap();
    assert_eq!(route(&up), UploadRoute::Presigned);
    let s = rig.sim.stats();
    assert_eq!(s.count("POST", "/v1/documents/upload"), 0);
    assert_eq!(s.count("POST", "/v1/uploads"), 1);
    assert_eq!(s.count("PUT", "*"), 1);
    assert_eq!(s.count("POST", "/v1/uploads/*/process"), 1);
    assert!(total_bytes(&s) > largest);
    match up {
        Uploaded::Document { html, .. } => assert!(html.unwrap_or_default().contains("quick brown fox")),
        other => panic!("{other:?}"),
    }
    rig.sim.shutdown().await;
}

#[tokio::test]
async fn the_presigned_cap_is_accepted_and_one_byte_more_is_refused_before_sending() {
    let rig = upload_rig(3).await;
    let dir = tempfile::tempdir().unwrap();
    let seen: Arc<Mutex<Vec<TransferProgress>>> = Arc::default();
    let s2 = seen.clone();
    let sink: superdocs_client::progress::ProgressSink = Arc::new(move |p| s2.lock().unwrap().push(p));
    let up = rig
        .client
        .upload_file(&text_file(dir.path(), "cap.txt", PRESIGNED), SESSION, DOC, Some(sink), &opts())
        .await
        .unwrap();
    assert_eq!(route(&up), UploadRoute::Presigned);
    let last = *seen.lock().unwrap().last().unwrap();
    assert_eq!((last.bytes, last.total, last.done), (PRESIGNED, Some(PRESIGNED), true), "streamed to the last byte");
    assert!(rig.sim.stats().bytes.iter().any(|b| b.bytes == PRESIGNED), "the PUT carried exactly the file");

    rig.sim.reset_stats();
    let e = rig
        .client
        .upload_file(&text_file(dir.path(), "over.txt", PRESIGNED + 1), SESSION, DOC, None, &opts())
        .await
        .unwrap_err();
    assert_eq!((e.kind, e.suggested_action), (ErrorKind::TooLarge, Some(SuggestedAction::ChooseSmallerFile)));
    assert!(e.message.contains("0.3 MB") || e.message.contains("MB"), "{}", e.message);
    let s = rig.sim.stats();
    assert_eq!((total_calls(&s), total_bytes(&s)), (0, 0), "nothing was sent");
    rig.sim.shutdown().await;
}

#[tokio::test]
async fn doc_unknown_and_empty_files_are_refused_with_nothing_sent() {
    let rig = upload_rig(3).await;
    let dir = tempfile::tempdir().unwrap();
    let doc = text_file(dir.path(), "legacy.doc", 100);
    let e = rig.client.upload_file(&doc, SESSION, DOC, None, &opts()).await.unwrap_err();
    assert_eq!((e.kind, e.suggested_action), (ErrorKind::UnsupportedFile, Some(SuggestedAction::ConvertToDocx)));
    let exe = text_file(dir.path(), "tool.exe", 100);
    assert_eq!(
        rig.client.upload_file(&exe, SESSION, UploadKind::Attachment, None, &opts()).await.unwrap_err().kind,
        ErrorKind::UnsupportedFile
    );
    let empty = text_file(dir.path(), "empty.txt", 0);
    let e = rig.client.upload_file(&empty, SESSION, DOC, None, &opts()).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Validation);
    assert!(e.message.contains("empty"));
    assert_eq!(e.operation.unwrap().file.as_deref(), Some("empty.txt"));
    let s = rig.sim.stats();
    assert_eq!((total_calls(&s), total_bytes(&s)), (0, 0), "nothing was sent");
    rig.sim.shutdown().await;
}

#[tokio::test]
async fn direct_upload_lost_answer_is_reconciled_not_resent() {
    let rig = upload_rig(3).await;
    let dir = tempfile::tempdir().unwrap();
    let f = text_file(dir.path(), "lost.txt", 1000);
    rig.sim.add_fault(FaultRule {
        method: Some("POST".into()),
        path: "/v1/documents/upload".into(),
        action: FaultAction::ResetAfterHandling,
        ..Default::default()
    });
    let up = rig.client.upload_file(&f, SESSION, DOC, None, &opts()).await.unwrap();
    assert_eq!(route(&up), UploadRoute::Multipart);
    let s = rig.sim.stats();
    assert_eq!(s.count("POST", "/v1/documents/upload"), 1, "the history showed the file loaded");
    assert_eq!(s.submissions("upload", &key2(SESSION, "lost.txt")), 1);
    rig.sim.shutdown().await;
}

#[tokio::test]
async fn a_lost_upload_is_recognised_by_the_document_version_not_by_the_clock() {
    let rig = upload_rig(3).await;
    let dir = tempfile::tempdir().unwrap();
    rig.client.upload_file(&text_file(dir.path(), "first.txt", 500), SESSION, DOC, None, &opts()).await.unwrap();
    // The next file, a moment later: the document's last_modified is still "since the upload began"
    // within any clock tolerance, yet this upload never reached the service and must be sent again.
    rig.sim.add_fault(FaultRule {
        method: Some("POST".into()),
        path: "/v1/documents/upload".into(),
        action: FaultAction::ResetBeforeHandling,
        ..Default::default()
    });
    rig.client.upload_file(&text_file(dir.path(), "second.txt", 700), SESSION, DOC, None, &opts()).await.unwrap();
    let s = rig.sim.stats();
    assert_eq!(s.count("POST", "/v1/documents/upload"), 3);
    assert_eq!(
        s.submissions("upload", &key2(SESSION, "second.txt")),
        1,
        "sent again, once: the version had not changed"
    );
    rig.sim.shutdown().await;
}

#[tokio::test]
async fn direct_upload_reset_before_handling_is_resent_once_from_a_reopened_file() {
    let rig = upload_rig(3).await;
    let dir = tempfile::tempdir().unwrap();
    let f = text_file(dir.path(), "again.txt", 1000);
    rig.sim.add_fault(FaultRule {
        method: Some("POST".into()),
        path: "/v1/documents/upload".into(),
        action: FaultAction::ResetBeforeHandling,
        ..Default::default()
    });
    rig.client.upload_file(&f, SESSION, DOC, None, &opts()).await.unwrap();
    let s = rig.sim.stats();
    assert_eq!(s.count("POST", "/v1/documents/upload"), 2);
    assert_eq!(s.submissions("upload", &key2(SESSION, "again.txt")), 1);
    rig.sim.shutdown().await;
}

#[tokio::test]
async fn presigned_put_is_retried_and_lost_process_answer_is_reconciled() {
    let rig = upload_rig(3).await;
    let dir = tempfile::tempdir().unwrap();
    let f = text_file(dir.path(), "big.txt", TRANSPORT + 10);
    rig.sim.add_fault(FaultRule {
        method: Some("PUT".into()),
        path: "*".into(),
        times: 2,
        action: FaultAction::Respond { status: 503, body: FaultBody::Html },
        ..Default::default()
    });
    rig.sim.add_fault(FaultRule {
        method: Some("POST".into()),
        path: "/v1/uploads/*/process".into(),
        action: FaultAction::ResetAfterHandling,
        ..Default::default()
    });
    let up = rig.client.upload_file(&f, SESSION, DOC, None, &opts()).await.unwrap();
    assert_eq!(route(&up), UploadRoute::Presigned);
    let s = rig.sim.stats();
    assert_eq!(s.count("PUT", "*"), 3);
    assert_eq!(s.count("POST", "/v1/uploads/*/process"), 1, "reconciled from the history");
    assert_eq!(s.submissions("upload", &key2(SESSION, "big.txt")), 1);
    // Two waits before the PUT's 2nd and 3rd attempts, then the process step's own first retry.
    assert_eq!(rig.clock.waits_ms(), vec![500, 1000, 500]);
    rig.sim.shutdown().await;
}

#[tokio::test]
async fn presigned_put_that_keeps_failing_reports_after_five_attempts() {
    let rig = upload_rig(3).await;
    let dir = tempfile::tempdir().unwrap();
    let f = text_file(dir.path(), "big.txt", TRANSPORT + 10);
    rig.sim.add_fault(FaultRule {
        method: Some("PUT".into()),
        path: "*".into(),
        times: 0,
        action: FaultAction::Respond {
            status: 502,
            body: FaultBody::Gateway { code: "UPSTREAM_ERROR".into(), message: "storage down".into() },
        },
        ..Default::default()
    });
    let e = rig.client.upload_file(&f, SESSION, DOC, None, &opts()).await.unwrap_err();
    assert_eq!((e.kind, e.attempts, e.code.as_deref()), (ErrorKind::Server, 5, Some("UPSTREAM_ERROR")));
    assert_eq!(e.suggested_action, Some(SuggestedAction::Retry));
    assert!(e.retryable && e.trace_id.is_some());
    let s = rig.sim.stats();
    assert_eq!(s.count("PUT", "*"), 5);
    assert_eq!(s.count("POST", "/v1/uploads/*/process"), 0);
    rig.sim.shutdown().await;
}

#[tokio::test]
async fn attachments_upload_and_report_progress_to_the_last_byte() {
    let rig = upload_rig(3).await;
    let dir = tempfile::tempdir().unwrap();
    let f = text_file(dir.path(), "notes.md", 5000);
    let seen: Arc<Mutex<Vec<TransferProgress>>> = Arc::default();
    let s2 = seen.clone();
    let up = rig
        .client
        .upload_file(&f, SESSION, UploadKind::Attachment, Some(Arc::new(move |p| s2.lock().unwrap().push(p))), &opts())
        .await
        .unwrap();
    match up {
        Uploaded::Attachment { job_id, filename, .. } => {
            assert_eq!(filename, "notes.md");
            assert!(job_id.is_some());
        }
        other => panic!("{other:?}"),
    }
    let (last, reports) = {
        let seen = seen.lock().unwrap();
        (*seen.last().unwrap(), seen.len())
    };
    assert_eq!((last.bytes, last.total, last.done), (5000, Some(5000), true));
    assert!(reports <= 3, "throttled: {reports} reports for a tiny file");
    rig.sim.shutdown().await;
}

#[tokio::test]
async fn many_uploads_run_at_most_the_configured_number_at_once() {
    let rig = upload_rig(2).await;
    let dir = tempfile::tempdir().unwrap();
    // Each upload waits a little at the server, so unbounded uploads would overlap.
    rig.sim.add_fault(FaultRule {
        method: Some("POST".into()),
        path: "/v1/attachments/upload".into(),
        times: 0,
        delay_ms: 60,
        action: FaultAction::DelayOnly,
        ..Default::default()
    });
    let files: Vec<PathBuf> = (0..5).map(|i| text_file(dir.path(), &format!("f{i}.txt"), 2000)).collect();
    let in_flight = Arc::new(Mutex::new((0usize, 0usize))); // (now, max)
    let sinks = {
        let in_flight = in_flight.clone();
        move |_i: usize| -> Option<superdocs_client::progress::ProgressSink> {
            let in_flight = in_flight.clone();
            let started = Arc::new(Mutex::new(false));
            Some(Arc::new(move |p: TransferProgress| {
                let mut g = in_flight.lock().unwrap();
                let mut s = started.lock().unwrap();
                if !*s {
                    *s = true;
                    g.0 += 1;
                    g.1 = g.1.max(g.0);
                }
                if p.done {
                    g.0 -= 1;
                }
            }))
        }
    };
    let results = rig.client.upload_files(&files, SESSION, UploadKind::Attachment, sinks, &opts()).await;
    assert!(results.iter().all(|r| r.is_ok()), "{results:?}");
    let (_, max) = *in_flight.lock().unwrap();
    assert!((1..=2).contains(&max), "at most 2 uploads at once, saw {max}");
    assert_eq!(rig.sim.stats().count("POST", "/v1/attachments/upload"), 5);
    rig.sim.shutdown().await;
}

#[tokio::test]
async fn an_expired_upload_url_gets_a_fresh_slot() {
    let rig = upload_rig(3).await;
    let dir = tempfile::tempdir().unwrap();
    let f = text_file(dir.path(), "slow.txt", TRANSPORT + 10);
    rig.sim.add_fault(FaultRule {
        method: Some("PUT".into()),
        path: "*".into(),
        action: FaultAction::Respond { status: 404, body: FaultBody::Detail("Upload URL expired".into()) },
        ..Default::default()
    });
    let up = rig.client.upload_file(&f, SESSION, DOC, None, &opts()).await.unwrap();
    assert_eq!(route(&up), UploadRoute::Presigned);
    let s = rig.sim.stats();
    assert_eq!(
        (s.count("POST", "/v1/uploads"), s.count("PUT", "*"), s.count("POST", "/v1/uploads/*/process")),
        (2, 2, 1)
    );
    rig.sim.shutdown().await;
}
