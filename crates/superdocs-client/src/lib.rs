//! The SuperDocs client core. Knows nothing of Tauri: the desktop app and the CLI are two hosts of it.
//!
//! Modules, one idea each:
//! - `error`: the one error type every layer passes up (docs/error-handling.md §4)
//! - `retry`: the one retry executor (full jitter, Retry-After, budget, cancellation)
//! - `redact`: keeps API keys out of every echoed URL, header, body and log line
//! - `http`: the HTTP layer (request ids, user agent, timeouts, response → error mapping)
//! - `types`: the wire types of the SuperDocs API
//! - `api`: every operation of the API, typed
//! - `progress`: throttled transfer progress
//! - `upload`: routing and streaming of uploads
//! - `export`: exports, the emailed fallback and safe downloads
//! - `sse_frames`: the WHATWG event-stream parser (bytes in, events out)
//! - `sse`: typed job events and the resuming job stream
//! - `credentials`: profiles and keys in the OS keyring
//! - `store`: durable local state in SQLite
//! - `event_queue`: the tracker's fan-out: every event to every subscriber, back-pressure, no drops
//! - `tracker`: follows many jobs at once and emits typed events
//! - `open_policy`: what may navigate the window or go to the system opener
//! - `path_grants`: the paths the user handed to the app, the only ones the page may name
//! - `local_files`: the app's private folders and the texts it saves for upload
//! - `layout`: the data folder both hosts share (docs/data-layout.md)
//! - `host`: what a host does for the background services (events, notifications)
//! - `upload_queue`: the upload queue both hosts share (ids, durable record, retry, follow-up)
//! - `profiles`: profiles, keys and the active connection; usage per profile
//! - `settings`: the app's settings, stored in the shared store

// `Error` is the product's one serializable error value (docs/error-handling.md §4), passed up whole to
// the UI and the CLI; error paths are not hot, so it is not boxed.
#![allow(clippy::result_large_err)]

pub mod api;
pub mod error;
pub mod export;
pub mod http;
pub mod input_rules;
pub mod network;
pub mod progress;
pub mod redact;
pub mod retry;
pub mod types;
pub mod upload;

pub mod credentials;
pub mod event_queue;
pub mod sse;
pub mod sse_frames;
pub mod store;
pub mod tracker;

pub mod local_files;
pub mod open_policy;
pub mod path_grants;

pub mod host;
pub mod layout;
pub mod profiles;
pub mod settings;
pub mod upload_queue;

/// A poisoned lock only means another thread panicked while holding it; the data behind it is still usable.
pub fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

pub use api::{ApiKey, Client, ClientConfig};
pub use error::{Error, ErrorKind, Limits, Operation, OperationKind, Result, SuggestedAction};
