//! RTF → HTML: a small tokenizer that keeps the text, paragraph breaks (`\par`), line breaks,
//! bold and italic, and skips destinations that are not body text (font and colour tables,
//! stylesheets, pictures, document info, `\*` extensions).
use crate::chunks::escape_text;
use crate::import::ImportError;

const SKIPPED_DESTINATIONS: &[&str] = &[
    "fonttbl",
    "colortbl",
    "stylesheet",
    "info",
    "pict",
    "header",
    "footer",
    "headerl",
    "headerr",
    "footerl",
    "footerr",
    "object",
    "listtable",
    "listoverridetable",
    "rsidtbl",
    "generator",
    "xmlnstbl",
    "themedata",
    "colorschememapping",
    "latentstyles",
    "datastore",
    "filetbl",
];

#[derive(Clone, Copy, Default)]
struct State {
    bold: bool,
    italic: bool,
    skip: bool,
    /// Characters to drop after a `\u` (the ANSI fallback), from `\ucN`.
    uc: usize,
}

struct Out {
    paragraphs: Vec<String>,
    current: String,
    /// The style of the text currently open in `current`.
    open: (bool, bool),
}

impl Out {
    fn text(&mut self, s: &str, st: &State) {
        if st.skip || s.is_empty() {
            return;
        }
        if self.open != (st.bold, st.italic) {
            self.close();
            if st.bold {
                self.current.push_str("<strong>");
            }
            if st.italic {
                self.current.push_str("<em>");
            }
            self.open = (st.bold, st.italic);
        }
        self.current.push_str(&escape_text(s));
    }

    fn close(&mut self) {
        if self.open.1 {
            self.current.push_str("</em>");
        }
        if self.open.0 {
            self.current.push_str("</strong>");
        }
        self.open = (false, false);
    }

    fn paragraph(&mut self) {
        self.close();
        let p = std::mem::take(&mut self.current);
        if !p.replace("<br>", "").trim().is_empty() {
            self.paragraphs.push(p.trim().to_string());
        }
    }
}

pub(crate) fn to_html(rtf: &str) -> Result<String, ImportError> {
    if !rtf.trim_start().starts_with("{\\rtf") {
        return Err(ImportError::Malformed { format: "rtf", reason: "missing the {\\rtf header".into() });
    }
    let chars: Vec<char> = rtf.chars().collect();
    let mut out = Out { paragraphs: Vec::new(), current: String::new(), open: (false, false) };
    let mut stack: Vec<State> = Vec::new();
    let mut st = State { uc: 1, ..State::default() };
    let mut pending_skip = 0usize;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '{' => {
                stack.push(st);
                i += 1;
                // `{\*\dest ...}` is an optional destination a reader may ignore.
                if chars.get(i) == Some(&'\\') && chars.get(i + 1) == Some(&'*') {
                    st.skip = true;
                }
            }
            '}' => {
                st = stack.pop().unwrap_or_default();
                i += 1;
            }
            '\\' => {
                i += 1;
                let Some(&next) = chars.get(i) else { break };
                if next.is_ascii_alphabetic() {
                    let start = i;
                    while i < chars.len() && chars[i].is_ascii_alphabetic() {
                        i += 1;
                    }
                    let word: String = chars[start..i].iter().collect();
                    let num_start = i;
                    if i < chars.len() && (chars[i] == '-' || chars[i].is_ascii_digit()) {
                        i += 1;
                        while i < chars.len() && chars[i].is_ascii_digit() {
                            i += 1;
                        }
                    }
                    let param: Option<i64> = chars[num_start..i].iter().collect::<String>().parse().ok();
                    if chars.get(i) == Some(&' ') {
                        i += 1; // the delimiter space belongs to the control word
                    }
                    match word.as_str() {
                        "par" | "sect" | "page" => out.paragraph(),
                        "line" => out.text("\n", &st),
                        "tab" => out.text("\t", &st),
                        // Table cells read as tab-separated text, one row per paragraph.
                        "cell" => out.text("\t", &st),
                        "row" => out.paragraph(),
                        "b" => st.bold = param != Some(0),
                        "i" => st.italic = param != Some(0),
                        "plain" => {
                            st.bold = false;
                            st.italic = false;
                        }
                        "uc" => st.uc = param.unwrap_or(1).max(0) as usize,
                        "u" => {
                            let code = param.unwrap_or(0);
                            let code = if code < 0 { code + 65536 } else { code } as u32;
                            if let Some(ch) = char::from_u32(code) {
                                out.text(&ch.to_string(), &st);
                            }
                            pending_skip = st.uc;
                        }
                        "emdash" => out.text("\u{2014}", &st),
                        "endash" => out.text("\u{2013}", &st),
                        "bullet" => out.text("\u{2022}", &st),
                        "lquote" => out.text("\u{2018}", &st),
                        "rquote" => out.text("\u{2019}", &st),
                        "ldblquote" => out.text("\u{201c}", &st),
                        "rdblquote" => out.text("\u{201d}", &st),
                        w if SKIPPED_DESTINATIONS.contains(&w) => st.skip = true,
                        _ => {}
                    }
                    continue;
                }
                i += 1;
                match next {
                    '\'' => {
                        let hex: String = chars.iter().skip(i).take(2).collect();
                        i += 2;
                        if pending_skip > 0 {
                            pending_skip -= 1;
                        } else if let Ok(b) = u8::from_str_radix(&hex, 16) {
                            let byte = [b];
                            let (s, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(&byte);
                            out.text(&s, &st);
                        }
                    }
                    '\\' | '{' | '}' => out.text(&next.to_string(), &st),
                    '~' => out.text("\u{a0}", &st),
                    '-' | '*' => {}
                    '_' => out.text("\u{2011}", &st),
                    '\n' | '\r' => out.paragraph(),
                    _ => {}
                }
            }
            '\r' | '\n' => i += 1,
            _ => {
                i += 1;
                if pending_skip > 0 {
                    pending_skip -= 1;
                    continue;
                }
                out.text(&c.to_string(), &st);
            }
        }
    }
    out.paragraph();
    Ok(out.paragraphs.iter().map(|p| format!("<p>{}</p>", p.replace('\n', "<br>"))).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_paragraphs_and_styles_come_through() {
        let rtf = r"{\rtf1\ansi{\fonttbl{\f0 Arial;}}{\*\generator X;}\f0 Hello \b bold\b0  and \i it\i0 .\par Caf\'e9 \u8364?\par}";
        let html = to_html(rtf).unwrap();
        assert_eq!(html, "<p>Hello <strong>bold</strong> and <em>it</em>.</p><p>Caf\u{e9} \u{20ac}</p>");
    }

    #[test]
    fn non_rtf_is_malformed() {
        assert!(matches!(to_html("plain"), Err(ImportError::Malformed { format: "rtf", .. })));
    }
}
