//! One module per command group; each returns the exit code of a success or the error.

mod auth;
mod chat;
mod export;
mod jobs;
mod sessions;
mod upload;

use superdocs_client::Result;

use crate::cli::Command;
use crate::context::Context;

pub async fn run(ctx: &Context, command: Command) -> Result<u8> {
    match command {
        Command::Auth(c) => auth::run(ctx, c).await,
        Command::Sessions { limit } => sessions::list(ctx, limit).await,
        Command::History { session } => sessions::history(ctx, &session).await,
        Command::Revert { session, turn } => sessions::revert(ctx, &session, turn).await,
        Command::Upload(a) => upload::run(ctx, a).await,
        Command::Chat(a) => chat::run(ctx, a).await,
        Command::Jobs { command } => jobs::run(ctx, command).await,
        Command::Export(a) => export::run(ctx, a).await,
    }
}

/// A wire enum from the string clap already checked against its list.
pub fn wire<T: serde::de::DeserializeOwned>(s: &str) -> T {
    serde_json::from_value(serde_json::Value::String(s.to_string()))
        .expect("clap restricts the values to the wire names")
}
