//! What the shell holds between commands: the core's store and credentials, the active connection
//! (client + job tracker), the in-process demo simulator, and the handles of cancellable work.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use superdocs_client::credentials::{Credentials, KeyStore};
use superdocs_client::local_files;
use superdocs_client::path_grants::PathGrants;
use superdocs_client::retry::CallOptions;
use superdocs_client::store::{Store, UploadState};
use superdocs_client::tracker::Tracker;
use superdocs_client::types::Usage;
use superdocs_client::{Client, Error, ErrorKind, SuggestedAction};
use superdocs_sim::SimHandle;
use tauri::ipc::Channel;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::commands::files::{UploadEvent, UploadMode};
use crate::commands::profiles::{Profile, DEMO_PROFILE};

fn usage_key(profile: &str) -> String {
    format!("usage:{profile}")
}

/// A poisoned lock only means another command panicked; the data behind it is still usable.
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// The profile in use and the core objects bound to its server and key.
pub struct Connection {
    pub profile: Profile,
    pub client: Client,
    pub tracker: Tracker,
    /// Forwards the tracker's events to the window; stopped with the connection.
    pub forwarder: JoinHandle<()>,
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.forwarder.abort();
    }
}

/// The offline demo: the simulator serving on loopback inside this process.
pub struct Demo {
    pub sim: SimHandle,
    /// The demo's own job records (see `start_demo`).
    pub store: Store,
}

/// One upload the window asked for, kept so it can be cancelled or retried.
#[derive(Clone)]
pub struct UploadEntry {
    pub path: PathBuf,
    pub session_id: String,
    pub mode: UploadMode,
    pub channel: Channel<UploadEvent>,
    pub cancel: CancellationToken,
    /// Its record in the profile's upload queue (the core's store), kept until done or cancelled.
    pub queue: Option<(Store, i64)>,
}

impl UploadEntry {
    /// Updates the queue: finished (done or cancelled) takes the upload off it, a failure is kept on it.
    pub fn record(&self, failure: Option<&Error>) {
        let Some((store, id)) = &self.queue else { return };
        let result = match failure {
            None => store.remove_upload(*id),
            Some(e) => store.set_upload_state(*id, UploadState::Failed, Some(&e.message)),
        };
        if let Err(e) = result {
            tracing::warn!(error = %e, "the upload queue could not be updated");
        }
    }
}

pub struct AppState {
    pub store: Store,
    pub credentials: Credentials,
    /// Where the shell may write its own files (texts saved for "Add as document", the demo's store).
    pub data_dir: PathBuf,
    pub active: Mutex<Option<Arc<Connection>>>,
    pub demo: tokio::sync::Mutex<Option<Demo>>,
    /// Cancellation of calls started with an op id (`cancel_operation`).
    pub operations: Mutex<HashMap<String, CancellationToken>>,
    pub uploads: Mutex<HashMap<String, UploadEntry>>,
    /// The latest usage the service reported, per profile, for `get_usage` and `test_key`.
    pub usage: Mutex<HashMap<String, Usage>>,
    /// The latest progress text of each job, for the activity drawer (`list_jobs`).
    pub last_progress: Mutex<HashMap<String, String>>,
    /// Sessions made by `new_session` in this run (see `sessions::get_history`).
    pub fresh_sessions: Mutex<HashSet<String>>,
    /// The paths the user handed over this run: the only ones a command takes from the page.
    pub grants: PathGrants,
}

impl AppState {
    pub fn open(data_dir: PathBuf) -> superdocs_client::Result<AppState> {
        local_files::create_private_dir(&data_dir)?;
        let store = Store::open(&data_dir)?;
        Ok(AppState {
            credentials: Credentials::new(store.clone(), KeyStore::default()),
            store,
            data_dir,
            active: Mutex::new(None),
            demo: tokio::sync::Mutex::new(None),
            operations: Mutex::new(HashMap::new()),
            uploads: Mutex::new(HashMap::new()),
            usage: Mutex::new(HashMap::new()),
            last_progress: Mutex::new(HashMap::new()),
            fresh_sessions: Mutex::new(HashSet::new()),
            grants: PathGrants::new(),
        })
    }

    /// The active connection, or the error that sends the user to the connect screen.
    pub fn connection(&self) -> superdocs_client::Result<Arc<Connection>> {
        lock(&self.active).clone().ok_or_else(|| {
            Error::local(ErrorKind::Auth, "No profile is connected. Add your API key or start the offline demo.")
                .with_action(SuggestedAction::ReenterKey)
        })
    }

    pub fn client(&self) -> superdocs_client::Result<Client> {
        Ok(self.connection()?.client.clone())
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

    /// Records a profile's usage. A service profile's is also saved, so its meter shows after a restart
    /// (usage only ever arrives with chat results); the demo's simulator starts afresh each run.
    pub fn set_usage(&self, profile: &str, usage: Usage) {
        if profile != DEMO_PROFILE {
            match serde_json::to_string(&usage) {
                Ok(json) => {
                    if let Err(e) = self.store.set_setting(&usage_key(profile), &json) {
                        tracing::warn!(error = %e, "the usage could not be saved");
                    }
                }
                Err(e) => tracing::warn!(error = %e, "the usage could not be encoded"),
            }
        }
        lock(&self.usage).insert(profile.to_string(), usage);
    }

    /// A profile's latest usage: from this run, or the one saved by an earlier run.
    pub fn usage_of(&self, profile: &str) -> Option<Usage> {
        if let Some(u) = lock(&self.usage).get(profile) {
            return Some(u.clone());
        }
        if profile == DEMO_PROFILE {
            return None;
        }
        let saved = self.store.setting(&usage_key(profile)).ok().flatten()?;
        serde_json::from_str(&saved).ok()
    }

    /// The active profile's latest usage.
    pub fn active_usage(&self) -> Option<Usage> {
        let name = lock(&self.active).as_ref().map(|c| c.profile.name.clone())?;
        self.usage_of(&name)
    }
}

/// Plain call options (no op id: nothing in the window can cancel them).
pub fn plain() -> CallOptions {
    CallOptions::default()
}
