//! Chunked HTML → file bytes. STUB: to be replaced by the docs helper, keeping the public signatures.
use serde::{Deserialize, Serialize};

/// The export `format` enum of the API. `Doc` is the legacy alias (rendered as docx).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    #[default]
    Docx,
    Pdf,
    Html,
    Markdown,
    Txt,
    Doc,
}

impl ExportFormat {
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Docx | Self::Doc => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            Self::Pdf => "application/pdf",
            Self::Html => "text/html; charset=utf-8",
            Self::Markdown => "text/markdown; charset=utf-8",
            Self::Txt => "text/plain; charset=utf-8",
        }
    }
    pub fn extension(self) -> &'static str {
        match self {
            Self::Docx | Self::Doc => "docx",
            Self::Pdf => "pdf",
            Self::Html => "html",
            Self::Markdown => "md",
            Self::Txt => "txt",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum PaperSize {
    #[default]
    #[serde(alias = "letter")]
    Letter,
    #[serde(alias = "a4")]
    A4,
    #[serde(alias = "legal")]
    Legal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Orientation {
    #[default]
    Portrait,
    Landscape,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Margins {
    #[default]
    Normal,
    Narrow,
    Wide,
    Custom,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CustomMargins {
    pub top: f32,
    pub right: f32,
    pub bottom: f32,
    pub left: f32,
}

fn default_opacity() -> f32 {
    0.3
}

/// The export `options` object of the API (unknown fields are ignored).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExportOptions {
    #[serde(default)]
    pub paper_size: PaperSize,
    #[serde(default)]
    pub orientation: Orientation,
    #[serde(default)]
    pub margins: Margins,
    #[serde(default)]
    pub custom_margins_inches: Option<CustomMargins>,
    #[serde(default)]
    pub embed_images: bool,
    #[serde(default)]
    pub watermark_text: Option<String>,
    #[serde(default = "default_opacity")]
    pub watermark_opacity: f32,
}

impl Default for ExportOptions {
    fn default() -> Self {
        Self {
            paper_size: PaperSize::default(),
            orientation: Orientation::default(),
            margins: Margins::default(),
            custom_margins_inches: None,
            embed_images: false,
            watermark_text: None,
            watermark_opacity: default_opacity(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExportedFile {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
    /// Human-readable notes (e.g. "watermark ignored: PDF only"), sent as `X-Export-Warnings`.
    pub warnings: Vec<String>,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ExportError {
    #[error("custom margins need custom_margins_inches")]
    MissingCustomMargins,
    #[error("could not render {format}: {reason}")]
    Render { format: &'static str, reason: String },
}

/// Renders a chunked HTML document. `title` names the document (docx/pdf metadata, html `<title>`).
pub fn export(
    html: &str,
    _title: &str,
    format: ExportFormat,
    _options: &ExportOptions,
) -> Result<ExportedFile, ExportError> {
    Ok(ExportedFile { bytes: html.as_bytes().to_vec(), content_type: format.content_type(), warnings: vec![] })
}
