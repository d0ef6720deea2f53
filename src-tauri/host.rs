//! The core's `Host` for the desktop: background events become window events, notifications go to the
//! desktop, each connection's tracker events are forwarded by `events::forward_jobs`, and on Linux the
//! system's proxy is the desktop's (GIO's resolver: GNOME's settings, PAC, libproxy).

use std::sync::Arc;

use superdocs_client::event_queue::Subscription;
use superdocs_client::host::{AttachmentsChanged, Finished, Host};
use superdocs_client::network::DesktopProxy;
use superdocs_client::tracker::TrackerEvent;
use superdocs_client::Error;
use tauri::{AppHandle, Emitter};
use tokio::task::AbortHandle;

use crate::{events, notifications};

pub struct TauriHost {
    app: AppHandle,
    /// One for every connection, so its answers are shared.
    desktop_proxy: Option<Arc<dyn DesktopProxy>>,
}

impl TauriHost {
    pub fn new(app: AppHandle) -> Self {
        #[cfg(target_os = "linux")]
        let desktop_proxy: Option<Arc<dyn DesktopProxy>> =
            Some(Arc::new(superdocs_client::network::GioProxy::default()));
        // Windows and macOS: reqwest reads the OS settings itself.
        #[cfg(not(target_os = "linux"))]
        let desktop_proxy = None;
        TauriHost { app, desktop_proxy }
    }
}

impl Host for TauriHost {
    fn attachments_changed(&self, event: AttachmentsChanged) {
        let _ = self.app.emit("attachments", event);
    }

    fn background_error(&self, error: &Error) {
        events::background_error(&self.app, error);
    }

    fn notify(&self, what: Finished, body: &str, session_id: Option<&str>) {
        notifications::notify(&self.app, what, body, session_id);
    }

    fn desktop_proxy(&self) -> Option<Arc<dyn DesktopProxy>> {
        self.desktop_proxy.clone()
    }

    fn follow_jobs(&self, profile: &str, rx: Subscription<TrackerEvent>) -> Option<AbortHandle> {
        let task = tauri::async_runtime::spawn(events::forward_jobs(self.app.clone(), profile.to_string(), rx));
        match task {
            tauri::async_runtime::JoinHandle::Tokio(h) => Some(h.abort_handle()),
        }
    }
}
