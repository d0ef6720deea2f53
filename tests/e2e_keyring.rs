//! A keyring locked at start: the app opens its window at once, says which profile needs the keyring
//! unlocked (told apart from "no key stored"), and Retry opens it once the user has unlocked it.
//!
//! The test locks the session's real login keyring (GNOME Keyring over the Secret Service) and unlocks it
//! again with its password, as the user would at the prompt. Its own test binary: cargo runs binaries one
//! after another, so no other test's app meets the locked keyring; a guard unlocks it even on failure.
// The app is driven through tauri-driver + WebKitWebDriver under Xvfb: Linux only.
#![cfg(target_os = "linux")]
mod support;

use std::time::Duration;

use support::{AppHome, DesktopApp};
use zbus::{ObjectPath, OwnedObjectPath, OwnedVariant, Variant};

const SECRETS: &str = "org.freedesktop.secrets";
/// The password scripts/desktop-session.sh created the session's login keyring with.
const PASSWORD: &[u8] = b"superdocs-test";

/// The session's default keyring collection, locked while this lives.
struct LockedKeyring {
    bus: zbus::Connection,
    collection: OwnedObjectPath,
}

impl LockedKeyring {
    async fn lock() -> LockedKeyring {
        let bus = zbus::Connection::session().await.expect("the session bus");
        let collection: OwnedObjectPath =
            call(&bus, "org.freedesktop.Secret.Service", "ReadAlias", &("default",)).await;
        let (locked, _prompt): (Vec<OwnedObjectPath>, OwnedObjectPath) =
            call(&bus, "org.freedesktop.Secret.Service", "Lock", &(vec![collection.as_ref()],)).await;
        assert_eq!(locked, std::slice::from_ref(&collection), "the login keyring is locked");
        LockedKeyring { bus, collection }
    }

    /// What typing the password at the keyring's prompt does.
    async fn unlock(&self) {
        unlock(&self.bus, &self.collection).await;
    }
}

impl Drop for LockedKeyring {
    fn drop(&mut self) {
        // The tests after this binary need the keyring open, whatever happened here.
        let (bus, collection) = (self.bus.clone(), self.collection.clone());
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
            rt.block_on(unlock(&bus, &collection));
        })
        .join();
    }
}

/// Unlocks with the password: gnome-keyring's own call for it (the Secret Service's Unlock would raise the
/// unlock prompt instead). Unlocking an open keyring does nothing.
async fn unlock(bus: &zbus::Connection, collection: &OwnedObjectPath) {
    let (_, session): (OwnedVariant, OwnedObjectPath) =
        call(bus, "org.freedesktop.Secret.Service", "OpenSession", &("plain", Variant::from(""))).await;
    let secret = (session.as_ref(), Vec::<u8>::new(), PASSWORD.to_vec(), "text/plain");
    let () = call(
        bus,
        "org.gnome.keyring.InternalUnsupportedGuiltRiddenInterface",
        "UnlockWithMasterPassword",
        &(collection.as_ref(), secret),
    )
    .await;
}

async fn call<B, R>(bus: &zbus::Connection, interface: &str, method: &str, body: &B) -> R
where
    B: serde::Serialize + zbus::zvariant::DynamicType,
    R: for<'d> serde::Deserialize<'d> + zbus::zvariant::Type,
{
    let path = ObjectPath::try_from("/org/freedesktop/secrets").unwrap();
    let reply = bus
        .call_method(Some(SECRETS), path, Some(interface), method, body)
        .await
        .unwrap_or_else(|e| panic!("{interface}.{method}: {e}"));
    reply.body().deserialize().unwrap_or_else(|e| panic!("{interface}.{method} answer: {e}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_locked_keyring_at_start_is_named_on_the_first_screen_and_retry_opens_the_profile() {
    let sim = superdocs_sim::SimHandle::start(superdocs_sim::SimConfig::default()).await.expect("the simulator");
    let home = AppHome::new();
    let app = DesktopApp::launch_in(&home).await;
    app.connect_to(&sim).await;
    app.close().await;

    let keyring = LockedKeyring::lock().await;
    let app = DesktopApp::launch_in(&home).await;
    let said = app.wait_for_text("[data-testid=unopened][data-kind=keyring]", "Unlock your keyring").await;
    assert!(
        said.contains(&format!("Unlock your keyring to use profile “{}”", home.profile)),
        "it names the profile: {said}"
    );
    assert!(app.exists("[data-testid=connect-screen]").await, "the first-run screen, with the reason on top");
    app.screenshot("keyring-locked-at-start").await;

    // Retry while still locked: still there, nothing else happens.
    app.click("[data-testid=reopen-profile]").await;
    app.wait_until("the retry to end", Duration::from_secs(20), || async {
        app.exists("[data-testid=reopen-profile]:not([disabled])").await
    })
    .await;
    assert!(app.exists("[data-testid=unopened]").await, "still locked");

    // The user unlocks the keyring; Retry opens the profile where it was.
    keyring.unlock().await;
    app.click("[data-testid=reopen-profile]").await;
    app.find("[data-testid=sidebar]").await;
    assert!(!app.exists("[data-testid=connect-screen]").await);
    drop(keyring);
    app.close().await;
}
