//! The rule-based editor: each rule changes what it should and nothing else, its edits are real
//! (old_html is the chunk as it was, new chunks get fresh ids), and applying all of them gives the
//! plan's document while applying a subset applies just that subset.
use std::collections::HashSet;

use superdocs_docs::chunks::{blocks, Block};
use superdocs_docs::{apply, plan, Edit, EditOperation, EditPlan};

const DOC: &str = r#"<h1 data-chunk-id="c1">Team Offsite Plan</h1>
<p data-chunk-id="c2" data-owner="ana">We're meeting in Lisbon for three days. It's the first offsite since 2023. The agenda covers strategy, hiring and the budget. Everyone should book travel by Friday.</p>
<h2 data-chunk-id="c3">Pricing</h2>
<p data-chunk-id="c4">The venue doesn't charge for the second room. Acme will recieve the deposit.</p>
<h3 data-chunk-id="c5">Deposits</h3>
<p data-chunk-id="c6">Deposits are due on the 1st.</p>
<h2 data-chunk-id="c7">Travel</h2>
<p data-chunk-id="c8">Flights are booked through <strong>Acme Travel</strong>. Teh hotel is close to the venue.</p>
<ul data-chunk-id="c9"><li>Bring a laptop</li><li>Don't forget your badge</li></ul>"#;

fn by_id(html: &str) -> Vec<(String, String)> {
    blocks(html).into_iter().map(|b| (b.chunk_id, b.html)).collect()
}

fn block<'a>(bs: &'a [Block], id: &str) -> &'a Block {
    bs.iter().find(|b| b.chunk_id == id).unwrap_or_else(|| panic!("no block {id}"))
}

/// Every plan must be internally consistent, whatever the rule.
fn check_plan(p: &EditPlan, original: &str) {
    let all: Vec<&Edit> = p.edits.iter().collect();
    assert_eq!(apply(original, &all), p.new_html, "apply(all) == new_html");
    assert!((3..=6).contains(&p.progress.len()), "3-6 progress lines: {:?}", p.progress);
    assert!(!p.reply.is_empty());
    let before = blocks(original);
    for e in &p.edits {
        match e.operation {
            EditOperation::Edit | EditOperation::Delete => {
                let id = e.chunk_id.as_deref().expect("edit/delete names its chunk");
                assert_eq!(
                    e.old_html.as_deref(),
                    Some(block(&before, id).html.as_str()),
                    "old_html is the chunk as it was"
                );
            }
            EditOperation::Create => {
                assert!(e.chunk_id.is_none() && e.old_html.is_none());
                let new = blocks(e.new_html.as_deref().unwrap());
                assert_eq!(new.len(), 1);
                assert!(before.iter().all(|b| b.chunk_id != new[0].chunk_id), "fresh id");
            }
        }
        if e.operation == EditOperation::Edit {
            let id = e.chunk_id.as_deref().unwrap();
            assert!(e.new_html.as_deref().unwrap().contains(&format!("data-chunk-id=\"{id}\"")), "id kept in new_html");
        }
        assert!(!e.explanation.is_empty());
    }
    let ids: Vec<String> = blocks(&p.new_html).into_iter().map(|b| b.chunk_id).collect();
    assert_eq!(ids.len(), ids.iter().collect::<HashSet<_>>().len(), "ids stay unique");
}

/// Blocks not named by any edit are byte-for-byte unchanged.
fn untouched_blocks_unchanged(p: &EditPlan, original: &str) {
    let touched: HashSet<&str> = p.edits.iter().filter_map(|e| e.chunk_id.as_deref()).collect();
    let after = by_id(&p.new_html);
    for (id, html) in by_id(original) {
        if touched.contains(id.as_str()) {
            continue;
        }
        let now = after.iter().find(|(i, _)| *i == id).unwrap_or_else(|| panic!("{id} lost"));
        assert_eq!(now.1, html, "{id} unchanged");
    }
}

#[test]
fn summary_is_inserted_after_the_title_from_the_documents_own_sentences() {
    let p = plan("Add a summary", DOC);
    check_plan(&p, DOC);
    untouched_blocks_unchanged(&p, DOC);
    assert_eq!(p.edits.len(), 2);
    assert!(p
        .edits
        .iter()
        .all(|e| e.operation == EditOperation::Create && e.insert_after_chunk_id.as_deref() == Some("c1")));
    let after = blocks(&p.new_html);
    assert_eq!(after[0].chunk_id, "c1");
    assert_eq!((after[1].tag().as_str(), after[1].text.as_str()), ("h2", "Summary"));
    assert_eq!(after[2].tag(), "p");
    assert_eq!(
        after[2].text,
        "We're meeting in Lisbon for three days. The venue doesn't charge for the second room. Deposits are due on the 1st."
    );
    assert_eq!(after.len(), blocks(DOC).len() + 2);
    assert!(p.reply.contains("3-sentence summary after the title"), "{}", p.reply);
}

#[test]
fn formal_expands_contractions_one_edit_per_changed_chunk() {
    let p = plan("make it formal", DOC);
    check_plan(&p, DOC);
    untouched_blocks_unchanged(&p, DOC);
    let changed: Vec<&str> = p.edits.iter().map(|e| e.chunk_id.as_deref().unwrap()).collect();
    assert_eq!(changed, ["c2", "c4", "c9"]);
    assert!(p.edits.iter().all(|e| e.operation == EditOperation::Edit));
    let after = blocks(&p.new_html);
    assert!(block(&after, "c2").text.starts_with("We are meeting in Lisbon for three days. It is the first offsite"));
    assert!(block(&after, "c2").html.contains("data-owner=\"ana\""), "other data-* kept");
    assert!(block(&after, "c4").text.starts_with("The venue does not charge"));
    assert_eq!(block(&after, "c9").text, "Bring a laptop\nDo not forget your badge");
    assert!(p.reply.contains("4 contractions in 3 blocks"), "{}", p.reply);
    let again = plan("make it formal", &p.new_html);
    assert!(again.edits.is_empty(), "nothing left to expand");
}

#[test]
fn deleting_a_section_removes_its_heading_and_blocks_up_to_the_next_peer_heading() {
    let p = plan("Delete the section about pricing", DOC);
    check_plan(&p, DOC);
    untouched_blocks_unchanged(&p, DOC);
    let deleted: Vec<&str> = p.edits.iter().map(|e| e.chunk_id.as_deref().unwrap()).collect();
    // The h3 "Deposits" is a subsection of "Pricing", so it goes too; "Travel" (h2) stays.
    assert_eq!(deleted, ["c3", "c4", "c5", "c6"]);
    assert!(p.edits.iter().all(|e| e.operation == EditOperation::Delete && e.new_html.is_none()));
    let ids: Vec<String> = blocks(&p.new_html).into_iter().map(|b| b.chunk_id).collect();
    assert_eq!(ids, ["c1", "c2", "c7", "c8", "c9"]);
    assert!(p.reply.contains("\u{201c}Pricing\u{201d}"), "{}", p.reply);
}

#[test]
fn deleting_an_unknown_section_changes_nothing_and_lists_the_sections() {
    let p = plan("remove the section about catering", DOC);
    check_plan(&p, DOC);
    assert!(p.edits.is_empty());
    assert_eq!(by_id(&p.new_html), by_id(DOC));
    assert!(p.reply.contains("couldn't find") && p.reply.contains("Travel"), "{}", p.reply);
}

#[test]
fn replace_edits_every_chunk_containing_the_term_and_keeps_markup() {
    let p = plan("replace Acme with Globex", DOC);
    check_plan(&p, DOC);
    untouched_blocks_unchanged(&p, DOC);
    let changed: Vec<&str> = p.edits.iter().map(|e| e.chunk_id.as_deref().unwrap()).collect();
    assert_eq!(changed, ["c4", "c8"]);
    let after = blocks(&p.new_html);
    assert!(block(&after, "c8").html.contains("<strong>Globex Travel</strong>"), "{}", block(&after, "c8").html);
    assert!(!p.new_html.contains("Acme"));
    let p = plan("rename Lisbon to Porto", DOC);
    check_plan(&p, DOC);
    assert_eq!(p.edits.len(), 1);
    assert!(blocks(&p.new_html)[1].text.contains("meeting in Porto"));
}

#[test]
fn add_section_creates_a_heading_and_placeholder_at_the_end() {
    let p = plan("Add a section called Budget", DOC);
    check_plan(&p, DOC);
    untouched_blocks_unchanged(&p, DOC);
    assert!(p.edits.iter().all(|e| e.insert_after_chunk_id.as_deref() == Some("c9")));
    let after = blocks(&p.new_html);
    let n = after.len();
    assert_eq!((after[n - 2].tag().as_str(), after[n - 2].text.as_str()), ("h2", "Budget"));
    assert_eq!(after[n - 1].tag(), "p");
    assert!(after[n - 1].text.contains("budget"));
}

#[test]
fn fix_typos_corrects_the_dictionary_words_only() {
    let p = plan("fix typos", DOC);
    check_plan(&p, DOC);
    untouched_blocks_unchanged(&p, DOC);
    let changed: Vec<&str> = p.edits.iter().map(|e| e.chunk_id.as_deref().unwrap()).collect();
    assert_eq!(changed, ["c4", "c8"]);
    let after = blocks(&p.new_html);
    assert_eq!(
        block(&after, "c4").text,
        "The venue doesn't charge for the second room. Acme will receive the deposit."
    );
    assert!(block(&after, "c8").text.ends_with("The hotel is close to the venue."));
}

#[test]
fn shorten_keeps_the_first_two_sentences_of_long_paragraphs() {
    let p = plan("Make it shorter", DOC);
    check_plan(&p, DOC);
    untouched_blocks_unchanged(&p, DOC);
    assert_eq!(p.edits.len(), 1);
    let after = blocks(&p.new_html);
    assert_eq!(block(&after, "c2").text, "We're meeting in Lisbon for three days. It's the first offsite since 2023.");
    assert!(block(&after, "c2").html.contains("data-owner=\"ana\""));
}

#[test]
fn unknown_instructions_describe_the_document_without_edits() {
    let p = plan("What do you think of it?", DOC);
    check_plan(&p, DOC);
    assert!(p.edits.is_empty());
    assert_eq!(by_id(&p.new_html), by_id(DOC));
    assert!(p.reply.contains("\u{201c}Team Offsite Plan\u{201d}"), "{}", p.reply);
    assert!(p.reply.contains("3 sections") && p.reply.contains("4 paragraphs"), "{}", p.reply);
}

#[test]
fn writing_into_an_empty_document_drafts_one() {
    let p = plan("Write a project proposal for the new website", "");
    check_plan(&p, "");
    let after = blocks(&p.new_html);
    assert_eq!(after[0].tag(), "h1");
    assert_eq!(after[0].text, "Project Proposal for the New Website");
    assert!(after.iter().filter(|b| b.tag() == "p").count() >= 3);
    assert!(after.iter().any(|b| b.text.contains("project proposal for the new website")));
    assert!(p.edits.iter().all(|e| e.operation == EditOperation::Create));
    // Other instructions on an empty document explain what to do instead.
    let p = plan("make it formal", "");
    assert!(p.edits.is_empty() && p.reply.contains("empty"));
}

#[test]
fn applying_a_subset_applies_only_that_subset() {
    let p = plan("make it formal", DOC);
    let only_second: Vec<&Edit> = vec![&p.edits[1]];
    let partial = apply(DOC, &only_second);
    let after = blocks(&partial);
    let before = blocks(DOC);
    assert_eq!(block(&after, "c2").html, block(&before, "c2").html, "c2 not approved");
    assert_eq!(block(&after, "c4").html, p.edits[1].new_html.clone().unwrap());
    assert_eq!(block(&after, "c9").html, block(&before, "c9").html);
    assert_eq!(apply(DOC, &[]), blocks(DOC).iter().map(|b| b.html.clone()).collect::<Vec<_>>().join("\n"));

    // A creation approved without the one before it still lands after the same anchor.
    let s = plan("add a summary", DOC);
    let partial = apply(DOC, &[&s.edits[1]]);
    let after = blocks(&partial);
    assert_eq!(after[0].chunk_id, "c1");
    assert_eq!(after[1].html, s.edits[1].new_html.clone().unwrap());
    assert_eq!(after.len(), before.len() + 1);

    // Deleting only part of a section.
    let d = plan("delete the section about pricing", DOC);
    let partial = apply(DOC, &[&d.edits[0], &d.edits[1]]);
    let ids: Vec<String> = blocks(&partial).into_iter().map(|b| b.chunk_id).collect();
    assert_eq!(ids, ["c1", "c2", "c5", "c6", "c7", "c8", "c9"]);
}

#[test]
fn plans_work_on_documents_without_chunk_ids() {
    let html = "<h1>Notes</h1><p>It's late. We're done. They're gone.</p>";
    let p = plan("make it formal", html);
    check_plan(&p, html);
    assert_eq!(p.edits.len(), 1);
    assert!(p.new_html.contains("It is late. We are done. They are gone."));
}

#[test]
fn asking_for_a_summary_twice_refreshes_it_instead_of_adding_another() {
    let first = plan("add a summary", DOC);
    let unchanged = plan("summarize", &first.new_html);
    assert!(unchanged.edits.is_empty(), "the summary is current");
    assert!(unchanged.reply.contains("up to date"));

    // After the document changes, the summary is refreshed in place.
    let rename = plan("replace Lisbon with Porto", &first.new_html);
    let in_body: Vec<&Edit> = rename.edits.iter().filter(|e| e.chunk_id.as_deref() == Some("c2")).collect();
    assert_eq!(in_body.len(), 1);
    let edited = apply(&first.new_html, &in_body);
    let p = plan("summarize the document", &edited);
    check_plan(&p, &edited);
    untouched_blocks_unchanged(&p, &edited);
    assert_eq!(p.edits.len(), 1);
    assert_eq!(p.edits[0].operation, EditOperation::Edit);
    let after = blocks(&p.new_html);
    assert_eq!(after.iter().filter(|b| b.text == "Summary").count(), 1);
    assert!(after[2].text.starts_with("We're meeting in Porto"), "{}", after[2].text);
    assert!(p.reply.starts_with("Updated the existing summary"), "{}", p.reply);
}
