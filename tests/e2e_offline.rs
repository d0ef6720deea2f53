//! The network goes away in the middle of a job: the window says it is offline and when it tries again,
//! stays usable, and when the service is back (same address, same state) the job finishes in the window.
// The app is driven through tauri-driver + WebKitWebDriver under Xvfb: Linux only.
#![cfg(target_os = "linux")]
mod support;

use std::time::Duration;

use support::{connected_app, paced};

const MEMO: &str = "Draft a memo about the quarterly budget";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_cut_off_by_the_network_shows_offline_and_finishes_when_the_service_is_back() {
    // Slow steps: the job is still running at the service while the network is down.
    let (mut sim, _home, app) = connected_app(paced(2500)).await;
    app.click("[data-testid=new-session]").await;
    app.send(MEMO).await;
    app.find("[data-testid=job-progress]").await;
    app.wait_until("the job's first progress", Duration::from_secs(30), || async {
        sim.stats().count("GET", "/v1/chat/*/stream") >= 1
    })
    .await;

    // The cable is pulled: nothing listens on the service's port any more.
    sim.stop_serving().await;
    // The stream's own retries run out first (seconds), then the tracker says it is offline.
    app.wait_until("the offline strip", Duration::from_secs(60), || async {
        app.exists("[data-testid=offline-notice]").await
    })
    .await;
    let strip = app.wait_for_text("[data-testid=offline-notice]", "Offline").await;
    assert!(strip.contains("retrying"), "it says it keeps trying: {strip:?}");
    assert!(strip.contains("Try now"), "{strip:?}");
    app.screenshot("offline-retrying").await;
    assert!(app.exists("[data-testid=job-progress]").await, "the job is still shown as running");
    // The job has not failed: no error in the chat (a list that could not load yet may say so).
    assert!(!app.exists("[data-testid=chat-pane] [data-testid=error-card]").await, "the job is not reported failed");
    // Local things still work: the settings open (profiles come from the local store) and close.
    app.click("[data-testid=settings-button]").await;
    app.find("[data-testid=profile-row]").await;
    app.click("[data-testid=settings-dialog] button[aria-label=Close]").await;
    app.wait_until("the settings to close", Duration::from_secs(10), || async {
        !app.exists("[data-testid=profile-row]").await
    })
    .await;

    // The network is back, same address, same service state: the window says so and the job ends there.
    sim.serve_again().await.expect("the same port again");
    app.wait_until("the offline strip to go", Duration::from_secs(60), || async {
        !app.exists("[data-testid=offline-notice]").await
    })
    .await;
    app.wait_for_reply(2).await;
    assert!(!app.exists("[data-testid=error-card]").await, "the job finished without an error");
    let stats = sim.stats();
    assert_eq!(stats.count("POST", "/v1/chat/async"), 1, "the message was sent once");
    let sent: u32 =
        stats.submissions.iter().filter(|s| s.kind == "chat" && s.key.ends_with(MEMO)).map(|s| s.count).sum();
    assert_eq!(sent, 1, "the service took the turn once");
    app.close().await;
}
