//! What a host (the desktop shell, the CLI, a test) does for the core's background services: tell the
//! user about events no command is waiting for, and show a notification. Everything else is the core's.

use crate::event_queue::Subscription;
use serde::{Deserialize, Serialize};
use tokio::task::AbortHandle;
use ts_rs::TS;

use std::sync::Arc;

use crate::error::Error;
use crate::network::DesktopProxy;
use crate::tracker::TrackerEvent;
use crate::types::AttachmentStatus;

/// How a chat job ended, for a notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    Completed,
    Failed,
    AwaitingApproval,
}

/// What finished in the background, for the notification's title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finished {
    Job(Ending),
    /// An upload that took long enough for the user to have looked away (see `LONG_UPLOAD`).
    Upload,
    ExportSaved,
    ExportEmailed,
}

/// Uploads shorter than this end while the user watches: no notification.
pub const LONG_UPLOAD: std::time::Duration = std::time::Duration::from_secs(10);

/// The `attachments` event: a session's attachment states changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AttachmentsChanged {
    pub session_id: String,
    pub attachments: Vec<AttachmentStatus>,
}

/// Implemented by each host. Calls come from background tasks: keep them short and non-blocking.
pub trait Host: Send + Sync + 'static {
    /// A session's attachments changed state (indexing after an upload).
    fn attachments_changed(&self, event: AttachmentsChanged);
    /// Background work failed with no command to reject.
    fn background_error(&self, error: &Error);
    /// Something finished in the background; the host decides whether the user wants to hear of it now.
    fn notify(&self, what: Finished, body: &str, session_id: Option<&str>);
    /// A connection became active: the host may start forwarding its tracker's events (subscribed before any
    /// job resumes). The task is aborted when the connection ends.
    fn follow_jobs(&self, _profile: &str, _events: Subscription<TrackerEvent>) -> Option<AbortHandle> {
        None
    }
    /// Where the system's proxy comes from when reqwest cannot read it (network.rs); none by default.
    fn desktop_proxy(&self) -> Option<Arc<dyn DesktopProxy>> {
        None
    }
}

/// A host with no window: background events go to the log (the CLI, tests).
#[derive(Debug, Default, Clone, Copy)]
pub struct LogHost;

impl Host for LogHost {
    fn attachments_changed(&self, event: AttachmentsChanged) {
        tracing::debug!(session_id = %event.session_id, n = event.attachments.len(), "attachments changed");
    }
    fn background_error(&self, error: &Error) {
        tracing::warn!(kind = ?error.kind, "{}", error.message);
    }
    fn notify(&self, what: Finished, body: &str, _session_id: Option<&str>) {
        tracing::info!(?what, body, "finished");
    }
}
