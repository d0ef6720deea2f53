//! The deterministic stand-in for the AI: recognises a handful of instructions and turns each into
//! real edits of the chunked document (one `Edit` per chunk touched), a plain-words reply and a
//! few progress lines. Anything it does not recognise gets a reply describing the document.
//!
//! Recognised (case-insensitive): "add a summary" / "summarize"; "make it formal"; "delete/remove
//! the section about X"; "replace X with Y" / "rename X to Y" / "change X to Y"; "add a section
//! called X"; "fix typos" / "proofread"; "shorten" / "make it shorter"; and, on an empty document,
//! "write/draft X".
use std::collections::HashMap;

use crate::chunks::{self, escape_text, Block, IdAllocator};
use crate::prose::{self, CONTRACTIONS, MISSPELLINGS};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditOperation {
    Edit,
    Create,
    Delete,
}

/// One proposed change to a chunked document.
#[derive(Debug, Clone, PartialEq)]
pub struct Edit {
    pub operation: EditOperation,
    /// The chunk edited or deleted (None for `Create`).
    pub chunk_id: Option<String>,
    pub old_html: Option<String>,
    pub new_html: Option<String>,
    /// For `Create`: the chunk the new block goes after (None = at the start).
    pub insert_after_chunk_id: Option<String>,
    pub explanation: String,
}

/// What the stand-in AI would do with one instruction.
#[derive(Debug, Clone, PartialEq)]
pub struct EditPlan {
    /// The chat reply: says what was done (or answers, when nothing changes).
    pub reply: String,
    /// Progress lines, shown while the turn runs ("Reading the document", ...).
    pub progress: Vec<String>,
    pub edits: Vec<Edit>,
    /// The document with every edit applied.
    pub new_html: String,
    /// One line for `changes_summary`.
    pub summary: String,
}

/// Plans the edits one instruction makes to a document.
pub fn plan(instruction: &str, document_html: &str) -> EditPlan {
    let doc = Doc::read(document_html);
    let outcome = match Intent::parse(instruction) {
        Intent::Draft(topic) if doc.is_empty() => draft(&doc, &topic),
        _ if doc.is_empty() => empty_document_reply(),
        Intent::Delete(target) => delete_section(&doc, &target),
        Intent::Replace(from, to) => replace(&doc, &from, &to),
        Intent::AddSection(title) => add_section(&doc, &title),
        Intent::Summarize => summarize(&doc),
        Intent::Formal => rewrite_words(&doc, Rewrite::Formal),
        Intent::FixTypos => rewrite_words(&doc, Rewrite::Typos),
        Intent::Shorten => shorten(&doc),
        Intent::Draft(_) | Intent::Other => describe(&doc),
    };
    let edit_refs: Vec<&Edit> = outcome.edits.iter().collect();
    let new_html = apply(document_html, &edit_refs);
    EditPlan {
        reply: outcome.reply,
        progress: outcome.progress,
        new_html,
        summary: outcome.summary,
        edits: outcome.edits,
    }
}

/// Applies a subset of a plan's edits (the approved ones) to the document they were planned on.
/// Edits whose chunk is gone are skipped; creations keep their relative order even when the
/// creation they followed was not approved.
pub fn apply(document_html: &str, edits: &[&Edit]) -> String {
    let mut blocks: Vec<(String, String)> =
        chunks::blocks(document_html).into_iter().map(|b| (b.chunk_id, b.html)).collect();
    let position = |blocks: &[(String, String)], id: &str| blocks.iter().position(|(bid, _)| bid == id);
    // The last block created after each anchor, so later creations go after it.
    let mut last_created: HashMap<Option<String>, String> = HashMap::new();
    for edit in edits {
        match edit.operation {
            EditOperation::Edit => {
                let (Some(id), Some(new)) = (&edit.chunk_id, &edit.new_html) else { continue };
                if let Some(i) = position(&blocks, id) {
                    blocks[i].1 = new.clone();
                }
            }
            EditOperation::Delete => {
                let Some(id) = &edit.chunk_id else { continue };
                if let Some(i) = position(&blocks, id) {
                    blocks.remove(i);
                }
            }
            EditOperation::Create => {
                let Some(new) = &edit.new_html else { continue };
                let Some(created) = chunks::blocks(new).into_iter().next() else { continue };
                let anchor = edit.insert_after_chunk_id.clone();
                let after = last_created
                    .get(&anchor)
                    .filter(|id| position(&blocks, id).is_some())
                    .cloned()
                    .or_else(|| anchor.clone());
                let at = match &after {
                    None => 0,
                    Some(id) => position(&blocks, id).map(|i| i + 1).unwrap_or(blocks.len()),
                };
                last_created.insert(anchor, created.chunk_id.clone());
                blocks.insert(at, (created.chunk_id, created.html));
            }
        }
    }
    chunks::join_blocks(blocks.iter().map(|(_, html)| html.as_str()))
}

/// What a rule produced.
struct Outcome {
    reply: String,
    progress: Vec<String>,
    edits: Vec<Edit>,
    summary: String,
}

impl Outcome {
    fn answer(reply: String, progress: Vec<String>) -> Self {
        Self { reply, progress, edits: Vec::new(), summary: String::new() }
    }
}

/// The document as the rules see it.
struct Doc {
    blocks: Vec<Block>,
}

impl Doc {
    fn read(html: &str) -> Self {
        Self { blocks: chunks::blocks(html) }
    }

    fn is_empty(&self) -> bool {
        self.blocks.iter().all(|b| b.text.trim().is_empty() && b.tag() != "hr")
    }

    fn ids(&self) -> IdAllocator {
        IdAllocator::for_blocks(&self.blocks)
    }

    /// The title: a first block that is a heading.
    fn title(&self) -> Option<&Block> {
        self.blocks.first().filter(|b| b.heading_level().is_some())
    }

    fn paragraphs(&self) -> impl Iterator<Item = &Block> {
        self.blocks.iter().filter(|b| b.tag() == "p")
    }

    fn sections(&self) -> usize {
        let title = self.title().map(|b| b.chunk_id.as_str());
        self.blocks.iter().filter(|b| b.heading_level().is_some() && Some(b.chunk_id.as_str()) != title).count()
    }

    fn words(&self) -> usize {
        self.blocks.iter().map(|b| prose::word_count(&b.text)).sum()
    }

    /// "Reading the document (4 sections, 12 paragraphs)"
    fn reading_line(&self) -> String {
        format!(
            "Reading the document ({}, {})",
            plural(self.sections(), "section"),
            plural(self.paragraphs().count(), "paragraph")
        )
    }
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn quote(s: &str) -> String {
    format!("\u{201c}{s}\u{201d}")
}

fn new_block(ids: &mut IdAllocator, tag: &str, inner_html: &str) -> String {
    format!("<{tag} data-chunk-id=\"{}\">{inner_html}</{tag}>", ids.fresh())
}

fn create(new_html: String, after: Option<&str>, explanation: impl Into<String>) -> Edit {
    Edit {
        operation: EditOperation::Create,
        chunk_id: None,
        old_html: None,
        new_html: Some(new_html),
        insert_after_chunk_id: after.map(str::to_string),
        explanation: explanation.into(),
    }
}

fn edit(block: &Block, new_html: String, explanation: impl Into<String>) -> Edit {
    Edit {
        operation: EditOperation::Edit,
        chunk_id: Some(block.chunk_id.clone()),
        old_html: Some(block.html.clone()),
        new_html: Some(new_html),
        insert_after_chunk_id: None,
        explanation: explanation.into(),
    }
}

fn delete(block: &Block, explanation: impl Into<String>) -> Edit {
    Edit {
        operation: EditOperation::Delete,
        chunk_id: Some(block.chunk_id.clone()),
        old_html: Some(block.html.clone()),
        new_html: None,
        insert_after_chunk_id: None,
        explanation: explanation.into(),
    }
}

// ---- understanding the instruction ----

#[derive(Debug, PartialEq)]
enum Intent {
    Summarize,
    Formal,
    Delete(String),
    Replace(String, String),
    AddSection(String),
    FixTypos,
    Shorten,
    Draft(String),
    Other,
}

/// Quotes and trailing punctuation around a phrase from the instruction.
fn clean_phrase(s: &str) -> String {
    s.trim()
        .trim_end_matches(['.', '!', '?'])
        .trim()
        .trim_matches(|c| matches!(c, '"' | '\'' | '\u{201c}' | '\u{201d}' | '\u{2018}' | '\u{2019}' | '`'))
        .trim()
        .to_string()
}

/// Removes the first matching prefix (ASCII case-insensitive) and returns the rest.
fn strip_any_prefix<'a>(s: &'a str, prefixes: &[&str]) -> Option<&'a str> {
    prefixes
        .iter()
        .find(|p| s.len() >= p.len() && s.is_char_boundary(p.len()) && s[..p.len()].eq_ignore_ascii_case(p))
        .map(|p| &s[p.len()..])
}

/// Splits `s` at the first ASCII case-insensitive occurrence of `sep`.
fn split_once_ci<'a>(s: &'a str, sep: &str) -> Option<(&'a str, &'a str)> {
    let at = s.to_ascii_lowercase().find(&sep.to_ascii_lowercase())?;
    Some((&s[..at], &s[at + sep.len()..]))
}

impl Intent {
    fn parse(instruction: &str) -> Intent {
        let text = instruction.trim();
        let text = strip_any_prefix(text, &["please ", "can you ", "could you ", "would you "]).unwrap_or(text).trim();
        let text = strip_any_prefix(text, &["please "]).unwrap_or(text).trim();
        let lower = text.to_ascii_lowercase();

        if let Some(rest) = strip_any_prefix(text, &["delete ", "remove ", "drop ", "cut "]) {
            let rest = strip_any_prefix(rest.trim(), &["the "]).unwrap_or(rest).trim();
            let rest = strip_any_prefix(
                rest,
                &[
                    "section about ",
                    "section on ",
                    "section called ",
                    "section titled ",
                    "section named ",
                    "part about ",
                    "section ",
                    "heading ",
                ],
            )
            .unwrap_or(rest);
            let mut target = clean_phrase(rest);
            if let Some(t) = strip_any_prefix(&target, &["about "]) {
                target = t.to_string();
            }
            for suffix in [" section", " part"] {
                if target.to_ascii_lowercase().ends_with(suffix) {
                    target.truncate(target.len() - suffix.len());
                }
            }
            return Intent::Delete(clean_phrase(&target));
        }
        const QUANTIFIERS: &[&str] =
            &["all instances of ", "all occurrences of ", "every instance of ", "all ", "every ", "each "];
        if let Some(rest) = strip_any_prefix(text, &["replace "]) {
            if let Some((from, to)) = split_once_ci(rest, " with ") {
                let from = strip_any_prefix(from.trim(), QUANTIFIERS).unwrap_or(from);
                return Intent::Replace(clean_phrase(from), clean_phrase(to));
            }
        }
        if let Some(rest) = strip_any_prefix(text, &["rename ", "change "]) {
            if let Some((from, to)) = split_once_ci(rest, " to ") {
                let from = strip_any_prefix(from.trim(), QUANTIFIERS).unwrap_or(from);
                return Intent::Replace(clean_phrase(from), clean_phrase(to));
            }
        }
        if let Some(rest) = strip_any_prefix(
            text,
            &[
                "add a new section",
                "add a section",
                "add section",
                "add a heading",
                "insert a section",
                "create a section",
            ],
        ) {
            let rest = rest.trim();
            let title = strip_any_prefix(rest, &["called ", "titled ", "named ", "entitled ", "about ", "on ", "for "])
                .unwrap_or(rest);
            let title = clean_phrase(title);
            return Intent::AddSection(if title.is_empty() { "New Section".into() } else { prose::title_case(&title) });
        }
        if lower.contains("summar") || lower.contains("tl;dr") || lower.contains("tldr") {
            return Intent::Summarize;
        }
        if lower.contains("formal") || lower.contains("contraction") || lower.contains("professional") {
            return Intent::Formal;
        }
        if lower.contains("typo")
            || lower.contains("proofread")
            || lower.contains("spelling")
            || lower.contains("spellcheck")
            || lower.contains("spell check")
        {
            return Intent::FixTypos;
        }
        if lower.contains("shorten")
            || lower.contains("shorter")
            || lower.contains("concise")
            || lower.contains("condense")
            || lower.contains("trim")
        {
            return Intent::Shorten;
        }
        if let Some(rest) = strip_any_prefix(text, &["write ", "draft ", "create ", "compose ", "generate ", "start "])
        {
            let rest = strip_any_prefix(rest.trim(), &["me ", "up "]).unwrap_or(rest).trim();
            let rest = strip_any_prefix(rest, &["a ", "an ", "the ", "some "]).unwrap_or(rest);
            let topic = clean_phrase(rest);
            return Intent::Draft(if topic.is_empty() { "document".into() } else { topic });
        }
        Intent::Other
    }
}

// ---- the rules ----

fn summarize(doc: &Doc) -> Outcome {
    // A summary written earlier is refreshed in place rather than added twice.
    let existing =
        doc.blocks.iter().position(|b| b.heading_level().is_some() && b.text.trim().eq_ignore_ascii_case("summary"));
    let existing_paragraph = existing.and_then(|i| doc.blocks.get(i + 1)).filter(|b| b.tag() == "p");
    let picked: Vec<String> = doc
        .paragraphs()
        .filter(|p| Some(p.chunk_id.as_str()) != existing_paragraph.map(|b| b.chunk_id.as_str()))
        .filter_map(|p| prose::sentences(&p.text).into_iter().next())
        .filter(|s| prose::word_count(s) >= 4)
        .take(3)
        .collect();
    if picked.is_empty() {
        return Outcome::answer(
            "I looked for sentences to summarize, but the document has no paragraphs of text yet.".into(),
            vec![doc.reading_line(), "Looking for key sentences".into(), "Nothing to summarize".into()],
        );
    }
    let n = picked.len();
    let text = escape_text(&picked.join(" "));
    let mut ids = doc.ids();
    let reading = vec![
        doc.reading_line(),
        format!("Picking the key sentence of {}", plural(n, "paragraph")),
        "Drafting the summary".into(),
    ];
    if let Some(i) = existing {
        let heading = &doc.blocks[i];
        let (edit, how) = match existing_paragraph {
            Some(p) if p.text == picked.join(" ") => {
                return Outcome::answer(
                    "The summary is already up to date with the document; nothing to change.".into(),
                    vec![
                        doc.reading_line(),
                        "Comparing the summary with the document".into(),
                        "Summary is current".into(),
                    ],
                );
            }
            Some(p) => {
                let new_html = format!("<p data-chunk-id=\"{}\">{text}</p>", p.chunk_id);
                (edit(p, new_html, format!("Refreshed the {n}-sentence summary")), "Updated")
            }
            None => (
                create(
                    new_block(&mut ids, "p", &text),
                    Some(&heading.chunk_id),
                    format!("A {n}-sentence summary of the document"),
                ),
                "Filled in",
            ),
        };
        let mut progress = reading;
        progress.push("Updating the existing summary".into());
        return Outcome {
            reply: format!(
                "{how} the existing summary with {n} sentences drawn from the opening of the first paragraphs."
            ),
            progress,
            edits: vec![edit],
            summary: format!("{how} the summary"),
        };
    }
    let title = doc.title();
    let level = title.and_then(Block::heading_level).map(|l| (l + 1).min(6)).unwrap_or(2);
    let after = title.map(|b| b.chunk_id.as_str());
    let heading = new_block(&mut ids, &format!("h{level}"), "Summary");
    let paragraph = new_block(&mut ids, "p", &text);
    let place = if title.is_some() { "after the title" } else { "at the top of the document" };
    let mut progress = reading;
    progress.push(format!("Placing it {place}"));
    Outcome {
        reply: format!(
            "Added a {n}-sentence summary {place}, built from the opening sentences of the first paragraphs."
        ),
        progress,
        edits: vec![
            create(heading, after, "Summary heading"),
            create(paragraph, after, format!("A {n}-sentence summary of the document")),
        ],
        summary: format!("Added a {n}-sentence summary"),
    }
}

enum Rewrite {
    Formal,
    Typos,
}

/// Word-level rewrites (contractions, misspellings): one edit per chunk that changes.
fn rewrite_words(doc: &Doc, rewrite: Rewrite) -> Outcome {
    let dict = match rewrite {
        Rewrite::Formal => CONTRACTIONS,
        Rewrite::Typos => MISSPELLINGS,
    };
    let mut edits = Vec::new();
    let mut all_changes: Vec<(String, String)> = Vec::new();
    for b in &doc.blocks {
        if b.tag() == "pre" {
            continue; // code is not prose
        }
        let mut changes = Vec::new();
        let new_html = chunks::map_block_text(&b.html, &mut |text| {
            let (out, mut ch) = prose::replace_words(text, dict);
            changes.append(&mut ch);
            out
        });
        if changes.is_empty() || new_html == b.html {
            continue;
        }
        let listed: Vec<String> = changes.iter().map(|(f, t)| format!("{f} \u{2192} {t}")).collect();
        let what = match rewrite {
            Rewrite::Formal => "Expanded",
            Rewrite::Typos => "Corrected",
        };
        edits.push(edit(b, new_html, format!("{what}: {}", listed.join(", "))));
        all_changes.extend(changes);
    }
    let (noun, done) = match rewrite {
        Rewrite::Formal => ("contraction", "Rewrote"),
        Rewrite::Typos => ("misspelling", "Fixed"),
    };
    let scanning = match rewrite {
        Rewrite::Formal => "Scanning for contractions and casual wording",
        Rewrite::Typos => "Checking the spelling word by word",
    };
    if edits.is_empty() {
        let reply = match rewrite {
            Rewrite::Formal => {
                "The document has no contractions or casual words to rewrite; it already reads formally."
            }
            Rewrite::Typos => "I proofread the document and found none of the common misspellings I check for.",
        };
        return Outcome::answer(reply.into(), vec![doc.reading_line(), scanning.into(), "No changes needed".into()]);
    }
    let example = all_changes
        .first()
        .map(|(f, t)| format!(" (for example {} \u{2192} {})", quote(f), quote(t)))
        .unwrap_or_default();
    let mut reply = format!("{done} {} in {}{example}.", plural(all_changes.len(), noun), plural(edits.len(), "block"));
    if matches!(rewrite, Rewrite::Formal) {
        reply = format!("{reply} The wording is otherwise unchanged.");
    }
    Outcome {
        reply,
        progress: vec![
            doc.reading_line(),
            scanning.into(),
            format!("Found {}", plural(all_changes.len(), noun)),
            format!("Rewriting {}", plural(edits.len(), "block")),
        ],
        summary: format!("{done} {}", plural(all_changes.len(), noun)),
        edits,
    }
}

fn delete_section(doc: &Doc, target: &str) -> Outcome {
    let headings: Vec<(usize, &Block)> =
        doc.blocks.iter().enumerate().filter(|(_, b)| b.heading_level().is_some()).collect();
    let list_sections = || {
        let names: Vec<String> = headings.iter().map(|(_, b)| quote(&b.text)).collect();
        if names.is_empty() {
            "The document has no headings.".to_string()
        } else {
            format!("Its sections are: {}.", names.join(", "))
        }
    };
    if target.is_empty() {
        return Outcome::answer(
            format!("Which section should I delete? {}", list_sections()),
            vec![doc.reading_line(), "Listing the sections".into(), "Waiting for a section name".into()],
        );
    }
    let wanted = target.to_lowercase();
    let found = headings
        .iter()
        .find(|(_, b)| b.text.to_lowercase() == wanted)
        .or_else(|| headings.iter().find(|(_, b)| b.text.to_lowercase().contains(&wanted)))
        .or_else(|| {
            // "delete the section about pricing details" may name more than the heading says.
            headings.iter().find(|(_, b)| !b.text.trim().is_empty() && wanted.contains(&b.text.to_lowercase()))
        });
    let Some(&(start, heading)) = found else {
        return Outcome::answer(
            format!("I couldn't find a section about {}. {}", quote(target), list_sections()),
            vec![
                doc.reading_line(),
                format!("Looking for a heading about {}", quote(target)),
                "No matching section".into(),
            ],
        );
    };
    let level = heading.heading_level().unwrap_or(1);
    let end = doc.blocks[start + 1..]
        .iter()
        .position(|b| b.heading_level().is_some_and(|l| l <= level))
        .map(|p| start + 1 + p)
        .unwrap_or(doc.blocks.len());
    let removed = &doc.blocks[start..end];
    let words: usize = removed.iter().map(|b| prose::word_count(&b.text)).sum();
    let edits: Vec<Edit> = removed
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let why = if i == 0 {
                format!("Heading of the section {}", quote(&heading.text))
            } else {
                format!("Part of the section {}", quote(&heading.text))
            };
            delete(b, why)
        })
        .collect();
    Outcome {
        reply: format!(
            "Removed the section {} ({} and {}, {}).",
            quote(&heading.text),
            "its heading",
            plural(removed.len() - 1, "block"),
            plural(words, "word")
        ),
        progress: vec![
            doc.reading_line(),
            format!("Found the section {}", quote(&heading.text)),
            format!("Marking {} for removal", plural(removed.len(), "block")),
            "Checking the sections around it stay intact".into(),
        ],
        summary: format!("Removed the section {}", quote(&heading.text)),
        edits,
    }
}

fn replace(doc: &Doc, from: &str, to: &str) -> Outcome {
    if from.is_empty() {
        return Outcome::answer(
            "Tell me what to replace, for example: replace \u{201c}Acme\u{201d} with \u{201c}Globex\u{201d}.".into(),
            vec![doc.reading_line(), "Reading the instruction".into(), "Nothing to replace".into()],
        );
    }
    let mut edits = Vec::new();
    let mut total = 0;
    for b in &doc.blocks {
        if !b.text.to_lowercase().contains(&from.to_lowercase()) {
            continue;
        }
        let mut count = 0;
        let new_html = chunks::map_block_text(&b.html, &mut |text| {
            let (out, n) = prose::replace_phrase(text, from, to);
            count += n;
            out
        });
        if count > 0 && new_html != b.html {
            edits.push(edit(b, new_html, format!("Replaced {} with {} ({}x)", quote(from), quote(to), count)));
            total += count;
        }
    }
    if edits.is_empty() {
        return Outcome::answer(
            format!("I couldn't find {} in the document, so nothing was replaced.", quote(from)),
            vec![doc.reading_line(), format!("Searching for {}", quote(from)), "No occurrences found".into()],
        );
    }
    Outcome {
        reply: format!(
            "Replaced {} with {} in {} across {}.",
            quote(from),
            quote(to),
            plural(total, "place"),
            plural(edits.len(), "block")
        ),
        progress: vec![
            doc.reading_line(),
            format!("Searching for {}", quote(from)),
            format!("Found {}", plural(total, "occurrence")),
            format!("Updating {}", plural(edits.len(), "block")),
        ],
        summary: format!("Replaced {} with {} ({}x)", quote(from), quote(to), total),
        edits,
    }
}

fn add_section(doc: &Doc, title: &str) -> Outcome {
    let mut ids = doc.ids();
    // Match the level the document already uses for its sections.
    let title_id = doc.title().map(|b| b.chunk_id.clone());
    let level = doc
        .blocks
        .iter()
        .filter(|b| Some(&b.chunk_id) != title_id.as_ref())
        .find_map(Block::heading_level)
        .unwrap_or(if title_id.is_some() { 2 } else { 1 });
    let after = doc.blocks.last().map(|b| b.chunk_id.as_str());
    let heading = new_block(&mut ids, &format!("h{level}"), &escape_text(title));
    let placeholder = format!("This section covers {}. Replace this paragraph with its content.", title.to_lowercase());
    let paragraph = new_block(&mut ids, "p", &escape_text(&placeholder));
    Outcome {
        reply: format!(
            "Added a new section {} at the end of the document, with a placeholder paragraph to fill in.",
            quote(title)
        ),
        progress: vec![
            doc.reading_line(),
            format!("Creating the heading {}", quote(title)),
            "Adding a placeholder paragraph".into(),
        ],
        edits: vec![
            create(heading, after, format!("New section heading {}", quote(title))),
            create(paragraph, after, "Placeholder text for the new section"),
        ],
        summary: format!("Added the section {}", quote(title)),
    }
}

fn shorten(doc: &Doc) -> Outcome {
    let mut edits = Vec::new();
    let (mut before, mut after) = (0, 0);
    for b in doc.paragraphs() {
        let sentences = prose::sentences(&b.text);
        if sentences.len() <= 2 {
            continue;
        }
        let kept = format!("{} {}", sentences[0], sentences[1]);
        let visible = kept.chars().filter(|c| !c.is_whitespace()).count();
        let new_html = chunks::truncate_block(&b.html, visible);
        if new_html == b.html {
            continue;
        }
        before += prose::word_count(&b.text);
        after += prose::word_count(&kept);
        edits.push(edit(b, new_html, format!("Kept the first two of {} sentences", sentences.len())));
    }
    if edits.is_empty() {
        return Outcome::answer(
            "Every paragraph is already two sentences or fewer, so there was nothing to shorten.".into(),
            vec![doc.reading_line(), "Measuring each paragraph".into(), "Nothing to trim".into()],
        );
    }
    Outcome {
        reply: format!(
            "Shortened {} to {} first two sentences ({} \u{2192} {}).",
            plural(edits.len(), "long paragraph"),
            if edits.len() == 1 { "its" } else { "their" },
            plural(before, "word"),
            plural(after, "word")
        ),
        progress: vec![
            doc.reading_line(),
            "Measuring each paragraph".into(),
            format!("Trimming {}", plural(edits.len(), "long paragraph")),
            "Keeping the opening sentences".into(),
        ],
        summary: format!("Shortened {}", plural(edits.len(), "paragraph")),
        edits,
    }
}

fn draft(doc: &Doc, topic: &str) -> Outcome {
    let mut ids = doc.ids();
    let title = prose::title_case(topic);
    let t = topic.to_lowercase();
    let parts: Vec<(&str, String)> = vec![
        ("h1", title.clone()),
        ("p", format!("This {t} sets out the purpose, the main points and the next steps. It is a first draft to edit and extend.")),
        ("h2", "Purpose".into()),
        ("p", format!("The aim of this {t} is to give readers a clear picture of what is proposed and why it matters. It explains the context briefly before going into detail.")),
        ("h2", "Key points".into()),
        ("p", "The main points, in order of importance; each can grow into its own section as the draft develops:".into()),
        ("ul", String::new()),
        ("h2", "Next steps".into()),
        ("p", "Review this draft, fill in the specifics and share it with the people who need to weigh in.".into()),
    ];
    let mut edits = Vec::new();
    let points = [
        format!("What this {t} sets out to achieve"),
        "Who it is for and what they need from it".to_string(),
        "How success will be measured".to_string(),
    ];
    let list_items: String = points.iter().map(|p| format!("<li>{}</li>", escape_text(p))).collect();
    for (tag, text) in &parts {
        let inner = if *tag == "ul" { list_items.clone() } else { escape_text(text) };
        let html = new_block(&mut ids, tag, &inner);
        let why = match *tag {
            "h1" => "Title".to_string(),
            "ul" => "Key points".to_string(),
            t if t.starts_with('h') => format!("Section {}", quote(text)),
            _ => "Draft paragraph".to_string(),
        };
        edits.push(create(html, None, why));
    }
    let sections = parts.iter().filter(|(t, _)| *t == "h2").count();
    Outcome {
        reply: format!(
            "Drafted {}: a title, an introduction and {} (Purpose, Key points, Next steps) to build on.",
            quote(&title),
            plural(sections, "section")
        ),
        progress: vec![
            "Starting from an empty document".into(),
            format!("Outlining {}", quote(&title)),
            format!("Writing {}", plural(sections, "section")),
            "Polishing the introduction".into(),
        ],
        summary: format!("Drafted {}", quote(&title)),
        edits,
    }
}

fn empty_document_reply() -> Outcome {
    Outcome::answer(
        "The document is empty. Ask me to draft something (for example \u{201c}write a project proposal\u{201d}) or upload a file to work on.".into(),
        vec!["Reading the document".into(), "The document is empty".into(), "Waiting for something to write".into()],
    )
}

fn describe(doc: &Doc) -> Outcome {
    let title = doc.title().map(|b| quote(&b.text)).unwrap_or_else(|| "an untitled document".into());
    let reply = format!(
        "I read {title}: {}, {} and {}. I can add a summary, make it formal, fix typos, shorten it, \
         replace or rename a term (\u{201c}replace X with Y\u{201d}), add a section (\u{201c}add a section called Risks\u{201d}) \
         or delete one (\u{201c}delete the section about pricing\u{201d}).",
        plural(doc.sections(), "section"),
        plural(doc.paragraphs().count(), "paragraph"),
        plural(doc.words(), "word"),
    );
    Outcome::answer(
        reply,
        vec![doc.reading_line(), format!("Counting {}", plural(doc.words(), "word")), "Preparing an overview".into()],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instructions_are_recognised() {
        assert_eq!(Intent::parse("Please add a summary."), Intent::Summarize);
        assert_eq!(Intent::parse("SUMMARIZE this"), Intent::Summarize);
        assert_eq!(Intent::parse("make it formal"), Intent::Formal);
        assert_eq!(Intent::parse("Delete the section about Pricing."), Intent::Delete("Pricing".into()));
        assert_eq!(Intent::parse("remove the \"Risks\" section"), Intent::Delete("Risks".into()));
        assert_eq!(
            Intent::parse("Replace Acme with Globex Corp"),
            Intent::Replace("Acme".into(), "Globex Corp".into())
        );
        assert_eq!(
            Intent::parse("rename 'Project X' to 'Apollo'"),
            Intent::Replace("Project X".into(), "Apollo".into())
        );
        assert_eq!(
            Intent::parse("replace all instances of foo with bar."),
            Intent::Replace("foo".into(), "bar".into())
        );
        assert_eq!(Intent::parse("Could you proofread?"), Intent::FixTypos);
        assert_eq!(Intent::parse("remove the summary"), Intent::Delete("summary".into()));
        assert_eq!(Intent::parse("Add a section called next steps"), Intent::AddSection("Next Steps".into()));
        assert_eq!(Intent::parse("add a section titled Summary"), Intent::AddSection("Summary".into()));
        assert_eq!(Intent::parse("fix typos"), Intent::FixTypos);
        assert_eq!(Intent::parse("Proofread it"), Intent::FixTypos);
        assert_eq!(Intent::parse("make it shorter"), Intent::Shorten);
        assert_eq!(Intent::parse("Write a cover letter"), Intent::Draft("cover letter".into()));
        assert_eq!(Intent::parse("what is this about?"), Intent::Other);
    }
}
