// Prevents an extra console window on Windows in release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

//! SuperDocs Desktop: a thin Tauri host over the `superdocs-client` core. The webview sends paths and
//! intents; the shell calls the core and forwards its events. The API key never goes back to the page.

mod bindings;
mod commands;
mod events;
mod host;
mod logging;
mod menu;
mod notifications;
mod open_with;
mod quit;
mod startup;
mod state;
mod strings;
mod window;

use tauri::{Manager, WebviewEvent, WindowEvent};
use tauri_plugin_deep_link::DeepLinkExt;

use commands::update;

fn main() {
    tauri::Builder::default()
        // First: a second launch hands its arguments to this process and exits before opening anything
        // (two processes on one store would both resume the same jobs and take each other's uploads).
        .plugin(tauri_plugin_single_instance::init(|app, args, cwd| {
            window::second_launch(app, &args);
            open_with::request(app, &args, std::path::Path::new(&cwd));
        }))
        // superdocs:// links: registered with the OS by the bundles; on macOS they arrive as open-url events.
        .plugin(tauri_plugin_deep_link::init())
        .plugin(tauri_plugin_window_state::Builder::default().build())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        // Signed updates: reached only through commands/update.rs (no updater permission for the page).
        .plugin(tauri_plugin_updater::Builder::new().build())
        .manage(update::PendingUpdate::default())
        .manage(events::JobChannel::default())
        .manage(open_with::Pending::default())
        .setup(|app| {
            // First, so whatever fails after this is in the file a user can attach to a report.
            if let Err(why) = logging::init(&app.path().app_log_dir()?, false) {
                tracing::warn!("{why}");
            }
            startup::log_panics();
            // The shell's words in the OS language until the settings (read by startup::open) name one.
            strings::choose(None);
            // A failure here opens the window on the start-up error screen instead of ending the app.
            startup::open(app.handle());
            notifications::register(app.handle());
            app.set_menu(menu::build(app.handle())?)?;
            app.on_menu_event(menu::on_event);
            // Files and links this launch was given (Open with…, a double-click, a superdocs:// link).
            let args: Vec<String> = std::env::args().collect();
            open_with::request(app.handle(), &args, &std::env::current_dir().unwrap_or_default());
            let handle = app.handle().clone();
            app.deep_link().on_open_url(move |event| {
                let urls: Vec<String> =
                    std::iter::once(String::new()).chain(event.urls().iter().map(|u| u.to_string())).collect();
                open_with::request(&handle, &urls, std::path::Path::new("/"));
            });
            // Built here (tauri.conf.json has "create": false): the navigation guard and new-window refusal.
            window::create_main(app)?;
            Ok(())
        })
        .on_window_event(|w, e| match e {
            // A close with uploads or exports running asks first (quit.rs).
            WindowEvent::CloseRequested { api, .. }
                if w.label() == "main" && !quit::on_close_requested(w.app_handle()) =>
            {
                api.prevent_close()
            }
            WindowEvent::DragDrop(drop) => window::record_drop(w.app_handle(), drop),
            WindowEvent::Resized(_) | WindowEvent::Moved(_) => window::remember_geometry(w.app_handle()),
            _ => {}
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
