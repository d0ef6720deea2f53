//! The job tracker: follows many jobs at once (one [`JobStream`] each) and emits typed
//! [`TrackerEvent`]s to every subscriber, none ever dropped (a slow one holds the followers back). Every tracked job and the highest sequence handled are
//! kept in the [`Store`], so a new process resumes where the last one stopped, and a job that
//! finished while no process was watching is reported once.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::task::JoinHandle;
use ts_rs::TS;

use crate::api::Client;
use crate::error::{Error, ErrorKind, Operation, OperationKind, Result, SuggestedAction};
use crate::event_queue::{Fanout, Subscription};
use crate::retry::CallOptions;
use crate::sse::{FollowOptions, JobStream, StreamEvent};
use crate::store::{Store, TrackedJob};
use crate::types::{Change, ChatAccepted, ChatRequest, Job, JobResult, JobStatus, Usage};

/// What happened to a tracked job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TrackerEventKind {
    /// Progress text; `sequence` counts the job's progress events from 1 in this process.
    Progress {
        text: String,
        sequence: u32,
    },
    /// One change proposed for review.
    ProposedChange {
        change: Change,
    },
    /// The job waits for decisions on these changes.
    AwaitingApproval {
        changes: Vec<Change>,
    },
    Completed {
        result: JobResult,
        usage: Option<Usage>,
    },
    Failed {
        error: Error,
    },
    Cancelled,
    /// This process stopped following the job for good: the key was refused. The job itself goes on
    /// and is picked up again by [`Tracker::resume`] (with a new key).
    Interrupted {
        error: Error,
    },
    /// Following the job failed (the service is out of reach or failing); the tracker tries again in
    /// `next_retry_ms` (sooner after [`Tracker::retry_now`]). `attempt` counts the failed tries of this
    /// outage from 1. The job goes on at the service meanwhile.
    Reconnecting {
        attempt: u32,
        #[ts(type = "number")]
        next_retry_ms: u64,
        error: Error,
    },
    /// The service answered again after `Reconnecting`: following goes on.
    Reconnected,
}

impl TrackerEventKind {
    /// The job's ending (reported once).
    pub fn is_terminal(&self) -> bool {
        matches!(
            self,
            TrackerEventKind::Completed { .. } | TrackerEventKind::Failed { .. } | TrackerEventKind::Cancelled
        )
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct TrackerEvent {
    pub job_id: String,
    pub session_id: String,
    pub label: String,
    pub kind: TrackerEventKind,
}

/// How many events a subscriber may fall behind before the followers wait for it (nothing is dropped).
const CHANNEL_CAPACITY: usize = 1024;

/// Follows jobs. Dropping it stops every follow task (the store keeps what they had handled).
pub struct Tracker {
    inner: Arc<Shared>,
    tasks: Mutex<HashMap<String, JoinHandle<()>>>,
}

struct Shared {
    client: Client,
    store: Store,
    follow: FollowOptions,
    tx: Fanout<TrackerEvent>,
    /// Jobs followed right now. A follower leaves this set before it announces its last event,
    /// so a subscriber reacting to that event (e.g. resuming) never finds it still "following".
    active: Mutex<HashSet<String>>,
    /// The changes of each job waiting for review, from its last `AwaitingApproval` until its next event.
    pending: Mutex<HashMap<String, Vec<Change>>>,
    /// Jobs whose following failed and waits to try again (between `Reconnecting` and `Reconnected`).
    offline: Mutex<HashSet<String>>,
    /// The latest progress of each running job and how many came: (sequence, text), for a window that asks.
    progress: Mutex<HashMap<String, (u32, String)>>,
    /// Ends the waits of every follower that is out of reach (`retry_now`).
    wake: tokio::sync::Notify,
}

impl Drop for Tracker {
    fn drop(&mut self) {
        for (_, t) in self.tasks.lock().unwrap_or_else(|p| p.into_inner()).drain() {
            t.abort();
        }
    }
}

impl Tracker {
    pub fn new(client: Client, store: Store, follow: FollowOptions) -> Self {
        let tx = Fanout::new(CHANNEL_CAPACITY);
        let shared = Shared {
            client,
            store,
            follow,
            tx,
            active: Mutex::new(HashSet::new()),
            pending: Mutex::new(HashMap::new()),
            offline: Mutex::new(HashSet::new()),
            progress: Mutex::new(HashMap::new()),
            wake: tokio::sync::Notify::new(),
        };
        Tracker { inner: Arc::new(shared), tasks: Mutex::new(HashMap::new()) }
    }

    /// Events of every tracked job. Subscribe before tracking or resuming to see them all. Keep reading
    /// (or drop it): a subscriber that falls `CHANNEL_CAPACITY` events behind pauses the following of jobs.
    pub fn subscribe(&self) -> Subscription<TrackerEvent> {
        self.inner.tx.subscribe()
    }

    /// The changes a job waiting for review proposed: as last announced, or, for a job the store records as
    /// waiting that this tracker has not announced yet (a window asking right after a restart), read from the
    /// job. Empty for a job that is not waiting.
    pub async fn pending_changes(&self, job_id: &str) -> Result<Vec<Change>> {
        if let Some(changes) = self.inner.pending.lock().unwrap_or_else(|p| p.into_inner()).get(job_id) {
            return Ok(changes.clone());
        }
        let waiting = self.inner.store.tracked_job(job_id)?.is_some_and(|j| j.status == JobStatus::AwaitingApproval);
        if !waiting {
            return Ok(Vec::new());
        }
        let job = self.inner.client.job(job_id, &self.inner.follow.call).await?;
        Ok(if job.status == JobStatus::AwaitingApproval { job.metadata.pending_changes } else { Vec::new() })
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// The latest progress text of a job still running (none once it ended).
    pub fn last_progress(&self, job_id: &str) -> Option<String> {
        self.inner.progress.lock().unwrap_or_else(|p| p.into_inner()).get(job_id).map(|(_, text)| text.clone())
    }

    /// Sends an async chat turn and tracks its job.
    pub async fn submit_chat(&self, req: &ChatRequest, opts: &CallOptions) -> Result<ChatAccepted> {
        let accepted = self.inner.client.chat_async(req, opts).await?;
        let session =
            if accepted.session_id.is_empty() { req.session_id.as_str() } else { accepted.session_id.as_str() };
        self.track(&accepted.job_id, session, &label_of(&req.message))?;
        Ok(accepted)
    }

    /// Persists the job and starts following it (no-op if it is already followed here).
    pub fn track(&self, job_id: &str, session_id: &str, label: &str) -> Result<()> {
        self.inner.store.track_job(job_id, session_id, label, JobStatus::Pending)?;
        let job = self
            .inner
            .store
            .tracked_job(job_id)?
            .ok_or_else(|| Error::internal("A job just saved could not be read back."))?;
        self.spawn(job, false);
        Ok(())
    }

    /// Picks up every job whose ending was not reported yet (after a restart). Returns how many.
    /// Call it inside a Tokio runtime: each job gets a task of its own.
    pub fn resume(&self) -> Result<usize> {
        let jobs = self.inner.store.unreported_jobs()?;
        let n = jobs.len();
        for job in jobs {
            self.spawn(job, true);
        }
        Ok(n)
    }

    /// Stops a job: asks the service to cancel it and, whatever the answer (the service may be out of
    /// reach), ends it here: following stops, the store records it cancelled and reported, and a
    /// `Cancelled` event goes out, so nothing stays "running". Returns the service's error, if any, for
    /// the caller to mention; the local state has ended either way.
    ///
    /// A job this tracker cannot reach (between `Reconnecting` and `Reconnected`) ends here first, so
    /// the window does not wait for the service's retries to run out.
    pub async fn stop(&self, job_id: &str, opts: &CallOptions) -> Result<()> {
        let offline = self.inner.is_offline(job_id);
        if offline {
            self.end_here(job_id)?;
        }
        let remote = self.inner.client.cancel_job(job_id, opts).await.map(|_| ());
        if !offline {
            self.end_here(job_id)?;
        }
        match remote {
            // Already over at the service: nothing left to report.
            Err(e) if matches!(e.kind, ErrorKind::Conflict | ErrorKind::NotFound) => Ok(()),
            other => other,
        }
    }

    /// Ends a job in this process: following stops, the store records it cancelled and reported, and a
    /// `Cancelled` event goes out (unless its ending was reported already).
    fn end_here(&self, job_id: &str) -> Result<()> {
        if let Some(task) = self.tasks.lock().unwrap_or_else(|p| p.into_inner()).remove(job_id) {
            task.abort();
        }
        self.inner.leave(job_id);
        let job = self.inner.store.tracked_job(job_id)?;
        if let Some(job) = job.filter(|j| !j.notified) {
            self.inner.store.update_job(job_id, JobStatus::Cancelled, job.last_sequence)?;
            if self.inner.store.mark_notified(job_id)? {
                self.inner.emit(&job, TrackerEventKind::Cancelled);
            }
        }
        Ok(())
    }

    /// Every follower waiting to try the service again tries now ("Try now" while offline). Cheap: one
    /// read of each such job; a follower that fails again waits its next pause.
    pub fn retry_now(&self) {
        self.inner.wake.notify_waiters();
    }

    /// Job ids followed by this tracker right now.
    pub fn following(&self) -> Vec<String> {
        self.inner.active.lock().unwrap_or_else(|p| p.into_inner()).iter().cloned().collect()
    }

    fn spawn(&self, job: TrackedJob, resuming: bool) {
        if !self.inner.active.lock().unwrap_or_else(|p| p.into_inner()).insert(job.job_id.clone()) {
            return;
        }
        let shared = self.inner.clone();
        let id = job.job_id.clone();
        let task = tokio::spawn(async move {
            let id = job.job_id.clone();
            shared.follow(job, resuming).await;
            shared.leave(&id);
        });
        let mut tasks = self.tasks.lock().unwrap_or_else(|p| p.into_inner());
        tasks.retain(|_, t| !t.is_finished());
        tasks.insert(id, task);
    }
}

/// A notification-sized label for a message.
pub fn label_of(message: &str) -> String {
    let line = message.lines().next().unwrap_or("").trim();
    let mut label: String = line.chars().take(80).collect();
    if line.chars().count() > 80 {
        label.push('…');
    }
    label
}

impl Shared {
    fn leave(&self, job_id: &str) {
        self.active.lock().unwrap_or_else(|p| p.into_inner()).remove(job_id);
        self.offline.lock().unwrap_or_else(|p| p.into_inner()).remove(job_id);
    }

    fn is_offline(&self, job_id: &str) -> bool {
        self.offline.lock().unwrap_or_else(|p| p.into_inner()).contains(job_id)
    }

    /// Records a job's latest progress; answers its sequence number.
    fn note_progress(&self, job_id: &str, text: &str) -> u32 {
        let mut progress = self.progress.lock().unwrap_or_else(|p| p.into_inner());
        let entry = progress.entry(job_id.to_string()).or_insert((0, String::new()));
        *entry = (entry.0 + 1, text.to_string());
        entry.0
    }

    fn emit(&self, job: &TrackedJob, kind: TrackerEventKind) -> bool {
        {
            let mut pending = self.pending.lock().unwrap_or_else(|p| p.into_inner());
            match &kind {
                TrackerEventKind::AwaitingApproval { changes } => {
                    pending.insert(job.job_id.clone(), changes.clone());
                }
                // Losing sight of the job changes nothing about the review it waits for.
                TrackerEventKind::Reconnecting { .. }
                | TrackerEventKind::Reconnected
                | TrackerEventKind::Interrupted { .. } => {}
                _ => {
                    pending.remove(&job.job_id);
                }
            };
        }
        {
            let mut offline = self.offline.lock().unwrap_or_else(|p| p.into_inner());
            match &kind {
                TrackerEventKind::Reconnecting { .. } => offline.insert(job.job_id.clone()),
                _ => offline.remove(&job.job_id),
            };
        }
        if kind.is_terminal() {
            self.progress.lock().unwrap_or_else(|p| p.into_inner()).remove(&job.job_id);
            self.leave(&job.job_id);
        }
        let event = TrackerEvent {
            job_id: job.job_id.clone(),
            session_id: job.session_id.clone(),
            label: job.label.clone(),
            kind,
        };
        self.tx.send(event)
    }

    /// Reports the job's ending once: across processes, only the one that flips `notified` does,
    /// and only when someone is listening (otherwise the next process reports it).
    fn finish(&self, job: &TrackedJob, status: JobStatus, last_sequence: Option<u64>, kind: TrackerEventKind) {
        if let Err(e) = self.store.update_job(&job.job_id, status, last_sequence) {
            tracing::error!(job_id = %job.job_id, error = %e, "could not record the job's ending");
        }
        if self.tx.receiver_count() == 0 {
            return;
        }
        match self.store.mark_notified(&job.job_id) {
            Ok(true) => {
                self.emit(job, kind);
            }
            Ok(false) => {}
            Err(e) => {
                tracing::error!(job_id = %job.job_id, error = %e, "could not record that the job's ending was reported")
            }
        }
    }

    /// Follows the job to its end. Whenever following fails (the network or the service is down), the
    /// job is reported `Reconnecting` with the pause before the next try, and following starts again
    /// after that pause (doubling up to 30 s; [`Tracker::retry_now`] ends it early), from the last
    /// sequence handled, until the job ends. The first answer after that is reported `Reconnected`.
    /// Only a refused key stops it, reported `Interrupted` (a new key resumes it through [`Tracker::resume`]).
    async fn follow(&self, mut job: TrackedJob, mut resuming: bool) {
        let mut pause = self.follow.restart_after;
        let mut attempt = 0u32;
        loop {
            let mut out_of_reach = attempt > 0;
            let outcome = self.follow_once(&job, resuming, &mut out_of_reach).await;
            if attempt > 0 && !out_of_reach {
                // It answered (then failed again): a new outage starts counting afresh.
                attempt = 0;
                pause = self.follow.restart_after;
            }
            let Some(e) = outcome else { return };
            if e.kind == ErrorKind::Cancelled {
                return;
            }
            if matches!(e.kind, ErrorKind::Auth | ErrorKind::Forbidden) {
                self.emit(&job, TrackerEventKind::Interrupted { error: e });
                self.leave(&job.job_id);
                return;
            }
            attempt += 1;
            tracing::info!(job_id = %job.job_id, error = %e.message, attempt, pause_ms = pause.as_millis() as u64, "following the job failed; trying again");
            // Waiting to be woken must start before the event: a "Try now" answering it is not lost.
            let woken = self.wake.notified();
            tokio::pin!(woken);
            woken.as_mut().enable();
            let next_retry_ms = u64::try_from(pause.as_millis()).unwrap_or(u64::MAX);
            self.emit(&job, TrackerEventKind::Reconnecting { attempt, next_retry_ms, error: e });
            tokio::select! {
                _ = self.client.retrier().clock().sleep(pause) => {}
                _ = woken => {}
            }
            pause = (pause * 2).min(Duration::from_secs(30));
            if let Ok(Some(saved)) = self.store.tracked_job(&job.job_id) {
                job = saved;
            }
            resuming = true;
        }
    }

    /// One attempt at following: None when the job has ended (and that was handled), else why it stopped.
    /// When `out_of_reach`, the first answer of the service is reported `Reconnected` (and it is cleared).
    async fn follow_once(&self, job: &TrackedJob, resuming: bool, out_of_reach: &mut bool) -> Option<Error> {
        let job = job.clone();
        let mut announced = Vec::new();
        if resuming {
            // A job may have ended while no process watched it: report the ending at once.
            let read = self.client.job(&job.job_id, &self.follow.call).await;
            if *out_of_reach && (read.is_ok() || matches!(&read, Err(e) if e.kind == ErrorKind::NotFound)) {
                *out_of_reach = false;
                self.emit(&job, TrackerEventKind::Reconnected);
            }
            match read {
                Ok(j) if j.status.is_terminal() => {
                    let kind = ending_of(&j, &job);
                    self.finish(&job, j.status, job.last_sequence, kind);
                    return None;
                }
                // Its changes came before the restart; the stream resumes after them, so they come from the job.
                Ok(j) if j.status == JobStatus::AwaitingApproval => {
                    let _ = self.store.update_job(&job.job_id, j.status, job.last_sequence);
                    announced = j.metadata.pending_changes.clone();
                    // After a reconnect the same review was announced already: not again (nor its notification).
                    let known =
                        self.pending.lock().unwrap_or_else(|p| p.into_inner()).get(&job.job_id) == Some(&announced);
                    if !known {
                        self.emit(&job, TrackerEventKind::AwaitingApproval { changes: j.metadata.pending_changes });
                    }
                }
                Ok(_) => {}
                Err(e) if e.kind == ErrorKind::NotFound => {
                    let error = gone(&job, e);
                    self.finish(&job, JobStatus::Failed, job.last_sequence, TrackerEventKind::Failed { error });
                    return None;
                }
                Err(e) => return Some(e),
            }
        }
        let mut stream =
            JobStream::new(self.client.clone(), &job.session_id, &job.job_id, job.last_sequence, self.follow.clone());
        stream.already_announced(&announced);
        let mut status = JobStatus::InProgress;
        let mut result: Option<JobResult> = None;
        while let Some(item) = stream.next().await {
            // Back-pressure: a subscriber far behind pauses reading the stream instead of losing events.
            self.tx.room().await;
            let update = match item {
                Ok(u) => u,
                Err(e) if e.kind == ErrorKind::NotFound => {
                    let error = gone(&job, e);
                    self.finish(&job, JobStatus::Failed, stream.last_sequence(), TrackerEventKind::Failed { error });
                    return None;
                }
                Err(e) => {
                    let _ = self.store.update_job(&job.job_id, status, stream.last_sequence());
                    return Some(e);
                }
            };
            let seq = stream.last_sequence();
            match update.event {
                StreamEvent::Intermediate { content, .. } => {
                    status = JobStatus::InProgress;
                    let _ = self.store.update_job(&job.job_id, status, seq);
                    let sequence = self.note_progress(&job.job_id, &content);
                    self.emit(&job, TrackerEventKind::Progress { text: content, sequence });
                }
                StreamEvent::ProposedChange { change } => {
                    let _ = self.store.update_job(&job.job_id, status, seq);
                    self.emit(&job, TrackerEventKind::ProposedChange { change });
                }
                StreamEvent::ProposedChangeBatch { changes } => {
                    status = JobStatus::AwaitingApproval;
                    let _ = self.store.update_job(&job.job_id, status, seq);
                    self.emit(&job, TrackerEventKind::AwaitingApproval { changes });
                }
                StreamEvent::Final { result: r } => {
                    // Wait for the usage event (the stream ends right after it).
                    let _ = self.store.update_job(&job.job_id, status, seq);
                    result = Some(r);
                }
                StreamEvent::Usage { usage } => {
                    let r = result.take().unwrap_or_default();
                    self.finish(
                        &job,
                        JobStatus::Completed,
                        seq,
                        TrackerEventKind::Completed { result: r, usage: Some(usage) },
                    );
                    return None;
                }
                StreamEvent::Error { error } => {
                    // The event does not say whether the job failed or was cancelled: the job does.
                    let ending = match self.client.job(&job.job_id, &self.follow.call).await {
                        Ok(j) if j.status == JobStatus::Cancelled => {
                            (JobStatus::Cancelled, TrackerEventKind::Cancelled)
                        }
                        _ => (JobStatus::Failed, TrackerEventKind::Failed { error: job_failed(&job, &error) }),
                    };
                    self.finish(&job, ending.0, seq, ending.1);
                    return None;
                }
                StreamEvent::DocumentSync { .. } | StreamEvent::UiPointer { .. } => {
                    let _ = self.store.update_job(&job.job_id, status, seq);
                }
            }
        }
        // The stream ended after `final` without a usage event.
        if let Some(r) = result {
            let usage = r.usage.clone();
            self.finish(
                &job,
                JobStatus::Completed,
                stream.last_sequence(),
                TrackerEventKind::Completed { result: r, usage },
            );
        }
        None
    }
}

fn chat_op(job: &TrackedJob) -> Operation {
    Operation::new(OperationKind::Chat, job.label.clone()).session(&job.session_id)
}

/// The error shown for a job that failed on the server.
fn job_failed(job: &TrackedJob, text: &str) -> Error {
    Error::local(ErrorKind::Server, format!("The job stopped: {text}"))
        .with_detail(text.to_string())
        .with_action(SuggestedAction::SwitchModel)
        .with_operation(&chat_op(job))
}

/// The service no longer knows the job (finished jobs are kept for a limited time).
fn gone(job: &TrackedJob, e: Error) -> Error {
    let mut e = e.with_operation(&chat_op(job));
    e.message = "The job is no longer known to the service (finished jobs are kept for about an hour); open the session to see its outcome.".into();
    e
}

/// The tracker event for a job that has ended.
fn ending_of(j: &Job, job: &TrackedJob) -> TrackerEventKind {
    match j.status {
        JobStatus::Completed => {
            let result = j.result.clone().unwrap_or_default();
            let usage = result.usage.clone();
            TrackerEventKind::Completed { result, usage }
        }
        JobStatus::Cancelled => TrackerEventKind::Cancelled,
        _ => {
            let text = match &j.error {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Null => "no reason given".to_string(),
                other => other.to_string(),
            };
            TrackerEventKind::Failed { error: job_failed(job, &text) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_one_short_line() {
        assert_eq!(label_of("Fix the intro\nand more"), "Fix the intro");
        let long = "x".repeat(100);
        assert_eq!(label_of(&long).chars().count(), 81);
    }
}
