//! The HTTP front: an accept loop over hyper connections (so a fault can drop a connection outright),
//! request ids, stats, fault rules, the transport cap, and one log line per request.
use axum::body::Body;
use axum::http::{header, HeaderValue, Request, Response, StatusCode};
use axum::response::IntoResponse;
use axum::Router;
use bytes::Bytes;
use http_body::{Body as HttpBody, Frame, SizeHint};
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tokio::task::{JoinHandle, JoinSet};
use tokio_util::sync::CancellationToken;
use tower::ServiceExt;

use crate::errors::ApiError;
use crate::extract::BodyMeter;
use crate::faults::{FaultAction, FaultRule};
use crate::request_context::{new_request_id, with_request_id};
use crate::state::Sim;

/// Returned by the service to make hyper close the connection without (the rest of) a response.
#[derive(Debug)]
struct DropConnection;

impl std::fmt::Display for DropConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by a fault rule")
    }
}
impl std::error::Error for DropConnection {}

/// Serves until `stop` is cancelled (a child of the sim's shutdown token, so shutdown stops it too).
pub fn spawn_server(sim: Arc<Sim>, listener: TcpListener, router: Router, stop: CancellationToken) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut connections = JoinSet::new();
        loop {
            tokio::select! {
                _ = stop.cancelled() => break,
                Some(_) = connections.join_next(), if !connections.is_empty() => {}
                accepted = listener.accept() => {
                    let Ok((stream, _)) = accepted else {
                        tokio::time::sleep(Duration::from_millis(10)).await;
                        continue;
                    };
                    let _ = stream.set_nodelay(true);
                    let (sim, router) = (sim.clone(), router.clone());
                    connections.spawn(async move {
                        let service = hyper::service::service_fn(move |req| handle(sim.clone(), router.clone(), req));
                        let _ = hyper::server::conn::http1::Builder::new()
                            .serve_connection(TokioIo::new(stream), service)
                            .await;
                    });
                }
            }
        }
        connections.shutdown().await;
    })
}

async fn handle(sim: Arc<Sim>, router: Router, req: Request<Incoming>) -> Result<Response<Body>, DropConnection> {
    let started = Instant::now();
    let method = req.method().to_string();
    let path = req.uri().path().to_string();
    let request_id = new_request_id();
    let admin = path.starts_with("/__sim");
    if let Some(refusal) = gate(&sim, &req, admin) {
        let mut response = with_request_id(request_id.clone(), async move { refusal.into_response() }).await;
        finish_headers(&mut response, &request_id, None);
        return Ok(response);
    }
    let fault = if admin {
        None
    } else {
        sim.stats.call(&method, &path);
        sim.faults.take(&method, &path)
    };
    if let Some(rule) = &fault {
        if rule.delay_ms > 0 {
            tokio::time::sleep(Duration::from_millis(rule.delay_ms)).await;
        }
    }
    let action = fault.as_ref().map(|r| r.action.clone());
    let outcome = match action {
        Some(FaultAction::Respond { status, body }) => Ok(fault_response(status, &body, &request_id)),
        Some(FaultAction::ResetBeforeHandling) => Err(DropConnection),
        _ => {
            let response = dispatch(&sim, router, req, &path, &request_id).await;
            match action {
                Some(FaultAction::ResetAfterHandling) => {
                    // The handler ran; let its effects land, then hang up without answering.
                    drop(response);
                    Err(DropConnection)
                }
                Some(FaultAction::ResetAfterBytes(n)) => Ok(cut(response, Cut::Bytes(n))),
                Some(FaultAction::CutSseAfterEvents(n)) => Ok(cut(response, Cut::Events(n))),
                _ => Ok(response),
            }
        }
    };
    let outcome = outcome.map(|mut response| {
        finish_headers(&mut response, &request_id, fault.as_ref());
        response
    });
    if sim.config.log_requests {
        let status = match &outcome {
            Ok(r) => r.status().as_u16().to_string(),
            Err(_) => "reset".to_string(),
        };
        // The path only: query strings may hold an `api_key`.
        tracing::info!(target: "superdocs_sim::requests", "{method} {path} {status} {}ms", started.elapsed().as_millis());
    }
    outcome
}

/// Who may talk to this server at all: a request naming another host (DNS rebinding) is refused, and
/// the admin API exists only when configured, and never for a browser (which always sends `Origin` on
/// a POST, even a "simple" text/plain one a web page may send anywhere).
fn gate<B>(sim: &Sim, req: &Request<B>, admin: bool) -> Option<ApiError> {
    if sim.config.loopback_host_only
        && !req.headers().get(header::HOST).and_then(|h| h.to_str().ok()).is_some_and(is_loopback_host)
    {
        return Some(ApiError::detail(
            StatusCode::FORBIDDEN,
            "This server answers on a loopback address only (localhost, 127.0.0.1, [::1]).",
        ));
    }
    if admin && (!sim.config.admin_api || req.headers().contains_key(header::ORIGIN)) {
        return Some(ApiError::not_found("Not Found"));
    }
    None
}

/// `localhost`, `127.x.y.z` or `[::1]`, with or without a port.
pub fn is_loopback_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(v6) => match v6.split_once(']') {
            Some((ip, rest)) if rest.is_empty() || rest.starts_with(':') => ip,
            _ => return false,
        },
        None => host.rsplit_once(':').map_or(host, |(name, _)| name),
    };
    name.eq_ignore_ascii_case("localhost") || name.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn finish_headers(response: &mut Response<Body>, request_id: &str, fault: Option<&FaultRule>) {
    let headers = response.headers_mut();
    headers.insert("x-request-id", HeaderValue::from_str(request_id).unwrap());
    if let Some(value) = fault.and_then(|r| r.retry_after.as_deref()) {
        if let Ok(v) = HeaderValue::from_str(value) {
            headers.insert(header::RETRY_AFTER, v);
        }
    }
}

async fn dispatch(
    sim: &Arc<Sim>,
    router: Router,
    req: Request<Incoming>,
    path: &str,
    request_id: &str,
) -> Response<Body> {
    let cap = path.starts_with("/v1/").then_some(sim.config.transport_cap_bytes);
    let declared =
        req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    let meter = BodyMeter::new(cap);
    let (mut parts, body) = req.into_parts();
    parts.extensions.insert(meter.clone());
    let body = MeteredBody { inner: body, meter: meter.clone(), sim: sim.clone(), path: path.to_string(), reported: 0 };
    if let (Some(cap), Some(len)) = (cap, declared) {
        if len > cap {
            crate::extract::drain(Body::new(body)).await;
            return with_request_id(request_id.to_string(), async {
                ApiError::request_too_large(len, cap).into_response()
            })
            .await;
        }
    }
    let req = Request::from_parts(parts, Body::new(body));
    let response = with_request_id(request_id.to_string(), router.oneshot(req)).await.unwrap_or_else(|e| match e {});
    with_request_id(request_id.to_string(), json_error_body(response)).await
}

/// Gives framework-made error responses (405, plain-text rejections) the JSON `detail` shape.
async fn json_error_body(response: Response<Body>) -> Response<Body> {
    let status = response.status();
    if status.is_success()
        || response.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"application/json"))
    {
        return response;
    }
    let is_text =
        response.headers().get(header::CONTENT_TYPE).map_or(true, |v| v.as_bytes().starts_with(b"text/plain"));
    if !is_text || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let (parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, 64 * 1024).await.unwrap_or_default();
    let text = String::from_utf8_lossy(&text).trim().to_string();
    let detail = if text.is_empty() { status.canonical_reason().unwrap_or("Error").to_string() } else { text };
    let mut rebuilt = ApiError::detail(status, detail).into_response();
    for (name, value) in parts.headers.iter() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            rebuilt.headers_mut().insert(name.clone(), value.clone());
        }
    }
    rebuilt
}

fn fault_response(status: u16, body: &crate::faults::FaultBody, request_id: &str) -> Response<Body> {
    let (content_type, bytes) = body.render(status, request_id);
    let mut response = Response::new(Body::from(bytes));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if let Some(ct) = content_type {
        response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
    }
    response
}

/// Counts request body bytes for the stats and enforces the transport cap on bodies of unknown length.
struct MeteredBody {
    inner: Incoming,
    meter: Arc<BodyMeter>,
    sim: Arc<Sim>,
    path: String,
    reported: u64,
}

impl HttpBody for MeteredBody {
    type Data = Bytes;
    type Error = Box<dyn std::error::Error + Send + Sync>;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                if let Some(data) = frame.data_ref() {
                    let total = this.meter.received.fetch_add(data.len() as u64, Ordering::Relaxed) + data.len() as u64;
                    if this.meter.cap.is_some_and(|cap| total > cap) {
                        this.meter.over_cap.store(true, Ordering::Relaxed);
                        return Poll::Ready(Some(Err("request body over the transport cap".into())));
                    }
                }
                Poll::Ready(Some(Ok(frame)))
            }
            Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(Box::new(e)))),
            other => other.map(|o| o.map(|r| r.map_err(|e| Box::new(e) as _))),
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

impl Drop for MeteredBody {
    fn drop(&mut self) {
        let total = self.meter.received.load(Ordering::Relaxed);
        self.sim.stats.bytes(&self.path, total - self.reported);
        self.reported = total;
    }
}

enum Cut {
    Bytes(u64),
    Events(u32),
}

/// A response body that stops after some bytes or SSE events and then fails, so hyper drops the
/// connection. It pauses briefly before failing so what was sent is flushed first.
struct CutBody {
    inner: Body,
    cut: Cut,
    sent_bytes: u64,
    sent_events: u32,
    pause: Option<Pin<Box<tokio::time::Sleep>>>,
}

fn cut(response: Response<Body>, cut: Cut) -> Response<Body> {
    response.map(|inner| Body::new(CutBody { inner, cut, sent_bytes: 0, sent_events: 0, pause: None }))
}

impl CutBody {
    fn reached(&self) -> bool {
        match self.cut {
            Cut::Bytes(n) => self.sent_bytes >= n,
            Cut::Events(n) => self.sent_events >= n,
        }
    }
}

impl HttpBody for CutBody {
    type Data = Bytes;
    type Error = Box<dyn std::error::Error + Send + Sync>;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = &mut *self;
        if this.reached() {
            let pause = this.pause.get_or_insert_with(|| Box::pin(tokio::time::sleep(Duration::from_millis(30))));
            return match pause.as_mut().poll(cx) {
                Poll::Ready(()) => Poll::Ready(Some(Err(Box::new(DropConnection)))),
                Poll::Pending => Poll::Pending,
            };
        }
        match Pin::new(&mut this.inner).poll_frame(cx) {
            Poll::Ready(Some(Ok(frame))) => {
                let Ok(mut data) = frame.into_data() else { return Poll::Ready(Some(Ok(Frame::data(Bytes::new())))) };
                match this.cut {
                    Cut::Bytes(n) => {
                        let room = n - this.sent_bytes;
                        if data.len() as u64 > room {
                            data.truncate(room as usize);
                        }
                        this.sent_bytes += data.len() as u64;
                    }
                    Cut::Events(_) => {
                        if is_sse_event(&data) {
                            this.sent_events += 1;
                        }
                    }
                }
                Poll::Ready(Some(Ok(Frame::data(data))))
            }
            Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(e.into()))),
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        }
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

/// The stream writes one event per chunk; comments (`: keep-alive`) are not events.
fn is_sse_event(chunk: &[u8]) -> bool {
    chunk.starts_with(b"id:") || chunk.starts_with(b"event:") || chunk.starts_with(b"data:")
}
