//! What the shell holds between commands: the core's services (profiles and connection, upload queue),
//! the in-process demo simulator, and the handles of cancellable calls.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use superdocs_client::layout::DataLayout;
use superdocs_client::path_grants::PathGrants;
use superdocs_client::profiles::{Connection, Profiles};
use superdocs_client::retry::CallOptions;
use superdocs_client::upload_queue::UploadQueue;
use superdocs_client::{Client, Result};
use superdocs_sim::SimHandle;
use tauri::AppHandle;
use tokio_util::sync::CancellationToken;

use crate::host::TauriHost;

pub use superdocs_client::lock;

pub struct AppState {
    /// Profiles, keys, the active connection, usage (the core's).
    pub profiles: Profiles,
    /// The upload queue (the core's, shared with the CLI through the profile's store).
    pub uploads: UploadQueue,
    /// The offline demo's simulator, serving on loopback inside this process once started.
    pub demo_sim: tokio::sync::Mutex<Option<SimHandle>>,
    /// Cancellation of calls started with an op id (`cancel_operation`).
    pub operations: Mutex<HashMap<String, CancellationToken>>,
    /// The paths the user handed over this run: the only ones a command takes from the page.
    pub grants: PathGrants,
}

impl AppState {
    /// Opens the shared data folder (`layout.rs`: the same one the CLI uses).
    pub fn open(app: &AppHandle, layout: DataLayout) -> Result<AppState> {
        let host = Arc::new(TauriHost::new(app.clone()));
        Ok(AppState {
            uploads: UploadQueue::new(host.clone(), layout.outgoing_dir()),
            profiles: Profiles::open(layout, host)?,
            demo_sim: tokio::sync::Mutex::new(None),
            operations: Mutex::new(HashMap::new()),
            grants: PathGrants::new(),
        })
    }

    /// The active connection, or the error that sends the user to the connect screen.
    pub fn connection(&self) -> Result<Arc<Connection>> {
        self.profiles.connection()
    }

    pub fn client(&self) -> Result<Client> {
        self.profiles.client()
    }

    /// Call options whose waits can be ended by `cancel_operation(op_id)`.
    pub fn begin_operation(&self, op_id: &str) -> CancellationToken {
        let token = CancellationToken::new();
        lock(&self.operations).insert(op_id.to_string(), token.clone());
        token
    }

    pub fn end_operation(&self, op_id: &str) {
        lock(&self.operations).remove(op_id);
    }

    pub fn cancel_operation(&self, op_id: &str) {
        if let Some(t) = lock(&self.operations).remove(op_id) {
            t.cancel();
        }
    }
}

/// Plain call options (no op id: nothing in the window can cancel them).
pub fn plain() -> CallOptions {
    CallOptions::default()
}
