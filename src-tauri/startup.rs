//! Opening the app's local state, and what the window shows when that fails: a damaged database or a data
//! folder that cannot be written used to panic in `setup`, and the app vanished without a window. Now the
//! window opens on a start-up error screen (the reason, where the logs are, Retry, Open the data folder,
//! Reset local data — keys stay in the keyring), and a panic is written to the log before the process ends.

use std::path::PathBuf;
use std::sync::Mutex;

use serde::Serialize;
use superdocs_client::layout::DataLayout;
use superdocs_client::settings;
use superdocs_client::store::DB_FILE;
use superdocs_client::{Error, ErrorKind, Result};
use tauri::{AppHandle, Manager};
use tauri_plugin_opener::OpenerExt;
use ts_rs::TS;

use crate::state::{lock, AppState};
use crate::{logging, strings};

/// Why the app could not start, for the start-up error screen.
#[derive(Debug, Clone, Serialize, TS)]
pub struct StartupProblem {
    pub message: String,
    pub detail: Option<String>,
    pub data_dir: String,
    pub log_dir: Option<String>,
}

/// The last start-up failure, until a retry succeeds.
#[derive(Default)]
pub struct Startup(Mutex<Option<StartupProblem>>);

/// Logs a panic (with where it happened) before the default hook prints it, so the log a user attaches
/// says why the app closed.
pub fn log_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        tracing::error!(target: "superdocs_desktop::panic", "the app stopped on an internal error: {info}");
        default(info);
    }));
}

/// Opens the local state and starts what depends on it; on failure, records why (the window shows it).
pub fn open(app: &AppHandle) {
    app.manage(Startup::default());
    open_again(app);
}

/// Tries to open; on failure, logs and records the problem and returns it.
fn open_again(app: &AppHandle) -> Option<StartupProblem> {
    let e = try_open(app).err()?;
    tracing::error!(kind = ?e.kind, "the app could not start: {} {}", e.message, e.detail.clone().unwrap_or_default());
    let problem = StartupProblem {
        message: e.message,
        detail: e.detail,
        data_dir: data_dir().display().to_string(),
        log_dir: logging::dir().map(|d| d.display().to_string()),
    };
    *lock(&app.state::<Startup>().0) = Some(problem.clone());
    Some(problem)
}

fn try_open(app: &AppHandle) -> Result<()> {
    if app.try_state::<AppState>().is_some() {
        return Ok(());
    }
    // The data folder the CLI shares (superdocs_client::layout; docs/data-layout.md).
    let state = AppState::open(app, DataLayout::locate())?;
    let saved = settings::load(state.profiles.store());
    logging::set_debug(saved.debug_logging);
    strings::choose(saved.language.as_deref());
    app.manage(state);
    let state = app.state::<AppState>();
    // After manage: restoring resumes the profile's jobs, and the task forwarding their events reads
    // the state (settings, progress). Before, an early event could find it missing, panic, and take
    // the forwarding with it: a job resumed at start then never reported again.
    // Off the main thread: reading the key may wait on the keyring's unlock prompt, and the window must
    // show meanwhile (`list_profiles` waits for it). A blocking thread of the runtime, because resuming the
    // tracker spawns a task per unfinished job and needs the runtime's context (found by e2e_jobs).
    let handle = app.clone();
    tauri::async_runtime::spawn_blocking(move || handle.state::<AppState>().profiles.restore());
    grant_export_folders(app, &state);
    Ok(())
}

/// The system's Downloads folder and the one the settings name (the user chose it, see `save_settings`)
/// may receive exports.
fn grant_export_folders(app: &AppHandle, state: &AppState) {
    if let Ok(dir) = app.path().download_dir() {
        state.grants.grant_folder(dir);
    }
    let saved = settings::load(state.profiles.store()).download_folder;
    if !saved.is_empty() {
        state.grants.grant_folder(saved);
    }
}

fn data_dir() -> PathBuf {
    DataLayout::locate().root().to_path_buf()
}

/// Null when the app started; else why not.
pub fn problem(app: &AppHandle) -> Option<StartupProblem> {
    lock(&app.state::<Startup>().0).clone()
}

/// Tries to start again (after the user freed the disk, fixed permissions, closed the other program).
/// Sync on purpose: like `setup`, it runs on the main thread, where restoring may block on the runtime.
pub fn retry(app: &AppHandle) -> Option<StartupProblem> {
    *lock(&app.state::<Startup>().0) = None;
    open_again(app)
}

/// Moves the local database aside (kept, renamed, for support) and starts afresh. Keys stay in the
/// keyring; profiles, settings and the upload queue start empty. Only while the app could not start.
pub fn reset_local_data(app: &AppHandle) -> Result<Option<StartupProblem>> {
    if app.try_state::<AppState>().is_some() {
        return Err(Error::local(ErrorKind::Validation, "The app is running: there is nothing to reset."));
    }
    let dir = data_dir();
    let stamp = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    for suffix in ["", "-wal", "-shm"] {
        let file = dir.join(format!("{DB_FILE}{suffix}"));
        if file.exists() {
            let aside = dir.join(format!("{DB_FILE}{suffix}.damaged-{stamp}"));
            std::fs::rename(&file, &aside).map_err(|e| {
                Error::local(
                    ErrorKind::Internal,
                    format!("The database in {} could not be moved aside.", dir.display()),
                )
                .with_detail(e.to_string())
            })?;
        }
    }
    tracing::warn!("local data reset after a failed start: the database was moved aside ({stamp})");
    *lock(&app.state::<Startup>().0) = None;
    Ok(open_again(app))
}

/// Opens the app's data folder in the file manager.
pub fn open_data_folder(app: &AppHandle) -> Result<()> {
    let dir = data_dir();
    app.opener().open_path(dir.to_string_lossy(), None::<&str>).map_err(|e| {
        Error::local(ErrorKind::Internal, "The system could not open the data folder.").with_detail(e.to_string())
    })
}
