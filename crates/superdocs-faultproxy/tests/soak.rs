//! Exactly once under faults we did not write: mixed operations (uploads, async chat, review with
//! approve-all, exports, e-mailed exports) from several concurrent clients, through the fault proxy,
//! against the simulator. Judged from the simulator's own records:
//! - no operation was submitted twice;
//! - no operation reported as failed was applied (one that may have been is reported `unknown_outcome`);
//! - nothing the client reported done is missing, and every accepted job reached its end;
//! - every failure carries a request id (and a trace id when the service answered).
//!
//! `SOAK_OPS` (default 100), `SOAK_CLIENTS` (4), `SOAK_SEED` (42), `SOAK_FAULT_RATE` (0.3). `make soak`
//! runs 1,000. Prints the figures.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use superdocs_client::export::{ExportOutcome, ExportSource, ExportSpec};
use superdocs_client::retry::{CallOptions, RetryPolicy};
use superdocs_client::sse::{FollowOptions, JobStream, StreamEvent};
use superdocs_client::types::{
    ApprovalMode, ApproveRequest, ChatRequest, EmailExportRequest, ExportFormat, JobStatus, OpenMode,
};
use superdocs_client::upload::UploadKind;
use superdocs_client::{ApiKey, Client, ClientConfig, Error, ErrorKind};
use superdocs_faultproxy::{FaultKind, FaultProxy, ProxyConfig};
use superdocs_sim::{SimConfig, SimHandle, KEY_SEPARATOR};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum OpKind {
    Upload,
    Chat,
    Review,
    Export,
    EmailExport,
}

const MIX: [OpKind; 5] = [OpKind::Upload, OpKind::Chat, OpKind::Review, OpKind::Export, OpKind::EmailExport];

/// How one operation ended, and the simulator records (kind, key) each of its steps would leave.
#[derive(Debug)]
enum Outcome {
    Done,
    /// Reported failed: the step that failed (kind, key) must not have been applied.
    Failed {
        step: (String, String),
        error: Error,
    },
    Unknown {
        step: (String, String),
        error: Error,
    },
    /// The client believed something that is not so (an accepted job that never ended).
    Lost(String),
}

#[derive(Debug)]
struct Record {
    kind: OpKind,
    outcome: Outcome,
    /// Steps the client reported done: each must be in the simulator's records.
    done: Vec<(String, String)>,
    emailed: bool,
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn key2(a: &str, b: &str) -> String {
    format!("{a}{KEY_SEPARATOR}{b}")
}

/// A fresh client per operation, like one CLI process each: its own connections and retry budget.
fn client_for(base: &str, key: &str) -> Client {
    let mut c = ClientConfig::new(base, ApiKey::parse(key).unwrap());
    c.retry_policy = RetryPolicy {
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(50),
        ..RetryPolicy::default()
    };
    // Short, so the proxy's slow answers sometimes outlast it (a timeout after the server acted).
    c.read_timeout = Duration::from_millis(1000);
    c.connect_timeout = Duration::from_millis(1000);
    Client::new(c).unwrap()
}

fn follow_options() -> FollowOptions {
    FollowOptions {
        poll_interval: Duration::from_millis(20),
        stream_retry_polls: 5,
        review_check_after: Duration::from_millis(100),
        ..FollowOptions::default()
    }
}

/// Follows a job to its end, approving every proposed change. A follow that gives up (the network
/// kept failing) is started again from where it stopped, as the tracker does; the job is lost only if
/// that never works.
async fn follow(
    client: &Client,
    sid: &str,
    job_id: &str,
    review: bool,
    approved: &mut Option<String>,
) -> Result<(), Outcome> {
    let mut last = None;
    for round in 0..30 {
        let mut stream = JobStream::new(client.clone(), sid, job_id, last, follow_options());
        while let Some(item) = stream.next().await {
            let update = match item {
                Ok(u) => u,
                Err(e) => {
                    tracing_note(&format!("follow of {job_id} interrupted (round {round}): {}", e.message));
                    break;
                }
            };
            match update.event {
                StreamEvent::ProposedChangeBatch { .. } if review && approved.is_none() => {
                    approve_until_done(client, sid, job_id).await?;
                    *approved = Some(job_id.to_string());
                }
                StreamEvent::Final { .. } => return Ok(()),
                StreamEvent::Error { error } => {
                    return Err(Outcome::Lost(format!("job {job_id} failed on the server: {error}")))
                }
                _ => {}
            }
        }
        if let Ok(j) = client.job(job_id, &CallOptions::default()).await {
            match j.status {
                JobStatus::Completed => return Ok(()),
                JobStatus::Failed | JobStatus::Cancelled => {
                    return Err(Outcome::Lost(format!("job {job_id} ended {:?}", j.status)))
                }
                // A review whose announcement this follower missed (it resumed past it): decide now.
                JobStatus::AwaitingApproval if review && approved.is_none() => {
                    approve_until_done(client, sid, job_id).await?;
                    *approved = Some(job_id.to_string());
                }
                _ => {}
            }
        }
        last = stream.last_sequence();
        tokio::time::sleep(Duration::from_millis(20 * (round + 1) as u64)).await;
    }
    Err(Outcome::Lost(format!("job {job_id} never reached its end")))
}

/// Approves every change; a failed approve is tried again (it is reconciled: one that arrived is not sent twice).
async fn approve_until_done(client: &Client, sid: &str, job_id: &str) -> Result<(), Outcome> {
    let req = ApproveRequest { job_id: job_id.into(), approved: true, ..Default::default() };
    let mut last_err = None;
    for _ in 0..10 {
        match client.approve(sid, &req, &CallOptions::default()).await {
            Ok(_) => return Ok(()),
            Err(e) => {
                // Whatever the error said, the job tells whether the decision arrived.
                if let Ok(j) = client.job(job_id, &CallOptions::default()).await {
                    if j.status != JobStatus::AwaitingApproval {
                        return Ok(());
                    }
                }
                last_err = Some(e);
                tokio::time::sleep(Duration::from_millis(30)).await;
            }
        }
    }
    let e = last_err.unwrap();
    let step = ("approve".to_string(), job_id.to_string());
    Err(if e.kind == ErrorKind::UnknownOutcome {
        Outcome::Unknown { step, error: e }
    } else {
        Outcome::Failed { step, error: e }
    })
}

fn failed(step: (String, String), e: Error) -> Outcome {
    if e.kind == ErrorKind::UnknownOutcome {
        Outcome::Unknown { step, error: e }
    } else {
        Outcome::Failed { step, error: e }
    }
}

fn tracing_note(s: &str) {
    if std::env::var_os("SOAK_VERBOSE").is_some() {
        eprintln!("{s}");
    }
}

async fn upload(client: &Client, dir: &Path, sid: &str, done: &mut Vec<(String, String)>) -> Result<(), Outcome> {
    let name = format!("{sid}.txt");
    let path: PathBuf = dir.join(&name);
    let text: String = (0..12)
        .map(|i| format!("Paragraph {i} of {sid}: the quarterly figures and what follows from them.\n\n"))
        .collect();
    std::fs::write(&path, text).unwrap();
    let step = ("upload".to_string(), key2(sid, &name));
    match client
        .upload_file(&path, sid, UploadKind::Document { open_mode: OpenMode::Replace }, None, &CallOptions::default())
        .await
    {
        Ok(_) => {
            done.push(step);
            Ok(())
        }
        Err(e) => Err(failed(step, e)),
    }
}

async fn run_op(base: &str, key: &str, dir: &Path, c: usize, i: usize, kind: OpKind) -> Record {
    let client = client_for(base, key);
    let mut done = Vec::new();
    let mut emailed = false;
    let result = op_steps(&client, dir, c, i, kind, &mut done, &mut emailed).await;
    Record { kind, outcome: result.err().unwrap_or(Outcome::Done), done, emailed }
}

async fn op_steps(
    client: &Client,
    dir: &Path,
    c: usize,
    i: usize,
    kind: OpKind,
    done: &mut Vec<(String, String)>,
    emailed: &mut bool,
) -> Result<(), Outcome> {
    let client = client.clone();
    let sid = format!("soak-{c}-{i}");
    let opts = CallOptions::default();
    {
        match kind {
            OpKind::Upload => upload(&client, dir, &sid, done).await,
            OpKind::Chat | OpKind::Review => {
                let message = format!("Draft a memo about topic {c}-{i}");
                let mut req = ChatRequest::new(&sid, &message);
                if kind == OpKind::Review {
                    req.message = format!("Draft a project proposal {c}-{i}");
                    req.approval_mode = Some(ApprovalMode::AskEveryTime);
                }
                let step = ("chat".to_string(), key2(&sid, &req.message));
                let accepted = client.chat_async(&req, &opts).await.map_err(|e| failed(step.clone(), e))?;
                done.push(step);
                let mut approved = None;
                follow(&client, &sid, &accepted.job_id, kind == OpKind::Review, &mut approved).await?;
                if let Some(job) = approved {
                    done.push(("approve".to_string(), job));
                }
                Ok(())
            }
            OpKind::Export => {
                upload(&client, dir, &sid, done).await?;
                let out = dir.join(format!("out-{sid}"));
                std::fs::create_dir_all(&out).unwrap();
                for format in [ExportFormat::Txt, ExportFormat::Docx] {
                    let spec = ExportSpec {
                        source: ExportSource::Session { session_id: sid.clone() },
                        format,
                        options: None,
                        filename: None,
                        recipient_email: None,
                        dest_dir: out.clone(),
                    };
                    // Over the simulator's small export cap, the docx goes by e-mail by itself.
                    let step = ("email_export".to_string(), key2(&sid, format.as_str()));
                    match client.export(&spec, None, &opts).await {
                        Ok(ExportOutcome::Saved { path, .. }) => assert!(path.exists()),
                        Ok(ExportOutcome::Emailed { .. }) => {
                            *emailed = true;
                            done.push(step);
                        }
                        Err(e) => return Err(failed(step, e)),
                    }
                }
                Ok(())
            }
            OpKind::EmailExport => {
                upload(&client, dir, &sid, done).await?;
                let req = EmailExportRequest {
                    session_id: sid.clone(),
                    format: ExportFormat::Pdf,
                    options: None,
                    filename: None,
                    recipient_email: None,
                };
                let step = ("email_export".to_string(), key2(&sid, "pdf"));
                client.email_export(&req, &opts).await.map_err(|e| failed(step.clone(), e))?;
                *emailed = true;
                done.push(step);
                Ok(())
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn soak_exactly_once_through_the_fault_proxy() {
    let ops: usize = env_or("SOAK_OPS", 100);
    let clients: usize = env_or("SOAK_CLIENTS", 4);
    let seed: u64 = env_or("SOAK_SEED", 42);
    let rate: f64 = env_or("SOAK_FAULT_RATE", 0.3);

    let sim = SimHandle::start(SimConfig {
        job_step_delay: Duration::from_millis(5),
        keep_alive: Duration::from_millis(300),
        export_cap_bytes: 3000,
        monthly_limit: 1_000_000,
        ..SimConfig::default()
    })
    .await
    .unwrap();
    let upstream = sim.base_url().trim_start_matches("http://").parse().unwrap();
    let mut pc = ProxyConfig::new(upstream, seed, rate);
    pc.slow_headers = (Duration::from_millis(50), Duration::from_millis(1300));
    let proxy = FaultProxy::start(pc).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let base = proxy.base_url();
    let key = sim.key().to_string();

    let started = Instant::now();
    let records = Arc::new(Mutex::new(Vec::new()));
    let mut tasks = Vec::new();
    for c in 0..clients {
        let (base, key, dir, records) = (base.clone(), key.clone(), dir.path().to_path_buf(), records.clone());
        tasks.push(tokio::spawn(async move {
            let mut i = c;
            while i < ops {
                let kind = MIX[(i / clients + c) % MIX.len()];
                let r = run_op(&base, &key, &dir, c, i, kind).await;
                records.lock().unwrap().push(r);
                i += clients;
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let elapsed = started.elapsed();
    let records = std::mem::take(&mut *records.lock().unwrap());
    let stats = sim.stats();
    let proxy_stats = proxy.stats();

    // Judged from the simulator's records.
    let duplicates: Vec<String> = stats
        .submissions
        .iter()
        .filter(|s| s.count > 1)
        .map(|s| format!("{} {:?} ×{}", s.kind, s.key, s.count))
        .collect();
    let mut failed_but_applied = Vec::new();
    let mut lost = Vec::new();
    let mut unknown = 0;
    let mut unknown_applied = 0;
    let mut failed = 0;
    let mut no_id = Vec::new();
    let mut by_kind: HashMap<OpKind, (u32, u32, u32)> = HashMap::new();
    let mut emailed = 0;
    for r in &records {
        let e = by_kind.entry(r.kind).or_default();
        emailed += r.emailed as u32;
        for (kind, key) in &r.done {
            if stats.submissions(kind, key) == 0 {
                lost.push(format!("{:?}: reported done but the service has no {kind} {key:?}", r.kind));
            }
        }
        match &r.outcome {
            Outcome::Done => e.0 += 1,
            Outcome::Failed { step, error } => {
                e.1 += 1;
                failed += 1;
                if stats.submissions(&step.0, &step.1) > 0 {
                    failed_but_applied.push(format!(
                        "{:?}: {} {:?} applied but reported {:?}: {}",
                        r.kind, step.0, step.1, error.kind, error.message
                    ));
                }
                if error.request_id.is_empty() && error.trace_id.is_none() {
                    no_id.push(format!("{error:?}"));
                }
            }
            Outcome::Unknown { step, error } => {
                e.2 += 1;
                unknown += 1;
                unknown_applied += (stats.submissions(&step.0, &step.1) > 0) as u32;
                assert!(error.message.contains("check before sending it again"), "{}", error.message);
                if error.request_id.is_empty() {
                    no_id.push(format!("{error:?}"));
                }
            }
            Outcome::Lost(what) => lost.push(format!("{:?}: {what}", r.kind)),
        }
    }

    println!(
        "soak: seed {seed}, {} operations by {clients} concurrent clients in {:.1} s, fault rate {rate}",
        records.len(),
        elapsed.as_secs_f64()
    );
    let mut kinds: Vec<_> = by_kind.into_iter().collect();
    kinds.sort();
    for (k, (ok, f, u)) in kinds {
        println!("  {k:?}: {ok} done, {f} failed (not applied), {u} unknown outcome");
    }
    println!("  exports e-mailed: {emailed}");
    println!("  proxy: {proxy_stats}");
    for k in FaultKind::ALL {
        print!("{k:?}={} ", proxy_stats.count(k));
    }
    println!();
    println!(
        "  duplicates: {}, failed but applied: {}, unknown outcomes: {unknown} ({unknown_applied} of them applied), failed: {failed}, lost: {}",
        duplicates.len(),
        failed_but_applied.len(),
        lost.len()
    );

    assert_eq!(records.len(), ops);
    assert!(proxy_stats.faulted() > 0, "the proxy injected faults");
    assert!(duplicates.is_empty(), "submitted twice: {duplicates:#?}");
    assert!(failed_but_applied.is_empty(), "reported failed but applied: {failed_but_applied:#?}");
    assert!(lost.is_empty(), "lost: {lost:#?}");
    assert!(no_id.is_empty(), "failures without a request or trace id: {no_id:#?}");
    sim.shutdown().await;
}
