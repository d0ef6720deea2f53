//! Corporate networks: the client reaches an https SuperDocs through an HTTP CONNECT proxy the user named,
//! trusting a company certificate authority on top of the OS trust store — and without that CA, fails with
//! a TLS error instead of connecting. Real sockets over loopback: a CONNECT proxy, an https front signed by
//! a test CA (rcgen), the simulator behind it.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use superdocs_client::network::{Network, ProxyMode};
use superdocs_client::retry::{CallOptions, RetryPolicy};
use superdocs_client::{ApiKey, Client, ClientConfig};
use superdocs_sim::{SimConfig, SimHandle};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// A test CA and an https front for `upstream` on loopback, its certificate for `localhost` signed by the CA.
/// Returns the CA's PEM and the front's port.
async fn https_front(upstream: SocketAddr) -> (String, u16) {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().unwrap()).unwrap();
    let leaf_key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["localhost".to_string()]).unwrap().signed_by(&leaf_key, &ca).unwrap();
    let _ = rustls::crypto::ring::default_provider().install_default();
    let config = rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(
            vec![CertificateDer::from(leaf.der().to_vec())],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der())),
        )
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                // A failed handshake (the client refused our CA) just ends this connection.
                let Ok(mut tls) = acceptor.accept(socket).await else { return };
                let Ok(mut plain) = TcpStream::connect(upstream).await else { return };
                let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
            });
        }
    });
    (ca.pem(), port)
}

/// An HTTP CONNECT proxy on loopback that records each tunnel's target.
async fn connect_proxy() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let tunnels = Arc::new(Mutex::new(Vec::new()));
    let seen = tunnels.clone();
    tokio::spawn(async move {
        while let Ok((mut client, _)) = listener.accept().await {
            let seen = seen.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut byte = [0u8; 1];
                while !head.ends_with(b"\r\n\r\n") {
                    if client.read(&mut byte).await.unwrap_or(0) == 0 {
                        return;
                    }
                    head.push(byte[0]);
                }
                let head = String::from_utf8_lossy(&head).to_string();
                let mut words = head.split_whitespace();
                let (Some("CONNECT"), Some(target)) = (words.next(), words.next()) else {
                    let _ = client.write_all(b"HTTP/1.1 405 Method Not Allowed\r\ncontent-length: 0\r\n\r\n").await;
                    return;
                };
                seen.lock().unwrap().push(target.to_string());
                let port = target.rsplit(':').next().and_then(|p| p.parse::<u16>().ok()).unwrap_or(443);
                // Only loopback: the test must not reach anything else whatever the target names.
                let Ok(mut upstream) = TcpStream::connect(("127.0.0.1", port)).await else { return };
                let _ = client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n").await;
                let _ = tokio::io::copy_bidirectional(&mut client, &mut upstream).await;
            });
        }
    });
    (port, tunnels)
}

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
    let sim = SimHandle::start(SimConfig::default()).await.unwrap();
    let sim_addr: SocketAddr = sim.base_url().trim_start_matches("http://").trim_end_matches('/').parse().unwrap();
    let (ca_pem, https_port) = https_front(sim_addr).await;
    let (proxy_port, tunnels) = connect_proxy().await;
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("company-ca.pem");
    std::fs::write(&ca_file, &ca_pem).unwrap();
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
