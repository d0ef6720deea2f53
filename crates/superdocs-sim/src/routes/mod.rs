//! The HTTP routes, one module per area of docs/superdocs-api.md §3, plus the `/__sim` admin API.
use axum::extract::DefaultBodyLimit;
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use serde_json::json;
use std::sync::Arc;

use crate::errors::ApiError;
use crate::state::Sim;

pub mod admin;
pub mod attachments;
pub mod chat;
pub mod exports;
pub mod jobs;
pub mod sessions;
pub mod sse;
pub mod templates;
pub mod uploads;

pub fn router(sim: Arc<Sim>) -> Router {
    Router::new()
        .route("/health", get(|| async { Json(json!({ "status": "healthy" })) }))
        .route("/v1/sessions", get(sessions::list))
        .route("/v1/sessions/{sid}/history", get(sessions::history))
        .route("/v1/sessions/{sid}/jobs", get(sessions::jobs))
        .route("/v1/sessions/{sid}/revert", post(sessions::revert))
        .route("/v1/chat", post(chat::sync_chat))
        .route("/v1/chat/async", post(chat::async_chat))
        .route("/v1/chat/{sid}/stream", get(sse::stream))
        .route("/v1/chat/{sid}/approve", post(chat::approve))
        .route("/v1/jobs", get(jobs::list))
        .route("/v1/jobs/{id}", get(jobs::get))
        .route("/v1/jobs/{id}/cancel", post(jobs::cancel))
        .route("/v1/documents/upload", post(uploads::document))
        .route("/v1/attachments/upload", post(attachments::upload))
        .route("/v1/attachments/status/{sid}", get(attachments::status))
        .route("/v1/attachments/{id}", delete(attachments::delete))
        .route("/v1/uploads", post(uploads::create))
        .route("/v1/uploads/{id}/process", post(uploads::process))
        .route("/storage/uploads/{id}", put(uploads::put))
        .route("/v1/documents/export", post(exports::export))
        .route("/v1/documents/export/email-request", post(exports::email_request))
        .route("/v1/downloads", post(exports::downloads))
        .route("/storage/downloads/{token}", get(exports::serve_download))
        .route("/v1/templates/upload-base64", post(templates::upload))
        .nest("/__sim", admin::router())
        .fallback(|| async { ApiError::not_found("Not Found") })
        // Bodies are streamed and capped by the server itself (transport cap, per-file caps).
        .layer(DefaultBodyLimit::disable())
        .with_state(sim)
}
