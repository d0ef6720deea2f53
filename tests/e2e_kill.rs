//! `kill -9` of the app mid-job and mid-upload: started again on the same data, the job is taken up again
//! and its end announced (a desktop notification over D-Bus), the upload is offered again, and the
//! simulator's records show that nothing was sent twice.
// The app is driven through tauri-driver + WebKitWebDriver under Xvfb: Linux only.
#![cfg(target_os = "linux")]
mod support;

use std::time::{Duration, Instant};

use support::notifications::NotificationServer;
use support::{connected_app, paced, DesktopApp};

const MEMO: &str = "Draft a memo about the quarterly budget";

/// How many times the service took an operation of `kind` ("chat", "upload") whose key ends with `tail`.
fn submitted(sim: &superdocs_sim::SimHandle, kind: &str, tail: &str) -> u32 {
    sim.stats().submissions.iter().filter(|s| s.kind == kind && s.key.ends_with(tail)).map(|s| s.count).sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_job_running_when_the_app_is_killed_is_resumed_and_announced_after_a_restart() {
    let (sim, home, app) = connected_app(paced(2000)).await;
    let notifications = NotificationServer::start().await;
    // The user wants to hear of every ending, window in front or not (it will be, after the restart).
    app.click("[data-testid=settings-button]").await;
    app.click("[data-testid=settings-tab-general]").await;
    app.client
        .execute("document.querySelectorAll('input[name=notify]')[2].click()", vec![])
        .await
        .expect("choose Always");
    app.wait_until("the setting to be saved", Duration::from_secs(10), || async {
        let js = "return window.__TAURI_INTERNALS__.invoke('get_settings').then((s) => s.notifications)";
        app.client.execute(js, vec![]).await.ok().and_then(|v| v.as_str().map(str::to_string)).as_deref()
            == Some("always")
    })
    .await;
    app.click("[data-testid=settings-dialog] button[aria-label=Close]").await;

    app.click("[data-testid=new-session]").await;
    app.send(MEMO).await;
    app.find("[data-testid=job-progress]").await;
    app.wait_until("the job to be followed", Duration::from_secs(30), || async {
        sim.stats().count("GET", "/v1/chat/*/stream") >= 1
    })
    .await;
    app.kill_app();
    drop(app);
    assert!(notifications.shown().is_empty(), "nothing announced before the kill: {:?}", notifications.shown());

    // Same data: the job is taken up again, shows in its session, ends there, and is announced once.
    let app = DesktopApp::launch_in(&home).await;
    app.find("[data-testid=sidebar]").await;
    assert!(!app.exists("[data-testid=connect-screen]").await, "no need to connect again");
    app.wait_for_text("[data-testid=messages]", MEMO).await;
    app.wait_until("the announcement", Duration::from_secs(60), || async { !notifications.shown().is_empty() }).await;
    app.wait_for_reply(2).await;
    let shown = notifications.shown();
    assert_eq!(shown.len(), 1, "announced once: {shown:?}");
    assert_eq!(shown[0].summary, "SuperDocs: done");
    assert!(shown[0].body.contains("Draft a memo"), "it names the request: {shown:?}");
    assert_eq!(sim.stats().count("POST", "/v1/chat/async"), 1, "the message was not sent again");
    assert_eq!(submitted(&sim, "chat", MEMO), 1, "the service took the turn once");
    app.click("[data-testid=activity-button]").await;
    app.find("[data-testid=job-row][data-status=completed]").await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upload_cut_by_a_kill_is_offered_again_after_a_restart_and_sent_once() {
    const NAME: &str = "Site survey.txt";
    const HOLD: Duration = Duration::from_secs(5);
    let (sim, home, app) = connected_app(paced(150)).await;
    let files = tempfile::tempdir().expect("files");
    // Larger than what the loopback socket buffers hold (a few MB), so the kill cuts the body itself.
    let line = "Level 2: the fire doors need new seals; the east stairwell lights flicker.\n";
    let survey = files.path().join(NAME);
    std::fs::write(&survey, line.repeat(24 * 1024 * 1024 / line.len())).expect("write the survey");
    // The service takes its time before reading the upload: the app is killed while sending it.
    support::hold_next_post(&sim, "/v1/attachments/upload", HOLD.as_millis() as u64);
    // A session the service knows, so the next start opens it with its attachments.
    app.click("[data-testid=new-session]").await;
    app.chat("Draft a memo about the site survey").await;
    app.drop_files(&[&survey], "[data-testid=drop-attachment]").await;
    app.find("[data-testid=upload-row][data-state=uploading]").await;
    let held_since = Instant::now();
    app.kill_app();
    drop(app);

    // Next start: the upload is offered again, and Retry sends it.
    let app = DesktopApp::launch_in(&home).await;
    let row = app.wait_for_text("[data-testid=upload-row]", NAME).await;
    assert!(row.contains("SuperDocs closed before it was sent"), "{row}");
    app.screenshot("upload-offered-after-kill").await;
    // Let the service finish with the cut-off request first, so the count below is final.
    tokio::time::sleep((held_since + HOLD + Duration::from_secs(1)).saturating_duration_since(Instant::now())).await;
    app.click("[data-testid=upload-row] [data-testid=upload-retry]").await;
    app.find("[data-testid=upload-row][data-state=done]").await;
    // Listed (its indexing, a minute for 24 MB, goes on at the service).
    app.find("[data-testid=attachment]").await;
    assert_eq!(sim.stats().count("POST", "/v1/attachments/upload"), 2, "the cut-off try, then Retry");
    assert_eq!(submitted(&sim, "upload", NAME), 1, "the service took the file once");
    assert_eq!(app.count("[data-testid=attachment]").await, 1, "listed once");
    app.close().await;
}
