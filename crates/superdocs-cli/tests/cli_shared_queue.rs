//! The app and the CLI share one data folder and one upload queue (docs/data-layout.md): an upload the
//! CLI queued and that failed is listed by the core service the app uses, under the same profile.

mod support;

use std::sync::Arc;

use superdocs_client::host::LogHost;
use superdocs_client::layout::DataLayout;
use superdocs_client::store::UploadTarget;
use superdocs_client::upload_queue::UploadQueue;
use superdocs_sim::{FaultAction, FaultBody, FaultRule};
use support::Env;

#[test]
fn an_upload_the_cli_queued_that_failed_is_listed_by_the_apps_queue() {
    let env = Env::new();
    let doc = env.write("minutes.txt", "Minutes of the meeting.");
    env.sim.add_fault(FaultRule {
        method: Some("POST".into()),
        path: "/v1/documents/upload".into(),
        action: FaultAction::Respond { status: 403, body: FaultBody::Detail("Not allowed.".into()) },
        ..Default::default()
    });
    let out = env.run(&["--json", "--profile", "Work", "upload", doc.to_str().unwrap(), "--session", "cli-shared"]);
    assert!(!out.status.success(), "the upload failed: {}", String::from_utf8_lossy(&out.stdout));

    // What the app does at start (interrupted_uploads): the profile's queue, through the core service.
    let layout = DataLayout::new(env.data.path());
    let queue = UploadQueue::new(Arc::new(LogHost), layout.outgoing_dir());
    let listed = queue.take_interrupted(&layout.open_profile("Work").unwrap()).unwrap();
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0].filename, "minutes.txt");
    assert_eq!(listed[0].session_id, "cli-shared");
    assert_eq!(listed[0].mode, UploadTarget::Document);
    assert_eq!(std::path::Path::new(&listed[0].path), doc.as_path());
    assert!(listed[0].error.is_some(), "the reason is kept for the window to show");
    // Another profile's queue does not see it.
    assert!(queue.take_interrupted(&layout.open_profile("Personal").unwrap()).unwrap().is_empty());
    // Listed once: sending it again queues it anew.
    assert!(queue.take_interrupted(&layout.open_profile("Work").unwrap()).unwrap().is_empty());
}

#[test]
fn an_upload_the_cli_finished_leaves_nothing_on_the_queue() {
    let env = Env::new();
    let doc = env.write("notes.txt", "Notes.");
    let up = env.json(&["--profile", "Work", "upload", doc.to_str().unwrap(), "--session", "cli-shared-ok"]);
    assert_eq!(up[0]["ok"], true, "{up}");
    let layout = DataLayout::new(env.data.path());
    assert!(layout.open_profile("Work").unwrap().uploads().unwrap().is_empty(), "done is taken off, as the app does");
}
