//! The system's proxy on a Linux desktop: the proxy GNOME's settings name (read through GIO, as the
//! desktop's own apps do) carries the client's requests; `HTTPS_PROXY` in the environment still wins; the
//! desktop's "no proxy" list is honoured. GNOME's settings come from a keyfile of the test's own
//! (`GSETTINGS_BACKEND=keyfile`), so nothing of the machine's is read or changed.
#![cfg(all(feature = "gio-proxy", target_os = "linux"))]

mod proxy_support;

use std::sync::Arc;
use std::time::Duration;

use proxy_support::{company_network, connect_proxy, CompanyNetwork};
use superdocs_client::network::{DesktopProxy, GioProxy, Network, ProxyMode};
use superdocs_client::retry::{CallOptions, RetryPolicy};
use superdocs_client::{ApiKey, Client, ClientConfig};

fn client(base: &str, key: &str, ca_file: &std::path::Path, desktop: Arc<dyn DesktopProxy>) -> Client {
    let mut config = ClientConfig::new(base, ApiKey::parse(key).unwrap());
    config.network = Network { proxy: ProxyMode::System, extra_ca_file: Some(ca_file.display().to_string()) };
    config.desktop_proxy = Some(desktop);
    config.connect_timeout = Duration::from_secs(5);
    config.retry_policy = RetryPolicy { max_attempts: 1, ..RetryPolicy::default() };
    Client::new(config).unwrap()
}

/// GNOME's proxy settings as a keyfile: the https proxy on loopback, `ignore` the hosts to reach directly.
fn gnome_settings(dir: &std::path::Path, proxy_port: u16, ignore: &str) {
    let settings = dir.join("glib-2.0/settings");
    std::fs::create_dir_all(&settings).unwrap();
    std::fs::write(
        settings.join("keyfile"),
        format!(
            "[system/proxy]\nmode='manual'\nignore-hosts={ignore}\n\n[system/proxy/https]\nhost='127.0.0.1'\nport={proxy_port}\n"
        ),
    )
    .unwrap();
}

// One test: GIO reads its environment once per process.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_system_mode_goes_through_the_proxy_the_desktop_names() {
    let CompanyNetwork { sim, https_port, proxy_port, tunnels, ca_file, dir } = company_network().await;
    // Everything through the proxy but 127.0.0.1 (the front's certificate names both).
    gnome_settings(dir.path(), proxy_port, "['127.0.0.1']");
    // Before GIO's first use in this process (no other test is in this binary).
    for name in ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"] {
        std::env::remove_var(name);
    }
    std::env::set_var("XDG_CURRENT_DESKTOP", "GNOME");
    std::env::set_var("GSETTINGS_BACKEND", "keyfile");
    std::env::set_var("XDG_CONFIG_HOME", dir.path());
    let base = format!("https://localhost:{https_port}");
    let desktop: Arc<dyn DesktopProxy> = Arc::new(GioProxy::default());

    // The desktop names the proxy: the request goes through it.
    let sessions = client(&base, sim.key(), &ca_file, desktop.clone()).sessions(Some(1), &CallOptions::default()).await;
    assert!(sessions.is_ok(), "the call through the desktop's proxy failed: {sessions:?}");
    assert_eq!(*tunnels.lock().unwrap(), vec![format!("localhost:{https_port}")], "one tunnel, to the service");

    // The environment still wins over the desktop (as for curl): another proxy.
    let (env_port, env_tunnels) = connect_proxy().await;
    std::env::set_var("HTTPS_PROXY", format!("http://127.0.0.1:{env_port}"));
    let via_env = client(&base, sim.key(), &ca_file, desktop.clone());
    std::env::remove_var("HTTPS_PROXY");
    via_env.sessions(Some(1), &CallOptions::default()).await.unwrap();
    assert_eq!(env_tunnels.lock().unwrap().len(), 1, "HTTPS_PROXY carried it");
    assert_eq!(tunnels.lock().unwrap().len(), 1, "not the desktop's proxy");

    // A host the desktop lists to reach directly is reached directly.
    let direct = format!("https://127.0.0.1:{https_port}");
    client(&direct, sim.key(), &ca_file, desktop).sessions(Some(1), &CallOptions::default()).await.unwrap();
    assert_eq!(tunnels.lock().unwrap().len(), 1, "no tunnel for a host on the desktop's no-proxy list");
}
