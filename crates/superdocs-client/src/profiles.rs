//! Profiles, keys and the active connection, for every host: the saved profiles (the shared store), their
//! keys (the OS keyring), the data folder of each (`layout.rs`), the client and job tracker of the one in
//! use, the offline demo's endpoint, and the latest usage of each profile. The key goes in only: what
//! comes back carries a hint like `sk_…1a2b`.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use tokio::task::AbortHandle;
use ts_rs::TS;

use crate::api::{ApiKey, Client, ClientConfig};
use crate::credentials::{self, Credentials, KeyStore, DEFAULT_BASE_URL};
use crate::error::{Error, ErrorKind, Result, SuggestedAction};
use crate::host::Host;
use crate::layout::DataLayout;
use crate::lock;
use crate::retry::CallOptions;
use crate::sse::FollowOptions;
use crate::store::{SavedProfile, Store};
use crate::tracker::Tracker;
use crate::types::{AttachmentStatus, History, Usage};

/// The demo's profile name; it lives only while the app runs (the simulator's data is temporary).
pub const DEMO_PROFILE: &str = "Offline demo";
/// Which profile was in use, so the next start opens it again.
const ACTIVE_KEY: &str = "active_profile";

fn usage_key(profile: &str) -> String {
    format!("usage:{profile}")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ProfileKind {
    Service,
    Demo,
}

/// A connection profile as a window shows it. The key never crosses: only a redacted hint ("sk_…1a2b").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Profile {
    pub name: String,
    pub kind: ProfileKind,
    pub base_url: String,
    pub key_hint: Option<String>,
    pub backend_label: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ProfileList {
    pub profiles: Vec<Profile>,
    pub active: Option<String>,
    /// The profile in use at the last quit, when it could not be reopened at start (a locked keyring, a
    /// key that is gone): the first-run screen says so instead of looking as if there were no key.
    pub unopened: Option<Unopened>,
}

/// A saved profile start-up could not reopen, and why (`Keyring`: locked or unreachable, Retry after
/// unlocking it; `Auth`: no key stored for it any more).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Unopened {
    pub profile: String,
    pub error: Error,
}

/// Where a key went: backend_label is e.g. "GNOME Keyring", "macOS Keychain", "Windows Credential Manager".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct KeyStored {
    pub profile: String,
    pub backend_label: String,
    pub key_hint: String,
}

/// The profile in use and the core objects bound to its server and key.
pub struct Connection {
    pub profile: Profile,
    pub client: Client,
    pub tracker: Tracker,
    /// The host's forwarding of the tracker's events; stopped with the connection.
    forwarder: Option<AbortHandle>,
    /// Sessions made by `new_session` on this connection: the service creates a session on its first turn
    /// or upload, so until then "not found" means "empty", not "gone".
    fresh_sessions: Mutex<HashSet<String>>,
}

/// Distinct across calls and processes (time, process id, a counter); valid as a path segment.
fn fresh_session_id() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let millis = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis()).unwrap_or(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!("s_{millis:x}_{}_{n}", std::process::id())
}

impl Connection {
    /// A new session id (the client chooses it; the service creates the session on its first use).
    pub fn new_session(&self) -> String {
        let id = fresh_session_id();
        lock(&self.fresh_sessions).insert(id.clone());
        id
    }

    /// A session's history; empty for a new session the service does not know yet.
    pub async fn history(&self, session_id: &str, opts: &CallOptions) -> Result<History> {
        let result = self.client.history(session_id, opts).await;
        self.unless_fresh(session_id, result, || History { session_id: session_id.to_string(), ..History::default() })
    }

    /// A session's attachments; none for a new session the service does not know yet.
    pub async fn attachments(&self, session_id: &str, opts: &CallOptions) -> Result<Vec<AttachmentStatus>> {
        let result = self.client.attachment_status(session_id, opts).await;
        self.unless_fresh(session_id, result, Vec::new)
    }

    fn unless_fresh<T>(&self, session_id: &str, result: Result<T>, empty: impl FnOnce() -> T) -> Result<T> {
        match result {
            Err(e) if e.kind == ErrorKind::NotFound && lock(&self.fresh_sessions).contains(session_id) => Ok(empty()),
            other => other,
        }
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        if let Some(f) = &self.forwarder {
            f.abort();
        }
    }
}

/// A running offline demo (the host starts the simulator): its address, key and own job store.
#[derive(Debug, Clone)]
pub struct DemoEndpoint {
    pub base_url: String,
    pub key: String,
    /// The demo's jobs are tracked apart, so a real profile never tries to resume them.
    pub store: Store,
}

pub struct Profiles {
    layout: DataLayout,
    store: Store,
    credentials: Credentials,
    host: Arc<dyn Host>,
    active: Mutex<Option<Arc<Connection>>>,
    demo: Mutex<Option<DemoEndpoint>>,
    /// The latest usage the service reported, per profile (only ever arrives with chat results).
    usage: Mutex<HashMap<String, Usage>>,
    /// True once `restore` has run: a host that restores in the background lets `wait_restored` hold the
    /// listing until then (reading the key may wait on the keyring's unlock prompt).
    restored: tokio::sync::watch::Sender<bool>,
    /// The last profile, when `restore` (or `reopen`) could not open it; cleared by any profile opening.
    unopened: Mutex<Option<Unopened>>,
}

fn no_key(profile: &str) -> Error {
    Error::local(ErrorKind::Auth, format!("No API key is stored for the profile “{profile}”."))
        .with_action(SuggestedAction::ReenterKey)
}

fn not_found(profile: &str) -> Error {
    Error::local(ErrorKind::NotFound, format!("There is no profile named “{profile}”."))
}

impl Profiles {
    /// Opens the shared store of `layout` (made private) and the OS keyring.
    pub fn open(layout: DataLayout, host: Arc<dyn Host>) -> Result<Profiles> {
        Profiles::with_keys(layout, host, KeyStore::default())
    }

    /// As `open`, with another keyring service (tests).
    pub fn with_keys(layout: DataLayout, host: Arc<dyn Host>, keys: KeyStore) -> Result<Profiles> {
        let store = layout.open_root()?;
        Ok(Profiles {
            credentials: Credentials::new(store.clone(), keys),
            store,
            layout,
            host,
            active: Mutex::new(None),
            demo: Mutex::new(None),
            usage: Mutex::new(HashMap::new()),
            restored: tokio::sync::watch::Sender::new(false),
            unopened: Mutex::new(None),
        })
    }

    pub fn layout(&self) -> &DataLayout {
        &self.layout
    }

    /// The shared store (profiles, settings, usage, export history).
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The active connection, or the error that sends the user to the connect screen.
    pub fn connection(&self) -> Result<Arc<Connection>> {
        lock(&self.active).clone().ok_or_else(|| {
            Error::local(ErrorKind::Auth, "No profile is connected. Add your API key or start the offline demo.")
                .with_action(SuggestedAction::ReenterKey)
        })
    }

    pub fn client(&self) -> Result<Client> {
        Ok(self.connection()?.client.clone())
    }

    pub fn active_name(&self) -> Option<String> {
        lock(&self.active).as_ref().map(|c| c.profile.name.clone())
    }

    /// A saved (service) profile as the window sees it. A keyring that cannot be read shows as "no key": the
    /// listing must not fail, the connect screen reports the keyring's error when it is used.
    fn service_profile(&self, p: &SavedProfile) -> Profile {
        let keys = self.credentials.keys();
        let key = keys.key(&p.name).ok().flatten();
        Profile {
            name: p.name.clone(),
            kind: ProfileKind::Service,
            base_url: p.base_url.clone(),
            backend_label: key.as_ref().map(|_| keys.backend().label().to_string()),
            key_hint: key.map(|k| k.masked()),
        }
    }

    fn demo_profile(demo: &DemoEndpoint) -> Profile {
        Profile {
            name: DEMO_PROFILE.into(),
            kind: ProfileKind::Demo,
            base_url: demo.base_url.clone(),
            key_hint: None,
            backend_label: None,
        }
    }

    pub fn list(&self) -> Result<ProfileList> {
        let mut profiles: Vec<Profile> = self.store.profiles()?.iter().map(|p| self.service_profile(p)).collect();
        if let Some(demo) = lock(&self.demo).as_ref() {
            profiles.push(Self::demo_profile(demo));
        }
        Ok(ProfileList { profiles, active: self.active_name(), unopened: lock(&self.unopened).clone() })
    }

    /// Makes a connection the active one: a client, and a tracker whose events the host forwards.
    fn activate(&self, profile: Profile, key: ApiKey, jobs: Store, resume: bool) -> Result<Profile> {
        let mut config = ClientConfig::new(&profile.base_url, key);
        if profile.kind == ProfileKind::Service {
            config.network = crate::settings::load(&self.store).network;
            config.desktop_proxy = self.host.desktop_proxy();
        }
        let client = Client::new(config)?;
        let tracker = Tracker::new(client.clone(), jobs, FollowOptions::default());
        // Subscribed before resuming, so no resumed job's event is missed.
        let forwarder = self.host.follow_jobs(&profile.name, tracker.subscribe());
        if resume {
            if let Err(e) = tracker.resume() {
                self.host.background_error(&e);
            }
        }
        *lock(&self.active) = Some(Arc::new(Connection {
            profile: profile.clone(),
            client,
            tracker,
            forwarder,
            fresh_sessions: Mutex::new(HashSet::new()),
        }));
        if profile.kind == ProfileKind::Service {
            self.store.set_setting(ACTIVE_KEY, &profile.name)?;
        }
        *lock(&self.unopened) = None;
        Ok(profile)
    }

    /// Opens a saved profile with its key from the keyring, resuming its tracked jobs.
    pub fn open_saved(&self, name: &str) -> Result<Profile> {
        let saved = self.store.profile(name)?.ok_or_else(|| not_found(name))?;
        let key = self.credentials.keys().key(name)?.ok_or_else(|| no_key(name))?;
        self.activate(self.service_profile(&saved), key, self.layout.open_profile(name)?, true)
    }

    /// After the network settings changed: the active service profile reconnects (its jobs resume).
    pub fn reconnect(&self) -> Result<()> {
        let active = lock(&self.active).as_ref().map(|c| (c.profile.name.clone(), c.profile.kind));
        if let Some((name, ProfileKind::Service)) = active {
            self.open_saved(&name)?;
        }
        Ok(())
    }

    /// At start-up: reopens the profile that was in use (quietly: the window asks again if it fails). Must
    /// run inside a Tokio runtime (resuming spawns a task per unfinished job).
    pub fn restore(&self) {
        // Set however restoring ends (a panic included): a window waiting on it must not wait forever.
        struct Done<'a>(&'a tokio::sync::watch::Sender<bool>);
        impl Drop for Done<'_> {
            fn drop(&mut self) {
                self.0.send_replace(true);
            }
        }
        let _done = Done(&self.restored);
        if let Ok(Some(name)) = self.store.setting(ACTIVE_KEY) {
            let _ = self.reopen_named(&name);
        }
    }

    /// Tries again to open the profile start-up could not (after the user unlocked the keyring). Blocks
    /// while the keyring asks to be unlocked: call it off the async runtime's threads.
    pub fn reopen(&self) -> Result<Profile> {
        let name = lock(&self.unopened).as_ref().map(|u| u.profile.clone());
        let name =
            name.ok_or_else(|| Error::local(ErrorKind::Validation, "There is no profile waiting to be reopened."))?;
        self.reopen_named(&name)
    }

    fn reopen_named(&self, name: &str) -> Result<Profile> {
        let opened = self.open_saved(name);
        if let Err(e) = &opened {
            tracing::warn!(kind = ?e.kind, "the last profile could not be reopened");
            *lock(&self.unopened) = Some(Unopened { profile: name.to_string(), error: e.clone() });
        }
        opened
    }

    /// Returns once `restore` has run (at once if it has).
    pub async fn wait_restored(&self) {
        let mut rx = self.restored.subscribe();
        // An error only means the sender is gone, with the `Profiles`: nothing left to wait for.
        let _ = rx.wait_for(|done| *done).await;
    }

    /// Checks the key against the server, stores it in the keyring, saves the profile, makes it active. A
    /// name already in use is refused (see `Credentials::check_new_profile`).
    pub async fn connect(&self, name: &str, key: &str, base_url: Option<&str>) -> Result<Profile> {
        let key = ApiKey::parse(key.trim())?;
        let name = name.trim();
        credentials::validate_profile_name(name)?;
        let url = crate::http::validate_base_url(base_url.unwrap_or(DEFAULT_BASE_URL))?;
        let profile = SavedProfile { name: name.to_string(), base_url: url.as_str().trim_end_matches('/').to_string() };
        // A new connection never replaces an existing profile's server or key (that is `set_key`).
        self.credentials.check_new_profile(name, &profile.base_url)?;
        self.credentials.login(&profile, &key, &CallOptions::default()).await?;
        self.activate(self.service_profile(&profile), key, self.layout.open_profile(name)?, true)
    }

    /// Checks and replaces the key of a saved profile (reconnecting it when it is the active one).
    pub async fn set_key(&self, profile: &str, key: &str) -> Result<KeyStored> {
        let key = ApiKey::parse(key.trim())?;
        let saved = self.store.profile(profile)?.ok_or_else(|| not_found(profile))?;
        self.credentials.login(&saved, &key, &CallOptions::default()).await?;
        let stored = KeyStored {
            profile: profile.to_string(),
            backend_label: self.credentials.keys().backend().label().to_string(),
            key_hint: key.masked(),
        };
        if self.active_name().as_deref() == Some(profile) {
            self.activate(self.service_profile(&saved), key, self.layout.open_profile(profile)?, false)?;
        }
        Ok(stored)
    }

    /// Tests the stored key; answers with the latest usage seen (none before the first chat).
    pub async fn test_key(&self, profile: &str) -> Result<Option<Usage>> {
        let demo = lock(&self.demo).clone().filter(|_| profile == DEMO_PROFILE);
        let (base_url, key) = match demo {
            Some(demo) => (demo.base_url, ApiKey::parse(&demo.key)?),
            None => {
                let saved = self.store.profile(profile)?.ok_or_else(|| not_found(profile))?;
                (saved.base_url, self.credentials.keys().key(profile)?.ok_or_else(|| no_key(profile))?)
            }
        };
        credentials::test_key(&base_url, &key, &CallOptions::default()).await?;
        Ok(self.usage_of(profile))
    }

    /// Removes the key from the keyring; the profile stays (and is no longer connected).
    pub fn delete_key(&self, profile: &str) -> Result<()> {
        self.credentials.logout(profile)?;
        if self.active_name().as_deref() == Some(profile) {
            *lock(&self.active) = None;
        }
        Ok(())
    }

    /// Removes a profile, its key and its folder. For the demo: forgets its endpoint and answers it, so the
    /// host can stop the simulator.
    pub fn delete_profile(&self, profile: &str) -> Result<Option<DemoEndpoint>> {
        if self.active_name().as_deref() == Some(profile) {
            *lock(&self.active) = None;
            self.store.delete_setting(ACTIVE_KEY)?;
        }
        if profile == DEMO_PROFILE {
            return Ok(lock(&self.demo).take());
        }
        self.credentials.logout(profile)?;
        self.store.delete_profile(profile)?;
        self.layout.remove_profile(profile);
        Ok(None)
    }

    /// Whether a demo endpoint is known (the host starts the simulator once).
    pub fn demo_running(&self) -> bool {
        lock(&self.demo).is_some()
    }

    /// Records the demo the host started; its job store is emptied (the simulator starts afresh).
    pub fn set_demo(&self, base_url: &str, key: &str) -> Result<()> {
        let store = self.layout.open_fresh_demo()?;
        *lock(&self.demo) = Some(DemoEndpoint { base_url: base_url.to_string(), key: key.to_string(), store });
        Ok(())
    }

    /// Makes the running demo the active profile.
    pub fn open_demo(&self) -> Result<Profile> {
        let demo = lock(&self.demo)
            .clone()
            .ok_or_else(|| Error::local(ErrorKind::NotFound, "The offline demo is not running."))?;
        let key = ApiKey::parse(&demo.key)?;
        self.activate(Self::demo_profile(&demo), key, demo.store, false)
    }

    /// Records a profile's usage. A service profile's is also saved, so its meter shows after a restart;
    /// the demo's simulator starts afresh each run.
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
        self.usage_of(&self.active_name()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_session_ids_are_valid_and_distinct() {
        let (a, b) = (fresh_session_id(), fresh_session_id());
        assert_ne!(a, b);
        crate::api::validate_session_id(&a).unwrap();
    }

    #[tokio::test]
    async fn the_listing_waits_for_a_background_restore_and_not_after_it() {
        let dir = tempfile::tempdir().unwrap();
        let host = Arc::new(crate::host::LogHost);
        let profiles = Arc::new(Profiles::with_keys(DataLayout::new(dir.path()), host, KeyStore::default()).unwrap());
        let waiting = tokio::spawn({
            let p = profiles.clone();
            async move { p.wait_restored().await }
        });
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        assert!(!waiting.is_finished(), "nothing restored yet: the listing waits");
        let p = profiles.clone();
        tokio::task::spawn_blocking(move || p.restore()).await.unwrap();
        tokio::time::timeout(std::time::Duration::from_secs(5), waiting).await.expect("released").unwrap();
        // Afterwards it answers at once.
        tokio::time::timeout(std::time::Duration::from_millis(100), profiles.wait_restored()).await.unwrap();
    }

    #[tokio::test]
    async fn a_profile_start_up_could_not_reopen_is_listed_with_why_until_one_opens() {
        let dir = tempfile::tempdir().unwrap();
        let host = Arc::new(crate::host::LogHost);
        // A service name of this test's own: no key is stored under it.
        let keys = KeyStore::with_service(format!("superdocs-test-unopened-{}", std::process::id()));
        let profiles = Profiles::with_keys(DataLayout::new(dir.path()), host, keys).unwrap();
        let saved = SavedProfile { name: "Work".into(), base_url: "http://127.0.0.1:9".into() };
        profiles.store.save_profile(&saved).unwrap();
        profiles.store.set_setting(ACTIVE_KEY, "Work").unwrap();
        assert_eq!(profiles.list().unwrap().unopened, None, "nothing tried yet");

        profiles.restore();
        let listed = profiles.list().unwrap();
        assert_eq!(listed.active, None);
        let unopened = listed.unopened.expect("the listing says which profile did not open");
        assert_eq!(unopened.profile, "Work");
        assert_eq!(unopened.error.kind, ErrorKind::Auth, "no key stored is not a keyring failure: {unopened:?}");
        assert_eq!(profiles.reopen().unwrap_err().kind, ErrorKind::Auth, "Retry tries the same profile again");
        assert!(profiles.list().unwrap().unopened.is_some(), "still not open");

        // Opening any profile (here the demo) ends it.
        profiles.set_demo("http://127.0.0.1:9", "sk_0123456789abcdef0123456789ab1a2b").unwrap();
        profiles.open_demo().unwrap();
        assert_eq!(profiles.list().unwrap().unopened, None);
        assert_eq!(profiles.reopen().unwrap_err().kind, ErrorKind::Validation, "nothing left to reopen");
    }
}
