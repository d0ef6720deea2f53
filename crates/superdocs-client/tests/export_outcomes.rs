//! Exports over real HTTP: every format arrives; the switch to the e-mailed link when the
//! simulator's export cap is lowered; upload-then-export for big HTML and after a 413
//! request_too_large; a hostile server filename stays in the folder; existing files are kept; a
//! cut download leaves no partial file.

mod faults_support;

use std::path::Path;

use faults_support::*;
use superdocs_client::error::ErrorKind;
use superdocs_client::export::{ExportOutcome, ExportSource, ExportSpec};
use superdocs_client::types::{ExportFormat, OpenMode};
use superdocs_client::upload::UploadKind;
use superdocs_sim::{FaultAction, FaultRule, SimConfig};

const SESSION: &str = "export-session";

async fn with_document(rig: &Rig) {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("report.html");
    std::fs::write(&f, "<h1>Quarterly report</h1><p>Revenue grew.</p><p>Costs fell.</p>").unwrap();
    rig.client
        .upload_file(&f, SESSION, UploadKind::Document { open_mode: OpenMode::Replace }, None, &opts())
        .await
        .unwrap();
}

fn spec(dir: &Path, format: ExportFormat) -> ExportSpec {
    ExportSpec {
        source: ExportSource::Session { session_id: SESSION.into() },
        format,
        options: None,
        filename: None,
        recipient_email: None,
        dest_dir: dir.to_path_buf(),
    }
}

fn saved(o: ExportOutcome) -> (std::path::PathBuf, u64) {
    match o {
        ExportOutcome::Saved { path, bytes, .. } => (path, bytes),
        other => panic!("expected a saved file, got {other:?}"),
    }
}

/// Every entry of the folder (temporary files included).
fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

#[tokio::test]
async fn every_format_arrives_in_the_folder() {
    let rig = rig().await;
    with_document(&rig).await;
    let out = tempfile::tempdir().unwrap();
    for (format, magic) in [
        (ExportFormat::Docx, &b"PK"[..]),
        (ExportFormat::Pdf, &b"%PDF"[..]),
        (ExportFormat::Html, &b""[..]),
        (ExportFormat::Markdown, &b""[..]),
        (ExportFormat::Txt, &b""[..]),
    ] {
        let (path, bytes) = saved(rig.client.export(&spec(out.path(), format), None, &opts()).await.unwrap());
        assert_eq!(path.parent().unwrap(), out.path());
        let data = std::fs::read(&path).unwrap();
        assert_eq!(data.len() as u64, bytes, "{format:?}");
        assert!(data.starts_with(magic), "{format:?} starts with {magic:?}");
        if matches!(format, ExportFormat::Html | ExportFormat::Markdown | ExportFormat::Txt) {
            assert!(String::from_utf8_lossy(&data).contains("Revenue grew"), "{format:?}");
        }
    }
    assert_eq!(entries(out.path()).len(), 5, "{:?}", entries(out.path()));
    assert!(entries(out.path()).iter().all(|n| !n.ends_with(".part")));
    rig.sim.shutdown().await;
}

#[tokio::test]
async fn an_existing_file_is_never_overwritten() {
    let rig = rig().await;
    with_document(&rig).await;
    let out = tempfile::tempdir().unwrap();
    let mut s = spec(out.path(), ExportFormat::Txt);
    s.filename = Some("notes.txt".into());
    let (first, _) = saved(rig.client.export(&s, None, &opts()).await.unwrap());
    std::fs::write(&first, b"my edits").unwrap();
    let (second, _) = saved(rig.client.export(&s, None, &opts()).await.unwrap());
    assert_ne!(first, second);
    assert_eq!(second.file_name().unwrap().to_string_lossy(), "notes (1).txt");
    assert_eq!(std::fs::read(&first).unwrap(), b"my edits");
    rig.sim.shutdown().await;
}

#[tokio::test]
async fn a_hostile_server_filename_stays_in_the_folder() {
    let rig = rig().await;
    with_document(&rig).await;
    let root = tempfile::tempdir().unwrap();
    let out = root.path().join("exports");
    std::fs::create_dir(&out).unwrap();
    let mut s = spec(&out, ExportFormat::Txt);
    // The simulator names the download after the requested filename: a path-traversal attempt.
    s.filename = Some("../../escaped.txt".into());
    let (path, _) = saved(rig.client.export(&s, None, &opts()).await.unwrap());
    assert_eq!(path.parent().unwrap(), out.as_path());
    assert_eq!(entries(root.path()), vec!["exports".to_string()], "nothing written outside the folder");
    assert!(!path.file_name().unwrap().to_string_lossy().contains(".."));
    rig.sim.shutdown().await;
}

#[tokio::test]
async fn a_cut_download_leaves_no_partial_file() {
    let rig = rig().await;
    with_document(&rig).await;
    let out = tempfile::tempdir().unwrap();
    // Every attempt is cut after a few bytes: the export fails, the folder stays empty.
    rig.sim.add_fault(FaultRule {
        method: Some("POST".into()),
        path: "/v1/documents/export".into(),
        times: 0,
        action: FaultAction::ResetAfterBytes(8),
        ..Default::default()
    });
    let e = rig.client.export(&spec(out.path(), ExportFormat::Pdf), None, &opts()).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Network);
    assert_eq!(e.attempts, 5, "an export is idempotent: retried");
    assert!(entries(out.path()).is_empty(), "{:?}", entries(out.path()));

    // Cut once: the retry completes and exactly one whole file is there.
    rig.sim.clear_faults();
    rig.sim.add_fault(FaultRule {
        method: Some("POST".into()),
        path: "/v1/documents/export".into(),
        action: FaultAction::ResetAfterBytes(8),
        ..Default::default()
    });
    let (path, bytes) = saved(rig.client.export(&spec(out.path(), ExportFormat::Pdf), None, &opts()).await.unwrap());
    assert_eq!(entries(out.path()).len(), 1);
    assert_eq!(std::fs::metadata(&path).unwrap().len(), bytes);
    assert!(std::fs::read(&path).unwrap().starts_with(b"%PDF"));
    rig.sim.shutdown().await;
}

#[tokio::test]
async fn over_the_export_cap_switches_to_the_emailed_link_by_itself() {
    let rig = rig_with(SimConfig { export_cap_bytes: 16, ..sim_config() }, |_| {}).await;
    with_document(&rig).await;
    let out = tempfile::tempdir().unwrap();
    let outcome = rig.client.export(&spec(out.path(), ExportFormat::Pdf), None, &opts()).await.unwrap();
    let ExportOutcome::Emailed { recipient, job_id, .. } = outcome else { panic!("expected e-mail, got {outcome:?}") };
    assert!(recipient.contains('@'), "the account's own address: {recipient}");
    assert!(!job_id.is_empty());
    // The e-mail goes out when the background render finishes.
    let outbox = outbox_with(&rig, 1).await;
    assert_eq!(outbox.len(), 1);
    assert_eq!(outbox[0].to, recipient);
    assert_eq!(outbox[0].format, "pdf");
    assert!(entries(out.path()).is_empty());
    let s = rig.sim.stats();
    assert_eq!(s.submissions("email_export", &key2(SESSION, "pdf")), 1);

    // A given recipient is used; the e-mailed link downloads without the key.
    let mut s2 = spec(out.path(), ExportFormat::Docx);
    s2.recipient_email = Some("boss@example.com".into());
    let ExportOutcome::Emailed { recipient, .. } = rig.client.export(&s2, None, &opts()).await.unwrap() else {
        panic!()
    };
    assert_eq!(recipient, "boss@example.com");
    let mail = outbox_with(&rig, 2).await.into_iter().find(|m| m.to == "boss@example.com").unwrap();
    let path = rig.client.download(&mail.link, out.path(), &mail.filename, None, &opts()).await.unwrap();
    assert!(std::fs::read(path).unwrap().starts_with(b"PK"));
    rig.sim.shutdown().await;
}

async fn outbox_with(rig: &Rig, n: usize) -> Vec<superdocs_sim::Email> {
    for _ in 0..500 {
        let o = rig.sim.outbox();
        if o.len() >= n {
            return o;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    panic!("the outbox never held {n} e-mails");
}

#[tokio::test]
async fn big_html_goes_upload_then_export() {
    let rig = rig_with(sim_config(), |c| c.export_limits.inline_html_max_bytes = 1024).await;
    let out = tempfile::tempdir().unwrap();
    let html = format!("<p>{}</p>", "lorem ipsum ".repeat(200));
    let s =
        ExportSpec { source: ExportSource::Html { html, session_id: None }, ..spec(out.path(), ExportFormat::Html) };
    let (path, _) = saved(rig.client.export(&s, None, &opts()).await.unwrap());
    assert!(std::fs::read_to_string(path).unwrap().contains("lorem ipsum"));
    let st = rig.sim.stats();
    assert_eq!(st.count("POST", "/v1/uploads"), 1);
    assert_eq!(st.count("PUT", "*"), 1);
    assert_eq!(st.count("POST", "/v1/documents/export"), 1);
    rig.sim.shutdown().await;
}

#[tokio::test]
async fn a_413_request_too_large_on_inline_html_switches_to_upload_then_export() {
    let rig = rig_with(SimConfig { transport_cap_bytes: 2048, ..sim_config() }, |_| {}).await;
    let out = tempfile::tempdir().unwrap();
    let html = format!("<p>{}</p>", "dolor sit amet ".repeat(300));
    let s = ExportSpec { source: ExportSource::Html { html, session_id: None }, ..spec(out.path(), ExportFormat::Txt) };
    let (path, _) = saved(rig.client.export(&s, None, &opts()).await.unwrap());
    assert!(std::fs::read_to_string(path).unwrap().contains("dolor sit amet"));
    let st = rig.sim.stats();
    assert_eq!(st.count("POST", "/v1/documents/export"), 2, "inline refused (413), then by upload id");
    assert_eq!(st.count("POST", "/v1/uploads"), 1);
    rig.sim.shutdown().await;
}
