//! Writes one sample document in every export format, for checking the files by hand
//! (for example `soffice --headless --convert-to pdf sample.docx`).
//!
//! Usage: cargo run -p superdocs-docs --example export_sample -- <output dir> [input.html]
use superdocs_docs::{export, ExportFormat, ExportOptions, Orientation, PaperSize};

const SAMPLE: &str = r#"<h1>Quarterly Report</h1>
<p>Revenue grew <strong>12%</strong> this quarter, and <em>costs</em> fell. See the <a href="https://example.com">details</a>.</p>
<h2>Highlights</h2>
<ul><li>New office opened<ul><li>Lisbon</li></ul></li><li>Hiring on track</li></ul>
<ol><li>First step</li><li>Second step</li></ol>
<table><tr><th>Region</th><th>Sales</th></tr><tr><td>North</td><td>120</td></tr><tr><td>South</td><td>95</td></tr></table>
<blockquote><p>Quality is not an act, it is a habit.</p></blockquote>
<pre>fn main() {
    println!("hi");
}</pre>"#;

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| ".".into());
    let input = std::env::args().nth(2).map(|p| std::fs::read_to_string(p).expect("read input"));
    let html = input.as_deref().unwrap_or(SAMPLE);
    let options = ExportOptions {
        paper_size: PaperSize::A4,
        orientation: Orientation::Landscape,
        watermark_text: Some("DRAFT".into()),
        ..Default::default()
    };
    for format in [ExportFormat::Docx, ExportFormat::Pdf, ExportFormat::Html, ExportFormat::Markdown, ExportFormat::Txt]
    {
        let file = export(html, "Quarterly Report", format, &options).expect("export");
        let path = format!("{dir}/sample.{}", format.extension());
        std::fs::write(&path, &file.bytes).expect("write");
        println!("{path}: {} bytes, warnings: {:?}", file.bytes.len(), file.warnings);
    }
}
