//! The document model as a .docx (via docx-rs): Word's built-in heading styles (so the navigation
//! pane and our own reader see headings), real numbering for lists, tables with a header row,
//! and the page size, orientation and margins in the section properties.
use docx_rs::{
    AbstractNumbering, AlignmentType, BreakType, Docx, Hyperlink, HyperlinkType, IndentLevel, Level, LevelJc,
    LevelOverride, LevelText, LineSpacing, NumberFormat, Numbering, NumberingId, PageMargin, PageOrientationType,
    Paragraph, Run, RunFonts, SpecialIndentType, Start, Style, StyleType, Table, TableCell, TableRow, WidthType,
};

use crate::chunks::escape_text;
use crate::export::PageLayout;
use crate::model::{DocBlock, List, Span};

// docx-rs already defines abstract numbering 1 and numbering 1 (a decimal list); ours start above.
const BULLET_ABSTRACT: usize = 10;
const DECIMAL_ABSTRACT: usize = 11;
const BULLET_NUM: usize = 10;
const MONO: &str = "Courier New";

fn twips(points: f32) -> i32 {
    (points * 20.0).round() as i32
}

pub(crate) fn render(blocks: &[DocBlock], title: &str, page: &PageLayout) -> Result<Vec<u8>, String> {
    let mut docx = Docx::new()
        .page_size(twips(page.width) as u32, twips(page.height) as u32)
        .page_orient(if page.landscape { PageOrientationType::Landscape } else { PageOrientationType::Portrait })
        .page_margin(
            PageMargin::new()
                .top(twips(page.margins[0]))
                .right(twips(page.margins[1]))
                .bottom(twips(page.margins[2]))
                .left(twips(page.margins[3]))
                .header(720)
                .footer(720),
        )
        .default_size(22)
        .default_fonts(RunFonts::new().ascii("Calibri").hi_ansi("Calibri").cs("Calibri"))
        .default_line_spacing(LineSpacing::new().after(160).line(264));
    docx = add_styles(docx);
    docx = docx
        .add_abstract_numbering(list_levels(AbstractNumbering::new(BULLET_ABSTRACT), false))
        .add_abstract_numbering(list_levels(AbstractNumbering::new(DECIMAL_ABSTRACT), true))
        .add_numbering(Numbering::new(BULLET_NUM, BULLET_ABSTRACT));

    let mut writer = Writer { docx, next_num: BULLET_NUM + 1, content_width: twips(page.content_width()) };
    for block in blocks {
        writer.block(block);
    }
    let mut out = std::io::Cursor::new(Vec::new());
    writer.docx.build().pack(&mut out).map_err(|e| e.to_string())?;
    with_core_properties(&out.into_inner(), title.trim()).map_err(|e| e.to_string())
}

/// Repacks the archive docx-rs wrote: it stores every part uncompressed (a document.xml is
/// several times the size of its text) and has no public setter for the core properties, so the
/// parts are deflated here and the title (and a creator other than "unknown") written into
/// `docProps/core.xml`.
fn with_core_properties(docx: &[u8], title: &str) -> zip::result::ZipResult<Vec<u8>> {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(docx))?;
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for i in 0..archive.len() {
        let mut file = archive.by_index(i)?;
        if file.is_dir() {
            continue;
        }
        let name = file.name().to_string();
        let mut data = Vec::new();
        file.read_to_end(&mut data)?;
        if name == "docProps/core.xml" {
            let xml = String::from_utf8_lossy(&data)
                .replace("<dc:creator>unknown</dc:creator>", "<dc:creator>SuperDocs</dc:creator>");
            let xml = if title.is_empty() {
                xml
            } else {
                xml.replace(
                    "</cp:coreProperties>",
                    &format!("<dc:title>{}</dc:title></cp:coreProperties>", escape_text(title)),
                )
            };
            data = xml.into_bytes();
        }
        out.start_file(name, options)?;
        out.write_all(&data)?;
    }
    Ok(out.finish()?.into_inner())
}

fn add_styles(mut docx: Docx) -> Docx {
    // (level, size in half-points)
    for (level, size) in [(1, 36), (2, 30), (3, 26), (4, 24), (5, 22), (6, 22)] {
        docx = docx.add_style(
            Style::new(format!("Heading{level}"), StyleType::Paragraph)
                .name(format!("heading {level}"))
                .based_on("Normal")
                .next("Normal")
                .q_format(true)
                .size(size)
                .bold()
                .color("1F3864")
                .outline_lvl(level - 1)
                .line_spacing(LineSpacing::new().before(if level <= 2 { 360 } else { 240 }).after(120)),
        );
    }
    docx.add_style(
        Style::new("Quote", StyleType::Paragraph).name("Quote").based_on("Normal").italic().color("555555").indent(
            Some(720),
            None,
            Some(720),
            None,
        ),
    )
}

fn list_levels(mut abs: AbstractNumbering, ordered: bool) -> AbstractNumbering {
    for lvl in 0..9usize {
        let (format, text) = if ordered {
            let fmt = ["decimal", "lowerLetter", "lowerRoman"][lvl % 3];
            (fmt, format!("%{}.", lvl + 1))
        } else {
            ("bullet", ["\u{2022}", "\u{25e6}", "\u{25aa}"][lvl % 3].to_string())
        };
        abs = abs.add_level(
            Level::new(lvl, Start::new(1), NumberFormat::new(format), LevelText::new(text), LevelJc::new("left"))
                .indent(Some(720 * (lvl as i32 + 1)), Some(SpecialIndentType::Hanging(360)), None, None),
        );
    }
    abs
}

struct Writer {
    docx: Docx,
    next_num: usize,
    content_width: i32,
}

impl Writer {
    fn block(&mut self, block: &DocBlock) {
        let docx = std::mem::take(&mut self.docx);
        self.docx = match block {
            DocBlock::Heading { level, spans } => {
                docx.add_paragraph(runs(Paragraph::new().style(&format!("Heading{level}")), spans, false))
            }
            DocBlock::Paragraph { spans } => docx.add_paragraph(runs(Paragraph::new(), spans, false)),
            DocBlock::List(list) => {
                self.docx = docx;
                self.list(list, 0);
                return;
            }
            // The empty paragraph after a table keeps two tables in a row from merging into one.
            DocBlock::Table { rows, header } => {
                docx.add_table(self.table(rows, *header)).add_paragraph(Paragraph::new())
            }
            DocBlock::Quote { paragraphs } => {
                paragraphs.iter().fold(docx, |d, p| d.add_paragraph(runs(Paragraph::new().style("Quote"), p, false)))
            }
            DocBlock::Code { text } => {
                let mut run = Run::new().fonts(RunFonts::new().ascii(MONO).hi_ansi(MONO)).size(19);
                for (i, line) in text.split('\n').enumerate() {
                    if i > 0 {
                        run = run.add_break(BreakType::TextWrapping);
                    }
                    run = run.add_text(line);
                }
                docx.add_paragraph(Paragraph::new().add_run(run))
            }
            DocBlock::Rule => docx.add_paragraph(
                Paragraph::new().align(AlignmentType::Center).add_run(Run::new().add_text("*  *  *").color("888888")),
            ),
            DocBlock::Image { alt } => {
                docx.add_paragraph(Paragraph::new().add_run(Run::new().add_text(format!("[image: {alt}]")).italic()))
            }
        };
    }

    fn list(&mut self, list: &List, depth: usize) {
        let num = if list.ordered {
            // Each ordered list restarts at 1: a numbering instance of its own.
            let id = self.next_num;
            self.next_num += 1;
            let docx = std::mem::take(&mut self.docx);
            self.docx = docx
                .add_numbering(Numbering::new(id, DECIMAL_ABSTRACT).add_override(LevelOverride::new(depth).start(1)));
            id
        } else {
            BULLET_NUM
        };
        for item in &list.items {
            let p = Paragraph::new().numbering(NumberingId::new(num), IndentLevel::new(depth.min(8)));
            let docx = std::mem::take(&mut self.docx);
            self.docx = docx.add_paragraph(runs(p, &item.spans, false));
            for child in &item.children {
                self.list(child, depth + 1);
            }
        }
    }

    fn table(&self, rows: &[Vec<Vec<Span>>], header: bool) -> Table {
        let cols = rows.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let col_width = (self.content_width.max(1440) as usize) / cols;
        let table_rows = rows
            .iter()
            .enumerate()
            .map(|(r, row)| {
                let bold = header && r == 0;
                let cells = (0..cols)
                    .map(|c| {
                        let spans = row.get(c).map(Vec::as_slice).unwrap_or(&[]);
                        TableCell::new().width(col_width, WidthType::Dxa).add_paragraph(runs(
                            Paragraph::new(),
                            spans,
                            bold,
                        ))
                    })
                    .collect();
                TableRow::new(cells)
            })
            .collect();
        Table::new(table_rows).set_grid(vec![col_width; cols]).width(col_width * cols, WidthType::Dxa)
    }
}

/// Adds the spans of one paragraph as runs (links as hyperlinks, `\n` as line breaks).
fn runs(mut p: Paragraph, spans: &[Span], force_bold: bool) -> Paragraph {
    for s in spans {
        let mut run = Run::new();
        for (i, line) in s.text.split('\n').enumerate() {
            if i > 0 {
                run = run.add_break(BreakType::TextWrapping);
            }
            if !line.is_empty() {
                run = run.add_text(line);
            }
        }
        if s.bold || force_bold {
            run = run.bold();
        }
        if s.italic {
            run = run.italic();
        }
        if s.code {
            run = run.fonts(RunFonts::new().ascii(MONO).hi_ansi(MONO));
        }
        p = match &s.link {
            Some(href) if href.starts_with('#') => {
                p.add_hyperlink(Hyperlink::new(&href[1..], HyperlinkType::Anchor).add_run(run))
            }
            Some(href) => p.add_hyperlink(
                Hyperlink::new(href, HyperlinkType::External).add_run(run.color("0563C1").underline("single")),
            ),
            None => p.add_run(run),
        };
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::ExportOptions;
    use std::io::Read;

    #[test]
    fn the_title_is_in_the_core_properties() {
        let layout = ExportOptions::default().page_layout().unwrap();
        let bytes = render(&crate::model::read("<p>x</p>"), "Q3 & <more>", &layout).unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut core = String::new();
        zip.by_name("docProps/core.xml").unwrap().read_to_string(&mut core).unwrap();
        assert!(core.contains("<dc:title>Q3 &amp; &lt;more&gt;</dc:title>"), "{core}");
        let document = zip.by_name("word/document.xml").unwrap();
        assert_eq!(document.compression(), zip::CompressionMethod::Deflated, "parts are deflated");
    }
}
