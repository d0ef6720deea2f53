//! Documents in and out: files imported into a session (through superdocs-docs), and a session's
//! document rendered for export.
use serde_json::{json, Value};
use std::path::Path;

use superdocs_docs::{ExportFormat, ExportOptions, ExportedFile, ImportError};

use crate::errors::{ApiError, ApiResult, MSG_LEGACY_DOC};
use crate::state::{Document, Sim};
use crate::stats::KEY_SEPARATOR;

pub fn import_error(e: ImportError) -> ApiError {
    match e {
        ImportError::LegacyDoc => ApiError::bad_request(MSG_LEGACY_DOC),
        ImportError::Unsupported(ext) => ApiError::bad_request(format!("Unsupported file type: .{ext}")),
        ImportError::Empty => ApiError::bad_request("The file is empty."),
        other => ApiError::bad_request(format!("Could not process the file: {other}")),
    }
}

pub async fn import_file(filename: &str, path: &Path) -> ApiResult<superdocs_docs::ImportedDocument> {
    let bytes = tokio::fs::read(path)
        .await
        .map_err(|e| ApiError::detail(axum::http::StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?;
    let name = filename.to_string();
    tokio::task::spawn_blocking(move || superdocs_docs::import(&name, &bytes))
        .await
        .map_err(|e| ApiError::detail(axum::http::StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?
        .map_err(import_error)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    Replace,
    NewFocused,
    Background,
}

impl OpenMode {
    pub fn parse(value: Option<&str>) -> ApiResult<Self> {
        match value.unwrap_or("replace") {
            "replace" | "" => Ok(Self::Replace),
            "new_focused" => Ok(Self::NewFocused),
            "background" => Ok(Self::Background),
            _ => Err(ApiError::field(
                "enum",
                &["body", "open_mode"],
                "Input should be 'replace', 'new_focused' or 'background'",
            )),
        }
    }
}

/// Converts a stored file and makes it the session's document (or a background one). Returns the
/// upload response body.
pub async fn load_document(
    sim: &Sim,
    owner: &str,
    session_id: &str,
    filename: &str,
    path: &Path,
    mode: OpenMode,
) -> ApiResult<Value> {
    crate::extract::validate_session_id(session_id, &["body", "session_id"])?;
    sim.world.lock().unwrap().check_session_access(owner, session_id)?;
    sim.stats.submission("upload", format!("{session_id}{KEY_SEPARATOR}{filename}"));
    let imported = import_file(filename, path).await?;
    let doc = Document::new(imported.html.clone(), Some(filename.to_string()));
    let mut world = sim.world.lock().unwrap();
    let session = world.session_mut(owner, session_id)?;
    if mode == OpenMode::Background {
        session.background_documents.push(doc.clone());
    } else {
        session.document = Some(doc.clone());
    }
    session.touch();
    Ok(json!({
        "session_id": session_id,
        "document_id": doc.document_id,
        "filename": filename,
        "html": imported.html,
        "chunks_count": imported.chunks_count,
        "version_id": doc.version_id,
        "page_setup": imported.page_setup,
    }))
}

/// The html of the caller's session document: 404 when there is no session or no document.
pub fn session_html(sim: &Sim, owner: &str, session_id: &str) -> ApiResult<(String, Option<String>)> {
    let world = sim.world.lock().unwrap();
    let session = world.existing_session(owner, session_id)?;
    let doc = session.document.as_ref().ok_or_else(|| ApiError::not_found("Session has no document"))?;
    Ok((doc.html.clone(), doc.filename.clone()))
}

pub async fn render(
    html: String,
    title: String,
    format: ExportFormat,
    options: ExportOptions,
) -> ApiResult<ExportedFile> {
    tokio::task::spawn_blocking(move || superdocs_docs::export(&html, &title, format, &options))
        .await
        .map_err(|e| ApiError::detail(axum::http::StatusCode::INTERNAL_SERVER_ERROR, e.to_string()))?
        .map_err(|e| match e {
            superdocs_docs::ExportError::MissingCustomMargins => ApiError::field(
                "missing",
                &["body", "options", "custom_margins_inches"],
                "custom_margins_inches is required when margins is 'custom'",
            ),
            other => ApiError::detail(axum::http::StatusCode::INTERNAL_SERVER_ERROR, other.to_string()),
        })
}

/// The download name: the requested (or document's) name with the format's extension.
pub fn export_filename(requested: Option<&str>, fallback: Option<&str>, format: ExportFormat) -> String {
    let base = requested.filter(|s| !s.trim().is_empty()).or(fallback).unwrap_or("document");
    let base = base.rsplit(['/', '\\']).next().unwrap_or(base);
    let stem = match base.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => base,
    };
    format!("{stem}.{}", format.extension())
}

pub fn content_disposition(filename: &str) -> String {
    let ascii: String =
        filename.chars().map(|c| if c.is_ascii_graphic() && c != '"' || c == ' ' { c } else { '_' }).collect();
    let encoded = percent_encoding::utf8_percent_encode(filename, percent_encoding::NON_ALPHANUMERIC);
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}
