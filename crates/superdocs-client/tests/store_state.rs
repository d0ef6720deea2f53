//! The local database: each kind of state round-trips, survives reopening, and two connections
//! (two processes) can use one file at once.

use superdocs_client::export::ExportOutcome;
use superdocs_client::store::{ExportDelivery, SavedProfile, Store, UploadState, UploadTarget, DB_FILE};
use superdocs_client::types::{ExportFormat, JobStatus};

#[test]
fn state_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    {
        let s = Store::open(dir.path()).unwrap();
        s.save_profile(&SavedProfile { name: "work".into(), base_url: "https://api.superdocs.app".into() }).unwrap();
        s.track_job("job_1", "s1", "Fix the intro", JobStatus::Pending).unwrap();
        s.update_job("job_1", JobStatus::InProgress, Some(4)).unwrap();
        let id = s.enqueue_upload(std::path::Path::new("/tmp/a.docx"), "s1", UploadTarget::Document).unwrap();
        s.set_upload_state(id, UploadState::Uploading, None).unwrap();
        let saved = ExportOutcome::Saved { path: "/tmp/out.pdf".into(), bytes: 10, warnings: None };
        s.record_export("s1", ExportFormat::Pdf, &saved).unwrap();
        let emailed =
            ExportOutcome::Emailed { recipient: "a@b.c".into(), eta: None, job_id: "j".into(), message: None };
        s.record_export("s1", ExportFormat::Docx, &emailed).unwrap();
        s.set_setting("theme", "dark").unwrap();
    }
    let s = Store::open(dir.path()).unwrap();
    assert_eq!(s.profile("work").unwrap().unwrap().base_url, "https://api.superdocs.app");
    let job = s.tracked_job("job_1").unwrap().unwrap();
    assert_eq!((job.status, job.last_sequence, job.notified), (JobStatus::InProgress, Some(4), false));
    let pending = s.unfinished_uploads().unwrap();
    assert_eq!(pending.len(), 1, "an upload cut off by a restart is still to do");
    assert_eq!((pending[0].target, pending[0].status), (UploadTarget::Document, UploadState::Uploading));
    let exports = s.exports(10).unwrap();
    assert_eq!(
        (exports[0].delivery, exports[0].recipient.as_deref(), exports[0].format.as_str()),
        (ExportDelivery::Emailed, Some("a@b.c"), "docx")
    );
    assert_eq!((exports[1].delivery, exports[1].path.as_deref()), (ExportDelivery::Saved, Some("/tmp/out.pdf")));
    assert_eq!(s.setting("theme").unwrap().as_deref(), Some("dark"));
    // No key is ever written to the database file.
    let bytes = std::fs::read(dir.path().join(DB_FILE)).unwrap();
    assert!(!bytes.windows(3).any(|w| w == b"sk_"));
}

#[test]
fn sequences_never_go_back_and_tracking_twice_keeps_progress() {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(dir.path()).unwrap();
    s.track_job("j", "s", "l", JobStatus::Pending).unwrap();
    s.update_job("j", JobStatus::InProgress, Some(9)).unwrap();
    s.update_job("j", JobStatus::InProgress, Some(3)).unwrap();
    s.update_job("j", JobStatus::AwaitingApproval, None).unwrap();
    s.track_job("j", "s", "l", JobStatus::Pending).unwrap();
    let j = s.tracked_job("j").unwrap().unwrap();
    assert_eq!((j.status, j.last_sequence), (JobStatus::AwaitingApproval, Some(9)));
}

#[test]
fn two_connections_share_one_file_and_report_an_ending_once() {
    let dir = tempfile::tempdir().unwrap();
    let a = Store::open(dir.path()).unwrap();
    let b = Store::open(dir.path()).unwrap();
    a.track_job("j", "s", "l", JobStatus::Pending).unwrap();
    assert_eq!(b.unreported_jobs().unwrap().len(), 1, "b sees a's write");
    // Both race to report the ending: exactly one wins.
    let wins = [a.mark_notified("j").unwrap(), b.mark_notified("j").unwrap()];
    assert_eq!(wins.iter().filter(|w| **w).count(), 1);
    assert!(a.unreported_jobs().unwrap().is_empty());

    // Concurrent writers from two threads do not fail with "database is locked".
    let handles: Vec<_> = [a.clone(), b.clone()]
        .into_iter()
        .enumerate()
        .map(|(n, s)| {
            std::thread::spawn(move || (0..50).for_each(|i| s.set_setting(&format!("k{n}-{i}"), "v").unwrap()))
        })
        .collect();
    handles.into_iter().for_each(|h| h.join().unwrap());
    assert_eq!(a.setting("k1-49").unwrap().as_deref(), Some("v"));
    let mode: String = rusqlite::Connection::open(dir.path().join(DB_FILE))
        .unwrap()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn a_damaged_database_is_a_clear_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(DB_FILE),
        b"this is not a database, just some text that is long enough to be noticed",
    )
    .unwrap();
    let e = Store::open(dir.path()).unwrap_err();
    assert_eq!(e.kind, superdocs_client::ErrorKind::Internal);
    assert!(e.message.contains("local database"));
}
