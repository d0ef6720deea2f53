//! The app connected to a SuperDocs service the way a user connects it (a key pasted into the first-run
//! screen, the server under Advanced), the service being `superdocs-sim` on loopback in this test process,
//! so each test can shape the service (limits, paces, faults) and read what reached it.
// The app is driven through tauri-driver + WebKitWebDriver under Xvfb: Linux only.
#![cfg(target_os = "linux")]
mod support;

use std::time::Duration;

use superdocs_sim::{FaultAction, FaultBody, FaultRule, SimConfig, SimHandle};
use support::{connected_app, paced, AppHome, DesktopApp};

async fn new_session_with_document(app: &DesktopApp) {
    app.click("[data-testid=new-session]").await;
    app.chat("Draft a memo about the quarterly budget").await;
    app.wait_for_text("[data-testid=document]", "budget").await;
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_key_is_stored_in_the_keyring_and_never_reaches_the_page_the_log_or_a_file() {
    let sim = SimHandle::start(paced(150)).await.expect("sim");
    let home = AppHome::new();
    let app = DesktopApp::launch_in(&home).await;
    // Recording from before the key is typed.
    app.find("[data-testid=connect-screen]").await;
    app.record_ipc().await;
    app.connect_to(&sim).await;
    let toast = app.wait_for_text("[data-testid=toast]", "Connected").await;
    assert!(toast.contains("GNOME Keyring"), "the screen says where the key went: {toast}");
    app.screenshot("service-connected").await;

    // Work that sends the key on every request: a chat job followed to its end, then an export.
    new_session_with_document(&app).await;
    app.click("[data-testid=export-button]").await;
    app.click("[data-testid=export-run]").await;
    app.find("[data-testid=export-saved]").await;

    let key = sim.key();
    let secret = key.trim_start_matches("sk_");
    // The keyring holds it (read back through Secret Service, as any other program would).
    let lookup = std::process::Command::new("secret-tool")
        .args(["lookup", "service", "app.superdocs.desktop", "username", &app.profile])
        .output()
        .expect("secret-tool (libsecret-tools)");
    assert_eq!(String::from_utf8_lossy(&lookup.stdout).trim(), key, "the key is in the keyring under the profile");

    // Not in the page.
    let page = app.source().await;
    assert!(page.contains("Draft a memo"), "the page source is the real page");
    assert!(!page.contains(secret), "the key is in the DOM");
    // Not in anything Rust sent the page since before the key was typed (results, events, channels).
    let ipc = app.recorded_ipc().await;
    assert!(ipc.iter().any(|m| m.contains("key_hint")), "the recorder saw the connect result: {} messages", ipc.len());
    assert!(ipc.iter().any(|m| m.contains("completed")), "the recorder saw the job's events");
    let leaks: Vec<_> = ipc.iter().filter(|m| m.contains(secret)).collect();
    assert!(leaks.is_empty(), "the key reached the page over IPC: {leaks:?}");
    app.close().await;

    // Not in the app's log (at debug level) nor in any file it wrote: store, settings, WebKit's caches, exports.
    let log = std::fs::read(home.log()).expect("app log");
    assert!(contains(&log, b"DEBUG"), "the log has the app's debug output ({} bytes)", log.len());
    assert!(!contains(&log, secret.as_bytes()), "the key is in the app's log");
    let files = home.files();
    assert!(
        files.iter().any(|f| f.extension().is_some_and(|e| e == "sqlite3" || e == "db")),
        "the app's store is among the files: {files:?}"
    );
    for f in &files {
        let bytes = std::fs::read(f).unwrap_or_default();
        assert!(!contains(&bytes, secret.as_bytes()), "the key is in {}", f.display());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pdf_export_is_saved_to_disk() {
    let (_sim, home, app) = connected_app(paced(150)).await;
    new_session_with_document(&app).await;

    app.click("[data-testid=export-button]").await;
    app.find("[data-testid=export-format]").await.select_by_value("pdf").await.expect("choose PDF");
    app.type_into("[data-testid=export-watermark]", "DRAFT").await;
    app.type_into("[data-testid=export-filename]", "budget memo").await;
    app.screenshot("service-export-dialog").await;
    app.click("[data-testid=export-run]").await;
    let saved = app.find("[data-testid=export-saved]").await.text().await.expect("saved text");
    let path = home.downloads().join("budget memo.pdf");
    assert!(saved.contains(&path.display().to_string()), "the dialog names the file: {saved}");
    app.close().await;

    let bytes = std::fs::read(&path).expect("the PDF on disk");
    assert!(bytes.starts_with(b"%PDF-"), "a PDF file");
    let text = std::process::Command::new("pdftotext").arg(&path).arg("-").output().expect("pdftotext (poppler-utils)");
    assert!(text.status.success(), "poppler reads it: {}", String::from_utf8_lossy(&text.stderr));
    let text = String::from_utf8_lossy(&text.stdout).to_lowercase();
    assert!(text.contains("budget"), "the document's words are in the PDF: {text}");
    assert!(text.contains("draft"), "the watermark is in the PDF: {text}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_export_over_the_cap_takes_the_emailed_path_by_itself() {
    // The cap lowered from 100 MB to a size the memo is over.
    let (sim, home, app) = connected_app(SimConfig { export_cap_bytes: 200, ..paced(150) }).await;
    new_session_with_document(&app).await;

    app.click("[data-testid=export-button]").await;
    app.click("[data-testid=export-run]").await;
    let emailed = app.find("[data-testid=export-emailed]").await.text().await.expect("emailed text");
    app.screenshot("service-export-emailed").await;
    // The service renders in the background and sends the e-mail when done.
    app.wait_until("the e-mail", Duration::from_secs(20), || async { !sim.outbox().is_empty() }).await;
    let outbox = sim.outbox();
    assert_eq!(outbox.len(), 1, "one e-mail sent: {outbox:?}");
    assert!(emailed.contains(&outbox[0].to), "the dialog names the recipient ({}): {emailed}", outbox[0].to);
    assert!(emailed.contains("7 days"), "and how long the link lasts: {emailed}");
    assert_eq!(std::fs::read_dir(home.downloads()).expect("downloads").count(), 0, "nothing half-saved on disk");
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burst_of_502s_shows_the_retry_state_then_the_reply() {
    let (sim, _home, app) = connected_app(paced(150)).await;
    app.click("[data-testid=new-session]").await;
    app.watch_texts("[data-testid=retry-notice]").await;
    // Three proxy error pages, then the service answers: attempts 1-3 fail, the 4th is accepted.
    sim.add_fault(FaultRule {
        method: Some("POST".into()),
        path: "/v1/chat/async".into(),
        times: 3,
        action: FaultAction::Respond { status: 502, body: FaultBody::Html },
        ..Default::default()
    });
    app.chat("Draft a memo about the quarterly budget").await;

    let seen = app.watched_texts("[data-testid=retry-notice]").await;
    assert!(
        seen.iter().any(|t| t.contains("Retrying in") && t.contains("attempt 2 of 5")),
        "the first wait was shown: {seen:?}"
    );
    assert!(seen.iter().any(|t| t.contains("attempt 4 of 5")), "and the last: {seen:?}");
    assert!(!app.exists("[data-testid=retry-notice]").await, "the notice is gone once the call got through");
    assert!(!app.exists("[data-testid=error-card]").await, "no error is left on screen");
    assert_eq!(sim.stats().count("POST", "/v1/chat/async"), 4, "three failed attempts and the one accepted");
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_monthly_quota_shows_the_quota_card_and_is_not_retried() {
    let (sim, _home, app) = connected_app(paced(150)).await;
    app.click("[data-testid=new-session]").await;
    app.watch_texts("[data-testid=retry-notice]").await;
    sim.set_monthly_used(sim.key(), 500); // the whole month's allowance (500) is used
    sim.reset_stats();

    let message = "Draft a memo about the quarterly budget";
    app.type_into("[data-testid=composer-input]", message).await;
    app.click("[data-testid=send]").await;
    let card = app.find("[data-testid=error-card][data-kind=quota]").await;
    let text = card.text().await.expect("card text");
    app.screenshot("service-quota-card").await;
    assert!(text.contains("500"), "the card shows the limit: {text}");
    assert!(text.contains("Upgrade"), "and offers the upgrade: {text}");
    assert!(!text.contains("Retry"), "but no retry: {text}");
    assert!(app.watched_texts("[data-testid=retry-notice]").await.is_empty(), "no retry was shown");
    assert_eq!(sim.stats().count("POST", "/v1/chat/async"), 1, "the request was sent once");
    let kept = app.find("[data-testid=composer-input]").await.prop("value").await.expect("composer value");
    assert_eq!(kept.as_deref(), Some(message), "the composer keeps the message");
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_profiles_keep_their_own_sessions_jobs_and_usage() {
    // Two accounts on one service: "Work" (the first key) and "Personal" (the second).
    let keys = vec![format!("sk_{}", "1a".repeat(16)), format!("sk_{}", "2b".repeat(16))];
    let (sim, _home, app) = connected_app(SimConfig { keys: keys.clone(), ..paced(150) }).await;
    new_session_with_document(&app).await;
    app.wait_until("Work's usage meter", Duration::from_secs(10), || async { app.exists("[role=meter]").await }).await;

    app.click("[data-testid=settings-button]").await;
    app.click("[data-testid=add-profile]").await;
    app.type_into("[data-testid=add-name]", "Personal").await;
    app.type_into("[data-testid=add-key]", &keys[1]).await;
    app.type_into("[data-testid=add-server]", sim.base_url()).await;
    app.click("[data-testid=add-connect]").await;
    app.wait_for_text("[data-testid=settings-dialog] [role=status]", "Personal connected").await;
    app.client.active_element().await.expect("focus").send_keys("\u{e00c}").await.expect("Escape");

    // Personal: none of Work's sessions, jobs or usage.
    app.wait_until("Personal's empty session list", Duration::from_secs(10), || async {
        app.count("[data-testid=session-item]").await == 0
    })
    .await;
    assert!(!app.exists("[role=meter]").await, "no usage seen for Personal yet");
    app.click("[data-testid=activity-button]").await;
    app.find("[data-testid=activity-drawer]").await;
    assert_eq!(app.count("[data-testid=job-row]").await, 0, "Work's job is not Personal's");
    app.click("[data-testid=activity-button]").await;

    // Back to Work: its session and usage are there.
    app.find("[data-testid=profile-switch]").await.select_by_value(&app.profile).await.expect("switch to Work");
    app.wait_until("Work's session", Duration::from_secs(10), || async {
        app.count("[data-testid=session-item]").await == 1
    })
    .await;
    app.find("[role=meter]").await;
    app.close().await;
}
