//! App settings, kept in the core's store as one JSON value; usage and the app's version.

use serde::{Deserialize, Serialize};
use superdocs_client::network::Network;
use superdocs_client::store::Store;
use superdocs_client::types::{ModelTier, ThinkingDepth, Usage};
use superdocs_client::{Error, ErrorKind, Result};
use tauri::{AppHandle, Manager, State};
use tauri_plugin_dialog::DialogExt;
use ts_rs::TS;

use crate::commands::profiles;
use crate::commands::update::UpdateCheck;
use crate::logging;
use crate::state::AppState;

const SETTINGS_KEY: &str = "app_settings";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum NotifyWhen {
    Off,
    Unfocused,
    Always,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    System,
    Light,
    Dark,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AppSettings {
    pub default_model_tier: ModelTier,
    pub default_thinking_depth: ThinkingDepth,
    pub review_by_default: bool,
    pub notifications: NotifyWhen,
    pub download_folder: String,
    pub theme: Theme,
    /// Settings saved before updates existed have none: automatic.
    #[serde(default)]
    pub update_check: UpdateCheck,
    /// Proxy and extra certificate authorities for the service's profiles (the demo is always direct).
    #[serde(default)]
    pub network: Network,
    /// Debug-level lines in the log file, for a support case.
    #[serde(default)]
    pub debug_logging: bool,
    /// The pane widths the user left (null until they move a divider).
    #[serde(default)]
    pub panes: Option<PaneWidths>,
}

/// The sessions and chat panes' widths in CSS pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PaneWidths {
    pub sidebar: u32,
    pub chat: u32,
}

impl Default for AppSettings {
    fn default() -> Self {
        AppSettings {
            default_model_tier: ModelTier::Core,
            default_thinking_depth: ThinkingDepth::Balanced,
            review_by_default: false,
            notifications: NotifyWhen::Unfocused,
            download_folder: String::new(),
            theme: Theme::System,
            update_check: UpdateCheck::Automatic,
            network: Network::default(),
            debug_logging: false,
            panes: None,
        }
    }
}

/// The stored settings, or the defaults (also when the stored value cannot be read).
pub fn load(store: &Store) -> AppSettings {
    store.setting(SETTINGS_KEY).ok().flatten().and_then(|s| serde_json::from_str(&s).ok()).unwrap_or_default()
}

#[tauri::command]
pub fn get_settings(app: AppHandle, state: State<'_, AppState>) -> AppSettings {
    let mut s = load(&state.store);
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
    let saved = load(&state.store).download_folder;
    if !saved.is_empty() {
        state.grants.grant_folder(saved);
    }
}

#[tauri::command]
pub fn save_settings(app: AppHandle, state: State<'_, AppState>, settings: AppSettings) -> Result<AppSettings> {
    if settings.download_folder.trim().is_empty() {
        return Err(Error::local(ErrorKind::Validation, "Choose a folder for exported files."));
    }
    // The export folder is one the user chose with the picker (or the one already in use).
    state.grants.folder(&settings.download_folder)?;
    let before = load(&state.store).network;
    if settings.network.extra_ca_file.is_some() && settings.network.extra_ca_file != before.extra_ca_file {
        // Trusting a CA is the user's choice: the file must come from the certificate picker.
        state.grants.file(settings.network.extra_ca_file.as_deref().unwrap_or_default())?;
    }
    settings.network.validate()?;
    let json = serde_json::to_string(&settings)
        .map_err(|e| Error::internal("The settings could not be saved.").with_detail(e.to_string()))?;
    state.store.set_setting(SETTINGS_KEY, &json)?;
    logging::set_debug(settings.debug_logging);
    if settings.network != before {
        // New connections only: the active profile reconnects with the new proxy and trust.
        profiles::reconnect(&app, &state)?;
    }
    Ok(settings)
}

/// The native file dialog for a PEM file of certificate authorities; null when dismissed.
#[tauri::command]
pub async fn pick_certificate(app: AppHandle, state: State<'_, AppState>) -> Result<Option<String>> {
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_title("Choose a certificate authority file")
        .add_filter("Certificates (PEM)", &["pem", "crt", "cer"])
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
    state.active_usage()
}

/// The shell's version, so the first IPC call from the page proves the window is interactive.
#[tauri::command]
pub fn app_version() -> &'static str {
    // `make bench` (scripts/bench-app.sh) waits for this line to time cold start to an interactive window.
    tracing::info!(target: "superdocs_desktop::ipc", "ipc: app_version (first call from the page)");
    env!("CARGO_PKG_VERSION")
}
