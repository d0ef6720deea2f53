//! The app's life outside a session: the start-up error screen, quitting, and what a launch handed over
//! (Open with…, a superdocs:// link). The work is in `startup.rs`, `quit.rs` and `open_with.rs`.

use superdocs_client::Result;
use tauri::AppHandle;

use crate::open_with::{self, Opened};
use crate::quit;
use crate::startup::{self, StartupProblem};

/// Null when the app started; else why not.
#[tauri::command]
pub fn startup_problem(app: AppHandle) -> Option<StartupProblem> {
    startup::problem(&app)
}

/// Tries to start again (after the user freed the disk, fixed permissions, closed the other program).
/// Sync on purpose: like `setup`, it runs on the main thread, where restoring may block on the runtime.
#[tauri::command]
pub fn retry_startup(app: AppHandle) -> Option<StartupProblem> {
    startup::retry(&app)
}

/// Moves the local database aside and starts afresh (only while the app could not start).
#[tauri::command]
pub fn reset_local_data(app: AppHandle) -> Result<Option<StartupProblem>> {
    startup::reset_local_data(&app)
}

/// Opens the app's data folder in the file manager.
#[tauri::command]
pub fn open_data_folder(app: AppHandle) -> Result<()> {
    startup::open_data_folder(&app)
}

/// What launches asked for since the last call (the page calls it at start and on each `opened` event).
#[tauri::command]
pub fn take_opened(app: AppHandle) -> Opened {
    open_with::take(&app)
}

/// The page received the quit request and is asking the user (or about to quit).
#[tauri::command]
pub fn quit_ack() {
    quit::acknowledged();
}

/// The user chose Cancel: nothing pending, the next close asks again.
#[tauri::command]
pub fn quit_cancelled() {
    quit::cancelled();
}

/// Quit now: nothing runs, or the user chose "Quit and resume later".
#[tauri::command]
pub fn quit_now(app: AppHandle) {
    quit::now(&app);
}
