//! Signed updates as a user meets them: the app started with its update feed pointed at a loopback
//! server (SUPERDOCS_UPDATE_ENDPOINT / _PUBKEY, honoured by debug builds only) finds a newer version at
//! start, shows it with its notes, downloads it with progress and verifies its minisign signature. A
//! tampered package and one signed with another key are refused with a clear message, and the running
//! version keeps working. The package is a real .deb (dpkg-deb) signed by the Tauri CLI's `signer` with
//! throwaway keys made here. Installing is not done here: this debug binary is not an installed bundle
//! (`make package-test` installs the real .deb).
// The app is driven through tauri-driver + WebKitWebDriver under Xvfb: Linux only.
#![cfg(target_os = "linux")]
mod support;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::routing::get;
use axum::Router;

const NEW_VERSION: &str = "9.9.9";
const NOTES: &str = "Faster uploads.\nA new export dialog.";

/// The Tauri CLI from ui/node_modules (scripts/setup.sh installs it with the UI's packages).
fn tauri_cli() -> PathBuf {
    let cli = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/node_modules/.bin/tauri");
    assert!(cli.exists(), "{} is missing: run scripts/setup.sh (npm ci in ui/)", cli.display());
    cli
}

fn run(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A throwaway minisign key pair (no password): (public key as tauri.conf.json holds it, private key file).
fn keypair(dir: &Path, name: &str) -> (String, PathBuf) {
    let key = dir.join(name);
    run(Command::new(tauri_cli()).args(["signer", "generate", "--ci", "-p", "", "-w"]).arg(&key));
    let public = std::fs::read_to_string(format!("{}.pub", key.display())).expect("public key");
    (public.trim().to_string(), key)
}

/// The signature `tauri signer sign` writes beside the file (what latest.json carries).
fn sign(file: &Path, key: &Path) -> String {
    run(Command::new(tauri_cli()).args(["signer", "sign", "-p", "", "-f"]).arg(key).arg(file));
    let sig = PathBuf::from(format!("{}.sig", file.display()));
    let text = std::fs::read_to_string(&sig).expect("signature");
    std::fs::remove_file(sig).expect("remove the signature file");
    text.trim().to_string()
}

/// A newer "superdocs-desktop" .deb: a control file and a 1.5 MB payload (random, so the download takes
/// a few chunks and shows progress).
fn newer_deb(dir: &Path) -> PathBuf {
    let tree = dir.join("pkg");
    std::fs::create_dir_all(tree.join("DEBIAN")).expect("DEBIAN");
    std::fs::create_dir_all(tree.join("usr/share/superdocs-desktop")).expect("payload dir");
    let control = format!(
        "Package: super-docs\nVersion: {NEW_VERSION}\nArchitecture: amd64\nMaintainer: SuperDocs <support@superdocs.app>\nDescription: update test package\n"
    );
    std::fs::write(tree.join("DEBIAN/control"), control).expect("control");
    let noise: Vec<u8> = (0..1_500_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    std::fs::write(tree.join("usr/share/superdocs-desktop/payload.bin"), noise).expect("payload");
    let deb = dir.join(format!("SuperDocs_{NEW_VERSION}_amd64.deb"));
    run(Command::new("dpkg-deb").args(["--root-owner-group", "-Znone", "--build"]).arg(&tree).arg(&deb));
    deb
}

/// What the loopback feed serves now.
#[derive(Clone, Default)]
struct Release {
    package: Vec<u8>,
    signature: String,
}

#[derive(Clone, Default)]
struct Feed {
    release: Arc<Mutex<Release>>,
    checks: Arc<Mutex<usize>>,
    downloads: Arc<Mutex<usize>>,
    base: String,
}

impl Feed {
    async fn start() -> Feed {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind the feed");
        let feed = Feed { base: format!("http://{}", listener.local_addr().expect("addr")), ..Default::default() };
        let app = Router::new()
            .route("/latest.json", get(latest))
            .route("/package.deb", get(package))
            .with_state(feed.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.expect("feed") });
        feed
    }

    fn serve(&self, package: Vec<u8>, signature: &str) {
        *self.release.lock().unwrap() = Release { package, signature: signature.to_string() };
    }
}

/// The static latest.json tauri-action publishes, for this machine's target.
async fn latest(State(feed): State<Feed>) -> axum::Json<serde_json::Value> {
    *feed.checks.lock().unwrap() += 1;
    let release = feed.release.lock().unwrap().clone();
    axum::Json(serde_json::json!({
        "version": NEW_VERSION,
        "notes": NOTES,
        "pub_date": "2026-11-29T12:00:00Z",
        "platforms": {
            "linux-x86_64": { "url": format!("{}/package.deb", feed.base), "signature": release.signature }
        }
    }))
}

/// The package in 64 KiB chunks, 20 ms apart (about half a second), with its length, as a CDN sends it.
async fn package(State(feed): State<Feed>) -> axum::response::Response {
    *feed.downloads.lock().unwrap() += 1;
    let bytes = feed.release.lock().unwrap().package.clone();
    let len = bytes.len();
    let chunks: Vec<Vec<u8>> = bytes.chunks(64 * 1024).map(<[u8]>::to_vec).collect();
    let stream = futures_util::stream::unfold(chunks.into_iter(), |mut it| async move {
        let chunk = it.next()?;
        tokio::time::sleep(Duration::from_millis(20)).await;
        Some((Ok::<_, std::io::Error>(chunk), it))
    });
    axum::response::Response::builder()
        .header("content-type", "application/octet-stream")
        .header("content-length", len)
        .body(Body::from_stream(stream))
        .expect("response")
}

#[tokio::test]
async fn a_signed_update_is_offered_downloaded_and_verified_and_a_forged_one_is_refused() {
    // Test setup: two throwaway keys (the app trusts `good`), a newer .deb, and three ways to serve it.
    let work = tempfile::tempdir().expect("work dir");
    let (good_public, good_key) = keypair(work.path(), "good.key");
    let (_, other_key) = keypair(work.path(), "other.key");
    let deb = newer_deb(work.path());
    let package = std::fs::read(&deb).expect("package");
    let signature = sign(&deb, &good_key);
    let forged_signature = sign(&deb, &other_key);
    let mut tampered = package.clone();
    let middle = tampered.len() / 2;
    tampered[middle] ^= 0x55;

    let feed = Feed::start().await;
    feed.serve(tampered, &signature);
    let sim = superdocs_sim::SimHandle::start(Default::default()).await.expect("the simulator starts");
    let home = support::AppHome::new();
    let endpoint = format!("{}/latest.json", feed.base);
    let app = support::DesktopApp::launch_with(
        &home,
        &[("SUPERDOCS_UPDATE_ENDPOINT", endpoint.as_str()), ("SUPERDOCS_UPDATE_PUBKEY", good_public.as_str())],
    )
    .await;

    // 1. Checked at start (the default setting): offered with its notes, on the first-run screen already.
    app.wait_for_text("[data-testid=update-title]", &format!("Version {NEW_VERSION} is available")).await;
    let notes = app.wait_for_text("[data-testid=update-notes]", "Faster uploads.").await;
    assert!(notes.contains("A new export dialog."), "{notes}");
    let you_have = app.find("[data-testid=update-notice] header").await.text().await.expect("header");
    assert!(you_have.contains(env!("CARGO_PKG_VERSION")), "the notice names the running version: {you_have}");
    app.screenshot("update-offered").await;

    // 2. A tampered package (one byte changed, the right signature): downloaded, refused, nothing kept.
    app.watch_texts("[data-testid=update-progress]").await;
    app.click("[data-testid=update-download]").await;
    let refused = app.wait_for_text("[data-testid=update-error]", "not signed by SuperDocs").await;
    assert!(refused.contains("still on the current version"), "{refused}");
    assert_eq!(*feed.downloads.lock().unwrap(), 1, "the package was downloaded once");
    assert!(!app.exists("[data-testid=update-install]").await, "a refused package is not offered for install");
    let seen = app.watched_texts("[data-testid=update-progress]").await;
    assert!(seen.iter().any(|t| t.contains(" of ")), "download progress was shown: {seen:?}");
    app.screenshot("update-refused").await;

    // The running version keeps working: connect to a service and use it.
    app.connect_to(&sim).await;
    app.find("[data-testid=sidebar]").await;

    // 3. The right package signed with another key, found by Settings → Check now: refused as well.
    feed.serve(package.clone(), &forged_signature);
    app.click("[data-testid=settings-button]").await;
    app.click("[data-testid=settings-tab-general]").await;
    app.click("[data-testid=update-check]").await;
    app.wait_for_text("[data-testid=update-status]", &format!("Version {NEW_VERSION} is available")).await;
    app.click("[data-testid=update-download]").await;
    app.wait_for_text("[data-testid=update-error]", "not signed by SuperDocs").await;
    assert_eq!(*feed.downloads.lock().unwrap(), 2);

    // 4. The genuine package: downloaded with progress, its signature verified, ready to install.
    feed.serve(package, &signature);
    app.click("[data-testid=update-check]").await;
    app.wait_until("the feed to be asked again", Duration::from_secs(10), || async {
        *feed.checks.lock().unwrap() >= 3
    })
    .await;
    app.click("[data-testid=update-download]").await;
    app.wait_for_text("[data-testid=update-verified]", "signature checks out").await;
    assert!(app.exists("[data-testid=update-install]").await, "a verified package is offered for install");
    assert!(!app.exists("[data-testid=update-error]").await, "no error is left from the refused ones");
    assert_eq!(*feed.downloads.lock().unwrap(), 3);
    app.screenshot("update-verified").await;

    // The setting sticks: "Only when I ask" means no check at the next start.
    app.click("[data-testid=updates-manual]").await;
    // Reopened, the dialog reads the saved settings: the choice is stored before the app quits.
    app.client.active_element().await.expect("focus").send_keys("\u{e00c}").await.expect("Escape");
    app.wait_until("the settings to close", Duration::from_secs(5), || async {
        !app.exists("[data-testid=settings-dialog]").await
    })
    .await;
    app.click("[data-testid=settings-button]").await;
    app.click("[data-testid=settings-tab-general]").await;
    assert_eq!(
        app.find("[data-testid=updates-manual]").await.prop("checked").await.expect("checked").as_deref(),
        Some("true")
    );
    app.close().await;
    let checks_before = *feed.checks.lock().unwrap();
    let app = support::DesktopApp::launch_with(
        &home,
        &[("SUPERDOCS_UPDATE_ENDPOINT", endpoint.as_str()), ("SUPERDOCS_UPDATE_PUBKEY", good_public.as_str())],
    )
    .await;
    app.find("[data-testid=sidebar]").await;
    // The start-up check would have come with the page's first calls; the sidebar is later than those.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(*feed.checks.lock().unwrap(), checks_before, "no check at start when the setting says only when I ask");
    assert!(!app.exists("[data-testid=update-notice]").await);
    app.close().await;
}
