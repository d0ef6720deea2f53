//! Sessions: the list, one session's history and attachments, a fresh session id.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use superdocs_client::types::{AttachmentStatus, History, SessionSummary};
use superdocs_client::Result;
use tauri::State;

use crate::state::{plain, AppState};

#[tauri::command]
pub async fn list_sessions(state: State<'_, AppState>) -> Result<Vec<SessionSummary>> {
    state.client()?.sessions(None, &plain()).await
}

#[tauri::command]
pub async fn get_history(state: State<'_, AppState>, session_id: String) -> Result<History> {
    state.client()?.history(&session_id, &plain()).await
}

#[tauri::command]
pub async fn list_attachments(state: State<'_, AppState>, session_id: String) -> Result<Vec<AttachmentStatus>> {
    state.client()?.attachment_status(&session_id, &plain()).await
}

/// A new session id (the client chooses it; the service creates the session on its first use).
#[tauri::command]
pub fn new_session() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let millis = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("s_{millis:x}_{}_{n}", std::process::id())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_session_ids_are_valid_and_distinct() {
        let (a, b) = (new_session(), new_session());
        assert_ne!(a, b);
        superdocs_client::api::validate_session_id(&a).unwrap();
    }
}
