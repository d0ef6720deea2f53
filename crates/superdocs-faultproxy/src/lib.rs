//! A fault-injecting HTTP/1.1 proxy for tests: it sits between a client and the simulator at the TCP
//! level and, per request, at random with a seed, breaks the exchange the way real networks and
//! gateways do, none of which the simulator's own fault rules can show:
//!
//! - `RstBeforeForward`: the request is read whole, then the connection is reset; the server never sees it;
//! - `RstAfterUpstream`: the server answers (and has acted), then the client's connection is reset;
//! - `CutThenRst` / `CutThenFin`: the answer is cut after K bytes (anywhere: status line, headers, body);
//! - `BadGatewayHtml` (502 HTML page), `GatewayUnavailable` (503 gateway envelope + `Retry-After`),
//!   `RateLimited` (429 envelope + `Retry-After`), `ServerError` (500): answered by the proxy, not forwarded;
//! - `SlowHeaders`: forwarded, and the answer held back for a while (possibly past the client's read timeout).
//!
//! Every request is sent upstream with `Connection: close` (so the upstream ends each answer with EOF and
//! tells the client not to reuse the connection), and `Host` set to the upstream.
//!
//! Determinism: the fault for a request is drawn from `hash(seed, method, path shape, n)`, where n counts
//! earlier requests of the same method and path shape (ids masked). The same seed and the same sequence
//! of requests per route give the same faults; with concurrent clients, which operation draws the n-th
//! fault of a route depends on their interleaving, the mix and counts do not.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::{Rng, SeedableRng};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// One way of breaking an exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FaultKind {
    RstBeforeForward,
    RstAfterUpstream,
    CutThenRst,
    CutThenFin,
    BadGatewayHtml,
    GatewayUnavailable,
    RateLimited,
    ServerError,
    SlowHeaders,
}

impl FaultKind {
    pub const ALL: [FaultKind; 9] = [
        FaultKind::RstBeforeForward,
        FaultKind::RstAfterUpstream,
        FaultKind::CutThenRst,
        FaultKind::CutThenFin,
        FaultKind::BadGatewayHtml,
        FaultKind::GatewayUnavailable,
        FaultKind::RateLimited,
        FaultKind::ServerError,
        FaultKind::SlowHeaders,
    ];

    /// Whether the upstream may have acted on a request that met this fault.
    pub fn forwarded(self) -> bool {
        matches!(
            self,
            FaultKind::RstAfterUpstream | FaultKind::CutThenRst | FaultKind::CutThenFin | FaultKind::SlowHeaders
        )
    }
}

#[derive(Debug, Clone)]
pub struct ProxyConfig {
    /// Where the real server listens.
    pub upstream: SocketAddr,
    pub seed: u64,
    /// The share of requests that meet a fault (0.0 ..= 1.0).
    pub fault_rate: f64,
    /// The faults to draw from (uniformly).
    pub kinds: Vec<FaultKind>,
    /// How long `SlowHeaders` holds an answer back: uniform in this range.
    pub slow_headers: (Duration, Duration),
    /// `Retry-After` seconds sent with 429 / 503: uniform in this range.
    pub retry_after_secs: (u32, u32),
    /// Requests whose path starts with one of these are forwarded untouched.
    pub untouched_prefixes: Vec<String>,
}

impl ProxyConfig {
    pub fn new(upstream: SocketAddr, seed: u64, fault_rate: f64) -> Self {
        ProxyConfig {
            upstream,
            seed,
            fault_rate,
            kinds: FaultKind::ALL.to_vec(),
            slow_headers: (Duration::from_millis(100), Duration::from_millis(500)),
            retry_after_secs: (0, 1),
            untouched_prefixes: vec!["/__sim".into()],
        }
    }
}

/// What the proxy did, so far.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProxyStats {
    pub requests: u64,
    pub faults: Vec<(FaultKind, u64)>,
}

impl ProxyStats {
    pub fn faulted(&self) -> u64 {
        self.faults.iter().map(|(_, n)| n).sum()
    }
    pub fn count(&self, kind: FaultKind) -> u64 {
        self.faults.iter().find(|(k, _)| *k == kind).map_or(0, |(_, n)| *n)
    }
}

impl std::fmt::Display for ProxyStats {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} requests, {} faulted", self.requests, self.faulted())?;
        for (k, n) in &self.faults {
            write!(f, "; {k:?} {n}")?;
        }
        Ok(())
    }
}

struct Shared {
    config: ProxyConfig,
    enabled: AtomicBool,
    requests: AtomicU64,
    faults: Mutex<HashMap<FaultKind, u64>>,
    seen: Mutex<HashMap<(String, String), u64>>,
}

/// A running proxy. Dropping it stops accepting (open exchanges finish on their own).
pub struct FaultProxy {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: JoinHandle<()>,
}

impl Drop for FaultProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FaultProxy {
    /// Listens on a free loopback port.
    pub async fn start(config: ProxyConfig) -> std::io::Result<FaultProxy> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            config,
            enabled: AtomicBool::new(true),
            requests: AtomicU64::new(0),
            faults: Mutex::new(HashMap::new()),
            seen: Mutex::new(HashMap::new()),
        });
        let s = shared.clone();
        let task = tokio::spawn(async move {
            loop {
                let Ok((conn, _)) = listener.accept().await else { continue };
                let s = s.clone();
                tokio::spawn(async move {
                    if let Err(e) = exchange(conn, s).await {
                        tracing::debug!(error = %e, "fault proxy exchange ended with an error");
                    }
                });
            }
        });
        Ok(FaultProxy { addr, shared, task })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Faults on (the default) or off (every request forwarded untouched).
    pub fn set_enabled(&self, on: bool) {
        self.shared.enabled.store(on, Ordering::SeqCst);
    }

    pub fn stats(&self) -> ProxyStats {
        let mut faults: Vec<(FaultKind, u64)> =
            self.shared.faults.lock().unwrap().iter().map(|(k, n)| (*k, *n)).collect();
        faults.sort();
        ProxyStats { requests: self.shared.requests.load(Ordering::SeqCst), faults }
    }
}

/// The path with its query dropped and every segment that looks like an id (`_` or `-` in it, or digits
/// past a version's two characters) masked.
pub fn path_shape(path: &str) -> String {
    let path = path.split('?').next().unwrap_or("");
    let id = |seg: &str| seg.contains(['_', '-']) || (seg.len() > 2 && seg.bytes().any(|b| b.is_ascii_digit()));
    path.split('/').map(|seg| if id(seg) { "*" } else { seg }).collect::<Vec<_>>().join("/")
}

impl Shared {
    fn draw(&self, method: &str, path: &str) -> (Option<FaultKind>, rand::rngs::StdRng) {
        let shape = path_shape(path);
        let n = {
            let mut seen = self.seen.lock().unwrap();
            let n = seen.entry((method.to_string(), shape.clone())).or_default();
            *n += 1;
            *n
        };
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (self.config.seed, method, &shape, n).hash(&mut h);
        let mut rng = rand::rngs::StdRng::seed_from_u64(h.finish());
        let untouched = self.config.untouched_prefixes.iter().any(|p| path.starts_with(p.as_str()));
        let faulted = !untouched
            && self.enabled.load(Ordering::SeqCst)
            && !self.config.kinds.is_empty()
            && rng.random_bool(self.config.fault_rate.clamp(0.0, 1.0));
        let kind = faulted.then(|| self.config.kinds[rng.random_range(0..self.config.kinds.len())]);
        if let Some(k) = kind {
            *self.faults.lock().unwrap().entry(k).or_default() += 1;
        }
        (kind, rng)
    }
}

const MAX_HEAD: usize = 64 * 1024;

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Reads until `buf` holds a whole head; its length including the blank line. None: closed first.
async fn read_head(conn: &mut TcpStream, buf: &mut Vec<u8>) -> std::io::Result<Option<usize>> {
    loop {
        if let Some(i) = find(buf, b"\r\n\r\n") {
            return Ok(Some(i + 4));
        }
        if buf.len() > MAX_HEAD {
            return Err(std::io::Error::other("request head too large"));
        }
        let mut chunk = [0u8; 16 * 1024];
        let n = conn.read(&mut chunk).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&chunk[..n]);
    }
}

/// The length of a complete chunked body at the start of `data`, if it is all there.
fn chunked_len(data: &[u8]) -> Option<usize> {
    let mut at = 0;
    loop {
        let line_end = find(&data[at..], b"\r\n")? + at;
        let size_text = std::str::from_utf8(&data[at..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        at = line_end + 2;
        if size == 0 {
            // Trailers (none expected), then the final CRLF.
            let end = find(&data[at..], b"\r\n")? + at;
            if end == at {
                return Some(at + 2);
            }
            let end = find(&data[at..], b"\r\n\r\n")? + at;
            return Some(end + 4);
        }
        at += size + 2;
        if at > data.len() {
            return None;
        }
    }
}

struct Request {
    method: String,
    path: String,
    /// What goes upstream: the head rewritten, then the body as received.
    upstream_bytes: Vec<u8>,
}

async fn read_request(conn: &mut TcpStream, upstream: SocketAddr) -> std::io::Result<Option<Request>> {
    let mut buf = Vec::new();
    let Some(head_len) = read_head(conn, &mut buf).await? else { return Ok(None) };
    let mut headers = [httparse::EMPTY_HEADER; 96];
    let mut req = httparse::Request::new(&mut headers);
    let parsed = req.parse(&buf[..head_len]).map_err(|e| std::io::Error::other(format!("bad request head: {e}")))?;
    if parsed.is_partial() {
        return Err(std::io::Error::other("partial request head"));
    }
    let method = req.method.unwrap_or("GET").to_string();
    let path = req.path.unwrap_or("/").to_string();
    let mut content_length = 0usize;
    let mut chunked = false;
    let mut head = format!("{method} {path} HTTP/1.1\r\nhost: {upstream}\r\nconnection: close\r\n").into_bytes();
    for h in req.headers.iter() {
        let name = h.name.to_ascii_lowercase();
        match name.as_str() {
            "host" | "connection" | "keep-alive" | "proxy-connection" => continue,
            "content-length" => {
                content_length = std::str::from_utf8(h.value).ok().and_then(|v| v.trim().parse().ok()).unwrap_or(0)
            }
            "transfer-encoding" => chunked = String::from_utf8_lossy(h.value).to_ascii_lowercase().contains("chunked"),
            _ => {}
        }
        head.extend_from_slice(h.name.as_bytes());
        head.extend_from_slice(b": ");
        head.extend_from_slice(h.value);
        head.extend_from_slice(b"\r\n");
    }
    head.extend_from_slice(b"\r\n");
    let mut body = buf.split_off(head_len);
    loop {
        let complete = if chunked { chunked_len(&body).is_some() } else { body.len() >= content_length };
        if complete {
            break;
        }
        let mut chunk = vec![0u8; 256 * 1024];
        let n = conn.read(&mut chunk).await?;
        if n == 0 {
            return Err(std::io::Error::other("client closed mid-body"));
        }
        body.extend_from_slice(&chunk[..n]);
    }
    head.extend_from_slice(&body);
    Ok(Some(Request { method, path, upstream_bytes: head }))
}

/// Resets the connection (RST, not FIN).
fn reset(conn: TcpStream) {
    #[allow(deprecated)]
    let _ = conn.set_linger(Some(Duration::ZERO));
    drop(conn);
}

async fn answer(
    mut conn: TcpStream,
    status: &str,
    content_type: &str,
    body: &str,
    retry_after: Option<u32>,
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n",
        body.len()
    );
    if let Some(s) = retry_after {
        head.push_str(&format!("retry-after: {s}\r\n"));
    }
    head.push_str("\r\n");
    conn.write_all(head.as_bytes()).await?;
    conn.write_all(body.as_bytes()).await?;
    conn.shutdown().await
}

async fn exchange(mut client: TcpStream, shared: Arc<Shared>) -> std::io::Result<()> {
    let upstream_addr = shared.config.upstream;
    let Some(req) = read_request(&mut client, upstream_addr).await? else { return Ok(()) };
    shared.requests.fetch_add(1, Ordering::SeqCst);
    let (fault, mut rng) = shared.draw(&req.method, &req.path);
    if let Some(kind) = fault {
        tracing::debug!(method = %req.method, path = %req.path, ?kind, "fault proxy: injecting");
    }
    let (lo, hi) = shared.config.retry_after_secs;
    let retry_after = rng.random_range(lo..=hi.max(lo));
    match fault {
        Some(FaultKind::RstBeforeForward) => {
            reset(client);
            return Ok(());
        }
        Some(FaultKind::BadGatewayHtml) => {
            let page = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";
            return answer(client, "502 Bad Gateway", "text/html", page, None).await;
        }
        Some(FaultKind::GatewayUnavailable) => {
            let body = r#"{"errors":[{"code":"UPSTREAM_UNAVAILABLE","message":"The upstream service is temporarily unavailable."}]}"#;
            return answer(client, "503 Service Unavailable", "application/json", body, Some(retry_after)).await;
        }
        Some(FaultKind::RateLimited) => {
            let body = r#"{"errors":[{"code":"RATE_LIMITED","message":"Too many requests."}]}"#;
            return answer(client, "429 Too Many Requests", "application/json", body, Some(retry_after)).await;
        }
        Some(FaultKind::ServerError) => {
            return answer(
                client,
                "500 Internal Server Error",
                "application/json",
                r#"{"detail":"Internal Server Error"}"#,
                None,
            )
            .await;
        }
        _ => {}
    }
    let mut upstream = match TcpStream::connect(upstream_addr).await {
        Ok(u) => u,
        Err(_) => {
            // The upstream is down: what a client sees from a real proxy in front of a dead service.
            return answer(client, "502 Bad Gateway", "text/html", "<html><body>502 Bad Gateway</body></html>", None)
                .await;
        }
    };
    upstream.write_all(&req.upstream_bytes).await?;
    match fault {
        Some(FaultKind::SlowHeaders) => {
            let (lo, hi) = shared.config.slow_headers;
            let wait = rng.random_range(lo.as_millis() as u64..=hi.as_millis().max(lo.as_millis()) as u64);
            tokio::time::sleep(Duration::from_millis(wait)).await;
            relay(client, upstream, None).await
        }
        Some(FaultKind::RstAfterUpstream) => {
            // Let the upstream finish its answer (it has acted), then reset. A stream never finishes: take its head.
            let mut sink = Vec::new();
            let mut chunk = [0u8; 64 * 1024];
            loop {
                let n = upstream.read(&mut chunk).await.unwrap_or(0);
                if n == 0 {
                    break;
                }
                sink.extend_from_slice(&chunk[..n]);
                if find(&sink, b"text/event-stream").is_some() && find(&sink, b"\r\n\r\n").is_some() {
                    break;
                }
            }
            reset(client);
            Ok(())
        }
        Some(kind @ (FaultKind::CutThenRst | FaultKind::CutThenFin)) => {
            // Anywhere in the status line, the headers or the first 4 KiB of the body.
            let k = rng.random_range(1..4096 + 256);
            relay(client, upstream, Some((k, kind == FaultKind::CutThenRst))).await
        }
        _ => relay(client, upstream, None).await,
    }
}

/// Copies the upstream's answer to the client until the upstream ends it (or the client leaves). With a
/// cut, stops after that many bytes and resets (true) or closes (false) the client's connection.
async fn relay(mut client: TcpStream, mut upstream: TcpStream, cut: Option<(usize, bool)>) -> std::io::Result<()> {
    let mut sent = 0usize;
    let mut chunk = vec![0u8; 64 * 1024];
    let mut probe = [0u8; 1024];
    loop {
        let n = tokio::select! {
            r = upstream.read(&mut chunk) => r.unwrap_or(0),
            // The client left (or sent more than one request, which this proxy does not serve).
            r = client.read(&mut probe) => {
                if matches!(r, Ok(0) | Err(_)) {
                    return Ok(());
                }
                continue;
            }
        };
        if n == 0 {
            break;
        }
        let mut take = n;
        if let Some((k, _)) = cut {
            take = take.min(k.saturating_sub(sent));
        }
        client.write_all(&chunk[..take]).await?;
        sent += take;
        if let Some((k, rst)) = cut {
            if sent >= k {
                if rst {
                    reset(client);
                } else {
                    let _ = client.shutdown().await;
                }
                return Ok(());
            }
        }
    }
    // The whole answer went through (a cut past its end changes nothing).
    let _ = client.shutdown().await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_masked_in_the_path_shape() {
        assert_eq!(path_shape("/v1/jobs/job_abc123?x=1"), "/v1/jobs/*");
        assert_eq!(path_shape("/v1/chat/soak-3/stream"), "/v1/chat/*/stream");
        assert_eq!(path_shape("/v1/chat/async"), "/v1/chat/async");
    }

    #[test]
    fn chunked_bodies_are_measured_only_when_complete() {
        assert_eq!(chunked_len(b"3\r\nabc\r\n0\r\n\r\n"), Some(13));
        assert_eq!(chunked_len(b"3\r\nabc\r\n0\r\n"), None);
        assert_eq!(chunked_len(b"3\r\nab"), None);
        assert_eq!(chunked_len(b"zz\r\n"), None);
    }

    #[test]
    fn the_same_seed_draws_the_same_faults() {
        let draws = |seed| {
            let shared = Shared {
                config: ProxyConfig::new(SocketAddr::from(([127, 0, 0, 1], 1)), seed, 0.3),
                enabled: AtomicBool::new(true),
                requests: AtomicU64::new(0),
                faults: Mutex::new(HashMap::new()),
                seen: Mutex::new(HashMap::new()),
            };
            (0..200).map(|i| shared.draw("POST", &format!("/v1/jobs/job_{i}")).0).collect::<Vec<_>>()
        };
        assert_eq!(draws(7), draws(7));
        assert_ne!(draws(7), draws(8));
        let faulted = draws(7).iter().filter(|f| f.is_some()).count();
        assert!((30..=90).contains(&faulted), "about 30% of 200: {faulted}");
    }
}
