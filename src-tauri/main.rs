// Prevents an extra console window on Windows in release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

//! SuperDocs Desktop: a thin Tauri host over the `superdocs-client` core. The webview sends paths and
//! intents; the shell calls the core and forwards its events. The API key never goes back to the page.

mod bindings;
mod commands;
mod events;
mod notifications;
mod state;
mod window;

use tauri::{Manager, WebviewEvent, WindowEvent};

use commands::{chat, export, files, profiles, sessions, settings, update};
use state::AppState;

fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stderr)
        .init();
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        // Signed updates: reached only through commands/update.rs (no updater permission for the page).
        .plugin(tauri_plugin_updater::Builder::new().build())
        .manage(update::PendingUpdate::default())
        .setup(|app| {
            let data_dir = app.path().app_data_dir()?;
            app.manage(AppState::open(data_dir)?);
            // After manage: restoring resumes the profile's jobs, and the task forwarding their events reads
            // the state (settings, progress). Before, an early event could find it missing, panic, and take
            // the forwarding with it: a job resumed at start then never reported again.
            profiles::restore(app.handle(), &app.state::<AppState>());
            settings::grant_export_folders(app.handle(), &app.state::<AppState>());
            // Built here (tauri.conf.json has "create": false): the navigation guard and new-window refusal.
            window::create_main(app)?;
            Ok(())
        })
        .on_window_event(|w, e| {
            if let WindowEvent::DragDrop(drop) = e {
                window::record_drop(w.app_handle(), drop);
            }
        })
        .on_webview_event(|w, e| {
            if let WebviewEvent::DragDrop(drop) = e {
                window::record_drop(w.app_handle(), drop);
            }
        })
        .invoke_handler(tauri::generate_handler![
            settings::app_version,
            settings::get_settings,
            settings::save_settings,
            settings::get_usage,
            profiles::list_profiles,
            profiles::connect,
            profiles::set_key,
            profiles::test_key,
            profiles::delete_key,
            profiles::delete_profile,
            profiles::switch_profile,
            profiles::start_demo,
            sessions::list_sessions,
            sessions::get_history,
            sessions::new_session,
            sessions::list_attachments,
            chat::send_message,
            chat::approve_changes,
            chat::cancel_job,
            chat::retry_jobs_now,
            chat::cancel_operation,
            chat::list_jobs,
            chat::revert,
            files::stat_paths,
            files::pick_files,
            files::pick_folder,
            files::queue_uploads,
            files::upload_text,
            files::cancel_upload,
            files::retry_upload,
            files::interrupted_uploads,
            export::export_document,
            export::open_path,
            export::show_in_folder,
            export::open_url,
            update::check_update,
            update::download_update,
            update::install_update,
        ])
        .run(tauri::generate_context!())
        .expect("error while running SuperDocs Desktop");
}
