//! The document model as text: GitHub-flavoured Markdown and plain text.
use crate::model::{spans_text, DocBlock, List, Span};

/// Markdown: ATX headings, emphasis, links, nested lists, GFM tables, fenced code.
pub(crate) fn markdown(blocks: &[DocBlock]) -> String {
    let mut parts: Vec<String> = Vec::new();
    for b in blocks {
        parts.push(match b {
            DocBlock::Heading { level, spans } => {
                format!("{} {}", "#".repeat(*level as usize), md_inline(spans).replace('\n', " "))
            }
            DocBlock::Paragraph { spans } => escape_line_start(&md_inline(spans)).replace('\n', "  \n"),
            DocBlock::List(list) => {
                let mut s = String::new();
                md_list(list, 0, &mut s);
                s.trim_end().to_string()
            }
            DocBlock::Table { rows, header } => md_table(rows, *header),
            DocBlock::Quote { paragraphs } => paragraphs
                .iter()
                .map(|p| md_inline(p).lines().map(|l| format!("> {l}")).collect::<Vec<_>>().join("\n"))
                .collect::<Vec<_>>()
                .join("\n>\n"),
            DocBlock::Code { text } => {
                // A fence longer than any backtick run inside keeps the block closed.
                let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
                let fence = "`".repeat(longest.max(2) + 1);
                format!("{fence}\n{text}\n{fence}")
            }
            DocBlock::Rule => "---".to_string(),
            DocBlock::Image { alt } => format!("*[image: {}]*", md_escape(alt)),
        });
    }
    let mut out = parts.join("\n\n");
    out.push('\n');
    out
}

fn md_list(list: &List, depth: usize, out: &mut String) {
    for (i, item) in list.items.iter().enumerate() {
        let marker = if list.ordered { format!("{}.", i + 1) } else { "-".to_string() };
        let indent = "   ".repeat(depth);
        let text = md_inline(&item.spans).replace('\n', " ");
        out.push_str(&format!("{indent}{marker} {text}\n"));
        for child in &item.children {
            md_list(child, depth + 1, out);
        }
    }
}

fn md_table(rows: &[Vec<Vec<Span>>], header: bool) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0).max(1);
    let cell = |spans: Option<&Vec<Span>>| -> String {
        spans.map(|s| md_inline(s).replace('\n', "<br>").replace('|', "\\|")).unwrap_or_default()
    };
    let row_line = |row: Option<&Vec<Vec<Span>>>| -> String {
        let cells: Vec<String> = (0..cols).map(|c| cell(row.and_then(|r| r.get(c)))).collect();
        format!("| {} |", cells.join(" | "))
    };
    let mut lines = Vec::new();
    // GFM needs a header row; a table without one gets an empty header.
    let body = if header {
        lines.push(row_line(rows.first()));
        &rows[1..]
    } else {
        lines.push(row_line(None));
        rows
    };
    lines.push(format!("|{}|", vec![" --- "; cols].join("|")));
    for r in body {
        lines.push(row_line(Some(r)));
    }
    lines.join("\n")
}

/// A paragraph that starts like a heading, list item or rule would not read back as a paragraph.
fn escape_line_start(s: &str) -> String {
    let digits = s.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && s[digits..].starts_with(['.', ')']) {
        return format!("{}\\{}", &s[..digits], &s[digits..]);
    }
    if s.starts_with(['#', '-', '+', '=', '|']) {
        return format!("\\{s}");
    }
    s.to_string()
}

fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn md_inline(spans: &[Span]) -> String {
    let mut out = String::new();
    for s in spans {
        // Emphasis markers must hug the text: move surrounding spaces outside them.
        let lead = &s.text[..s.text.len() - s.text.trim_start().len()];
        let trail = &s.text[s.text.trim_end().len()..];
        let core = s.text.trim();
        if core.is_empty() {
            out.push_str(&s.text);
            continue;
        }
        let mut t = if s.code { format!("`{core}`") } else { md_escape(core) };
        if s.italic {
            t = format!("*{t}*");
        }
        if s.bold {
            t = format!("**{t}**");
        }
        if let Some(href) = &s.link {
            t = format!("[{t}]({})", href.replace(' ', "%20").replace(')', "%29"));
        }
        out.push_str(lead);
        out.push_str(&t);
        out.push_str(trail);
    }
    out
}

/// Plain text: headings underlined, lists with markers, tables with tab-separated cells.
pub(crate) fn plain(blocks: &[DocBlock]) -> String {
    let mut parts: Vec<String> = Vec::new();
    for b in blocks {
        parts.push(match b {
            DocBlock::Heading { level, spans } => {
                let text = spans_text(spans).replace('\n', " ");
                let rule = if *level == 1 { '=' } else { '-' };
                if *level <= 2 {
                    format!("{text}\n{}", rule.to_string().repeat(text.chars().count()))
                } else {
                    text
                }
            }
            DocBlock::Paragraph { spans } => spans_text(spans),
            DocBlock::List(list) => {
                let mut s = String::new();
                plain_list(list, 0, &mut s);
                s.trim_end().to_string()
            }
            DocBlock::Table { rows, .. } => rows
                .iter()
                .map(|r| r.iter().map(|c| spans_text(c).replace('\n', " ")).collect::<Vec<_>>().join("\t"))
                .collect::<Vec<_>>()
                .join("\n"),
            DocBlock::Quote { paragraphs } => paragraphs
                .iter()
                .map(|p| spans_text(p).lines().map(|l| format!("    {l}")).collect::<Vec<_>>().join("\n"))
                .collect::<Vec<_>>()
                .join("\n\n"),
            DocBlock::Code { text } => text.clone(),
            DocBlock::Rule => "----------".to_string(),
            DocBlock::Image { alt } => format!("[image: {alt}]"),
        });
    }
    let mut out = parts.join("\n\n");
    out.push('\n');
    out
}

fn plain_list(list: &List, depth: usize, out: &mut String) {
    for (i, item) in list.items.iter().enumerate() {
        let marker = if list.ordered { format!("{}.", i + 1) } else { "-".to_string() };
        out.push_str(&format!("{}{marker} {}\n", "  ".repeat(depth), spans_text(&item.spans).replace('\n', " ")));
        for child in &item.children {
            plain_list(child, depth + 1, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::read;

    const DOC: &str = "<h1>Title</h1><p>Some <b>bold</b> and <i>it</i> with a <a href='https://x.y'>link</a>.</p>\
        <ol><li>one<ul><li>sub</li></ul></li><li>two</li></ol>\
        <table><tr><th>Name</th><th>Qty</th></tr><tr><td>a|b</td><td>2</td></tr></table>";

    #[test]
    fn markdown_has_headings_emphasis_links_lists_and_tables() {
        let md = markdown(&read(DOC));
        assert_eq!(
            md,
            "# Title\n\nSome **bold** and *it* with a [link](https://x.y).\n\n1. one\n   - sub\n2. two\n\n\
             | Name | Qty |\n| --- | --- |\n| a\\|b | 2 |\n"
        );
    }

    #[test]
    fn markdown_round_trips_through_the_markdown_importer() {
        let md = markdown(&read(DOC));
        let back = read(&crate::import::markdown_to_html(&md));
        assert_eq!(back, read(DOC));
    }

    #[test]
    fn paragraphs_that_look_like_markup_stay_paragraphs() {
        let html = "<p>1. Not a list</p><p># Not a heading</p><p>- not an item</p><p>*stars* and _under_</p>";
        let md = markdown(&read(html));
        let back = read(&crate::import::markdown_to_html(&md));
        assert_eq!(back, read(html), "{md}");
    }

    #[test]
    fn plain_text_reads_naturally() {
        let txt = plain(&read(DOC));
        assert_eq!(
            txt,
            "Title\n=====\n\nSome bold and it with a link.\n\n1. one\n  - sub\n2. two\n\nName\tQty\na|b\t2\n"
        );
    }
}
