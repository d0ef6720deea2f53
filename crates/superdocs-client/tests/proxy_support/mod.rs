//! Test servers for the proxy tests: an https front for the simulator signed by a test CA, and an HTTP
//! CONNECT proxy that records where each tunnel went. Real sockets on loopback.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The simulator behind an https front signed by a test CA (`ca_file`), and a CONNECT proxy recording its
/// tunnels: what a company network looks like to the client.
pub struct CompanyNetwork {
    pub sim: superdocs_sim::SimHandle,
    pub https_port: u16,
    pub proxy_port: u16,
    pub tunnels: Arc<Mutex<Vec<String>>>,
    pub ca_file: PathBuf,
    pub dir: tempfile::TempDir,
}

pub async fn company_network() -> CompanyNetwork {
    let sim = superdocs_sim::SimHandle::start(superdocs_sim::SimConfig::default()).await.unwrap();
    let sim_addr: SocketAddr = sim.base_url().trim_start_matches("http://").trim_end_matches('/').parse().unwrap();
    let (ca_pem, https_port) = https_front(sim_addr).await;
    let (proxy_port, tunnels) = connect_proxy().await;
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("company-ca.pem");
    std::fs::write(&ca_file, &ca_pem).unwrap();
    CompanyNetwork { sim, https_port, proxy_port, tunnels, ca_file, dir }
}

/// A test CA and an https front for `upstream` on loopback, its certificate for `localhost` signed by the CA.
/// Returns the CA's PEM and the front's port. The certificate also names 127.0.0.1.
pub async fn https_front(upstream: SocketAddr) -> (String, u16) {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().unwrap()).unwrap();
    let leaf_key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()])
        .unwrap()
        .signed_by(&leaf_key, &ca)
        .unwrap();
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
pub async fn connect_proxy() -> (u16, Arc<Mutex<Vec<String>>>) {
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
