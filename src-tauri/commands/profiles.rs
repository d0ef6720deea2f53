//! Profiles and keys (the core's credentials: profiles in the store, keys in the OS keyring) and the
//! offline demo. The key goes in only: what comes back carries a hint like `sk_…1a2b`.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use superdocs_client::credentials::{self, DEFAULT_BASE_URL};
use superdocs_client::sse::FollowOptions;
use superdocs_client::store::{self, Store};
use superdocs_client::tracker::Tracker;
use superdocs_client::types::Usage;
use superdocs_client::{ApiKey, Client, ClientConfig, Error, ErrorKind, Result, SuggestedAction};
use superdocs_sim::{SimConfig, SimHandle};
use tauri::{AppHandle, State};
use ts_rs::TS;

use crate::commands::settings;
use crate::events;
use crate::state::{lock, plain, AppState, Connection, Demo};

/// The demo's profile name; it lives only while the app runs (the simulator's data is temporary).
pub const DEMO_PROFILE: &str = "Offline demo";
/// Which profile was in use, so the next start opens it again.
const ACTIVE_KEY: &str = "active_profile";
/// The demo's pace between progress events: lively enough to watch a job work.
const DEMO_STEP: Duration = Duration::from_millis(400);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ProfileKind {
    Service,
    Demo,
}

/// A connection profile. The key never crosses to the webview: only a redacted hint ("sk_…1a2b").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Profile {
    pub name: String,
    pub kind: ProfileKind,
    pub base_url: String,
    pub key_hint: Option<String>,
    pub backend_label: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ProfileList {
    pub profiles: Vec<Profile>,
    pub active: Option<String>,
}

/// Where a key went: backend_label is e.g. "GNOME Keyring", "macOS Keychain", "Windows Credential Manager".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct KeyStored {
    pub profile: String,
    pub backend_label: String,
    pub key_hint: String,
}

fn no_key(profile: &str) -> Error {
    Error::local(ErrorKind::Auth, format!("No API key is stored for the profile “{profile}”."))
        .with_action(SuggestedAction::ReenterKey)
}

fn not_found(profile: &str) -> Error {
    Error::local(ErrorKind::NotFound, format!("There is no profile named “{profile}”."))
}

/// A saved (service) profile as the window sees it. A keyring that cannot be read shows as "no key":
/// the listing must not fail, the connect screen reports the keyring's error when it is used.
fn service_profile(state: &AppState, p: &store::Profile) -> Profile {
    let keys = state.credentials.keys();
    let key = keys.key(&p.name).ok().flatten();
    Profile {
        name: p.name.clone(),
        kind: ProfileKind::Service,
        base_url: p.base_url.clone(),
        backend_label: key.as_ref().map(|_| keys.backend().label().to_string()),
        key_hint: key.map(|k| k.masked()),
    }
}

fn demo_profile(sim: &SimHandle) -> Profile {
    Profile {
        name: DEMO_PROFILE.into(),
        kind: ProfileKind::Demo,
        base_url: sim.base_url().to_string(),
        key_hint: None,
        backend_label: None,
    }
}

/// Makes a connection the active one: a client and a tracker whose events reach the window.
fn activate(
    app: &AppHandle,
    state: &AppState,
    profile: Profile,
    key: ApiKey,
    tracker_store: Store,
    resume: bool,
) -> Result<Profile> {
    let mut config = ClientConfig::new(&profile.base_url, key);
    if profile.kind == ProfileKind::Service {
        config.network = settings::load(&state.store).network;
    }
    let client = Client::new(config)?;
    let tracker = Tracker::new(client.clone(), tracker_store, FollowOptions::default());
    let forwarder =
        tauri::async_runtime::spawn(events::forward_jobs(app.clone(), profile.name.clone(), tracker.subscribe()));
    let tauri::async_runtime::JoinHandle::Tokio(forwarder) = forwarder;
    if resume {
        if let Err(e) = tracker.resume() {
            events::background_error(app, &e);
        }
    }
    *lock(&state.active) = Some(Arc::new(Connection { profile: profile.clone(), client, tracker, forwarder }));
    if profile.kind == ProfileKind::Service {
        state.store.set_setting(ACTIVE_KEY, &profile.name)?;
    }
    Ok(profile)
}

/// Where a profile's tracked jobs live. Each profile has its own: a tracker resumes every job in its store
/// with its own key, and another account's jobs would only come back as "not found".
fn jobs_dir(data_dir: &Path, profile: &str) -> PathBuf {
    // The prefix keeps names like "." or ".." (valid profile names) a plain folder name.
    data_dir.join("jobs").join(format!("profile-{profile}"))
}

fn jobs_store(state: &AppState, profile: &str) -> Result<Store> {
    let dir = jobs_dir(&state.data_dir, profile);
    std::fs::create_dir_all(&dir)
        .map_err(|e| Error::internal("The profile's job folder could not be created.").with_detail(e.to_string()))?;
    Store::open(&dir)
}

/// Opens a saved profile with its key from the keyring.
fn activate_saved(app: &AppHandle, state: &AppState, name: &str) -> Result<Profile> {
    let saved = state.store.profile(name)?.ok_or_else(|| not_found(name))?;
    let key = state.credentials.keys().key(name)?.ok_or_else(|| no_key(name))?;
    activate(app, state, service_profile(state, &saved), key, jobs_store(state, name)?, true)
}

/// After the network settings changed: the active service profile reconnects (its jobs resume).
pub fn reconnect(app: &AppHandle, state: &AppState) -> Result<()> {
    let active = lock(&state.active).as_ref().map(|c| (c.profile.name.clone(), c.profile.kind));
    if let Some((name, ProfileKind::Service)) = active {
        activate_saved(app, state, &name)?;
    }
    Ok(())
}

/// At start-up: reopens the profile that was in use (quietly: the window asks again if it fails).
pub fn restore(app: &AppHandle, state: &AppState) {
    if let Ok(Some(name)) = state.store.setting(ACTIVE_KEY) {
        // The setup hook runs on the main thread, outside the async runtime, and resuming the tracker spawns
        // a task per unfinished job: without the runtime's context the app panicked at start whenever a job
        // had been running at quit (found by e2e_jobs).
        if let Err(e) = tauri::async_runtime::block_on(async { activate_saved(app, state, &name) }) {
            tracing::warn!(kind = ?e.kind, "the last profile could not be reopened");
        }
    }
}

fn active_name(state: &AppState) -> Option<String> {
    lock(&state.active).as_ref().map(|c| c.profile.name.clone())
}

async fn profile_list(state: &AppState) -> Result<ProfileList> {
    let mut profiles: Vec<Profile> = state.store.profiles()?.iter().map(|p| service_profile(state, p)).collect();
    if let Some(demo) = state.demo.lock().await.as_ref() {
        profiles.push(demo_profile(&demo.sim));
    }
    Ok(ProfileList { profiles, active: active_name(state) })
}

#[tauri::command]
pub async fn list_profiles(state: State<'_, AppState>) -> Result<ProfileList> {
    profile_list(&state).await
}

/// Checks the key against the server, stores it in the keyring, saves the profile, makes it active. A
/// name already in use is refused (see `Credentials::check_new_profile`).
#[tauri::command]
pub async fn connect(
    app: AppHandle,
    state: State<'_, AppState>,
    name: String,
    key: String,
    base_url: Option<String>,
) -> Result<Profile> {
    let key = ApiKey::parse(key.trim())?;
    let name = name.trim();
    credentials::validate_profile_name(name)?;
    let url = superdocs_client::http::validate_base_url(base_url.as_deref().unwrap_or(DEFAULT_BASE_URL))?;
    let profile = store::Profile { name: name.to_string(), base_url: url.as_str().trim_end_matches('/').to_string() };
    // A new connection never replaces an existing profile's server or key (that is `set_key`).
    state.credentials.check_new_profile(name, &profile.base_url)?;
    state.credentials.login(&profile, &key, &plain()).await?;
    activate(&app, &state, service_profile(&state, &profile), key, jobs_store(&state, name)?, true)
}

/// Checks and replaces the key of a saved profile.
#[tauri::command]
pub async fn set_key(app: AppHandle, state: State<'_, AppState>, profile: String, key: String) -> Result<KeyStored> {
    let key = ApiKey::parse(key.trim())?;
    let saved = state.store.profile(&profile)?.ok_or_else(|| not_found(&profile))?;
    state.credentials.login(&saved, &key, &plain()).await?;
    let stored = KeyStored {
        profile: profile.clone(),
        backend_label: state.credentials.keys().backend().label().to_string(),
        key_hint: key.masked(),
    };
    if active_name(&state).as_deref() == Some(profile.as_str()) {
        activate(&app, &state, service_profile(&state, &saved), key, jobs_store(&state, &profile)?, false)?;
    }
    Ok(stored)
}

/// Tests the stored key; answers with the latest usage seen (null before the first chat).
#[tauri::command]
pub async fn test_key(state: State<'_, AppState>, profile: String) -> Result<Option<Usage>> {
    let (base_url, key) = match state.demo.lock().await.as_ref() {
        Some(demo) if profile == DEMO_PROFILE => (demo.sim.base_url().to_string(), ApiKey::parse(demo.sim.key())?),
        _ => {
            let saved = state.store.profile(&profile)?.ok_or_else(|| not_found(&profile))?;
            (saved.base_url, state.credentials.keys().key(&profile)?.ok_or_else(|| no_key(&profile))?)
        }
    };
    credentials::test_key(&base_url, &key, &plain()).await?;
    Ok(state.usage_of(&profile))
}

/// Removes the key from the keyring; the profile stays (and is no longer connected).
#[tauri::command]
pub fn delete_key(state: State<'_, AppState>, profile: String) -> Result<()> {
    state.credentials.logout(&profile)?;
    if active_name(&state).as_deref() == Some(profile.as_str()) {
        *lock(&state.active) = None;
    }
    Ok(())
}

/// Removes a profile and its key (for the demo: stops the simulator).
#[tauri::command]
pub async fn delete_profile(state: State<'_, AppState>, profile: String) -> Result<ProfileList> {
    let was_active = active_name(&state).as_deref() == Some(profile.as_str());
    if was_active {
        *lock(&state.active) = None;
        state.store.delete_setting(ACTIVE_KEY)?;
    }
    if profile == DEMO_PROFILE {
        if let Some(demo) = state.demo.lock().await.take() {
            demo.sim.shutdown().await;
        }
    } else {
        state.credentials.logout(&profile)?;
        state.store.delete_profile(&profile)?;
        if let Err(e) = std::fs::remove_dir_all(jobs_dir(&state.data_dir, &profile)) {
            tracing::debug!(error = %e, "no job folder to remove");
        }
    }
    profile_list(&state).await
}

#[tauri::command]
pub async fn switch_profile(app: AppHandle, state: State<'_, AppState>, profile: String) -> Result<Profile> {
    if profile == DEMO_PROFILE {
        return start_demo(app, state).await;
    }
    activate_saved(&app, &state, &profile)
}

/// Starts the simulator in-process on loopback (once) and makes the demo profile active.
#[tauri::command]
pub async fn start_demo(app: AppHandle, state: State<'_, AppState>) -> Result<Profile> {
    let mut demo = state.demo.lock().await;
    if demo.is_none() {
        // No admin API in the app: any local process (or a web page's POST) could arm faults or reset usage.
        let sim = SimHandle::start(SimConfig {
            job_step_delay: DEMO_STEP,
            admin_api: false,
            loopback_host_only: true,
            ..SimConfig::default()
        })
        .await
        .map_err(|e| Error::internal("The offline demo could not start.").with_detail(e.to_string()))?;
        // The demo's jobs are tracked apart, so a real profile never tries to resume them.
        let dir = state.data_dir.join("demo");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)
            .map_err(|e| Error::internal("The demo's folder could not be created.").with_detail(e.to_string()))?;
        *demo = Some(Demo { sim, store: Store::open(&dir)? });
    }
    let Demo { sim, store: demo_store } = demo.as_ref().expect("started above");
    let key = ApiKey::parse(sim.key())?;
    let demo_store = demo_store.clone();
    activate(&app, &state, demo_profile(sim), key, demo_store, false)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::jobs_dir;

    #[test]
    fn each_profile_tracks_its_jobs_in_a_folder_of_its_own_inside_the_data_folder() {
        let data = Path::new("/data");
        assert_ne!(jobs_dir(data, "Work"), jobs_dir(data, "Personal"));
        for name in ["Work", ".", "..", "a.b-c_d"] {
            let dir = jobs_dir(data, name);
            assert_eq!(dir.parent(), Some(data.join("jobs").as_path()), "{name} stays inside: {dir:?}");
            assert!(
                dir.components().all(|c| !matches!(c, std::path::Component::ParentDir | std::path::Component::CurDir)),
                "{dir:?}"
            );
        }
    }
}
