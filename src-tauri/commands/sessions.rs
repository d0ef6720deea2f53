//! Sessions: the list, one session's history and attachments, a fresh session id.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use superdocs_client::types::{AttachmentStatus, History, SessionSummary};
use superdocs_client::{ErrorKind, Result};
use tauri::State;

use crate::state::{lock, plain, AppState};

/// The newest `limit` sessions (the API pages with `limit` only: the window asks for more to see older ones).
#[tauri::command]
pub async fn list_sessions(state: State<'_, AppState>, limit: Option<u32>) -> Result<Vec<SessionSummary>> {
    state.client()?.sessions(limit, &plain()).await
}

/// A session made by `new_session` exists at the service only after its first turn or upload; until
/// then "not found" means "empty", not "gone".
fn unless_fresh<T>(state: &AppState, session_id: &str, result: Result<T>, empty: impl FnOnce() -> T) -> Result<T> {
    match result {
        Err(e) if e.kind == ErrorKind::NotFound && lock(&state.fresh_sessions).contains(session_id) => Ok(empty()),
        other => other,
    }
}

#[tauri::command]
pub async fn get_history(state: State<'_, AppState>, session_id: String) -> Result<History> {
    let result = state.client()?.history(&session_id, &plain()).await;
    unless_fresh(&state, &session_id, result, || History { session_id: session_id.clone(), ..History::default() })
}

#[tauri::command]
pub async fn list_attachments(state: State<'_, AppState>, session_id: String) -> Result<Vec<AttachmentStatus>> {
    let result = state.client()?.attachment_status(&session_id, &plain()).await;
    unless_fresh(&state, &session_id, result, Vec::new)
}

/// A new session id (the client chooses it; the service creates the session on its first use).
#[tauri::command]
pub fn new_session(state: State<'_, AppState>) -> String {
    let id = fresh_session_id();
    lock(&state.fresh_sessions).insert(id.clone());
    id
}

fn fresh_session_id() -> String {
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
        let (a, b) = (fresh_session_id(), fresh_session_id());
        assert_ne!(a, b);
        superdocs_client::api::validate_session_id(&a).unwrap();
    }
}
