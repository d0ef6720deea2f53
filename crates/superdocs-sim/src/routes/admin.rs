//! The `/__sim` admin API: the library handle's controls over HTTP, for the app's end-to-end tests.
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;

use crate::errors::{ApiError, ApiResult};
use crate::extract::ApiJson;
use crate::faults::FaultRule;
use crate::state::Sim;

pub fn router() -> Router<Arc<Sim>> {
    Router::new()
        .route("/faults", post(add_fault).delete(clear_faults).get(list_faults))
        .route("/stats", get(stats))
        .route("/stats/reset", post(reset_stats))
        .route("/outbox", get(outbox))
        .route("/accounts/usage", post(set_usage))
        .route("/sessions/legacy", post(seed_legacy))
        .route("/review", post(set_review).get(get_review))
}

#[derive(Deserialize)]
struct ReviewRequest {
    announce: crate::config::ReviewAnnounce,
}

/// How review turns announce their changes: `{"announce": "batch" | "one_by_one" | "one_by_one_untotalled"}`.
async fn set_review(State(sim): State<Arc<Sim>>, ApiJson(body): ApiJson<ReviewRequest>) -> Json<Value> {
    *sim.review_announce.lock().unwrap() = body.announce;
    Json(json!({ "announce": body.announce }))
}

async fn get_review(State(sim): State<Arc<Sim>>) -> Json<Value> {
    Json(json!({ "announce": *sim.review_announce.lock().unwrap() }))
}

/// One rule or a list of rules.
#[derive(Deserialize)]
#[serde(untagged)]
enum Rules {
    One(FaultRule),
    Many(Vec<FaultRule>),
}

async fn add_fault(State(sim): State<Arc<Sim>>, ApiJson(rules): ApiJson<Rules>) -> (StatusCode, Json<Value>) {
    let rules = match rules {
        Rules::One(r) => vec![r],
        Rules::Many(rs) => rs,
    };
    let added = rules.len();
    for rule in rules {
        sim.faults.add(rule);
    }
    (StatusCode::CREATED, Json(json!({ "added": added, "active": sim.faults.list() })))
}

async fn clear_faults(State(sim): State<Arc<Sim>>) -> StatusCode {
    sim.faults.clear();
    StatusCode::NO_CONTENT
}

async fn list_faults(State(sim): State<Arc<Sim>>) -> Json<Value> {
    Json(json!({ "active": sim.faults.list() }))
}

async fn stats(State(sim): State<Arc<Sim>>) -> Json<crate::stats::Stats> {
    Json(sim.stats.snapshot())
}

async fn reset_stats(State(sim): State<Arc<Sim>>) -> StatusCode {
    sim.stats.reset();
    StatusCode::NO_CONTENT
}

async fn outbox(State(sim): State<Arc<Sim>>) -> Json<Value> {
    Json(json!({ "emails": sim.world.lock().unwrap().outbox }))
}

#[derive(Deserialize)]
struct UsageRequest {
    /// The account's key; None = the first account.
    key: Option<String>,
    monthly_used: u64,
}

async fn set_usage(State(sim): State<Arc<Sim>>, ApiJson(body): ApiJson<UsageRequest>) -> ApiResult<Json<Value>> {
    let key = body.key.unwrap_or_else(|| sim.config.keys[0].clone());
    let mut world = sim.world.lock().unwrap();
    let account = world.accounts.get_mut(&key).ok_or_else(|| ApiError::not_found("Account not found"))?;
    account.monthly_used = body.monthly_used;
    let usage = world.usage_of(&key, sim.config.monthly_limit);
    Ok(Json(usage))
}

#[derive(Deserialize)]
struct LegacyRequest {
    key: Option<String>,
    session_id: String,
    messages: Vec<String>,
}

async fn seed_legacy(State(sim): State<Arc<Sim>>, ApiJson(body): ApiJson<LegacyRequest>) -> ApiResult<StatusCode> {
    let key = body.key.unwrap_or_else(|| sim.config.keys[0].clone());
    let messages: Vec<&str> = body.messages.iter().map(String::as_str).collect();
    let mut world = sim.world.lock().unwrap();
    crate::routes::sessions::seed_legacy_turns(&mut world, &key, &body.session_id, &messages)?;
    Ok(StatusCode::CREATED)
}
