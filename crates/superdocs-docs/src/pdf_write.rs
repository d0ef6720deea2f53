//! The document model as a PDF (written with lopdf): text set in the standard Helvetica and Courier
//! fonts (built into every reader, so nothing is embedded or loaded), wrapped to the text width with
//! the fonts' real advance widths, broken across pages, headings larger and kept with what follows,
//! lists with markers, tables with ruled cells, and an optional diagonal watermark on every page.
use lopdf::content::{Content, Operation};
use lopdf::{dictionary, Document, Object, Stream, StringFormat};

use crate::export::PageLayout;
use crate::font_metrics::{char_width, text_width, win_ansi};
use crate::model::{DocBlock, List, Span};

const BODY_SIZE: f32 = 11.0;
const TABLE_SIZE: f32 = 10.0;
const CODE_SIZE: f32 = 9.5;
const LEADING: f32 = 1.3;
const PARAGRAPH_GAP: f32 = 7.0;
const LIST_INDENT: f32 = 18.0;
const CELL_PAD: f32 = 4.0;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Font {
    Regular,
    Bold,
    Italic,
    BoldItalic,
    Mono,
}

impl Font {
    fn resource(self) -> &'static str {
        match self {
            Font::Regular => "F1",
            Font::Bold => "F2",
            Font::Italic => "F3",
            Font::BoldItalic => "F4",
            Font::Mono => "F5",
        }
    }

    fn base_font(self) -> &'static str {
        match self {
            Font::Regular => "Helvetica",
            Font::Bold => "Helvetica-Bold",
            Font::Italic => "Helvetica-Oblique",
            Font::BoldItalic => "Helvetica-BoldOblique",
            Font::Mono => "Courier",
        }
    }

    fn of(span: &Span, bold: bool, italic: bool) -> Font {
        if span.code {
            return Font::Mono;
        }
        match (span.bold || bold, span.italic || italic) {
            (false, false) => Font::Regular,
            (true, false) => Font::Bold,
            (false, true) => Font::Italic,
            (true, true) => Font::BoldItalic,
        }
    }

    /// Advance width of `s` at `size` points.
    fn width(self, s: &str, size: f32) -> f32 {
        match self {
            Font::Mono => s.chars().count() as f32 * 0.6 * size,
            Font::Bold | Font::BoldItalic => text_width(s, true) * size,
            _ => text_width(s, false) * size,
        }
    }

    fn char_width(self, c: char, size: f32) -> f32 {
        match self {
            Font::Mono => 0.6 * size,
            Font::Bold | Font::BoldItalic => char_width(c, true) * size,
            _ => char_width(c, false) * size,
        }
    }
}

/// One piece of text at a position relative to its line's start.
#[derive(Debug, Clone)]
struct Piece {
    x: f32,
    font: Font,
    size: f32,
    text: String,
    /// The target when the text is a link.
    link: Option<String>,
}

/// A laid-out line: pieces plus its height.
#[derive(Debug, Clone, Default)]
struct LineBox {
    pieces: Vec<Piece>,
    height: f32,
}

/// Greedy word wrap of styled spans into lines no wider than `width`.
fn wrap(spans: &[Span], width: f32, size: f32, bold: bool, italic: bool) -> Vec<LineBox> {
    let mut lines = vec![LineBox { pieces: Vec::new(), height: size * LEADING }];
    let mut x = 0.0f32;
    // Words keep their style; a space between words belongs to the word before it.
    for span in spans {
        let font = Font::of(span, bold, italic);
        let link = span.link.as_deref();
        for (li, segment) in span.text.split('\n').enumerate() {
            if li > 0 {
                lines.push(LineBox { pieces: Vec::new(), height: size * LEADING });
                x = 0.0;
            }
            let mut rest = segment;
            while !rest.is_empty() {
                // Next token: a word with its trailing spaces, or leading spaces alone.
                let word_end = rest.find(' ').map(|i| i + rest[i..].len() - rest[i..].trim_start_matches(' ').len());
                let (token, next) = match word_end {
                    Some(end) if end > 0 => rest.split_at(end),
                    _ => (rest, ""),
                };
                rest = next;
                let word = token.trim_end_matches(' ');
                let word_w = font.width(word, size);
                if x > 0.0 && x + word_w > width {
                    lines.push(LineBox { pieces: Vec::new(), height: size * LEADING });
                    x = 0.0;
                    if word.is_empty() {
                        continue; // spaces at a line break vanish
                    }
                }
                if x == 0.0 && word_w > width {
                    // A word wider than the line is split by characters.
                    let mut chunk = String::new();
                    let mut w = 0.0;
                    for c in word.chars() {
                        let cw = font.char_width(c, size);
                        if w + cw > width && !chunk.is_empty() {
                            push_piece(lines.last_mut().unwrap(), 0.0, font, size, &chunk, link);
                            lines.push(LineBox { pieces: Vec::new(), height: size * LEADING });
                            chunk.clear();
                            w = 0.0;
                        }
                        chunk.push(c);
                        w += cw;
                    }
                    push_piece(lines.last_mut().unwrap(), 0.0, font, size, &chunk, link);
                    x = w + font.width(&token[word.len()..], size);
                    continue;
                }
                push_piece(lines.last_mut().unwrap(), x, font, size, token, link);
                x += font.width(token, size);
            }
        }
    }
    for l in &mut lines {
        if let Some(last) = l.pieces.last_mut() {
            let trimmed = last.text.trim_end().len();
            last.text.truncate(trimmed);
        }
    }
    lines
}

/// Appends text to a line, merging with the previous piece when the style matches.
fn push_piece(line: &mut LineBox, x: f32, font: Font, size: f32, text: &str, link: Option<&str>) {
    if text.is_empty() {
        return;
    }
    if let Some(last) = line.pieces.last_mut() {
        if last.font == font && last.size == size && last.link.as_deref() == link {
            last.text.push_str(text);
            return;
        }
    }
    line.pieces.push(Piece { x, font, size, text: text.to_string(), link: link.map(str::to_string) });
}

/// Draws pages: a cursor moving down, new pages when the bottom margin is reached.
struct Pages {
    layout: PageLayout,
    pages: Vec<Vec<Operation>>,
    /// Per page, the clickable areas of links: (x1, y1, x2, y2) in PDF space, and the target.
    links: Vec<Vec<([f32; 4], String)>>,
    /// Distance of the cursor below the top of the page.
    y: f32,
}

impl Pages {
    fn new(layout: PageLayout) -> Self {
        Self { layout, pages: vec![Vec::new()], links: vec![Vec::new()], y: layout.margins[0] }
    }

    fn bottom(&self) -> f32 {
        self.layout.height - self.layout.margins[2]
    }

    fn at_page_top(&self) -> bool {
        self.y <= self.layout.margins[0] + 0.01
    }

    /// Makes room for `h` points, starting a new page when they do not fit.
    fn ensure(&mut self, h: f32) {
        if self.y + h > self.bottom() && !self.at_page_top() {
            self.new_page();
        }
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.links.push(Vec::new());
        self.y = self.layout.margins[0];
    }

    fn gap(&mut self, h: f32) {
        if !self.at_page_top() {
            self.y += h;
        }
    }

    fn ops(&mut self) -> &mut Vec<Operation> {
        self.pages.last_mut().expect("a page")
    }

    /// Draws lines at `indent` from the left margin, breaking pages between lines.
    fn lines(&mut self, lines: &[LineBox], indent: f32) {
        for line in lines {
            self.ensure(line.height);
            let size = line.pieces.iter().map(|p| p.size).fold(0.0, f32::max);
            let baseline = self.y + line.height - (line.height - size) / 2.0 - size * 0.2;
            for p in &line.pieces {
                self.text(self.layout.margins[3] + indent + p.x, baseline, p);
            }
            self.y += line.height;
        }
    }

    /// Text with its baseline `top_y` points below the top of the page.
    fn text(&mut self, x: f32, top_y: f32, p: &Piece) {
        let y = self.layout.height - top_y;
        if let Some(url) = &p.link {
            let rect = [x, y - p.size * 0.25, x + p.font.width(&p.text, p.size), y + p.size * 0.85];
            self.links.last_mut().expect("a page").push((rect, url.clone()));
        }
        let color = if p.link.is_some() {
            vec![0.02.into(), 0.34.into(), 0.82.into()]
        } else {
            vec![0.1.into(), 0.1.into(), 0.1.into()]
        };
        let ops = self.ops();
        ops.push(Operation::new("rg", color));
        ops.push(Operation::new("BT", vec![]));
        ops.push(Operation::new("Tf", vec![Object::Name(p.font.resource().into()), p.size.into()]));
        ops.push(Operation::new("Td", vec![x.into(), y.into()]));
        ops.push(Operation::new("Tj", vec![Object::String(win_ansi(&p.text), StringFormat::Literal)]));
        ops.push(Operation::new("ET", vec![]));
    }

    /// A stroked line between two points given from the top-left of the page.
    fn rule(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, gray: f32) {
        let h = self.layout.height;
        let ops = self.ops();
        ops.push(Operation::new("G", vec![gray.into()]));
        ops.push(Operation::new("w", vec![0.6.into()]));
        ops.push(Operation::new("m", vec![x1.into(), (h - y1).into()]));
        ops.push(Operation::new("l", vec![x2.into(), (h - y2).into()]));
        ops.push(Operation::new("S", vec![]));
    }
}

pub(crate) fn render(
    blocks: &[DocBlock],
    title: &str,
    layout: &PageLayout,
    watermark: Option<(&str, f32)>,
) -> Result<Vec<u8>, String> {
    let mut pages = Pages::new(*layout);
    let width = layout.content_width();
    for (i, block) in blocks.iter().enumerate() {
        match block {
            DocBlock::Heading { level, spans } => {
                let size = match level {
                    1 => 22.0,
                    2 => 17.0,
                    3 => 14.0,
                    4 => 12.5,
                    _ => 11.5,
                };
                let lines = wrap(spans, width, size, true, false);
                pages.gap(size * 0.6);
                // Keep a heading with the first lines of what follows it.
                let h: f32 = lines.iter().map(|l| l.height).sum();
                let follow = if i + 1 < blocks.len() { BODY_SIZE * LEADING * 2.0 } else { 0.0 };
                pages.ensure(h + follow);
                pages.lines(&lines, 0.0);
                pages.y += size * 0.3;
            }
            DocBlock::Paragraph { spans } => {
                pages.lines(&wrap(spans, width, BODY_SIZE, false, false), 0.0);
                pages.y += PARAGRAPH_GAP;
            }
            DocBlock::List(list) => {
                draw_list(&mut pages, list, 0.0, width);
                pages.y += PARAGRAPH_GAP - 2.0;
            }
            DocBlock::Table { rows, header } => {
                draw_table(&mut pages, rows, *header, width);
                pages.y += PARAGRAPH_GAP + 3.0;
            }
            DocBlock::Quote { paragraphs } => {
                for p in paragraphs {
                    let lines = wrap(p, width - 24.0, BODY_SIZE, false, true);
                    pages.ensure(BODY_SIZE * LEADING);
                    let top = pages.y;
                    pages.lines(&lines, 18.0);
                    if pages.y > top {
                        let x = layout.margins[3] + 6.0;
                        pages.rule(x, top, x, pages.y, 0.7);
                    }
                    pages.y += PARAGRAPH_GAP;
                }
            }
            DocBlock::Code { text } => {
                let spans: Vec<Span> = vec![Span { text: text.clone(), code: true, ..Default::default() }];
                let lines = wrap_code(&spans[0].text, width - 8.0);
                pages.lines(&lines, 8.0);
                pages.y += PARAGRAPH_GAP;
            }
            DocBlock::Rule => {
                pages.ensure(12.0);
                let y = pages.y + 6.0;
                pages.rule(layout.margins[3], y, layout.width - layout.margins[1], y, 0.75);
                pages.y += 12.0 + PARAGRAPH_GAP;
            }
            DocBlock::Image { alt } => {
                let spans = [Span { text: format!("[image: {alt}]"), italic: true, ..Default::default() }];
                pages.lines(&wrap(&spans, width, BODY_SIZE, false, false), 0.0);
                pages.y += PARAGRAPH_GAP;
            }
        }
    }
    if let Some((text, _)) = watermark {
        for ops in &mut pages.pages {
            draw_watermark(ops, layout, text);
        }
    }
    let opacity = watermark.map(|(_, o)| o).unwrap_or(1.0);
    write_document(pages.pages, pages.links, title, layout, opacity)
}

/// Code keeps its line breaks and spaces; long lines wrap by characters.
fn wrap_code(text: &str, width: f32) -> Vec<LineBox> {
    let per_line = ((width / (0.6 * CODE_SIZE)).floor() as usize).max(1);
    let mut lines = Vec::new();
    for raw in text.split('\n') {
        let chars: Vec<char> = raw.replace('\t', "    ").chars().collect();
        let chunks: Vec<String> = if chars.is_empty() {
            vec![String::new()]
        } else {
            chars.chunks(per_line).map(|c| c.iter().collect()).collect()
        };
        for chunk in chunks {
            let mut line = LineBox { pieces: Vec::new(), height: CODE_SIZE * LEADING };
            push_piece(&mut line, 0.0, Font::Mono, CODE_SIZE, &chunk, None);
            lines.push(line);
        }
    }
    lines
}

fn draw_list(pages: &mut Pages, list: &List, indent: f32, width: f32) {
    for (n, item) in list.items.iter().enumerate() {
        let marker = if list.ordered { format!("{}.", n + 1) } else { "\u{2022}".to_string() };
        let lines = wrap(&item.spans, width - indent - LIST_INDENT, BODY_SIZE, false, false);
        if let Some(first) = lines.first() {
            pages.ensure(first.height);
            let mut marker_line = LineBox { pieces: Vec::new(), height: 0.0 };
            push_piece(&mut marker_line, 0.0, Font::Regular, BODY_SIZE, &marker, None);
            let baseline = pages.y + first.height - (first.height - BODY_SIZE) / 2.0 - BODY_SIZE * 0.2;
            let x = pages.layout.margins[3] + indent + 4.0;
            pages.text(x, baseline, &marker_line.pieces[0]);
        }
        pages.lines(&lines, indent + LIST_INDENT);
        pages.y += 2.0;
        for child in &item.children {
            draw_list(pages, child, indent + LIST_INDENT, width);
        }
    }
}

/// Tables: equal columns, ruled cells, rows kept whole on a page when they fit. A row taller than
/// a page is cut between its text lines; a header row is repeated at the top of each new page.
fn draw_table(pages: &mut Pages, rows: &[Vec<Vec<Span>>], header: bool, width: f32) {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let col_w = width / cols as f32;
    let laid_out: Vec<Vec<Vec<LineBox>>> = rows
        .iter()
        .enumerate()
        .map(|(r, row)| {
            (0..cols)
                .map(|c| {
                    let spans = row.get(c).map(Vec::as_slice).unwrap_or(&[]);
                    wrap(spans, col_w - 2.0 * CELL_PAD, TABLE_SIZE, header && r == 0, false)
                })
                .collect()
        })
        .collect();
    let page_height = pages.layout.height - pages.layout.margins[0] - pages.layout.margins[2];
    for (r, cells) in laid_out.iter().enumerate() {
        let row_h = row_height(cells);
        let page_before = pages.pages.len();
        if row_h <= page_height {
            pages.ensure(row_h);
            if header && r > 0 && pages.pages.len() > page_before {
                draw_row(pages, &laid_out[0], col_w, width);
            }
            draw_row(pages, cells, col_w, width);
        } else {
            draw_tall_row(pages, cells, col_w, width);
        }
    }
}

fn row_height(cells: &[Vec<LineBox>]) -> f32 {
    cells.iter().map(|ls| ls.iter().map(|l| l.height).sum::<f32>()).fold(0.0, f32::max) + 2.0 * CELL_PAD
}

/// Draws one row at the cursor (the caller has made room for it) and moves below it.
fn draw_row(pages: &mut Pages, cells: &[Vec<LineBox>], col_w: f32, width: f32) {
    let top = pages.y;
    for (c, lines) in cells.iter().enumerate() {
        let mut y = top + CELL_PAD;
        for line in lines {
            draw_cell_line(pages, line, c, col_w, y);
            y += line.height;
        }
    }
    let bottom = top + row_height(cells);
    draw_cell_borders(pages, cells.len(), col_w, width, top, bottom);
    pages.y = bottom;
}

/// A row taller than a page: its lines are laid out slot by slot, the row cut where a page ends.
fn draw_tall_row(pages: &mut Pages, cells: &[Vec<LineBox>], col_w: f32, width: f32) {
    let slots = cells.iter().map(Vec::len).max().unwrap_or(0);
    let slot_h = TABLE_SIZE * LEADING;
    pages.ensure(slot_h + 2.0 * CELL_PAD);
    let mut top = pages.y;
    pages.y += CELL_PAD;
    for k in 0..slots {
        if pages.y + slot_h + CELL_PAD > pages.bottom() {
            draw_cell_borders(pages, cells.len(), col_w, width, top, pages.y + CELL_PAD);
            pages.new_page();
            top = pages.y;
            pages.y += CELL_PAD;
        }
        for (c, lines) in cells.iter().enumerate() {
            if let Some(line) = lines.get(k) {
                draw_cell_line(pages, line, c, col_w, pages.y);
            }
        }
        pages.y += slot_h;
    }
    pages.y += CELL_PAD;
    draw_cell_borders(pages, cells.len(), col_w, width, top, pages.y);
}

fn draw_cell_line(pages: &mut Pages, line: &LineBox, column: usize, col_w: f32, top: f32) {
    let left = pages.layout.margins[3];
    let baseline = top + line.height - (line.height - TABLE_SIZE) / 2.0 - TABLE_SIZE * 0.2;
    for p in &line.pieces {
        pages.text(left + column as f32 * col_w + CELL_PAD + p.x, baseline, p);
    }
}

/// The top and bottom edges of a row and every vertical between its cells.
fn draw_cell_borders(pages: &mut Pages, cols: usize, col_w: f32, width: f32, top: f32, bottom: f32) {
    let left = pages.layout.margins[3];
    pages.rule(left, top, left + width, top, 0.6);
    pages.rule(left, bottom, left + width, bottom, 0.6);
    for c in 0..=cols {
        let x = left + c as f32 * col_w;
        pages.rule(x, top, x, bottom, 0.6);
    }
}

/// The watermark is drawn last, over the text, see-through by the `GSWatermark` graphics state.
fn draw_watermark(ops: &mut Vec<Operation>, layout: &PageLayout, text: &str) {
    let angle = (layout.height).atan2(layout.width);
    let diagonal = (layout.width.powi(2) + layout.height.powi(2)).sqrt();
    let em = text_width(text, true).max(0.5);
    let size = (diagonal * 0.6 / em).min(110.0);
    let w = em * size;
    let (cos, sin) = (angle.cos(), angle.sin());
    // Centre the text on the page: start half its width back along the diagonal, and drop the
    // baseline by a third of the size so the letters straddle the centre line.
    let (cx, cy) = (layout.width / 2.0, layout.height / 2.0);
    let x = cx - (w / 2.0) * cos + (size / 3.0) * sin;
    let y = cy - (w / 2.0) * sin - (size / 3.0) * cos;
    ops.push(Operation::new("q", vec![]));
    ops.push(Operation::new("gs", vec![Object::Name(b"GSWatermark".to_vec())]));
    ops.push(Operation::new("rg", vec![0.55.into(), 0.55.into(), 0.55.into()]));
    ops.push(Operation::new("BT", vec![]));
    ops.push(Operation::new("Tf", vec![Object::Name(Font::Bold.resource().into()), size.into()]));
    ops.push(Operation::new("Tm", vec![cos.into(), sin.into(), (-sin).into(), cos.into(), x.into(), y.into()]));
    ops.push(Operation::new("Tj", vec![Object::String(win_ansi(text), StringFormat::Literal)]));
    ops.push(Operation::new("ET", vec![]));
    ops.push(Operation::new("Q", vec![]));
}

/// A PDF text string: ASCII as is, anything else UTF-16BE with a byte-order mark.
fn text_string(s: &str) -> Object {
    if s.is_ascii() {
        Object::String(s.as_bytes().to_vec(), StringFormat::Literal)
    } else {
        let mut bytes = vec![0xfe, 0xff];
        for u in s.encode_utf16() {
            bytes.extend_from_slice(&u.to_be_bytes());
        }
        Object::String(bytes, StringFormat::Hexadecimal)
    }
}

fn write_document(
    pages: Vec<Vec<Operation>>,
    links: Vec<Vec<([f32; 4], String)>>,
    title: &str,
    layout: &PageLayout,
    watermark_opacity: f32,
) -> Result<Vec<u8>, String> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let mut fonts = lopdf::Dictionary::new();
    for font in [Font::Regular, Font::Bold, Font::Italic, Font::BoldItalic, Font::Mono] {
        let id = doc.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "Type1",
            "BaseFont" => font.base_font(),
            "Encoding" => "WinAnsiEncoding",
        });
        fonts.set(font.resource(), id);
    }
    let resources_id = doc.add_object(dictionary! {
        "Font" => fonts,
        "ExtGState" => dictionary! {
            "GSWatermark" => dictionary! { "Type" => "ExtGState", "ca" => watermark_opacity, "CA" => watermark_opacity },
        },
    });
    let media_box: Vec<Object> = vec![0.into(), 0.into(), layout.width.into(), layout.height.into()];
    let mut kids = Vec::new();
    for (ops, page_links) in pages.into_iter().zip(links) {
        let content = Content { operations: ops };
        let stream = Stream::new(dictionary! {}, content.encode().map_err(|e| e.to_string())?);
        let content_id = doc.add_object(stream);
        let mut page = dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "MediaBox" => media_box.clone(),
            "Contents" => content_id,
            "Resources" => resources_id,
        };
        if !page_links.is_empty() {
            let annots: Vec<Object> = page_links
                .into_iter()
                .map(|(r, url)| {
                    Object::Dictionary(dictionary! {
                        "Type" => "Annot",
                        "Subtype" => "Link",
                        "Rect" => r.iter().map(|v| Object::Real(*v)).collect::<Vec<_>>(),
                        "Border" => vec![0.into(), 0.into(), 0.into()],
                        "A" => dictionary! { "S" => "URI", "URI" => Object::String(url.into_bytes(), StringFormat::Literal) },
                    })
                })
                .collect();
            page.set("Annots", annots);
        }
        let page_id = doc.add_object(page);
        kids.push(Object::Reference(page_id));
    }
    let count = kids.len() as i64;
    doc.objects
        .insert(pages_id, Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }));
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    let info_id = doc.add_object(dictionary! {
        "Title" => text_string(if title.trim().is_empty() { "Document" } else { title.trim() }),
        "Producer" => text_string("SuperDocs simulator"),
    });
    doc.trailer.set("Root", catalog_id);
    doc.trailer.set("Info", info_id);
    doc.compress();
    let mut out = Vec::new();
    doc.save_to(&mut out).map_err(|e| e.to_string())?;
    Ok(out)
}
