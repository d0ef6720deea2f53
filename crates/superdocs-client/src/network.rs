//! How the client reaches the network: the proxy (the system's, none, or one the user names) and extra
//! certificate authorities trusted on top of the OS trust store (corporate TLS inspection).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use url::Url;

use crate::error::{Error, ErrorKind, Result};
use crate::redact;

/// Which proxy the client uses.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum ProxyMode {
    /// The system's proxy: `HTTP(S)_PROXY`/`NO_PROXY` everywhere; on Windows and macOS the proxy the OS
    /// settings name; on Linux the desktop's, where the host gives a `DesktopProxy` (the app: `GioProxy`).
    #[default]
    System,
    /// Connect directly, whatever the system says.
    None,
    /// This proxy for every request (`http://host:port`, optionally `http://user:pass@host:port`).
    Manual { url: String },
}

/// The network settings one client is built with.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct Network {
    #[serde(default)]
    pub proxy: ProxyMode,
    /// A PEM file of certificate authorities trusted in addition to the OS trust store.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_ca_file: Option<String>,
}

impl Network {
    /// Checks what the user typed or chose, so a bad setting is refused when saved rather than at the next
    /// request. Reads the certificate file.
    pub fn validate(&self) -> Result<()> {
        if let ProxyMode::Manual { url } = &self.proxy {
            proxy_url(url)?;
        }
        if let Some(path) = &self.extra_ca_file {
            read_certificates(Path::new(path))?;
        }
        Ok(())
    }

    /// These settings with a manual proxy's password masked, for Debug output and logs.
    pub fn redacted(&self) -> Network {
        let mut shown = self.clone();
        if let ProxyMode::Manual { url } = &mut shown.proxy {
            if let Ok(mut parsed) = Url::parse(url) {
                if parsed.password().is_some() {
                    let _ = parsed.set_password(Some("…"));
                    *url = parsed.to_string();
                }
            }
        }
        shown
    }

    /// Applies these settings to a client under construction; `desktop` answers for the system's proxy
    /// where reqwest cannot read it (Linux desktops), unless the environment names one.
    pub(crate) fn apply(
        &self,
        builder: reqwest::ClientBuilder,
        desktop: Option<&Arc<dyn DesktopProxy>>,
    ) -> Result<reqwest::ClientBuilder> {
        let mut builder = match &self.proxy {
            ProxyMode::System => match desktop {
                Some(desktop) if !environment_names_a_proxy() => {
                    let desktop = desktop.clone();
                    builder.proxy(reqwest::Proxy::custom(move |url| desktop.proxy_for(url)))
                }
                // reqwest's default with the `system-proxy` feature: the environment and the OS settings.
                _ => builder,
            },
            ProxyMode::None => builder.no_proxy(),
            ProxyMode::Manual { url } => {
                let proxy = reqwest::Proxy::all(proxy_url(url)?.as_str()).map_err(|e| invalid_proxy(&e.to_string()))?;
                builder.proxy(proxy)
            }
        };
        if let Some(path) = &self.extra_ca_file {
            builder = builder.tls_certs_merge(read_certificates(Path::new(path))?);
        }
        Ok(builder)
    }
}

/// The system's proxy as the desktop sets it, for a host that can ask its platform: reqwest reads the
/// environment everywhere and the OS settings on Windows and macOS, but not a Linux desktop's (GNOME's or
/// KDE's settings, a PAC file). `None`: connect directly.
pub trait DesktopProxy: Send + Sync + std::fmt::Debug {
    fn proxy_for(&self, url: &Url) -> Option<Url>;
}

/// `HTTP(S)_PROXY`/`ALL_PROXY` win over the desktop's settings, as they do for reqwest and curl.
fn environment_names_a_proxy() -> bool {
    ["HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"]
        .iter()
        .any(|name| std::env::var_os(name).is_some_and(|v| !v.is_empty()))
}

/// The desktop's proxy through GIO's resolver (GNOME's settings and PAC via glib-networking, or libproxy):
/// what the platform's own apps use. Answers are kept a minute per scheme, host and port: a lookup may
/// evaluate a PAC script, and it runs on the request's path.
#[cfg(all(feature = "gio-proxy", target_os = "linux"))]
#[derive(Debug, Default)]
pub struct GioProxy {
    answers: std::sync::Mutex<std::collections::HashMap<String, (std::time::Instant, Option<Url>)>>,
}

#[cfg(all(feature = "gio-proxy", target_os = "linux"))]
impl DesktopProxy for GioProxy {
    fn proxy_for(&self, url: &Url) -> Option<Url> {
        use gio::prelude::ProxyResolverExt;
        const KEPT: std::time::Duration = std::time::Duration::from_secs(60);
        let key = format!(
            "{}://{}:{}",
            url.scheme(),
            url.host_str().unwrap_or_default(),
            url.port_or_known_default().unwrap_or(0)
        );
        if let Some((at, answer)) = crate::lock(&self.answers).get(&key) {
            if at.elapsed() < KEPT {
                return answer.clone();
            }
        }
        let answer = match gio::ProxyResolver::default().lookup(url.as_str(), gio::Cancellable::NONE) {
            // In order of preference; "direct://" first means none. SOCKS is not built in: skipped.
            Ok(proxies) => proxies
                .iter()
                .map(|p| p.as_str())
                .take_while(|p| *p != "direct://")
                .find_map(|p| Url::parse(p).ok().filter(|u| matches!(u.scheme(), "http" | "https"))),
            Err(e) => {
                tracing::warn!(error = %e, "the desktop's proxy settings could not be read; connecting directly");
                None
            }
        };
        tracing::debug!(target = %key, proxy = answer.as_ref().map(|u| u.host_str().unwrap_or_default().to_string()), "the desktop's proxy");
        crate::lock(&self.answers).insert(key, (std::time::Instant::now(), answer.clone()));
        answer
    }
}

fn invalid_proxy(why: &str) -> Error {
    Error::local(
        ErrorKind::Validation,
        format!("The proxy address is not valid ({}). Use http://host:port.", redact::text(why)),
    )
}

/// A manual proxy is an http(s) URL with a host (the credentials, if any, stay in the URL).
fn proxy_url(raw: &str) -> Result<Url> {
    let url = Url::parse(raw.trim()).map_err(|e| invalid_proxy(&e.to_string()))?;
    match url.scheme() {
        "http" | "https" if url.host_str().is_some_and(|h| !h.is_empty()) => Ok(url),
        "http" | "https" => Err(invalid_proxy("no host")),
        other => Err(invalid_proxy(&format!("{other}: is not supported"))),
    }
}

/// The certificates of a PEM file; a file that holds none is an error, not an empty trust list.
fn read_certificates(path: &Path) -> Result<Vec<reqwest::Certificate>> {
    let shown = PathBuf::from(path).display().to_string();
    let pem = std::fs::read(path).map_err(|e| {
        Error::local(ErrorKind::Validation, format!("The certificate file {shown} cannot be read: {e}."))
    })?;
    let not_pem = || {
        Error::local(
            ErrorKind::Validation,
            format!("The certificate file {shown} holds no PEM certificate (-----BEGIN CERTIFICATE-----)."),
        )
    };
    let certs = reqwest::Certificate::from_pem_bundle(&pem).map_err(|_| not_pem())?;
    if certs.is_empty() {
        return Err(not_pem());
    }
    Ok(certs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_proxy_must_be_an_http_url_with_a_host() {
        for bad in ["", "proxy:8080", "socks5://127.0.0.1:1080", "ftp://p:21", "http://"] {
            let n = Network { proxy: ProxyMode::Manual { url: bad.into() }, extra_ca_file: None };
            let e = n.validate().unwrap_err();
            assert_eq!(e.kind, ErrorKind::Validation, "{bad}");
            assert!(e.message.contains("proxy"), "{bad}: {}", e.message);
        }
        let ok =
            Network { proxy: ProxyMode::Manual { url: "http://user:pw@10.0.0.1:3128".into() }, extra_ca_file: None };
        ok.validate().unwrap();
    }

    #[test]
    fn a_certificate_file_that_is_missing_or_not_pem_is_refused_with_its_name() {
        let dir = tempfile::tempdir().unwrap();
        let junk = dir.path().join("corp.pem");
        std::fs::write(&junk, "not a certificate").unwrap();
        for path in [junk.clone(), dir.path().join("missing.pem")] {
            let n = Network { proxy: ProxyMode::System, extra_ca_file: Some(path.display().to_string()) };
            let e = n.validate().unwrap_err();
            assert_eq!(e.kind, ErrorKind::Validation);
            assert!(e.message.contains(&path.display().to_string()), "{}", e.message);
        }
    }

    #[test]
    fn a_proxy_password_never_reaches_debug_output() {
        let n =
            Network { proxy: ProxyMode::Manual { url: "http://ann:s3cret@proxy:3128".into() }, extra_ca_file: None };
        let shown = format!("{:?}", n.redacted());
        assert!(!shown.contains("s3cret") && shown.contains("ann"), "{shown}");
    }

    #[test]
    fn settings_saved_before_the_network_existed_read_as_the_system_defaults() {
        let n: Network = serde_json::from_str("{}").unwrap();
        assert_eq!(n, Network::default());
        let manual: Network = serde_json::from_str(r#"{"proxy":{"mode":"manual","url":"http://p:1"}}"#).unwrap();
        assert_eq!(manual.proxy, ProxyMode::Manual { url: "http://p:1".into() });
    }
}
