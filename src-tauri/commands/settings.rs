//! App settings (the core's `settings.rs`, in the shared store), usage and the app's version.

use superdocs_client::settings::{self, AppSettings};
use superdocs_client::types::Usage;
use superdocs_client::Result;
use tauri::{AppHandle, Manager, State};
use tauri_plugin_dialog::DialogExt;

use crate::state::AppState;
use crate::strings::{self, tr};
use crate::{logging, menu};

#[tauri::command]
pub fn get_settings(app: AppHandle, state: State<'_, AppState>) -> AppSettings {
    let mut s = settings::load(state.profiles.store());
    if s.download_folder.is_empty() {
        s.download_folder = app.path().download_dir().map(|p| p.to_string_lossy().into_owned()).unwrap_or_default();
    }
    s
}

#[tauri::command]
pub fn save_settings(app: AppHandle, state: State<'_, AppState>, settings: AppSettings) -> Result<AppSettings> {
    // The export folder is one the user chose with the picker (or the one already in use).
    if !settings.download_folder.trim().is_empty() {
        state.grants.folder(&settings.download_folder)?;
    }
    let stored = settings::load(state.profiles.store());
    let (before, before_language) = (stored.network, stored.language);
    if settings.network.extra_ca_file.is_some() && settings.network.extra_ca_file != before.extra_ca_file {
        // Trusting a CA is the user's choice: the file must come from the certificate picker.
        state.grants.file(settings.network.extra_ca_file.as_deref().unwrap_or_default())?;
    }
    settings::save(state.profiles.store(), &settings)?;
    logging::set_debug(settings.debug_logging);
    if settings.language != before_language {
        // The menu bar and later notifications follow the page into the new language.
        strings::choose(settings.language.as_deref());
        let rebuilt = menu::build(&app).and_then(|m| app.set_menu(m));
        if let Err(e) = rebuilt {
            tracing::warn!("the menu bar stays in the previous language: {e}");
        }
    }
    if settings.network != before {
        // New connections only: the active profile reconnects with the new proxy and trust.
        state.profiles.reconnect()?;
    }
    Ok(settings)
}

/// The native file dialog for a PEM file of certificate authorities; null when dismissed.
#[tauri::command]
pub async fn pick_certificate(app: AppHandle, state: State<'_, AppState>) -> Result<Option<String>> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_title(tr("dialog.chooseCertificate"))
        .add_filter(tr("dialog.certificates"), &["pem", "crt", "cer"])
        .pick_file(move |picked| {
            let _ = tx.send(picked);
        });
    let picked = rx.await.ok().flatten().and_then(|f| f.into_path().ok());
    if let Some(file) = &picked {
        state.grants.grant_files([file]);
    }
    Ok(picked.map(|p| p.to_string_lossy().into_owned()))
}

/// The latest usage the service reported, or null before the first billable call.
#[tauri::command]
pub fn get_usage(state: State<'_, AppState>) -> Option<Usage> {
    state.profiles.active_usage()
}

/// The shell's version, so the first IPC call from the page proves the window is interactive.
#[tauri::command]
pub fn app_version() -> &'static str {
    // `make bench` (scripts/bench-app.sh) waits for this line to time cold start to an interactive window.
    tracing::info!(target: "superdocs_desktop::ipc", "ipc: app_version (first call from the page)");
    env!("CARGO_PKG_VERSION")
}

/// The user's language as the OS reports it ("de-DE"), or null: the window's translation unless Settings
/// names one.
#[tauri::command]
pub fn system_locale() -> Option<String> {
    sys_locale::get_locale()
}
