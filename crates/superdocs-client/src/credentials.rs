//! Profiles and their keys. A profile (name, base URL) is kept in the local database; its key only
//! in the OS keyring (Secret Service, macOS Keychain, Windows Credential Manager) through the
//! `keyring` crate with the native stores compiled in. There is no plaintext fallback: without
//! usable secure storage every key operation fails with an error of kind `keyring` saying what to do.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::api::{ApiKey, Client, ClientConfig};
use crate::error::{Error, ErrorKind, Operation, OperationKind, Result, SuggestedAction};
use crate::http::validate_base_url;
use crate::retry::CallOptions;
use crate::store::{SavedProfile, Store};

/// The keyring service name the keys are filed under (the profile name is the account).
pub const KEYRING_SERVICE: &str = "app.superdocs.desktop";
/// The profile used when none is named.
pub const DEFAULT_PROFILE: &str = "default";
/// The service's public address.
pub const DEFAULT_BASE_URL: &str = "https://api.superdocs.app";

/// Which secure store holds the keys on this platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum KeyringBackend {
    SecretService,
    MacosKeychain,
    WindowsCredentialManager,
}

impl KeyringBackend {
    /// The backend compiled in for this platform (keyring's default store).
    pub fn current() -> KeyringBackend {
        if cfg!(target_os = "macos") {
            KeyringBackend::MacosKeychain
        } else if cfg!(target_os = "windows") {
            KeyringBackend::WindowsCredentialManager
        } else {
            KeyringBackend::SecretService
        }
    }

    /// For people: "GNOME Keyring / Secret Service" and so on.
    pub fn label(self) -> &'static str {
        match self {
            KeyringBackend::SecretService => "GNOME Keyring / Secret Service",
            KeyringBackend::MacosKeychain => "macOS Keychain",
            KeyringBackend::WindowsCredentialManager => "Windows Credential Manager",
        }
    }
}

/// What to do when the store cannot be used, per platform.
fn unlock_advice() -> &'static str {
    match KeyringBackend::current() {
        KeyringBackend::SecretService => {
            "Start or unlock your keyring (GNOME Keyring, KWallet or another Secret Service provider, which needs a D-Bus session), then try again. For scripts, set SUPERDOCS_API_KEY instead."
        }
        KeyringBackend::MacosKeychain => "Unlock your login keychain in Keychain Access, then try again.",
        KeyringBackend::WindowsCredentialManager => "Sign in to Windows with a profile that can use Credential Manager, then try again.",
    }
}

fn keyring_error(e: keyring::Error) -> Error {
    use keyring::Error as K;
    let message = match &e {
        K::PlatformFailure(_) => format!("The system keyring could not be reached. {}", unlock_advice()),
        K::NoStorageAccess(_) => format!("The system keyring is locked or missing. {}", unlock_advice()),
        K::TooLong(..) | K::Invalid(..) | K::BadEncoding(_) => {
            "The key could not be stored in the system keyring.".to_string()
        }
        K::Ambiguous(_) => {
            "The system keyring holds more than one SuperDocs key for this profile. Remove them and log in again."
                .to_string()
        }
        _ => format!("The system keyring failed. {}", unlock_advice()),
    };
    // The keyring's own text names the backend and the cause; it never contains the secret.
    Error::local(ErrorKind::Keyring, message)
        .with_detail(e.to_string())
        .with_operation(&Operation::new(OperationKind::Keyring, "Using the system keyring"))
}

/// Keys in the OS keyring, one entry per profile.
#[derive(Debug, Clone)]
pub struct KeyStore {
    service: String,
}

impl Default for KeyStore {
    fn default() -> Self {
        KeyStore { service: KEYRING_SERVICE.to_string() }
    }
}

impl KeyStore {
    /// Entries under another service name (tests use one of their own).
    pub fn with_service(service: impl Into<String>) -> Self {
        KeyStore { service: service.into() }
    }

    pub fn service(&self) -> &str {
        &self.service
    }

    pub fn backend(&self) -> KeyringBackend {
        KeyringBackend::current()
    }

    fn entry(&self, profile: &str) -> Result<keyring::Entry> {
        keyring::Entry::new(&self.service, profile).map_err(keyring_error)
    }

    /// Stores (or replaces) the profile's key.
    pub fn set_key(&self, profile: &str, key: &ApiKey) -> Result<()> {
        self.entry(profile)?.set_password(key.expose()).map_err(keyring_error)
    }

    /// The profile's key, `None` when none is stored.
    pub fn key(&self, profile: &str) -> Result<Option<ApiKey>> {
        match self.entry(profile)?.get_password() {
            Ok(raw) => ApiKey::parse(&raw).map(Some).map_err(|_| {
                Error::local(ErrorKind::Keyring, "The key stored in the system keyring is damaged. Log in again.")
                    .with_action(SuggestedAction::ReenterKey)
            }),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keyring_error(e)),
        }
    }

    pub fn has_key(&self, profile: &str) -> Result<bool> {
        Ok(self.key(profile)?.is_some())
    }

    /// Removes the profile's key. True when there was one.
    pub fn delete_key(&self, profile: &str) -> Result<bool> {
        match self.entry(profile)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(e) => Err(keyring_error(e)),
        }
    }
}

/// What `auth status` and the key settings show: never the key itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct KeyStatus {
    pub profile: String,
    pub base_url: String,
    /// `sk_…1a2b`, when a key is stored.
    pub masked_key: Option<String>,
    pub backend: KeyringBackend,
    /// `backend.label()`, for display.
    pub backend_label: String,
}

/// Profiles in the store, keys in the keyring.
#[derive(Debug, Clone)]
pub struct Credentials {
    store: Store,
    keys: KeyStore,
}

impl Credentials {
    pub fn new(store: Store, keys: KeyStore) -> Self {
        Credentials { store, keys }
    }

    pub fn keys(&self) -> &KeyStore {
        &self.keys
    }

    /// The named profile, or the default one (the public service) when it was never saved.
    pub fn profile(&self, name: &str) -> Result<SavedProfile> {
        Ok(self
            .store
            .profile(name)?
            .unwrap_or_else(|| SavedProfile { name: name.to_string(), base_url: DEFAULT_BASE_URL.to_string() }))
    }

    /// Saves a profile after checking its address (https, or http on loopback only).
    pub fn save_profile(&self, name: &str, base_url: &str) -> Result<SavedProfile> {
        validate_profile_name(name)?;
        let url = validate_base_url(base_url)?;
        let profile = SavedProfile { name: name.to_string(), base_url: url.as_str().trim_end_matches('/').to_string() };
        self.store.save_profile(&profile)?;
        Ok(profile)
    }

    /// Checks `key` against the profile's server with `GET /v1/sessions`, then stores it.
    pub async fn login(&self, profile: &SavedProfile, key: &ApiKey, opts: &CallOptions) -> Result<()> {
        test_key(&profile.base_url, key, opts).await?;
        self.store.save_profile(profile)?;
        self.keys.set_key(&profile.name, key)
    }

    /// Forgets the key (the profile's address stays). True when there was one.
    pub fn logout(&self, profile: &str) -> Result<bool> {
        self.keys.delete_key(profile)
    }

    pub fn status(&self, name: &str) -> Result<KeyStatus> {
        let profile = self.profile(name)?;
        let key = self.keys.key(name)?;
        let backend = self.keys.backend();
        Ok(KeyStatus {
            profile: profile.name,
            base_url: profile.base_url,
            masked_key: key.map(|k| k.masked()),
            backend,
            backend_label: backend.label().to_string(),
        })
    }
}

impl Credentials {
    /// Before a *new* connection named `name` to `base_url`: a name in use is refused, so connecting
    /// never silently replaces a profile's server or its key (replacing a key is `set_key`, its own
    /// action). One case goes through: the profile exists with no key and the same server, where
    /// entering its key again changes nothing else.
    pub fn check_new_profile(&self, name: &str, base_url: &str) -> Result<()> {
        let Some(saved) = self.store.profile(name)? else { return Ok(()) };
        let taken = || {
            let mut e = Error::local(
                ErrorKind::Conflict,
                format!("A profile named “{name}” already exists (server {}). Choose another name, or replace its key in Settings.", saved.base_url),
            );
            e.code = Some("profile_exists".into());
            e
        };
        if !same_server(&saved.base_url, base_url) || self.keys.has_key(name)? {
            return Err(taken());
        }
        Ok(())
    }
}

/// Two spellings of one server address (`https://a.example` and `https://a.example/`).
fn same_server(a: &str, b: &str) -> bool {
    match (validate_base_url(a), validate_base_url(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// A stored key is bound to the server it was stored for: it is only ever sent there. `stored_for` is
/// the profile's server, `target` the one a command would talk to (e.g. the CLI's `--base-url`).
pub fn check_key_server(profile: &str, stored_for: &str, target: &str) -> Result<()> {
    if same_server(stored_for, target) {
        return Ok(());
    }
    validate_base_url(target)?;
    Err(Error::local(
        ErrorKind::Auth,
        format!(
            "The key of profile “{profile}” is stored for {stored_for}, not {}: it is only sent to its own server. Log in for that server (`superdocs --profile <new name> --base-url {} auth login`) or set SUPERDOCS_API_KEY.",
            target.trim_end_matches('/'),
            target.trim_end_matches('/'),
        ),
    )
    .with_action(SuggestedAction::ReenterKey))
}

/// Tests a key with the cheap `GET /v1/sessions`: Ok means the server accepts it.
pub async fn test_key(base_url: &str, key: &ApiKey, opts: &CallOptions) -> Result<()> {
    let client = Client::new(ClientConfig::new(base_url, key.clone()))?;
    client.check_key(opts).await
}

/// Profile names become keyring account names and file names: keep them plain.
pub fn validate_profile_name(name: &str) -> Result<()> {
    let ok =
        !name.is_empty() && name.len() <= 64 && name.bytes().all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(Error::local(ErrorKind::Validation, "A profile name is 1 to 64 letters, digits, '_', '.' or '-'."))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_names_are_plain() {
        assert!(validate_profile_name("work-2").is_ok());
        assert!(validate_profile_name("").is_err());
        assert!(validate_profile_name("../x").is_err());
    }

    #[test]
    fn profiles_keep_their_address_and_refuse_plain_http_to_remote_hosts() {
        let dir = tempfile::tempdir().unwrap();
        let creds = Credentials::new(Store::open(dir.path()).unwrap(), KeyStore::with_service("superdocs-unit-test"));
        assert_eq!(
            creds.profile("nobody").unwrap().base_url,
            DEFAULT_BASE_URL,
            "an unsaved profile is the public service"
        );
        let p = creds.save_profile("local", "http://127.0.0.1:8787/").unwrap();
        assert_eq!(p.base_url, "http://127.0.0.1:8787");
        assert_eq!(creds.profile("local").unwrap(), p);
        let e = creds.save_profile("remote", "http://api.example.com").unwrap_err();
        assert_eq!(e.kind, ErrorKind::Validation);
        assert!(creds.save_profile("bad/name", "https://api.superdocs.app").is_err());
    }

    #[test]
    fn a_key_is_only_sent_to_the_server_it_was_stored_for() {
        assert!(check_key_server("work", "https://api.superdocs.app", "https://api.superdocs.app/").is_ok());
        assert!(check_key_server("local", "http://127.0.0.1:8787", "http://127.0.0.1:8787").is_ok());
        let e = check_key_server("work", "https://api.superdocs.app", "https://evil.example").unwrap_err();
        assert_eq!(e.kind, ErrorKind::Auth);
        assert!(
            e.message.contains("https://evil.example")
                && e.message.contains("auth login")
                && e.message.contains("SUPERDOCS_API_KEY"),
            "{}",
            e.message
        );
        assert!(
            check_key_server("local", "http://127.0.0.1:8787", "http://127.0.0.1:8788").is_err(),
            "another port is another server"
        );
        // An address that is not acceptable at all says so.
        assert_eq!(
            check_key_server("work", "https://api.superdocs.app", "http://evil.example").unwrap_err().kind,
            ErrorKind::Validation
        );
    }

    #[test]
    fn connecting_never_takes_over_an_existing_profile() {
        let dir = tempfile::tempdir().unwrap();
        let creds = Credentials::new(Store::open(dir.path()).unwrap(), KeyStore::with_service("superdocs-unit-test"));
        assert!(creds.check_new_profile("fresh", "https://api.superdocs.app").is_ok());
        creds.save_profile("work", "https://api.superdocs.app").unwrap();
        // Another server under the same name: refused before the keyring is even asked.
        let e = creds.check_new_profile("work", "https://other.example").unwrap_err();
        assert_eq!(e.kind, ErrorKind::Conflict);
        assert_eq!(e.code.as_deref(), Some("profile_exists"));
        assert!(
            e.message.contains("“work” already exists") && e.message.contains("https://api.superdocs.app"),
            "{}",
            e.message
        );
        assert_eq!(
            creds.profile("work").unwrap().base_url,
            "https://api.superdocs.app",
            "the saved server is untouched"
        );
    }

    #[test]
    fn keyring_errors_say_what_to_do() {
        let e = keyring_error(keyring::Error::NoStorageAccess("locked".into()));
        assert_eq!(e.kind, ErrorKind::Keyring);
        assert!(e.message.contains("unlock") || e.message.contains("Unlock"), "{}", e.message);
        let e = keyring_error(keyring::Error::PlatformFailure("no bus".into()));
        assert_eq!(e.kind, ErrorKind::Keyring);
        assert!(e.message.contains("could not be reached"));
    }
}
