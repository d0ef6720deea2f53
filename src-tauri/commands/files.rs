//! Files: what a path is, the native pickers, and uploads with progress over a Channel. Routing,
//! refusal of unsupported or oversized files and the transfer itself are the core's (`upload.rs`).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use superdocs_client::local_files;
use superdocs_client::progress::TransferProgress;
use superdocs_client::retry::{CallOptions, RetryEvent};
use superdocs_client::store::{Store, UploadState, UploadTarget};
use superdocs_client::types::{AttachmentState, OpenMode};
use superdocs_client::upload::{plan_upload, UploadKind, UploadLimits, Uploaded};
use superdocs_client::{Error, ErrorKind, Result};
use tauri::ipc::Channel;
use tauri::{AppHandle, Emitter, Manager, State};
use tauri_plugin_dialog::DialogExt;
use tokio_util::sync::CancellationToken;
use ts_rs::TS;

use crate::events::{background_error, AttachmentsChanged};
use crate::notifications::{self, Finished, LONG_UPLOAD};
use crate::state::{lock, plain, AppState, UploadEntry};

/// What the shell knows of a dropped or picked path, so the UI can refuse a file before anything is sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FileInfo {
    pub path: String,
    pub name: String,
    #[ts(type = "number")]
    pub size: u64,
    pub is_dir: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum UploadMode {
    Document,
    Attachment,
}

impl UploadMode {
    fn kind(self) -> UploadKind {
        match self {
            // The uploaded file becomes the session's document.
            UploadMode::Document => UploadKind::Document { open_mode: OpenMode::Replace },
            UploadMode::Attachment => UploadKind::Attachment,
        }
    }

    fn of(target: UploadTarget) -> UploadMode {
        match target {
            UploadTarget::Document => UploadMode::Document,
            UploadTarget::Attachment => UploadMode::Attachment,
        }
    }
}

/// An upload that had not finished when the app last quit (or had failed): the profile's upload queue in
/// the core's store keeps it, so the file can be sent again instead of silently forgotten.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct InterruptedUpload {
    pub path: String,
    pub filename: String,
    #[ts(type = "number")]
    pub size: u64,
    pub mode: UploadMode,
    pub session_id: String,
}

/// One file accepted into the upload queue (or refused at once, with `refused` set and nothing sent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct QueuedUpload {
    pub upload_id: String,
    pub path: String,
    pub filename: String,
    #[ts(type = "number")]
    pub size: u64,
    pub mode: UploadMode,
    pub session_id: String,
    pub refused: Option<Error>,
}

/// Streamed over the Channel given to queue_uploads; one upload_id per file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum UploadEvent {
    Progress { upload_id: String, progress: TransferProgress },
    Processing { upload_id: String },
    Retrying { upload_id: String, retry: RetryEvent },
    Done { upload_id: String, result: Uploaded },
    Failed { upload_id: String, error: Error },
    Cancelled { upload_id: String },
}

fn file_info(path: &str) -> Result<FileInfo> {
    let p = Path::new(path);
    let meta = std::fs::metadata(p).map_err(|e| {
        Error::local(ErrorKind::Validation, format!("Could not read {path}: {e}.")).with_detail(e.to_string())
    })?;
    let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| path.to_string());
    Ok(FileInfo { path: path.to_string(), name, size: meta.len(), is_dir: meta.is_dir() })
}

/// Only paths the user picked, dropped or is dragging over the window (`PathGrants`): the page cannot
/// probe the disk.
#[tauri::command]
pub fn stat_paths(state: State<'_, AppState>, paths: Vec<String>) -> Result<Vec<FileInfo>> {
    paths.iter().map(|p| state.grants.describable(p).and_then(|_| file_info(p))).collect()
}

/// The native open dialog, filtered to the mode's formats; [] when dismissed.
#[tauri::command]
pub async fn pick_files(app: AppHandle, state: State<'_, AppState>, mode: UploadMode) -> Result<Vec<String>> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let (title, label) = match mode {
        UploadMode::Document => ("Open a document", "Documents"),
        UploadMode::Attachment => ("Add attachments", "Documents and images"),
    };
    app.dialog().file().set_title(title).add_filter(label, &mode.kind().extensions()).pick_files(move |picked| {
        let _ = tx.send(picked.unwrap_or_default());
    });
    let picked: Vec<PathBuf> = rx.await.unwrap_or_default().into_iter().filter_map(|f| f.into_path().ok()).collect();
    state.grants.grant_files(&picked);
    Ok(picked.into_iter().map(|p| p.to_string_lossy().into_owned()).collect())
}

/// The native folder dialog, opened at `current`; null when dismissed.
#[tauri::command]
pub async fn pick_folder(
    app: AppHandle,
    state: State<'_, AppState>,
    current: Option<String>,
) -> Result<Option<String>> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let mut dialog = app.dialog().file().set_title("Choose a folder");
    if let Some(dir) = current.filter(|c| Path::new(c).is_dir()) {
        dialog = dialog.set_directory(dir);
    }
    dialog.pick_folder(move |picked| {
        let _ = tx.send(picked);
    });
    let picked = rx.await.ok().flatten().and_then(|f| f.into_path().ok());
    if let Some(dir) = &picked {
        state.grants.grant_folder(dir);
    }
    Ok(picked.map(|p| p.to_string_lossy().into_owned()))
}

fn next_upload_id() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    format!("up_{}", NEXT.fetch_add(1, Ordering::Relaxed))
}

/// Accepts one file into the queue (or refuses it: the core's checks, nothing sent) and starts it.
fn enqueue(
    app: &AppHandle,
    state: &AppState,
    path: PathBuf,
    session_id: &str,
    mode: UploadMode,
    channel: &Channel<UploadEvent>,
) -> QueuedUpload {
    let upload_id = next_upload_id();
    let filename = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let plan = plan_upload(&path, mode.kind(), &UploadLimits::default());
    let queued = QueuedUpload {
        upload_id: upload_id.clone(),
        path: path.to_string_lossy().into_owned(),
        filename,
        size: plan.as_ref().map(|p| p.size).unwrap_or(0),
        mode,
        session_id: session_id.to_string(),
        refused: plan.err(),
    };
    if queued.refused.is_none() {
        let queue = queue_record(state, &path, session_id, mode);
        let entry = UploadEntry {
            path,
            session_id: session_id.to_string(),
            mode,
            channel: channel.clone(),
            cancel: CancellationToken::new(),
            queue,
        };
        lock(&state.uploads).insert(upload_id.clone(), entry.clone());
        start(app.clone(), upload_id, entry);
    }
    queued
}

/// Records an upload in the profile's queue until it is done or cancelled, so a quit does not lose it.
fn queue_record(state: &AppState, path: &Path, session_id: &str, mode: UploadMode) -> Option<(Store, i64)> {
    let store = state.connection().ok()?.tracker.store().clone();
    match store.enqueue_upload(path, session_id, mode.kind().target()) {
        Ok(id) => Some((store, id)),
        Err(e) => {
            tracing::warn!(error = %e, "the upload is not recorded in the queue");
            None
        }
    }
}

/// Runs one upload in the background, reporting on its channel.
fn start(app: AppHandle, upload_id: String, entry: UploadEntry) {
    tauri::async_runtime::spawn(async move {
        let client = match app.state::<AppState>().client() {
            Ok(c) => c,
            Err(error) => {
                let _ = entry.channel.send(UploadEvent::Failed { upload_id, error });
                return;
            }
        };
        let (ch, id) = (entry.channel.clone(), upload_id.clone());
        let processing_sent = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let sink = Arc::new(move |progress: TransferProgress| {
            let _ = ch.send(UploadEvent::Progress { upload_id: id.clone(), progress });
            // All bytes sent: the service now converts or indexes the file.
            if progress.done && !processing_sent.swap(true, Ordering::Relaxed) {
                let _ = ch.send(UploadEvent::Processing { upload_id: id.clone() });
            }
        });
        let (ch, id) = (entry.channel.clone(), upload_id.clone());
        let opts = CallOptions::with_cancel(entry.cancel.clone()).on_retry(move |retry| {
            let _ = ch.send(UploadEvent::Retrying { upload_id: id.clone(), retry: retry.clone() });
        });
        let began = std::time::Instant::now();
        let outcome = client.upload_file(&entry.path, &entry.session_id, entry.mode.kind(), Some(sink), &opts).await;
        entry.record(match &outcome {
            Ok(_) => None,
            Err(e) if e.kind == ErrorKind::Cancelled => None,
            Err(e) => Some(e),
        });
        let event = match outcome {
            Ok(result) => {
                // A pasted text's file has done its job once the service has it.
                if local_files::is_in(&outgoing_dir(&app.state::<AppState>()), &entry.path) {
                    if let Err(e) = std::fs::remove_file(&entry.path) {
                        tracing::warn!(error = %e, "a sent text's file could not be removed");
                    }
                }
                if entry.mode == UploadMode::Attachment {
                    tauri::async_runtime::spawn(watch_attachments(app.clone(), entry.session_id.clone()));
                }
                if began.elapsed() >= LONG_UPLOAD {
                    let name = entry.path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                    notifications::notify(&app, Finished::Upload, &name, Some(&entry.session_id));
                }
                UploadEvent::Done { upload_id, result }
            }
            // cancel_upload already told the window.
            Err(e) if e.kind == ErrorKind::Cancelled => return,
            Err(error) => UploadEvent::Failed { upload_id, error },
        };
        let _ = entry.channel.send(event);
    });
}

/// Reports a session's attachments as `attachments` events until none is being indexed any more.
async fn watch_attachments(app: AppHandle, session_id: String) {
    const POLL: Duration = Duration::from_secs(1);
    const MAX_POLLS: u32 = 300;
    let mut last = None;
    for _ in 0..MAX_POLLS {
        let Ok(client) = app.state::<AppState>().client() else { return };
        match client.attachment_status(&session_id, &plain()).await {
            Ok(attachments) => {
                let busy = attachments
                    .iter()
                    .any(|a| matches!(a.status, AttachmentState::Pending | AttachmentState::Processing));
                if last.as_ref() != Some(&attachments) {
                    let _ = app.emit(
                        "attachments",
                        AttachmentsChanged { session_id: session_id.clone(), attachments: attachments.clone() },
                    );
                    last = Some(attachments);
                }
                if !busy {
                    return;
                }
            }
            Err(e) => {
                background_error(&app, &e);
                return;
            }
        }
        tokio::time::sleep(POLL).await;
    }
}

#[tauri::command]
pub fn queue_uploads(
    app: AppHandle,
    state: State<'_, AppState>,
    paths: Vec<String>,
    session_id: String,
    mode: UploadMode,
    on_event: Channel<UploadEvent>,
) -> Vec<QueuedUpload> {
    paths
        .into_iter()
        .map(|p| match state.grants.file(&p) {
            Ok(path) => enqueue(&app, &state, path, &session_id, mode, &on_event),
            Err(e) => refused(p, &session_id, mode, e),
        })
        .collect()
}

/// A path the shell would not take: a row for the window saying why, nothing sent.
fn refused(path: String, session_id: &str, mode: UploadMode, error: Error) -> QueuedUpload {
    let filename = Path::new(&path).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    QueuedUpload {
        upload_id: next_upload_id(),
        path,
        filename,
        size: 0,
        mode,
        session_id: session_id.to_string(),
        refused: Some(error),
    }
}

/// Where texts wait until they are sent (private to the user, like the rest of the data folder).
fn outgoing_dir(state: &AppState) -> PathBuf {
    state.data_dir.join("outgoing")
}

/// "Add as document": the text is saved as a file in the app's folder first, so it is never lost. The
/// shell names it (`Pasted text (n).txt`, or `.md` when `filename` asks for Markdown) and removes it
/// once sent; the page chooses neither the name nor the kind of file.
#[tauri::command]
pub fn upload_text(
    app: AppHandle,
    state: State<'_, AppState>,
    session_id: String,
    text: String,
    filename: String,
    mode: UploadMode,
    on_event: Channel<UploadEvent>,
) -> Result<QueuedUpload> {
    let path = local_files::save_outgoing_text(&outgoing_dir(&state), &filename, &text)?;
    Ok(enqueue(&app, &state, path, &session_id, mode, &on_event))
}

#[tauri::command]
pub fn cancel_upload(state: State<'_, AppState>, upload_id: String) {
    if let Some(entry) = lock(&state.uploads).get(&upload_id) {
        entry.cancel.cancel();
        entry.record(None);
        let _ = entry.channel.send(UploadEvent::Cancelled { upload_id: upload_id.clone() });
    }
}

/// The uploads the profile's queue still holds from an earlier run (not this run's), handed to the window
/// and taken off the queue: sending one again queues it anew.
#[tauri::command]
pub fn interrupted_uploads(state: State<'_, AppState>) -> Result<Vec<InterruptedUpload>> {
    let conn = state.connection()?;
    let store = conn.tracker.store();
    let running: Vec<i64> = lock(&state.uploads).values().filter_map(|e| e.queue.as_ref().map(|(_, id)| *id)).collect();
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
        // Recorded by this shell when the user gave the file in an earlier run: it may be sent again.
        state.grants.grant_files([&path]);
        let filename = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| u.path.clone());
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        out.push(InterruptedUpload {
            path: u.path,
            filename,
            size,
            mode: UploadMode::of(u.target),
            session_id: u.session_id,
        });
    }
    Ok(out)
}

/// Runs a failed or cancelled upload again; events continue on its channel.
#[tauri::command]
pub fn retry_upload(app: AppHandle, state: State<'_, AppState>, upload_id: String) -> Result<()> {
    let entry = {
        let mut uploads = lock(&state.uploads);
        let entry = uploads
            .get_mut(&upload_id)
            .ok_or_else(|| Error::local(ErrorKind::NotFound, "That upload is no longer known; add the file again."))?;
        entry.cancel = CancellationToken::new();
        // A cancelled upload left the queue; a failed one is on it: either way it is recorded afresh.
        entry.record(None);
        entry.queue = queue_record(&state, &entry.path, &entry.session_id, entry.mode);
        entry.clone()
    };
    start(app, upload_id, entry);
    Ok(())
}
