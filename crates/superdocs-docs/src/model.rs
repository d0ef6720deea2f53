//! A small structural model of a chunked document (headings, paragraphs, lists, tables, ...), read
//! from its HTML once so every exporter (docx, pdf, markdown, txt) renders the same structure.
use ego_tree::NodeRef;
use scraper::Node;

use crate::chunks::{self, heading_level, TopItem};

/// A run of text with one style.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Span {
    /// `\n` inside a span is a line break.
    pub text: String,
    pub bold: bool,
    pub italic: bool,
    pub code: bool,
    pub link: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ListItem {
    pub spans: Vec<Span>,
    pub children: Vec<List>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct List {
    pub ordered: bool,
    pub items: Vec<ListItem>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum DocBlock {
    Heading {
        level: u8,
        spans: Vec<Span>,
    },
    Paragraph {
        spans: Vec<Span>,
    },
    List(List),
    /// `header` = the first row is a header row.
    Table {
        rows: Vec<Vec<Vec<Span>>>,
        header: bool,
    },
    Quote {
        paragraphs: Vec<Vec<Span>>,
    },
    Code {
        text: String,
    },
    Rule,
    Image {
        alt: String,
    },
}

pub(crate) fn spans_text(spans: &[Span]) -> String {
    spans.iter().map(|s| s.text.as_str()).collect()
}

/// Reads the blocks of a (chunked or plain) HTML document.
pub(crate) fn read(html: &str) -> Vec<DocBlock> {
    let doc = chunks::parse(html);
    let mut out = Vec::new();
    for item in chunks::top_level_items(&doc) {
        match item {
            TopItem::Element(node) => read_block(node, &mut out),
            TopItem::InlineRun(nodes) => {
                let spans = inline_spans(nodes);
                if !spans.is_empty() {
                    out.push(DocBlock::Paragraph { spans });
                }
            }
        }
    }
    out
}

fn tag_of<'a>(node: &NodeRef<'a, Node>) -> Option<&'a str> {
    node.value().as_element().map(|e| e.name())
}

fn read_block(node: NodeRef<'_, Node>, out: &mut Vec<DocBlock>) {
    let Some(tag) = tag_of(&node) else { return };
    if let Some(level) = heading_level(tag) {
        let spans = inline_spans(node.children());
        if !spans.is_empty() {
            out.push(DocBlock::Heading { level, spans });
        }
        return;
    }
    match tag {
        "ul" | "ol" | "menu" => {
            let list = read_list(node, tag == "ol");
            if !list.items.is_empty() {
                out.push(DocBlock::List(list));
            }
        }
        "table" => {
            let mut rows = Vec::new();
            let mut header = false;
            collect_rows(node, &mut rows, &mut header);
            if !rows.is_empty() {
                out.push(DocBlock::Table { rows: rows.into_iter().map(|(_, r)| r).collect(), header });
            }
        }
        "blockquote" => {
            let mut inner = Vec::new();
            read_children_as_blocks(node, &mut inner);
            let paragraphs: Vec<Vec<Span>> = inner
                .into_iter()
                .filter_map(|b| match b {
                    DocBlock::Paragraph { spans } | DocBlock::Heading { spans, .. } => Some(spans),
                    _ => None,
                })
                .collect();
            if !paragraphs.is_empty() {
                out.push(DocBlock::Quote { paragraphs });
            }
        }
        "pre" => {
            let text = raw_text(node);
            out.push(DocBlock::Code { text: text.trim_end_matches('\n').to_string() });
        }
        "hr" => out.push(DocBlock::Rule),
        "img" => out.push(DocBlock::Image {
            alt: node.value().as_element().and_then(|e| e.attr("alt")).unwrap_or("image").to_string(),
        }),
        _ => {
            // A container with blocks inside (div, figure, section with an id) reads as those blocks.
            let has_blocks = node
                .children()
                .any(|c| tag_of(&c).is_some_and(|t| chunks::is_block_tag(t) || heading_level(t).is_some()));
            if has_blocks {
                read_children_as_blocks(node, out);
            } else {
                let spans = inline_spans(node.children());
                if !spans.is_empty() {
                    out.push(DocBlock::Paragraph { spans });
                }
            }
        }
    }
}

/// Children of a container: block children read as blocks, inline runs between them as paragraphs.
fn read_children_as_blocks(node: NodeRef<'_, Node>, out: &mut Vec<DocBlock>) {
    let mut run = Vec::new();
    for c in node.children() {
        let is_block = tag_of(&c).is_some_and(chunks::is_block_tag);
        if is_block {
            let spans = inline_spans(std::mem::take(&mut run));
            if !spans.is_empty() {
                out.push(DocBlock::Paragraph { spans });
            }
            read_block(c, out);
        } else {
            run.push(c);
        }
    }
    let spans = inline_spans(run);
    if !spans.is_empty() {
        out.push(DocBlock::Paragraph { spans });
    }
}

fn read_list(node: NodeRef<'_, Node>, ordered: bool) -> List {
    let mut items = Vec::new();
    for li in node.children() {
        match tag_of(&li) {
            Some("li") => {
                let mut children = Vec::new();
                let mut inline = Vec::new();
                for c in li.children() {
                    match tag_of(&c) {
                        Some(t @ ("ul" | "ol")) => children.push(read_list(c, t == "ol")),
                        Some("p") | Some("div") => {
                            // Loose list items wrap their text in <p>: read it as inline content.
                            inline.extend(c.children());
                        }
                        _ => inline.push(c),
                    }
                }
                items.push(ListItem { spans: inline_spans(inline), children });
            }
            Some(t @ ("ul" | "ol")) => {
                // A list nested directly in a list (invalid but common) belongs to the previous item.
                let nested = read_list(li, t == "ol");
                match items.last_mut() {
                    Some(ListItem { children, .. }) => children.push(nested),
                    None => items.push(ListItem { spans: Vec::new(), children: vec![nested] }),
                }
            }
            _ => {}
        }
    }
    List { ordered, items }
}

fn collect_rows(node: NodeRef<'_, Node>, rows: &mut Vec<(bool, Vec<Vec<Span>>)>, header: &mut bool) {
    for c in node.children() {
        match tag_of(&c) {
            Some("thead") | Some("tbody") | Some("tfoot") => collect_rows(c, rows, header),
            Some("tr") => {
                let mut cells = Vec::new();
                let mut all_th = true;
                for cell in c.children() {
                    if let Some(t @ ("td" | "th")) = tag_of(&cell) {
                        all_th &= t == "th";
                        cells.push(inline_spans_deep(cell));
                    }
                }
                if !cells.is_empty() {
                    if rows.is_empty() && all_th {
                        *header = true;
                    }
                    rows.push((all_th, cells));
                }
            }
            _ => {}
        }
    }
}

/// Inline spans of a table cell: nested blocks become line breaks.
fn inline_spans_deep(node: NodeRef<'_, Node>) -> Vec<Span> {
    let mut spans = Vec::new();
    walk_inline(node, &Span::default(), &mut spans, true);
    normalize(spans)
}

/// Inline spans of a sequence of nodes: whitespace collapsed as a browser would.
pub(crate) fn inline_spans<'a>(nodes: impl IntoIterator<Item = NodeRef<'a, Node>>) -> Vec<Span> {
    let mut spans = Vec::new();
    for n in nodes {
        walk_inline(n, &Span::default(), &mut spans, false);
    }
    normalize(spans)
}

fn walk_inline(node: NodeRef<'_, Node>, style: &Span, out: &mut Vec<Span>, blocks_as_breaks: bool) {
    match node.value() {
        Node::Text(t) => {
            let mut s = style.clone();
            s.text = t.to_string();
            out.push(s);
        }
        Node::Element(e) => {
            let tag = e.name();
            let mut st = style.clone();
            match tag {
                "script" | "style" | "noscript" | "template" => return,
                "br" => {
                    let mut s = style.clone();
                    s.text = "\n".into();
                    out.push(s);
                    return;
                }
                "img" => {
                    if let Some(alt) = e.attr("alt").filter(|a| !a.is_empty()) {
                        let mut s = style.clone();
                        s.text = format!("[{alt}]");
                        out.push(s);
                    }
                    return;
                }
                "b" | "strong" => st.bold = true,
                "i" | "em" | "cite" | "var" | "dfn" => st.italic = true,
                "code" | "kbd" | "samp" | "tt" => st.code = true,
                "a" => st.link = e.attr("href").map(str::to_string),
                _ => {}
            }
            // Inline styles written by some editors: font-weight:bold / font-style:italic.
            if let Some(css) = e.attr("style") {
                let css = css.to_ascii_lowercase().replace(' ', "");
                if css.contains("font-weight:bold") || css.contains("font-weight:700") {
                    st.bold = true;
                }
                if css.contains("font-style:italic") {
                    st.italic = true;
                }
            }
            let breaks = blocks_as_breaks && (chunks::is_block_tag(tag) || tag == "li");
            if breaks && !out.is_empty() {
                out.push(Span { text: "\n".into(), ..Default::default() });
            }
            for c in node.children() {
                walk_inline(c, &st, out, blocks_as_breaks);
            }
        }
        _ => {}
    }
}

/// Collapses whitespace, trims the ends, merges neighbours with the same style.
fn normalize(spans: Vec<Span>) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::new();
    let mut last_space = true; // at the start, leading space is dropped
    for mut s in spans {
        let mut text = String::with_capacity(s.text.len());
        for c in s.text.chars() {
            if c == '\n' && s.text == "\n" {
                // A <br>: trailing space before it goes.
                while text.ends_with(' ') {
                    text.pop();
                }
                if let Some(prev) = out.last_mut() {
                    while prev.text.ends_with(' ') {
                        prev.text.pop();
                    }
                }
                text.push('\n');
                last_space = true;
            } else if c.is_whitespace() && c != '\u{a0}' {
                if !last_space {
                    text.push(' ');
                    last_space = true;
                }
            } else {
                text.push(c);
                last_space = false;
            }
        }
        if text.is_empty() {
            continue;
        }
        s.text = text;
        match out.last_mut() {
            Some(prev)
                if prev.bold == s.bold && prev.italic == s.italic && prev.code == s.code && prev.link == s.link =>
            {
                prev.text.push_str(&s.text)
            }
            _ => out.push(s),
        }
    }
    // Trim the end (and trailing breaks).
    while let Some(last) = out.last_mut() {
        let trimmed = last.text.trim_end().to_string();
        if trimmed.is_empty() {
            out.pop();
        } else {
            last.text = trimmed;
            break;
        }
    }
    out
}

fn raw_text(node: NodeRef<'_, Node>) -> String {
    let mut s = String::new();
    for d in node.descendants() {
        if let Node::Text(t) = d.value() {
            s.push_str(t);
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_structure_and_styles() {
        let blocks = read(
            "<h2>Title</h2><p>Hello <b>bold</b>  and <em>it</em> <a href='u'>link</a></p>\
             <ul><li>one<ul><li>inner</li></ul></li><li>two</li></ul>\
             <table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table><pre>x\n  y</pre>",
        );
        assert_eq!(blocks.len(), 5);
        assert!(matches!(&blocks[0], DocBlock::Heading { level: 2, spans } if spans_text(spans) == "Title"));
        let DocBlock::Paragraph { spans } = &blocks[1] else { panic!() };
        assert_eq!(spans_text(spans), "Hello bold and it link");
        assert!(spans.iter().any(|s| s.bold && s.text == "bold"));
        assert!(spans.iter().any(|s| s.link.as_deref() == Some("u")));
        let DocBlock::List(list) = &blocks[2] else { panic!() };
        assert_eq!(list.items.len(), 2);
        assert_eq!(list.items[0].children[0].items[0].spans[0].text, "inner");
        assert!(matches!(&blocks[3], DocBlock::Table { rows, header: true } if rows.len() == 2));
        assert!(matches!(&blocks[4], DocBlock::Code { text } if text == "x\n  y"));
    }
}
