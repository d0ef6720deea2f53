//! `superdocs-sim`: the local SuperDocs-compatible server for the offline demo and end-to-end tests.
use clap::Parser;
use std::net::SocketAddr;
use std::time::Duration;
use superdocs_sim::{redact_key, SimConfig, SimHandle};

#[derive(Parser, Debug)]
#[command(name = "superdocs-sim", version, about = "A local, stateful, fault-injectable SuperDocs API server")]
struct Args {
    /// Address to listen on (port 0 = any free port).
    #[arg(long, default_value = "127.0.0.1:8787")]
    addr: SocketAddr,
    /// An API key (sk_ + 32 hex); repeat for more accounts. None: a demo key is generated and printed.
    #[arg(long = "key", value_name = "SK_KEY")]
    keys: Vec<String>,
    /// Billable operations per account and month.
    #[arg(long, default_value_t = 500)]
    monthly_limit: u64,
    /// Largest request body on /v1/* (413 request_too_large).
    #[arg(long, default_value_t = 33_554_432)]
    transport_cap_bytes: u64,
    /// Largest file of a direct upload.
    #[arg(long, default_value_t = 52_428_800)]
    upload_cap_bytes: u64,
    /// Largest file of a pre-signed upload.
    #[arg(long, default_value_t = 104_857_600)]
    presigned_cap_bytes: u64,
    /// Largest rendered export (413 document_too_large).
    #[arg(long, default_value_t = 104_857_600)]
    export_cap_bytes: u64,
    /// Wall-clock cap of a chat turn, in seconds.
    #[arg(long, default_value_t = 1800)]
    chat_timeout_secs: u64,
    /// How long finished jobs stay readable, in seconds.
    #[arg(long, default_value_t = 3600)]
    job_retention_secs: u64,
    /// Lifetime of a pre-signed upload URL, in seconds.
    #[arg(long, default_value_t = 300)]
    presigned_upload_ttl_secs: u64,
    /// Lifetime of a pre-signed download URL, in seconds.
    #[arg(long, default_value_t = 900)]
    presigned_download_ttl_secs: u64,
    /// Pace of a chat job between progress events, in milliseconds.
    #[arg(long, default_value_t = 400)]
    job_step_delay_ms: u64,
    /// Interval of SSE keep-alive comments, in seconds.
    #[arg(long, default_value_t = 15)]
    keep_alive_secs: u64,
    /// Bench knob: txt/html exports and html download links stream this many synthetic bytes.
    #[arg(long)]
    bench_export_bytes: Option<u64>,
    /// Keep uploaded and rendered files here instead of a temp dir.
    #[arg(long)]
    storage_dir: Option<std::path::PathBuf>,
    /// No per-request log lines.
    #[arg(long)]
    quiet: bool,
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .with_target(false)
        .with_ansi(false)
        .with_writer(std::io::stderr)
        .init();
    let generated = args.keys.is_empty();
    let config = SimConfig {
        addr: args.addr,
        keys: if generated { vec![superdocs_sim::new_api_key()] } else { args.keys },
        monthly_limit: args.monthly_limit,
        transport_cap_bytes: args.transport_cap_bytes,
        upload_cap_bytes: args.upload_cap_bytes,
        presigned_cap_bytes: args.presigned_cap_bytes,
        export_cap_bytes: args.export_cap_bytes,
        chat_timeout: Duration::from_secs(args.chat_timeout_secs),
        job_retention: Duration::from_secs(args.job_retention_secs),
        presigned_upload_ttl: Duration::from_secs(args.presigned_upload_ttl_secs),
        presigned_download_ttl: Duration::from_secs(args.presigned_download_ttl_secs),
        job_step_delay: Duration::from_millis(args.job_step_delay_ms),
        keep_alive: Duration::from_secs(args.keep_alive_secs),
        log_requests: !args.quiet,
        bench_export_bytes: args.bench_export_bytes,
        storage_dir: args.storage_dir,
        // The tests' and scripts' admin API; a server bound beyond loopback is reached by other names.
        admin_api: true,
        loopback_host_only: args.addr.ip().is_loopback(),
        // As documented (a batch event); `POST /__sim/review` changes it while running.
        review_announce: Default::default(),
    };
    let sim = match SimHandle::start(config).await {
        Ok(sim) => sim,
        Err(e) => {
            eprintln!("superdocs-sim: {e}");
            std::process::exit(2);
        }
    };
    println!("superdocs-sim listening on {}", sim.base_url());
    if generated {
        // The one place a key is shown whole: the demo needs it to sign in.
        println!("demo API key: {}", sim.key());
    } else {
        let shown: Vec<String> = sim.keys().iter().map(|k| redact_key(k)).collect();
        println!("accounts: {}", shown.join(", "));
    }
    let _ = tokio::signal::ctrl_c().await;
    sim.shutdown().await;
}
