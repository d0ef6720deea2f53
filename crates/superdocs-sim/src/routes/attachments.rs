//! Attachments: read-only reference files, indexed asynchronously as `att_` jobs.
use axum::extract::{Path, Query, Request, State};
use axum::http::StatusCode;
use axum::Json;
use serde_json::{json, Value};
use std::sync::Arc;

use crate::accounts::Caller;
use crate::documents::import_file;
use crate::errors::{ApiError, ApiResult};
use crate::extract::{required_query, validate_session_id, QueryMap};
use crate::files::{is_image, read_upload, FilePurpose};
use crate::ids;
use crate::jobs::{Job, JobStatus};
use crate::state::{Attachment, Sim};
use crate::stats::KEY_SEPARATOR;
use crate::storage::StoredFile;

pub async fn upload(State(sim): State<Arc<Sim>>, caller: Caller, req: Request) -> ApiResult<Json<Value>> {
    let form = read_upload(&sim, req, FilePurpose::Attachment).await?;
    let session_id = form.field("session_id")?.to_string();
    let job_id = start_attachment_job(&sim, caller.key(), &session_id, &form.filename, form.file)?;
    Ok(Json(json!({
        "job_id": job_id,
        "filename": form.filename,
        "status": "processing",
        "message": "Attachment received; indexing in the background. Poll the job for its status.",
    })))
}

/// Registers the attachment and indexes it on a background job; returns the `att_` job id (which is
/// also the attachment id).
pub fn start_attachment_job(
    sim: &Arc<Sim>,
    owner: &str,
    session_id: &str,
    filename: &str,
    file: StoredFile,
) -> ApiResult<String> {
    validate_session_id(session_id, &["body", "session_id"])?;
    let id = ids::new_id("att_");
    {
        let mut world = sim.world.lock().unwrap();
        world.session_mut(owner, session_id)?.touch();
        sim.stats.submission("upload", format!("{session_id}{KEY_SEPARATOR}{filename}"));
        let mut job = Job::new(id.clone(), owner, session_id, "attachment");
        job.metadata.insert("filename".into(), json!(filename));
        world.jobs.insert(id.clone(), job);
        world.attachments.insert(
            id.clone(),
            Attachment {
                id: id.clone(),
                owner: owner.to_string(),
                session_id: session_id.to_string(),
                filename: filename.to_string(),
                status: "pending",
                error: None,
                html: None,
                created: std::time::Instant::now(),
            },
        );
    }
    let (sim2, id2, name) = (sim.clone(), id.clone(), filename.to_string());
    let task = sim.spawn(async move { index(sim2, id2, name, file).await });
    if let Some(job) = sim.world.lock().unwrap().jobs.get_mut(&id) {
        job.task = Some(task);
    }
    Ok(id)
}

fn update(sim: &Sim, id: &str, f: impl FnOnce(&mut Job, Option<&mut Attachment>)) {
    let mut world = sim.world.lock().unwrap();
    let world = &mut *world;
    if let Some(job) = world.jobs.get_mut(id).filter(|j| !j.status.is_terminal()) {
        f(job, world.attachments.get_mut(id));
    }
}

async fn index(sim: Arc<Sim>, id: String, filename: String, file: StoredFile) {
    tokio::time::sleep(sim.config.job_step_delay).await;
    update(&sim, &id, |job, att| {
        job.set_status(JobStatus::InProgress);
        job.set_progress(10);
        if let Some(a) = att {
            a.status = "processing";
        }
    });
    tokio::time::sleep(sim.config.job_step_delay).await;
    let outcome = if is_image(&filename) {
        Ok((None, 1))
    } else {
        import_file(&filename, &file.path).await.map(|d| (Some(d.html), d.chunks_count))
    };
    let _ = tokio::fs::remove_file(&file.path).await;
    update(&sim, &id, |job, att| match outcome {
        Ok((html, chunks)) => {
            job.complete(
                json!({ "attachment_id": id, "filename": filename, "chunks_count": chunks, "size_bytes": file.size }),
            );
            if let Some(a) = att {
                a.status = "completed";
                a.html = html;
            }
        }
        Err(e) => {
            let reason = e.detail_text();
            job.fail(JobStatus::Failed, &reason);
            if let Some(a) = att {
                a.status = "failed";
                a.error = Some(reason);
            }
        }
    });
}

pub async fn status(State(sim): State<Arc<Sim>>, caller: Caller, Path(sid): Path<String>) -> ApiResult<Json<Value>> {
    let world = sim.world.lock().unwrap();
    world.check_session_access(caller.key(), &sid)?;
    let mut list: Vec<&Attachment> = world.attachments.values().filter(|a| a.session_id == sid).collect();
    list.sort_by_key(|a| a.created);
    let attachments: Vec<Value> = list
        .into_iter()
        .map(|a| {
            let mut v = json!({ "attachment_id": a.id, "filename": a.filename, "status": a.status });
            if let Some(e) = &a.error {
                v["error"] = json!(e);
            }
            v
        })
        .collect();
    Ok(Json(json!({ "attachments": attachments })))
}

pub async fn delete(
    State(sim): State<Arc<Sim>>,
    caller: Caller,
    Path(id): Path<String>,
    Query(q): Query<QueryMap>,
) -> ApiResult<StatusCode> {
    let session_id = required_query(&q, "session_id")?;
    let mut world = sim.world.lock().unwrap();
    let attachment = world.attachments.get(&id).ok_or_else(|| ApiError::not_found("Attachment not found"))?;
    if attachment.owner != caller.key() {
        return Err(ApiError::forbidden());
    }
    if attachment.session_id != session_id {
        return Err(ApiError::not_found("Attachment not found"));
    }
    world.attachments.remove(&id);
    if let Some(job) = world.jobs.get_mut(&id).filter(|j| !j.status.is_terminal()) {
        if let Some(task) = job.task.take() {
            task.abort();
        }
        job.fail(JobStatus::Cancelled, "Attachment removed");
    }
    Ok(StatusCode::NO_CONTENT)
}
