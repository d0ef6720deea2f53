//! File bytes → chunked HTML. STUB: to be replaced by the docs helper, keeping the public signatures.
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFormat {
    Txt,
    Markdown,
    Html,
    Docx,
    Pdf,
    Rtf,
}

impl SourceFormat {
    /// The format a file name declares. `.doc` is `ImportError::LegacyDoc`; anything else unknown is
    /// `ImportError::Unsupported`.
    pub fn from_filename(name: &str) -> Result<Self, ImportError> {
        let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
        match ext.as_str() {
            "txt" => Ok(Self::Txt),
            "md" | "markdown" => Ok(Self::Markdown),
            "html" | "htm" => Ok(Self::Html),
            "docx" => Ok(Self::Docx),
            "pdf" => Ok(Self::Pdf),
            "rtf" => Ok(Self::Rtf),
            "doc" => Err(ImportError::LegacyDoc),
            other => Err(ImportError::Unsupported(other.to_string())),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PageSetup {
    pub paper_size: String,
    pub orientation: String,
    pub margins_inches: [f32; 4],
}

#[derive(Debug, Clone, PartialEq)]
pub struct ImportedDocument {
    /// Chunked HTML: every top-level block has a `data-chunk-id`.
    pub html: String,
    pub chunks_count: usize,
    /// Known for formats that carry it (docx, pdf).
    pub page_setup: Option<PageSetup>,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ImportError {
    #[error("Legacy .doc files are not supported. Please convert to .docx format and try again.")]
    LegacyDoc,
    #[error("unsupported file type: .{0}")]
    Unsupported(String),
    #[error("the file is empty")]
    Empty,
    #[error("the file could not be read as {format}: {reason}")]
    Malformed { format: &'static str, reason: String },
}

/// Converts a file to chunked HTML, choosing the reader by the file name.
pub fn import(filename: &str, bytes: &[u8]) -> Result<ImportedDocument, ImportError> {
    let _format = SourceFormat::from_filename(filename)?;
    if bytes.is_empty() {
        return Err(ImportError::Empty);
    }
    let text = String::from_utf8_lossy(bytes);
    Ok(ImportedDocument {
        html: format!("<p data-chunk-id=\"c1\">{text}</p>"),
        chunks_count: 1,
        page_setup: None,
    })
}
