//! Document uploads: the direct multipart upload, and the pre-signed flow for large files
//! (`/v1/uploads` → PUT to a storage URL the sim serves without auth → `/v1/uploads/{id}/process`).
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Instant;

use crate::accounts::Caller;
use crate::documents::{load_document, OpenMode};
use crate::errors::{ApiError, ApiResult, FieldError};
use crate::extract::{meter_of, ApiJson, QueryMap};
use crate::files::{read_upload, FilePurpose};
use crate::ids;
use crate::routes::attachments::start_attachment_job;
use crate::state::{PresignedUpload, Sim};
use crate::storage::{StoredFile, WriteError};

pub async fn document(State(sim): State<Arc<Sim>>, caller: Caller, req: Request) -> ApiResult<Json<Value>> {
    let form = read_upload(&sim, req, FilePurpose::Document).await?;
    let session_id = form.field("session_id")?.to_string();
    let mode = OpenMode::parse(form.fields.get("open_mode").map(String::as_str))?;
    let result = load_document(&sim, caller.key(), &session_id, &form.filename, &form.file.path, mode).await;
    let _ = tokio::fs::remove_file(&form.file.path).await;
    result.map(Json)
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum Purpose {
    Document,
    Attachment,
    ExportHtml,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)] // content_type is part of the contract; storage keeps bytes as sent
pub struct CreateUpload {
    filename: String,
    content_type: String,
    size_bytes: i64,
    purpose: Purpose,
}

pub async fn create(
    State(sim): State<Arc<Sim>>,
    caller: Caller,
    ApiJson(body): ApiJson<CreateUpload>,
) -> ApiResult<Json<Value>> {
    let cap = sim.config.presigned_cap_bytes;
    if body.size_bytes < 1 {
        return Err(ApiError::validation(vec![FieldError::new(
            "greater_than_equal",
            &["body", "size_bytes"],
            "Input should be greater than or equal to 1",
        )]));
    }
    if body.size_bytes as u64 > cap {
        return Err(ApiError::validation(vec![FieldError::new(
            "less_than_equal",
            &["body", "size_bytes"],
            format!("Input should be less than or equal to {cap}"),
        )]));
    }
    match body.purpose {
        Purpose::Document => FilePurpose::Document.check(&body.filename)?,
        Purpose::Attachment => FilePurpose::Attachment.check(&body.filename)?,
        Purpose::ExportHtml => {}
    }
    let ttl = sim.config.presigned_upload_ttl;
    let id = ids::new_id("upl_");
    let signature = ids::hex(16);
    let upload = PresignedUpload {
        owner: caller.key().to_string(),
        filename: body.filename,
        signature: signature.clone(),
        expires: Instant::now() + ttl,
        file: None,
    };
    sim.world.lock().unwrap().uploads.insert(id.clone(), upload);
    let expires_at = chrono::Utc::now() + chrono::Duration::from_std(ttl).unwrap_or_default();
    Ok(Json(json!({
        "upload_id": id,
        "upload_url": format!("{}/storage/uploads/{id}?signature={signature}", sim.base_url),
        "expires_at": ids::rfc3339(expires_at),
        "expires_in_seconds": ttl.as_secs(),
        "max_size_bytes": cap,
    })))
}

/// The storage side of a pre-signed upload: no SuperDocs auth, the body streamed to a file.
pub async fn put(
    State(sim): State<Arc<Sim>>,
    Path(id): Path<String>,
    Query(q): Query<QueryMap>,
    req: Request,
) -> Response {
    let (signature, expired) = {
        let world = sim.world.lock().unwrap();
        match world.uploads.get(&id) {
            None => return ApiError::not_found("Upload not found").into_response(),
            Some(u) => (u.signature.clone(), Instant::now() >= u.expires),
        }
    };
    if expired {
        return ApiError::not_found("Upload URL expired").into_response();
    }
    if q.get("signature") != Some(&signature) {
        return ApiError::detail(StatusCode::FORBIDDEN, "Signature does not match").into_response();
    }
    let cap = sim.config.presigned_cap_bytes;
    let declared =
        req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|len| len > cap) {
        crate::extract::drain(req.into_body()).await;
        return ApiError::file_too_large(cap).into_response();
    }
    let meter = meter_of(&req);
    let stream = req.into_body().into_data_stream();
    let stored = match sim.storage.write_stream("presigned_", stream, cap).await {
        Ok(f) => f,
        Err(WriteError::TooLarge) => return ApiError::file_too_large(cap).into_response(),
        Err(WriteError::Body(reason)) => return meter.body_error(reason).into_response(),
        Err(WriteError::Io(e)) => {
            return ApiError::detail(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response()
        }
    };
    let etag = format!("\"{}\"", ids::hex(16));
    let previous = {
        let mut world = sim.world.lock().unwrap();
        match world.uploads.get_mut(&id) {
            Some(u) => u.file.replace(stored),
            None => Some(stored),
        }
    };
    if let Some(old) = previous {
        let _ = tokio::fs::remove_file(&old.path).await;
    }
    let mut response = StatusCode::OK.into_response();
    response.headers_mut().insert(header::ETAG, HeaderValue::from_str(&etag).unwrap());
    response
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case")]
enum ParseMode {
    Document,
    Attachment,
}

#[derive(Debug, Deserialize)]
pub struct ProcessUpload {
    session_id: String,
    filename: Option<String>,
    parse_mode: ParseMode,
}

/// The bytes a pre-signed upload received (and the name it was announced with), for its owner only.
pub fn uploaded_file(sim: &Sim, caller: &Caller, upload_id: &str) -> ApiResult<(StoredFile, String)> {
    let world = sim.world.lock().unwrap();
    let upload = world.uploads.get(upload_id).ok_or_else(|| ApiError::not_found("Upload not found"))?;
    if upload.owner != caller.key() {
        return Err(ApiError::forbidden());
    }
    let file = upload
        .file
        .clone()
        .ok_or_else(|| ApiError::bad_request("The file has not been uploaded yet: PUT it to upload_url first."))?;
    Ok((file, upload.filename.clone()))
}

pub async fn process(
    State(sim): State<Arc<Sim>>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ProcessUpload>,
) -> ApiResult<Json<Value>> {
    let (file, stored_name) = uploaded_file(&sim, &caller, &id)?;
    let filename = body.filename.clone().filter(|f| !f.is_empty()).unwrap_or(stored_name);
    match body.parse_mode {
        ParseMode::Document => {
            FilePurpose::Document.check(&filename)?;
            let mut result =
                load_document(&sim, caller.key(), &body.session_id, &filename, &file.path, OpenMode::Replace).await?;
            result["status"] = json!("completed");
            result["parse_mode"] = json!("document");
            Ok(Json(result))
        }
        ParseMode::Attachment => {
            FilePurpose::Attachment.check(&filename)?;
            // The attachment job reads (and then removes) its own copy; the upload keeps its file.
            let copy = sim.storage.new_path("attachment_");
            tokio::fs::copy(&file.path, &copy)
                .await
                .map_err(|e| ApiError::detail(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
            let stored = StoredFile { path: copy, size: file.size };
            let job_id = start_attachment_job(&sim, caller.key(), &body.session_id, &filename, stored)?;
            Ok(Json(json!({
                "session_id": body.session_id,
                "filename": filename,
                "status": "processing",
                "parse_mode": "attachment",
                "job_id": job_id,
            })))
        }
    }
}
