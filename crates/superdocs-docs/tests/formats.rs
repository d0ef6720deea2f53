//! Exports read back: each format's file is opened with a reader (ours for docx, lopdf for PDF)
//! and checked for its content and page setup; plus hostile inputs to every importer.
use std::io::Write;

use superdocs_docs::chunks::blocks;
use superdocs_docs::{
    export, import, CustomMargins, ExportFormat, ExportOptions, ImportError, Margins, Orientation, PaperSize,
};

const DOC: &str = r#"<h1 data-chunk-id="c1">Quarterly Report</h1>
<p data-chunk-id="c2">Revenue grew <strong>12%</strong> this quarter, and <em>costs</em> fell (slightly).</p>
<h2 data-chunk-id="c3">Highlights</h2>
<ul data-chunk-id="c4"><li>New office opened</li><li>Hiring on track</li></ul>
<ol data-chunk-id="c5"><li>First step</li><li>Second step</li></ol>
<table data-chunk-id="c6"><tr><th>Region</th><th>Sales</th></tr><tr><td>North</td><td>120</td></tr></table>
<p data-chunk-id="c7">See the <a href="https://example.com/q3">full figures</a>.</p>"#;

fn long_doc(paragraphs: usize) -> String {
    let mut s = String::from("<h1>Long</h1>");
    for i in 0..paragraphs {
        s.push_str(&format!(
            "<p>Paragraph {i}: the quick brown fox jumps over the lazy dog, again and again, until the line \
             has to wrap at least once or twice on a page of ordinary width.</p>"
        ));
    }
    s
}

fn texts(html: &str) -> Vec<String> {
    blocks(html).into_iter().map(|b| b.text).collect()
}

fn tags(html: &str) -> Vec<String> {
    blocks(html).into_iter().map(|b| b.tag()).collect()
}

// ---- docx ----

#[test]
fn docx_export_reads_back_with_headings_lists_tables_and_styles() {
    let file = export(DOC, "Q3", ExportFormat::Docx, &ExportOptions::default()).unwrap();
    assert!(file.bytes.starts_with(b"PK"));
    let back = import("q3.docx", &file.bytes).unwrap();
    assert_eq!(tags(&back.html), ["h1", "p", "h2", "ul", "ol", "table", "p"]);
    assert_eq!(texts(&back.html), texts(DOC));
    assert!(back.html.contains("<strong>12%</strong>"), "{}", back.html);
    assert!(back.html.contains("<em>costs</em>"));
    assert!(back.html.contains(r#"<a href="https://example.com/q3">full figures</a>"#), "{}", back.html);
    assert!(
        back.html.contains("<th>Region</th>") || back.html.contains("<td><strong>Region</strong></td>"),
        "{}",
        back.html
    );
    let setup = back.page_setup.unwrap();
    assert_eq!((setup.paper_size.as_str(), setup.orientation.as_str()), ("Letter", "portrait"));
    assert_eq!(setup.margins_inches, [1.0; 4]);
}

#[test]
fn docx_page_size_orientation_and_margins_follow_the_options() {
    let cases = [
        (PaperSize::A4, Orientation::Landscape, Margins::Narrow, "A4", "landscape", [0.5; 4]),
        (PaperSize::Legal, Orientation::Portrait, Margins::Wide, "Legal", "portrait", [1.0, 2.0, 1.0, 2.0]),
        (PaperSize::Letter, Orientation::Landscape, Margins::Normal, "Letter", "landscape", [1.0; 4]),
    ];
    for (paper, orientation, margins, name, orient, inches) in cases {
        let o = ExportOptions { paper_size: paper, orientation, margins, ..Default::default() };
        let file = export(DOC, "t", ExportFormat::Docx, &o).unwrap();
        let setup = import("t.docx", &file.bytes).unwrap().page_setup.unwrap();
        assert_eq!(setup.paper_size, name);
        assert_eq!(setup.orientation, orient);
        assert_eq!(setup.margins_inches, inches);
    }
    let o = ExportOptions {
        margins: Margins::Custom,
        custom_margins_inches: Some(CustomMargins { top: 0.75, right: 1.25, bottom: 0.5, left: 1.5 }),
        ..Default::default()
    };
    let file = export(DOC, "t", ExportFormat::Docx, &o).unwrap();
    let setup = import("t.docx", &file.bytes).unwrap().page_setup.unwrap();
    assert_eq!(setup.margins_inches, [0.75, 1.25, 0.5, 1.5]);
}

#[test]
fn docx_nested_lists_survive_a_round_trip() {
    let html = "<ul><li>a<ul><li>a1</li><li>a2</li></ul></li><li>b</li></ul><p>after</p>";
    let file = export(html, "t", ExportFormat::Docx, &ExportOptions::default()).unwrap();
    let back = import("t.docx", &file.bytes).unwrap();
    let b = blocks(&back.html);
    assert_eq!(b.len(), 2);
    assert!(b[0].html.contains("<li>a<ul><li>a1</li><li>a2</li></ul></li><li>b</li>"), "{}", b[0].html);
}

// ---- pdf ----

fn pdf(html: &str, o: &ExportOptions) -> lopdf::Document {
    let file = export(html, "Report", ExportFormat::Pdf, o).unwrap();
    assert!(file.bytes.starts_with(b"%PDF-1."), "PDF header");
    assert_eq!(file.content_type, "application/pdf");
    lopdf::Document::load_mem(&file.bytes).expect("lopdf opens the export")
}

fn media_box(doc: &lopdf::Document) -> Vec<f32> {
    let (_, page_id) = doc.get_pages().into_iter().next().unwrap();
    let page = doc.get_dictionary(page_id).unwrap();
    page.get(b"MediaBox")
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o.as_float().unwrap_or_else(|_| o.as_i64().unwrap() as f32))
        .collect()
}

#[test]
fn pdf_page_count_grows_with_content() {
    let o = ExportOptions::default();
    let short = pdf(DOC, &o).get_pages().len();
    let medium = pdf(&long_doc(40), &o).get_pages().len();
    let long = pdf(&long_doc(160), &o).get_pages().len();
    assert_eq!(short, 1);
    assert!(medium > short && long > medium, "{short} {medium} {long}");
}

#[test]
fn pdf_media_box_follows_paper_and_orientation() {
    let mb = |paper, orientation| {
        let o = ExportOptions { paper_size: paper, orientation, ..Default::default() };
        media_box(&pdf(DOC, &o))
    };
    assert_eq!(mb(PaperSize::Letter, Orientation::Portrait), [0.0, 0.0, 612.0, 792.0]);
    let a4 = mb(PaperSize::A4, Orientation::Portrait);
    assert!((a4[2] - 595.28).abs() < 0.01 && (a4[3] - 841.89).abs() < 0.01, "{a4:?}");
    assert_eq!(mb(PaperSize::Letter, Orientation::Landscape), [0.0, 0.0, 792.0, 612.0]);
    assert_eq!(mb(PaperSize::Legal, Orientation::Portrait), [0.0, 0.0, 612.0, 1008.0]);
}

#[test]
fn narrow_margins_fit_more_per_page_than_wide_ones() {
    let pages = |margins| {
        let o = ExportOptions { margins, ..Default::default() };
        pdf(&long_doc(60), &o).get_pages().len()
    };
    assert!(pages(Margins::Narrow) < pages(Margins::Wide));
}

#[test]
fn pdf_watermark_is_on_every_page_at_the_requested_opacity() {
    let o =
        ExportOptions { watermark_text: Some("CONFIDENTIAL".into()), watermark_opacity: 0.25, ..Default::default() };
    let doc = pdf(&long_doc(60), &o);
    let pages = doc.get_pages();
    assert!(pages.len() >= 2);
    for id in pages.values() {
        let content = String::from_utf8_lossy(&doc.get_page_content(*id)).into_owned();
        assert!(content.contains("(CONFIDENTIAL) Tj"), "watermark on every page");
        assert!(content.contains("/GSWatermark gs"));
    }
    let (_, first) = pages.into_iter().next().unwrap();
    let resources = doc.get_dictionary(first).unwrap().get(b"Resources").unwrap().as_reference().unwrap();
    let gs = doc.get_dictionary(resources).unwrap().get(b"ExtGState").unwrap().as_dict().unwrap();
    let ca = gs.get(b"GSWatermark").unwrap().as_dict().unwrap().get(b"ca").unwrap().as_float().unwrap();
    assert!((ca - 0.25).abs() < 1e-6);
    let plain = pdf(&long_doc(2), &ExportOptions::default());
    let (_, id) = plain.get_pages().into_iter().next().unwrap();
    assert!(!String::from_utf8_lossy(&plain.get_page_content(id)).contains("CONFIDENTIAL"));
}

#[test]
fn pdf_reads_back_with_headings_paragraphs_lists_and_page_setup() {
    let o = ExportOptions { paper_size: PaperSize::A4, ..Default::default() };
    let file = export(DOC, "Q3", ExportFormat::Pdf, &o).unwrap();
    let back = import("q3.pdf", &file.bytes).unwrap();
    let t = texts(&back.html);
    assert_eq!(t[0], "Quarterly Report");
    assert_eq!(t[1], "Revenue grew 12% this quarter, and costs fell (slightly).");
    let tg = tags(&back.html);
    assert_eq!(&tg[..4], ["h1", "p", "h2", "ul"], "{}", back.html);
    assert!(back.html.contains("<li>New office opened</li><li>Hiring on track</li>"), "{}", back.html);
    assert!(back.html.contains("<li>First step</li>"), "{}", back.html);
    let setup = back.page_setup.unwrap();
    assert_eq!((setup.paper_size.as_str(), setup.orientation.as_str()), ("A4", "portrait"));
    assert!((setup.margins_inches[3] - 1.0).abs() < 0.05, "{:?}", setup.margins_inches);
}

#[test]
fn pdf_long_paragraphs_wrap_and_come_back_whole() {
    let html = long_doc(3);
    let file = export(&html, "t", ExportFormat::Pdf, &ExportOptions::default()).unwrap();
    let back = import("t.pdf", &file.bytes).unwrap();
    assert_eq!(texts(&back.html), texts(&html));
}

#[test]
fn pdf_keeps_non_ascii_latin_text() {
    let html = "<p>Café crème — “quoted” • naïve</p>";
    let file = export(html, "t", ExportFormat::Pdf, &ExportOptions::default()).unwrap();
    let back = import("t.pdf", &file.bytes).unwrap();
    assert_eq!(texts(&back.html), ["Café crème — “quoted” • naïve"]);
}

// ---- markdown, txt, html ----

#[test]
fn markdown_and_txt_exports_carry_the_content() {
    let md =
        String::from_utf8(export(DOC, "t", ExportFormat::Markdown, &ExportOptions::default()).unwrap().bytes).unwrap();
    assert!(md.starts_with("# Quarterly Report\n"));
    assert!(md.contains("## Highlights") && md.contains("- New office opened") && md.contains("1. First step"));
    assert!(md.contains("**12%**") && md.contains("*costs*") && md.contains("[full figures](https://example.com/q3)"));
    assert!(md.contains("| Region | Sales |\n| --- | --- |\n| North | 120 |"));
    let back = import("t.md", md.as_bytes()).unwrap();
    assert_eq!(texts(&back.html), texts(DOC));

    let txt = String::from_utf8(export(DOC, "t", ExportFormat::Txt, &ExportOptions::default()).unwrap().bytes).unwrap();
    assert!(txt.starts_with("Quarterly Report\n================\n"));
    assert!(txt.contains("Revenue grew 12% this quarter") && !txt.contains('<'));
    assert!(txt.contains("- New office opened") && txt.contains("North\t120"));
}

#[test]
fn html_export_reimports_to_the_same_chunks() {
    let file = export(DOC, "Q3", ExportFormat::Html, &ExportOptions::default()).unwrap();
    let back = import("q3.html", &file.bytes).unwrap();
    let ids: Vec<_> = blocks(&back.html).into_iter().map(|b| b.chunk_id).collect();
    assert_eq!(ids, ["c1", "c2", "c3", "c4", "c5", "c6", "c7"]);
    assert_eq!(texts(&back.html), texts(DOC));
}

#[test]
fn rtf_import_gives_paragraphs() {
    let rtf = br"{\rtf1\ansi\deff0{\fonttbl{\f0 Times;}}\f0\fs24 {\b Title}\par First paragraph.\par Second one.\par}";
    let doc = import("a.rtf", rtf).unwrap();
    assert_eq!(texts(&doc.html), ["Title", "First paragraph.", "Second one."]);
}

// ---- hostile inputs ----

#[test]
fn truncated_docx_is_malformed_not_a_panic() {
    let file = export(DOC, "t", ExportFormat::Docx, &ExportOptions::default()).unwrap();
    for cut in [10, file.bytes.len() / 2, file.bytes.len() - 30] {
        match import("t.docx", &file.bytes[..cut]) {
            Err(ImportError::Malformed { format: "docx", reason }) => assert!(!reason.is_empty()),
            other => panic!("cut at {cut}: {other:?}"),
        }
    }
}

#[test]
fn zip_without_a_word_document_is_malformed() {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        zip.start_file("hello.txt", zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(b"hi").unwrap();
        zip.finish().unwrap();
    }
    let err = import("x.docx", buf.get_ref()).unwrap_err();
    assert!(matches!(&err, ImportError::Malformed { reason, .. } if reason.contains("word/document.xml")), "{err}");
}

#[test]
fn broken_xml_inside_a_docx_is_malformed() {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        zip.start_file("word/document.xml", zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(b"<w:document><w:body><w:p><w:r><w:t>hi</w:t></w:r></w:body>").unwrap();
        zip.finish().unwrap();
    }
    assert!(matches!(import("x.docx", buf.get_ref()), Err(ImportError::Malformed { format: "docx", .. })));
}

#[test]
fn non_pdf_bytes_named_pdf_are_malformed() {
    for bytes in [&b"PK\x03\x04 this is a zip"[..], b"<html>not a pdf</html>", b"%PDF-1.4\n1 0 obj <<"] {
        assert!(matches!(import("x.pdf", bytes), Err(ImportError::Malformed { format: "pdf", .. })));
    }
    let file = export(DOC, "t", ExportFormat::Pdf, &ExportOptions::default()).unwrap();
    let half = &file.bytes[..file.bytes.len() / 2];
    assert!(import("x.pdf", half).is_err());
}

#[test]
fn empty_files_are_empty_in_every_format() {
    for name in ["a.txt", "a.md", "a.html", "a.docx", "a.pdf", "a.rtf"] {
        assert_eq!(import(name, b""), Err(ImportError::Empty), "{name}");
    }
    let empty_docx = export("", "t", ExportFormat::Docx, &ExportOptions::default()).unwrap();
    assert_eq!(import("e.docx", &empty_docx.bytes), Err(ImportError::Empty));
}

/// Deterministic noise (no rand dependency): a linear congruential generator.
fn noise(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed;
    (0..len)
        .map(|_| {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (x >> 33) as u8
        })
        .collect()
}

#[test]
fn random_bytes_never_panic_and_never_import_as_docx_or_pdf() {
    for seed in 0..40 {
        let bytes = noise(seed, 64 + seed as usize * 97);
        for name in ["x.txt", "x.md", "x.html", "x.rtf"] {
            // Text formats refuse binary noise (control characters) or read it as text; no panic.
            let _ = import(name, &bytes);
        }
        assert!(import("x.docx", &bytes).is_err());
        assert!(import("x.pdf", &bytes).is_err());
        // Noise behind a valid header.
        let mut pdf = b"%PDF-1.7\n".to_vec();
        pdf.extend_from_slice(&bytes);
        assert!(import("x.pdf", &pdf).is_err());
        let mut zip = b"PK\x03\x04".to_vec();
        zip.extend_from_slice(&bytes);
        assert!(import("x.docx", &zip).is_err());
    }
}

#[test]
fn a_pdf_with_its_tail_cut_off_fails_cleanly_or_still_reads() {
    let file = export(&long_doc(30), "t", ExportFormat::Pdf, &ExportOptions::default()).unwrap();
    for keep in [file.bytes.len() - 10, file.bytes.len() * 9 / 10, file.bytes.len() / 3] {
        match import("x.pdf", &file.bytes[..keep]) {
            Ok(doc) => assert!(doc.chunks_count > 0),
            Err(ImportError::Malformed { format: "pdf", .. }) => {}
            Err(other) => panic!("{other:?}"),
        }
    }
}

#[test]
fn a_table_longer_than_a_page_repeats_its_header_and_a_taller_than_page_row_is_cut() {
    let mut html = String::from("<table><tr><th>Name</th><th>Notes</th></tr>");
    for i in 0..80 {
        html.push_str(&format!("<tr><td>row {i}</td><td>note {i}</td></tr>"));
    }
    // One cell with far more text than a page holds.
    html.push_str(&format!("<tr><td>huge</td><td>{}</td></tr></table>", "word ".repeat(4000)));
    let file = export(&html, "t", ExportFormat::Pdf, &ExportOptions::default()).unwrap();
    let doc = lopdf::Document::load_mem(&file.bytes).unwrap();
    let pages = doc.get_pages();
    assert!(pages.len() >= 4, "{} pages", pages.len());
    for id in pages.values() {
        let content = String::from_utf8_lossy(&doc.get_page_content(*id)).into_owned();
        let texts = content.matches(" Tj").count();
        assert!(texts > 0, "every page has text");
    }
    // The header repeats on the pages the plain rows continue on.
    let first_two: Vec<String> =
        pages.values().take(2).map(|id| String::from_utf8_lossy(&doc.get_page_content(*id)).into_owned()).collect();
    assert!(first_two.iter().all(|c| c.contains("(Name) Tj")), "header on pages 1 and 2");
    // Nothing is drawn below the bottom margin (y >= 72 for Letter with normal margins).
    for id in pages.values() {
        let content = lopdf::content::Content::decode(&doc.get_page_content(*id)).unwrap();
        for op in content.operations.iter().filter(|o| o.operator == "Td") {
            let y = op.operands[1].as_float().unwrap();
            assert!(y >= 70.0, "text at y={y} is inside the page margins");
        }
    }
}

#[test]
fn pdf_links_are_clickable() {
    let doc = pdf(DOC, &ExportOptions::default());
    let (_, page_id) = doc.get_pages().into_iter().next().unwrap();
    let page = doc.get_dictionary(page_id).unwrap();
    let annots = page.get(b"Annots").unwrap().as_array().unwrap();
    assert_eq!(annots.len(), 1);
    let annot = annots[0].as_dict().unwrap();
    assert_eq!(annot.get(b"Subtype").unwrap().as_name().unwrap(), b"Link");
    let uri = annot.get(b"A").unwrap().as_dict().unwrap().get(b"URI").unwrap().as_str().unwrap();
    assert_eq!(uri, b"https://example.com/q3");
}

#[test]
fn docx_pictures_leave_a_visible_marker() {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut buf);
        zip.start_file("word/document.xml", zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(
            br#"<w:document xmlns:w="w" xmlns:wp="wp"><w:body><w:p><w:r><w:t xml:space="preserve">Chart: </w:t></w:r><w:r><w:drawing><wp:inline><wp:docPr id="1" name="Picture 1" descr="Sales by region"/></wp:inline></w:drawing></w:r></w:p></w:body></w:document>"#,
        )
        .unwrap();
        zip.finish().unwrap();
    }
    let doc = import("x.docx", buf.get_ref()).unwrap();
    assert_eq!(texts(&doc.html), ["Chart: [image: Sales by region]"]);
}
