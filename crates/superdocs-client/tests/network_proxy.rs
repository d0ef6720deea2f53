//! Corporate networks: the client reaches an https SuperDocs through an HTTP CONNECT proxy the user named,
//! trusting a company certificate authority on top of the OS trust store — and without that CA, fails with
//! a TLS error instead of connecting. Real sockets over loopback: a CONNECT proxy, an https front signed by
//! a test CA (rcgen), the simulator behind it.

mod proxy_support;

use std::time::Duration;

use proxy_support::{company_network, connect_proxy, CompanyNetwork};
use superdocs_client::network::{Network, ProxyMode};
use superdocs_client::retry::{CallOptions, RetryPolicy};
use superdocs_client::{ApiKey, Client, ClientConfig};
use superdocs_sim::{SimConfig, SimHandle};

fn client(base: &str, key: &str, network: Network) -> Client {
    let mut config = ClientConfig::new(base, ApiKey::parse(key).unwrap());
    config.network = network;
    config.connect_timeout = Duration::from_secs(5);
    // One attempt: the failing case must fail now, not after the backoff schedule.
    config.retry_policy = RetryPolicy { max_attempts: 1, ..RetryPolicy::default() };
    Client::new(config).unwrap()
}

#[tokio::test]
async fn through_a_connect_proxy_with_the_company_ca_the_service_answers() {
    let CompanyNetwork { sim, https_port, proxy_port, tunnels, ca_file, dir: _dir } = company_network().await;
    let base = format!("https://localhost:{https_port}");
    let manual = ProxyMode::Manual { url: format!("http://127.0.0.1:{proxy_port}") };

    let trusted = Network { proxy: manual.clone(), extra_ca_file: Some(ca_file.display().to_string()) };
    trusted.validate().unwrap();
    let sessions = client(&base, sim.key(), trusted).sessions(Some(1), &CallOptions::default()).await;
    assert!(sessions.is_ok(), "the call through the proxy failed: {sessions:?}");
    assert_eq!(*tunnels.lock().unwrap(), vec![format!("localhost:{https_port}")], "one tunnel, to the service");

    // The same proxy without the company CA: the certificate is refused, and nothing is sent in clear.
    let untrusted = Network { proxy: manual, extra_ca_file: None };
    let err = client(&base, sim.key(), untrusted).sessions(Some(1), &CallOptions::default()).await.unwrap_err();
    assert_eq!(tunnels.lock().unwrap().len(), 2, "the second client also went through the proxy");
    let shown = format!("{} {}", err.message, err.detail.clone().unwrap_or_default()).to_lowercase();
    assert!(shown.contains("certificate") || shown.contains("tls"), "a TLS failure, said so: {shown}");
}

#[tokio::test]
async fn no_proxy_connects_directly_even_when_the_environment_names_one() {
    let sim = SimHandle::start(SimConfig::default()).await.unwrap();
    let (proxy_port, tunnels) = connect_proxy().await;
    // reqwest reads these when the client is built; set before, never read by other tests in this binary
    // (each test builds its clients with an explicit mode).
    std::env::set_var("ALL_PROXY", format!("http://127.0.0.1:{proxy_port}"));
    let direct = client(sim.base_url(), sim.key(), Network { proxy: ProxyMode::None, extra_ca_file: None });
    std::env::remove_var("ALL_PROXY");
    direct.sessions(Some(1), &CallOptions::default()).await.unwrap();
    assert!(tunnels.lock().unwrap().is_empty(), "no request went to the proxy");
}
