//! Exports and downloads. By session (default) or inline HTML up to ~20 MB; larger HTML, or a 413
//! `request_too_large`, goes upload-then-export; a 413 `document_too_large` switches by itself to
//! the e-mailed link and returns [`ExportOutcome::Emailed`]. Downloads stream to a temporary file
//! in the target folder and are renamed into place only when complete, under a safe base name,
//! never over an existing file.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use base64::Engine;
use futures_util::StreamExt;
use reqwest::header::{HeaderMap, CONTENT_DISPOSITION};
use reqwest::Method;
use serde::{Deserialize, Serialize};
use std::io::Write;
use ts_rs::TS;

use crate::api::{new_idempotency_key, Auth, Client};
use crate::error::{Error, ErrorKind, Operation, OperationKind, Result};
use crate::progress::{ProgressMeter, ProgressSink};
use crate::retry::{CallOptions, Idempotency};
use crate::types::*;
use crate::upload::{UploadPlan, UploadRoute};

/// Export limits; defaults are the contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportLimits {
    /// Inline `html` above this goes through a pre-signed upload first (~20 MB).
    pub inline_html_max_bytes: u64,
}

impl Default for ExportLimits {
    fn default() -> Self {
        ExportLimits { inline_html_max_bytes: 20 * 1024 * 1024 }
    }
}

/// What to export.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ExportSource {
    /// The session's current document (the default).
    Session { session_id: String },
    /// Given HTML. `session_id`, when known, allows the e-mailed fallback.
    Html { html: String, session_id: Option<String> },
}

/// An export as the user chose it; kept whole whatever happens.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ExportSpec {
    pub source: ExportSource,
    pub format: ExportFormat,
    #[serde(default)]
    pub options: Option<ExportOptions>,
    /// The name asked of the server (it may answer with its own).
    #[serde(default)]
    pub filename: Option<String>,
    /// For the e-mailed fallback; none = the account's own address.
    #[serde(default)]
    pub recipient_email: Option<String>,
    #[ts(type = "string")]
    pub dest_dir: PathBuf,
}

/// How an export ended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ExportOutcome {
    Saved {
        #[ts(type = "string")]
        path: PathBuf,
        #[ts(type = "number")]
        bytes: u64,
        /// Decoded `X-Export-Warnings`.
        #[ts(type = "unknown")]
        warnings: Option<serde_json::Value>,
    },
    /// Too large to return: rendered in the background and e-mailed (the link lasts 7 days).
    Emailed { recipient: String, eta: Option<String>, job_id: String, message: Option<String> },
}

/// A finished download.
#[derive(Debug, Clone, PartialEq)]
struct Saved {
    path: PathBuf,
    bytes: u64,
    headers: HeaderMap,
}

impl Client {
    /// Exports and saves the file in `spec.dest_dir`, or switches to the e-mailed link.
    pub async fn export(&self, spec: &ExportSpec, progress: Option<ProgressSink>, opts: &CallOptions) -> Result<ExportOutcome> {
        let result = match &spec.source {
            ExportSource::Session { session_id } => {
                let req = self.export_request(spec, Some(session_id.clone()), None, None);
                self.export_and_save(spec, &req, progress.clone(), opts).await
            }
            ExportSource::Html { html, .. } if html.len() as u64 > self.inner.export_limits.inline_html_max_bytes => {
                self.export_via_upload(spec, html, progress.clone(), opts).await
            }
            ExportSource::Html { html, .. } => {
                let req = self.export_request(spec, None, Some(html.clone()), None);
                match self.export_and_save(spec, &req, progress.clone(), opts).await {
                    Err(e) if e.code.as_deref() == Some("request_too_large") => {
                        tracing::info!("inline export over the transport cap; uploading the HTML first");
                        self.export_via_upload(spec, html, progress.clone(), opts).await
                    }
                    other => other,
                }
            }
        };
        match result {
            Ok(saved) => Ok(ExportOutcome::Saved { path: saved.path, bytes: saved.bytes, warnings: warnings(&saved.headers) }),
            Err(e) if e.code.as_deref() == Some("document_too_large") => self.export_by_email(spec, e, opts).await,
            Err(e) => Err(e),
        }
    }

    fn export_request(&self, spec: &ExportSpec, session_id: Option<String>, html: Option<String>, upload_id: Option<String>) -> ExportRequest {
        ExportRequest { session_id, html, upload_id, format: spec.format, options: spec.options.clone(), filename: spec.filename.clone() }
    }

    /// Big HTML: pre-signed upload (purpose `export-html`), then export by `upload_id`.
    async fn export_via_upload(&self, spec: &ExportSpec, html: &str, progress: Option<ProgressSink>, opts: &CallOptions) -> Result<Saved> {
        // The HTML is in memory; it goes to a temporary file so the one upload path (reopen per
        // attempt, exact length) serves it too.
        let tmp = tempfile_in(&std::env::temp_dir(), "export-html")?;
        tokio::fs::write(tmp.path(), html.as_bytes()).await.map_err(|e| io_error("Could not stage the document", &e))?;
        let filename = "export.html".to_string();
        let plan = UploadPlan { path: tmp.path().to_path_buf(), filename: filename.clone(), content_type: "text/html", size: html.len() as u64, route: UploadRoute::Presigned };
        let ticket = self
            .create_upload(&CreateUploadRequest { filename, content_type: "text/html".into(), size_bytes: plan.size, purpose: UploadPurpose::ExportHtml }, opts)
            .await?;
        let meter = Arc::new(Mutex::new(ProgressMeter::new(None, Some(plan.size))));
        self.put_presigned(&ticket, &plan, &meter, opts).await?;
        let req = self.export_request(spec, None, None, Some(ticket.upload_id));
        self.export_and_save(spec, &req, progress, opts).await
    }

    /// The e-mailed fallback: same format and options, the given recipient else the account's.
    async fn export_by_email(&self, spec: &ExportSpec, too_large: Error, opts: &CallOptions) -> Result<ExportOutcome> {
        let session_id = match &spec.source {
            ExportSource::Session { session_id } => Some(session_id.clone()),
            ExportSource::Html { session_id, .. } => session_id.clone(),
        };
        // Without a session the service has nothing to render later: the 413 stands.
        let Some(session_id) = session_id else { return Err(too_large) };
        tracing::info!(format = spec.format.as_str(), "export over the size cap; switching to the e-mailed link");
        let req = EmailExportRequest {
            session_id,
            format: spec.format,
            options: spec.options.clone(),
            filename: spec.filename.clone(),
            recipient_email: spec.recipient_email.clone(),
        };
        let r = self.email_export(&req, opts).await?;
        Ok(ExportOutcome::Emailed {
            recipient: if r.recipient_email.is_empty() { spec.recipient_email.clone().unwrap_or_default() } else { r.recipient_email },
            eta: r.eta,
            job_id: r.job_id,
            message: r.message,
        })
    }

    /// `POST /v1/documents/export` and the download, as one idempotent unit: a cut download is
    /// simply exported again.
    async fn export_and_save(&self, spec: &ExportSpec, req: &ExportRequest, progress: Option<ProgressSink>, opts: &CallOptions) -> Result<Saved> {
        let mut op = Operation::new(OperationKind::Export, format!("Exporting as {}", spec.format.as_str()));
        if let ExportSource::Session { session_id } = &spec.source {
            op = op.session(session_id);
        }
        let url = self.inner.http.url("v1/documents/export");
        let idem_key = new_idempotency_key();
        let fallback = default_name(spec.filename.as_deref(), spec.format);
        self.inner
            .retrier
            .run(&op, Idempotency::Idempotent, opts, |_| {
                let rb = self.request(Method::POST, url.clone(), Some(req), Some(&idem_key));
                let progress = progress.clone();
                let fallback = fallback.clone();
                async move {
                    let sent = self.send_once(rb, Auth::Key).await?;
                    save_response(sent.response, &sent.request_id, &spec.dest_dir, &fallback, progress).await
                }
            })
            .await
    }

    /// Downloads a link the service handed out (pre-signed download, e-mailed link) into `dest_dir`.
    /// No API key goes with it.
    pub async fn download(&self, link: &str, dest_dir: &Path, fallback_name: &str, progress: Option<ProgressSink>, opts: &CallOptions) -> Result<PathBuf> {
        let url = self.presigned_url(link)?;
        let op = Operation::new(OperationKind::Download, "Downloading the export");
        let fallback = safe_file_name(fallback_name).unwrap_or_else(|| "download".into());
        self.inner
            .retrier
            .run(&op, Idempotency::Idempotent, opts, |_| {
                let rb = self.inner.http.client().get(url.clone());
                let progress = progress.clone();
                let fallback = fallback.clone();
                async move {
                    let sent = self.send_once(rb, Auth::None).await?;
                    save_response(sent.response, &sent.request_id, dest_dir, &fallback, progress).await.map(|s| s.path)
                }
            })
            .await
    }
}

fn io_error(what: &str, e: &std::io::Error) -> Error {
    Error::local(ErrorKind::Internal, format!("{what}: {e}. Check the folder's space and permissions, then try again."))
}

fn tempfile_in(dir: &Path, prefix: &str) -> Result<tempfile::NamedTempFile> {
    tempfile::Builder::new()
        .prefix(&format!(".{prefix}-"))
        .suffix(".part")
        .tempfile_in(dir)
        .map_err(|e| io_error(&format!("Could not write in {}", dir.display()), &e))
}

fn default_name(asked: Option<&str>, format: ExportFormat) -> String {
    let base = asked.and_then(safe_file_name).unwrap_or_else(|| "export".into());
    let ext = format!(".{}", format.extension());
    if base.to_ascii_lowercase().ends_with(&ext) { base } else { format!("{base}{ext}") }
}

/// Streams a 2xx body into a temporary file in `dir`, then moves it to a free name. On any
/// failure the temporary file is removed: no partial file ever sits at a real name.
async fn save_response(response: reqwest::Response, request_id: &str, dir: &Path, fallback: &str, progress: Option<ProgressSink>) -> Result<Saved> {
    let headers = response.headers().clone();
    // No export format is JSON: a JSON 2xx is a proxy's or a broken server's answer, not the file.
    let content_type = headers.get(reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_ascii_lowercase();
    if content_type.starts_with("application/json") {
        let status = response.status().as_u16();
        let body = response.bytes().await.unwrap_or_default();
        return Err(Error::protocol(status, "expected the exported file, got JSON", &body, request_id));
    }
    let name = headers
        .get(CONTENT_DISPOSITION)
        .and_then(|v| v.to_str().ok())
        .and_then(filename_from_disposition)
        .and_then(|n| safe_file_name(&n))
        .unwrap_or_else(|| fallback.to_string());
    let tmp = tempfile_in(dir, "download")?;
    let mut meter = ProgressMeter::new(progress, response.content_length());
    let file = tmp.reopen().map_err(|e| io_error("Could not write the download", &e))?;
    // Disk writes run on one blocking thread fed through a bounded channel: the network side
    // never waits on a per-chunk hop to the blocking pool, and memory stays bounded.
    let (tx, mut rx) = tokio::sync::mpsc::channel::<bytes::Bytes>(16);
    let writer = tokio::task::spawn_blocking(move || -> std::io::Result<()> {
        let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
        while let Some(chunk) = rx.blocking_recv() {
            w.write_all(&chunk)?;
        }
        let file = w.into_inner().map_err(|e| e.into_error())?;
        // On disk before it takes the real name: a crash never leaves a short file there.
        file.sync_all()
    });
    let mut stream = response.bytes_stream();
    let mut failure = None;
    while let Some(chunk) = stream.next().await {
        match chunk {
            Ok(chunk) => {
                meter.add(chunk.len() as u64);
                if tx.send(chunk).await.is_err() {
                    break; // the writer stopped: its error is reported below
                }
            }
            Err(e) => {
                failure = Some(Error::transport(&e, crate::error::Reach::Ambiguous { timed_out: e.is_timeout() }, request_id));
                break;
            }
        }
    }
    drop(tx);
    let written = writer.await.map_err(|e| Error::internal(format!("The download writer stopped: {e}")))?;
    if let Some(e) = failure {
        return Err(e); // `tmp` is dropped here: the partial file is removed
    }
    written.map_err(|e| io_error("Could not write the download", &e))?;
    let bytes = meter.bytes();
    let path = persist_without_overwrite(tmp, dir, &name)?;
    meter.finish();
    Ok(Saved { path, bytes, headers })
}

/// Moves `tmp` to `dir/name`, or `name (1).ext`, `name (2).ext`… whichever is free. The no-clobber
/// persist fails instead of replacing, so a file that appears meanwhile is not overwritten either.
fn persist_without_overwrite(mut tmp: tempfile::NamedTempFile, dir: &Path, name: &str) -> Result<PathBuf> {
    let (stem, ext) = match name.rfind('.') {
        Some(i) if i > 0 => (&name[..i], &name[i..]),
        _ => (name, ""),
    };
    for n in 0..1000 {
        let candidate = if n == 0 { dir.join(name) } else { dir.join(format!("{stem} ({n}){ext}")) };
        match tmp.persist_noclobber(&candidate) {
            Ok(_) => return Ok(candidate),
            Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => tmp = e.file,
            Err(e) => return Err(io_error(&format!("Could not save {}", candidate.display()), &e.error)),
        }
    }
    Err(Error::local(ErrorKind::Internal, format!("Too many files named like {name} in {}. Choose another folder.", dir.display())))
}

/// The filename of a `Content-Disposition` header; `filename*` (RFC 5987) wins over `filename`.
pub fn filename_from_disposition(v: &str) -> Option<String> {
    let mut plain = None;
    let mut extended = None;
    for param in split_params(v) {
        let Some((k, val)) = param.split_once('=') else { continue };
        let k = k.trim().to_ascii_lowercase();
        let val = val.trim();
        if k == "filename*" {
            // charset'lang'percent-encoded
            let mut parts = val.splitn(3, '\'');
            let (charset, _lang, enc) = (parts.next()?, parts.next().unwrap_or(""), parts.next().unwrap_or(""));
            let bytes: Vec<u8> = percent_encoding::percent_decode_str(enc.trim_matches('"')).collect();
            extended = if charset.eq_ignore_ascii_case("utf-8") {
                String::from_utf8(bytes).ok()
            } else {
                Some(bytes.iter().map(|&b| b as char).collect())
            };
        } else if k == "filename" {
            let unq = if val.starts_with('"') && val.ends_with('"') && val.len() >= 2 { &val[1..val.len() - 1] } else { val };
            plain = Some(unq.replace("\\\"", "\"").replace("\\\\", "\\"));
        }
    }
    extended.or(plain).filter(|s| !s.is_empty())
}

/// Splits header parameters on `;` outside quotes.
fn split_params(v: &str) -> Vec<String> {
    let (mut out, mut cur, mut quoted, mut escaped) = (Vec::new(), String::new(), false, false);
    for c in v.chars() {
        match c {
            _ if escaped => {
                cur.push(c);
                escaped = false;
                continue;
            }
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            ';' if !quoted => {
                out.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    out.push(cur);
    out
}

/// Reduces a server-given name to a base name that cannot leave the folder: no directories, no
/// drive letters, no control or reserved characters, no leading dots, no device names.
pub fn safe_file_name(raw: &str) -> Option<String> {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .map(|c| if c.is_control() || "<>:\"|?*".contains(c) { '_' } else { c })
        .collect();
    let trimmed = cleaned.trim().trim_start_matches('.').trim_end_matches(['.', ' ']).to_string();
    if trimmed.is_empty() || trimmed.chars().all(|c| c == '_') {
        return None;
    }
    let mut name: String = trimmed.chars().take(180).collect();
    let stem = name.split('.').next().unwrap_or("").to_ascii_uppercase();
    let device = ["CON", "PRN", "AUX", "NUL"].contains(&stem.as_str())
        || ((stem.starts_with("COM") || stem.starts_with("LPT")) && stem.len() == 4 && stem.as_bytes()[3].is_ascii_digit());
    if device {
        name = format!("_{name}");
    }
    Some(name)
}

/// `X-Export-Warnings`: base64 of a JSON value.
fn warnings(h: &HeaderMap) -> Option<serde_json::Value> {
    let raw = h.get("x-export-warnings")?.to_str().ok()?;
    let bytes = base64::engine::general_purpose::STANDARD.decode(raw.trim()).ok()?;
    serde_json::from_slice(&bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disposition_parsing_prefers_filename_star() {
        assert_eq!(filename_from_disposition(r#"attachment; filename="report.pdf""#).as_deref(), Some("report.pdf"));
        assert_eq!(
            filename_from_disposition(r#"attachment; filename="fallback.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9%3B%20v2.pdf"#).as_deref(),
            Some("résumé; v2.pdf")
        );
        assert_eq!(filename_from_disposition(r#"attachment; filename="a;b.docx""#).as_deref(), Some("a;b.docx"));
        assert_eq!(filename_from_disposition("attachment"), None);
    }

    #[test]
    fn hostile_names_stay_in_the_folder() {
        assert_eq!(safe_file_name("../../etc/passwd").as_deref(), Some("passwd"));
        assert_eq!(safe_file_name("..\\..\\Windows\\win.ini").as_deref(), Some("win.ini"));
        assert_eq!(safe_file_name("C:evil.pdf").as_deref(), Some("C_evil.pdf"));
        assert_eq!(safe_file_name("/abs/path/x.pdf").as_deref(), Some("x.pdf"));
        assert_eq!(safe_file_name(".hidden.pdf").as_deref(), Some("hidden.pdf"));
        assert_eq!(safe_file_name("..").as_deref(), None);
        assert_eq!(safe_file_name("a\u{0}b\nc.pdf").as_deref(), Some("a_b_c.pdf"));
        assert_eq!(safe_file_name("CON.txt").as_deref(), Some("_CON.txt"));
        assert_eq!(safe_file_name("report. ").as_deref(), Some("report"));
        assert_eq!(default_name(Some("../q3"), ExportFormat::Markdown), "q3.md");
        assert_eq!(default_name(None, ExportFormat::Pdf), "export.pdf");
    }

    #[test]
    fn never_overwrites_existing_files() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("r.pdf"), b"old").unwrap();
        std::fs::write(d.path().join("r (1).pdf"), b"old1").unwrap();
        let t = tempfile_in(d.path(), "download").unwrap();
        std::fs::write(t.path(), b"new").unwrap();
        let p = persist_without_overwrite(t, d.path(), "r.pdf").unwrap();
        assert_eq!(p, d.path().join("r (2).pdf"));
        assert_eq!(std::fs::read(d.path().join("r.pdf")).unwrap(), b"old");
        assert_eq!(std::fs::read(p).unwrap(), b"new");
    }
}
