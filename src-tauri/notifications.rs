//! Desktop notifications (notify-rust) when background work ends, as the settings say: a chat job done,
//! failed or waiting for review, a long upload finished, an export saved or e-mailed. Clicking one brings
//! the window forward on its session (`focus_session`). A job waiting for review also offers "Approve
//! all" (`approve_all` with `confirm: false`); where notifications have no buttons (Windows and macOS
//! through notify-rust, a freedesktop server without "actions") the window asks instead (`confirm: true`).

use serde::{Deserialize, Serialize};
use tauri::{AppHandle, Emitter, Manager};
use ts_rs::TS;

pub use superdocs_client::host::{Ending, Finished};
use superdocs_client::settings::{self, NotifyWhen};

use crate::state::AppState;
use crate::strings::tr;

fn window_focused(app: &AppHandle) -> bool {
    app.get_webview_window("main").and_then(|w| w.is_focused().ok()).unwrap_or(false)
}

/// The notification's title.
fn summary(what: Finished) -> String {
    tr(match what {
        Finished::Job(Ending::Completed) => "notification.done",
        Finished::Job(Ending::Failed) => "notification.failed",
        Finished::Job(Ending::AwaitingApproval) => "notification.review",
        Finished::Upload => "notification.uploadFinished",
        Finished::ExportSaved => "notification.exportSaved",
        Finished::ExportEmailed => "notification.exportEmailed",
    })
}

/// `approve_all`: approve every change a job proposed, from its notification. The window decides them
/// through its own review (Keep all, then send), so what it shows and what is sent stay one path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ApproveAll {
    pub session_id: String,
    pub job_id: String,
    /// The user has not said so yet (no button on this platform's notifications): ask in the window.
    pub confirm: bool,
}

/// Shows a notification for a job, when the user's setting wants one now.
pub fn job_needs_attention(app: &AppHandle, job_id: &str, session_id: &str, label: &str, ending: Ending) {
    let approve = (ending == Ending::AwaitingApproval).then(|| ApproveAll {
        session_id: session_id.to_string(),
        job_id: job_id.to_string(),
        confirm: false,
    });
    show(app, Finished::Job(ending), label, Some(session_id), approve);
}

/// What the notification server does with a notification, asked once per notification (a D-Bus call).
struct Capabilities {
    /// It parses markup in the body (see `plain_body`).
    markup: bool,
    /// It shows buttons and reports which was pressed.
    actions: bool,
}

fn capabilities() -> Capabilities {
    #[cfg(all(unix, not(target_os = "macos")))]
    {
        match notify_rust::get_capabilities() {
            Ok(caps) => Capabilities {
                markup: caps.iter().any(|c| c == "body-markup"),
                actions: caps.iter().any(|c| c == "actions"),
            },
            // Unknown: markup assumed (escaped, the safe side), no buttons (the window asks instead).
            Err(_) => Capabilities { markup: true, actions: false },
        }
    }
    // Windows and macOS through notify-rust: plain text, no buttons that report back.
    #[cfg(not(all(unix, not(target_os = "macos"))))]
    Capabilities { markup: false, actions: false }
}

/// The body as text, never markup. Freedesktop servers that advertise `body-markup` parse a subset of
/// HTML in it: a file or document name such as `<a href="…">` or `<img src=…>` would otherwise become a
/// link or fetch an image. Servers without it (and other platforms) show the body as given.
fn plain_body(text: &str, caps: &Capabilities) -> String {
    if caps.markup {
        escape_markup(text)
    } else {
        text.to_string()
    }
}

/// The notification button that approves a job's changes.
const APPROVE_ALL: &str = "approve_all";

fn escape_markup(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Shows a notification for finished work when the user's setting wants one now (by default: only while
/// the window is in the background). Clicking it opens `session_id`, where there is one.
pub fn notify(app: &AppHandle, what: Finished, body: &str, session_id: Option<&str>) {
    show(app, what, body, session_id, None);
}

fn show(app: &AppHandle, what: Finished, body: &str, session_id: Option<&str>, approve: Option<ApproveAll>) {
    let when = settings::load(app.state::<AppState>().profiles.store()).notifications;
    let wanted = match when {
        NotifyWhen::Off => false,
        NotifyWhen::Always => true,
        NotifyWhen::Unfocused => !window_focused(app),
    };
    if !wanted {
        return;
    }
    let (app, session_id, body) = (app.clone(), session_id.map(str::to_string), body.to_string());
    // Showing and waiting for the click block on D-Bus: keep them off the async runtime.
    std::thread::spawn(move || {
        let caps = capabilities();
        let body = plain_body(&body, &caps);
        let mut notification = notify_rust::Notification::new();
        notification
            .appname("SuperDocs")
            .summary(&summary(what))
            .body(&body)
            .action("default", &tr("notification.open"));
        let approve = match approve {
            Some(a) if caps.actions => {
                notification.action(APPROVE_ALL, &tr("notification.approveAll"));
                Some(a)
            }
            // No buttons: the window offers it, for the user to confirm when they come back.
            Some(a) => {
                let _ = app.emit("approve_all", ApproveAll { confirm: true, ..a });
                None
            }
            None => None,
        };
        // Windows attributes a toast to an AppUserModelID: the bundle identifier, which the installer's
        // Start-menu shortcut registers (without it the toast would come from "Windows PowerShell").
        #[cfg(target_os = "windows")]
        notification.app_id(&app.config().identifier);
        let shown = notification.show();
        match shown {
            #[cfg(all(unix, not(target_os = "macos")))]
            Ok(handle) => handle.wait_for_action(|action| {
                if action == "default" || action == APPROVE_ALL {
                    if let Some(w) = app.get_webview_window("main") {
                        let _ = w.unminimize();
                        let _ = w.set_focus();
                    }
                }
                if action == "default" {
                    if let Some(id) = &session_id {
                        let _ = app.emit("focus_session", id);
                    }
                }
                if let (APPROVE_ALL, Some(a)) = (action, &approve) {
                    tracing::info!(job_id = %a.job_id, "approve all, from the notification");
                    let _ = app.emit("approve_all", a);
                }
            }),
            #[cfg(not(all(unix, not(target_os = "macos"))))]
            Ok(_) => {
                let _ = (&app, &session_id, &approve);
            }
            Err(e) => tracing::warn!(error = %e, "no desktop notification could be shown"),
        }
    });
}

/// Once at start: on macOS notifications come from the application with this bundle identifier (the
/// default would be the Terminal's, or nothing for an unbundled binary). Elsewhere nothing to do.
pub fn register(app: &AppHandle) {
    #[cfg(target_os = "macos")]
    if let Err(e) = notify_rust::set_application(&app.config().identifier) {
        tracing::warn!("notifications will not carry the app's name: {e}");
    }
    let _ = app;
}

#[cfg(test)]
mod tests {
    use super::escape_markup;

    #[test]
    fn markup_in_names_is_shown_as_text() {
        assert_eq!(escape_markup("Q&A <b>draft</b>.docx"), "Q&amp;A &lt;b&gt;draft&lt;/b&gt;.docx");
        assert_eq!(
            escape_markup(r#"<a href="https://evil.example">x</a><img src="file:///etc/passwd">"#),
            "&lt;a href=&quot;https://evil.example&quot;&gt;x&lt;/a&gt;&lt;img src=&quot;file:///etc/passwd&quot;&gt;"
        );
        assert_eq!(escape_markup("&amp;"), "&amp;amp;", "an entity in a name stays literal text");
        assert_eq!(escape_markup("plain résumé"), "plain résumé");
    }
}
