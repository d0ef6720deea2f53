//! DOCX → HTML: reads `word/document.xml` (with `styles.xml` for heading names and
//! `numbering.xml` for bullet vs numbered lists) straight from the zip with a streaming XML reader.
//! Headings come from paragraph styles (Title, Heading 1..6), lists from `w:numPr`, tables from
//! `w:tbl`, bold/italic from run properties, the page from the body's `w:sectPr`.
use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use crate::chunks::{escape_attr, escape_text};
use crate::import::{page_setup_from_points, ImportError, PageSetup};

pub(crate) struct DocxContent {
    pub html: String,
    pub page_setup: Option<PageSetup>,
}

/// Parts bigger than this are refused: a zip bomb must not take the process down.
const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;

fn malformed(reason: impl Into<String>) -> ImportError {
    ImportError::Malformed { format: "docx", reason: reason.into() }
}

pub(crate) fn read(bytes: &[u8]) -> Result<DocxContent, ImportError> {
    let mut zip =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| malformed(format!("not a zip archive ({e})")))?;
    let document = read_part(&mut zip, "word/document.xml")?
        .ok_or_else(|| malformed("word/document.xml is missing (not a Word document)"))?;
    let styles = read_part(&mut zip, "word/styles.xml")?.map(|s| parse_styles(&s)).unwrap_or_default();
    let numbering = read_part(&mut zip, "word/numbering.xml")?.map(|s| parse_numbering(&s)).unwrap_or_default();
    let rels = read_part(&mut zip, "word/_rels/document.xml.rels")?.map(|s| parse_rels(&s)).unwrap_or_default();
    Body::new(&styles, &numbering, &rels).read(&document)
}

fn read_part(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Result<Option<String>, ImportError> {
    let file = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => return Err(malformed(format!("{name}: {e}"))),
    };
    let mut buf = Vec::new();
    file.take(MAX_PART_BYTES + 1).read_to_end(&mut buf).map_err(|e| malformed(format!("{name}: {e}")))?;
    if buf.len() as u64 > MAX_PART_BYTES {
        return Err(malformed(format!("{name} is larger than {} MiB", MAX_PART_BYTES >> 20)));
    }
    String::from_utf8(buf).map(Some).map_err(|_| malformed(format!("{name} is not UTF-8 XML")))
}

/// The value of an attribute by local name (`w:val` → `val`).
fn attr(e: &BytesStart, local: &[u8]) -> Option<String> {
    e.attributes().flatten().find(|a| a.key.local_name().as_ref() == local).map(|a| {
        let raw = String::from_utf8_lossy(&a.value).into_owned();
        quick_xml::escape::unescape(&raw).map(|v| v.into_owned()).unwrap_or(raw)
    })
}

/// A toggle property (`<w:b/>`, `<w:b w:val="false"/>`).
fn toggle(e: &BytesStart) -> bool {
    !matches!(attr(e, b"val").as_deref(), Some("0" | "false" | "off" | "none"))
}

/// Walks every start/empty/end/text event of an XML part; `f` gets (event kind, element or text).
fn for_each_event(xml: &str, mut f: impl FnMut(XmlEvent<'_>)) -> Result<(), String> {
    let mut reader = Reader::from_str(xml);
    loop {
        match reader.read_event().map_err(|e| format!("XML error at byte {}: {e}", reader.buffer_position()))? {
            Event::Start(e) => f(XmlEvent::Start(&e)),
            Event::Empty(e) => {
                f(XmlEvent::Start(&e));
                f(XmlEvent::End(e.local_name().as_ref().to_vec()));
            }
            Event::End(e) => f(XmlEvent::End(e.local_name().as_ref().to_vec())),
            Event::Text(t) => f(XmlEvent::Text(t.decode().map_err(|e| e.to_string())?.into_owned())),
            Event::CData(t) => f(XmlEvent::Text(String::from_utf8_lossy(&t).into_owned())),
            Event::GeneralRef(r) => {
                let text = match r.resolve_char_ref().map_err(|e| e.to_string())? {
                    Some(c) => c.to_string(),
                    None => match r.decode().map_err(|e| e.to_string())?.as_ref() {
                        "amp" => "&".into(),
                        "lt" => "<".into(),
                        "gt" => ">".into(),
                        "quot" => "\"".into(),
                        "apos" => "'".into(),
                        _ => String::new(),
                    },
                };
                f(XmlEvent::Text(text))
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

enum XmlEvent<'a> {
    Start(&'a BytesStart<'a>),
    End(Vec<u8>),
    Text(String),
}

/// styleId → heading level (Title = 1, Heading N = N) or list kind, from styles.xml names.
#[derive(Default)]
struct Styles {
    names: HashMap<String, String>,
}

impl Styles {
    fn name(&self, id: &str) -> String {
        self.names.get(id).cloned().unwrap_or_else(|| id.to_string()).to_ascii_lowercase()
    }

    fn heading_level(&self, id: &str) -> Option<u8> {
        let name = self.name(id).replace(' ', "");
        if name == "title" {
            return Some(1);
        }
        if name == "subtitle" {
            return Some(2);
        }
        let n = name.strip_prefix("heading")?.parse::<u8>().ok()?;
        Some(n.clamp(1, 6))
    }
}

fn parse_styles(xml: &str) -> Styles {
    let mut styles = Styles::default();
    let mut current: Option<String> = None;
    let _ = for_each_event(xml, |ev| match ev {
        XmlEvent::Start(e) => match e.local_name().as_ref() {
            b"style" => current = attr(e, b"styleId"),
            b"name" => {
                if let (Some(id), Some(name)) = (current.clone(), attr(e, b"val")) {
                    styles.names.insert(id, name);
                }
            }
            _ => {}
        },
        XmlEvent::End(name) if name == b"style" => current = None,
        _ => {}
    });
    styles
}

/// (numId, ilvl) → ordered?, and numId → its abstract numbering (what makes two numIds one list).
#[derive(Default)]
struct Numbering {
    ordered: HashMap<(String, u8), bool>,
    abstract_of: HashMap<String, String>,
}

fn parse_numbering(xml: &str) -> Numbering {
    let mut abstract_levels: HashMap<(String, u8), bool> = HashMap::new();
    let mut num_to_abstract: HashMap<String, String> = HashMap::new();
    let (mut abs, mut lvl, mut num): (Option<String>, Option<u8>, Option<String>) = (None, None, None);
    let _ = for_each_event(xml, |ev| match ev {
        XmlEvent::Start(e) => match e.local_name().as_ref() {
            b"abstractNum" => abs = attr(e, b"abstractNumId"),
            b"lvl" => lvl = attr(e, b"ilvl").and_then(|v| v.parse().ok()),
            b"numFmt" => {
                if let (Some(a), Some(l), Some(fmt)) = (abs.clone(), lvl, attr(e, b"val")) {
                    // The first definition of an id wins, as in Word and LibreOffice.
                    abstract_levels.entry((a, l)).or_insert(!matches!(fmt.as_str(), "bullet" | "none"));
                }
            }
            b"num" => num = attr(e, b"numId"),
            b"abstractNumId" => {
                if let (Some(n), Some(a)) = (num.clone(), attr(e, b"val")) {
                    num_to_abstract.entry(n).or_insert(a);
                }
            }
            _ => {}
        },
        XmlEvent::End(name) => match name.as_slice() {
            b"abstractNum" => abs = None,
            b"lvl" => lvl = None,
            b"num" => num = None,
            _ => {}
        },
        _ => {}
    });
    let mut numbering = Numbering { abstract_of: num_to_abstract.clone(), ..Numbering::default() };
    for (num, abs) in num_to_abstract {
        for ((a, l), ordered) in &abstract_levels {
            if *a == abs {
                numbering.ordered.insert((num.clone(), *l), *ordered);
            }
        }
    }
    numbering
}

fn parse_rels(xml: &str) -> HashMap<String, String> {
    let mut rels = HashMap::new();
    let _ = for_each_event(xml, |ev| {
        if let XmlEvent::Start(e) = ev {
            if e.local_name().as_ref() == b"Relationship" {
                if let (Some(id), Some(target)) = (attr(e, b"Id"), attr(e, b"Target")) {
                    rels.insert(id, target);
                }
            }
        }
    });
    rels
}

#[derive(Default, Clone, PartialEq)]
struct RunStyle {
    bold: bool,
    italic: bool,
}

#[derive(Default)]
struct Paragraph {
    style: Option<String>,
    num: Option<(String, u8)>,
    /// (text, style, link target)
    runs: Vec<(String, RunStyle, Option<String>)>,
}

impl Paragraph {
    fn inline_html(&self) -> String {
        let mut html = String::new();
        let mut i = 0;
        while i < self.runs.len() {
            // Neighbouring runs with the same look are one span (Word splits runs freely).
            let (_, style, link) = &self.runs[i];
            let mut text = String::new();
            while i < self.runs.len() && self.runs[i].1 == *style && self.runs[i].2 == *link {
                text.push_str(&self.runs[i].0);
                i += 1;
            }
            let mut piece = escape_text(&text).replace('\n', "<br>");
            if style.italic {
                piece = format!("<em>{piece}</em>");
            }
            if style.bold {
                piece = format!("<strong>{piece}</strong>");
            }
            if let Some(href) = link {
                piece = format!("<a href=\"{}\">{piece}</a>", escape_attr(href));
            }
            html.push_str(&piece);
        }
        html
    }

    fn is_blank(&self) -> bool {
        self.runs.iter().all(|(t, _, _)| t.trim().is_empty())
    }
}

struct Table {
    rows: Vec<Vec<String>>,
    cell: Vec<String>,
    header_row: bool,
    header_rows: usize,
}

struct Body<'a> {
    styles: &'a Styles,
    numbering: &'a Numbering,
    rels: &'a HashMap<String, String>,
    out: String,
    /// Pending list items: (level, ordered, inline html), and the numbering id of the list.
    list: Vec<(u8, bool, String)>,
    list_num: Option<String>,
    para: Option<Paragraph>,
    run: RunStyle,
    in_run_props: bool,
    in_para_props: bool,
    link: Option<String>,
    in_text: bool,
    tables: Vec<Table>,
    /// Depth inside `mc:Fallback`, whose content duplicates `mc:Choice`.
    skip: usize,
    page: Option<(f32, f32)>,
    margins: [f32; 4],
}

impl<'a> Body<'a> {
    fn new(styles: &'a Styles, numbering: &'a Numbering, rels: &'a HashMap<String, String>) -> Self {
        Self {
            styles,
            numbering,
            rels,
            out: String::new(),
            list: Vec::new(),
            list_num: None,
            para: None,
            run: RunStyle::default(),
            in_run_props: false,
            in_para_props: false,
            link: None,
            in_text: false,
            tables: Vec::new(),
            skip: 0,
            page: None,
            margins: [1.0; 4],
        }
    }

    fn read(mut self, xml: &str) -> Result<DocxContent, ImportError> {
        let mut saw_body = false;
        for_each_event(xml, |ev| {
            if let XmlEvent::Start(e) = &ev {
                if e.local_name().as_ref() == b"body" {
                    saw_body = true;
                }
            }
            self.event(ev)
        })
        .map_err(malformed)?;
        if !saw_body {
            return Err(malformed("word/document.xml has no w:body"));
        }
        self.flush_list();
        let page_setup = self.page.map(|(w, h)| page_setup_from_points(w, h, self.margins));
        Ok(DocxContent { html: self.out, page_setup })
    }

    fn event(&mut self, ev: XmlEvent<'_>) {
        match ev {
            XmlEvent::Start(e) => {
                let name = e.local_name();
                let name = name.as_ref();
                if self.skip > 0 || name == b"Fallback" {
                    self.skip += 1;
                    return;
                }
                self.start(name, e);
            }
            XmlEvent::End(name) => {
                if self.skip > 0 {
                    self.skip -= 1;
                    return;
                }
                self.end(&name);
            }
            XmlEvent::Text(t) => {
                if self.skip == 0 && self.in_text {
                    self.push_text(&t);
                }
            }
        }
    }

    fn start(&mut self, name: &[u8], e: &BytesStart) {
        match name {
            b"p" => self.para = Some(Paragraph::default()),
            b"pPr" => self.in_para_props = true,
            b"rPr" if self.para.is_some() && !self.in_para_props => self.in_run_props = true,
            b"pStyle" => {
                if let Some(p) = self.para.as_mut() {
                    p.style = attr(e, b"val");
                }
            }
            b"ilvl" => {
                if let Some(p) = self.para.as_mut() {
                    let lvl = attr(e, b"val").and_then(|v| v.parse().ok()).unwrap_or(0);
                    let id = p.num.take().map(|(id, _)| id).unwrap_or_default();
                    p.num = Some((id, lvl));
                }
            }
            b"numId" => {
                if let Some(p) = self.para.as_mut() {
                    let lvl = p.num.take().map(|(_, l)| l).unwrap_or(0);
                    p.num = Some((attr(e, b"val").unwrap_or_default(), lvl));
                }
            }
            b"r" => self.run = RunStyle::default(),
            b"b" if self.in_run_props => self.run.bold = toggle(e),
            b"i" if self.in_run_props => self.run.italic = toggle(e),
            b"t" => self.in_text = true,
            b"tab" if !self.in_para_props => self.push_text("\t"),
            b"br" | b"cr" => self.push_text("\n"),
            b"hyperlink" => {
                self.link = attr(e, b"id")
                    .and_then(|id| self.rels.get(&id).cloned())
                    .or_else(|| attr(e, b"anchor").map(|a| format!("#{a}")))
            }
            b"tbl" => {
                self.flush_list();
                self.tables.push(Table { rows: Vec::new(), cell: Vec::new(), header_row: false, header_rows: 0 });
            }
            b"tr" => {
                if let Some(t) = self.tables.last_mut() {
                    t.rows.push(Vec::new());
                    t.header_row = false;
                }
            }
            b"tblHeader" => {
                if let Some(t) = self.tables.last_mut() {
                    t.header_row = toggle(e);
                }
            }
            b"tc" => {
                if let Some(t) = self.tables.last_mut() {
                    t.cell.clear();
                }
            }
            // A picture cannot be carried as text; a marker keeps its place visible.
            b"docPr" => {
                let label =
                    attr(e, b"descr").filter(|d| !d.trim().is_empty()).or_else(|| attr(e, b"name")).unwrap_or_default();
                let marker =
                    if label.trim().is_empty() { "[image]".to_string() } else { format!("[image: {}]", label.trim()) };
                self.push_text(&marker);
            }
            b"pgSz" => {
                let tw = |k: &[u8]| attr(e, k).and_then(|v| v.parse::<f32>().ok()).map(|v| v / 20.0);
                if let (Some(w), Some(h)) = (tw(b"w"), tw(b"h")) {
                    self.page = Some((w, h));
                }
            }
            b"pgMar" => {
                let inch =
                    |k: &[u8], d: f32| attr(e, k).and_then(|v| v.parse::<f32>().ok()).map(|v| v / 1440.0).unwrap_or(d);
                self.margins = [inch(b"top", 1.0), inch(b"right", 1.0), inch(b"bottom", 1.0), inch(b"left", 1.0)];
            }
            _ => {}
        }
    }

    fn end(&mut self, name: &[u8]) {
        match name {
            b"pPr" => self.in_para_props = false,
            b"rPr" => self.in_run_props = false,
            b"t" => self.in_text = false,
            b"hyperlink" => self.link = None,
            b"p" => {
                if let Some(p) = self.para.take() {
                    self.finish_paragraph(p);
                }
            }
            b"tc" => {
                if let Some(t) = self.tables.last_mut() {
                    let html = t.cell.join("<br>");
                    if let Some(row) = t.rows.last_mut() {
                        row.push(html);
                    }
                }
            }
            b"tr" => {
                if let Some(t) = self.tables.last_mut() {
                    if t.header_row && t.header_rows + 1 == t.rows.len() {
                        t.header_rows += 1;
                    }
                }
            }
            b"tbl" => {
                if let Some(t) = self.tables.pop() {
                    let html = table_html(&t);
                    match self.tables.last_mut() {
                        Some(outer) => outer.cell.push(html),
                        None => self.out.push_str(&html),
                    }
                }
            }
            _ => {}
        }
    }

    fn push_text(&mut self, text: &str) {
        if let Some(p) = self.para.as_mut() {
            p.runs.push((text.to_string(), self.run.clone(), self.link.clone()));
        }
    }

    fn finish_paragraph(&mut self, p: Paragraph) {
        let inline = p.inline_html();
        if let Some(t) = self.tables.last_mut() {
            if !p.is_blank() {
                t.cell.push(inline);
            }
            return;
        }
        if p.is_blank() {
            return;
        }
        let style = p.style.as_deref().unwrap_or("");
        let style_name = self.styles.name(style);
        let list_kind = match &p.num {
            Some((id, lvl)) if !id.is_empty() && id != "0" => {
                Some((id.clone(), *lvl, self.numbering.ordered.get(&(id.clone(), *lvl)).copied().unwrap_or(false)))
            }
            _ if style_name.starts_with("list bullet") => Some(("bullet-style".into(), 0, false)),
            _ if style_name.starts_with("list number") => Some(("number-style".into(), 0, true)),
            _ => None,
        };
        if let Some((num, lvl, ordered)) = list_kind {
            // Word and LibreOffice may give items of one list different numIds over the same
            // abstract numbering; a different abstract numbering at the top level is a new list.
            let num = self.numbering.abstract_of.get(&num).cloned().unwrap_or(num);
            if lvl == 0 && self.list_num.as_ref().is_some_and(|n| *n != num) {
                self.flush_list();
            }
            if self.list.is_empty() || lvl == 0 {
                self.list_num = Some(num);
            }
            self.list.push((lvl.min(8), ordered, inline));
            return;
        }
        self.flush_list();
        if let Some(level) = self.styles.heading_level(style) {
            self.out.push_str(&format!("<h{level}>{inline}</h{level}>"));
        } else if style_name.contains("quote") {
            self.out.push_str(&format!("<blockquote><p>{inline}</p></blockquote>"));
        } else {
            self.out.push_str(&format!("<p>{inline}</p>"));
        }
    }

    /// Writes pending list items as nested `<ul>`/`<ol>`.
    fn flush_list(&mut self) {
        if self.list.is_empty() {
            return;
        }
        let items = std::mem::take(&mut self.list);
        self.list_num = None;
        let mut html = String::new();
        // Open lists by level: (level, tag).
        let mut open: Vec<(u8, &str)> = Vec::new();
        for (lvl, ordered, inline) in items {
            let tag = if ordered { "ol" } else { "ul" };
            while open.last().is_some_and(|(l, _)| *l > lvl) {
                let (_, t) = open.pop().unwrap();
                html.push_str(&format!("</li></{t}>"));
            }
            match open.last() {
                Some((l, _)) if *l == lvl => html.push_str("</li>"),
                _ => {
                    html.push_str(&format!("<{tag}>"));
                    open.push((lvl, tag));
                }
            }
            html.push_str(&format!("<li>{inline}"));
        }
        while let Some((_, t)) = open.pop() {
            html.push_str(&format!("</li></{t}>"));
        }
        self.out.push_str(&html);
    }
}

fn table_html(t: &Table) -> String {
    let mut html = String::from("<table>");
    let header = if t.header_rows > 0 { t.header_rows } else { 0 };
    for (i, row) in t.rows.iter().enumerate() {
        let cell_tag = if i < header { "th" } else { "td" };
        html.push_str("<tr>");
        for cell in row {
            html.push_str(&format!("<{cell_tag}>{cell}</{cell_tag}>"));
        }
        html.push_str("</tr>");
    }
    html.push_str("</table>");
    html
}
