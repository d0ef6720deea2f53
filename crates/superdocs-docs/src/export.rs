//! Chunked HTML → file bytes. The document is read once into a structural model (`model`) that the
//! docx, pdf, markdown and txt writers share; html export keeps the chunked HTML itself.
use serde::{Deserialize, Serialize};

use crate::chunks::{self, escape_text};
use crate::{docx_write, model, pdf_write, text_write};

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
            Self::Docx | Self::Doc => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
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

impl PaperSize {
    /// Portrait width and height in points.
    pub fn points(self) -> (f32, f32) {
        match self {
            Self::Letter => (612.0, 792.0),
            Self::A4 => (595.28, 841.89),
            Self::Legal => (612.0, 1008.0),
        }
    }
}

/// Page geometry in points, margins included: what docx and pdf need from the options.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageLayout {
    pub width: f32,
    pub height: f32,
    pub landscape: bool,
    /// top, right, bottom, left
    pub margins: [f32; 4],
}

impl PageLayout {
    pub fn content_width(&self) -> f32 {
        self.width - self.margins[1] - self.margins[3]
    }
}

impl ExportOptions {
    /// Margins in inches (top, right, bottom, left), the presets as Word defines them:
    /// Normal 1" all round, Narrow 0.5", Wide 1" top/bottom and 2" left/right.
    pub fn margins_inches(&self) -> Result<[f32; 4], ExportError> {
        match self.margins {
            Margins::Normal => Ok([1.0; 4]),
            Margins::Narrow => Ok([0.5; 4]),
            Margins::Wide => Ok([1.0, 2.0, 1.0, 2.0]),
            Margins::Custom => {
                let m = self.custom_margins_inches.ok_or(ExportError::MissingCustomMargins)?;
                let all = [m.top, m.right, m.bottom, m.left];
                if all.iter().any(|v| !v.is_finite() || *v < 0.0) {
                    return Err(ExportError::Render {
                        format: "page",
                        reason: "custom margins must be zero or more inches".into(),
                    });
                }
                Ok(all)
            }
        }
    }

    /// The page the options describe; refuses margins that leave less than an inch for text.
    pub fn page_layout(&self) -> Result<PageLayout, ExportError> {
        let (w, h) = self.paper_size.points();
        let landscape = self.orientation == Orientation::Landscape;
        let (width, height) = if landscape { (h, w) } else { (w, h) };
        let margins = self.margins_inches()?.map(|m| m * 72.0);
        if width - margins[1] - margins[3] < 72.0 || height - margins[0] - margins[2] < 72.0 {
            return Err(ExportError::Render {
                format: "page",
                reason: "the margins leave less than an inch of the page for text".into(),
            });
        }
        Ok(PageLayout { width, height, landscape, margins })
    }

    fn has_page_options(&self) -> bool {
        self.paper_size != PaperSize::default()
            || self.orientation != Orientation::default()
            || self.margins != Margins::default()
    }
}

/// Renders a chunked HTML document. `title` names the document (docx/pdf metadata, html `<title>`).
pub fn export(
    html: &str,
    title: &str,
    format: ExportFormat,
    options: &ExportOptions,
) -> Result<ExportedFile, ExportError> {
    let mut warnings = Vec::new();
    let watermark = options.watermark_text.as_deref().map(str::trim).filter(|t| !t.is_empty());
    let paged = matches!(format, ExportFormat::Docx | ExportFormat::Doc | ExportFormat::Pdf);
    if format == ExportFormat::Doc {
        warnings.push("format \"doc\" is a legacy alias: the file is a .docx".to_string());
    }
    if watermark.is_some() && format != ExportFormat::Pdf {
        warnings.push(format!("watermark_text applies to PDF only; ignored for {}", format.extension()));
    }
    if !paged && options.has_page_options() {
        warnings.push(format!(
            "paper_size, orientation and margins apply to docx and pdf only; ignored for {}",
            format.extension()
        ));
    }
    if options.embed_images && format != ExportFormat::Html {
        warnings.push("embed_images: images are not embedded; each is shown by its alt text".to_string());
    }
    let mut opacity = options.watermark_opacity;
    if watermark.is_some() && format == ExportFormat::Pdf && !(0.0..=1.0).contains(&opacity) {
        opacity = if opacity.is_finite() { opacity.clamp(0.0, 1.0) } else { 0.3 };
        warnings.push(format!("watermark_opacity must be between 0 and 1; used {opacity}"));
    }
    let bytes = match format {
        ExportFormat::Html => standalone_html(html, title).into_bytes(),
        ExportFormat::Markdown => text_write::markdown(&model::read(html)).into_bytes(),
        ExportFormat::Txt => text_write::plain(&model::read(html)).into_bytes(),
        ExportFormat::Docx | ExportFormat::Doc => {
            let layout = options.page_layout()?;
            docx_write::render(&model::read(html), title, &layout)
                .map_err(|reason| ExportError::Render { format: "docx", reason })?
        }
        ExportFormat::Pdf => {
            let layout = options.page_layout()?;
            pdf_write::render(&model::read(html), title, &layout, watermark.map(|w| (w, opacity)))
                .map_err(|reason| ExportError::Render { format: "pdf", reason })?
        }
    };
    Ok(ExportedFile { bytes, content_type: format.content_type(), warnings })
}

const STYLESHEET: &str = "body{margin:0;background:#f6f6f4;color:#1d1d1f;font:17px/1.6 Georgia,'Times New Roman',serif}\
main{max-width:44rem;margin:2.5rem auto;padding:3rem 3.5rem;background:#fff;box-shadow:0 1px 4px rgba(0,0,0,.08)}\
h1,h2,h3,h4,h5,h6{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;line-height:1.25;margin:1.6em 0 .5em}\
h1{font-size:2rem;margin-top:0}h2{font-size:1.5rem}h3{font-size:1.25rem}\
table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:.35em .7em;text-align:left}th{background:#f0f0f0}\
blockquote{margin:1em 0;padding-left:1em;border-left:3px solid #ccc;color:#555}\
pre{background:#f4f4f4;padding:.8em 1em;overflow-x:auto;font-size:.9em}code{font-family:ui-monospace,Menlo,Consolas,monospace}\
img{max-width:100%}a{color:#0b57d0}\
@media print{body{background:#fff}main{box-shadow:none;margin:0;max-width:none}}";

/// A standalone HTML file: the chunked blocks (ids kept) in a page with a small readable stylesheet.
fn standalone_html(html: &str, title: &str) -> String {
    let body = chunks::chunkify(html);
    let title = if title.trim().is_empty() { "Document" } else { title.trim() };
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{STYLESHEET}</style>\n</head>\n<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n",
        escape_text(title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "<h1 data-chunk-id=\"c1\">Report</h1><p data-chunk-id=\"c2\">Hello <b>world</b>.</p>";

    #[test]
    fn margins_follow_word_presets_and_custom_needs_values() {
        let mut o = ExportOptions::default();
        assert_eq!(o.margins_inches().unwrap(), [1.0; 4]);
        o.margins = Margins::Narrow;
        assert_eq!(o.margins_inches().unwrap(), [0.5; 4]);
        o.margins = Margins::Wide;
        assert_eq!(o.margins_inches().unwrap(), [1.0, 2.0, 1.0, 2.0]);
        o.margins = Margins::Custom;
        assert_eq!(o.margins_inches(), Err(ExportError::MissingCustomMargins));
        o.custom_margins_inches = Some(CustomMargins { top: 0.7, right: 0.6, bottom: 0.7, left: 0.6 });
        assert_eq!(o.margins_inches().unwrap(), [0.7, 0.6, 0.7, 0.6]);
        o.custom_margins_inches = Some(CustomMargins { top: 1.0, right: 4.0, bottom: 1.0, left: 4.0 });
        assert!(matches!(o.page_layout(), Err(ExportError::Render { .. })));
    }

    #[test]
    fn landscape_swaps_the_page() {
        let o = ExportOptions { paper_size: PaperSize::A4, orientation: Orientation::Landscape, ..Default::default() };
        let l = o.page_layout().unwrap();
        assert!(l.landscape && l.width > l.height);
        assert!((l.width - 841.89).abs() < 0.01);
    }

    #[test]
    fn html_is_standalone_and_keeps_ids() {
        let f = export(DOC, "Q3 <Report>", ExportFormat::Html, &ExportOptions::default()).unwrap();
        let s = String::from_utf8(f.bytes).unwrap();
        assert!(s.starts_with("<!DOCTYPE html>"));
        assert!(s.contains("<title>Q3 &lt;Report&gt;</title>") && s.contains("<style>"));
        assert!(s.contains("data-chunk-id=\"c1\"") && s.contains("data-chunk-id=\"c2\""));
        assert!(f.warnings.is_empty());
    }

    #[test]
    fn options_that_do_not_apply_are_warned_about() {
        let o = ExportOptions { watermark_text: Some("DRAFT".into()), paper_size: PaperSize::A4, ..Default::default() };
        let f = export(DOC, "t", ExportFormat::Markdown, &o).unwrap();
        assert_eq!(f.warnings.len(), 2, "{:?}", f.warnings);
        assert!(f.warnings[0].contains("watermark"));
        let f = export(DOC, "t", ExportFormat::Pdf, &o).unwrap();
        assert!(f.warnings.is_empty(), "{:?}", f.warnings);
        let f = export(DOC, "t", ExportFormat::Doc, &ExportOptions::default()).unwrap();
        assert_eq!(f.content_type, ExportFormat::Docx.content_type());
        assert!(f.warnings[0].contains("legacy"));
        assert!(f.bytes.starts_with(b"PK"));
    }

    #[test]
    fn options_deserialize_from_the_api_shape() {
        let o: ExportOptions = serde_json::from_str(
            r#"{"paper_size":"a4","orientation":"landscape","margins":"custom","custom_margins_inches":{"top":1,"right":0.5,"bottom":1,"left":0.5},"watermark_text":"X","unknown":1}"#,
        )
        .unwrap();
        assert_eq!(o.paper_size, PaperSize::A4);
        assert_eq!(o.watermark_opacity, 0.3);
        assert_eq!(o.margins_inches().unwrap(), [1.0, 0.5, 1.0, 0.5]);
    }
}
