//! The session's other actions in the real window: rewinding a turn, cancelling and retrying an upload,
//! opening a document from the native file dialog (driven with xdotool like a keyboard user), and
//! handing an export to the system (Open → xdg-open, Show in folder → the file manager over D-Bus).
// The app is driven through tauri-driver + WebKitWebDriver under Xvfb: Linux only.
#![cfg(target_os = "linux")]
mod support;

use std::path::Path;
use std::time::Duration;

use superdocs_sim::{FaultAction, FaultRule, SimConfig, SimHandle};
use support::file_manager::FileManager;
use support::{connected_app, paced, AppHome, DesktopApp};

async fn sim() -> SimHandle {
    SimHandle::start(SimConfig { job_step_delay: Duration::from_millis(150), ..SimConfig::default() })
        .await
        .expect("sim")
}

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write a file");
    p
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rewinding_a_turn_puts_its_message_back_in_the_composer() {
    let (sim, _home, app) = connected_app(paced(150)).await;
    app.click("[data-testid=new-session]").await;
    app.chat("Draft a memo about the quarterly budget").await;
    app.chat("Add a summary").await;
    assert_eq!(app.count("[data-testid=message]").await, 4);

    let rewinds = app.client.find_all(fantoccini::Locator::Css("[data-testid=rewind]")).await.expect("rewind buttons");
    assert_eq!(rewinds.len(), 2, "one per user message");
    rewinds[1].click().await.expect("rewind to the second message");
    app.wait_until("the rewind", Duration::from_secs(10), || async { app.count("[data-testid=message]").await == 2 })
        .await;
    let draft = app.find("[data-testid=composer-input]").await.prop("value").await.expect("composer");
    assert_eq!(draft.as_deref(), Some("Add a summary"), "the message is back in the composer");
    assert!(
        !app.find("[data-testid=document]").await.text().await.expect("doc").contains("Summary"),
        "the summary is gone from the document"
    );
    assert_eq!(sim.stats().count("POST", "/v1/sessions/*/revert"), 1);
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upload_can_be_cancelled_and_then_retried() {
    let files = tempfile::tempdir().expect("files");
    let report =
        write(files.path(), "Site survey.md", "# Site survey\n\nThe roof needs new flashing on the north side.\n");
    let (sim, _home, app) = connected_app(paced(150)).await;
    // The service takes its time with the first upload: long enough to cancel it.
    support::hold_next_post(&sim, "/v1/documents/upload", 20_000);
    app.drop_files(&[&report], "[data-testid=drop-document]").await;
    app.find("[data-testid=upload-row] [data-testid=upload-cancel]").await.click().await.expect("cancel");
    app.find("[data-testid=upload-row][data-state=cancelled]").await;
    assert!(!app.exists("[data-testid=document]").await, "no document from a cancelled upload");

    app.click("[data-testid=upload-row] [data-testid=upload-retry]").await;
    app.find("[data-testid=upload-row][data-state=done]").await;
    app.wait_for_text("[data-testid=document]", "north side").await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_document_opened_from_the_file_dialog_with_the_keyboard() {
    let files = tempfile::tempdir().expect("files");
    let report =
        write(files.path(), "Minutes.txt", "Minutes of the March meeting.\n\nThe board approved the new budget.\n");
    let (sim, _home, app) = connected_app(paced(150)).await;

    // Ctrl+O from the keyboard (through X, as a user types it): the native (GTK) dialog opens.
    app.find("[data-testid=empty-state]").await;
    app.focus(&app.window_id());
    app.xdotool(&["key", "ctrl+o"]);
    let dialog = app.xdotool(&["search", "--sync", "--onlyvisible", "--name", "^Open a document$"]);
    let dialog = dialog.lines().next().expect("the file dialog").to_string();
    app.focus(&dialog);
    // Ctrl+L opens GTK's location field (let it appear before typing); Enter picks the file.
    app.xdotool(&["key", "ctrl+l"]);
    tokio::time::sleep(Duration::from_millis(500)).await;
    app.xdotool(&["type", "--delay", "20", &report.display().to_string()]);
    tokio::time::sleep(Duration::from_millis(300)).await;
    app.screenshot("service-file-dialog").await;
    app.xdotool(&["key", "Return"]);
    app.wait_for_text("[data-testid=document]", "approved the new budget").await;
    assert_eq!(sim.stats().count("POST", "/v1/documents/upload"), 1);
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_export_is_handed_to_the_system_to_open_and_to_show_in_its_folder() {
    let file_manager = FileManager::start().await;
    let sim = sim().await;
    // The system's opener, as the app finds it on PATH: this one writes down what it was asked to open.
    let shims = tempfile::tempdir().expect("shims");
    let opened = shims.path().join("opened.txt");
    let shim = shims.path().join("xdg-open");
    std::fs::write(&shim, format!("#!/bin/sh\nprintf '%s\\n' \"$@\" >> '{}'\n", opened.display())).expect("shim");
    std::fs::set_permissions(&shim, std::os::unix::fs::PermissionsExt::from_mode(0o755)).expect("chmod");
    let path = format!("{}:{}", shims.path().display(), std::env::var("PATH").unwrap_or_default());

    let home = AppHome::new();
    let app = DesktopApp::launch_with(&home, &[("PATH", path.as_str())]).await;
    app.connect_to(&sim).await;
    app.click("[data-testid=new-session]").await;
    app.chat("Draft a memo about the quarterly budget").await;
    app.click("[data-testid=export-button]").await;
    app.click("[data-testid=export-run]").await;
    app.find("[data-testid=export-saved]").await;
    let saved =
        std::fs::read_dir(home.downloads()).expect("downloads").next().expect("the export").expect("entry").path();

    app.click("[data-testid=open-export]").await;
    app.wait_until("xdg-open to be asked", Duration::from_secs(10), || async { opened.exists() }).await;
    let asked = std::fs::read_to_string(&opened).expect("opened");
    assert_eq!(asked.trim(), saved.display().to_string(), "the saved file is opened with the system's app");

    app.click("[data-testid=show-in-folder]").await;
    app.wait_until("the file manager to be asked", Duration::from_secs(10), || async {
        !file_manager.shown().is_empty()
    })
    .await;
    let shown = file_manager.shown();
    let uri = shown[0].strip_prefix("file://").expect("a file URI");
    assert!(uri.ends_with(".docx") && uri.contains("Downloads"), "the saved file is revealed: {shown:?}");
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rejected_key_leads_to_replacing_it_and_the_message_goes_through() {
    let (sim, _home, app) = connected_app(paced(150)).await;
    app.click("[data-testid=new-session]").await;
    // The service stops accepting the key (revoked, say) for the next request.
    sim.add_fault(FaultRule {
        method: Some("POST".into()),
        path: "/v1/chat/async".into(),
        times: 1,
        action: FaultAction::Respond { status: 401, body: superdocs_sim::FaultBody::Detail("Invalid API key".into()) },
        ..Default::default()
    });
    let message = "Draft a memo about the quarterly budget";
    app.send(message).await;
    let card = app.find("[data-testid=error-card][data-kind=auth]").await.text().await.expect("card");
    assert!(card.contains("Re-enter key"), "the card offers a new key: {card}");
    assert_eq!(sim.stats().count("POST", "/v1/chat/async"), 1, "a rejected key is not retried");

    // Re-enter key → Settings, on the profile → a new key, checked and saved.
    app.click("[data-testid=error-card] [data-action=reenter_key]").await;
    app.click("[data-testid=replace-key]").await;
    app.type_into("[data-testid=new-key]", sim.key()).await;
    app.click("[data-testid=save-key]").await;
    app.wait_for_text("[data-testid=settings-dialog] [role=status]", "stored in").await;
    app.client.active_element().await.expect("focus").send_keys("\u{e00c}").await.expect("Escape");

    // The message was kept; sending it again works.
    let kept = app.find("[data-testid=composer-input]").await.prop("value").await.expect("composer");
    assert_eq!(kept.as_deref(), Some(message), "the composer kept the message");
    app.click("[data-testid=send]").await;
    app.wait_for_reply(2).await;
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_message_over_the_limit_is_added_as_a_document_instead() {
    let (sim, _home, app) = connected_app(paced(150)).await;
    app.click("[data-testid=new-session]").await;
    app.find("[data-testid=composer-input]").await;
    // Over 100,000 characters, pasted (typing them over WebDriver would take minutes).
    let paste = r#"
        const el = document.querySelector("[data-testid=composer-input]");
        el.value = "Quarterly figures. ".repeat(5264) + "Closing line";
        el.dispatchEvent(new Event("input", { bubbles: true }));
        return el.value.length;
    "#;
    let n = app.client.execute(paste, vec![]).await.expect("paste").as_u64().expect("length");
    assert!(n > 100_000, "{n}");
    app.click("[data-testid=add-as-document]").await;
    app.wait_for_text("[data-testid=document]", "Closing line").await;
    let draft = app.find("[data-testid=composer-input]").await.prop("value").await.expect("composer");
    assert_eq!(draft.as_deref(), Some(""), "the text moved into the document");
    assert_eq!(sim.stats().count("POST", "/v1/chat/async"), 0, "nothing went to the chat");
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_upload_cut_off_by_quitting_comes_back_after_a_restart_and_can_be_sent_again() {
    let (sim, home, app) = connected_app(paced(150)).await;
    let files = tempfile::tempdir().expect("files");
    let report = write(files.path(), "Audit notes.md", "# Audit notes\n\nThe fire doors on level 2 need new seals.\n");
    // The service holds the upload: the app is quit while it is still going.
    support::hold_next_post(&sim, "/v1/documents/upload", 30_000);
    app.drop_files(&[&report], "[data-testid=drop-document]").await;
    app.find("[data-testid=upload-row]").await;
    app.close().await;

    // Next start: the upload panel opens on it, and Retry sends it.
    let app = DesktopApp::launch_in(&home).await;
    let row = app.wait_for_text("[data-testid=upload-row]", "SuperDocs closed before it was sent").await;
    assert!(row.contains("Audit notes.md"), "{row}");
    app.screenshot("service-upload-interrupted").await;
    app.click("[data-testid=upload-row] [data-testid=upload-retry]").await;
    app.find("[data-testid=upload-row][data-state=done]").await;
    app.click("[data-testid=session-item]").await;
    app.wait_for_text("[data-testid=document]", "fire doors").await;
    app.close().await;

    // Sent, so it is off the queue: the start after that has nothing to offer again.
    let app = DesktopApp::launch_in(&home).await;
    app.find("[data-testid=sidebar]").await;
    app.click("[data-testid=activity-button]").await;
    app.find("[data-testid=activity-drawer]").await;
    assert_eq!(app.count("[data-testid=upload-row]").await, 0, "nothing interrupted any more");
    app.close().await;
}
