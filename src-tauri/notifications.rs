//! Desktop notifications (notify-rust) when a chat job ends or waits for review, as the settings say.
//! Clicking one brings the window forward on that job's session (`focus_session`).

use tauri::{AppHandle, Emitter, Manager};

use crate::commands::settings::{self, NotifyWhen};
use crate::state::AppState;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    Completed,
    Failed,
    AwaitingApproval,
}

fn window_focused(app: &AppHandle) -> bool {
    app.get_webview_window("main").and_then(|w| w.is_focused().ok()).unwrap_or(false)
}

/// Shows a notification for a job, when the user's setting wants one now.
pub fn job_needs_attention(app: &AppHandle, session_id: &str, label: &str, ending: Ending) {
    let when = settings::load(&app.state::<AppState>().store).notifications;
    let wanted = match when {
        NotifyWhen::Off => false,
        NotifyWhen::Always => true,
        NotifyWhen::Unfocused => !window_focused(app),
    };
    if !wanted {
        return;
    }
    let summary = match ending {
        Ending::Completed => "SuperDocs: done",
        Ending::Failed => "SuperDocs: the request failed",
        Ending::AwaitingApproval => "SuperDocs: changes to review",
    };
    let (app, session_id, body) = (app.clone(), session_id.to_string(), label.to_string());
    // Showing and waiting for the click block on D-Bus: keep them off the async runtime.
    std::thread::spawn(move || {
        let shown = notify_rust::Notification::new()
            .appname("SuperDocs")
            .summary(summary)
            .body(&body)
            .action("default", "Open")
            .show();
        match shown {
            #[cfg(all(unix, not(target_os = "macos")))]
            Ok(handle) => handle.wait_for_action(|action| {
                if action == "default" {
                    if let Some(w) = app.get_webview_window("main") {
                        let _ = w.unminimize();
                        let _ = w.set_focus();
                    }
                    let _ = app.emit("focus_session", &session_id);
                }
            }),
            #[cfg(not(all(unix, not(target_os = "macos"))))]
            Ok(_) => {
                let _ = (&app, &session_id);
            }
            Err(e) => tracing::warn!(error = %e, "no desktop notification could be shown"),
        }
    });
}
