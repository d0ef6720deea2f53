//! App settings (the core's `settings.rs`, in the shared store), usage and the app's version.

use superdocs_client::settings::{self, AppSettings};
use superdocs_client::types::Usage;
use superdocs_client::Result;
use tauri::{AppHandle, Manager, State};

use crate::state::AppState;

#[tauri::command]
pub fn get_settings(app: AppHandle, state: State<'_, AppState>) -> AppSettings {
    let mut s = settings::load(state.profiles.store());
    if s.download_folder.is_empty() {
        s.download_folder = app.path().download_dir().map(|p| p.to_string_lossy().into_owned()).unwrap_or_default();
    }
    s
}

/// At start: the system's Downloads folder and the one the settings name (the user chose it, see
/// `save_settings`) may receive exports.
pub fn grant_export_folders(app: &AppHandle, state: &AppState) {
    if let Ok(dir) = app.path().download_dir() {
        state.grants.grant_folder(dir);
    }
    let saved = settings::load(state.profiles.store()).download_folder;
    if !saved.is_empty() {
        state.grants.grant_folder(saved);
    }
}

#[tauri::command]
pub fn save_settings(state: State<'_, AppState>, settings: AppSettings) -> Result<AppSettings> {
    // The export folder is one the user chose with the picker (or the one already in use).
    if !settings.download_folder.trim().is_empty() {
        state.grants.folder(&settings.download_folder)?;
    }
    settings::save(state.profiles.store(), &settings)?;
    Ok(settings)
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
