//! Accounts (one per API key), authentication and the monthly operation quota.
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde_json::{json, Value};
use std::sync::Arc;

use crate::errors::{ApiError, ApiResult, MSG_BAD_AUTH_HEADER, MSG_INVALID_KEY};
use crate::ids;
use crate::state::{Sim, World};

#[derive(Debug, Clone)]
pub struct Account {
    pub monthly_used: u64,
    /// Where e-mailed exports go when the request names no recipient.
    pub email: String,
}

impl Account {
    pub fn new(key: &str) -> Self {
        let tail: String = key.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
        Self { monthly_used: 0, email: format!("user-{tail}@example.com") }
    }
}

/// The plan a monthly limit belongs to (docs/superdocs-api.md §2 "plans").
fn tier(limit: u64) -> &'static str {
    match limit {
        0..=500 => "free",
        501..=2000 => "plus",
        2001..=10000 => "pro",
        _ => "enterprise",
    }
}

pub fn usage_json(used: u64, limit: u64, was_billable: bool) -> Value {
    json!({
        "monthly_used": used,
        "monthly_limit": limit,
        "monthly_remaining": limit.saturating_sub(used),
        "was_billable": was_billable,
        "subscription_tier": tier(limit),
    })
}

impl World {
    pub fn usage_of(&self, key: &str, limit: u64) -> Value {
        let used = self.accounts.get(key).map_or(0, |a| a.monthly_used);
        usage_json(used, limit, true)
    }

    /// Counts one billable operation, or refuses it with the 429 when the month's quota is used up.
    pub fn charge(&mut self, key: &str, limit: u64) -> ApiResult<u64> {
        let account = self.accounts.get_mut(key).ok_or_else(|| ApiError::unauthorized(MSG_INVALID_KEY))?;
        if account.monthly_used >= limit {
            return Err(ApiError::quota_exhausted(account.monthly_used, limit));
        }
        account.monthly_used += 1;
        Ok(account.monthly_used)
    }
}

/// The authenticated caller: the key of its account.
#[derive(Debug, Clone)]
pub struct Caller(pub String);

impl Caller {
    pub fn key(&self) -> &str {
        &self.0
    }
}

/// Checks a bearer header value (or a query `api_key`) against the known accounts.
pub fn authenticate(sim: &Sim, header: Option<&str>, query_key: Option<&str>) -> ApiResult<Caller> {
    let key = match (header, query_key) {
        (Some(h), _) => {
            let mut parts = h.splitn(2, ' ');
            let scheme = parts.next().unwrap_or("");
            let token = parts.next().unwrap_or("").trim();
            if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() {
                return Err(ApiError::unauthorized(MSG_BAD_AUTH_HEADER));
            }
            token.to_string()
        }
        (None, Some(q)) if !q.is_empty() => q.to_string(),
        _ => return Err(ApiError::unauthorized(MSG_BAD_AUTH_HEADER)),
    };
    if !ids::is_well_formed_key(&key) || !sim.world.lock().unwrap().accounts.contains_key(&key) {
        return Err(ApiError::unauthorized(MSG_INVALID_KEY));
    }
    Ok(Caller(key))
}

impl FromRequestParts<Arc<Sim>> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, sim: &Arc<Sim>) -> Result<Self, Self::Rejection> {
        let header = match parts.headers.get(axum::http::header::AUTHORIZATION) {
            Some(v) => Some(v.to_str().map_err(|_| ApiError::unauthorized(MSG_BAD_AUTH_HEADER))?),
            None => None,
        };
        authenticate(sim, header, None)
    }
}
