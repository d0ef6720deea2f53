//! File bytes → chunked HTML. Each reader produces plain HTML blocks; `import` chunks the result
//! once, so every format gets the same ids and the same emptiness check.
use serde::Serialize;

use crate::chunks::{self, escape_text};
use crate::{docx_read, pdf_read, rtf_read};

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

/// The page a document was laid out on, as far as the file tells.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PageSetup {
    /// "Letter", "A4", "Legal", or "Custom" for any other size.
    pub paper_size: String,
    /// "portrait" or "landscape".
    pub orientation: String,
    /// Top, right, bottom, left. Exact for docx; for PDF (which records no margins) estimated from
    /// where the text sits on the first page, top/bottom and left/right assumed symmetric.
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
    let format = SourceFormat::from_filename(filename)?;
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ImportError::Empty);
    }
    let (html, page_setup) = match format {
        SourceFormat::Txt => (txt_to_html(&decode_text(bytes, "txt")?), None),
        SourceFormat::Markdown => (markdown_to_html(&decode_text(bytes, "markdown")?), None),
        SourceFormat::Html => (decode_text(bytes, "html")?, None),
        SourceFormat::Rtf => (rtf_read::to_html(&decode_text(bytes, "rtf")?)?, None),
        SourceFormat::Docx => {
            let doc = docx_read::read(bytes)?;
            (doc.html, doc.page_setup)
        }
        SourceFormat::Pdf => {
            let doc = pdf_read::read(bytes)?;
            (doc.html, doc.page_setup)
        }
    };
    let html = chunks::chunkify(&html);
    let blocks = chunks::blocks(&html);
    // Blocks with no text and no picture (an empty <p>, a lone rule) are not content.
    if blocks.iter().all(|b| b.text.trim().is_empty() && !b.html.contains("<img")) {
        return Err(ImportError::Empty);
    }
    let chunks_count = blocks.len();
    Ok(ImportedDocument { html, chunks_count, page_setup })
}

/// Text of a text-based file: UTF-8 (BOM allowed), UTF-16 with a BOM, else Windows-1252 (which maps
/// every byte, so old files still open). Binary data is refused rather than shown as mojibake.
fn decode_text(bytes: &[u8], format: &'static str) -> Result<String, ImportError> {
    let text = if let Some((enc, _)) = encoding_rs::Encoding::for_bom(bytes) {
        enc.decode(bytes).0.into_owned()
    } else {
        match std::str::from_utf8(bytes) {
            Ok(s) => s.to_string(),
            Err(_) => encoding_rs::WINDOWS_1252.decode(bytes).0.into_owned(),
        }
    };
    let control = text.chars().filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}')).count();
    if control * 20 > text.chars().count().max(1) {
        return Err(ImportError::Malformed { format, reason: "the file holds binary data, not text".into() });
    }
    Ok(text.replace("\r\n", "\n").replace('\r', "\n"))
}

/// Plain text: paragraphs are separated by blank lines; a file without blank lines has one
/// paragraph per line. Line breaks inside a paragraph are kept as `<br>`.
pub(crate) fn txt_to_html(text: &str) -> String {
    let has_blank_lines =
        text.lines().collect::<Vec<_>>().windows(2).any(|w| !w[0].trim().is_empty() && w[1].trim().is_empty());
    let paragraphs: Vec<Vec<&str>> = if has_blank_lines {
        text.split("\n")
            .collect::<Vec<_>>()
            .split(|l| l.trim().is_empty())
            .filter(|p| !p.is_empty())
            .map(|p| p.to_vec())
            .collect()
    } else {
        text.lines().filter(|l| !l.trim().is_empty()).map(|l| vec![l]).collect()
    };
    paragraphs
        .iter()
        .map(|lines| {
            let inner = lines.iter().map(|l| escape_text(l.trim())).collect::<Vec<_>>().join("<br>");
            format!("<p>{inner}</p>")
        })
        .collect()
}

pub(crate) fn markdown_to_html(md: &str) -> String {
    use pulldown_cmark::{Options, Parser};
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, Parser::new_ext(md, opts));
    html
}

/// Names a page size from its dimensions in points (either orientation).
pub(crate) fn page_setup_from_points(width: f32, height: f32, margins_inches: [f32; 4]) -> PageSetup {
    let (short, long) = if width <= height { (width, height) } else { (height, width) };
    let near = |a: f32, b: f32| (a - b).abs() < 4.0;
    let paper = if near(short, 612.0) && near(long, 792.0) {
        "Letter"
    } else if near(short, 595.3) && near(long, 841.9) {
        "A4"
    } else if near(short, 612.0) && near(long, 1008.0) {
        "Legal"
    } else {
        "Custom"
    };
    let round = |v: f32| (v * 100.0).round() / 100.0;
    PageSetup {
        paper_size: paper.to_string(),
        orientation: if width > height { "landscape" } else { "portrait" }.to_string(),
        margins_inches: margins_inches.map(round),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_doc_has_the_documented_message() {
        let err = import("old.DOC", b"whatever").unwrap_err();
        assert_eq!(err, ImportError::LegacyDoc);
        assert_eq!(
            err.to_string(),
            "Legacy .doc files are not supported. Please convert to .docx format and try again."
        );
        assert_eq!(import("x.exe", b"a").unwrap_err(), ImportError::Unsupported("exe".into()));
    }

    #[test]
    fn txt_paragraphs_come_from_blank_lines() {
        let doc = import("a.txt", b"First line\nstill first\n\nSecond & <last>\n").unwrap();
        let bs = chunks::blocks(&doc.html);
        assert_eq!(bs.len(), 2);
        assert_eq!(bs[0].text, "First line\nstill first");
        assert_eq!(bs[1].text, "Second & <last>");
        assert_eq!(doc.chunks_count, 2);
    }

    #[test]
    fn txt_without_blank_lines_is_one_paragraph_per_line() {
        let doc = import("a.txt", b"one\ntwo\r\nthree").unwrap();
        assert_eq!(doc.chunks_count, 3);
    }

    #[test]
    fn invalid_utf8_txt_is_read_as_windows_1252() {
        let doc = import("a.txt", b"caf\xe9 \x93quoted\x94").unwrap();
        assert_eq!(chunks::blocks(&doc.html)[0].text, "caf\u{e9} \u{201c}quoted\u{201d}");
    }

    #[test]
    fn binary_named_txt_is_malformed_and_blank_is_empty() {
        let bytes: Vec<u8> = (0..200u8).collect();
        assert!(matches!(import("a.txt", &bytes), Err(ImportError::Malformed { format: "txt", .. })));
        assert_eq!(import("a.txt", b""), Err(ImportError::Empty));
        assert_eq!(import("a.md", b"  \n\n "), Err(ImportError::Empty));
        assert_eq!(
            import("a.html", b"<html><head><title>x</title></head><body></body></html>"),
            Err(ImportError::Empty)
        );
        assert_eq!(import("a.html", b"<p> </p><hr><div>&nbsp;</div>"), Err(ImportError::Empty));
    }

    #[test]
    fn markdown_becomes_structured_html() {
        let md = "# Title\n\nSome *it* and **bold**.\n\n- a\n- b\n\n| x | y |\n|---|---|\n| 1 | 2 |\n";
        let doc = import("n.md", md.as_bytes()).unwrap();
        let tags: Vec<_> = chunks::blocks(&doc.html).iter().map(|b| b.tag()).collect();
        assert_eq!(tags, ["h1", "p", "ul", "table"]);
        assert!(doc.html.contains("<em>it</em>") && doc.html.contains("<strong>bold</strong>"));
    }

    #[test]
    fn html_keeps_body_content_and_drops_scripts() {
        let html = "<html><head><title>T</title><style>p{}</style></head><body><div class=w><h1>H</h1><p>P</p></div><script>x()</script></body></html>";
        let doc = import("p.htm", html.as_bytes()).unwrap();
        let bs = chunks::blocks(&doc.html);
        assert_eq!(bs.iter().map(|b| b.text.as_str()).collect::<Vec<_>>(), ["H", "P"]);
        assert!(!doc.html.contains("script") && !doc.html.contains("p{}"));
    }

    #[test]
    fn page_sizes_are_named() {
        assert_eq!(page_setup_from_points(595.0, 842.0, [1.0; 4]).paper_size, "A4");
        let ls = page_setup_from_points(792.0, 612.0, [1.0; 4]);
        assert_eq!((ls.paper_size.as_str(), ls.orientation.as_str()), ("Letter", "landscape"));
    }
}
