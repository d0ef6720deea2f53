//! Signed updates (tauri-plugin-updater): check the feed of tauri.conf.json, download the package with
//! progress and verify its minisign signature against the committed public key, then install it and
//! relaunch. The plugin does the work; this maps it onto the IPC contract and the core's `Error`.
//!
//! Debug builds only: `SUPERDOCS_UPDATE_ENDPOINT` and `SUPERDOCS_UPDATE_PUBKEY` replace the feed and the
//! key, so tests/e2e_update.rs can serve a package signed with a throwaway key on loopback; without the
//! endpoint a debug build does not check at all. Release builds compile without this code and always use
//! the configured feed and key.

use std::sync::Mutex;

use serde::Serialize;
use superdocs_client::{Error, ErrorKind, Result};
use tauri::ipc::Channel;
use tauri::{AppHandle, State};
use tauri_plugin_updater::{Update, UpdaterExt};
use ts_rs::TS;

/// A newer version the feed offers.
#[derive(Debug, Clone, Serialize, TS)]
pub struct UpdateInfo {
    pub version: String,
    pub current_version: String,
    /// Release notes, plain text (may be empty).
    pub notes: String,
    /// RFC 3339, when the feed gives one.
    pub date: Option<String>,
}

/// Download progress: bytes received so far and the size, when the server says it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct UpdateProgress {
    #[ts(type = "number")]
    pub received: u64,
    #[ts(type = "number | null")]
    pub total: Option<u64>,
}

/// The update found by the last check, and its package once downloaded and verified.
#[derive(Default)]
pub struct PendingUpdate(Mutex<Option<(Update, Option<Vec<u8>>)>>);

fn updater(app: &AppHandle) -> Result<tauri_plugin_updater::Updater> {
    #[allow(unused_mut)]
    let mut builder = app.updater_builder();
    // A development build never asks the real feed (every `make run` and e2e start would): it checks only
    // the loopback feed a test names.
    #[cfg(debug_assertions)]
    {
        let Ok(url) = std::env::var("SUPERDOCS_UPDATE_ENDPOINT") else {
            return Err(Error::local(
                ErrorKind::Validation,
                "This is a development build: it does not look for updates (SUPERDOCS_UPDATE_ENDPOINT names a feed to test).",
            ));
        };
        let url = url
            .parse()
            .map_err(|e| Error::internal("SUPERDOCS_UPDATE_ENDPOINT is not a URL.").with_detail(format!("{e}")))?;
        builder = builder.endpoints(vec![url]).map_err(from_updater)?;
        if let Ok(key) = std::env::var("SUPERDOCS_UPDATE_PUBKEY") {
            builder = builder.pubkey(key);
        }
    }
    builder.build().map_err(from_updater)
}

/// The updater's errors as the UI shows them; a refused signature says so plainly.
fn from_updater(e: tauri_plugin_updater::Error) -> Error {
    use tauri_plugin_updater::Error as U;
    let detail = e.to_string();
    let err = match e {
        U::Minisign(_) | U::Base64(_) | U::SignatureUtf8(_) => Error::local(
            ErrorKind::Validation,
            "The downloaded update is not signed by SuperDocs (its signature does not match), so it was not installed. You are still on the current version.",
        ),
        U::Reqwest(_) | U::Network(_) => Error::local(ErrorKind::Network, "The update server could not be reached. Try again later."),
        U::ReleaseNotFound | U::Serialization(_) | U::Semver(_) | U::TargetNotFound(_) | U::TargetsNotFound(_) => {
            Error::local(ErrorKind::Protocol, "The update server's answer could not be read.")
        }
        U::AuthenticationFailed => Error::local(ErrorKind::Cancelled, "Installing the update needs your password; it was not given."),
        U::InvalidUpdaterFormat => Error::local(ErrorKind::Validation, "The update is not a package this installation can use."),
        _ => Error::internal("The update could not be installed."),
    };
    err.with_detail(detail)
}

/// check_update → UpdateInfo | null (null: this is the newest version).
#[tauri::command]
pub async fn check_update(app: AppHandle, pending: State<'_, PendingUpdate>) -> Result<Option<UpdateInfo>> {
    let found = updater(&app)?.check().await.map_err(from_updater)?;
    let info = found.as_ref().map(|u| UpdateInfo {
        version: u.version.clone(),
        current_version: u.current_version.clone(),
        notes: u.body.clone().unwrap_or_default(),
        date: u.raw_json.get("pub_date").and_then(|d| d.as_str()).map(str::to_string),
    });
    *pending.0.lock().unwrap() = found.map(|u| (u, None));
    Ok(info)
}

/// download_update {onProgress}: downloads the update found by check_update and verifies its signature;
/// the verified package is kept for install_update. A refused package is dropped.
#[tauri::command]
pub async fn download_update(pending: State<'_, PendingUpdate>, on_progress: Channel<UpdateProgress>) -> Result<()> {
    let update = pending.0.lock().unwrap().as_ref().map(|(u, _)| u.clone());
    let update = update.ok_or_else(|| Error::local(ErrorKind::Validation, "Check for updates first."))?;
    let mut received = 0u64;
    let bytes = update
        .download(
            |chunk, total| {
                received += chunk as u64;
                let _ = on_progress.send(UpdateProgress { received, total });
            },
            || {},
        )
        .await
        .map_err(from_updater)?;
    if let Some(p) = pending.0.lock().unwrap().as_mut() {
        p.1 = Some(bytes);
    }
    Ok(())
}

/// install_update: installs the verified package and relaunches the app (on Windows the installer
/// closes the app itself). Linux: the .deb / .rpm goes through pkexec (the system asks for a password).
#[tauri::command]
pub async fn install_update(app: AppHandle, pending: State<'_, PendingUpdate>) -> Result<()> {
    let (update, bytes) = match pending.0.lock().unwrap().take() {
        Some((u, Some(b))) => (u, b),
        other => {
            *pending.0.lock().unwrap() = other;
            return Err(Error::local(ErrorKind::Validation, "Download the update first."));
        }
    };
    // The installer blocks (pkexec waits for the password dialog): keep it off the async runtime.
    tauri::async_runtime::spawn_blocking(move || update.install(bytes))
        .await
        .map_err(|e| Error::internal("The update could not be installed.").with_detail(e.to_string()))?
        .map_err(from_updater)?;
    app.restart()
}
