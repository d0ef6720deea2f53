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
    pub async fn export(
        &self,
        spec: &ExportSpec,
        progress: Option<ProgressSink>,
        opts: &CallOptions,
    ) -> Result<ExportOutcome> {
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
            Ok(saved) => {
                Ok(ExportOutcome::Saved { path: saved.path, bytes: saved.bytes, warnings: warnings(&saved.headers) })
            }
            Err(e) if e.code.as_deref() == Some("document_too_large") => self.export_by_email(spec, e, opts).await,
            Err(e) => Err(e),
        }
    }

    fn export_request(
        &self,
        spec: &ExportSpec,
        session_id: Option<String>,
        html: Option<String>,
        upload_id: Option<String>,
    ) -> ExportRequest {
        ExportRequest {
            session_id,
            html,
            upload_id,
            format: spec.format,
            options: spec.options.clone(),
            filename: spec.filename.clone(),
        }
    }

    /// Big HTML: pre-signed upload (purpose `export-html`), then export by `upload_id`.
    async fn export_via_upload(
        &self,
        spec: &ExportSpec,
        html: &str,
        progress: Option<ProgressSink>,
        opts: &CallOptions,
    ) -> Result<Saved> {
        // The HTML is in memory; it goes to a temporary file so the one upload path (reopen per
        // attempt, exact length) serves it too.
        let tmp = tempfile_in(&std::env::temp_dir(), "export-html")?;
        tokio::fs::write(tmp.path(), html.as_bytes())
            .await
            .map_err(|e| io_error("Could not stage the document", &e))?;
        let filename = "export.html".to_string();
        let plan = UploadPlan {
            path: tmp.path().to_path_buf(),
            filename: filename.clone(),
            content_type: "text/html",
            size: html.len() as u64,
            route: UploadRoute::Presigned,
        };
        let ticket = self
            .create_upload(
                &CreateUploadRequest {
                    filename,
                    content_type: "text/html".into(),
                    size_bytes: plan.size,
                    purpose: UploadPurpose::ExportHtml,
                },
                opts,
            )
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
            recipient: if r.recipient_email.is_empty() {
                spec.recipient_email.clone().unwrap_or_default()
            } else {
                r.recipient_email
            },
            eta: r.eta,
            job_id: r.job_id,
            message: r.message,
        })
    }

    /// `POST /v1/documents/export` and the download, as one idempotent unit: a cut download is
    /// simply exported again.
    async fn export_and_save(
        &self,
        spec: &ExportSpec,
        req: &ExportRequest,
        progress: Option<ProgressSink>,
        opts: &CallOptions,
    ) -> Result<Saved> {
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
    pub async fn download(
        &self,
        link: &str,
        dest_dir: &Path,
        fallback_name: &str,
        progress: Option<ProgressSink>,
        opts: &CallOptions,
    ) -> Result<PathBuf> {
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
    asked
        .and_then(|a| sanitize_file_name(a, Some(format.extension())))
        .unwrap_or_else(|| format!("export.{}", format.extension()))
}

/// Streams a 2xx body into a temporary file in `dir`, then moves it to a free name. On any
/// failure the temporary file is removed: no partial file ever sits at a real name.
async fn save_response(
    response: reqwest::Response,
    request_id: &str,
    dir: &Path,
    fallback: &str,
    progress: Option<ProgressSink>,
) -> Result<Saved> {
    let headers = response.headers().clone();
    // No export format is JSON: a JSON 2xx is a proxy's or a broken server's answer, not the file.
    let content_type =
        headers.get(reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_ascii_lowercase();
    if content_type.starts_with("application/json") {
        let status = response.status().as_u16();
        let body = response.bytes().await.unwrap_or_default();
        return Err(Error::protocol(status, "expected the exported file, got JSON", &body, request_id));
    }
    // The server's name, but with the extension of the name we asked for (the format's): a server
    // cannot turn an export into `report.pdf.exe`.
    let ext = Path::new(fallback).extension().and_then(|e| e.to_str());
    let name = headers
        .get(CONTENT_DISPOSITION)
        .and_then(|v| v.to_str().ok())
        .and_then(filename_from_disposition)
        .and_then(|n| sanitize_file_name(&n, ext))
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
                failure = Some(Error::transport(
                    &e,
                    crate::error::Reach::Ambiguous { timed_out: e.is_timeout() },
                    request_id,
                ));
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
    let (stem, ext) = split_extension(name);
    for n in 0..1000 {
        let candidate = if n == 0 { dir.join(name) } else { dir.join(format!("{stem} ({n}){ext}")) };
        match tmp.persist_noclobber(&candidate) {
            Ok(_) => return Ok(candidate),
            Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => tmp = e.file,
            Err(e) => return Err(io_error(&format!("Could not save {}", candidate.display()), &e.error)),
        }
    }
    Err(Error::local(
        ErrorKind::Internal,
        format!("Too many files named like {name} in {}. Choose another folder.", dir.display()),
    ))
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
            let unq =
                if val.starts_with('"') && val.ends_with('"') && val.len() >= 2 { &val[1..val.len() - 1] } else { val };
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

/// Longest file name written, in bytes (ext4 and APFS take 255 bytes, NTFS 255 UTF-16 units): room is
/// left for the " (999)" of a taken name and the temporary file's prefix and ".part".
pub const MAX_FILE_NAME_BYTES: usize = 200;
/// An extension longer than this is part of the name, not a file type.
const MAX_EXTENSION_BYTES: usize = 16;

/// Characters that draw nothing or reorder what is drawn: bidi controls (`invoice\u{202E}fdp.exe` shows
/// as `invoiceexe.pdf`), zero-width and other invisible format characters, tags, variation selectors.
fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}' | '\u{180B}'..='\u{180F}'
        | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}'
        | '\u{FEFF}' | '\u{FFA0}' | '\u{FFF0}'..='\u{FFFB}' | '\u{E0000}'..='\u{E0FFF}')
}

/// Windows device names: `CON`, `CON.txt` and `CON .txt` all open the device, on any drive and folder.
fn is_device_name(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or("").trim_end_matches([' ', '.']).to_uppercase();
    if ["CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"].contains(&stem.as_str()) {
        return true;
    }
    let mut chars = stem.chars();
    let prefix: String = chars.by_ref().take(3).collect();
    let digit: Vec<char> = chars.collect();
    (prefix == "COM" || prefix == "LPT") && digit.len() == 1 && matches!(digit[0], '1'..='9' | '¹' | '²' | '³')
}

/// `name` split before its extension's dot, when it has one that reads as a file type.
fn split_extension(name: &str) -> (&str, &str) {
    match name.rfind('.') {
        Some(i) if i > 0 && name.len() - i <= MAX_EXTENSION_BYTES + 1 && !name[i + 1..].contains(' ') => {
            name.split_at(i)
        }
        _ => (name, ""),
    }
}

/// At most `MAX_FILE_NAME_BYTES`, cut in the stem on a character boundary so the extension stays.
fn fit(name: &str) -> String {
    if name.len() <= MAX_FILE_NAME_BYTES {
        return name.to_string();
    }
    let (stem, ext) = split_extension(name);
    let mut cut = MAX_FILE_NAME_BYTES.saturating_sub(ext.len());
    while !stem.is_char_boundary(cut) {
        cut -= 1;
    }
    let stem = stem[..cut].trim_end_matches(['.', ' ']);
    format!("{}{ext}", if stem.is_empty() { "_" } else { stem })
}

/// Reduces a server-given name to a base name that cannot leave the folder nor pass for another one: no
/// directories or drive letters, no control, bidi or zero-width characters, no reserved characters, no
/// leading dots (hidden files) or trailing dots and spaces (Windows drops them), no device names, at most
/// [`MAX_FILE_NAME_BYTES`] bytes with the extension kept. `None` when nothing usable is left.
pub fn safe_file_name(raw: &str) -> Option<String> {
    sanitize_file_name(raw, None)
}

/// [`safe_file_name`], and the name ends in `.ext` (added when missing, so `invoice.exe` saved as a
/// PDF is `invoice.exe.pdf`: what the system opens it with is the format's app).
pub fn sanitize_file_name(raw: &str, ext: Option<&str>) -> Option<String> {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|&c| !is_invisible(c))
        .map(|c| if c.is_control() || "<>:\"|?*".contains(c) { '_' } else { c })
        .collect();
    let trimmed = cleaned.trim().trim_start_matches(['.', ' ']).trim_end_matches(['.', ' ']);
    if trimmed.is_empty() || trimmed.chars().all(|c| c == '_') {
        return None;
    }
    let mut name = trimmed.to_string();
    if let Some(ext) = ext.map(|e| e.trim_start_matches('.')).filter(|e| !e.is_empty()) {
        if !name.to_lowercase().ends_with(&format!(".{}", ext.to_lowercase())) {
            name = format!("{name}.{ext}");
        }
    }
    let mut name = fit(&name);
    if is_device_name(&name) {
        name = fit(&format!("_{name}"));
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
            filename_from_disposition(
                r#"attachment; filename="fallback.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9%3B%20v2.pdf"#
            )
            .as_deref(),
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
        assert_eq!(safe_file_name("").as_deref(), None);
        assert_eq!(safe_file_name(" . . ").as_deref(), None);
        assert_eq!(safe_file_name("<>:|?*").as_deref(), None);
        assert_eq!(safe_file_name("a<b>c:d\"e|f?g*h.pdf").as_deref(), Some("a_b_c_d_e_f_g_h.pdf"));
        assert_eq!(default_name(Some("../q3"), ExportFormat::Markdown), "q3.md");
        assert_eq!(default_name(None, ExportFormat::Pdf), "export.pdf");
        assert_eq!(default_name(Some("\u{202E}"), ExportFormat::Pdf), "export.pdf");
    }

    #[test]
    fn control_bidi_and_invisible_characters_are_removed() {
        assert_eq!(safe_file_name("a\u{0}b\nc\u{7f}.pdf").as_deref(), Some("a_b_c_.pdf"));
        // Shown as "invoiceexe.pdf" with the override left in.
        assert_eq!(safe_file_name("invoice\u{202E}fdp.exe").as_deref(), Some("invoicefdp.exe"));
        for c in [
            '\u{200B}',
            '\u{200C}',
            '\u{200D}',
            '\u{200E}',
            '\u{200F}',
            '\u{202A}',
            '\u{202B}',
            '\u{202C}',
            '\u{202D}',
            '\u{2066}',
            '\u{2067}',
            '\u{2068}',
            '\u{2069}',
            '\u{061C}',
            '\u{2060}',
            '\u{FEFF}',
            '\u{00AD}',
            '\u{E0041}',
            '\u{2028}',
        ] {
            assert_eq!(safe_file_name(&format!("re{c}port.pdf")).as_deref(), Some("report.pdf"), "U+{:04X}", c as u32);
        }
        assert_eq!(safe_file_name("\u{200B}\u{202E}").as_deref(), None);
        assert_eq!(
            safe_file_name("résumé 2026 — 日本語.docx").as_deref(),
            Some("résumé 2026 — 日本語.docx"),
            "letters stay"
        );
    }

    #[test]
    fn the_extension_is_the_formats() {
        assert_eq!(sanitize_file_name("report.pdf", Some("pdf")).as_deref(), Some("report.pdf"));
        assert_eq!(sanitize_file_name("REPORT.PDF", Some("pdf")).as_deref(), Some("REPORT.PDF"));
        assert_eq!(sanitize_file_name("report", Some("pdf")).as_deref(), Some("report.pdf"));
        assert_eq!(sanitize_file_name("invoice.exe", Some("pdf")).as_deref(), Some("invoice.exe.pdf"));
        assert_eq!(sanitize_file_name("run.desktop", Some(".md")).as_deref(), Some("run.desktop.md"));
        assert_eq!(sanitize_file_name("invoice\u{202E}fdp.exe", Some("docx")).as_deref(), Some("invoicefdp.exe.docx"));
        assert_eq!(sanitize_file_name("x.pdf", None).as_deref(), Some("x.pdf"));
    }

    #[test]
    fn long_names_are_cut_by_bytes_keeping_the_extension() {
        let long = format!("{}.pdf", "a".repeat(400));
        let cut = safe_file_name(&long).unwrap();
        assert_eq!(cut.len(), MAX_FILE_NAME_BYTES);
        assert!(cut.ends_with("a.pdf"));
        // Three bytes a character: never cut inside one, never over the limit.
        let cut = sanitize_file_name(&"日".repeat(200), Some("docx")).unwrap();
        assert!(cut.len() <= MAX_FILE_NAME_BYTES && cut.len() > MAX_FILE_NAME_BYTES - 3, "{}", cut.len());
        assert!(cut.ends_with("日.docx"));
        // A cut that leaves a trailing dot or space drops it.
        let cut = safe_file_name(&format!("{}. b.txt", "a".repeat(MAX_FILE_NAME_BYTES - 5))).unwrap();
        assert!(!cut.trim_end_matches(".txt").ends_with(['.', ' ']), "{cut}");
        assert!(cut.ends_with(".txt") && cut.len() <= MAX_FILE_NAME_BYTES);
        // A very long "extension" is part of the name, and the name is still cut.
        let cut = safe_file_name(&format!("a.{}", "b".repeat(300))).unwrap();
        assert_eq!(cut.len(), MAX_FILE_NAME_BYTES);
    }

    #[test]
    fn windows_device_names_are_not_devices() {
        for raw in [
            "CON",
            "con",
            "CON.txt",
            "CON .txt",
            "con.tar.gz",
            "PRN.pdf",
            "AUX",
            "NUL.docx",
            "COM1",
            "com9.txt",
            "LPT1.pdf",
            "LPT9",
            "COM\u{00B9}.txt",
            "CONIN$",
            "CONOUT$.txt",
            "NUL...",
        ] {
            let safe = safe_file_name(raw).unwrap();
            assert!(safe.starts_with('_'), "{raw:?} -> {safe:?}");
            assert!(!is_device_name(&safe), "{raw:?} -> {safe:?}");
        }
        assert_eq!(safe_file_name("CON .txt").as_deref(), Some("_CON .txt"));
        assert_eq!(sanitize_file_name("nul", Some("pdf")).as_deref(), Some("_nul.pdf"));
        for ok in ["CONTRACT.pdf", "COM10.txt", "LPT0.txt", "COM.txt", "console.log", "auxiliary.md", "NULL.txt"] {
            assert_eq!(safe_file_name(ok).as_deref(), Some(ok), "{ok}");
        }
    }

    #[test]
    fn trailing_dots_and_spaces_are_dropped() {
        assert_eq!(safe_file_name("report. ").as_deref(), Some("report"));
        assert_eq!(safe_file_name("report.pdf . .").as_deref(), Some("report.pdf"));
        assert_eq!(safe_file_name("  spaced  ").as_deref(), Some("spaced"));
        assert_eq!(sanitize_file_name("report...", Some("pdf")).as_deref(), Some("report.pdf"));
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
