// Prevents an extra console window on Windows in release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

//! An empty Tauri 2 app: one window, one page, one command. scripts/bench-app.sh times exec to the line
//! `ready` prints, the same kind of line our app's `app_version` logs.

/// The page calls this as soon as its script runs; the line on stderr tells the bench the window is interactive.
#[tauri::command]
fn ready() -> &'static str {
    eprintln!("ipc: ready (first call from the page)");
    env!("CARGO_PKG_VERSION")
}

fn main() {
    tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![ready])
        .run(tauri::generate_context!())
        .expect("the empty Tauri app failed to run");
}
