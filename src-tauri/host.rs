//! The core's `Host` for the desktop: background events become window events, notifications go to the
//! desktop, and each connection's tracker events are forwarded by `events::forward_jobs`.

use superdocs_client::event_queue::Subscription;
use superdocs_client::host::{AttachmentsChanged, Finished, Host};
use superdocs_client::tracker::TrackerEvent;
use superdocs_client::Error;
use tauri::{AppHandle, Emitter};
use tokio::task::AbortHandle;

use crate::{events, notifications};

pub struct TauriHost {
    app: AppHandle,
}

impl TauriHost {
    pub fn new(app: AppHandle) -> Self {
        TauriHost { app }
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

    fn follow_jobs(&self, profile: &str, rx: Subscription<TrackerEvent>) -> Option<AbortHandle> {
        let task = tauri::async_runtime::spawn(events::forward_jobs(self.app.clone(), profile.to_string(), rx));
        match task {
            tauri::async_runtime::JoinHandle::Tokio(h) => Some(h.abort_handle()),
        }
    }
}
