//! Chat turns as async jobs (the core's tracker follows them; see events.rs), decisions on proposed
//! changes, cancelling, the job list and rewinding a session.

use serde::{Deserialize, Serialize};
use superdocs_client::types::{
    ApprovalMode, ApproveRequest, ApproveResponse, ChangeDecision, ChatAccepted, ChatRequest, JobStatus, ModelTier,
    RevertResponse, ThinkingDepth,
};
use superdocs_client::Result;
use tauri::ipc::Channel;
use tauri::{AppHandle, State};
use ts_rs::TS;

use crate::events::{operation_options, send_job, JobChannel, JobEvent, JobSummary};
use crate::state::{plain, AppState};

/// review = true sends approval_mode "ask_every_time".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SendArgs {
    pub session_id: String,
    pub message: String,
    pub model_tier: ModelTier,
    pub thinking_depth: ThinkingDepth,
    pub review: bool,
}

/// Sends a turn (POST /v1/chat/async, retries reported under `op_id`); the job then reports as `job` events.
#[tauri::command]
pub async fn send_message(
    app: AppHandle,
    state: State<'_, AppState>,
    args: SendArgs,
    op_id: String,
) -> Result<ChatAccepted> {
    let conn = state.connection()?;
    let req = ChatRequest {
        model_tier: Some(args.model_tier),
        thinking_depth: Some(args.thinking_depth),
        approval_mode: Some(if args.review { ApprovalMode::AskEveryTime } else { ApprovalMode::ApproveAll }),
        ..ChatRequest::new(&args.session_id, &args.message)
    };
    let opts = operation_options(&app, &op_id, state.begin_operation(&op_id));
    let accepted = conn.tracker.submit_chat(&req, &opts).await;
    state.end_operation(&op_id);
    let accepted = accepted?;
    let session_id = if accepted.session_id.is_empty() { args.session_id.clone() } else { accepted.session_id.clone() };
    send_job(&app, JobEvent::Started { job_id: accepted.job_id.clone(), session_id, message: args.message });
    Ok(accepted)
}

/// Job events of every session from now on go over `on_event` (the window's one job channel; a reloaded
/// window gives a new one).
#[tauri::command]
pub fn watch_jobs(jobs: State<'_, JobChannel>, on_event: Channel<JobEvent>) {
    jobs.watch(on_event);
}

/// Sends the decisions on a job's proposed changes; the job resumes (more `job` events).
#[tauri::command]
pub async fn approve_changes(
    state: State<'_, AppState>,
    job_id: String,
    session_id: String,
    decisions: Vec<ChangeDecision>,
) -> Result<ApproveResponse> {
    let approved = decisions.iter().any(|d| d.approved);
    let req = ApproveRequest { job_id, approved, changes: Some(decisions), ..ApproveRequest::default() };
    state.client()?.approve(&session_id, &req, &plain()).await
}

/// Stops a job: asks the service to cancel it and ends it here whatever the answer (the service may be
/// out of reach), so the window is never left with a job "running"; the tracker reports `cancelled`.
#[tauri::command]
pub async fn cancel_job(state: State<'_, AppState>, job_id: String) -> Result<()> {
    state.connection()?.tracker.stop(&job_id, &plain()).await
}

/// "Try now" while offline: every job waiting to reach the service again tries at once.
#[tauri::command]
pub fn retry_jobs_now(state: State<'_, AppState>) -> Result<()> {
    state.connection()?.tracker.retry_now();
    Ok(())
}

/// Ends a waiting retry (or the call) of an operation started with `op_id`.
#[tauri::command]
pub fn cancel_operation(state: State<'_, AppState>, op_id: String) {
    state.cancel_operation(&op_id);
}

/// Running and recent chat jobs of every session, as the tracker recorded them; a job waiting for review
/// carries its changes, so a window that missed their event (right after a restart) can still decide them.
#[tauri::command]
pub async fn list_jobs(state: State<'_, AppState>) -> Result<Vec<JobSummary>> {
    let conn = state.connection()?;
    let mut jobs = Vec::new();
    for j in conn.tracker.store().tracked_jobs(50)? {
        let changes = if j.status == JobStatus::AwaitingApproval {
            conn.tracker.pending_changes(&j.job_id).await.unwrap_or_else(|e| {
                tracing::warn!(job_id = %j.job_id, kind = ?e.kind, "the changes of a job waiting for review could not be read");
                Vec::new()
            })
        } else {
            Vec::new()
        };
        jobs.push(JobSummary {
            last_progress: conn.tracker.last_progress(&j.job_id),
            changes,
            job_id: j.job_id,
            session_id: j.session_id,
            status: j.status,
            message: j.label,
            updated_at: j.updated_at,
        });
    }
    Ok(jobs)
}

#[tauri::command]
pub async fn revert(state: State<'_, AppState>, session_id: String, turn_index: i64) -> Result<RevertResponse> {
    state.client()?.revert(&session_id, turn_index, &plain()).await
}
