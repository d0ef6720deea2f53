//! Jobs of the caller: list, read, cancel.
use axum::extract::{Path, Query, State};
use axum::Json;
use serde_json::{json, Value};
use std::sync::Arc;

use crate::accounts::Caller;
use crate::errors::{ApiError, ApiResult};
use crate::extract::{query_u64, QueryMap};
use crate::jobs::JobStatus;
use crate::routes::chat::status_name;
use crate::state::Sim;

pub async fn list(State(sim): State<Arc<Sim>>, caller: Caller, Query(q): Query<QueryMap>) -> ApiResult<Json<Value>> {
    let limit = query_u64(&q, "limit")?.unwrap_or(50) as usize;
    let status = match q.get("status").filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(JobStatus::parse(s).ok_or_else(|| {
            ApiError::field(
                "enum",
                &["query", "status"],
                "Input should be 'pending', 'in_progress', 'awaiting_approval', 'completed', 'failed' or 'cancelled'",
            )
        })?),
    };
    let mut world = sim.world.lock().unwrap();
    world.purge_jobs(sim.config.job_retention);
    let mut jobs: Vec<&crate::jobs::Job> =
        world.jobs.values().filter(|j| j.owner == caller.key() && status.map_or(true, |s| j.status == s)).collect();
    jobs.sort_by_key(|j| std::cmp::Reverse(j.created));
    let total = jobs.len();
    let list: Vec<Value> = jobs.into_iter().take(limit).map(|j| j.to_json()).collect();
    Ok(Json(json!({ "jobs": list, "total": total })))
}

pub async fn get(State(sim): State<Arc<Sim>>, caller: Caller, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    let mut world = sim.world.lock().unwrap();
    let job = world.job_mut(caller.key(), &id, sim.config.job_retention)?;
    Ok(Json(job.to_json()))
}

pub async fn cancel(State(sim): State<Arc<Sim>>, caller: Caller, Path(id): Path<String>) -> ApiResult<Json<Value>> {
    let mut world = sim.world.lock().unwrap();
    let job = world.job_mut(caller.key(), &id, sim.config.job_retention)?;
    if job.status.is_terminal() {
        return Err(ApiError::conflict(format!("Job already finished (status: {})", status_name(job.status))));
    }
    if let Some(task) = job.task.take() {
        task.abort();
    }
    job.fail(JobStatus::Cancelled, "Job cancelled");
    let json = job.to_json();
    let attachment = (job.job_type == "attachment").then(|| job.id.clone());
    if let Some(a) = attachment.and_then(|id| world.attachments.get_mut(&id)) {
        a.status = "failed";
        a.error = Some("cancelled".into());
    }
    Ok(Json(json))
}
