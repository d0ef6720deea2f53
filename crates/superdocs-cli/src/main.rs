//! `superdocs`: the SuperDocs command-line client, a thin host of `superdocs-client`.

mod cli;
mod commands;
mod context;
mod exit_code;
mod follow;
mod output;

use std::process::ExitCode;

use clap::Parser;
use superdocs_client::retry::CallOptions;
use tokio_util::sync::CancellationToken;

use crate::cli::Cli;
use crate::context::Context;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { exit_code::USAGE } else { exit_code::OK });
        }
    };
    let level = match cli.global.verbose {
        0 => "warn",
        1 => "info",
        _ => "debug",
    };
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_env("SUPERDOCS_LOG").unwrap_or_else(|_| level.into()))
        .with_writer(std::io::stderr)
        .init();

    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("tokio runtime");
    let json = cli.global.json;
    let cancel = CancellationToken::new();
    let ctx = Context::new(cli.global, CallOptions::with_cancel(cancel.clone()));
    let code = runtime.block_on(async {
        let ctrl_c = cancel.clone();
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                ctrl_c.cancel();
            }
        });
        match commands::run(&ctx, cli.command).await {
            Ok(code) => code,
            Err(e) => {
                output::error(json, &e);
                exit_code::for_error(&e)
            }
        }
    });
    ExitCode::from(code)
}
