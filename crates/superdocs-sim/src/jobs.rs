//! Background jobs (chat turns, attachment indexing, e-mailed exports): status, progress, the event log
//! the SSE stream replays, and retention.
use serde::Serialize;
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::{watch, Notify};

use crate::errors::{ApiError, ApiResult};
use crate::ids;
use crate::state::World;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    Pending,
    InProgress,
    AwaitingApproval,
    Completed,
    Failed,
    Cancelled,
}

impl JobStatus {
    pub fn is_terminal(self) -> bool {
        matches!(self, Self::Completed | Self::Failed | Self::Cancelled)
    }
    pub fn parse(s: &str) -> Option<Self> {
        serde_json::from_value(Value::String(s.to_string())).ok()
    }
}

// Deserialize only for JobStatus::parse.
impl<'de> serde::Deserialize<'de> for JobStatus {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(match s.as_str() {
            "pending" => Self::Pending,
            "in_progress" => Self::InProgress,
            "awaiting_approval" => Self::AwaitingApproval,
            "completed" => Self::Completed,
            "failed" => Self::Failed,
            "cancelled" => Self::Cancelled,
            _ => return Err(serde::de::Error::custom("unknown status")),
        })
    }
}

/// One event of a job's SSE log.
#[derive(Debug, Clone)]
pub struct JobEvent {
    pub sequence: u64,
    pub name: &'static str,
    pub data: Value,
}

/// Wakes the SSE streams and the approval wait of a job.
#[derive(Debug)]
pub struct JobSignals {
    pub changed: watch::Sender<u64>,
    pub decided: Notify,
}

/// A reviewer's decision on one proposed change.
#[derive(Debug, Clone)]
pub struct Decision {
    pub approved: bool,
    pub feedback: Option<String>,
}

#[derive(Debug)]
pub struct Job {
    pub id: String,
    pub owner: String,
    pub session_id: String,
    pub job_type: &'static str,
    pub status: JobStatus,
    pub created_at: String,
    pub created: Instant,
    pub updated_at: String,
    pub finished: Option<Instant>,
    pub progress: u8,
    pub result: Option<Value>,
    pub error: Option<String>,
    pub metadata: Map<String, Value>,
    pub pending_changes: Vec<Value>,
    pub decisions: HashMap<String, Decision>,
    pub intermediate: Vec<Value>,
    pub events: Vec<JobEvent>,
    pub signals: Arc<JobSignals>,
    pub task: Option<tokio::task::AbortHandle>,
}

impl Job {
    pub fn new(id: String, owner: &str, session_id: &str, job_type: &'static str) -> Self {
        let now = ids::now_rfc3339();
        Self {
            id,
            owner: owner.to_string(),
            session_id: session_id.to_string(),
            job_type,
            status: JobStatus::Pending,
            created_at: now.clone(),
            created: Instant::now(),
            updated_at: now,
            finished: None,
            progress: 0,
            result: None,
            error: None,
            metadata: Map::new(),
            pending_changes: Vec::new(),
            decisions: HashMap::new(),
            intermediate: Vec::new(),
            events: Vec::new(),
            signals: Arc::new(JobSignals { changed: watch::channel(0).0, decided: Notify::new() }),
            task: None,
        }
    }

    pub fn to_json(&self) -> Value {
        let mut metadata = self.metadata.clone();
        metadata.insert("pending_changes".into(), Value::Array(self.pending_changes.clone()));
        metadata.insert("intermediate_responses".into(), Value::Array(self.intermediate.clone()));
        json!({
            "job_id": self.id,
            "session_id": self.session_id,
            "job_type": self.job_type,
            "status": self.status,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "progress": self.progress,
            "result": self.result,
            "error": self.error,
            "metadata": metadata,
        })
    }

    fn touch(&mut self) {
        self.updated_at = ids::now_rfc3339();
        self.signals.changed.send_modify(|v| *v += 1);
    }

    pub fn set_status(&mut self, status: JobStatus) {
        self.status = status;
        if status.is_terminal() {
            self.finished = Some(Instant::now());
            if status == JobStatus::Completed {
                self.progress = 100;
            }
        }
        self.touch();
    }

    pub fn set_progress(&mut self, progress: u8) {
        self.progress = progress.min(100);
        self.touch();
    }

    /// Appends an event to the SSE log (and, for progress items, to `metadata.intermediate_responses`).
    pub fn emit(&mut self, name: &'static str, mut data: Value) -> u64 {
        let sequence = self.events.last().map_or(1, |e| e.sequence + 1);
        let itemised = matches!(name, "intermediate" | "proposed_change" | "proposed_change_batch");
        if itemised {
            if let Value::Object(map) = &mut data {
                map.insert("sequence".into(), json!(sequence));
            }
            self.intermediate.push(json!({
                "type": name, "content": data.get("content").cloned().unwrap_or(Value::Null), "sequence": sequence,
            }));
        }
        self.events.push(JobEvent { sequence, name, data });
        self.touch();
        sequence
    }

    /// Ends the job as failed or cancelled, with an `error` event for the streams.
    pub fn fail(&mut self, status: JobStatus, error: &str) {
        self.error = Some(error.to_string());
        self.set_status(status);
        self.emit("error", json!({ "type": "error", "error": error }));
    }

    pub fn complete(&mut self, result: Value) {
        self.result = Some(result);
        self.set_status(JobStatus::Completed);
    }

    fn expired(&self, retention: Duration, now: Instant) -> bool {
        self.finished.is_some_and(|f| now.duration_since(f) >= retention)
    }
}

impl World {
    /// Forgets jobs finished longer ago than the retention.
    pub fn purge_jobs(&mut self, retention: Duration) {
        let now = Instant::now();
        self.jobs.retain(|_, j| !j.expired(retention, now));
    }

    /// The caller's job: 404 `Job not found` when unknown or expired, 403 when someone else's.
    pub fn job_mut(&mut self, owner: &str, id: &str, retention: Duration) -> ApiResult<&mut Job> {
        self.purge_jobs(retention);
        let job = self.jobs.get_mut(id).ok_or_else(ApiError::job_not_found)?;
        if job.owner != owner {
            return Err(ApiError::forbidden());
        }
        Ok(job)
    }

    /// Whether a chat turn is running (or waiting for approval) on the session.
    pub fn chat_running(&self, session_id: &str) -> bool {
        self.jobs.values().any(|j| j.session_id == session_id && j.job_type == "chat" && !j.status.is_terminal())
    }
}
