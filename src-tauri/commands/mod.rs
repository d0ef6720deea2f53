//! The IPC commands of ui/src/lib/ipc.ts, one module per area. Each maps onto the core and returns
//! the core's `Error` (serialized as error-handling.md §4) on failure.

pub mod chat;
pub mod export;
pub mod files;
pub mod profiles;
pub mod sessions;
pub mod settings;
pub mod support;
pub mod update;
