//! A big review in the real window: "Make it formal" on a document of 300 paragraphs, in review mode,
//! proposes 300 changes; every one of them shows in the document and in the card's count, each travels
//! to the window once (over the job channel, not re-sent with every new one), and Keep all then Apply
//! finishes the job with all of them applied.
#![cfg(target_os = "linux")]

mod support;

use std::collections::HashSet;
use std::time::Duration;

use support::big::{formal_document, seed_document, PARAGRAPHS_PER_PAGE};
use support::{paced, AppHome, DesktopApp};

const PAGES: usize = 25;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_review_with_hundreds_of_changes_shows_every_one() {
    let n = PAGES * PARAGRAPHS_PER_PAGE;
    let sim = superdocs_sim::SimHandle::start(paced(5)).await.expect("the simulator starts");
    let home = AppHome::new();
    seed_document(&sim, "review_300", &formal_document(PAGES), home.path()).await;
    let app = DesktopApp::launch_in(&home).await;
    app.connect_to(&sim).await;
    // The only session: the window opens it by itself.
    app.find("[data-testid=document] [data-chunk-id]").await;
    app.record_ipc().await;

    app.click("[data-testid=review-toggle]").await;
    app.send("Make it formal").await;
    app.find(&format!("[data-testid=changes-card][data-count='{n}']")).await;
    app.wait_until("every change drawn in the document", Duration::from_secs(60), || async {
        app.count("[data-testid=document] .change").await == n
    })
    .await;
    let ids: Vec<String> = serde_json::from_value(
        app.client
            .execute(
                "return [...document.querySelectorAll('[data-testid=document] .change')].map((e) => e.dataset.changeId)",
                vec![],
            )
            .await
            .expect("the change ids"),
    )
    .expect("strings");
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), n, "{n} distinct changes, each in its own block");

    // Each change reached the window once as it came (the complete list once more at the end), not the
    // whole list again with every new change.
    let mut sent_one_by_one = 0;
    let mut complete_lists = 0;
    for m in app.recorded_ipc().await {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&m) else { continue };
        // Channel messages come as {index, message}. A big one is fetched first (its bytes are the fetch's
        // answer, seen here as a bare event) and then handed to the channel: count the channel's copy only.
        let Some(msg) = v.get("message").filter(|_| v.get("index").is_some()) else { continue };
        if msg["kind"] == "proposed_changes" {
            let count = msg["changes"].as_array().map_or(0, |a| a.len());
            if msg["complete"] == true {
                complete_lists += 1;
                assert_eq!(count, n);
            } else {
                sent_one_by_one += count;
            }
        }
    }
    assert_eq!(sent_one_by_one, n, "every change arrived once as it was proposed");
    assert_eq!(complete_lists, 1);

    app.click("[data-testid=keep-all]").await;
    app.wait_until("every change kept", Duration::from_secs(30), || async {
        app.count("[data-testid=document] .change.is-kept").await == n
    })
    .await;
    app.click("[data-testid=apply-decisions]").await;
    app.wait_for_text("[data-testid=chat-pane]", &format!("Applied {n} of {n}")).await;
    assert!(!app.exists("[data-testid=document] .change").await, "the review's marks are gone");
    app.close().await;
}
