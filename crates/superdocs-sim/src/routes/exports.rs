//! Exports: rendered bytes in the response, the e-mailed link for documents over the export cap,
//! pre-signed download links, and the storage route those links point at.
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine;
use bytes::Bytes;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::{Duration, Instant};

use superdocs_docs::{ExportFormat, ExportOptions};

use crate::accounts::Caller;
use crate::documents::{content_disposition, export_filename, render, session_html};
use crate::errors::{ApiError, ApiResult};
use crate::extract::{from_value, validate_session_id, ApiJson};
use crate::ids;
use crate::jobs::{Job, JobStatus};
use crate::routes::uploads::uploaded_file;
use crate::state::{Download, DownloadBody, Email, Sim};
use crate::stats::KEY_SEPARATOR;

const EXPORT_FORMATS: &[&str] = &["docx", "pdf", "html", "markdown", "txt", "doc"];
const DOWNLOAD_FORMATS: &[&str] = &["doc", "docx", "pdf", "html"];
const EMAIL_LINK_TTL: Duration = Duration::from_secs(7 * 24 * 3600);

/// Takes `format` out of a request body: missing = docx; outside `allowed` = 422 `literal_error`.
fn take_format(body: &mut Value, allowed: &[&str]) -> ApiResult<ExportFormat> {
    let value = body.as_object_mut().and_then(|o| o.remove("format"));
    let Some(value) = value.filter(|v| !v.is_null()) else { return Ok(ExportFormat::Docx) };
    let name = value.as_str().unwrap_or("");
    if !allowed.contains(&name) {
        let quoted: Vec<String> = allowed.iter().map(|f| format!("'{f}'")).collect();
        let (last, rest) = quoted.split_last().unwrap();
        return Err(ApiError::field(
            "literal_error",
            &["body", "format"],
            format!("Input should be {} or {last}", rest.join(", ")),
        ));
    }
    Ok(serde_json::from_value(json!(name)).expect("allowed formats parse"))
}

fn object_body(body: Value) -> ApiResult<Value> {
    if body.is_object() {
        Ok(body)
    } else {
        Err(ApiError::field("model_attributes_type", &["body"], "Input should be a valid dictionary or object"))
    }
}

#[derive(Debug, Deserialize)]
struct ExportRequest {
    session_id: Option<String>,
    html: Option<String>,
    upload_id: Option<String>,
    #[serde(default)]
    options: Option<ExportOptions>,
    filename: Option<String>,
}

/// The html an export renders, and the name of the document it came from.
async fn export_source(sim: &Sim, caller: &Caller, req: &ExportRequest) -> ApiResult<(String, Option<String>)> {
    match (&req.session_id, &req.html, &req.upload_id) {
        (_, Some(html), _) => Ok((superdocs_docs::chunks::chunkify(html), None)),
        (_, None, Some(upload_id)) => {
            let (file, name) = uploaded_file(sim, caller, upload_id)?;
            let bytes = tokio::fs::read(&file.path)
                .await
                .map_err(|e| ApiError::detail(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
            Ok((superdocs_docs::chunks::chunkify(&String::from_utf8_lossy(&bytes)), Some(name)))
        }
        (Some(sid), None, None) => {
            validate_session_id(sid, &["body", "session_id"])?;
            session_html(sim, caller.key(), sid)
        }
        (None, None, None) => Err(ApiError::field(
            "value_error",
            &["body"],
            "Value error, one of session_id, html or upload_id is required",
        )),
    }
}

fn warnings_header(warnings: &[String]) -> Option<HeaderValue> {
    if warnings.is_empty() {
        return None;
    }
    let encoded = base64::engine::general_purpose::STANDARD.encode(serde_json::to_vec(warnings).unwrap());
    HeaderValue::from_str(&encoded).ok()
}

fn file_response(body: Body, content_type: &str, filename: &str, length: u64, warnings: &[String]) -> Response {
    let mut response = Response::new(body);
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_str(content_type).unwrap());
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
    if let Ok(v) = HeaderValue::from_str(&content_disposition(filename)) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    if let Some(v) = warnings_header(warnings) {
        h.insert("x-export-warnings", v);
    }
    response
}

/// The bench knob's body: `size` bytes of the document's text, repeated, made while streaming.
fn synthetic_body(seed: &str, size: u64) -> Body {
    let seed =
        if seed.trim().is_empty() { "SuperDocs benchmark export. ".to_string() } else { format!("{}\n", seed.trim()) };
    let mut block = Vec::with_capacity(256 * 1024);
    while block.len() < 256 * 1024 {
        block.extend_from_slice(seed.as_bytes());
    }
    let block = Bytes::from(block);
    let stream = futures_util::stream::unfold(size, move |left| {
        let block = block.clone();
        async move {
            if left == 0 {
                return None;
            }
            let n = left.min(block.len() as u64);
            Some((Ok::<_, std::convert::Infallible>(block.slice(..n as usize)), left - n))
        }
    });
    Body::from_stream(stream)
}

fn plain_text(html: &str) -> String {
    superdocs_docs::chunks::blocks(html).iter().map(|b| b.text.clone()).collect::<Vec<_>>().join("\n")
}

pub async fn export(State(sim): State<Arc<Sim>>, caller: Caller, ApiJson(body): ApiJson<Value>) -> ApiResult<Response> {
    let mut body = object_body(body)?;
    let format = take_format(&mut body, EXPORT_FORMATS)?;
    let req: ExportRequest = from_value(body)?;
    let (html, doc_name) = export_source(&sim, &caller, &req).await?;
    let filename = export_filename(req.filename.as_deref(), doc_name.as_deref(), format);
    let format_name = serde_json::to_value(format).unwrap().as_str().unwrap().to_string();
    let cap = sim.config.export_cap_bytes;
    if let (Some(size), ExportFormat::Txt | ExportFormat::Html) = (sim.config.bench_export_bytes, format) {
        if size > cap {
            return Err(ApiError::document_too_large(size, cap, &format_name));
        }
        let body = synthetic_body(&plain_text(&html), size);
        return Ok(file_response(body, format.content_type(), &filename, size, &[]));
    }
    let title = filename.rsplit_once('.').map_or(filename.as_str(), |(s, _)| s).to_string();
    let file = render(html, title, format, req.options.unwrap_or_default()).await?;
    let size = file.bytes.len() as u64;
    if size > cap {
        return Err(ApiError::document_too_large(size, cap, &format_name));
    }
    Ok(file_response(Body::from(file.bytes), file.content_type, &filename, size, &file.warnings))
}

#[derive(Debug, Deserialize)]
struct EmailRequest {
    session_id: String,
    #[serde(default)]
    options: Option<ExportOptions>,
    filename: Option<String>,
    recipient_email: Option<String>,
}

pub async fn email_request(
    State(sim): State<Arc<Sim>>,
    caller: Caller,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult<Json<Value>> {
    let mut body = object_body(body)?;
    let format = take_format(&mut body, EXPORT_FORMATS)?;
    let req: EmailRequest = from_value(body)?;
    validate_session_id(&req.session_id, &["body", "session_id"])?;
    if let Some(to) = &req.recipient_email {
        if !to.contains('@') || to.trim() != to {
            return Err(ApiError::field(
                "value_error",
                &["body", "recipient_email"],
                "value is not a valid email address",
            ));
        }
    }
    let (html, doc_name) = session_html(&sim, caller.key(), &req.session_id)?;
    let format_name = serde_json::to_value(format).unwrap().as_str().unwrap().to_string();
    sim.stats.submission("email_export", format!("{}{KEY_SEPARATOR}{format_name}", req.session_id));
    let filename = export_filename(req.filename.as_deref(), doc_name.as_deref(), format);
    let job_id = ids::new_id("exp_");
    let recipient = {
        let mut world = sim.world.lock().unwrap();
        let recipient = req.recipient_email.clone().unwrap_or_else(|| world.accounts[caller.key()].email.clone());
        let mut job = Job::new(job_id.clone(), caller.key(), &req.session_id, "email_export");
        job.metadata.insert("filename".into(), json!(filename));
        job.metadata.insert("format".into(), json!(format_name));
        job.metadata.insert("recipient_email".into(), json!(recipient));
        world.jobs.insert(job_id.clone(), job);
        recipient
    };
    let eta = chrono::Utc::now() + chrono::Duration::from_std(sim.config.job_step_delay * 3).unwrap_or_default();
    let email = EmailJob {
        job_id: job_id.clone(),
        html,
        filename,
        format,
        format_name,
        options: req.options.unwrap_or_default(),
        recipient: recipient.clone(),
    };
    let task = sim.spawn(run_email_job(sim.clone(), email));
    if let Some(job) = sim.world.lock().unwrap().jobs.get_mut(&job_id) {
        job.task = Some(task);
    }
    Ok(Json(json!({
        "job_id": job_id,
        "recipient_email": recipient,
        "status": "queued",
        "eta": ids::rfc3339(eta),
        "message": format!("We're rendering your document. A download link valid for 7 days will be e-mailed to {recipient}."),
    })))
}

struct EmailJob {
    job_id: String,
    html: String,
    filename: String,
    format: ExportFormat,
    format_name: String,
    options: ExportOptions,
    recipient: String,
}

async fn run_email_job(sim: Arc<Sim>, e: EmailJob) {
    tokio::time::sleep(sim.config.job_step_delay).await;
    let running = {
        let mut world = sim.world.lock().unwrap();
        match world.jobs.get_mut(&e.job_id).filter(|j| !j.status.is_terminal()) {
            Some(job) => {
                job.set_status(JobStatus::InProgress);
                job.set_progress(20);
                true
            }
            None => false,
        }
    };
    if !running {
        return;
    }
    let title = e.filename.rsplit_once('.').map_or(e.filename.as_str(), |(s, _)| s).to_string();
    // No export cap here: this path exists for documents over it.
    let rendered = render(e.html, title, e.format, e.options).await;
    tokio::time::sleep(sim.config.job_step_delay).await;
    let stored = match rendered {
        Ok(file) => sim
            .storage
            .write_bytes("email_", &file.bytes)
            .await
            .map(|s| (s, file.content_type))
            .map_err(|x| x.to_string()),
        Err(err) => Err(err.detail_text()),
    };
    let mut world = sim.world.lock().unwrap();
    let Some(job) = world.jobs.get_mut(&e.job_id).filter(|j| !j.status.is_terminal()) else { return };
    match stored {
        Err(reason) => job.fail(JobStatus::Failed, &reason),
        Ok((file, content_type)) => {
            let token = ids::hex(24);
            let link = format!("{}/storage/downloads/{token}", sim.base_url);
            let expires_at = ids::rfc3339(chrono::Utc::now() + chrono::Duration::from_std(EMAIL_LINK_TTL).unwrap());
            job.complete(json!({
                "download_url": link, "expires_at": expires_at, "recipient_email": e.recipient, "filename": e.filename,
                "size_bytes": file.size,
            }));
            world.downloads.insert(
                token,
                Download {
                    body: DownloadBody::File(file),
                    filename: e.filename.clone(),
                    content_type: content_type.to_string(),
                    expires: Instant::now() + EMAIL_LINK_TTL,
                },
            );
            world.outbox.push(Email {
                to: e.recipient,
                subject: format!("Your SuperDocs export is ready: {}", e.filename),
                link,
                format: e.format_name,
                filename: e.filename,
                expires_at,
                job_id: e.job_id,
            });
        }
    }
}

#[derive(Debug, Deserialize)]
struct DownloadRequest {
    session_id: String,
    filename: Option<String>,
}

pub async fn downloads(
    State(sim): State<Arc<Sim>>,
    caller: Caller,
    ApiJson(body): ApiJson<Value>,
) -> ApiResult<Json<Value>> {
    let mut body = object_body(body)?;
    let format = take_format(&mut body, DOWNLOAD_FORMATS)?;
    let req: DownloadRequest = from_value(body)?;
    validate_session_id(&req.session_id, &["body", "session_id"])?;
    let (html, doc_name) = session_html(&sim, caller.key(), &req.session_id)?;
    let filename = export_filename(req.filename.as_deref(), doc_name.as_deref(), format);
    let (body, content_type) = match (sim.config.bench_export_bytes, format) {
        (Some(size), ExportFormat::Html) => {
            (DownloadBody::Synthetic { seed: plain_text(&html), size }, format.content_type().to_string())
        }
        _ => {
            let title = filename.rsplit_once('.').map_or(filename.as_str(), |(s, _)| s).to_string();
            let file = render(html, title, format, ExportOptions::default()).await?;
            let stored = sim
                .storage
                .write_bytes("download_", &file.bytes)
                .await
                .map_err(|e| ApiError::detail(StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
            (DownloadBody::File(stored), file.content_type.to_string())
        }
    };
    let ttl = sim.config.presigned_download_ttl;
    let token = ids::hex(24);
    sim.world.lock().unwrap().downloads.insert(
        token.clone(),
        Download { body, filename: filename.clone(), content_type, expires: Instant::now() + ttl },
    );
    let expires_at = chrono::Utc::now() + chrono::Duration::from_std(ttl).unwrap_or_default();
    let format_name = serde_json::to_value(format).unwrap();
    Ok(Json(json!({
        "download_url": format!("{}/storage/downloads/{token}", sim.base_url),
        "expires_at": ids::rfc3339(expires_at),
        "expires_in_seconds": ttl.as_secs(),
        "filename": filename,
        "format": format_name,
    })))
}

/// A download link: the file streamed from storage, no auth; 404 once expired.
pub async fn serve_download(State(sim): State<Arc<Sim>>, Path(token): Path<String>) -> Response {
    let download = {
        let mut world = sim.world.lock().unwrap();
        world.downloads.retain(|_, d| d.expires > Instant::now());
        world.downloads.get(&token).cloned()
    };
    let Some(download) = download else {
        return ApiError::not_found("Download link not found or expired").into_response();
    };
    match download.body {
        DownloadBody::Synthetic { seed, size } => {
            file_response(synthetic_body(&seed, size), &download.content_type, &download.filename, size, &[])
        }
        DownloadBody::File(file) => match tokio::fs::File::open(&file.path).await {
            Ok(f) => {
                let body = Body::from_stream(tokio_util::io::ReaderStream::with_capacity(f, 256 * 1024));
                file_response(body, &download.content_type, &download.filename, file.size, &[])
            }
            Err(_) => ApiError::not_found("Download link not found or expired").into_response(),
        },
    }
}
