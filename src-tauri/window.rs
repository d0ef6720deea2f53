//! The main window, built here rather than from the config alone so it gets its guards: navigation
//! stays on the app's own origin (the dev server's only in dev builds), new windows are refused, and
//! files dropped on it are recorded as given by the user (`PathGrants`). Links leave the app only
//! through the `open_url` command's vetted opener.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use superdocs_client::open_policy;
use tauri::webview::NewWindowResponse;
use tauri::{App, DragDropEvent, Manager, WebviewWindowBuilder};
use tauri_plugin_window_state::{AppHandleExt, StateFlags};

use crate::state::AppState;

pub fn create_main(app: &App) -> tauri::Result<()> {
    let config = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == "main")
        .cloned()
        .expect("tauri.conf.json declares the main window");
    let dev_url = if tauri::is_dev() { app.config().build.dev_url.clone() } else { None };
    WebviewWindowBuilder::from_config(app.handle(), &config)?
        .on_navigation(move |url| {
            let allowed = open_policy::may_navigate(url, dev_url.as_ref());
            if !allowed {
                // The path only: a query may carry anything.
                tracing::warn!(
                    scheme = url.scheme(),
                    host = url.host_str().unwrap_or(""),
                    path = url.path(),
                    "navigation away from the app refused"
                );
            }
            allowed
        })
        .on_new_window(|url, _| {
            tracing::warn!(scheme = url.scheme(), host = url.host_str().unwrap_or(""), "new window refused");
            NewWindowResponse::Deny
        })
        .build()?;
    Ok(())
}

/// Another launch of the app (from the menu, a file manager, a link) while this one runs: bring the
/// window to the front. The launch's own process has already exited.
pub fn second_launch(app: &tauri::AppHandle, args: &[String]) {
    tracing::info!(arguments = args.len().saturating_sub(1), "second launch: focusing the running window");
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// Saves the window's size and place shortly after it stops changing. The window-state plugin saves only
/// when the app exits normally; a crash, a kill or a logout would otherwise forget what the user chose.
pub fn remember_geometry(app: &tauri::AppHandle) {
    static GENERATION: AtomicU64 = AtomicU64::new(0);
    let mine = GENERATION.fetch_add(1, Ordering::SeqCst) + 1;
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(Duration::from_millis(500)).await;
        if GENERATION.load(Ordering::SeqCst) == mine {
            if let Err(e) = app.save_window_state(StateFlags::all()) {
                tracing::warn!("the window's size could not be saved: {e}");
            }
        }
    });
}

/// The native drag-and-drop events carry the paths the user drags onto the window: while dragged over,
/// the page may describe them (the drop overlay's checks); once dropped, also upload them. (The page
/// gets the same events; it cannot make one up for the shell.)
pub fn record_drop(app: &tauri::AppHandle, event: &DragDropEvent) {
    let Some(state) = app.try_state::<AppState>() else { return };
    match event {
        DragDropEvent::Enter { paths, .. } => state.grants.grant_dragged(paths),
        DragDropEvent::Drop { paths, .. } => state.grants.grant_files(paths),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    //! Pins what the webview is allowed: a change to the CSP or the capability must change these too.
    use serde_json::Value;

    fn json(path: &str) -> Value {
        let text = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).expect(path);
        serde_json::from_str(&text).expect(path)
    }

    #[test]
    fn the_csp_is_pinned() {
        let conf = json("tauri.conf.json");
        assert_eq!(
            conf["app"]["security"]["csp"],
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src ipc: http://ipc.localhost; object-src 'none'; base-uri 'none'; form-action 'none'; frame-src 'none'"
        );
        // Tauri would otherwise loosen the CSP it injects, or skip it.
        assert!(conf["app"]["security"].get("dangerousDisableAssetCspModification").is_none());
        assert!(conf["app"]["security"].get("freezePrototype").map_or(true, |v| v.is_boolean()));
        // The main window is built by window::create_main, with the navigation guard.
        let main =
            conf["app"]["windows"].as_array().unwrap().iter().find(|w| w["label"] == "main").expect("main window");
        assert_eq!(main["create"], false, "a window created from the config alone has no navigation guard");
        assert!(conf["app"].get("withGlobalTauri").map_or(true, |v| v == false));
    }

    #[test]
    fn the_page_may_only_listen_to_events() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri/capabilities");
        let files: Vec<_> =
            std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        assert_eq!(files, ["main-window.json"], "one capability file");
        let cap = json("src-tauri/capabilities/main-window.json");
        assert_eq!(cap["windows"], serde_json::json!(["main"]));
        assert_eq!(cap["permissions"], serde_json::json!(["core:event:allow-listen", "core:event:allow-unlisten"]));
        assert!(cap.get("remote").is_none(), "no remote origin gets the app's commands");
    }
}
