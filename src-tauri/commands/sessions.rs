//! Sessions: the list, one session's history and attachments, a fresh session id.

use superdocs_client::types::{AttachmentStatus, History, SessionSummary};
use superdocs_client::Result;
use tauri::State;

use crate::state::{plain, AppState};

/// The newest `limit` sessions (the API pages with `limit` only: the window asks for more to see older ones).
#[tauri::command]
pub async fn list_sessions(state: State<'_, AppState>, limit: Option<u32>) -> Result<Vec<SessionSummary>> {
    state.client()?.sessions(limit, &plain()).await
}

#[tauri::command]
pub async fn get_history(state: State<'_, AppState>, session_id: String) -> Result<History> {
    state.connection()?.history(&session_id, &plain()).await
}

#[tauri::command]
pub async fn list_attachments(state: State<'_, AppState>, session_id: String) -> Result<Vec<AttachmentStatus>> {
    state.connection()?.attachments(&session_id, &plain()).await
}

/// A new session id (the client chooses it; the service creates the session on its first use).
#[tauri::command]
pub fn new_session(state: State<'_, AppState>) -> Result<String> {
    Ok(state.connection()?.new_session())
}
