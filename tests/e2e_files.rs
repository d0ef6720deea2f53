//! Files reaching the app the way a user brings them: dragged from another program and dropped on the
//! window (a real XDND drop under Xvfb: a GTK drag source moved by xdotool), then uploaded to the sim.
// The app is driven through tauri-driver + WebKitWebDriver under Xvfb: Linux only.
#![cfg(target_os = "linux")]
mod support;

use superdocs_sim::SimConfig;
use support::{connected_app, paced};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_dropped_from_another_program_opens_as_the_document() {
    let files = tempfile::tempdir().expect("files");
    let report = files.path().join("Field report.md");
    std::fs::write(&report, "# Field report\n\nThe turbines ran at 93% availability in March.\n").expect("write");
    let (sim, _home, app) = connected_app(paced(150)).await;

    app.drop_files(&[&report], "[data-testid=drop-document]").await;
    app.wait_for_text("[data-testid=document]", "93% availability").await;
    app.wait_for_text("[data-testid=session-item]", "Field report").await; // named after its document
    app.find("[data-testid=upload-row][data-state=done]").await;
    app.screenshot("service-dropped-document").await;
    assert_eq!(sim.stats().count("POST", "/v1/documents/upload"), 1, "one upload reached the service");
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_file_of_an_unsupported_type_is_refused_before_anything_is_sent() {
    let files = tempfile::tempdir().expect("files");
    let program = files.path().join("setup.exe");
    std::fs::write(&program, b"MZ\x90\x00").expect("write");
    let (sim, _home, app) = connected_app(SimConfig::default()).await;
    sim.reset_stats();

    app.drop_files(&[&program], "[data-testid=drop-document]").await;
    let row = app.find("[data-testid=upload-row][data-state=refused]").await.text().await.expect("row text");
    app.screenshot("service-dropped-refused").await;
    assert!(row.contains("setup.exe"), "the refused file is named: {row}");
    assert_eq!(sim.stats().count("POST", "/v1/*"), 0, "nothing was sent");
    app.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_file_dropped_as_an_attachment_is_listed_with_its_processing_state() {
    let files = tempfile::tempdir().expect("files");
    let notes = files.path().join("Supplier notes.txt");
    std::fs::write(&notes, "Delivery of the gearbox parts is due on 14 April.\n").expect("write");
    let (_sim, _home, app) = connected_app(paced(150)).await;
    app.click("[data-testid=new-session]").await;
    app.chat("Draft a memo about the gearbox service").await;

    app.drop_files(&[&notes], "[data-testid=drop-attachment]").await;
    let row = app.find("[data-testid=attachment]").await;
    // textContent: WebKitWebDriver reports no text for a row whose spinner is still turning.
    let name = row.prop("textContent").await.expect("row").unwrap_or_default();
    assert!(name.contains("Supplier notes.txt"), "the attachment is listed by name: {name:?}");
    app.find("[data-testid=attachment][data-status=completed]").await;
    app.find("[data-testid=upload-row][data-state=done]").await;
    assert!(
        !app.exists("[data-testid=document]").await
            || !app.find("[data-testid=document]").await.text().await.expect("doc").contains("14 April"),
        "an attachment does not replace the document"
    );
    app.close().await;
}
