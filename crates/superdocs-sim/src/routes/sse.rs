//! The SSE progress stream of a job (docs/superdocs-api.md §4): replays the job's event log after
//! `last_sequence`, follows it live with keep-alive comments, and closes after the end.
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::Response;
use bytes::Bytes;
use serde_json::json;
use std::convert::Infallible;
use std::sync::Arc;
use tokio::sync::mpsc;

use crate::accounts::authenticate;
use crate::errors::{ApiResult, MSG_JOB_NOT_FOUND};
use crate::extract::{query_u64, required_query, QueryMap};
use crate::jobs::JobEvent;
use crate::state::Sim;

pub fn frame(sequence: u64, name: &str, data: &serde_json::Value) -> Bytes {
    Bytes::from(format!("id: {sequence}\nevent: {name}\ndata: {data}\n\n"))
}

pub async fn stream(
    State(sim): State<Arc<Sim>>,
    Path(_sid): Path<String>,
    Query(q): Query<QueryMap>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let header = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    let caller = authenticate(&sim, header, q.get("api_key").map(String::as_str))?;
    let job_id = required_query(&q, "job_id")?.to_string();
    // `last_sequence` is the contract's resume; a browser-style `Last-Event-ID` works too.
    let last_event_id = headers.get("last-event-id").and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse().ok());
    let mut cursor = query_u64(&q, "last_sequence")?.or(last_event_id).unwrap_or(0);

    let signals = {
        let mut world = sim.world.lock().unwrap();
        match world.job_mut(caller.key(), &job_id, sim.config.job_retention) {
            Ok(job) => Some(job.signals.clone()),
            Err(e) if e.status == axum::http::StatusCode::FORBIDDEN => return Err(e),
            Err(_) => None,
        }
    };

    let (tx, rx) = mpsc::channel::<Bytes>(64);
    match signals {
        None => {
            // The contract reports a missing job inside the stream.
            let _ = tx.try_send(frame(cursor + 1, "error", &json!({ "type": "error", "error": MSG_JOB_NOT_FOUND })));
            drop(tx);
        }
        Some(signals) => {
            let sim2 = sim.clone();
            sim.spawn(async move {
                let mut changed = signals.changed.subscribe();
                loop {
                    changed.borrow_and_update();
                    let (events, finished) = {
                        let world = sim2.world.lock().unwrap();
                        match world.jobs.get(&job_id) {
                            None => (Vec::new(), true),
                            Some(job) => {
                                let events: Vec<JobEvent> =
                                    job.events.iter().filter(|e| e.sequence > cursor).cloned().collect();
                                (events, job.status.is_terminal())
                            }
                        }
                    };
                    for event in events {
                        cursor = event.sequence;
                        if tx.send(frame(event.sequence, event.name, &event.data)).await.is_err() {
                            return;
                        }
                    }
                    if finished {
                        return;
                    }
                    tokio::select! {
                        r = changed.changed() => if r.is_err() { return },
                        _ = tokio::time::sleep(sim2.config.keep_alive) => {
                            if tx.send(Bytes::from_static(b": keep-alive\n\n")).await.is_err() {
                                return;
                            }
                        }
                    }
                }
            });
        }
    }
    let body = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|chunk| (Ok::<_, Infallible>(chunk), rx))
    });
    let mut response = Response::new(Body::from_stream(body));
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/event-stream"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert("x-accel-buffering", HeaderValue::from_static("no"));
    Ok(response)
}
