//! Events the shell sends to the window (`job`, `usage`, `retry`, `error`; `attachments` comes from the
//! core's upload queue through `host.rs`) and the task that turns the core's tracker events into them.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use superdocs_client::retry::{CallOptions, RetryEvent};
use superdocs_client::tracker::{TrackerEvent, TrackerEventKind};
use superdocs_client::types::{Change, JobStatus, Usage};
use superdocs_client::Error;
use tauri::{AppHandle, Emitter, Manager};
use tokio::sync::broadcast;
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

use crate::notifications;
use crate::state::{lock, AppState};

/// The `job` event: the tracker reporting on a chat job, for any session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum JobEvent {
    Started {
        job_id: String,
        session_id: String,
        message: String,
    },
    Progress {
        job_id: String,
        session_id: String,
        text: String,
        sequence: u32,
    },
    Retrying {
        job_id: String,
        session_id: String,
        retry: RetryEvent,
    },
    ProposedChanges {
        job_id: String,
        session_id: String,
        changes: Vec<Change>,
    },
    AwaitingApproval {
        job_id: String,
        session_id: String,
    },
    Completed {
        job_id: String,
        session_id: String,
        response: String,
        document_html: Option<String>,
        usage: Option<Usage>,
    },
    Failed {
        job_id: String,
        session_id: String,
        error: Error,
    },
    Cancelled {
        job_id: String,
        session_id: String,
    },
}

/// One row of the activity drawer: a chat job of any session, running or recent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct JobSummary {
    pub job_id: String,
    pub session_id: String,
    pub status: JobStatus,
    pub message: String,
    pub last_progress: Option<String>,
    /// The proposed changes while the job waits for review (after a restart the window learns them here).
    pub changes: Vec<Change>,
    pub updated_at: String,
}

/// The `retry` event: an operation started with `op_id` is waiting before its next attempt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct RetryNotice {
    pub op_id: String,
    pub retry: RetryEvent,
}

/// Call options for a call the window started under `op_id`: cancellable, retries reported as `retry`.
pub fn operation_options(app: &AppHandle, op_id: &str, cancel: CancellationToken) -> CallOptions {
    let app = app.clone();
    let op_id = op_id.to_string();
    CallOptions::with_cancel(cancel).on_retry(move |retry| {
        let _ = app.emit("retry", RetryNotice { op_id: op_id.clone(), retry: retry.clone() });
    })
}

/// A failure of background work (no command to reject): shown as a toast.
pub fn background_error(app: &AppHandle, error: &Error) {
    let _ = app.emit("error", error);
}

/// Forwards the tracker's events as `job` events until the tracker is gone; usage is recorded for `profile`.
pub async fn forward_jobs(app: AppHandle, profile: String, mut rx: broadcast::Receiver<TrackerEvent>) {
    // Per job: progress count (the UI's sequence) and the changes proposed so far.
    let mut sequences: HashMap<String, u32> = HashMap::new();
    let mut proposed: HashMap<String, Vec<Change>> = HashMap::new();
    loop {
        let ev = match rx.recv().await {
            Ok(ev) => ev,
            Err(broadcast::error::RecvError::Lagged(n)) => {
                tracing::warn!(missed = n, "the window fell behind the job tracker");
                continue;
            }
            Err(broadcast::error::RecvError::Closed) => return,
        };
        let (job_id, session_id) = (ev.job_id.clone(), ev.session_id.clone());
        let out = match ev.kind {
            TrackerEventKind::Progress { text } => {
                let seq = sequences.entry(job_id.clone()).or_default();
                *seq += 1;
                lock(&app.state::<AppState>().last_progress).insert(job_id.clone(), text.clone());
                JobEvent::Progress { job_id, session_id, text, sequence: *seq }
            }
            TrackerEventKind::ProposedChange { change } => {
                let all = proposed.entry(job_id.clone()).or_default();
                all.push(change);
                JobEvent::ProposedChanges { job_id, session_id, changes: all.clone() }
            }
            TrackerEventKind::AwaitingApproval { changes } => {
                proposed.remove(&job_id);
                let _ = app.emit(
                    "job",
                    JobEvent::ProposedChanges { job_id: job_id.clone(), session_id: session_id.clone(), changes },
                );
                notifications::job_needs_attention(
                    &app,
                    &ev.session_id,
                    &ev.label,
                    notifications::Ending::AwaitingApproval,
                );
                JobEvent::AwaitingApproval { job_id, session_id }
            }
            TrackerEventKind::Completed { result, usage } => {
                let usage = usage.or(result.usage.clone());
                if let Some(u) = &usage {
                    app.state::<AppState>().profiles.set_usage(&profile, u.clone());
                    let _ = app.emit("usage", u);
                }
                forget(&app, &mut sequences, &mut proposed, &job_id);
                notifications::job_needs_attention(&app, &ev.session_id, &ev.label, notifications::Ending::Completed);
                let document_html = result.document_changes.and_then(|d| d.updated_html);
                JobEvent::Completed {
                    job_id,
                    session_id,
                    response: result.response.unwrap_or_default(),
                    document_html,
                    usage,
                }
            }
            TrackerEventKind::Failed { error } => {
                forget(&app, &mut sequences, &mut proposed, &job_id);
                notifications::job_needs_attention(&app, &ev.session_id, &ev.label, notifications::Ending::Failed);
                JobEvent::Failed { job_id, session_id, error }
            }
            TrackerEventKind::Cancelled => {
                forget(&app, &mut sequences, &mut proposed, &job_id);
                JobEvent::Cancelled { job_id, session_id }
            }
            // The job goes on at the service; only this process lost sight of it.
            TrackerEventKind::Interrupted { error } => {
                background_error(&app, &error);
                continue;
            }
        };
        let _ = app.emit("job", out);
    }
}

fn forget(
    app: &AppHandle,
    sequences: &mut HashMap<String, u32>,
    proposed: &mut HashMap<String, Vec<Change>>,
    job_id: &str,
) {
    sequences.remove(job_id);
    proposed.remove(job_id);
    lock(&app.state::<AppState>().last_progress).remove(job_id);
}
