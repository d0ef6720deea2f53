//! Events the shell sends to the window (`usage`, `retry`, `error`; `attachments` comes from the core's
//! upload queue through `host.rs`; job events go over the channel the window gave `watch_jobs`) and the
//! task that turns the core's tracker events into them.

use serde::{Deserialize, Serialize};
use superdocs_client::event_queue::Subscription;
use superdocs_client::retry::{CallOptions, RetryEvent};
use superdocs_client::tracker::{TrackerEvent, TrackerEventKind};
use superdocs_client::types::{Change, JobStatus, Usage};
use superdocs_client::Error;
use tauri::ipc::Channel;
use tauri::{AppHandle, Emitter, Manager};
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

use crate::notifications;
use crate::state::{lock, AppState};

/// A job event: the tracker reporting on a chat job, for any session. Sent over the window's job channel
/// (`watch_jobs`): a Channel delivers bulk data in order, where an event would be a script to parse.
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
    /// Changes proposed for review, each sent once: `complete` false adds these to what was shown (the
    /// ones that arrived together, as one message); true says these are all of the job's changes.
    ProposedChanges {
        job_id: String,
        session_id: String,
        changes: Vec<Change>,
        complete: bool,
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
    /// The service is out of reach for this job: the next try is in `next_retry_ms` (the tracker's
    /// `Reconnecting`; `retry_jobs_now` tries at once).
    Reconnecting {
        job_id: String,
        session_id: String,
        attempt: u32,
        #[ts(type = "number")]
        next_retry_ms: u64,
        error: Error,
    },
    /// The service answers again for this job (the tracker's `Reconnected`).
    Reconnected {
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

/// The window's job channel (`watch_jobs`); job events before the window asks for them are not kept
/// (the window reads `list_jobs` when it starts).
#[derive(Default)]
pub struct JobChannel(std::sync::Mutex<Option<Channel<JobEvent>>>);

impl JobChannel {
    pub fn watch(&self, channel: Channel<JobEvent>) {
        *lock(&self.0) = Some(channel);
    }
}

/// Sends a job event to the window.
pub fn send_job(app: &AppHandle, event: JobEvent) {
    let channel = lock(&app.state::<JobChannel>().0).clone();
    if let Some(channel) = channel {
        if let Err(e) = channel.send(event) {
            tracing::warn!(error = %e, "a job event could not reach the window");
        }
    }
}

/// Forwards the tracker's events as job events until the tracker is gone; usage is recorded for `profile`.
/// None is lost (the tracker holds back instead); proposed changes already waiting go out as one message.
pub async fn forward_jobs(app: AppHandle, profile: String, mut rx: Subscription<TrackerEvent>) {
    let mut next: Option<TrackerEvent> = None;
    loop {
        let ev = match next.take() {
            Some(ev) => ev,
            None => match rx.recv().await {
                Ok(ev) => ev,
                Err(_) => return,
            },
        };
        let (job_id, session_id) = (ev.job_id.clone(), ev.session_id.clone());
        let out = match ev.kind {
            TrackerEventKind::Progress { text, sequence } => JobEvent::Progress { job_id, session_id, text, sequence },
            TrackerEventKind::ProposedChange { change } => {
                let mut changes = vec![change];
                while let Some(more) = rx.try_recv() {
                    match more.kind {
                        TrackerEventKind::ProposedChange { change } if more.job_id == job_id => changes.push(change),
                        _ => {
                            next = Some(more);
                            break;
                        }
                    }
                }
                JobEvent::ProposedChanges { job_id, session_id, changes, complete: false }
            }
            TrackerEventKind::AwaitingApproval { changes } => {
                send_job(
                    &app,
                    JobEvent::ProposedChanges {
                        job_id: job_id.clone(),
                        session_id: session_id.clone(),
                        changes,
                        complete: true,
                    },
                );
                notifications::job_needs_attention(
                    &app,
                    &ev.job_id,
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
                notifications::job_needs_attention(
                    &app,
                    &ev.job_id,
                    &ev.session_id,
                    &ev.label,
                    notifications::Ending::Completed,
                );
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
                notifications::job_needs_attention(
                    &app,
                    &ev.job_id,
                    &ev.session_id,
                    &ev.label,
                    notifications::Ending::Failed,
                );
                JobEvent::Failed { job_id, session_id, error }
            }
            TrackerEventKind::Cancelled => JobEvent::Cancelled { job_id, session_id },
            // The job goes on at the service; only this process lost sight of it (the key was refused).
            TrackerEventKind::Interrupted { error } => {
                background_error(&app, &error);
                continue;
            }
            TrackerEventKind::Reconnecting { attempt, next_retry_ms, error } => {
                JobEvent::Reconnecting { job_id, session_id, attempt, next_retry_ms, error }
            }
            TrackerEventKind::Reconnected => JobEvent::Reconnected { job_id, session_id },
        };
        send_job(&app, out);
    }
}
