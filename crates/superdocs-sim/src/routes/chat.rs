//! Chat turns: synchronous, asynchronous (a job), and human-in-the-loop decisions.
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Instant;

use crate::accounts::Caller;
use crate::errors::{usage_headers, ApiError, ApiResult, FieldError, MSG_CHAT_TIMEOUT, MSG_EMPTY};
use crate::extract::{validate_session_id, ApiJson};
use crate::ids;
use crate::jobs::{Decision, Job, JobStatus};
use crate::state::Sim;
use crate::stats::KEY_SEPARATOR;
use crate::turn::{self, TurnRequest};

pub const MAX_MESSAGE_CHARS: usize = 100_000;
pub const MAX_DOCUMENT_HTML_CHARS: usize = 50_000_000;
pub const MAX_IMAGE_ATTACHMENTS: usize = 20;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
enum ModelTier {
    Core,
    Turbo,
    Pro,
    Max,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
enum ThinkingDepth {
    Fast,
    Balanced,
    Deep,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(rename_all = "snake_case")]
enum ApprovalMode {
    ApproveAll,
    AskEveryTime,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
enum ResponseMode {
    Full,
    Compact,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)] // accepted and validated like the real service; the stand-in AI ignores them
pub struct ChatRequest {
    message: String,
    session_id: String,
    document_html: Option<String>,
    document_id: Option<String>,
    image_attachments: Option<Vec<Value>>,
    model_tier: Option<ModelTier>,
    thinking_depth: Option<ThinkingDepth>,
    approval_mode: Option<ApprovalMode>,
    response_mode: Option<ResponseMode>,
}

impl ChatRequest {
    /// Schema limits (422) first, then the documented 400 for an empty message.
    fn validate(&self) -> ApiResult<()> {
        let mut errors = Vec::new();
        validate_session_id(&self.session_id, &["body", "session_id"])?;
        if self.message.chars().count() > MAX_MESSAGE_CHARS {
            errors.push(FieldError::new(
                "string_too_long",
                &["body", "message"],
                format!("String should have at most {MAX_MESSAGE_CHARS} characters"),
            ));
        }
        if self.document_html.as_ref().is_some_and(|h| h.chars().count() > MAX_DOCUMENT_HTML_CHARS) {
            errors.push(FieldError::new(
                "string_too_long",
                &["body", "document_html"],
                format!("String should have at most {MAX_DOCUMENT_HTML_CHARS} characters"),
            ));
        }
        if self.image_attachments.as_ref().is_some_and(|a| a.len() > MAX_IMAGE_ATTACHMENTS) {
            errors.push(FieldError::new(
                "too_long",
                &["body", "image_attachments"],
                format!("List should have at most {MAX_IMAGE_ATTACHMENTS} items"),
            ));
        }
        if !errors.is_empty() {
            return Err(ApiError::validation(errors));
        }
        if self.message.trim().is_empty() {
            return Err(ApiError::bad_request(MSG_EMPTY));
        }
        Ok(())
    }

    fn into_turn(self, owner: &str) -> TurnRequest {
        TurnRequest {
            owner: owner.to_string(),
            session_id: self.session_id,
            message: self.message,
            document_html: self.document_html,
            review: self.approval_mode == Some(ApprovalMode::AskEveryTime),
        }
    }
}

/// Validation, ownership, the submission count and the quota charge every turn goes through.
fn admit(sim: &Sim, caller: &Caller, body: &ChatRequest) -> ApiResult<u64> {
    body.validate()?;
    let mut world = sim.world.lock().unwrap();
    world.check_session_access(caller.key(), &body.session_id)?;
    sim.stats.submission("chat", format!("{}{KEY_SEPARATOR}{}", body.session_id, body.message));
    let used = world.charge(caller.key(), sim.config.monthly_limit)?;
    world.session_mut(caller.key(), &body.session_id)?.touch();
    Ok(used)
}

fn with_usage(mut response: Response, used: u64, limit: u64) -> Response {
    for (name, value) in usage_headers(limit, used) {
        response.headers_mut().insert(name, value);
    }
    response
}

pub async fn sync_chat(
    State(sim): State<Arc<Sim>>,
    caller: Caller,
    ApiJson(body): ApiJson<ChatRequest>,
) -> ApiResult<Response> {
    let started = Instant::now();
    let used = admit(&sim, &caller, &body)?;
    let turn = turn::prepare(&sim, body.into_turn(caller.key())).await;
    let plan = &turn.plan;
    // The same pace as a job, so the time cap can be met in tests.
    let work = async {
        for _ in 0..plan.progress.len().max(1) {
            tokio::time::sleep(sim.config.job_step_delay).await;
        }
    };
    if tokio::time::timeout(turn::remaining(&sim, started), work).await.is_err() {
        return Err(ApiError::detail(StatusCode::GATEWAY_TIMEOUT, MSG_CHAT_TIMEOUT));
    }
    let proposals = turn::proposals(&plan.edits);
    let review = turn.req.review && !plan.edits.is_empty();
    // Review mode without a job: the proposals come back and the document stays as it was.
    let final_html = if review { turn.base_html.clone().unwrap_or_default() } else { plan.new_html.clone() };
    let mut world = sim.world.lock().unwrap();
    let version = turn::commit(&mut world, &turn, turn.document_after(&final_html), &plan.reply);
    let changes: Vec<Value> = proposals.into_iter().map(|p| p.json).collect();
    let document_changes = (!plan.edits.is_empty()).then(|| {
        let (pending, diffs) = if review { (changes.clone(), vec![]) } else { (vec![], changes) };
        turn::document_changes(&final_html, version.as_deref(), &plan.summary, review, pending, diffs)
    });
    let usage = world.usage_of(caller.key(), sim.config.monthly_limit);
    let body = json!({
        "response": plan.reply,
        "session_id": turn.req.session_id,
        "document_changes": document_changes,
        "usage": usage,
    });
    Ok(with_usage(Json(body).into_response(), used, sim.config.monthly_limit))
}

pub async fn async_chat(
    State(sim): State<Arc<Sim>>,
    caller: Caller,
    ApiJson(body): ApiJson<ChatRequest>,
) -> ApiResult<Response> {
    let started = Instant::now();
    let used = admit(&sim, &caller, &body)?;
    let message = body.message.clone();
    let req = body.into_turn(caller.key());
    let session_id = req.session_id.clone();
    let job_id = ids::new_id("job_");
    {
        let mut job = Job::new(job_id.clone(), caller.key(), &session_id, "chat");
        job.metadata.insert("message".into(), json!(message));
        sim.world.lock().unwrap().jobs.insert(job_id.clone(), job);
    }
    let task = {
        let sim2 = sim.clone();
        let job_id = job_id.clone();
        sim.spawn(async move {
            let turn = turn::prepare(&sim2, req).await;
            turn::run_chat_job(sim2, job_id, turn, started).await;
        })
    };
    if let Some(job) = sim.world.lock().unwrap().jobs.get_mut(&job_id) {
        job.task = Some(task);
    }
    let body = json!({
        "job_id": job_id,
        "session_id": session_id,
        "status": "pending",
        "message": "Chat job queued. Poll /v1/jobs/{job_id} or stream /v1/chat/{session_id}/stream for progress.",
    });
    Ok(with_usage((StatusCode::OK, Json(body)).into_response(), used, sim.config.monthly_limit))
}

#[derive(Debug, Deserialize)]
pub struct ChangeDecision {
    change_id: String,
    approved: bool,
    feedback: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct ApproveRequest {
    job_id: String,
    approved: bool,
    change_id: Option<String>,
    feedback: Option<String>,
    changes: Option<Vec<ChangeDecision>>,
}

pub async fn approve(
    State(sim): State<Arc<Sim>>,
    caller: Caller,
    Path(sid): Path<String>,
    ApiJson(body): ApiJson<ApproveRequest>,
) -> ApiResult<Json<Value>> {
    let mut world = sim.world.lock().unwrap();
    let job = world.job_mut(caller.key(), &body.job_id, sim.config.job_retention)?;
    sim.stats.submission("approve", body.job_id.clone());
    if job.session_id != sid {
        return Err(ApiError::not_found("Job not found in this session"));
    }
    if job.status != JobStatus::AwaitingApproval {
        return Err(ApiError::conflict(format!("Job is not awaiting approval (status: {})", status_name(job.status))));
    }
    let pending: Vec<String> = job
        .pending_changes
        .iter()
        .filter_map(|c| c["change_id"].as_str().map(str::to_string))
        .filter(|id| !job.decisions.contains_key(id))
        .collect();
    let decisions: Vec<(String, Decision)> = match (&body.changes, &body.change_id) {
        (Some(list), _) => list
            .iter()
            .map(|c| (c.change_id.clone(), Decision { approved: c.approved, feedback: c.feedback.clone() }))
            .collect(),
        (None, Some(id)) => vec![(id.clone(), Decision { approved: body.approved, feedback: body.feedback.clone() })],
        (None, None) => pending
            .iter()
            .map(|id| (id.clone(), Decision { approved: body.approved, feedback: body.feedback.clone() }))
            .collect(),
    };
    let known: Vec<&str> = job.pending_changes.iter().filter_map(|c| c["change_id"].as_str()).collect();
    if let Some((unknown, _)) = decisions.iter().find(|(id, _)| !known.contains(&id.as_str())) {
        return Err(ApiError::not_found(format!("Change {unknown} not found")));
    }
    let (mut applied, mut denied) = (Vec::new(), Vec::new());
    for (id, decision) in decisions {
        if decision.approved {
            applied.push(id.clone())
        } else {
            denied.push(id.clone())
        }
        job.decisions.insert(id, decision);
    }
    let all_decided = known.iter().all(|id| job.decisions.contains_key(*id));
    if all_decided {
        // The job leaves awaiting_approval as the decision lands, so a client reading the job right after
        // an ambiguous approve sees that it arrived (error-handling §3), not a moment later.
        job.set_status(JobStatus::InProgress);
    }
    job.signals.decided.notify_one();
    let status = if all_decided { "in_progress" } else { "awaiting_approval" };
    Ok(Json(json!({ "job_id": body.job_id, "status": status, "applied": applied, "denied": denied })))
}

pub fn status_name(status: JobStatus) -> String {
    serde_json::to_value(status).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}
