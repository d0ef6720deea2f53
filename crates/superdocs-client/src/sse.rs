//! The job's SSE progress stream (docs/superdocs-api.md §4): typed decoding of each event, and
//! [`JobStream`], which follows one job to its end. It resumes with `last_sequence` after a drop
//! (each reconnect under the client's retry executor), falls back to polling `GET /v1/jobs/{id}`
//! when the stream cannot be held, and never hands the same item out twice or skips one.
//!
//! Framing (`event:` / `data:` / `id:` lines) is parsed by [`crate::sse_frames`]; this module owns
//! what the events mean.

use std::collections::{HashSet, VecDeque};
use std::pin::Pin;
use std::time::Duration;

use futures_util::{Stream, StreamExt};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use crate::api::Client;
use crate::error::{Error, ErrorKind, Operation, OperationKind, Reach, Result};
use crate::retry::{CallOptions, Idempotency};
pub use crate::sse_frames::SseFrame;
use crate::types::{Change, Job, JobResult, JobStatus, Usage};

/// One event of a job's progress stream (SSE), typed; the window's job events are the shell's `JobEvent`.
/// Unknown event names never become a `StreamEvent`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum StreamEvent {
    /// The document the turn works on (once, at the start).
    DocumentSync {
        html: String,
    },
    /// Progress text, shown live.
    Intermediate {
        content: String,
        timestamp: Option<String>,
    },
    /// One proposed change (its `content` was a JSON string, parsed a second time).
    ProposedChange {
        change: Change,
    },
    /// Every change of the turn; the job now waits for decisions.
    ProposedChangeBatch {
        changes: Vec<Change>,
    },
    /// The turn is done.
    Final {
        result: JobResult,
    },
    Usage {
        usage: Usage,
    },
    /// The job failed, was cancelled or is unknown.
    Error {
        error: String,
    },
    /// A free-form hint about the UI.
    UiPointer {
        #[ts(type = "unknown")]
        data: Value,
    },
}

/// An event with the sequence number the server gave it (frame `id:` or `data.sequence`).
#[derive(Debug, Clone, PartialEq)]
pub struct JobUpdate {
    pub sequence: Option<u64>,
    pub event: StreamEvent,
}

fn protocol(what: String) -> Error {
    let mut e = Error::local(
        ErrorKind::Protocol,
        "The service sent a progress event this app cannot read. The job's state is read again instead.",
    )
    .with_detail(what);
    e.reach = Reach::Answered;
    e
}

fn text_of(v: Option<&Value>) -> String {
    match v {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// A field holding JSON either as a string (the documented shape: parse it a second time) or inline.
fn nested<T: serde::de::DeserializeOwned>(name: &str, v: Option<&Value>) -> Result<T> {
    let parsed = match v {
        Some(Value::String(s)) => serde_json::from_str(s),
        Some(other) => serde_json::from_value(other.clone()),
        None => return Err(protocol(format!("`{name}` event without content"))),
    };
    parsed.map_err(|e| protocol(format!("`{name}` content is not the expected JSON: {e}")))
}

fn typed<T: serde::de::DeserializeOwned>(name: &str, v: Value) -> Result<T> {
    serde_json::from_value(v).map_err(|e| protocol(format!("`{name}` data is not the expected JSON: {e}")))
}

/// The event names of docs/superdocs-api.md §4.
pub const KNOWN_EVENTS: [&str; 8] = [
    "document_sync",
    "intermediate",
    "proposed_change",
    "proposed_change_batch",
    "final",
    "usage",
    "error",
    "ui_pointer",
];

/// Decodes one event from its name and parsed `data`. `Ok(None)`: a name this client does not
/// know (logged and ignored: the service has added event names before).
pub fn decode(name: &str, data: Value) -> Result<Option<StreamEvent>> {
    let event = match name {
        "document_sync" => StreamEvent::DocumentSync { html: text_of(data.get("content")) },
        "intermediate" => StreamEvent::Intermediate {
            content: text_of(data.get("content")),
            timestamp: data.get("timestamp").and_then(Value::as_str).map(String::from),
        },
        "proposed_change" => StreamEvent::ProposedChange { change: nested(name, data.get("content"))? },
        "proposed_change_batch" => {
            #[derive(Deserialize)]
            struct Batch {
                #[serde(default)]
                changes: Vec<Change>,
            }
            StreamEvent::ProposedChangeBatch { changes: nested::<Batch>(name, data.get("content"))?.changes }
        }
        "final" => {
            let result = data.get("result").cloned().unwrap_or(Value::Null);
            StreamEvent::Final { result: if result.is_null() { JobResult::default() } else { typed(name, result)? } }
        }
        // The usage object itself; tolerate it wrapped as `{usage: {...}}` too.
        "usage" => {
            let v = match data.get("usage") {
                Some(inner @ Value::Object(_)) => inner.clone(),
                _ => data,
            };
            StreamEvent::Usage { usage: typed(name, v)? }
        }
        "error" => StreamEvent::Error { error: text_of(data.get("error").or(data.get("detail"))) },
        "ui_pointer" => StreamEvent::UiPointer { data },
        other => {
            tracing::debug!(event = other, "ignoring an SSE event this client does not know");
            return Ok(None);
        }
    };
    Ok(Some(event))
}

/// Decodes one SSE frame: its `data` as JSON, its sequence from `id:` (or `data.sequence`).
pub fn decode_frame(name: &str, data: &str, id: &str) -> Result<Option<JobUpdate>> {
    if !KNOWN_EVENTS.contains(&name) {
        tracing::debug!(event = name, "ignoring an SSE event this client does not know");
        return Ok(None);
    }
    let value: Value = if data.trim().is_empty() {
        Value::Null
    } else {
        serde_json::from_str(data).map_err(|e| protocol(format!("`{name}` data is not JSON: {e}")))?
    };
    let sequence = id.trim().parse::<u64>().ok().or_else(|| value.get("sequence").and_then(Value::as_u64));
    Ok(decode(name, value)?.map(|event| JobUpdate { sequence, event }))
}

/// Decodes the frames of one connection. The SSE `id` is sticky (a frame without `id:` reports
/// the previous one's), so only an id the frame itself set counts as its sequence; otherwise a
/// frame after a numbered one would look like a duplicate of it and be dropped.
#[derive(Debug, Default)]
pub struct FrameDecoder {
    last_id: String,
}

impl FrameDecoder {
    pub fn decode(&mut self, frame: &SseFrame) -> Result<Option<JobUpdate>> {
        let fresh = frame.id != self.last_id;
        if fresh {
            self.last_id.clone_from(&frame.id);
        }
        decode_frame(&frame.event, &frame.data, if fresh { &frame.id } else { "" })
    }
}

/// What has been handed out so far: the basis of "never twice, never skipped".
#[derive(Debug, Clone, Default)]
pub struct Delivered {
    last_sequence: Option<u64>,
    document_synced: bool,
    final_seen: bool,
    usage_seen: bool,
    error_seen: bool,
    /// Proposed changes already handed out (the stream and the job resource both list them).
    changes: HashSet<String>,
    /// Changes handed out one by one, in order (to build the batch of a service that announces singly).
    proposed: Vec<Change>,
    /// Changes handed out inside a batch: the job was said to wait for decisions on them.
    announced: HashSet<String>,
}

impl Delivered {
    /// Whether `u` is new. Sequenced items are new when above the highest handled; the rest
    /// (the real service numbers only progress items) are kept to once per kind.
    fn is_new(&self, u: &JobUpdate) -> bool {
        if let (Some(seq), Some(last)) = (u.sequence, self.last_sequence) {
            if seq <= last {
                return false;
            }
        }
        match &u.event {
            StreamEvent::DocumentSync { .. } => !self.document_synced,
            StreamEvent::Final { .. } => !self.final_seen,
            StreamEvent::Usage { .. } => !self.usage_seen,
            StreamEvent::Error { .. } => !self.error_seen,
            StreamEvent::ProposedChange { change } => !self.changes.contains(&change.change_id),
            StreamEvent::ProposedChangeBatch { changes } => {
                changes.is_empty() || changes.iter().any(|c| !self.announced.contains(&c.change_id))
            }
            _ => true,
        }
    }

    /// The review rule, part one (docs/superdocs-api.md §4): the batch `change` belongs to is complete when
    /// `batch_total` of its changes have arrived. Returns the batch the first time it is complete.
    fn completed_batch(&self, change: &Change) -> Option<Vec<Change>> {
        let (Some(batch), Some(total)) = (&change.batch_id, change.batch_total) else { return None };
        let members: Vec<Change> =
            self.proposed.iter().filter(|c| c.batch_id.as_ref() == Some(batch)).cloned().collect();
        let complete = total > 0 && members.len() as u64 >= total;
        (complete && members.iter().any(|c| !self.announced.contains(&c.change_id))).then_some(members)
    }

    /// Changes were proposed that no batch announced yet: whether the job waits is for the job resource to say.
    fn review_unsettled(&self) -> bool {
        self.proposed.iter().any(|c| !self.announced.contains(&c.change_id))
    }

    fn record(&mut self, u: &JobUpdate) {
        if let Some(seq) = u.sequence {
            self.last_sequence = Some(self.last_sequence.map_or(seq, |l| l.max(seq)));
        }
        match &u.event {
            StreamEvent::DocumentSync { .. } => self.document_synced = true,
            StreamEvent::Final { .. } => self.final_seen = true,
            StreamEvent::Usage { .. } => self.usage_seen = true,
            StreamEvent::Error { .. } => self.error_seen = true,
            StreamEvent::ProposedChange { change } => {
                self.changes.insert(change.change_id.clone());
                self.proposed.push(change.clone());
            }
            StreamEvent::ProposedChangeBatch { changes } => {
                self.changes.extend(changes.iter().map(|c| c.change_id.clone()));
                self.announced.extend(changes.iter().map(|c| c.change_id.clone()));
            }
            _ => {}
        }
    }

    /// Records `u` and says whether to hand it out (false: already handed out).
    pub fn accept(&mut self, u: &JobUpdate) -> bool {
        let new = self.is_new(u);
        if new {
            self.record(u);
        }
        new
    }

    /// Nothing more will come: an error, or the final result and its usage.
    fn finished(&self) -> bool {
        self.error_seen || (self.final_seen && self.usage_seen)
    }
}

/// How a [`JobStream`] follows its job.
#[derive(Clone, Debug)]
pub struct FollowOptions {
    /// Pause between two reads of the job while polling.
    pub poll_interval: Duration,
    /// While polling, try the stream again (once, no retries) every this many polls; 0: never.
    /// Polling is the fallback, not the new normal: a stream that came back is cheaper and live.
    pub stream_retry_polls: u32,
    /// Cancellation and retry reports for every call the stream makes.
    pub call: CallOptions,
    /// When changes were proposed one by one and the stream goes quiet without announcing the batch,
    /// the job resource is read after this long (then at doubling intervals up to 30 s) to learn
    /// whether the job waits for decisions.
    pub review_check_after: Duration,
    /// The tracker's first pause before following a job again after following failed (doubles to 30 s).
    pub restart_after: Duration,
}

impl Default for FollowOptions {
    fn default() -> Self {
        // 15 polls of 2 s: the stream is tried again about every 30 s.
        FollowOptions {
            poll_interval: Duration::from_secs(2),
            stream_retry_polls: 15,
            call: CallOptions::default(),
            review_check_after: Duration::from_secs(2),
            restart_after: Duration::from_secs(1),
        }
    }
}

type Frames = Pin<Box<dyn Stream<Item = std::result::Result<SseFrame, String>> + Send>>;

enum Mode {
    /// Not connected; the next read (re)connects.
    Disconnected,
    Streaming(Frames, FrameDecoder),
    Polling,
    Done,
}

/// Follows one job: a pull-based sequence of [`JobUpdate`]s ending after the final result and its
/// usage, or after an error. `next()` returns `None` at the end.
pub struct JobStream {
    client: Client,
    session_id: String,
    job_id: String,
    options: FollowOptions,
    delivered: Delivered,
    mode: Mode,
    ready: VecDeque<JobUpdate>,
    reconnects: u32,
    fell_back: bool,
    /// Polls since the stream was last tried.
    polls: u32,
    returns_to_stream: u32,
    /// The current pause before reading the job while a review is unsettled.
    review_wait: Duration,
}

impl std::fmt::Debug for JobStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JobStream")
            .field("job_id", &self.job_id)
            .field("last_sequence", &self.delivered.last_sequence)
            .field("reconnects", &self.reconnects)
            .finish()
    }
}

impl JobStream {
    /// Follows `job_id` from after `last_sequence` (None: from the start).
    pub fn new(
        client: Client,
        session_id: &str,
        job_id: &str,
        last_sequence: Option<u64>,
        options: FollowOptions,
    ) -> Self {
        let review_wait = options.review_check_after;
        JobStream {
            client,
            session_id: session_id.to_string(),
            job_id: job_id.to_string(),
            options,
            delivered: Delivered { last_sequence, ..Default::default() },
            mode: Mode::Disconnected,
            ready: VecDeque::new(),
            reconnects: 0,
            fell_back: false,
            polls: 0,
            returns_to_stream: 0,
            review_wait,
        }
    }

    /// Changes the follower has already announced as waiting for decisions (read from the job when
    /// resuming): neither they nor their batch are handed out again, whichever way the stream repeats them.
    pub fn already_announced(&mut self, changes: &[Change]) {
        self.delivered.record(&JobUpdate {
            sequence: None,
            event: StreamEvent::ProposedChangeBatch { changes: changes.to_vec() },
        });
    }

    /// The highest sequence handed out (what to persist, and to resume from).
    pub fn last_sequence(&self) -> Option<u64> {
        self.delivered.last_sequence
    }

    /// How many times the stream was reopened after a drop.
    pub fn reconnects(&self) -> u32 {
        self.reconnects
    }

    /// Whether the stream gave way to polling the job.
    pub fn fell_back_to_polling(&self) -> bool {
        self.fell_back
    }

    /// How many times following went from polling back to the stream.
    pub fn returns_to_stream(&self) -> u32 {
        self.returns_to_stream
    }

    fn op(&self) -> Operation {
        Operation::new(OperationKind::Stream, "Following the job").session(&self.session_id)
    }

    /// Hands `u` out if it is new. The one rule for "the job waits for decisions" lives here: a
    /// `proposed_change_batch` arrived, or `batch_total` changes of one batch arrived one by one, or
    /// the job resource says `awaiting_approval` ([`JobStream::absorb_job`], [`JobStream::check_review`]).
    /// The last two hand out a `ProposedChangeBatch` of their own, so every follower (the tracker, the
    /// CLI) reacts to that one event only.
    fn offer(&mut self, u: JobUpdate) {
        if self.delivered.accept(&u) {
            let completed = match &u.event {
                StreamEvent::ProposedChange { change } => self.delivered.completed_batch(change),
                _ => None,
            };
            self.ready.push_back(u);
            if let Some(changes) = completed {
                self.offer(JobUpdate { sequence: None, event: StreamEvent::ProposedChangeBatch { changes } });
            }
        }
    }

    /// The stream went quiet after changes no batch announced: read the job; if it waits for
    /// decisions, announce its pending changes as the batch. A failed read changes nothing.
    async fn check_review(&mut self) {
        match self.client.job(&self.job_id, &self.options.call).await {
            Ok(job) if job.status == JobStatus::AwaitingApproval => self.absorb_review(&job),
            Ok(_) => {}
            Err(e) => {
                tracing::debug!(job_id = %self.job_id, error = %e.message, "could not read the job to check for a review")
            }
        }
    }

    fn absorb_review(&mut self, job: &Job) {
        let changes = &job.metadata.pending_changes;
        for change in changes {
            self.offer(JobUpdate { sequence: None, event: StreamEvent::ProposedChange { change: change.clone() } });
        }
        if !changes.is_empty() {
            self.offer(JobUpdate {
                sequence: None,
                event: StreamEvent::ProposedChangeBatch { changes: changes.clone() },
            });
        }
    }

    /// The next item, `None` once the job has ended and everything was handed out.
    pub async fn next(&mut self) -> Option<Result<JobUpdate>> {
        loop {
            if let Some(u) = self.ready.pop_front() {
                return Some(Ok(u));
            }
            if self.delivered.finished() {
                self.mode = Mode::Done;
            }
            let cancel = self.options.call.cancel.clone();
            let step = match std::mem::replace(&mut self.mode, Mode::Done) {
                Mode::Done => return None,
                Mode::Disconnected => tokio::select! {
                    r = self.connect() => r,
                    _ = cancel.cancelled() => Err(Error::cancelled()),
                },
                Mode::Streaming(frames, decoder) => tokio::select! {
                    r = self.read(frames, decoder) => r,
                    _ = cancel.cancelled() => Err(Error::cancelled()),
                },
                Mode::Polling => tokio::select! {
                    r = self.poll() => r,
                    _ = cancel.cancelled() => Err(Error::cancelled()),
                },
            };
            if let Err(e) = step {
                self.mode = Mode::Done;
                return Some(Err(e.with_operation(&self.op())));
            }
        }
    }

    /// Opens the stream under the retry executor. An attempt succeeds once the stream yields an
    /// item not yet handed out: a stream that opens and drops without news counts as a failed
    /// attempt, so a stream that cannot be held ends in polling instead of looping.
    async fn connect(&mut self) -> Result<()> {
        let op = self.op();
        let (client, sid, jid) = (self.client.clone(), self.session_id.clone(), self.job_id.clone());
        let seen = self.delivered.clone();
        let result = self
            .client
            .retrier()
            .run(&op, Idempotency::Idempotent, &self.options.call, |_| {
                open_stream(client.clone(), sid.clone(), jid.clone(), seen.clone())
            })
            .await;
        match result {
            Ok(opened) => {
                self.stream_from(opened);
                Ok(())
            }
            // Polling cannot help with these.
            Err(e)
                if matches!(
                    e.kind,
                    ErrorKind::Cancelled
                        | ErrorKind::Auth
                        | ErrorKind::Forbidden
                        | ErrorKind::NotFound
                        | ErrorKind::Quota
                ) =>
            {
                Err(e)
            }
            Err(e) => {
                tracing::warn!(job_id = %self.job_id, error = %e.message, "the job stream cannot be held; polling the job instead");
                self.fell_back = true;
                self.mode = Mode::Polling;
                Ok(())
            }
        }
    }

    fn stream_from(&mut self, (frames, decoder, first): Opened) {
        for u in first {
            self.offer(u);
        }
        self.mode = Mode::Streaming(frames, decoder);
    }

    /// Reads the next frame of an open stream; a drop before the end means reconnecting.
    async fn read(&mut self, mut frames: Frames, mut decoder: FrameDecoder) -> Result<()> {
        let next = if self.delivered.review_unsettled() {
            match tokio::time::timeout(self.review_wait, frames.next()).await {
                Ok(next) => next,
                Err(_) => {
                    self.review_wait = (self.review_wait * 2).min(Duration::from_secs(30));
                    self.check_review().await;
                    self.mode = Mode::Streaming(frames, decoder);
                    return Ok(());
                }
            }
        } else {
            self.review_wait = self.options.review_check_after;
            frames.next().await
        };
        match next {
            Some(Ok(f)) => {
                match decoder.decode(&f) {
                    Ok(Some(u)) => self.offer(u),
                    Ok(None) => {}
                    Err(e) => {
                        // The job resource is the source of truth when the stream says something odd.
                        tracing::warn!(job_id = %self.job_id, error = ?e.detail, "unreadable SSE event; polling the job instead");
                        self.fell_back = true;
                        self.mode = Mode::Polling;
                        return Ok(());
                    }
                }
                self.mode = Mode::Streaming(frames, decoder);
            }
            Some(Err(e)) => self.dropped(&e),
            None => self.dropped("the stream ended"),
        }
        Ok(())
    }

    fn dropped(&mut self, why: &str) {
        if self.delivered.final_seen {
            // Some servers close right after `final`; its result carries the usage.
            self.mode = Mode::Done;
            return;
        }
        tracing::info!(job_id = %self.job_id, last_sequence = ?self.delivered.last_sequence, why, "job stream dropped; resuming");
        self.reconnects += 1;
        self.mode = Mode::Disconnected;
    }

    /// One read of the job resource: new progress items, then the ending if it has ended.
    async fn poll(&mut self) -> Result<()> {
        let job = self.client.job(&self.job_id, &self.options.call).await?;
        let ended = self.absorb_job(&job)?;
        if ended {
            self.mode = Mode::Done;
            return Ok(());
        }
        self.mode = Mode::Polling;
        self.polls += 1;
        let every = self.options.stream_retry_polls;
        if every > 0 && self.polls >= every {
            self.polls = 0;
            // One attempt, no retries: if the stream is still broken, polling simply goes on.
            let seen = self.delivered.clone();
            match open_stream(self.client.clone(), self.session_id.clone(), self.job_id.clone(), seen).await {
                Ok(opened) => {
                    tracing::info!(job_id = %self.job_id, "the job stream is back; following it again");
                    self.returns_to_stream += 1;
                    self.stream_from(opened);
                    return Ok(());
                }
                Err(e) => {
                    tracing::debug!(job_id = %self.job_id, error = %e.message, "the job stream is still unavailable")
                }
            }
        }
        if self.ready.is_empty() {
            self.client.retrier().clock().sleep(self.options.poll_interval).await;
        }
        Ok(())
    }

    /// Turns a job resource into the updates not handed out yet. True when the job has ended.
    fn absorb_job(&mut self, job: &Job) -> Result<bool> {
        let mut items = job.metadata.intermediate_responses.clone();
        items.sort_by_key(|i| i.sequence);
        for item in items {
            let name = item.kind.as_deref().unwrap_or("intermediate");
            let data = serde_json::json!({ "type": name, "content": item.content });
            if let Some(event) = decode(name, data)? {
                self.offer(JobUpdate { sequence: Some(item.sequence), event });
            }
        }
        if job.status == JobStatus::AwaitingApproval {
            self.absorb_review(job);
        }
        match job.status {
            JobStatus::Completed => {
                let result = job.result.clone().unwrap_or_default();
                let usage = result.usage.clone();
                self.offer(JobUpdate { sequence: None, event: StreamEvent::Final { result } });
                if let Some(usage) = usage {
                    self.offer(JobUpdate { sequence: None, event: StreamEvent::Usage { usage } });
                }
                Ok(true)
            }
            JobStatus::Failed | JobStatus::Cancelled => {
                let error = match &job.error {
                    Value::Null => format!(
                        "The job was {}.",
                        if job.status == JobStatus::Cancelled { "cancelled" } else { "stopped" }
                    ),
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                self.offer(JobUpdate { sequence: None, event: StreamEvent::Error { error } });
                Ok(true)
            }
            _ => Ok(false),
        }
    }
}

/// An open stream: its frames, the decoder, and the items read until the first one not handed out yet.
type Opened = (Frames, FrameDecoder, Vec<JobUpdate>);

/// One attempt at opening the job's stream. It counts as open once it yields an item not handed out yet:
/// a stream that opens and drops without news is a failed attempt.
async fn open_stream(client: Client, sid: String, jid: String, seen: Delivered) -> Result<Opened> {
    let response = client.open_job_stream(&sid, &jid, seen.last_sequence).await?;
    let ct = response.headers().get(reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if !ct.to_ascii_lowercase().starts_with("text/event-stream") {
        return Err(protocol(format!("the stream answered with content type `{ct}`")));
    }
    let mut frames: Frames = Box::pin(crate::sse_frames::frames(response.bytes_stream()));
    let mut decoder = FrameDecoder::default();
    let mut first = Vec::new();
    loop {
        match frames.next().await {
            Some(Ok(f)) => {
                if let Some(u) = decoder.decode(&f)? {
                    let news = seen.is_new(&u);
                    first.push(u);
                    if news {
                        return Ok((frames, decoder, first));
                    }
                }
            }
            Some(Err(e)) => return Err(dropped(&e)),
            None => return Err(dropped("the stream ended before the job did")),
        }
    }
}

/// A stream that dropped: retryable like a connection that never got through.
fn dropped(why: &str) -> Error {
    let mut e = Error::local(ErrorKind::Network, "The progress stream was interrupted.").with_detail(why.to_string());
    e.reach = Reach::NotSent;
    e.retryable = true;
    e
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn change_json(id: &str) -> Value {
        json!({"change_id": id, "operation": "edit", "chunk_id": "c1", "old_html": "<p>a</p>", "new_html": "<p>b</p>", "ai_explanation": "why"})
    }

    #[test]
    fn proposed_change_content_is_parsed_a_second_time() {
        let data =
            json!({"type": "proposed_change", "content": change_json("chg_1").to_string(), "sequence": 4}).to_string();
        let u = decode_frame("proposed_change", &data, "").unwrap().unwrap();
        assert_eq!(u.sequence, Some(4));
        let StreamEvent::ProposedChange { change } = u.event else { panic!("{u:?}") };
        assert_eq!(change.change_id, "chg_1");
        assert_eq!(change.new_html.as_deref(), Some("<p>b</p>"));
    }

    #[test]
    fn batch_and_final_and_usage_decode() {
        let content = json!({"changes": [change_json("a"), change_json("b")]}).to_string();
        let u = decode_frame(
            "proposed_change_batch",
            &json!({"type": "proposed_change_batch", "content": content}).to_string(),
            "7",
        )
        .unwrap()
        .unwrap();
        assert_eq!(u.sequence, Some(7), "the frame id is the sequence");
        let StreamEvent::ProposedChangeBatch { changes } = u.event else { panic!() };
        assert_eq!(changes.iter().map(|c| c.change_id.as_str()).collect::<Vec<_>>(), ["a", "b"]);

        let usage = json!({"monthly_used": 3, "monthly_limit": 500, "monthly_remaining": 497, "was_billable": true, "subscription_tier": "free"});
        let f = decode_frame(
            "final",
            &json!({"type": "final", "result": {"response": "done", "usage": usage}}).to_string(),
            "",
        )
        .unwrap()
        .unwrap();
        let StreamEvent::Final { result } = f.event else { panic!() };
        assert_eq!(result.response.as_deref(), Some("done"));
        let u = decode_frame("usage", &usage.to_string(), "9").unwrap().unwrap();
        let StreamEvent::Usage { usage } = u.event else { panic!() };
        assert_eq!((usage.monthly_used, usage.monthly_remaining), (3, 497));
    }

    #[test]
    fn unknown_events_are_ignored_and_bad_content_is_a_protocol_error() {
        assert_eq!(decode_frame("brand_new_event", r#"{"x": 1}"#, "3").unwrap(), None);
        assert_eq!(decode_frame("message", "not even json", "").unwrap(), None);
        assert_eq!(decode_frame("intermediate", "not json", "").unwrap_err().kind, ErrorKind::Protocol);
        let bad = json!({"type": "proposed_change", "content": "{not json"}).to_string();
        let e = decode_frame("proposed_change", &bad, "").unwrap_err();
        assert_eq!(e.kind, ErrorKind::Protocol);
        assert!(e.detail.unwrap().contains("proposed_change"));
    }

    #[test]
    fn a_sticky_frame_id_is_not_taken_for_the_next_frames_sequence() {
        let frame = |event: &str, data: Value, id: &str| SseFrame {
            event: event.into(),
            data: data.to_string(),
            id: id.into(),
            retry: None,
        };
        let mut d = FrameDecoder::default();
        let mut delivered = Delivered::default();
        let progress = d.decode(&frame("intermediate", json!({"content": "a"}), "5")).unwrap().unwrap();
        // The parser reports id "5" again for a frame that set none.
        let fin = d.decode(&frame("final", json!({"result": {"response": "ok"}}), "5")).unwrap().unwrap();
        assert_eq!((progress.sequence, fin.sequence), (Some(5), None));
        assert!(delivered.accept(&progress));
        assert!(delivered.accept(&fin), "the final result is not mistaken for a duplicate");
    }

    #[test]
    fn delivered_never_twice() {
        let mut d = Delivered::default();
        let item = |seq: Option<u64>, event: StreamEvent| JobUpdate { sequence: seq, event };
        let p = item(Some(1), StreamEvent::Intermediate { content: "a".into(), timestamp: None });
        assert!(d.is_new(&p));
        d.record(&p);
        assert!(!d.is_new(&p));
        let fin = item(None, StreamEvent::Final { result: JobResult::default() });
        d.record(&fin);
        assert!(!d.is_new(&fin), "unsequenced kinds are once only");
        let ch =
            item(None, StreamEvent::ProposedChange { change: Change { change_id: "x".into(), ..Default::default() } });
        let batch = item(
            Some(2),
            StreamEvent::ProposedChangeBatch { changes: vec![Change { change_id: "x".into(), ..Default::default() }] },
        );
        d.record(&batch);
        assert!(!d.is_new(&ch), "a change listed in a batch is not handed out again from pending_changes");
        assert_eq!(d.last_sequence, Some(2));
    }
}
