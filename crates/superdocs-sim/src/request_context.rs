//! The id of the request being handled, visible to every handler without threading it through.
use crate::ids;

tokio::task_local! {
    static REQUEST_ID: String;
}

pub async fn with_request_id<F: std::future::Future>(id: String, fut: F) -> F::Output {
    REQUEST_ID.scope(id, fut).await
}

/// The current request's id (`req_<hex>`), or a fresh one outside a request (background jobs).
pub fn current_request_id() -> String {
    REQUEST_ID.try_with(|id| id.clone()).unwrap_or_else(|_| new_request_id())
}

pub fn new_request_id() -> String {
    format!("req_{}", ids::hex(12))
}
