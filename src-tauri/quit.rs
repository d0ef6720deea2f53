//! Quitting safely: closing the window or choosing Quit while uploads or exports run asks first (Quit and
//! resume later / Cancel). The page knows what runs, so the shell asks it (`quit_requested`) and waits for
//! its answer; a page that does not acknowledge within a few seconds (hung, crashed) cannot keep the app
//! open, and a second close while the question is up closes at once.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use tauri::{AppHandle, Emitter, Manager};

/// How long the page has to acknowledge a quit request before the shell quits anyway.
const ACK_WITHIN: Duration = Duration::from_secs(3);

/// Set once the user (or the page, with nothing running) agreed: the next close goes through.
static CONFIRMED: AtomicBool = AtomicBool::new(false);
/// The request the page must acknowledge (0: none pending); a newer request supersedes an older one.
static PENDING: AtomicU64 = AtomicU64::new(0);
static NEXT: AtomicU64 = AtomicU64::new(1);
/// A question is on screen: a second close means "close now".
static ASKING: AtomicBool = AtomicBool::new(false);

/// The main window's close button (or the OS asking it to close). Returns whether to let it close.
pub fn on_close_requested(app: &AppHandle) -> bool {
    if CONFIRMED.load(Ordering::SeqCst) || ASKING.swap(false, Ordering::SeqCst) {
        return true;
    }
    request(app);
    false
}

/// File → Quit, or a close the shell held back: asks the page, quits if it does not answer.
pub fn request(app: &AppHandle) {
    let id = NEXT.fetch_add(1, Ordering::SeqCst);
    PENDING.store(id, Ordering::SeqCst);
    let _ = app.emit("quit_requested", ());
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        tokio::time::sleep(ACK_WITHIN).await;
        if PENDING.load(Ordering::SeqCst) == id {
            tracing::warn!("the window did not answer the quit request: quitting");
            quit(&app);
        }
    });
}

fn quit(app: &AppHandle) {
    CONFIRMED.store(true, Ordering::SeqCst);
    app.exit(0);
}

/// The page received the request and is asking the user (or about to quit).
pub fn acknowledged() {
    PENDING.store(0, Ordering::SeqCst);
    ASKING.store(true, Ordering::SeqCst);
}

/// The user chose Cancel: nothing pending, the next close asks again.
pub fn cancelled() {
    ASKING.store(false, Ordering::SeqCst);
}

/// Quit now: nothing runs, or the user chose "Quit and resume later" (what is left is queued for the next
/// start, as after any quit).
pub fn now(app: &AppHandle) {
    tracing::info!("quitting at the user's request");
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.hide();
    }
    quit(app);
}
