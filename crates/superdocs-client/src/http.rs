//! The HTTP layer: one reqwest client (rustls), timeouts, the user agent, an `X-Request-ID` on every
//! request, the API key on `/v1/*` calls, and the mapping of every failure to [`Error`]. One call of
//! [`Http::send`] is one attempt; retries belong to `retry`.

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use reqwest::header::{HeaderValue, AUTHORIZATION, CONTENT_TYPE};
use reqwest::{RequestBuilder, Response};
use serde::de::DeserializeOwned;
use url::Url;

use crate::api::ApiKey;
use crate::error::{new_request_id, Error, ErrorKind, Reach, Result};
use crate::network::{DesktopProxy, Network};
use crate::redact;

/// The user agent: the product and its version.
pub fn user_agent() -> String {
    format!("SuperDocs-Desktop/{}", env!("CARGO_PKG_VERSION"))
}

/// How much of an error body is read (enough for any JSON error, not a runaway HTML page).
const ERROR_BODY_LIMIT: usize = 64 * 1024;
/// How much of a 2xx JSON body is accepted (a history with a 50 M-character document fits).
const JSON_BODY_LIMIT: usize = 256 * 1024 * 1024;

/// Is the URL's host the loopback interface (the local simulator)? `None` when it has no host.
fn is_loopback(url: &Url) -> Option<bool> {
    Some(match url.host()? {
        url::Host::Domain(d) => d.eq_ignore_ascii_case("localhost"),
        url::Host::Ipv4(ip) => ip.is_loopback(),
        url::Host::Ipv6(ip) => ip.is_loopback(),
    })
}

/// A URL without its query and fragment, for an error or a log line: a pre-signed URL's query is its
/// signature, good for anyone who reads it until it expires.
pub fn without_query(url: &Url) -> String {
    let mut u = url.clone();
    if u.query().is_some() {
        u.set_query(Some("redacted"));
    }
    u.set_fragment(None);
    redact::url(&u)
}

/// An address the service handed out (pre-signed upload or download, e-mailed link), resolved against
/// the base URL when relative. https only (http on loopback, where the simulator serves them): the
/// bytes of a document never travel in the clear, wherever the link points.
pub fn presigned_url(base: &Url, raw: &str) -> Result<Url> {
    let bad = |why: &str, detail: String| {
        Error::local(
            ErrorKind::Protocol,
            format!("The service sent an upload or download address this app cannot use ({why}). Contact support."),
        )
        .with_detail(detail)
        .with_action(crate::error::SuggestedAction::ContactSupport)
    };
    let url = base
        .join(raw.trim())
        .map_err(|_| bad("not a valid address", raw.split('?').next().unwrap_or("").to_string()))?;
    match (url.scheme(), is_loopback(&url)) {
        ("https", Some(_)) | ("http", Some(true)) => Ok(url),
        _ => Err(bad("not https", without_query(&url))),
    }
}

/// A base URL is https, except on the loopback interface (the local simulator).
pub fn validate_base_url(raw: &str) -> Result<Url> {
    let bad = |why: &str| {
        Error::local(
            ErrorKind::Validation,
            format!("The server address {why}. Use https://… (http:// only for 127.0.0.1 or localhost)."),
        )
    };
    let mut url = Url::parse(raw.trim()).map_err(|_| bad("is not a valid URL"))?;
    let Some(loopback) = is_loopback(&url) else { return Err(bad("has no host")) };
    match url.scheme() {
        "https" => {}
        "http" if loopback => {}
        _ => return Err(bad("must use https")),
    }
    if !url.path().ends_with('/') {
        let p = format!("{}/", url.path());
        url.set_path(&p);
    }
    url.set_query(None);
    url.set_fragment(None);
    Ok(url)
}

/// A successful answer and the request id it was sent with.
#[derive(Debug)]
pub struct Sent {
    pub response: Response,
    pub request_id: String,
}

#[derive(Clone)]
pub struct Http {
    client: reqwest::Client,
    base: Url,
    key: ApiKey,
}

impl std::fmt::Debug for Http {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Http").field("base", &self.base.as_str()).field("key", &self.key).finish()
    }
}

impl Http {
    pub fn new(
        base: Url,
        key: ApiKey,
        connect_timeout: Duration,
        read_timeout: Duration,
        network: &Network,
        desktop_proxy: Option<&Arc<dyn DesktopProxy>>,
    ) -> Result<Self> {
        // reqwest is built without a bundled crypto provider; ring is ours. Installing it twice is harmless.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let builder = reqwest::Client::builder()
            .user_agent(user_agent())
            .connect_timeout(connect_timeout)
            // An idle-read timeout, not a total one: a 1 GiB transfer or an SSE stream may take long.
            .read_timeout(read_timeout)
            // A redirect would re-send the request (with its body, and for /v1 its key header) wherever
            // the answer points; the API never redirects, so a 3xx is reported as the error it is.
            .redirect(reqwest::redirect::Policy::none())
            .tls_backend_rustls();
        let client = network.apply(builder, desktop_proxy)?.build().map_err(|e| {
            Error::internal(format!("Could not start the HTTP client: {}", redact::text(&e.to_string())))
        })?;
        Ok(Http { client, base, key })
    }

    pub fn base(&self) -> &Url {
        &self.base
    }

    pub fn client(&self) -> &reqwest::Client {
        &self.client
    }

    /// `path` relative to the base URL (no leading slash needed).
    pub fn url(&self, path: &str) -> Url {
        self.base.join(path.trim_start_matches('/')).expect("API paths are valid relative URLs")
    }

    /// Sends one attempt. `auth` adds the API key (never on pre-signed URLs or e-mailed links).
    pub async fn send(&self, request: RequestBuilder, auth: bool) -> Result<Sent> {
        let request_id = new_request_id();
        let mut request = request.header("X-Request-ID", &request_id);
        if auth {
            let mut v = HeaderValue::from_str(&format!("Bearer {}", self.key.expose()))
                .expect("a validated key is a valid header");
            v.set_sensitive(true);
            request = request.header(AUTHORIZATION, v);
        }
        let response = match request.send().await {
            Ok(r) => r,
            Err(mut e) => {
                // reqwest names the URL in its message: keep the query (a signature) out of the error.
                if let Some(u) = e.url_mut() {
                    if u.query().is_some() {
                        u.set_query(Some("redacted"));
                    }
                }
                return Err(Error::transport(&e, reach_of(&e), &request_id));
            }
        };
        let status = response.status();
        if status.is_success() {
            return Ok(Sent { response, request_id });
        }
        let headers = response.headers().clone();
        let body = read_limited(response, ERROR_BODY_LIMIT).await.unwrap_or_default();
        Err(Error::from_response(status.as_u16(), &headers, &body, &request_id))
    }

    /// Reads a 2xx body as JSON; anything else is a `protocol` error with the status and first bytes.
    pub async fn read_json<T: DeserializeOwned>(sent: Sent) -> Result<T> {
        let status = sent.response.status().as_u16();
        let content_type =
            sent.response.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_ascii_lowercase);
        let body = read_limited(sent.response, JSON_BODY_LIMIT)
            .await
            .map_err(|e| Error::transport(&e, Reach::Ambiguous { timed_out: e.is_timeout() }, &sent.request_id))?;
        if let Some(ct) = &content_type {
            if !ct.contains("json") {
                return Err(Error::protocol(status, &format!("expected JSON, got {ct}"), &body, &sent.request_id));
            }
        }
        serde_json::from_slice(&body).map_err(|e| {
            let what = if e.is_eof() {
                "the JSON body was cut short".to_string()
            } else {
                format!("the body is not the expected JSON ({e})")
            };
            Error::protocol(status, &what, &body, &sent.request_id)
        })
    }
}

/// How far a failed request got, from reqwest's error.
fn reach_of(e: &reqwest::Error) -> Reach {
    if e.is_connect() {
        Reach::NotSent
    } else if e.is_builder() {
        Reach::Local
    } else {
        Reach::Ambiguous { timed_out: e.is_timeout() }
    }
}

/// Reads at most `limit` bytes of a body.
async fn read_limited(response: Response, limit: usize) -> std::result::Result<Vec<u8>, reqwest::Error> {
    let mut out = Vec::new();
    let mut stream = response.bytes_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk?;
        let room = limit - out.len();
        out.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if out.len() >= limit {
            break;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_https_or_loopback_only() {
        assert_eq!(validate_base_url("https://api.superdocs.app").unwrap().as_str(), "https://api.superdocs.app/");
        assert!(validate_base_url("http://127.0.0.1:8080").is_ok());
        assert!(validate_base_url("http://localhost:1").is_ok());
        assert!(validate_base_url("http://[::1]:9").is_ok());
        let e = validate_base_url("http://api.superdocs.app").unwrap_err();
        assert_eq!(e.kind, ErrorKind::Validation);
        assert!(e.message.contains("https"));
        assert!(validate_base_url("ftp://127.0.0.1").is_err());
        assert!(validate_base_url("not a url").is_err());
        assert!(validate_base_url("http://127.0.0.2.evil.com").is_err());
    }

    #[test]
    fn presigned_urls_are_https_or_loopback() {
        let base = Url::parse("https://api.superdocs.app/").unwrap();
        assert_eq!(
            presigned_url(&base, "https://storage.example/u/1?sig=abc").unwrap().as_str(),
            "https://storage.example/u/1?sig=abc"
        );
        assert_eq!(
            presigned_url(&base, "/storage/uploads/1?sig=abc").unwrap().as_str(),
            "https://api.superdocs.app/storage/uploads/1?sig=abc"
        );
        assert!(presigned_url(&base, "http://127.0.0.1:9/storage/x").is_ok(), "the simulator's links");
        assert!(presigned_url(&base, "http://localhost:9/storage/x").is_ok());
        for bad in [
            "http://storage.example/u/1?X-Amz-Signature=secret",
            "ftp://storage.example/u",
            "file:///etc/passwd",
            "http://127.0.0.2.evil.example/x?sig=secret",
        ] {
            let e = presigned_url(&base, bad).unwrap_err();
            assert_eq!(e.kind, ErrorKind::Protocol, "{bad}");
            assert!(
                !e.detail.as_deref().unwrap_or("").contains("secret"),
                "the signature stays out of the error: {e:?}"
            );
        }
        let sim = Url::parse("http://127.0.0.1:8787/").unwrap();
        assert!(presigned_url(&sim, "/storage/downloads/t").is_ok());
    }

    #[test]
    fn queries_stay_out_of_messages() {
        let u = Url::parse("https://s.example/o/1?X-Amz-Signature=secret&X-Amz-Credential=c#frag").unwrap();
        assert_eq!(without_query(&u), "https://s.example/o/1?redacted");
        assert_eq!(without_query(&Url::parse("https://s.example/o/1").unwrap()), "https://s.example/o/1");
    }

    fn http() -> Http {
        let key = ApiKey::parse("sk_0123456789abcdef0123456789abcdef").unwrap();
        Http::new(
            Url::parse("http://127.0.0.1:1/").unwrap(),
            key,
            Duration::from_secs(5),
            Duration::from_secs(5),
            &Network::default(),
            None,
        )
        .unwrap()
    }

    #[tokio::test]
    async fn a_transport_error_does_not_repeat_a_signature() {
        // Nothing listens on port 1: the connection is refused.
        let h = http();
        let e = h.send(h.client().get("http://127.0.0.1:1/storage/x?X-Amz-Signature=secret"), false).await.unwrap_err();
        assert!(matches!(e.kind, ErrorKind::Network | ErrorKind::Timeout), "{e:?}");
        let text = format!("{} {}", e.message, e.detail.as_deref().unwrap_or(""));
        assert!(!text.contains("secret"), "{text}");
        assert!(text.contains("127.0.0.1:1/storage/x"), "the address is still named: {text}");
    }

    #[tokio::test]
    async fn redirects_are_not_followed() {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        // The place a redirect points to: it must never be asked anything.
        let elsewhere = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let target = elsewhere.local_addr().unwrap();
        let server = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = server.local_addr().unwrap();
        tokio::spawn(async move {
            while let Ok((mut s, _)) = server.accept().await {
                let mut buf = vec![0u8; 65536];
                let _ = s.read(&mut buf).await;
                let answer = format!("HTTP/1.1 307 Temporary Redirect\r\nLocation: http://{target}/v1/chat\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                let _ = s.write_all(answer.as_bytes()).await;
            }
        });
        let h = http();
        let e = h.send(h.client().post(format!("http://{addr}/v1/chat")).body("the document"), true).await.unwrap_err();
        assert_eq!(e.status, Some(307), "{e:?}");
        let asked = tokio::time::timeout(Duration::from_millis(300), elsewhere.accept()).await;
        assert!(asked.is_err(), "the client followed the redirect");
    }

    #[test]
    fn user_agent_names_product_and_version() {
        assert!(user_agent().starts_with("SuperDocs-Desktop/0."));
    }
}
