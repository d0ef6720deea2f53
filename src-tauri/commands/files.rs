//! Files: what a path is, the native pickers, and uploads with progress over a Channel. The queue (ids,
//! its durable record, retry, the attachment follow-up) is the core's (`upload_queue.rs`); the shell
//! checks that the page names only paths the user gave.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use superdocs_client::input_rules::{self, FileInfo, InputRules};
use superdocs_client::local_files;
use superdocs_client::store::UploadTarget;
use superdocs_client::upload_queue::{InterruptedUpload, QueuedUpload, UploadEvent, UploadSink};
use superdocs_client::Result;
use tauri::ipc::Channel;
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;

use crate::state::AppState;
use crate::strings::tr;

/// Only paths the user picked, dropped or is dragging over the window (`PathGrants`): the page cannot
/// probe the disk.
#[tauri::command]
pub fn stat_paths(state: State<'_, AppState>, paths: Vec<String>) -> Result<Vec<FileInfo>> {
    paths.iter().map(|p| state.grants.describable(p).and_then(|_| input_rules::describe(p))).collect()
}

/// The formats, largest file and longest message a window names before anything is sent.
#[tauri::command]
pub fn input_rules() -> InputRules {
    InputRules::current()
}

/// The native open dialog, filtered to the mode's formats; [] when dismissed.
#[tauri::command]
pub async fn pick_files(app: AppHandle, state: State<'_, AppState>, mode: UploadTarget) -> Result<Vec<String>> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    let (title, label) = match mode {
        UploadTarget::Document => (tr("dialog.openDocument"), tr("dialog.documents")),
        UploadTarget::Attachment => (tr("dialog.addAttachments"), tr("dialog.documentsAndImages")),
    };
    app.dialog().file().set_title(title).add_filter(&label, &mode.kind().extensions()).pick_files(move |picked| {
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
    let mut dialog = app.dialog().file().set_title(tr("dialog.chooseFolder"));
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

fn sink(channel: Channel<UploadEvent>) -> UploadSink {
    Arc::new(move |event| {
        let _ = channel.send(event);
    })
}

/// Queues each file under the active profile (it stays that upload's profile, also for a retry).
fn enqueue(
    state: &AppState,
    path: PathBuf,
    session_id: &str,
    mode: UploadTarget,
    on_event: &Channel<UploadEvent>,
) -> QueuedUpload {
    match state.connection() {
        Ok(conn) => {
            state.uploads.add(&conn.client, Some(conn.tracker.store()), path, session_id, mode, sink(on_event.clone()))
        }
        Err(e) => state.uploads.refuse(path.to_string_lossy().into_owned(), session_id, mode, e),
    }
}

#[tauri::command]
pub async fn queue_uploads(
    state: State<'_, AppState>,
    paths: Vec<String>,
    session_id: String,
    mode: UploadTarget,
    on_event: Channel<UploadEvent>,
) -> Result<Vec<QueuedUpload>> {
    Ok(paths
        .into_iter()
        .map(|p| match state.grants.file(&p) {
            Ok(path) => enqueue(&state, path, &session_id, mode, &on_event),
            Err(e) => state.uploads.refuse(p, &session_id, mode, e),
        })
        .collect())
}

/// "Add as document": the text is saved as a file in the app's folder first, so it is never lost. The
/// core names it (`Pasted text (n).txt`, or `.md` when `filename` asks for Markdown) and the queue removes
/// it once sent; the page chooses neither the name nor the kind of file.
#[tauri::command]
pub async fn upload_text(
    state: State<'_, AppState>,
    session_id: String,
    text: String,
    filename: String,
    mode: UploadTarget,
    on_event: Channel<UploadEvent>,
) -> Result<QueuedUpload> {
    let path = local_files::save_outgoing_text(&state.profiles.layout().outgoing_dir(), &filename, &text)?;
    Ok(enqueue(&state, path, &session_id, mode, &on_event))
}

#[tauri::command]
pub async fn cancel_upload(state: State<'_, AppState>, upload_id: String) -> Result<()> {
    state.uploads.cancel(&upload_id);
    Ok(())
}

/// Runs a failed or cancelled upload again, under the profile it was first sent with.
#[tauri::command]
pub async fn retry_upload(state: State<'_, AppState>, upload_id: String) -> Result<()> {
    state.uploads.retry(&upload_id)
}

/// The uploads the profile's queue still holds from an earlier run or from the CLI, taken off the queue:
/// sending one again queues it anew.
#[tauri::command]
pub fn interrupted_uploads(state: State<'_, AppState>) -> Result<Vec<InterruptedUpload>> {
    let conn = state.connection()?;
    let interrupted = state.uploads.take_interrupted(conn.tracker.store())?;
    // Recorded when the user gave the file (here or to the CLI): it may be sent again.
    state.grants.grant_files(interrupted.iter().map(|u| PathBuf::from(&u.path)));
    Ok(interrupted)
}
