//! Uploads: a path in, the file streamed from disk. The route is decided before a byte is sent:
//! unsupported types, empty files and files over the pre-signed cap are refused; files that would
//! not fit the transport cap as multipart (overhead counted) go pre-signed (`/v1/uploads` → PUT →
//! `/process`); the rest go multipart. Each attempt reopens the file. Several uploads share a bound.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use reqwest::multipart::{Form, Part};
use reqwest::{Body, Method};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::api::{created_since, new_idempotency_key, seg, validate_session_id, Auth, Client};
use crate::error::{Error, ErrorKind, Limits, Operation, OperationKind, Result, SuggestedAction};
use crate::http::Http;
use crate::progress::{ProgressMeter, ProgressSink};
use crate::retry::{CallOptions, Idempotency};
use crate::types::*;

/// The size limits uploads obey. Defaults are the contract (docs/superdocs-api.md §2); tests lower them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadLimits {
    /// Largest request body the service accepts (32 MiB).
    pub transport_cap_bytes: u64,
    /// Largest file of a direct (multipart) upload (50 MiB).
    pub direct_upload_cap_bytes: u64,
    /// Largest file of a pre-signed upload, and so of any upload (104,857,600 bytes).
    pub presigned_cap_bytes: u64,
    /// Bytes a multipart body adds around the file (boundaries, part headers, the text fields);
    /// generous on purpose: too high only sends a file near the cap the pre-signed way.
    pub multipart_overhead_bytes: u64,
}

impl Default for UploadLimits {
    fn default() -> Self {
        UploadLimits {
            transport_cap_bytes: 33_554_432,
            direct_upload_cap_bytes: 52_428_800,
            presigned_cap_bytes: 104_857_600,
            multipart_overhead_bytes: 16 * 1024,
        }
    }
}

/// Where an uploaded file goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum UploadKind {
    /// The session's editable document.
    Document { open_mode: OpenMode },
    /// A read-only reference file.
    Attachment,
}

impl crate::store::UploadTarget {
    /// How an upload to this target is sent: a document replaces the session's document.
    pub fn kind(self) -> UploadKind {
        match self {
            crate::store::UploadTarget::Document => UploadKind::Document { open_mode: OpenMode::Replace },
            crate::store::UploadTarget::Attachment => UploadKind::Attachment,
        }
    }
}

impl UploadKind {
    /// Where the upload queue records it going.
    pub fn target(self) -> crate::store::UploadTarget {
        match self {
            UploadKind::Document { .. } => crate::store::UploadTarget::Document,
            UploadKind::Attachment => crate::store::UploadTarget::Attachment,
        }
    }
}

/// How the bytes travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum UploadRoute {
    Multipart,
    Presigned,
}

/// What was decided about a file before sending anything.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadPlan {
    pub path: PathBuf,
    pub filename: String,
    pub content_type: &'static str,
    pub size: u64,
    pub route: UploadRoute,
}

/// The result of an upload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Uploaded {
    Document {
        route: UploadRoute,
        session_id: String,
        filename: String,
        document_id: Option<String>,
        html: Option<String>,
        version_id: Option<String>,
        #[ts(type = "number | null")]
        chunks_count: Option<u64>,
    },
    /// Indexed in the background: follow `job_id` (`att_…`).
    Attachment {
        route: UploadRoute,
        session_id: String,
        filename: String,
        job_id: Option<String>,
        status: Option<String>,
    },
}

const DOCUMENT_TYPES: &[(&str, &str)] = &[
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("pdf", "application/pdf"),
    ("txt", "text/plain"),
    ("rtf", "application/rtf"),
    ("md", "text/markdown"),
    ("html", "text/html"),
    ("htm", "text/html"),
];
const IMAGE_TYPES: &[(&str, &str)] = &[
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("gif", "image/gif"),
    ("webp", "image/webp"),
];

impl UploadKind {
    /// The file extensions this kind of upload accepts (lower case, no dot), e.g. for a file picker's filter.
    /// `plan_upload` applies the same lists.
    pub fn extensions(self) -> Vec<&'static str> {
        let images: &[(&str, &str)] = if matches!(self, UploadKind::Attachment) { IMAGE_TYPES } else { &[] };
        DOCUMENT_TYPES.iter().chain(images).map(|(ext, _)| *ext).collect()
    }
}

fn mb(bytes: u64) -> f64 {
    (bytes as f64 / 1_048_576.0 * 10.0).round() / 10.0
}

/// Decides the route of a file, or refuses it (nothing is sent in either case).
pub fn plan_upload(path: &Path, kind: UploadKind, limits: &UploadLimits) -> Result<UploadPlan> {
    let filename = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
    let op = Operation::new(OperationKind::Upload, format!("Uploading {filename}")).file(&filename);
    if path.is_dir() {
        return Err(Error::local(
            ErrorKind::Validation,
            format!("{filename} is a folder; drop or choose the files inside it instead."),
        )
        .with_operation(&op));
    }
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    let images = matches!(kind, UploadKind::Attachment);
    let content_type =
        DOCUMENT_TYPES.iter().chain(if images { IMAGE_TYPES } else { &[] }).find(|(e, _)| *e == ext).map(|(_, ct)| *ct);
    let Some(content_type) = content_type else {
        let what = if images {
            "a document (.docx, .pdf, .txt, .rtf, .md, .html) or an image (.png, .jpg, .gif, .webp)"
        } else {
            "a .docx, .pdf, .txt, .rtf, .md or .html file"
        };
        let msg = if ext == "doc" {
            format!(
                "{filename} is a legacy .doc file, which SuperDocs does not read. Save it as .docx and upload that."
            )
        } else {
            format!("{filename} is not a supported file type. Upload {what}; convert other documents to .docx first.")
        };
        return Err(Error::local(ErrorKind::UnsupportedFile, msg)
            .with_action(SuggestedAction::ConvertToDocx)
            .with_operation(&op));
    };
    let meta = std::fs::metadata(path).map_err(|e| {
        Error::local(
            ErrorKind::Validation,
            format!("Could not read {}: {e}. Check the file and try again.", path.display()),
        )
        .with_operation(&op)
    })?;
    if !meta.is_file() {
        return Err(Error::local(
            ErrorKind::Validation,
            format!("{} is not a file. Choose a file to upload.", path.display()),
        )
        .with_operation(&op));
    }
    let size = meta.len();
    if size == 0 {
        return Err(Error::local(ErrorKind::Validation, format!("{filename} is empty. Choose a file with content."))
            .with_operation(&op));
    }
    if size > limits.presigned_cap_bytes {
        return Err(Error::local(
            ErrorKind::TooLarge,
            format!(
                "{filename} is {} MB; the largest file SuperDocs accepts is {} MB. Choose a smaller file or split it.",
                mb(size),
                mb(limits.presigned_cap_bytes)
            ),
        )
        .with_action(SuggestedAction::ChooseSmallerFile)
        .with_limits(Limits {
            max_size_mb: Some(mb(limits.presigned_cap_bytes)),
            request_size_mb: Some(mb(size)),
            ..Limits::default()
        })
        .with_operation(&op));
    }
    let multipart_fits = size + limits.multipart_overhead_bytes + filename.len() as u64 <= limits.transport_cap_bytes
        && size <= limits.direct_upload_cap_bytes;
    let route = if multipart_fits { UploadRoute::Multipart } else { UploadRoute::Presigned };
    Ok(UploadPlan { path: path.to_path_buf(), filename, content_type, size, route })
}

/// Files up to this size are read into memory for each attempt instead of streamed.
const SMALL_FILE_BYTES: u64 = 256 * 1024;

/// A body that streams the file from disk, counting progress; the file is opened afresh.
async fn file_body(plan: &UploadPlan, meter: &Arc<Mutex<ProgressMeter>>) -> Result<Body> {
    let file = tokio::fs::File::open(&plan.path).await.map_err(|e| {
        Error::local(
            ErrorKind::Validation,
            format!("Could not open {}: {e}. Check the file and try again.", plan.path.display()),
        )
    })?;
    let now = file.metadata().await.map(|m| m.len()).unwrap_or(0);
    if now != plan.size {
        return Err(Error::local(
            ErrorKind::Validation,
            format!(
                "{} changed while it was being uploaded ({} → {} bytes). Upload it again.",
                plan.filename, plan.size, now
            ),
        ));
    }
    meter.lock().expect("progress lock").restart();
    if plan.size <= SMALL_FILE_BYTES {
        // A small file goes as one buffer: one write instead of a stream of chunks, so a server
        // that answers early (an error before reading the body) is still heard, not seen as a reset.
        let mut data = Vec::with_capacity(plan.size as usize);
        tokio::io::AsyncReadExt::read_to_end(&mut tokio::io::AsyncReadExt::take(file, plan.size + 1), &mut data)
            .await
            .map_err(|e| {
                Error::local(ErrorKind::Validation, format!("Could not read {}: {e}.", plan.path.display()))
            })?;
        if data.len() as u64 != plan.size {
            return Err(Error::local(
                ErrorKind::Validation,
                format!("{} changed while it was being uploaded. Upload it again.", plan.filename),
            ));
        }
        meter.lock().expect("progress lock").add(plan.size);
        return Ok(Body::from(data));
    }
    let meter = meter.clone();
    let stream =
        tokio_util::io::ReaderStream::with_capacity(tokio::io::BufReader::with_capacity(256 * 1024, file), 256 * 1024)
            .map(move |chunk| {
                if let Ok(c) = &chunk {
                    meter.lock().expect("progress lock").add(c.len() as u64);
                }
                chunk
            });
    Ok(Body::wrap_stream(stream))
}

impl Client {
    /// Uploads one file to a session. Waits for a slot of the upload queue first.
    pub async fn upload_file(
        &self,
        path: &Path,
        session_id: &str,
        kind: UploadKind,
        progress: Option<ProgressSink>,
        opts: &CallOptions,
    ) -> Result<Uploaded> {
        let plan = plan_upload(path, kind, &self.inner.upload_limits)?;
        validate_session_id(session_id)?;
        let _slot = tokio::select! {
            slot = self.inner.upload_slots.acquire() => slot.map_err(|_| Error::internal("The upload queue is closed."))?,
            _ = opts.cancel.cancelled() => return Err(Error::cancelled()),
        };
        let meter = Arc::new(Mutex::new(ProgressMeter::new(progress, Some(plan.size))));
        let out = match plan.route {
            UploadRoute::Multipart => self.upload_multipart(&plan, session_id, kind, &meter, opts).await,
            UploadRoute::Presigned => self.upload_presigned(&plan, session_id, kind, &meter, opts).await,
        }?;
        meter.lock().expect("progress lock").finish();
        Ok(out)
    }

    /// Uploads several files, at most `max_concurrent_uploads` at a time; one result per file, in order.
    pub async fn upload_files(
        &self,
        paths: &[PathBuf],
        session_id: &str,
        kind: UploadKind,
        progress: impl Fn(usize) -> Option<ProgressSink>,
        opts: &CallOptions,
    ) -> Vec<Result<Uploaded>> {
        let jobs = paths.iter().enumerate().map(|(i, p)| self.upload_file(p, session_id, kind, progress(i), opts));
        futures_util::future::join_all(jobs).await
    }

    async fn upload_multipart(
        &self,
        plan: &UploadPlan,
        session_id: &str,
        kind: UploadKind,
        meter: &Arc<Mutex<ProgressMeter>>,
        opts: &CallOptions,
    ) -> Result<Uploaded> {
        let op = Operation::new(OperationKind::Upload, format!("Uploading {}", plan.filename))
            .session(session_id)
            .file(&plan.filename);
        let path = match kind {
            UploadKind::Document { .. } => "v1/documents/upload",
            UploadKind::Attachment => "v1/attachments/upload",
        };
        let url = self.inner.http.url(path);
        let idem_key = new_idempotency_key();
        let before = self.before_upload(plan, session_id, kind, opts).await?;
        let began = Utc::now();
        let before = &before;
        self.inner
            .retrier
            .run_reconciled(
                &op,
                opts,
                |_| {
                    let url = url.clone();
                    let idem_key = idem_key.clone();
                    async move {
                        let part = Part::stream_with_length(file_body(plan, meter).await?, plan.size)
                            .file_name(plan.filename.clone())
                            .mime_str(plan.content_type)
                            .map_err(|e| Error::internal(format!("Bad content type: {e}")))?;
                        let mut form = Form::new().text("session_id", session_id.to_string()).part("file", part);
                        if let UploadKind::Document { open_mode } = kind {
                            form = form.text("open_mode", wire_str(&open_mode));
                        }
                        let rb = self.inner.http.client().post(url).multipart(form).header("Idempotency-Key", idem_key);
                        let sent = self.send_once(rb, Auth::Key).await?;
                        Ok(match kind {
                            UploadKind::Document { .. } => {
                                let r: DocumentUploadResponse = Http::read_json(sent).await?;
                                Uploaded::Document {
                                    route: UploadRoute::Multipart,
                                    session_id: non_empty(r.session_id, session_id),
                                    filename: non_empty(r.filename, &plan.filename),
                                    document_id: r.document_id,
                                    html: r.html,
                                    version_id: r.version_id,
                                    chunks_count: r.chunks_count,
                                }
                            }
                            UploadKind::Attachment => {
                                let r: AttachmentUploadResponse = Http::read_json(sent).await?;
                                Uploaded::Attachment {
                                    route: UploadRoute::Multipart,
                                    session_id: session_id.to_string(),
                                    filename: non_empty(r.filename, &plan.filename),
                                    job_id: Some(r.job_id).filter(|j| !j.is_empty()),
                                    status: Some(r.status),
                                }
                            }
                        })
                    }
                },
                || self.find_uploaded(plan, session_id, UploadRoute::Multipart, began, before),
            )
            .await
    }

    async fn upload_presigned(
        &self,
        plan: &UploadPlan,
        session_id: &str,
        kind: UploadKind,
        meter: &Arc<Mutex<ProgressMeter>>,
        opts: &CallOptions,
    ) -> Result<Uploaded> {
        let (purpose, parse_mode) = match kind {
            UploadKind::Document { .. } => (UploadPurpose::Document, ParseMode::Document),
            UploadKind::Attachment => (UploadPurpose::Attachment, ParseMode::Attachment),
        };
        let slot = CreateUploadRequest {
            filename: plan.filename.clone(),
            content_type: plan.content_type.into(),
            size_bytes: plan.size,
            purpose,
        };
        let mut ticket = self.create_upload(&slot, opts).await?;
        if let Err(e) = self.put_presigned(&ticket, plan, meter, opts).await {
            // The upload URL lives ~5 minutes; a slow or queued upload may find it expired (404).
            // A fresh slot costs nothing, so ask once more.
            if e.kind != ErrorKind::NotFound {
                return Err(e);
            }
            tracing::info!(file = %plan.filename, "upload URL expired; asking for a new one");
            ticket = self.create_upload(&slot, opts).await?;
            self.put_presigned(&ticket, plan, meter, opts).await?;
        }

        let op = Operation::new(OperationKind::Upload, format!("Processing {}", plan.filename))
            .session(session_id)
            .file(&plan.filename);
        let url = self.inner.http.url(&format!("v1/uploads/{}/process", seg(&ticket.upload_id)?));
        let req =
            ProcessUploadRequest { session_id: session_id.to_string(), filename: plan.filename.clone(), parse_mode };
        let idem_key = new_idempotency_key();
        let before = self.before_upload(plan, session_id, kind, opts).await?;
        let began = Utc::now();
        let before = &before;
        self.inner
            .retrier
            .run_reconciled(
                &op,
                opts,
                |_| {
                    let rb = self.request(Method::POST, url.clone(), Some(&req), Some(&idem_key));
                    async move {
                        let r: ProcessUploadResponse = Http::read_json(self.send_once(rb, Auth::Key).await?).await?;
                        Ok(match kind {
                            UploadKind::Document { .. } => Uploaded::Document {
                                route: UploadRoute::Presigned,
                                session_id: non_empty(r.session_id, session_id),
                                filename: non_empty(r.filename, &plan.filename),
                                document_id: None,
                                html: r.html,
                                version_id: r.version_id,
                                chunks_count: r.chunks_count,
                            },
                            UploadKind::Attachment => Uploaded::Attachment {
                                route: UploadRoute::Presigned,
                                session_id: non_empty(r.session_id, session_id),
                                filename: non_empty(r.filename, &plan.filename),
                                job_id: r.job_id,
                                status: r.status,
                            },
                        })
                    }
                },
                || self.find_uploaded(plan, session_id, UploadRoute::Presigned, began, before),
            )
            .await
    }

    /// Sends a file to a pre-signed upload slot (`POST /v1/uploads` answered `ticket`): the PUT
    /// alone, no processing. Returns the bytes sent.
    pub async fn upload_to_ticket(
        &self,
        ticket: &UploadTicket,
        path: &Path,
        content_type: &'static str,
        progress: Option<ProgressSink>,
        opts: &CallOptions,
    ) -> Result<u64> {
        let size = std::fs::metadata(path)
            .map_err(|e| {
                Error::local(
                    ErrorKind::Validation,
                    format!("Could not read {}: {e}. Check the file and try again.", path.display()),
                )
            })?
            .len();
        let filename = path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        let plan = UploadPlan { path: path.to_path_buf(), filename, content_type, size, route: UploadRoute::Presigned };
        let meter = Arc::new(Mutex::new(ProgressMeter::new(progress, Some(size))));
        self.put_presigned(ticket, &plan, &meter, opts).await?;
        meter.lock().expect("progress lock").finish();
        Ok(size)
    }

    /// PUT of the raw bytes to a pre-signed URL: no API key, the same Content-Type, the exact
    /// length; idempotent, so it is simply resent.
    pub(crate) async fn put_presigned(
        &self,
        ticket: &UploadTicket,
        plan: &UploadPlan,
        meter: &Arc<Mutex<ProgressMeter>>,
        opts: &CallOptions,
    ) -> Result<()> {
        let url = self.presigned_url(&ticket.upload_url)?;
        let op = Operation::new(OperationKind::Upload, format!("Uploading {}", plan.filename)).file(&plan.filename);
        self.inner
            .retrier
            .run(&op, Idempotency::Idempotent, opts, |_| {
                let url = url.clone();
                async move {
                    let body = file_body(plan, meter).await?;
                    let rb = self
                        .inner
                        .http
                        .client()
                        .put(url)
                        .header(reqwest::header::CONTENT_TYPE, plan.content_type)
                        .header(reqwest::header::CONTENT_LENGTH, plan.size)
                        .body(body);
                    self.send_once(rb, Auth::None).await.map(|_| ())
                }
            })
            .await
    }

    /// A URL the service handed out (pre-signed upload/download, e-mailed link), resolved against
    /// the base URL when relative.
    pub(crate) fn presigned_url(&self, raw: &str) -> Result<url::Url> {
        crate::http::presigned_url(self.inner.http.base(), raw)
    }

    /// What the session holds before an upload is sent: the basis for telling afterwards whether a lost
    /// attempt loaded the file (not a timestamp alone: a clock or a concurrent edit could fool that).
    async fn before_upload(
        &self,
        plan: &UploadPlan,
        session_id: &str,
        kind: UploadKind,
        opts: &CallOptions,
    ) -> Result<Before> {
        let missing = |e: &Error| e.kind == ErrorKind::NotFound;
        match kind {
            UploadKind::Document { .. } => match self.history(session_id, opts).await {
                Ok(h) => Ok(Before::Document { version_id: h.document_state.and_then(|d| d.version_id) }),
                Err(e) if missing(&e) => Ok(Before::Document { version_id: None }),
                Err(e) => Err(e.with_operation(
                    &Operation::new(OperationKind::Upload, format!("Uploading {}", plan.filename))
                        .session(session_id)
                        .file(&plan.filename),
                )),
            },
            UploadKind::Attachment => match self.attachment_status(session_id, opts).await {
                Ok(list) => Ok(Before::Attachment { known: list.into_iter().map(|a| a.attachment_id).collect() }),
                Err(e) if missing(&e) => Ok(Before::Attachment { known: HashSet::new() }),
                Err(e) => Err(e.with_operation(
                    &Operation::new(OperationKind::Upload, format!("Uploading {}", plan.filename))
                        .session(session_id)
                        .file(&plan.filename),
                )),
            },
        }
    }

    /// After an ambiguous failure: did the lost attempt load the file? Documents: the session's document
    /// is a new version (not the one before the upload) written since the upload began. Attachments: an
    /// attachment of that name that was not there before.
    async fn find_uploaded(
        &self,
        plan: &UploadPlan,
        session_id: &str,
        route: UploadRoute,
        began: DateTime<Utc>,
        before: &Before,
    ) -> Result<Option<Uploaded>> {
        match before {
            Before::Document { version_id: old } => {
                let url = self.inner.http.url(&format!("v1/sessions/{}/history", seg(session_id)?));
                let h: History = match self.send_once(self.inner.http.client().get(url), Auth::Key).await {
                    Ok(sent) => Http::read_json(sent).await?,
                    // No such session yet: the lost attempt loaded nothing.
                    Err(e) if e.kind == ErrorKind::NotFound => return Ok(None),
                    Err(e) => return Err(e),
                };
                let loaded = h.document_state.filter(|d| {
                    d.version_id.is_some() && d.version_id != *old && created_since(d.last_modified.as_deref(), began)
                });
                Ok(loaded.map(|d| {
                    tracing::info!(file = %plan.filename, "the lost upload had loaded the document; not resending");
                    Uploaded::Document {
                        route,
                        session_id: session_id.to_string(),
                        filename: plan.filename.clone(),
                        document_id: None,
                        html: Some(d.html_content),
                        version_id: d.version_id,
                        chunks_count: d.chunk_count,
                    }
                }))
            }
            Before::Attachment { known } => {
                let url = self.inner.http.url(&format!("v1/attachments/status/{}", seg(session_id)?));
                let list: AttachmentStatusList =
                    match self.send_once(self.inner.http.client().get(url), Auth::Key).await {
                        Ok(sent) => Http::read_json(sent).await?,
                        Err(e) if e.kind == ErrorKind::NotFound => return Ok(None),
                        Err(e) => return Err(e),
                    };
                let new = list.attachments.into_iter().find(|a| {
                    a.filename == plan.filename
                        && a.status != AttachmentState::Failed
                        && !known.contains(&a.attachment_id)
                });
                Ok(new.map(|a| {
                    tracing::info!(file = %plan.filename, "the lost upload had added the attachment; not resending");
                    Uploaded::Attachment {
                        route,
                        session_id: session_id.to_string(),
                        filename: a.filename,
                        job_id: Some(a.attachment_id),
                        status: serde_json::to_value(a.status).ok().and_then(|v| v.as_str().map(String::from)),
                    }
                }))
            }
        }
    }
}

/// What a session held before an upload (see [`Client::before_upload`]).
#[derive(Debug)]
enum Before {
    Document { version_id: Option<String> },
    Attachment { known: HashSet<String> },
}

fn non_empty(s: String, fallback: &str) -> String {
    if s.is_empty() {
        fallback.to_string()
    } else {
        s
    }
}

/// The wire string of a snake_case enum value.
fn wire_str<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
}

#[cfg(test)]
mod tests {

    #[test]
    fn pickers_offer_what_plan_upload_accepts() {
        let docs = UploadKind::Document { open_mode: OpenMode::Replace }.extensions();
        let atts = UploadKind::Attachment.extensions();
        assert!(docs.contains(&"docx") && docs.contains(&"htm") && !docs.contains(&"png") && !docs.contains(&"doc"));
        assert!(atts.contains(&"docx") && atts.contains(&"webp"));
    }

    use super::*;
    use std::io::Write;

    const DOC: UploadKind = UploadKind::Document { open_mode: OpenMode::Replace };

    fn file(dir: &Path, name: &str, size: usize) -> PathBuf {
        let p = dir.join(name);
        std::fs::File::create(&p).unwrap().write_all(&vec![b'a'; size]).unwrap();
        p
    }

    #[test]
    fn routes_by_size_at_each_boundary() {
        let d = tempfile::tempdir().unwrap();
        let limits = UploadLimits {
            transport_cap_bytes: 1000,
            direct_upload_cap_bytes: 2000,
            presigned_cap_bytes: 3000,
            multipart_overhead_bytes: 100,
        };
        // 1000 - 100 - len("a.txt") = 895 is the largest multipart file.
        assert_eq!(plan_upload(&file(d.path(), "a.txt", 895), DOC, &limits).unwrap().route, UploadRoute::Multipart);
        assert_eq!(plan_upload(&file(d.path(), "a.txt", 896), DOC, &limits).unwrap().route, UploadRoute::Presigned);
        assert_eq!(plan_upload(&file(d.path(), "a.txt", 3000), DOC, &limits).unwrap().route, UploadRoute::Presigned);
        let e = plan_upload(&file(d.path(), "a.txt", 3001), DOC, &limits).unwrap_err();
        assert_eq!((e.kind, e.suggested_action), (ErrorKind::TooLarge, Some(SuggestedAction::ChooseSmallerFile)));
        let e = plan_upload(&file(d.path(), "empty.pdf", 0), DOC, &limits).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Validation);
        assert!(e.message.contains("empty"));
    }

    #[test]
    fn refuses_doc_and_unknown_types_and_knows_images_are_attachments_only() {
        let d = tempfile::tempdir().unwrap();
        let l = UploadLimits::default();
        let e = plan_upload(&file(d.path(), "old.DOC", 10), DOC, &l).unwrap_err();
        assert_eq!((e.kind, e.suggested_action), (ErrorKind::UnsupportedFile, Some(SuggestedAction::ConvertToDocx)));
        assert!(e.message.contains(".docx"));
        assert_eq!(
            plan_upload(&file(d.path(), "x.exe", 10), UploadKind::Attachment, &l).unwrap_err().kind,
            ErrorKind::UnsupportedFile
        );
        assert_eq!(plan_upload(&file(d.path(), "noext", 10), DOC, &l).unwrap_err().kind, ErrorKind::UnsupportedFile);
        let png = file(d.path(), "p.png", 10);
        assert_eq!(plan_upload(&png, DOC, &l).unwrap_err().kind, ErrorKind::UnsupportedFile);
        assert_eq!(plan_upload(&png, UploadKind::Attachment, &l).unwrap().content_type, "image/png");
        assert_eq!(plan_upload(&file(d.path(), "r.HTM", 10), DOC, &l).unwrap().content_type, "text/html");
        let e = plan_upload(&d.path().join("missing.pdf"), DOC, &l).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Validation);
    }
}
