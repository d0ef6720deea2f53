//! What every command needs: the profile, the server address, the key, the local store, the
//! client, and how to print.

use superdocs_client::credentials::{self, Credentials, KeyStore, DEFAULT_BASE_URL};
use superdocs_client::layout::DataLayout;
use superdocs_client::retry::CallOptions;
use superdocs_client::store::{SavedProfile, Store};
use superdocs_client::{ApiKey, Client, ClientConfig, Error, ErrorKind, Result, SuggestedAction};

use crate::cli::Global;

/// Where the key comes from when it is not in the keyring (scripts, CI).
pub const KEY_ENV: &str = "SUPERDOCS_API_KEY";

pub struct Context {
    pub global: Global,
    /// Cancelled by Ctrl-C.
    pub call: CallOptions,
}

impl Context {
    pub fn new(global: Global, call: CallOptions) -> Self {
        Context { global, call }
    }

    pub fn json(&self) -> bool {
        self.global.json
    }

    /// The app's data folder (`SUPERDOCS_DATA_DIR` overrides it): the CLI and the app share profiles,
    /// each profile's jobs and upload queue (docs/data-layout.md).
    pub fn layout() -> DataLayout {
        DataLayout::locate()
    }

    /// The shared store: profiles, settings, export history. The folder is the user's alone (0700 on Unix).
    pub fn store(&self) -> Result<Store> {
        Self::layout().open_root()
    }

    /// The profile's own store: its tracked jobs and upload queue, the ones the app shows for it.
    pub fn profile_store(&self) -> Result<Store> {
        Self::layout().open_profile(&self.global.profile)
    }

    pub fn credentials(&self) -> Result<Credentials> {
        Ok(Credentials::new(self.store()?, KeyStore::default()))
    }

    /// The profile with `--base-url` applied.
    pub fn profile(&self) -> Result<SavedProfile> {
        let saved = match self.store() {
            Ok(store) => store.profile(&self.global.profile)?,
            // Without a usable data folder a --base-url run still works.
            Err(e) if self.global.base_url.is_some() => {
                tracing::warn!(error = %e, "the local database is unavailable");
                None
            }
            Err(e) => return Err(e),
        };
        let mut profile = saved
            .unwrap_or_else(|| SavedProfile { name: self.global.profile.clone(), base_url: DEFAULT_BASE_URL.into() });
        if let Some(url) = &self.global.base_url {
            profile.base_url = url.clone();
        }
        Ok(profile)
    }

    /// The key: SUPERDOCS_API_KEY when set, else the profile's keyring entry, which is only sent to the
    /// server it was stored for: a `--base-url` (or SUPERDOCS_BASE_URL) naming another one is refused.
    pub fn key(&self) -> Result<ApiKey> {
        if let Ok(raw) = std::env::var(KEY_ENV) {
            return ApiKey::parse(&raw);
        }
        match KeyStore::default().key(&self.global.profile)? {
            Some(k) => {
                if let Some(target) = &self.global.base_url {
                    // The server the key was stored for: the saved profile's (an unsaved one is the public service).
                    let stored_for = self
                        .store()?
                        .profile(&self.global.profile)?
                        .map_or_else(|| DEFAULT_BASE_URL.to_string(), |p| p.base_url);
                    credentials::check_key_server(&self.global.profile, &stored_for, target)?;
                }
                Ok(k)
            }
            None => Err(Error::local(
                ErrorKind::Auth,
                format!(
                    "No API key is stored for profile \"{}\". Run `superdocs auth login` or set {KEY_ENV}.",
                    self.global.profile
                ),
            )
            .with_action(SuggestedAction::ReenterKey)),
        }
    }

    pub fn client(&self) -> Result<Client> {
        let profile = self.profile()?;
        let key = self.key()?;
        Client::new(ClientConfig::new(profile.base_url, key))
    }
}
