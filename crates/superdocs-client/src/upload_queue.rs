//! The upload queue both hosts share: ids, the durable record in the profile's store (so a failed or
//! interrupted upload is listed after a restart, by the app or the CLI), cancel and retry, and the
//! follow-up on an attachment's indexing, reported through the [`Host`]. The transfer itself, and its
//! concurrency bound (`upload_slots`, per client), are `upload.rs`'s.
//!
//! One protocol for every host: an upload is recorded `Uploading` when it starts, removed when it is done
//! or cancelled, and kept as `Failed` (with the message) when it fails.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

use crate::api::Client;
use crate::error::{Error, ErrorKind, Result};
use crate::host::{AttachmentsChanged, Finished, Host, LONG_UPLOAD};
use crate::local_files;
use crate::lock;
use crate::progress::TransferProgress;
use crate::retry::{CallOptions, RetryEvent};
use crate::store::{Store, UploadState, UploadTarget};
use crate::types::AttachmentState;
use crate::upload::{plan_upload, UploadLimits, Uploaded};

/// One file accepted into the upload queue (or refused at once, with `refused` set and nothing sent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct QueuedUpload {
    pub upload_id: String,
    pub path: String,
    pub filename: String,
    #[ts(type = "number")]
    pub size: u64,
    pub mode: UploadTarget,
    pub session_id: String,
    pub refused: Option<Error>,
}

/// An upload that had not finished when its host last quit (or had failed): the profile's queue keeps it,
/// so the file can be sent again instead of silently forgotten.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct InterruptedUpload {
    pub path: String,
    pub filename: String,
    #[ts(type = "number")]
    pub size: u64,
    pub mode: UploadTarget,
    pub session_id: String,
    /// Why it failed, when it did (none for one cut off by a quit).
    pub error: Option<String>,
}

/// What happens to one upload, in order; one upload_id per file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum UploadEvent {
    Progress {
        upload_id: String,
        progress: TransferProgress,
    },
    /// All bytes sent: the service now converts or indexes the file.
    Processing {
        upload_id: String,
    },
    Retrying {
        upload_id: String,
        retry: RetryEvent,
    },
    Done {
        upload_id: String,
        result: Uploaded,
    },
    Failed {
        upload_id: String,
        error: Error,
    },
    Cancelled {
        upload_id: String,
    },
}

/// Where one upload's events go (the app: a Tauri Channel; the CLI: a progress bar).
pub type UploadSink = Arc<dyn Fn(UploadEvent) + Send + Sync>;

/// One upload, with the profile it goes out under: a retry after a profile switch still uses this
/// upload's own client (server and key) and queue.
#[derive(Clone)]
struct Entry {
    path: PathBuf,
    session_id: String,
    target: UploadTarget,
    client: Client,
    /// The profile's queue it is recorded in (none when the host has no usable data folder).
    store: Option<Store>,
    /// Its row in `store`'s upload queue, while it is on it.
    record: Option<i64>,
    sink: UploadSink,
    cancel: CancellationToken,
}

impl Entry {
    /// Done or cancelled takes the upload off the durable queue; a failure is kept on it.
    fn settle(&self, failure: Option<&Error>) {
        let (Some(store), Some(id)) = (&self.store, self.record) else { return };
        let result = match failure {
            None => store.remove_upload(id),
            Some(e) => store.set_upload_state(id, UploadState::Failed, Some(&e.message)),
        };
        if let Err(e) = result {
            tracing::warn!(error = %e, "the upload queue could not be updated");
        }
    }
}

struct Shared {
    host: Arc<dyn Host>,
    /// Files the queue may remove once sent (pasted texts, see `local_files::save_outgoing_text`).
    outgoing: PathBuf,
    /// Uploads that can still be cancelled or retried; a finished one leaves.
    entries: Mutex<HashMap<String, Entry>>,
    next_id: AtomicU64,
    /// Whether an attachment's indexing is followed after its upload (a window shows it; a CLI run ends).
    follow_attachments: bool,
}

/// The queue of one host process. Cheap to clone.
#[derive(Clone)]
pub struct UploadQueue {
    inner: Arc<Shared>,
}

fn file_name(path: &Path) -> String {
    path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.to_string_lossy().into_owned())
}

impl UploadQueue {
    /// A queue whose attachment uploads are followed until indexed (`Host::attachments_changed`).
    pub fn new(host: Arc<dyn Host>, outgoing: PathBuf) -> Self {
        Self::build(host, outgoing, true)
    }

    /// A queue for a host that ends when its uploads do (the CLI): no follow-up after an attachment.
    pub fn without_follow_up(host: Arc<dyn Host>, outgoing: PathBuf) -> Self {
        Self::build(host, outgoing, false)
    }

    fn build(host: Arc<dyn Host>, outgoing: PathBuf, follow_attachments: bool) -> Self {
        let inner = Shared {
            host,
            outgoing,
            entries: Mutex::new(HashMap::new()),
            next_id: AtomicU64::new(1),
            follow_attachments,
        };
        UploadQueue { inner: Arc::new(inner) }
    }

    fn next_id(&self) -> String {
        format!("up_{}", self.inner.next_id.fetch_add(1, Ordering::Relaxed))
    }

    /// Accepts one file and starts it under `client`, recording it in `store` (the profile's queue); or
    /// refuses it at once (the core's checks: format, size; nothing sent). Must run inside a Tokio runtime.
    pub fn add(
        &self,
        client: &Client,
        store: Option<&Store>,
        path: PathBuf,
        session_id: &str,
        target: UploadTarget,
        sink: UploadSink,
    ) -> QueuedUpload {
        let plan = plan_upload(&path, target.kind(), &UploadLimits::default());
        let queued = QueuedUpload {
            upload_id: self.next_id(),
            path: path.to_string_lossy().into_owned(),
            filename: file_name(&path),
            size: plan.as_ref().map(|p| p.size).unwrap_or(0),
            mode: target,
            session_id: session_id.to_string(),
            refused: plan.err(),
        };
        if queued.refused.is_none() {
            let mut entry = Entry {
                path,
                session_id: session_id.to_string(),
                target,
                client: client.clone(),
                store: store.cloned(),
                record: None,
                sink,
                cancel: CancellationToken::new(),
            };
            entry.record = record(&entry);
            lock(&self.inner.entries).insert(queued.upload_id.clone(), entry.clone());
            self.start(queued.upload_id.clone(), entry);
        }
        queued
    }

    /// A path the host would not take (not granted, unreadable): a row saying why, nothing sent.
    pub fn refuse(&self, path: String, session_id: &str, target: UploadTarget, error: Error) -> QueuedUpload {
        QueuedUpload {
            upload_id: self.next_id(),
            filename: file_name(Path::new(&path)),
            path,
            size: 0,
            mode: target,
            session_id: session_id.to_string(),
            refused: Some(error),
        }
    }

    /// Stops an upload (its waits and transfer end) and takes it off the durable queue.
    pub fn cancel(&self, upload_id: &str) {
        if let Some(entry) = lock(&self.inner.entries).get(upload_id) {
            entry.cancel.cancel();
            entry.settle(None);
            (entry.sink)(UploadEvent::Cancelled { upload_id: upload_id.to_string() });
        }
    }

    /// Runs a failed or cancelled upload again, under the profile it was first sent with; events continue
    /// on its sink.
    pub fn retry(&self, upload_id: &str) -> Result<()> {
        let entry = {
            let mut entries = lock(&self.inner.entries);
            let entry = entries.get_mut(upload_id).ok_or_else(|| {
                Error::local(ErrorKind::NotFound, "That upload is no longer known; add the file again.")
            })?;
            entry.cancel = CancellationToken::new();
            // A cancelled upload left the queue; a failed one is on it: either way it is recorded afresh.
            entry.settle(None);
            entry.record = record(entry);
            entry.clone()
        };
        self.start(upload_id.to_string(), entry);
        Ok(())
    }

    /// The uploads `store`'s queue holds that this queue is not running (an earlier run's, or another
    /// host's such as the CLI's): failed or cut off. Listing takes them off the queue (sending one again
    /// queues it anew); finished rows left by older versions are dropped.
    pub fn take_interrupted(&self, store: &Store) -> Result<Vec<InterruptedUpload>> {
        let running: Vec<i64> = lock(&self.inner.entries)
            .values()
            .filter(|e| e.store.as_ref().is_some_and(|s| s.path() == store.path()))
            .filter_map(|e| e.record)
            .collect();
        let mut out = Vec::new();
        for u in store.uploads()? {
            if running.contains(&u.id) {
                continue;
            }
            store.remove_upload(u.id)?;
            if u.status == UploadState::Done {
                continue;
            }
            let path = PathBuf::from(&u.path);
            out.push(InterruptedUpload {
                filename: file_name(&path),
                size: std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0),
                path: u.path,
                mode: u.target,
                session_id: u.session_id,
                error: u.error,
            });
        }
        Ok(out)
    }

    fn start(&self, upload_id: String, entry: Entry) {
        let queue = self.clone();
        tokio::spawn(async move { queue.run(upload_id, entry).await });
    }

    async fn run(self, upload_id: String, entry: Entry) {
        let sink = entry.sink.clone();
        let processing_sent = AtomicBool::new(false);
        let id = upload_id.clone();
        let progress = Arc::new(move |progress: TransferProgress| {
            sink(UploadEvent::Progress { upload_id: id.clone(), progress });
            if progress.done && !processing_sent.swap(true, Ordering::Relaxed) {
                sink(UploadEvent::Processing { upload_id: id.clone() });
            }
        });
        let (sink, id) = (entry.sink.clone(), upload_id.clone());
        let opts = CallOptions::with_cancel(entry.cancel.clone()).on_retry(move |retry| {
            sink(UploadEvent::Retrying { upload_id: id.clone(), retry: retry.clone() });
        });
        let began = std::time::Instant::now();
        let outcome =
            entry.client.upload_file(&entry.path, &entry.session_id, entry.target.kind(), Some(progress), &opts).await;
        let event = match outcome {
            Ok(result) => {
                entry.settle(None);
                lock(&self.inner.entries).remove(&upload_id);
                // A pasted text's file has done its job once the service has it.
                if local_files::is_in(&self.inner.outgoing, &entry.path) {
                    if let Err(e) = std::fs::remove_file(&entry.path) {
                        tracing::warn!(error = %e, "a sent text's file could not be removed");
                    }
                }
                if entry.target == UploadTarget::Attachment && self.inner.follow_attachments {
                    let host = self.inner.host.clone();
                    tokio::spawn(watch_attachments(host, entry.client.clone(), entry.session_id.clone()));
                }
                if began.elapsed() >= LONG_UPLOAD {
                    self.inner.host.notify(Finished::Upload, &file_name(&entry.path), Some(&entry.session_id));
                }
                UploadEvent::Done { upload_id, result }
            }
            // `cancel` already settled it and told the sink.
            Err(e) if e.kind == ErrorKind::Cancelled => return,
            Err(error) => {
                entry.settle(Some(&error));
                UploadEvent::Failed { upload_id, error }
            }
        };
        (entry.sink)(event);
    }
}

/// Records an upload as under way in its profile's queue, so a quit does not lose it.
fn record(entry: &Entry) -> Option<i64> {
    let store = entry.store.as_ref()?;
    let id = store
        .enqueue_upload(&entry.path, &entry.session_id, entry.target)
        .and_then(|id| store.set_upload_state(id, UploadState::Uploading, None).map(|_| id));
    match id {
        Ok(id) => Some(id),
        Err(e) => {
            tracing::warn!(error = %e, "the upload is not recorded in the queue");
            None
        }
    }
}

/// Reports a session's attachments to the host until none is being indexed any more (the service has no
/// push for it; the host only sees events).
async fn watch_attachments(host: Arc<dyn Host>, client: Client, session_id: String) {
    const POLL: Duration = Duration::from_secs(1);
    const MAX_POLLS: u32 = 300;
    let mut last = None;
    for _ in 0..MAX_POLLS {
        match client.attachment_status(&session_id, &CallOptions::default()).await {
            Ok(attachments) => {
                let busy = attachments
                    .iter()
                    .any(|a| matches!(a.status, AttachmentState::Pending | AttachmentState::Processing));
                if last.as_ref() != Some(&attachments) {
                    host.attachments_changed(AttachmentsChanged {
                        session_id: session_id.clone(),
                        attachments: attachments.clone(),
                    });
                    last = Some(attachments);
                }
                if !busy {
                    return;
                }
            }
            Err(e) => {
                host.background_error(&e);
                return;
            }
        }
        tokio::time::sleep(POLL).await;
    }
}
