// Prevents an extra console window on Windows in release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

//! SuperDocs Desktop: a thin Tauri host over the `superdocs-client` core. The webview sends paths and
//! intents; the shell calls the core and forwards its events. The API key never goes back to the page.

mod bindings;
mod commands;
mod events;
mod host;
mod notifications;
mod state;
mod window;

use tauri::{Manager, WebviewEvent, WindowEvent};

use commands::{profiles, settings, update};
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
            // The data folder the CLI shares (superdocs_client::layout; docs/data-layout.md).
            app.manage(AppState::open(app.handle(), superdocs_client::layout::DataLayout::locate())?);
            // After manage: restoring resumes the profile's jobs, and the task forwarding their events reads
            // the state (settings, progress). Before, an early event could find it missing, panic, and take
            // the forwarding with it: a job resumed at start then never reported again.
            profiles::restore(&app.state::<AppState>());
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
        // Every command, declared once with its argument and result types (commands/mod.rs).
        .invoke_handler(commands::handler())
        .run(tauri::generate_context!())
        .expect("error while running SuperDocs Desktop");
}
