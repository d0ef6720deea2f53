//! Files written by another program (LibreOffice 7, from our sample document: A4 landscape, a
//! heading, bold/italic/link, nested bullets, a numbered list, a table, a quote, code) read by our
//! importers: the readers must not only understand what our own writers produce.
use superdocs_docs::chunks::blocks;
use superdocs_docs::import;

fn tags_and_texts(html: &str) -> Vec<(String, String)> {
    blocks(html).into_iter().map(|b| (b.tag(), b.text)).collect()
}

#[test]
fn a_libreoffice_docx_reads_with_structure_and_page_setup() {
    let doc = import("libreoffice.docx", include_bytes!("fixtures/libreoffice.docx")).unwrap();
    let got = tags_and_texts(&doc.html);
    let tags: Vec<&str> = got.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(tags, ["h1", "p", "h2", "ul", "ol", "table", "blockquote", "p"], "{}", doc.html);
    assert_eq!(got[0].1, "Quarterly Report");
    assert!(doc.html.contains("<strong>12%</strong>") && doc.html.contains("<em>costs</em>"));
    assert!(doc.html.contains("<li>New office opened<ul><li>Lisbon</li></ul></li>"), "{}", doc.html);
    assert_eq!(got[4].1, "First step\nSecond step");
    let setup = doc.page_setup.unwrap();
    assert_eq!((setup.paper_size.as_str(), setup.orientation.as_str()), ("A4", "landscape"));
}

#[test]
fn a_libreoffice_pdf_reads_with_headings_lists_and_page_setup() {
    let doc = import("libreoffice.pdf", include_bytes!("fixtures/libreoffice.pdf")).unwrap();
    let got = tags_and_texts(&doc.html);
    assert_eq!(got[0], ("h1".into(), "Quarterly Report".into()));
    assert_eq!(got[1], ("p".into(), "Revenue grew 12% this quarter, and costs fell. See the details.".into()));
    assert_eq!(got[2], ("h2".into(), "Highlights".into()));
    assert_eq!(got[3], ("ul".into(), "New office opened\nLisbon\nHiring on track".into()));
    assert_eq!(got[4], ("ol".into(), "First step\nSecond step".into()));
    let setup = doc.page_setup.unwrap();
    assert_eq!((setup.paper_size.as_str(), setup.orientation.as_str()), ("A4", "landscape"));
}
