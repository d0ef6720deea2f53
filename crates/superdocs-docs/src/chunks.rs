//! The chunked-HTML model: a document is a flat sequence of top-level blocks, each carrying a
//! `data-chunk-id` that stays stable across edits so clients and the editor can address it.
//!
//! Parsing goes through html5ever (via `scraper`); serialization is ours so that we control the
//! attributes of each block (id first, every other attribute kept) and can rewrite text nodes.
use std::collections::HashSet;

use ego_tree::NodeRef;
use scraper::{Html, Node};

pub(crate) const CHUNK_ATTR: &str = "data-chunk-id";

/// One top-level block of a document.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub chunk_id: String,
    /// The block's outer HTML, `data-chunk-id` included.
    pub html: String,
    /// The block's text content.
    pub text: String,
}

impl Block {
    /// The block's tag name (`p`, `h2`, `ul`, ...), lower case.
    pub fn tag(&self) -> String {
        self.html
            .trim_start()
            .trim_start_matches('<')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase()
    }

    /// `Some(1..=6)` when the block is a heading.
    pub fn heading_level(&self) -> Option<u8> {
        heading_level(&self.tag())
    }
}

pub(crate) fn heading_level(tag: &str) -> Option<u8> {
    match tag {
        "h1" => Some(1),
        "h2" => Some(2),
        "h3" => Some(3),
        "h4" => Some(4),
        "h5" => Some(5),
        "h6" => Some(6),
        _ => None,
    }
}

/// Elements that make a block of their own at the top level of a document.
const BLOCK_TAGS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "dl",
    "table",
    "blockquote",
    "pre",
    "figure",
    "hr",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "nav",
    "aside",
    "main",
    "address",
    "details",
    "fieldset",
    "form",
    "menu",
    "li",
    "dd",
    "dt",
    "figcaption",
    "center",
];

/// Wrappers that are unwrapped when they hold blocks, so their children become chunks.
const CONTAINER_TAGS: &[&str] =
    &["div", "section", "article", "header", "footer", "nav", "aside", "main", "center", "form", "fieldset"];

/// Elements never carried into a document (active or invisible content).
const DROPPED_TAGS: &[&str] =
    &["script", "style", "noscript", "template", "iframe", "object", "embed", "head", "title", "meta", "link", "base"];

const VOID_TAGS: &[&str] =
    &["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"];

pub(crate) fn is_block_tag(tag: &str) -> bool {
    BLOCK_TAGS.contains(&tag)
}

/// Gives every top-level block a `data-chunk-id` it lacks (existing ids are kept; a repeated id is
/// replaced on its second occurrence so ids stay unique). Bare text and inline runs at the top level
/// are wrapped in `<p>`; generic containers holding blocks are unwrapped.
pub fn chunkify(html: &str) -> String {
    let doc = parse(html);
    let items = top_level_items(&doc);
    let mut ids = IdAllocator::default();
    for item in &items {
        if let TopItem::Element(node) = item {
            if let Some(id) = node.value().as_element().and_then(|e| e.attr(CHUNK_ATTR)) {
                ids.reserve(id);
            }
        }
    }
    let mut seen = HashSet::new();
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        match item {
            TopItem::Element(node) => {
                let existing = node.value().as_element().and_then(|e| e.attr(CHUNK_ATTR));
                let id = match existing {
                    Some(id) if !id.is_empty() && seen.insert(id.to_string()) => id.to_string(),
                    _ => {
                        let id = ids.fresh();
                        seen.insert(id.clone());
                        id
                    }
                };
                let mut s = String::new();
                serialize_element(node, Some(&id), &mut s, &mut |t| t.to_string());
                out.push(s);
            }
            TopItem::InlineRun(nodes) => {
                let id = ids.fresh();
                seen.insert(id.clone());
                let mut inner = String::new();
                for n in nodes {
                    serialize_node(n, &mut inner, &mut |t| t.to_string());
                }
                out.push(format!("<p {CHUNK_ATTR}=\"{}\">{}</p>", escape_attr(&id), inner.trim()));
            }
        }
    }
    out.join("\n")
}

/// The top-level blocks of a chunked document, in order. Input that is not chunked yet is chunked
/// first, so every block has an id.
pub fn blocks(html: &str) -> Vec<Block> {
    let chunked = chunkify(html);
    let doc = parse(&chunked);
    top_level_items(&doc)
        .into_iter()
        .filter_map(|item| match item {
            TopItem::Element(node) => {
                let id = node.value().as_element()?.attr(CHUNK_ATTR)?.to_string();
                let mut html = String::new();
                serialize_element(node, None, &mut html, &mut |t| t.to_string());
                Some(Block { chunk_id: id, html, text: node_text(node) })
            }
            TopItem::InlineRun(_) => None,
        })
        .collect()
}

/// Joins blocks back into a document.
pub fn join_blocks<'a>(htmls: impl IntoIterator<Item = &'a str>) -> String {
    htmls.into_iter().collect::<Vec<_>>().join("\n")
}

/// Hands out chunk ids (`c1`, `c2`, ...) that are not used in a document yet.
#[derive(Debug, Default, Clone)]
pub struct IdAllocator {
    used: HashSet<String>,
    next: u64,
}

impl IdAllocator {
    /// An allocator that avoids every id already in `html`.
    pub fn for_document(html: &str) -> Self {
        Self::for_blocks(&blocks(html))
    }

    /// An allocator that avoids the ids of blocks already read.
    pub fn for_blocks(blocks: &[Block]) -> Self {
        let mut ids = Self::default();
        for b in blocks {
            ids.reserve(&b.chunk_id);
        }
        ids
    }

    pub fn reserve(&mut self, id: &str) {
        // Counting on from the highest numeric id means a deleted id is not handed out again soon.
        if let Some(n) = id.strip_prefix('c').and_then(|n| n.parse::<u64>().ok()) {
            self.next = self.next.max(n);
        }
        self.used.insert(id.to_string());
    }

    pub fn fresh(&mut self) -> String {
        loop {
            self.next += 1;
            let id = format!("c{}", self.next);
            if self.used.insert(id.clone()) {
                return id;
            }
        }
    }
}

pub(crate) enum TopItem<'a> {
    Element(NodeRef<'a, Node>),
    InlineRun(Vec<NodeRef<'a, Node>>),
}

/// Deeper element nesting than this is not a real document; the walkers below recurse, so such
/// input is reduced to its text before they see it (a stack overflow would take the process down).
const MAX_DEPTH: usize = 200;

/// Parses a document or a fragment; the result's `<body>` holds the content.
pub(crate) fn parse(html: &str) -> Html {
    let doc = Html::parse_document(html);
    if depth(&doc) <= MAX_DEPTH {
        return doc;
    }
    // Keep every piece of text, one paragraph per text node, and drop the nesting.
    let mut flat = String::new();
    for node in doc.tree.root().descendants() {
        if let Node::Text(t) = node.value() {
            if !t.trim().is_empty() {
                flat.push_str(&format!("<p>{}</p>", escape_text(t.trim())));
            }
        }
    }
    Html::parse_document(&flat)
}

/// The deepest element nesting of a parsed document, found without recursion.
fn depth(doc: &Html) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    for edge in doc.tree.root().traverse() {
        match edge {
            ego_tree::iter::Edge::Open(_) => {
                depth += 1;
                max = max.max(depth);
            }
            ego_tree::iter::Edge::Close(_) => depth -= 1,
        }
    }
    max
}

pub(crate) fn body(doc: &Html) -> Option<NodeRef<'_, Node>> {
    let root = doc.root_element();
    root.children().find(|n| n.value().as_element().is_some_and(|e| e.name() == "body"))
}

/// The top-level items of a parsed document's body, containers unwrapped.
pub(crate) fn top_level_items(doc: &Html) -> Vec<TopItem<'_>> {
    let mut items = Vec::new();
    if let Some(body) = body(doc) {
        collect_items(body, &mut items);
    }
    items
}

fn collect_items<'a>(parent: NodeRef<'a, Node>, items: &mut Vec<TopItem<'a>>) {
    let mut run: Vec<NodeRef<'a, Node>> = Vec::new();
    let flush = |run: &mut Vec<NodeRef<'a, Node>>, items: &mut Vec<TopItem<'a>>| {
        let has_content = run.iter().any(|n| match n.value() {
            Node::Text(t) => !t.trim().is_empty(),
            Node::Element(_) => true,
            _ => false,
        });
        if has_content {
            items.push(TopItem::InlineRun(std::mem::take(run)));
        } else {
            run.clear();
        }
    };
    for child in parent.children() {
        match child.value() {
            Node::Element(e) => {
                let tag = e.name();
                if DROPPED_TAGS.contains(&tag) {
                    continue;
                }
                if !is_block_tag(tag) {
                    run.push(child);
                    continue;
                }
                flush(&mut run, items);
                let unwrap = e.attr(CHUNK_ATTR).is_none()
                    && CONTAINER_TAGS.contains(&tag)
                    && child.children().any(|c| c.value().as_element().is_some_and(|ce| is_block_tag(ce.name())));
                if unwrap {
                    collect_items(child, items);
                } else if tag == "li" || tag == "dd" || tag == "dt" || tag == "figcaption" {
                    // A stray list item at the top level reads as a paragraph.
                    items.push(TopItem::InlineRun(child.children().collect()));
                } else {
                    items.push(TopItem::Element(child));
                }
            }
            Node::Text(_) => run.push(child),
            _ => {}
        }
    }
    flush(&mut run, items);
}

/// Serializes a node (elements, text; comments dropped). `map_text` rewrites each text node.
pub(crate) fn serialize_node(node: NodeRef<'_, Node>, out: &mut String, map_text: &mut dyn FnMut(&str) -> String) {
    match node.value() {
        Node::Text(t) => {
            let in_raw = node
                .parent()
                .and_then(|p| p.value().as_element().map(|e| e.name() == "pre" || e.name() == "code"))
                .unwrap_or(false);
            let text = if in_raw { t.to_string() } else { map_text(t) };
            out.push_str(&escape_text(&text));
        }
        Node::Element(_) => serialize_element(node, None, out, map_text),
        _ => {}
    }
}

/// Serializes an element; `chunk_id`, when given, is written first and replaces any existing one.
pub(crate) fn serialize_element(
    node: NodeRef<'_, Node>,
    chunk_id: Option<&str>,
    out: &mut String,
    map_text: &mut dyn FnMut(&str) -> String,
) {
    let Some(e) = node.value().as_element() else { return };
    let tag = e.name();
    if DROPPED_TAGS.contains(&tag) {
        return;
    }
    out.push('<');
    out.push_str(tag);
    if let Some(id) = chunk_id {
        out.push_str(&format!(" {CHUNK_ATTR}=\"{}\"", escape_attr(id)));
    }
    for (name, value) in e.attrs() {
        if chunk_id.is_some() && name == CHUNK_ATTR {
            continue;
        }
        // Event handlers would run in the client's webview; a document never needs them.
        if name.starts_with("on") {
            continue;
        }
        out.push_str(&format!(" {name}=\"{}\"", escape_attr(value)));
    }
    out.push('>');
    if VOID_TAGS.contains(&tag) {
        return;
    }
    for child in node.children() {
        serialize_node(child, out, map_text);
    }
    out.push_str("</");
    out.push_str(tag);
    out.push('>');
}

/// The text of a node: whitespace collapsed, line breaks between block-level descendants and `<br>`.
pub(crate) fn node_text(node: NodeRef<'_, Node>) -> String {
    let mut raw = String::new();
    collect_text(node, &mut raw);
    raw.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn collect_text(node: NodeRef<'_, Node>, out: &mut String) {
    match node.value() {
        Node::Text(t) => out.push_str(&t.replace('\n', " ")),
        Node::Element(e) => {
            let tag = e.name();
            if DROPPED_TAGS.contains(&tag) {
                return;
            }
            if tag == "br" {
                out.push('\n');
                return;
            }
            let blockish = is_block_tag(tag) || matches!(tag, "tr" | "li");
            if blockish {
                out.push('\n');
            }
            for c in node.children() {
                collect_text(c, out);
                if c.value().as_element().is_some_and(|e| matches!(e.name(), "td" | "th")) {
                    out.push('\t');
                }
            }
            if blockish {
                out.push('\n');
            }
        }
        _ => {}
    }
}

pub(crate) fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\u{a0}' => out.push_str("&nbsp;"),
            c => out.push(c),
        }
    }
    out
}

pub(crate) fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\u{a0}' => out.push_str("&nbsp;"),
            c => out.push(c),
        }
    }
    out
}

/// Rewrites the text nodes of one block's HTML (markup and attributes untouched).
pub(crate) fn map_block_text(block_html: &str, map_text: &mut dyn FnMut(&str) -> String) -> String {
    let doc = parse(block_html);
    let mut out = String::new();
    for item in top_level_items(&doc) {
        match item {
            TopItem::Element(node) => serialize_element(node, None, &mut out, map_text),
            TopItem::InlineRun(nodes) => nodes.into_iter().for_each(|n| serialize_node(n, &mut out, map_text)),
        }
    }
    out
}

/// Keeps a block's text up to its `keep` first non-whitespace characters, dropping later text and
/// the elements it lived in, and closing every element that stays open. Counting only visible
/// characters makes the cut independent of how the HTML source is spaced.
pub(crate) fn truncate_block(block_html: &str, keep: usize) -> String {
    let doc = parse(block_html);
    let mut out = String::new();
    let mut budget = keep;
    for item in top_level_items(&doc) {
        if let TopItem::Element(node) = item {
            truncate_node(node, &mut budget, &mut out);
        }
    }
    out
}

fn truncate_node(node: NodeRef<'_, Node>, budget: &mut usize, out: &mut String) {
    match node.value() {
        Node::Text(t) => {
            let mut taken = String::new();
            for c in t.chars() {
                if *budget == 0 {
                    break;
                }
                if !c.is_whitespace() {
                    *budget -= 1;
                }
                taken.push(c);
            }
            out.push_str(&escape_text(&taken));
        }
        Node::Element(e) => {
            if *budget == 0 || DROPPED_TAGS.contains(&e.name()) {
                return;
            }
            out.push('<');
            out.push_str(e.name());
            for (name, value) in e.attrs() {
                if !name.starts_with("on") {
                    out.push_str(&format!(" {name}=\"{}\"", escape_attr(value)));
                }
            }
            out.push('>');
            if VOID_TAGS.contains(&e.name()) {
                return;
            }
            for c in node.children() {
                truncate_node(c, budget, out);
            }
            out.push_str(&format!("</{}>", e.name()));
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_top_level_block_gets_an_id_and_existing_ids_are_kept() {
        let html = r#"<h1>T</h1><p data-chunk-id="keep" data-x="1" class="a">One</p><ul><li>a</li></ul><table><tr><td>x</td></tr></table><hr>"#;
        let out = chunkify(html);
        let bs = blocks(&out);
        assert_eq!(bs.len(), 5);
        assert_eq!(bs[1].chunk_id, "keep");
        assert!(bs[1].html.contains("data-x=\"1\"") && bs[1].html.contains("class=\"a\""));
        let ids: HashSet<_> = bs.iter().map(|b| b.chunk_id.clone()).collect();
        assert_eq!(ids.len(), 5, "ids are unique: {ids:?}");
        assert_eq!(bs[0].tag(), "h1");
        assert_eq!(bs[0].heading_level(), Some(1));
        assert_eq!(bs[2].text, "a");
    }

    #[test]
    fn chunkify_is_idempotent() {
        let once = chunkify("<h2>A</h2>text <b>bold</b><div><p>x</p><p>y</p></div>");
        assert_eq!(chunkify(&once), once);
        let bs = blocks(&once);
        assert_eq!(bs.iter().map(|b| b.tag()).collect::<Vec<_>>(), ["h2", "p", "p", "p"]);
        assert_eq!(bs[1].text, "text bold");
    }

    #[test]
    fn duplicate_ids_are_made_unique() {
        let out = chunkify(r#"<p data-chunk-id="c1">a</p><p data-chunk-id="c1">b</p>"#);
        let bs = blocks(&out);
        assert_eq!(bs[0].chunk_id, "c1");
        assert_ne!(bs[1].chunk_id, "c1");
    }

    #[test]
    fn scripts_and_handlers_are_dropped() {
        let out = chunkify(r#"<p onclick="x()">a<script>alert(1)</script></p><script>bad()</script>"#);
        assert!(!out.contains("script") && !out.contains("onclick"), "{out}");
    }

    #[test]
    fn truncation_keeps_markup_closed() {
        let b = truncate_block(
            r#"<p data-chunk-id="c1">One
  <b>two three</b> four</p>"#,
            6,
        );
        assert_eq!(b, "<p data-chunk-id=\"c1\">One\n  <b>two</b></p>");
    }

    #[test]
    fn absurdly_deep_nesting_is_flattened_to_its_text() {
        let depth = 100_000;
        let html = format!("<p>before</p>{}deep text{}", "<b>".repeat(depth), "</b>".repeat(depth));
        let bs = blocks(&html);
        assert_eq!(bs.iter().map(|b| b.text.as_str()).collect::<Vec<_>>(), ["before", "deep text"]);
        let nested = format!("{}x{}", "<div>".repeat(150), "</div>".repeat(150));
        assert_eq!(blocks(&nested)[0].text, "x", "ordinary nesting is left alone");
    }

    #[test]
    fn text_is_escaped_on_the_way_out() {
        let out = chunkify("<p>a &lt; b &amp; c</p>");
        assert!(out.contains("a &lt; b &amp; c"), "{out}");
        assert_eq!(blocks(&out)[0].text, "a < b & c");
    }
}
