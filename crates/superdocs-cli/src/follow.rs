//! Following one job live (shared by `chat` and `jobs watch`): progress on stderr, proposed
//! changes shown and decided, the ending returned. The job is recorded in the local store, so a job
//! left running when the CLI stops is reported by the desktop app (or the next watcher) when it ends.

use std::io::{BufRead, IsTerminal, Write};

use serde::Serialize;
use superdocs_client::sse::{FollowOptions, JobStream, StreamEvent};
use superdocs_client::store::Store;
use superdocs_client::types::{ApproveRequest, Change, ChangeDecision, DocumentChanges, JobStatus, Usage};
use superdocs_client::{Client, Error, ErrorKind, Result};

use crate::context::Context;

/// How proposed changes are decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Review {
    /// Ask on the terminal, change by change.
    Ask,
    ApproveAll,
    DenyAll,
}

/// The ending of a followed job (the `--json` output of `chat` and `jobs watch`).
#[derive(Debug, Serialize)]
pub struct Followed {
    pub job_id: String,
    pub session_id: String,
    pub status: JobStatus,
    pub response: Option<String>,
    pub document_changes: Option<DocumentChanges>,
    pub usage: Option<Usage>,
    pub applied: Vec<String>,
    pub denied: Vec<String>,
}

fn show_change(c: &Change) {
    let op = serde_json::to_value(c.operation).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default();
    eprintln!(
        "  proposed change {} ({op}{}):",
        c.change_id,
        c.chunk_id.as_deref().map(|id| format!(" of {id}")).unwrap_or_default()
    );
    if let Some(why) = &c.ai_explanation {
        eprintln!("    why: {why}");
    }
    if let Some(old) = &c.old_html {
        eprintln!("    - {}", crate::output::clip(old, 200));
    }
    if let Some(new) = &c.new_html {
        eprintln!("    + {}", crate::output::clip(new, 200));
    }
}

fn ask(c: &Change) -> Result<bool> {
    let mut stdin = std::io::stdin().lock();
    loop {
        eprint!("Apply change {}? [y/n] ", c.change_id);
        let _ = std::io::stderr().flush();
        let mut line = String::new();
        if stdin
            .read_line(&mut line)
            .map_err(|e| Error::internal("Could not read the answer.").with_detail(e.to_string()))?
            == 0
        {
            return Err(Error::local(
                ErrorKind::Cancelled,
                "No answer (end of input); the job still waits for a decision.",
            ));
        }
        match line.trim().to_ascii_lowercase().as_str() {
            "y" | "yes" => return Ok(true),
            "n" | "no" => return Ok(false),
            _ => eprintln!("Answer y or n."),
        }
    }
}

/// Follows `job_id` to its end. `review` decides proposed changes (None: the job was sent with
/// approve_all and proposes nothing; should it anyway, the changes are left for the app to decide).
pub async fn follow(
    ctx: &Context,
    client: &Client,
    session_id: &str,
    job_id: &str,
    label: &str,
    review: Option<Review>,
) -> Result<Followed> {
    if review == Some(Review::Ask) && !std::io::stdin().is_terminal() {
        // Checked before anything waits on it; clap cannot see whether stdin is a terminal.
        return Err(Error::local(
            ErrorKind::Validation,
            "--review needs a terminal to ask on; add --approve-all or --deny-all.",
        ));
    }
    let store = ctx.profile_store().map_err(|e| tracing::warn!(error = %e, "jobs are not recorded locally")).ok();
    let record = |f: &dyn Fn(&Store) -> Result<()>| {
        if let Some(s) = &store {
            if let Err(e) = f(s) {
                tracing::warn!(error = %e, "could not record the job locally");
            }
        }
    };
    record(&|s| s.track_job(job_id, session_id, label, JobStatus::Pending));

    let options = FollowOptions { call: ctx.call.clone(), ..FollowOptions::default() };
    // A watcher starts from the beginning so it shows the whole story; the store's sequence only
    // moves forward, so the app's resume point is unaffected.
    let mut stream = JobStream::new(client.clone(), session_id, job_id, None, options);
    let mut out = Followed {
        job_id: job_id.into(),
        session_id: session_id.into(),
        status: JobStatus::InProgress,
        response: None,
        document_changes: None,
        usage: None,
        applied: vec![],
        denied: vec![],
    };
    let human = !ctx.json();
    while let Some(item) = stream.next().await {
        let update = match item {
            Ok(u) => u,
            Err(e) => {
                record(&|s| s.update_job(job_id, out.status, stream.last_sequence()));
                if e.kind == ErrorKind::Cancelled {
                    let mut e = Error::local(
                        ErrorKind::Cancelled,
                        format!("Stopped following; the job goes on. Follow it again with `superdocs jobs watch {job_id}` or stop it with `superdocs jobs cancel {job_id}`."),
                    );
                    e.operation = Some(
                        superdocs_client::Operation::new(superdocs_client::OperationKind::Stream, "Following the job")
                            .session(session_id),
                    );
                    return Err(e);
                }
                return Err(e);
            }
        };
        let seq = stream.last_sequence();
        match update.event {
            StreamEvent::Intermediate { content, .. } => {
                if human {
                    eprintln!("… {content}");
                }
            }
            StreamEvent::ProposedChange { change } => {
                if human {
                    show_change(&change);
                }
            }
            StreamEvent::ProposedChangeBatch { changes } => {
                out.status = JobStatus::AwaitingApproval;
                record(&|s| s.update_job(job_id, JobStatus::AwaitingApproval, seq));
                let Some(mode) = review else { continue };
                let mut decisions = Vec::new();
                for c in &changes {
                    let approved = match mode {
                        Review::ApproveAll => true,
                        Review::DenyAll => false,
                        Review::Ask => ask(c)?,
                    };
                    decisions.push(ChangeDecision { change_id: c.change_id.clone(), approved, feedback: None });
                }
                let req = ApproveRequest {
                    job_id: job_id.into(),
                    approved: true,
                    changes: Some(decisions),
                    ..Default::default()
                };
                let decided = client.approve(session_id, &req, &ctx.call).await?;
                if human {
                    eprintln!("  applied {}, denied {}", decided.applied.len(), decided.denied.len());
                }
                out.applied.extend(decided.applied);
                out.denied.extend(decided.denied);
                out.status = JobStatus::InProgress;
            }
            StreamEvent::Final { result } => {
                out.status = JobStatus::Completed;
                out.response = result.response;
                out.document_changes = result.document_changes;
                out.usage = out.usage.take().or(result.usage);
            }
            StreamEvent::Usage { usage } => out.usage = Some(usage),
            StreamEvent::Error { error } => {
                let cancelled = client.job(job_id, &ctx.call).await.is_ok_and(|j| j.status == JobStatus::Cancelled);
                let status = if cancelled { JobStatus::Cancelled } else { JobStatus::Failed };
                record(&|s| s.update_job(job_id, status, seq).and_then(|_| s.mark_notified(job_id).map(|_| ())));
                let e = if cancelled {
                    Error::local(ErrorKind::Cancelled, format!("The job was cancelled: {error}"))
                } else {
                    Error::local(ErrorKind::Server, format!("The job failed: {error}")).with_detail(error)
                };
                return Err(e);
            }
            StreamEvent::DocumentSync { .. } | StreamEvent::UiPointer { .. } => {}
        }
        record(&|s| s.update_job(job_id, out.status, seq));
    }
    record(&|s| s.mark_notified(job_id).map(|_| ()));
    Ok(out)
}
