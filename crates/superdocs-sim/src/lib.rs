//! superdocs-sim: a local, stateful, fault-injectable server that speaks the SuperDocs HTTP API
//! (see docs/superdocs-api.md). Start one with [`SimHandle::start`]; the binary
//! `superdocs-sim` serves the same thing for the demo and end-to-end tests.

mod accounts;
mod config;
mod documents;
mod errors;
mod extract;
mod faults;
mod files;
mod glob;
mod handle;
mod ids;
mod jobs;
mod request_context;
mod routes;
mod server;
mod state;
mod stats;
mod storage;
mod turn;

pub use config::{ReviewAnnounce, SimConfig, MIB};
pub use faults::{FaultAction, FaultBody, FaultRule};
pub use handle::SimHandle;
pub use ids::{new_api_key, redact_key};
pub use server::is_loopback_host;
pub use state::Email;
pub use stats::{Stats, KEY_SEPARATOR};
