//! The key really goes to the OS keyring (Secret Service here), never to keyring's in-memory mock,
//! and without usable secure storage the error says what to do. Run inside a D-Bus session with an
//! unlocked gnome-keyring (scripts/desktop-session.sh sets SUPERDOCS_REQUIRE_KEYRING=1); without
//! one, and without that variable, the round trip is skipped with a notice.

use std::process::Command;

use superdocs_client::credentials::{KeyStore, KeyringBackend};
use superdocs_client::{ApiKey, ErrorKind};

const KEY: &str = "sk_0123456789abcdef0123456789ab1a2b";

fn keyring_available() -> bool {
    if std::env::var("SUPERDOCS_REQUIRE_KEYRING").is_ok_and(|v| v == "1") {
        return true;
    }
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() {
        eprintln!(
            "NOTICE: no D-Bus session bus and SUPERDOCS_REQUIRE_KEYRING unset: skipping the Secret Service round trip"
        );
        return false;
    }
    true
}

/// Reads the secret straight from the Secret Service over D-Bus (python3-dbus), bypassing our
/// code and the keyring crate: proof that the real store holds it. "NONE" when absent.
fn secret_service_lookup(service: &str, user: &str) -> String {
    const SCRIPT: &str = r#"
import sys, dbus
bus = dbus.SessionBus()
svc = dbus.Interface(bus.get_object('org.freedesktop.secrets', '/org/freedesktop/secrets'), 'org.freedesktop.Secret.Service')
_, session = svc.OpenSession('plain', dbus.String('', variant_level=1))
unlocked, locked = svc.SearchItems({'service': sys.argv[1], 'username': sys.argv[2]})
items = list(unlocked) + list(locked)
if not items:
    print('NONE')
else:
    for path, secret in svc.GetSecrets(items, session).items():
        print(bytes(secret[2]).decode())
"#;
    let out = Command::new("/usr/bin/python3").args(["-c", SCRIPT, service, user]).output().expect("python3 runs");
    assert!(out.status.success(), "lookup failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

#[test]
fn key_round_trips_through_the_real_secret_service() {
    if !keyring_available() {
        return;
    }
    let service = format!("superdocs-test-{}", std::process::id());
    let keys = KeyStore::with_service(&service);
    assert_eq!(keys.backend(), KeyringBackend::SecretService);
    assert_eq!(keys.backend().label(), "GNOME Keyring / Secret Service");
    let key = ApiKey::parse(KEY).unwrap();

    assert!(!keys.has_key("work").unwrap());
    keys.set_key("work", &key).unwrap();
    assert_eq!(keys.key("work").unwrap(), Some(key.clone()));
    assert_eq!(secret_service_lookup(&service, "work"), KEY, "the Secret Service itself holds the key (not a mock)");

    // Replacing keeps one entry.
    let other = ApiKey::parse("sk_ffffffffffffffffffffffffffff0000").unwrap();
    keys.set_key("work", &other).unwrap();
    assert_eq!(secret_service_lookup(&service, "work"), other.expose());

    assert!(keys.delete_key("work").unwrap());
    assert!(!keys.delete_key("work").unwrap());
    assert!(!keys.has_key("work").unwrap());
    assert_eq!(secret_service_lookup(&service, "work"), "NONE");
}

/// The child half of the test below: only does something when its parent asks.
#[test]
fn no_storage_child() {
    if std::env::var_os("SUPERDOCS_KEYRING_CHILD").is_none() {
        return;
    }
    let keys = KeyStore::with_service("superdocs-test-nostorage");
    let e = keys.set_key("work", &ApiKey::parse(KEY).unwrap()).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Keyring);
    assert!(e.message.contains("keyring"), "{}", e.message);
    assert!(e.message.contains("SUPERDOCS_API_KEY") || e.message.to_lowercase().contains("unlock"), "{}", e.message);
    let printed = serde_json::to_string(&e).unwrap();
    assert!(!printed.contains(&KEY[3..]), "the key is in no field: {printed}");
    assert_eq!(keys.key("work").unwrap_err().kind, ErrorKind::Keyring, "reading fails too; no plaintext fallback");
    println!("CHILD-CHECKED");
}

#[test]
fn without_a_session_bus_the_error_is_keyring_and_says_what_to_do() {
    // A subprocess, so the broken bus address does not leak into other tests of this binary.
    let out = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "no_storage_child", "--nocapture", "--test-threads=1"])
        .env("SUPERDOCS_KEYRING_CHILD", "1")
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/superdocs-no-bus")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "child failed:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("CHILD-CHECKED"), "{stdout}");
}
