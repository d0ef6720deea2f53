//! PDF → HTML: walks each page's content stream (via lopdf), places every shown string on a
//! baseline, groups strings into lines and lines into paragraphs by the vertical gaps between them.
//! Lines set clearly larger than the body text become headings; lines starting with a bullet or a
//! number become list items. The page setup comes from the first page's MediaBox.
use lopdf::content::Content;
use lopdf::{Document, Encoding, Object};
use std::collections::BTreeMap;

use crate::chunks::escape_text;
use crate::font_metrics;
use crate::import::{page_setup_from_points, ImportError, PageSetup};

pub(crate) struct PdfContent {
    pub html: String,
    pub page_setup: Option<PageSetup>,
}

/// Per page, decompressed content beyond this is refused (a small file must not inflate without end).
const MAX_PAGE_CONTENT: usize = 64 * 1024 * 1024;

fn malformed(reason: impl Into<String>) -> ImportError {
    ImportError::Malformed { format: "pdf", reason: reason.into() }
}

/// One line of text on a page.
#[derive(Debug, Clone)]
struct Line {
    page: u32,
    y: f32,
    x: f32,
    size: f32,
    text: String,
    /// Where the last string on the line ends (estimated), to decide on spaces between strings.
    end_x: f32,
}

pub(crate) fn read(bytes: &[u8]) -> Result<PdfContent, ImportError> {
    // A PDF parser meets every kind of broken file; should one of them trip a panic inside it,
    // the upload still gets a clear error instead of taking the request down.
    std::panic::catch_unwind(|| read_unguarded(bytes))
        .unwrap_or_else(|_| Err(malformed("the PDF structure could not be parsed")))
}

fn read_unguarded(bytes: &[u8]) -> Result<PdfContent, ImportError> {
    // Readers accept the header anywhere in the first kilobyte.
    if !bytes[..bytes.len().min(1024)].windows(5).any(|w| w == b"%PDF-") {
        return Err(malformed("no %PDF- header (not a PDF file)"));
    }
    let doc = Document::load_mem(bytes).map_err(|e| malformed(e.to_string()))?;
    if doc.is_encrypted() {
        return Err(malformed("the PDF is encrypted"));
    }
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(malformed("the PDF has no pages"));
    }
    let mut lines = Vec::new();
    let mut failures = 0;
    for (&number, &page_id) in &pages {
        match page_lines(&doc, number, page_id) {
            Ok(mut l) => lines.append(&mut l),
            Err(_) => failures += 1,
        }
    }
    if failures == pages.len() {
        return Err(malformed("no page content could be decoded"));
    }
    let first = *pages.values().next().expect("non-empty");
    let page_setup = media_box(&doc, first).map(|(w, h)| {
        // PDFs carry no margins: estimate them from where the text sits.
        let left = lines.iter().filter(|l| l.page == 1).map(|l| l.x).fold(f32::MAX, f32::min);
        let top = lines.iter().filter(|l| l.page == 1).map(|l| l.y + l.size).fold(f32::MIN, f32::max);
        let (left, top) = if left == f32::MAX { (72.0, 72.0) } else { (left.max(0.0), (h - top).max(0.0)) };
        page_setup_from_points(w, h, [top / 72.0, left / 72.0, top / 72.0, left / 72.0])
    });
    Ok(PdfContent { html: lines_to_html(&lines), page_setup })
}

fn media_box(doc: &Document, page_id: lopdf::ObjectId) -> Option<(f32, f32)> {
    let mut dict = doc.get_dictionary(page_id).ok()?;
    // MediaBox is inheritable: walk up the page tree until one is found.
    for _ in 0..32 {
        if let Ok(obj) = dict.get(b"MediaBox") {
            let arr = match obj {
                Object::Reference(id) => doc.get_object(*id).ok()?.as_array().ok()?,
                o => o.as_array().ok()?,
            };
            let n: Vec<f32> = arr.iter().filter_map(number).collect();
            if n.len() == 4 {
                return Some(((n[2] - n[0]).abs(), (n[3] - n[1]).abs()));
            }
            return None;
        }
        let parent = dict.get(b"Parent").ok()?.as_reference().ok()?;
        dict = doc.get_dictionary(parent).ok()?;
    }
    None
}

fn number(o: &Object) -> Option<f32> {
    match o {
        Object::Integer(i) => Some(*i as f32),
        Object::Real(r) => Some(*r),
        _ => None,
    }
}

type Matrix = [f32; 6];
const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `a × b` for PDF's row-vector convention (apply `a` first, then `b`).
fn mul(a: &Matrix, b: &Matrix) -> Matrix {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

fn page_lines(doc: &Document, page: u32, page_id: lopdf::ObjectId) -> Result<Vec<Line>, lopdf::Error> {
    let fonts = doc.get_page_fonts(page_id)?;
    let encodings: BTreeMap<Vec<u8>, Encoding> =
        fonts.into_iter().filter_map(|(name, font)| font.get_font_encoding(doc).ok().map(|e| (name, e))).collect();
    let content = Content::decode(&doc.get_page_content_with_limit(page_id, MAX_PAGE_CONTENT)?)?;

    let mut lines: Vec<Line> = Vec::new();
    let mut ctm = IDENTITY;
    let mut ctm_stack = Vec::new();
    let mut tm = IDENTITY;
    let mut tlm = IDENTITY;
    let mut leading = 0.0f32;
    let mut font_size = 12.0f32;
    let mut encoding: Option<&Encoding> = None;

    let nums = |ops: &[Object]| ops.iter().filter_map(number).collect::<Vec<f32>>();
    for op in &content.operations {
        match op.operator.as_str() {
            "q" => ctm_stack.push(ctm),
            "Q" => ctm = ctm_stack.pop().unwrap_or(IDENTITY),
            "cm" => {
                let n = nums(&op.operands);
                if n.len() == 6 {
                    ctm = mul(&[n[0], n[1], n[2], n[3], n[4], n[5]], &ctm);
                }
            }
            "BT" => {
                tm = IDENTITY;
                tlm = IDENTITY;
            }
            "Tf" => {
                encoding = op.operands.first().and_then(|o| o.as_name().ok()).and_then(|n| encodings.get(n));
                if let Some(s) = op.operands.get(1).and_then(number) {
                    font_size = s;
                }
            }
            "TL" => leading = op.operands.first().and_then(number).unwrap_or(0.0),
            "Td" | "TD" => {
                let n = nums(&op.operands);
                if n.len() == 2 {
                    if op.operator == "TD" {
                        leading = -n[1];
                    }
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, n[0], n[1]], &tlm);
                    tm = tlm;
                }
            }
            "Tm" => {
                let n = nums(&op.operands);
                if n.len() == 6 {
                    tlm = [n[0], n[1], n[2], n[3], n[4], n[5]];
                    tm = tlm;
                }
            }
            "T*" => {
                tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -leading], &tlm);
                tm = tlm;
            }
            "Tj" | "TJ" | "'" | "\"" => {
                if op.operator != "Tj" && op.operator != "TJ" {
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -leading], &tlm);
                    tm = tlm;
                }
                let Some(enc) = encoding else { continue };
                let text = shown_text(enc, op);
                if text.is_empty() {
                    continue;
                }
                let m = mul(&tm, &ctm);
                let scale = (m[2] * m[2] + m[3] * m[3]).sqrt();
                let size = (font_size * scale).abs().max(1.0);
                let (x, y) = (m[4], m[5]);
                let width = font_metrics::text_width(&text, false) * size;
                add_fragment(&mut lines, page, x, y, size, &text, width);
                // Advance along the line so the next string on it starts after this one.
                let advance = width / scale.max(0.001);
                tm = mul(&[1.0, 0.0, 0.0, 1.0, advance, 0.0], &tm);
            }
            _ => {}
        }
    }
    Ok(lines)
}

/// The text a show-text operator paints; large negative kerning in `TJ` reads as a space.
fn shown_text(enc: &Encoding, op: &lopdf::content::Operation) -> String {
    let decode = |o: &Object| match o {
        Object::String(bytes, _) => Document::decode_text(enc, bytes).unwrap_or_default(),
        _ => String::new(),
    };
    match op.operator.as_str() {
        "TJ" => {
            let mut s = String::new();
            if let Some(Object::Array(items)) = op.operands.first() {
                for item in items {
                    match item {
                        Object::String(..) => s.push_str(&decode(item)),
                        other => {
                            if number(other).is_some_and(|n| n < -200.0) && !s.ends_with(' ') {
                                s.push(' ');
                            }
                        }
                    }
                }
            }
            s
        }
        "\"" => op.operands.get(2).map(decode).unwrap_or_default(),
        _ => op.operands.first().map(decode).unwrap_or_default(),
    }
}

fn add_fragment(lines: &mut Vec<Line>, page: u32, x: f32, y: f32, size: f32, text: &str, width: f32) {
    if let Some(last) = lines.last_mut() {
        if last.page == page && (last.y - y).abs() < size.min(last.size) * 0.4 {
            let gap = x - last.end_x;
            // Our width estimate uses Helvetica's metrics for every font, so punctuation right after
            // a word is trusted to belong to it.
            let joins = text.starts_with(['.', ',', ';', ':', '!', '?', ')', ']']);
            if gap > size * 0.12
                && !joins
                && !last.text.ends_with(char::is_whitespace)
                && !text.starts_with(char::is_whitespace)
            {
                last.text.push(' ');
            }
            last.text.push_str(text);
            last.end_x = last.end_x.max(x + width);
            last.size = last.size.max(size);
            return;
        }
    }
    lines.push(Line { page, y, x, size, text: text.to_string(), end_x: x + width });
}

fn is_bullet_line(text: &str) -> Option<(bool, &str)> {
    let t = text.trim_start();
    for b in ["\u{2022}", "\u{25e6}", "\u{25aa}", "\u{25cf}", "\u{25a0}", "- ", "* ", "\u{2013} "] {
        if let Some(rest) = t.strip_prefix(b) {
            return Some((false, rest.trim_start()));
        }
    }
    let digits = t.chars().take_while(|c| c.is_ascii_digit()).count();
    if (1..=3).contains(&digits) {
        let rest = &t[digits..];
        if let Some(rest) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return Some((true, rest.trim_start()));
        }
    }
    None
}

/// Groups lines into paragraphs, headings and lists.
fn lines_to_html(lines: &[Line]) -> String {
    let lines: Vec<Line> = lines
        .iter()
        .filter(|l| !l.text.trim().is_empty())
        .map(|l| Line { text: l.text.split_whitespace().collect::<Vec<_>>().join(" "), ..l.clone() })
        .collect();
    if lines.is_empty() {
        return String::new();
    }
    let body = body_size(&lines);
    let mut heading_sizes: Vec<f32> = lines.iter().filter(|l| l.size > body * 1.15).map(|l| l.size).collect();
    heading_sizes.sort_by(|a, b| b.total_cmp(a));
    heading_sizes.dedup_by(|a, b| (*a - *b).abs() < 0.5);
    let heading_level = |size: f32| -> Option<usize> {
        (size > body * 1.15).then(|| heading_sizes.iter().position(|s| (s - size).abs() < 0.5).unwrap_or(0).min(5) + 1)
    };

    enum Group {
        Heading(usize, String),
        Para(String),
        Item(bool, String),
    }
    let mut groups: Vec<Group> = Vec::new();
    let mut prev: Option<&Line> = None;
    for line in &lines {
        let gap_break = match prev {
            None => true,
            Some(p) if p.page != line.page => {
                // A paragraph may run on to the next page; a finished sentence ends it.
                p.text.ends_with(['.', '!', '?', ':']) || (p.size - line.size).abs() > 0.5
            }
            Some(p) => {
                let gap = p.y - line.y;
                gap > line.size.max(p.size) * 1.6 || gap < 0.0 || (p.size - line.size).abs() > 0.5
            }
        };
        prev = Some(line);
        if let Some(level) = heading_level(line.size) {
            match groups.last_mut() {
                Some(Group::Heading(l, text)) if *l == level && !gap_break => {
                    text.push(' ');
                    text.push_str(&line.text);
                }
                _ => groups.push(Group::Heading(level, line.text.clone())),
            }
            continue;
        }
        if let Some((ordered, rest)) = is_bullet_line(&line.text) {
            groups.push(Group::Item(ordered, rest.to_string()));
            continue;
        }
        match groups.last_mut() {
            Some(Group::Para(text)) | Some(Group::Item(_, text)) if !gap_break => {
                if text.ends_with('-') && !text.ends_with(" -") {
                    text.pop(); // a word hyphenated across lines
                } else {
                    text.push(' ');
                }
                text.push_str(&line.text);
            }
            _ => groups.push(Group::Para(line.text.clone())),
        }
    }

    let mut html = String::new();
    let mut open_list: Option<&str> = None;
    for g in &groups {
        let list_tag = match g {
            Group::Item(true, _) => Some("ol"),
            Group::Item(false, _) => Some("ul"),
            _ => None,
        };
        if open_list.is_some() && open_list != list_tag {
            html.push_str(&format!("</{}>", open_list.take().unwrap()));
        }
        match g {
            Group::Heading(level, text) => html.push_str(&format!("<h{level}>{}</h{level}>", escape_text(text))),
            Group::Para(text) => html.push_str(&format!("<p>{}</p>", escape_text(text))),
            Group::Item(_, text) => {
                if open_list.is_none() {
                    open_list = list_tag;
                    html.push_str(&format!("<{}>", list_tag.unwrap()));
                }
                html.push_str(&format!("<li>{}</li>", escape_text(text)));
            }
        }
    }
    if let Some(tag) = open_list {
        html.push_str(&format!("</{tag}>"));
    }
    html
}

/// The most common text size, weighted by characters: the body text.
fn body_size(lines: &[Line]) -> f32 {
    let mut counts: Vec<(f32, usize)> = Vec::new();
    for l in lines {
        let n = l.text.chars().count();
        match counts.iter_mut().find(|(s, _)| (s - l.size).abs() < 0.5) {
            Some((_, c)) => *c += n,
            None => counts.push((l.size, n)),
        }
    }
    counts.into_iter().max_by_key(|(_, c)| *c).map(|(s, _)| s).unwrap_or(12.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(page: u32, y: f32, size: f32, text: &str) -> Line {
        Line { page, y, x: 72.0, size, text: text.into(), end_x: 300.0 }
    }

    #[test]
    fn lines_group_into_headings_paragraphs_and_lists() {
        let lines = vec![
            line(1, 700.0, 20.0, "Big Title"),
            line(1, 670.0, 11.0, "First paragraph line one"),
            line(1, 656.0, 11.0, "continues here."),
            line(1, 620.0, 11.0, "Second paragraph."),
            line(1, 600.0, 11.0, "\u{2022} apples"),
            line(1, 586.0, 11.0, "\u{2022} pears"),
            line(1, 550.0, 14.0, "Sub heading"),
        ];
        let html = lines_to_html(&lines);
        assert_eq!(
            html,
            "<h1>Big Title</h1><p>First paragraph line one continues here.</p><p>Second paragraph.</p>\
             <ul><li>apples</li><li>pears</li></ul><h2>Sub heading</h2>"
        );
    }

    #[test]
    fn garbage_is_malformed() {
        assert!(matches!(read(b"hello, not a pdf"), Err(ImportError::Malformed { format: "pdf", .. })));
        assert!(matches!(read(b"%PDF-1.7\n garbage garbage"), Err(ImportError::Malformed { format: "pdf", .. })));
    }
}
