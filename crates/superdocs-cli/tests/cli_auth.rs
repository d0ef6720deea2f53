//! `superdocs auth` with the real OS keyring (run inside scripts/desktop-session.sh, which sets
//! SUPERDOCS_REQUIRE_KEYRING=1; skipped with a notice when there is no session bus and it is unset),
//! and the keyring error when there is no secure storage at all.

mod support;

use serde_json::Value;
use support::Env;

fn keyring_available() -> bool {
    if std::env::var("SUPERDOCS_REQUIRE_KEYRING").is_ok_and(|v| v == "1") {
        return true;
    }
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() {
        eprintln!("NOTICE: no D-Bus session bus and SUPERDOCS_REQUIRE_KEYRING unset: skipping the keyring CLI test");
        return false;
    }
    true
}

#[test]
fn login_status_use_and_logout_through_the_keyring() {
    if !keyring_available() {
        return;
    }
    let env = Env::new();
    let profile = format!("clitest-{}", std::process::id());
    let key = env.sim.key().to_string();
    let cmd = || {
        let mut c = env.cmd();
        c.env_remove("SUPERDOCS_API_KEY").args(["--profile", &profile]);
        c
    };

    // A wrong key is tested before anything is stored.
    let out =
        cmd().args(["--json", "auth", "login"]).write_stdin("sk_00000000000000000000000000009999\n").output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let out = cmd().args(["--json", "auth", "status"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3), "no key stored");

    let out = cmd().args(["--json", "auth", "login"]).write_stdin(format!("{key}\n")).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    env.assert_no_key(&out);

    // The profile remembers its server: no --base-url from here on.
    let plain = || {
        let mut c = assert_cmd::Command::cargo_bin("superdocs").unwrap();
        c.env_remove("SUPERDOCS_API_KEY")
            .env_remove("SUPERDOCS_BASE_URL")
            .env("SUPERDOCS_DATA_DIR", env.data.path())
            .args(["--profile", &profile]);
        c
    };
    let out = plain().args(["--json", "auth", "status"]).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    env.assert_no_key(&out);
    let status: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(status["base_url"], env.sim.base_url());
    assert_eq!(status["masked_key"], format!("sk_…{}", &key[key.len() - 4..]));
    assert_eq!(status["key_source"], "keyring");
    assert_eq!(status["backend_label"], "GNOME Keyring / Secret Service");

    let out = plain().args(["--json", "sessions"]).output().unwrap();
    assert!(out.status.success(), "the stored key works: {}", String::from_utf8_lossy(&out.stderr));

    // The stored key is bound to its server: pointed elsewhere (flag or environment), the CLI refuses
    // before sending anything, and says how to go on.
    let listed = env.sim.stats().count("GET", "/v1/*");
    let other = Env::new();
    let (mut by_flag, mut by_env) = (plain(), plain());
    by_flag.args(["--base-url", other.sim.base_url()]);
    by_env.env("SUPERDOCS_BASE_URL", other.sim.base_url());
    for mut c in [by_flag, by_env] {
        let out = c.args(["--json", "sessions"]).output().unwrap();
        assert_eq!(out.status.code(), Some(3), "{}", String::from_utf8_lossy(&out.stderr));
        let e: Value = serde_json::from_slice(out.stderr.trim_ascii_end()).unwrap();
        assert_eq!(e["kind"], "auth");
        let msg = e["message"].as_str().unwrap();
        assert!(
            msg.contains(other.sim.base_url()) && msg.contains("auth login") && msg.contains("SUPERDOCS_API_KEY"),
            "{msg}"
        );
    }
    assert_eq!(other.sim.stats().count("GET", "/v1/*"), 0, "the key never went to the other server");
    let out = plain().args(["--base-url", env.sim.base_url(), "--json", "sessions"]).output().unwrap();
    assert!(out.status.success(), "its own server, named: {}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(env.sim.stats().count("GET", "/v1/*"), listed + 1);

    let out = plain().args(["--json", "auth", "logout"]).output().unwrap();
    assert_eq!(serde_json::from_slice::<Value>(&out.stdout).unwrap()["removed"], true);
    let out = plain().args(["--json", "sessions"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3), "logged out");
}

#[test]
fn without_secure_storage_the_cli_exits_3_with_a_keyring_error() {
    let env = Env::new();
    let out = env
        .cmd()
        .env_remove("SUPERDOCS_API_KEY")
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/superdocs-no-bus")
        .args(["--json", "--profile", "nobus", "sessions"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let e: Value = serde_json::from_slice(out.stderr.trim_ascii_end()).unwrap();
    assert_eq!(e["kind"], "keyring");
    assert!(e["message"].as_str().unwrap().contains("SUPERDOCS_API_KEY"));
    assert_eq!(env.sim.stats().count("GET", "/v1/*"), 0, "nothing sent without a key");

    // With SUPERDOCS_API_KEY set, status still works and notes the keyring problem.
    let out = env
        .cmd()
        .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/superdocs-no-bus")
        .args(["--json", "--profile", "nobus", "auth", "status"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    env.assert_no_key(&out);
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(s["key_source"], "environment");
    assert!(s["keyring_problem"].as_str().is_some());
}
