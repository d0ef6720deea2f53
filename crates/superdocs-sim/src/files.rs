//! Incoming files: which types each upload accepts, and multipart forms streamed to storage.
use axum::extract::{FromRequest, Multipart, Request};
use std::collections::HashMap;

use crate::errors::{ApiError, ApiResult, FieldError, MSG_LEGACY_DOC};
use crate::extract::meter_of;
use crate::state::Sim;
use crate::storage::{StoredFile, WriteError};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilePurpose {
    Document,
    Attachment,
    Template,
}

impl FilePurpose {
    fn extensions(self) -> &'static [&'static str] {
        match self {
            Self::Document => &["docx", "pdf", "txt", "rtf", "md", "html", "htm"],
            Self::Attachment => {
                &["docx", "pdf", "txt", "rtf", "md", "html", "htm", "png", "jpg", "jpeg", "gif", "webp"]
            }
            Self::Template => &["docx", "pdf", "txt", "rtf", "md"],
        }
    }

    /// 400 for `.doc` (the documented text) and for any other type this purpose does not take.
    pub fn check(self, filename: &str) -> ApiResult<()> {
        let ext = extension(filename);
        if ext == "doc" {
            return Err(ApiError::bad_request(MSG_LEGACY_DOC));
        }
        if !self.extensions().contains(&ext.as_str()) {
            let list: Vec<String> = self.extensions().iter().map(|e| format!(".{e}")).collect();
            let shown = if ext.is_empty() { "(none)".to_string() } else { format!(".{ext}") };
            return Err(ApiError::bad_request(format!(
                "Unsupported file type: {shown}. Supported formats: {}",
                list.join(", ")
            )));
        }
        Ok(())
    }
}

pub fn extension(filename: &str) -> String {
    filename.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default()
}

pub fn is_image(filename: &str) -> bool {
    matches!(extension(filename).as_str(), "png" | "jpg" | "jpeg" | "gif" | "webp")
}

/// A multipart form whose `file` part went to storage as it arrived.
pub struct UploadForm {
    pub filename: String,
    pub file: StoredFile,
    pub fields: HashMap<String, String>,
}

impl UploadForm {
    pub fn field(&self, name: &str) -> ApiResult<&str> {
        self.fields
            .get(name)
            .map(String::as_str)
            .ok_or_else(|| ApiError::field("missing", &["body", name], "Field required"))
    }
}

/// Reads a multipart upload: text fields kept, the `file` part checked by name first (so a refused
/// type is refused before its bytes are stored) and streamed to a file of at most `cap` bytes.
pub async fn read_upload(sim: &Sim, req: Request, purpose: FilePurpose) -> ApiResult<UploadForm> {
    let meter = meter_of(&req);
    let mut multipart = Multipart::from_request(req, &())
        .await
        .map_err(|_| ApiError::validation(vec![FieldError::new("missing", &["body", "file"], "Field required")]))?;
    let mut fields = HashMap::new();
    let mut file = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) => return Err(meter.body_error(e)),
        };
        let name = field.name().unwrap_or("").to_string();
        if name == "file" {
            let filename = field.file_name().unwrap_or("").to_string();
            purpose.check(&filename)?;
            let stored = sim
                .storage
                .write_stream("upload_", Box::pin(field), sim.config.upload_cap_bytes)
                .await
                .map_err(|e| match e {
                    WriteError::TooLarge => ApiError::file_too_large(sim.config.upload_cap_bytes),
                    WriteError::Body(reason) => meter.body_error(reason),
                    WriteError::Io(e) => ApiError::detail(axum::http::StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
                })?;
            file = Some((filename, stored));
        } else {
            let text = field.text().await.map_err(|e| meter.body_error(e))?;
            fields.insert(name, text);
        }
    }
    let (filename, file) = file
        .ok_or_else(|| ApiError::validation(vec![FieldError::new("missing", &["body", "file"], "Field required")]))?;
    Ok(UploadForm { filename, file, fields })
}
