//! The simulator's shared state: configuration, fault rules, stats, files, and the world of accounts,
//! sessions and jobs behind one lock (never held across an await).
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;
use tokio_util::sync::CancellationToken;

use crate::accounts::Account;
use crate::config::SimConfig;
use crate::errors::{ApiError, ApiResult};
use crate::faults::FaultSet;
use crate::ids;
use crate::jobs::Job;
use crate::stats::StatsRecorder;
use crate::storage::{Storage, StoredFile};

pub struct Sim {
    pub config: SimConfig,
    pub base_url: String,
    pub faults: FaultSet,
    pub stats: StatsRecorder,
    pub storage: Storage,
    pub world: Mutex<World>,
    /// Cancelled at shutdown: background jobs stop.
    pub shutdown: CancellationToken,
    /// `config.review_announce`, changeable while running.
    pub review_announce: Mutex<crate::config::ReviewAnnounce>,
}

impl Sim {
    /// Runs a background task that ends at shutdown.
    pub fn spawn<F>(&self, fut: F) -> tokio::task::AbortHandle
    where
        F: std::future::Future<Output = ()> + Send + 'static,
    {
        let token = self.shutdown.clone();
        tokio::spawn(async move {
            tokio::select! {
                _ = token.cancelled() => {}
                _ = fut => {}
            }
        })
        .abort_handle()
    }
}

#[derive(Default)]
pub struct World {
    pub accounts: HashMap<String, Account>,
    pub sessions: HashMap<String, Session>,
    pub jobs: HashMap<String, Job>,
    pub uploads: HashMap<String, PresignedUpload>,
    pub downloads: HashMap<String, Download>,
    pub templates: HashMap<String, Template>,
    pub attachments: HashMap<String, Attachment>,
    pub outbox: Vec<Email>,
}

#[derive(Debug, Clone)]
pub struct Document {
    pub document_id: String,
    pub filename: Option<String>,
    pub html: String,
    pub version_id: String,
    pub last_modified: String,
}

impl Document {
    pub fn new(html: String, filename: Option<String>) -> Self {
        Self {
            document_id: ids::new_id("doc_"),
            filename,
            html,
            version_id: ids::new_id("ver_"),
            last_modified: ids::now_rfc3339(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Message {
    pub id: String,
    pub sender: &'static str,
    pub content: String,
    pub timestamp: String,
    pub turn_index: u32,
    /// None: the turn predates the revert feature (cannot be reverted).
    pub checkpoint_id: Option<String>,
}

impl Message {
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id, "sender": self.sender, "content": self.content, "timestamp": self.timestamp,
            "turn_index": self.turn_index, "checkpoint_id": self.checkpoint_id,
        })
    }
}

#[derive(Debug, Clone)]
pub struct Session {
    pub id: String,
    pub owner: String,
    pub messages: Vec<Message>,
    /// The editable document.
    pub document: Option<Document>,
    /// Documents loaded with `open_mode=background`.
    pub background_documents: Vec<Document>,
    /// The document as it was before each turn, for revert.
    pub checkpoints: HashMap<u32, Option<Document>>,
    pub next_turn: u32,
    pub last_activity: chrono::DateTime<chrono::Utc>,
}

impl Session {
    pub fn new(id: &str, owner: &str) -> Self {
        Self {
            id: id.to_string(),
            owner: owner.to_string(),
            messages: Vec::new(),
            document: None,
            background_documents: Vec::new(),
            checkpoints: HashMap::new(),
            next_turn: 0,
            last_activity: chrono::Utc::now(),
        }
    }

    pub fn touch(&mut self) {
        self.last_activity = chrono::Utc::now();
    }
}

#[derive(Debug, Clone)]
pub struct PresignedUpload {
    pub owner: String,
    pub filename: String,
    /// The `signature` query parameter the upload URL carries.
    pub signature: String,
    pub expires: Instant,
    pub file: Option<StoredFile>,
}

/// What a download link serves.
#[derive(Debug, Clone)]
pub enum DownloadBody {
    File(StoredFile),
    /// The bench knob: `size` bytes of `seed` repeated, generated while streaming.
    Synthetic {
        seed: String,
        size: u64,
    },
}

#[derive(Debug, Clone)]
pub struct Download {
    pub body: DownloadBody,
    pub filename: String,
    pub content_type: String,
    pub expires: Instant,
}

#[derive(Debug, Clone)]
#[allow(dead_code)] // kept as the real service keeps them; no route reads templates back
pub struct Template {
    pub owner: String,
    pub filename: String,
    pub file: StoredFile,
}

#[derive(Debug, Clone)]
pub struct Attachment {
    pub id: String,
    pub owner: String,
    pub session_id: String,
    pub filename: String,
    pub status: &'static str,
    pub error: Option<String>,
    pub html: Option<String>,
    pub created: Instant,
}

/// One "sent" e-mail of the export fallback.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Email {
    pub to: String,
    pub subject: String,
    /// A URL on the sim that downloads the rendered file (no auth).
    pub link: String,
    pub format: String,
    pub filename: String,
    pub expires_at: String,
    pub job_id: String,
}

impl World {
    /// The caller's session, created on first use; 403 when another account owns the id.
    pub fn session_mut(&mut self, owner: &str, sid: &str) -> ApiResult<&mut Session> {
        let session = self.sessions.entry(sid.to_string()).or_insert_with(|| Session::new(sid, owner));
        if session.owner != owner {
            return Err(ApiError::forbidden());
        }
        Ok(session)
    }

    /// An existing session of the caller: 404 when unknown, 403 when someone else's.
    pub fn existing_session(&self, owner: &str, sid: &str) -> ApiResult<&Session> {
        let session = self.sessions.get(sid).ok_or_else(|| ApiError::not_found("Session not found"))?;
        if session.owner != owner {
            return Err(ApiError::forbidden());
        }
        Ok(session)
    }

    pub fn check_session_access(&self, owner: &str, sid: &str) -> ApiResult<()> {
        match self.sessions.get(sid) {
            Some(s) if s.owner != owner => Err(ApiError::forbidden()),
            _ => Ok(()),
        }
    }
}
