//! The fault matrix of docs/error-handling.md §2 over real HTTP: each operation × each failure class
//! (jobs, chat async, chat sync, approve, direct upload, pre-signed PUT, export, e-mailed export),
//! asserting the attempts the simulator saw, the outcome, the error's kind, trace id and suggested
//! action, and that nothing was done twice (the simulator's submission counts).

mod faults_support;

use faults_support::*;
use superdocs_client::error::{ErrorKind, SuggestedAction};
use superdocs_client::export::{ExportOutcome, ExportSource, ExportSpec};
use superdocs_client::retry::Idempotency;
use superdocs_client::types::{ApproveRequest, ChatRequest, EmailExportRequest, ExportFormat, OpenMode};
use superdocs_client::upload::{UploadKind, UploadLimits, UploadRoute, Uploaded};
use superdocs_client::{Error, Result};
use superdocs_sim::{FaultAction, FaultBody, FaultRule, SimConfig};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Job,
    ChatAsync,
    ChatSync,
    Approve,
    UploadDirect,
    UploadPresignedPut,
    Export,
    EmailExport,
}

impl Op {
    fn method_path(self) -> (&'static str, &'static str) {
        match self {
            Op::Job => ("GET", "/v1/jobs/*"),
            Op::ChatAsync => ("POST", "/v1/chat/async"),
            Op::ChatSync => ("POST", "/v1/chat"),
            Op::Approve => ("POST", "/v1/chat/*/approve"),
            Op::UploadDirect => ("POST", "/v1/documents/upload"),
            Op::UploadPresignedPut => ("PUT", "*"),
            Op::Export => ("POST", "/v1/documents/export"),
            Op::EmailExport => ("POST", "/v1/documents/export/email-request"),
        }
    }
    fn idempotency(self) -> Idempotency {
        match self {
            Op::Job | Op::UploadPresignedPut | Op::Export => Idempotency::Idempotent,
            Op::ChatAsync | Op::Approve | Op::UploadDirect => Idempotency::Reconciled,
            Op::ChatSync | Op::EmailExport => Idempotency::NotIdempotent,
        }
    }
    fn is_chat(self) -> bool {
        matches!(self, Op::ChatAsync | Op::ChatSync)
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Class {
    ResetBeforeHandling,
    ResetAfterHandling,
    BadGatewayHtmlTwice,
    UnavailableRetryAfter2s,
    ServerErrorTwice,
    RateLimited,
    GatewayTimeout,
    ChatCap504,
    NotFound,
    Truncated2xx,
    UnavailableFiveTimes,
}

const CLASSES: [Class; 11] = [
    Class::ResetBeforeHandling,
    Class::ResetAfterHandling,
    Class::BadGatewayHtmlTwice,
    Class::UnavailableRetryAfter2s,
    Class::ServerErrorTwice,
    Class::RateLimited,
    Class::GatewayTimeout,
    Class::ChatCap504,
    Class::NotFound,
    Class::Truncated2xx,
    Class::UnavailableFiveTimes,
];

fn rule(op: Op, class: Class) -> FaultRule {
    let (method, path) = op.method_path();
    let respond = |status: u16, body: FaultBody| FaultAction::Respond { status, body };
    let (action, times, retry_after) = match class {
        Class::ResetBeforeHandling => (FaultAction::ResetBeforeHandling, 1, None),
        Class::ResetAfterHandling => (FaultAction::ResetAfterHandling, 1, None),
        Class::BadGatewayHtmlTwice => (respond(502, FaultBody::Html), 2, None),
        Class::UnavailableRetryAfter2s => (respond(503, FaultBody::Empty), 1, Some("2".to_string())),
        Class::ServerErrorTwice => (respond(500, FaultBody::Detail("Internal server error".into())), 2, None),
        Class::RateLimited => (
            respond(429, FaultBody::Gateway { code: "RATE_LIMITED".into(), message: "Too many requests".into() }),
            1,
            None,
        ),
        Class::GatewayTimeout => (
            respond(504, FaultBody::Gateway { code: "UPSTREAM_TIMEOUT".into(), message: "upstream timed out".into() }),
            1,
            None,
        ),
        Class::ChatCap504 => (
            respond(
                504,
                FaultBody::Detail("The turn ran past 30 minutes; split the work into smaller requests.".into()),
            ),
            1,
            None,
        ),
        Class::NotFound => (respond(404, FaultBody::Detail("Job not found".into())), 1, None),
        Class::Truncated2xx => (respond(200, FaultBody::Truncated), 1, None),
        Class::UnavailableFiveTimes => (respond(503, FaultBody::Html), 5, None),
    };
    FaultRule { method: Some(method.into()), path: path.into(), times, action, retry_after, ..Default::default() }
}

/// What docs/error-handling.md §2 says must happen.
#[derive(Debug, PartialEq)]
struct Expect {
    /// Calls of the faulted route the simulator sees.
    calls: usize,
    /// None = success.
    error: Option<(ErrorKind, Option<SuggestedAction>)>,
    /// The server acted this many times (non-idempotent operations only).
    acted: u32,
}

fn expect(op: Op, class: Class) -> Expect {
    let idem = op.idempotency();
    let ok = |calls: usize| Expect { calls, error: None, acted: 1 };
    let fail = |calls: usize, kind, action, acted| Expect { calls, error: Some((kind, action)), acted };
    let retry = Some(SuggestedAction::Retry);
    match class {
        // The request reached the server, the answer did not come back: resend only if that is safe.
        // Not resent and not reconcilable: the client cannot know, and says so (never "network error").
        Class::ResetBeforeHandling => match idem {
            Idempotency::NotIdempotent => fail(1, ErrorKind::UnknownOutcome, None, 0),
            _ => ok(2),
        },
        Class::ResetAfterHandling => match idem {
            Idempotency::NotIdempotent => fail(1, ErrorKind::UnknownOutcome, None, 1),
            // Reconciled: the lost attempt's result is adopted, the call is not sent again.
            Idempotency::Reconciled => ok(1),
            Idempotency::Idempotent => ok(2),
        },
        Class::BadGatewayHtmlTwice => ok(3),
        Class::UnavailableRetryAfter2s => ok(2),
        Class::ServerErrorTwice => fail(2, ErrorKind::Server, retry, 0),
        Class::RateLimited => ok(2),
        Class::GatewayTimeout => match idem {
            Idempotency::NotIdempotent => fail(1, ErrorKind::Timeout, retry, 0),
            _ => ok(2),
        },
        // A 504 that is not a gateway's: the chat cap on a chat turn; elsewhere retried if safe.
        Class::ChatCap504 if op.is_chat() || idem == Idempotency::NotIdempotent => {
            fail(1, ErrorKind::Timeout, Some(SuggestedAction::SplitRequest), 0)
        }
        Class::ChatCap504 => ok(2),
        // An upload URL that 404s has expired: the client asks for a fresh slot once.
        Class::NotFound if op == Op::UploadPresignedPut => ok(2),
        Class::NotFound => fail(1, ErrorKind::NotFound, None, 0),
        // Storage's 2xx to a PUT is trusted (its body carries nothing the client reads); the
        // sim's faked 200 stored nothing, so /process refuses: surfaced, not retried, done 0 times.
        Class::Truncated2xx if op == Op::UploadPresignedPut => fail(1, ErrorKind::Validation, None, 0),
        // A 2xx means the server acted, but its answer is unreadable: a call that cannot be reconciled
        // ends as an unknown outcome; a reconciled one looks, finds nothing (the sim's 2xx was faked), and
        // reports the protocol error.
        Class::Truncated2xx if idem == Idempotency::NotIdempotent => fail(1, ErrorKind::UnknownOutcome, None, 0),
        Class::Truncated2xx => fail(1, ErrorKind::Protocol, Some(SuggestedAction::ContactSupport), 0),
        Class::UnavailableFiveTimes => fail(5, ErrorKind::Server, retry, 0),
    }
}

const SESSION: &str = "matrix-session";
const MESSAGE: &str = "Make the title bold";
const FILE: &str = "matrix.txt";

/// A file that goes multipart (small) or pre-signed (over the lowered transport cap).
fn matrix_file(dir: &std::path::Path, op: Op) -> std::path::PathBuf {
    let size = if op == Op::UploadPresignedPut { TRANSPORT_CAP + 1 } else { 500 };
    let p = dir.join(FILE);
    std::fs::write(&p, &"A line of the matrix document.\n".repeat(size / 31 + 1).as_bytes()[..size]).unwrap();
    p
}

/// Transport cap lowered so a small file goes pre-signed.
const TRANSPORT_CAP: usize = 16 * 1024;

async fn with_document(rig: &Rig) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("doc.html");
    std::fs::write(&p, "<h1>Matrix</h1><p>Body text.</p>").unwrap();
    rig.client.upload_file(&p, SESSION, DOC, None, &opts()).await.unwrap();
}

const DOC: UploadKind = UploadKind::Document { open_mode: OpenMode::Replace };

/// Sets up what the operation needs, then returns the submission key it is counted under.
async fn prepare(rig: &Rig, op: Op) -> (Option<String>, Option<(&'static str, String)>) {
    match op {
        Op::Job => {
            let accepted = rig.client.chat_async(&ChatRequest::new(SESSION, "setup"), &opts()).await.unwrap();
            (Some(accepted.job_id), None)
        }
        Op::ChatAsync | Op::ChatSync => (None, Some(("chat", key2(SESSION, MESSAGE)))),
        Op::Approve => {
            let job = job_awaiting_approval(&rig.client, SESSION).await;
            (Some(job.clone()), Some(("approve", job)))
        }
        Op::UploadDirect | Op::UploadPresignedPut => (None, Some(("upload", key2(SESSION, FILE)))),
        Op::Export => {
            with_document(rig).await;
            (None, None)
        }
        Op::EmailExport => {
            with_document(rig).await;
            (None, Some(("email_export", key2(SESSION, "pdf"))))
        }
    }
}

async fn perform(rig: &Rig, op: Op, job: Option<&str>) -> Result<()> {
    let c = &rig.client;
    let dir = tempfile::tempdir().unwrap();
    match op {
        Op::Job => c.job(job.unwrap(), &opts()).await.map(|_| ()),
        Op::ChatAsync => c.chat_async(&ChatRequest::new(SESSION, MESSAGE), &opts()).await.map(|_| ()),
        Op::ChatSync => c.chat(&ChatRequest::new(SESSION, MESSAGE), &opts()).await.map(|_| ()),
        Op::Approve => {
            let req = ApproveRequest { job_id: job.unwrap().to_string(), approved: true, ..Default::default() };
            c.approve(SESSION, &req, &opts()).await.map(|_| ())
        }
        Op::UploadDirect | Op::UploadPresignedPut => {
            let f = matrix_file(dir.path(), op);
            let up = c.upload_file(&f, SESSION, DOC, None, &opts()).await?;
            let want = if op == Op::UploadDirect { UploadRoute::Multipart } else { UploadRoute::Presigned };
            assert!(matches!(up, Uploaded::Document { route, .. } if route == want));
            Ok(())
        }
        Op::Export => {
            let spec = ExportSpec {
                source: ExportSource::Session { session_id: SESSION.into() },
                format: ExportFormat::Pdf,
                options: None,
                filename: None,
                recipient_email: None,
                dest_dir: dir.path().to_path_buf(),
            };
            let out = c.export(&spec, None, &opts()).await;
            let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
            match &out {
                Ok(ExportOutcome::Saved { path, .. }) => {
                    assert_eq!(names.len(), 1);
                    assert!(std::fs::read(path).unwrap().starts_with(b"%PDF"));
                }
                Ok(other) => panic!("{other:?}"),
                Err(_) => assert!(names.is_empty(), "a failed export leaves nothing: {names:?}"),
            }
            out.map(|_| ())
        }
        Op::EmailExport => {
            let req = EmailExportRequest {
                session_id: SESSION.into(),
                format: ExportFormat::Pdf,
                options: None,
                filename: None,
                recipient_email: None,
            };
            c.email_export(&req, &opts()).await.map(|_| ())
        }
    }
}

fn check_error(e: &Error, op: Op, class: Class, want: &Expect) {
    let (kind, mut action) = want.error.unwrap();
    // A chat turn that fails for the service's sake offers another model instead of a plain retry.
    if op.is_chat() && action == Some(SuggestedAction::Retry) {
        action = Some(SuggestedAction::SwitchModel);
    }
    let ctx = format!("{op:?} × {class:?}: {e:?}");
    assert_eq!(e.kind, kind, "{ctx}");
    assert_eq!(e.suggested_action, action, "{ctx}");
    assert_eq!(e.attempts as usize, want.calls, "{ctx}");
    assert!(e.request_id.starts_with("cli_"), "{ctx}");
    assert!(e.operation.is_some(), "{ctx}");
    if e.kind == ErrorKind::UnknownOutcome {
        assert!(e.message.contains("check before sending it again"), "{ctx}");
        assert!(!e.retryable, "a plain retry could do it twice ({ctx})");
    } else if e.status.is_some() && e.kind != ErrorKind::Protocol {
        // The sim names every answer with X-Request-ID: req_…; that is the id to quote to support.
        assert!(e.trace_id.as_deref().is_some_and(|t| t.starts_with("req_")), "{ctx}");
    } else if e.status.is_none() {
        assert_eq!(e.trace_id, None, "no answer, no trace id: the request id stands in ({ctx})");
    }
    let json = serde_json::to_string(e).unwrap();
    assert!(!json.contains(&rig_key_fragment()), "the key leaked into {json}");
}

fn rig_key_fragment() -> String {
    // Keys are sk_ + 32 hex; any 16-hex run after sk_ would be a leak. Checked by prefix below.
    "Bearer sk_".to_string()
}

async fn run_case(op: Op, class: Class) {
    let rig = rig_with(SimConfig { transport_cap_bytes: TRANSPORT_CAP as u64, ..sim_config() }, |c| {
        c.upload_limits = UploadLimits {
            transport_cap_bytes: TRANSPORT_CAP as u64,
            multipart_overhead_bytes: 1024,
            ..UploadLimits::default()
        };
    })
    .await;
    let (job, submission) = prepare(&rig, op).await;
    rig.sim.reset_stats();
    rig.sim.add_fault(rule(op, class));
    let want = expect(op, class);
    let result = perform(&rig, op, job.as_deref()).await;
    let stats = rig.sim.stats();
    let (method, path) = op.method_path();
    let ctx = format!("{op:?} × {class:?}");
    assert_eq!(stats.count(method, path), want.calls, "{ctx}: calls of {method} {path}");
    match (&result, &want.error) {
        (Ok(()), None) => {}
        (Err(e), Some(_)) => check_error(e, op, class, &want),
        _ => panic!("{ctx}: got {result:?}, wanted {want:?}"),
    }
    if let Some((kind, key)) = submission {
        assert_eq!(
            stats.submissions(kind, &key),
            want.acted,
            "{ctx}: {kind} done {} times",
            stats.submissions(kind, &key)
        );
    }
    if class == Class::UnavailableRetryAfter2s {
        assert_eq!(rig.clock.waits_ms(), vec![2000], "{ctx}: Retry-After replaces the jitter");
    }
    if class == Class::UnavailableFiveTimes {
        assert_eq!(rig.clock.waits_ms(), vec![500, 1000, 2000, 4000], "{ctx}: full-jitter bounds");
        assert!(result.unwrap_err().retryable);
    }
    rig.sim.shutdown().await;
}

async fn run_row(op: Op) {
    for class in CLASSES {
        run_case(op, class).await;
    }
}

#[tokio::test]
async fn jobs_read_under_every_failure_class() {
    run_row(Op::Job).await;
}

#[tokio::test]
async fn chat_async_under_every_failure_class() {
    run_row(Op::ChatAsync).await;
}

#[tokio::test]
async fn chat_sync_under_every_failure_class() {
    run_row(Op::ChatSync).await;
}

#[tokio::test]
async fn approve_under_every_failure_class() {
    run_row(Op::Approve).await;
}

#[tokio::test]
async fn direct_upload_under_every_failure_class() {
    run_row(Op::UploadDirect).await;
}

#[tokio::test]
async fn presigned_put_under_every_failure_class() {
    run_row(Op::UploadPresignedPut).await;
}

#[tokio::test]
async fn export_under_every_failure_class() {
    run_row(Op::Export).await;
}

#[tokio::test]
async fn email_export_under_every_failure_class() {
    run_row(Op::EmailExport).await;
}

#[tokio::test]
async fn connection_refused_is_retried_for_every_operation_then_reported() {
    // A port nothing listens on: bind, learn the port, close.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let rig = rig().await;
    let clock = std::sync::Arc::new(RecordingClock::default());
    let dead = client_for(&rig.sim, &format!("http://127.0.0.1:{port}"), clock.clone(), |_| {});
    let e = dead.chat(&ChatRequest::new(SESSION, MESSAGE), &opts()).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Network);
    assert_eq!(e.attempts, 5, "nothing reached a server: safe to resend even a chat turn");
    assert_eq!(e.suggested_action, Some(SuggestedAction::SwitchModel));
    assert!(e.retryable);
    assert_eq!(e.trace_id, None);
    assert!(e.request_id.starts_with("cli_"));
    assert_eq!(clock.waits_ms(), vec![500, 1000, 2000, 4000]);
    rig.sim.shutdown().await;
}

#[tokio::test]
async fn monthly_quota_429_is_never_retried_and_says_upgrade() {
    let rig = rig().await;
    let key = rig.sim.key().to_string();
    rig.sim.set_monthly_used(&key, 500);
    let e = rig.client.chat_async(&ChatRequest::new(SESSION, MESSAGE), &opts()).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Quota);
    assert_eq!(e.status, Some(429));
    assert_eq!(e.attempts, 1);
    assert_eq!(e.suggested_action, Some(SuggestedAction::UpgradePlan));
    assert!(!e.retryable);
    let limits = e.limits.expect("quota figures");
    assert_eq!((limits.monthly_limit, limits.monthly_remaining), (Some(500), Some(0)));
    assert!(e.trace_id.is_some());
    assert_eq!(rig.sim.stats().count("POST", "/v1/chat/async"), 1);
    assert_eq!(
        rig.sim.stats().submissions("chat", &key2(SESSION, MESSAGE)),
        1,
        "the refused turn was counted once, not retried"
    );
    rig.sim.shutdown().await;
}

#[tokio::test]
async fn long_retry_after_is_surfaced_not_waited() {
    let rig = rig().await;
    rig.sim.add_fault(FaultRule {
        method: Some("GET".into()),
        path: "/v1/sessions".into(),
        action: FaultAction::Respond {
            status: 429,
            body: FaultBody::Gateway { code: "RATE_LIMITED".into(), message: "slow down".into() },
        },
        retry_after: Some("120".into()),
        ..Default::default()
    });
    let e = rig.client.sessions(None, &opts()).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::RateLimited);
    assert_eq!(e.retry_after_ms, Some(120_000));
    assert_eq!(e.attempts, 1);
    assert!(rig.clock.waits_ms().is_empty());
    rig.sim.shutdown().await;
}

#[tokio::test]
async fn cancelling_during_the_wait_ends_the_call() {
    use superdocs_client::retry::CallOptions;
    use tokio_util::sync::CancellationToken;
    // A real clock here: the wait is long (Retry-After 30 s) and cancellation must cut it.
    let rig = rig_with(sim_config(), |c| c.clock = std::sync::Arc::new(superdocs_client::retry::TokioClock)).await;
    rig.sim.add_fault(FaultRule {
        method: Some("GET".into()),
        path: "/v1/sessions".into(),
        action: FaultAction::Respond { status: 503, body: FaultBody::Empty },
        retry_after: Some("30".into()),
        ..Default::default()
    });
    let cancel = CancellationToken::new();
    let c2 = cancel.clone();
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let s2 = seen.clone();
    let opts = CallOptions::with_cancel(cancel).on_retry(move |e| {
        s2.lock().unwrap().push(e.clone());
        c2.cancel();
    });
    let e = rig.client.sessions(None, &opts).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Cancelled);
    let first = seen.lock().unwrap()[0].clone();
    assert_eq!((first.attempt, first.of, first.next_in_ms), (2, 5, 30_000));
    assert_eq!(rig.sim.stats().count("GET", "/v1/sessions"), 1);
    rig.sim.shutdown().await;
}
