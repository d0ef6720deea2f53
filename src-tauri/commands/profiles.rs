//! Profiles and keys, and the offline demo: the core's `Profiles` does the work; the shell starts the
//! demo's simulator (an in-process server) and restores the last profile at start.

use std::time::Duration;

use superdocs_client::profiles::{KeyStored, Profile, ProfileList, DEMO_PROFILE};
use superdocs_client::types::Usage;
use superdocs_client::{Error, Result};
use superdocs_sim::{SimConfig, SimHandle};
use tauri::{AppHandle, Manager, State};

use crate::state::AppState;

/// The demo's pace between progress events: lively enough to watch a job work.
const DEMO_STEP: Duration = Duration::from_millis(400);

/// The profiles, once the one in use at the last quit has been reopened (the window waits on its
/// loading screen meanwhile; the keyring may be asking the user to unlock it).
#[tauri::command]
pub async fn list_profiles(state: State<'_, AppState>) -> Result<ProfileList> {
    state.profiles.wait_restored().await;
    state.profiles.list()
}

/// Retry for the profile start-up could not reopen (`ProfileList::unopened`), once the user has unlocked
/// the keyring. Off the async threads: reading the key may wait on the keyring's unlock prompt.
#[tauri::command]
pub async fn reopen_profile(app: AppHandle) -> Result<Profile> {
    tauri::async_runtime::spawn_blocking(move || app.state::<AppState>().profiles.reopen())
        .await
        .map_err(|e| Error::internal("The profile could not be reopened.").with_detail(e.to_string()))?
}

/// Checks the key against the server, stores it in the keyring, saves the profile, makes it active.
#[tauri::command]
pub async fn connect(
    state: State<'_, AppState>,
    name: String,
    key: String,
    base_url: Option<String>,
) -> Result<Profile> {
    state.profiles.connect(&name, &key, base_url.as_deref()).await
}

/// Checks and replaces the key of a saved profile.
#[tauri::command]
pub async fn set_key(state: State<'_, AppState>, profile: String, key: String) -> Result<KeyStored> {
    state.profiles.set_key(&profile, &key).await
}

/// Tests the stored key; answers with the latest usage seen (null before the first chat).
#[tauri::command]
pub async fn test_key(state: State<'_, AppState>, profile: String) -> Result<Option<Usage>> {
    state.profiles.test_key(&profile).await
}

/// Removes the key from the keyring; the profile stays (and is no longer connected).
#[tauri::command]
pub fn delete_key(state: State<'_, AppState>, profile: String) -> Result<()> {
    state.profiles.delete_key(&profile)
}

/// Removes a profile and its key (for the demo: stops the simulator).
#[tauri::command]
pub async fn delete_profile(state: State<'_, AppState>, profile: String) -> Result<ProfileList> {
    if state.profiles.delete_profile(&profile)?.is_some() {
        if let Some(sim) = state.demo_sim.lock().await.take() {
            sim.shutdown().await;
        }
    }
    state.profiles.list()
}

#[tauri::command]
pub async fn switch_profile(state: State<'_, AppState>, profile: String) -> Result<Profile> {
    if profile == DEMO_PROFILE {
        return start_demo(state).await;
    }
    state.profiles.open_saved(&profile)
}

/// Starts the simulator in-process on loopback (once) and makes the demo profile active.
#[tauri::command]
pub async fn start_demo(state: State<'_, AppState>) -> Result<Profile> {
    let mut sim = state.demo_sim.lock().await;
    if sim.is_none() {
        // No admin API in the app: any local process (or a web page's POST) could arm faults or reset usage.
        let started = SimHandle::start(SimConfig {
            job_step_delay: DEMO_STEP,
            admin_api: false,
            loopback_host_only: true,
            ..SimConfig::default()
        })
        .await
        .map_err(|e| Error::internal("The offline demo could not start.").with_detail(e.to_string()))?;
        state.profiles.set_demo(started.base_url(), started.key())?;
        *sim = Some(started);
    }
    state.profiles.open_demo()
}
