//! Background work the user is not watching: a job that ends while another window has the focus raises
//! a desktop notification (seen on D-Bus by a notification server of the test's own), and a job waiting
//! for review when the app quits is taken up again after a restart.
// The app is driven through tauri-driver + WebKitWebDriver under Xvfb: Linux only.
#![cfg(target_os = "linux")]
mod support;

use std::time::Duration;

use support::notifications::NotificationServer;
use support::{connected_app, paced, DesktopApp};

const MEMO: &str = "Draft a memo about the quarterly budget";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_that_ends_while_another_window_has_the_focus_raises_a_notification() {
    let (_sim, _home, app) = connected_app(paced(400)).await;
    // After the launch: one app (and so one owner of the name) at a time.
    let notifications = NotificationServer::start().await;
    let window = app.window_id();
    let other = app.other_window(&[]);

    // The window has the focus: the user sees the reply arrive, no notification.
    app.focus(&window);
    app.click("[data-testid=new-session]").await;
    app.send(MEMO).await;
    app.wait_for_reply(2).await;
    assert!(
        notifications.shown().is_empty(),
        "no notification while the window has the focus: {:?}",
        notifications.shown()
    );

    // Another program takes the focus while the next job works: its end is announced.
    app.send("Add a summary").await;
    app.find("[data-testid=job-progress]").await;
    app.focus(&other.window_id());
    app.wait_until("a notification", Duration::from_secs(30), || async { !notifications.shown().is_empty() }).await;
    let shown = notifications.shown();
    assert_eq!(shown.len(), 1, "one notification: {shown:?}");
    assert_eq!(shown[0].app_name, "SuperDocs");
    assert_eq!(shown[0].summary, "SuperDocs: done");
    assert!(shown[0].body.contains("Add a summary"), "it names the request: {shown:?}");
    assert!(shown[0].actions.iter().any(|a| a == "default"), "it can be clicked: {shown:?}");

    // Clicking it (the shell reports ActionInvoked) brings the window forward on the job's session.
    app.click("[data-testid=new-session]").await;
    app.wait_until("the new, empty session", Duration::from_secs(10), || async {
        app.count("[data-testid=message]").await == 0
    })
    .await;
    notifications.click(shown[0].id).await;
    app.wait_for_text("[data-testid=messages]", "Add a summary").await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn changes_to_review_can_be_approved_from_the_notification() {
    let (sim, _home, app) = connected_app(paced(150)).await;
    let notifications = NotificationServer::start().await;
    app.click("[data-testid=new-session]").await;
    app.click("[data-testid=review-toggle]").await;
    let other = app.other_window(&[]);
    app.send(MEMO).await;
    app.focus(&other.window_id());
    app.wait_until("a notification", Duration::from_secs(30), || async { !notifications.shown().is_empty() }).await;
    let shown = notifications.shown();
    assert_eq!(shown[0].summary, "SuperDocs: changes to review", "{shown:?}");
    // The freedesktop action list alternates key and label.
    assert_eq!(shown[0].actions, ["default", "Open", "approve_all", "Approve all"], "{shown:?}");
    let proposed = app.count("[data-testid=changes-card] [data-testid=change]").await;
    assert!(proposed > 0, "the job proposes changes");
    assert_eq!(sim.stats().count("POST", "/v1/chat/*/approve"), 0, "nothing is approved before the click");

    // The button approves every change, through the window's own review, and the job goes on.
    notifications.invoke(shown[0].id, "approve_all").await;
    app.wait_for_reply(2).await;
    let messages = app.client.find_all(fantoccini::Locator::Css("[data-testid=message]")).await.expect("messages");
    let reply = messages.last().expect("a reply").text().await.expect("reply text");
    assert!(reply.contains(&format!("Applied {proposed} of {proposed}")), "every change was approved: {reply}");
    assert_eq!(sim.stats().count("POST", "/v1/chat/*/approve"), 1, "one decision sent");
    assert!(!app.exists("[data-testid=changes-card]").await, "nothing left to review");
    assert!(!app.exists("[data-testid=approve-all-dialog]").await, "the button was the confirmation");
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_waiting_for_review_when_the_app_quits_is_taken_up_again_after_a_restart() {
    let (sim, home, app) = connected_app(paced(150)).await;
    app.click("[data-testid=new-session]").await;
    app.click("[data-testid=review-toggle]").await;
    app.send(MEMO).await;
    app.find("[data-testid=changes-card]").await;
    let proposed = app.count("[data-testid=changes-card] [data-testid=change]").await;
    assert!(proposed > 0, "the job proposes changes");
    // Quit while the job waits for the decision (it goes on waiting at the service).
    app.close().await;
    sim.reset_stats();

    // Same home: the profile reopens with its key from the keyring, and the job is taken up again with
    // the changes it proposed before the quit.
    let app = DesktopApp::launch_in(&home).await;
    app.find("[data-testid=sidebar]").await;
    assert!(!app.exists("[data-testid=connect-screen]").await, "no need to connect again");
    app.wait_for_text("[data-testid=messages]", MEMO).await;
    app.find("[data-testid=changes-card]").await;
    app.screenshot("service-review-after-restart").await;
    assert_eq!(
        app.count("[data-testid=changes-card] [data-testid=change]").await,
        proposed,
        "the same changes to decide"
    );
    app.click("[data-testid=keep-all]").await;
    app.click("[data-testid=apply-decisions]").await;
    app.wait_for_reply(2).await;
    let stats = sim.stats();
    assert!(stats.count("GET", "/v1/jobs/*") >= 1, "the restarted app asked the service about the job");
    assert_eq!(stats.count("POST", "/v1/chat/async"), 0, "the message was not sent again");
    let messages = app.client.find_all(fantoccini::Locator::Css("[data-testid=message]")).await.expect("messages");
    let reply = messages.last().expect("a reply").text().await.expect("reply text");
    assert!(
        reply.contains(&format!("Applied {proposed} of {proposed}")),
        "the job finished with the decisions: {reply}"
    );

    // The activity drawer lists it as completed.
    app.click("[data-testid=activity-button]").await;
    app.find("[data-testid=job-row][data-status=completed]").await;
    let used = app.find("[role=meter]").await.attr("aria-valuenow").await.expect("meter").expect("a value");
    app.close().await;

    // The usage meter is back after the next start too (usage only ever arrives with chat results).
    let app = DesktopApp::launch_in(&home).await;
    let meter = app.find("[role=meter]").await;
    assert_eq!(
        meter.attr("aria-valuenow").await.expect("meter").as_deref(),
        Some(used.as_str()),
        "the last usage seen"
    );
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_running_job_can_be_stopped_from_the_chat() {
    // Slow enough to be stopped half-way.
    let (sim, _home, app) = connected_app(paced(1500)).await;
    app.click("[data-testid=new-session]").await;
    app.send(MEMO).await;
    app.click("[data-testid=cancel-job]").await;
    app.wait_until("the job to stop", Duration::from_secs(20), || async {
        !app.exists("[data-testid=job-progress]").await
    })
    .await;
    assert_eq!(sim.stats().count("POST", "/v1/jobs/*/cancel"), 1, "the service was asked to cancel it");
    app.click("[data-testid=activity-button]").await;
    app.find("[data-testid=job-row][data-status=cancelled]").await;
    assert!(!app.exists("[data-testid=error-card]").await, "a stop the user asked for is not an error");
    let draft = app.find("[data-testid=composer-input]").await.prop("value").await.expect("composer");
    assert_eq!(draft.as_deref(), Some(""), "the stopped message is not pushed back on the user");
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_export_saved_while_another_window_has_the_focus_is_announced() {
    let (sim, _home, app) = connected_app(paced(150)).await;
    let notifications = NotificationServer::start().await;
    app.click("[data-testid=new-session]").await;
    app.chat(MEMO).await;
    let other = app.other_window(&[]);

    // A slow export: the user looks at another window meanwhile.
    support::hold_next_post(&sim, "/v1/documents/export", 1500);
    app.click("[data-testid=export-button]").await;
    app.type_into("[data-testid=export-filename]", "budget memo").await;
    app.focus(&other.window_id());
    app.click("[data-testid=export-run]").await;
    app.find("[data-testid=export-saved]").await;
    app.wait_until("a notification", Duration::from_secs(10), || async { !notifications.shown().is_empty() }).await;
    let shown = notifications.shown();
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert_eq!(shown[0].summary, "SuperDocs: export saved");
    assert_eq!(shown[0].body, "budget memo.docx", "it names the file");
    app.close().await;
}
