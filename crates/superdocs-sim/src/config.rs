//! Every limit and pace of the simulator. Defaults follow docs/superdocs-api.md §2, except the job pace,
//! which is quick so tests run in milliseconds (the binary sets a lively demo pace).
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

pub const MIB: u64 = 1024 * 1024;

#[derive(Debug, Clone)]
pub struct SimConfig {
    /// Where to listen; port 0 picks a free one.
    pub addr: SocketAddr,
    /// API keys, one account each (`sk_` + 32 hex). Empty: one key is generated.
    pub keys: Vec<String>,
    /// Billable operations per account and month.
    pub monthly_limit: u64,
    /// Largest request body on `/v1/*` (413 `request_too_large`, shape 4).
    pub transport_cap_bytes: u64,
    /// Largest file of a direct document / attachment / template upload.
    pub upload_cap_bytes: u64,
    /// Largest file sent through the pre-signed flow (`/v1/uploads`).
    pub presigned_cap_bytes: u64,
    /// Largest rendered export (413 `document_too_large`, shape 3).
    pub export_cap_bytes: u64,
    /// Wall-clock cap of one chat turn (504 sync, failed job async).
    pub chat_timeout: Duration,
    /// How long a finished job stays readable before `Job not found`.
    pub job_retention: Duration,
    pub presigned_upload_ttl: Duration,
    pub presigned_download_ttl: Duration,
    /// Pace of a job between two progress events.
    pub job_step_delay: Duration,
    /// Interval of `: keep-alive` comments on an idle SSE stream.
    pub keep_alive: Duration,
    /// One log line per request (tracing, target `superdocs_sim::requests`).
    pub log_requests: bool,
    /// Bench knob: when set, a txt/html export (and its download link) streams a synthetic body of exactly
    /// this many bytes (the document's text repeated) instead of rendering, so a client's large-download
    /// benchmark needs no giant session. The export cap still applies: raise `export_cap_bytes` too.
    pub bench_export_bytes: Option<u64>,
    /// Where uploaded and rendered files are kept; None = a temp dir removed at shutdown.
    pub storage_dir: Option<PathBuf>,
    /// Serve the `/__sim` admin API (faults, stats, usage, seeding) on the same listener. On for the
    /// binary and tests; the app's in-process demo turns it off: any local process could use it.
    pub admin_api: bool,
    /// Answer only requests whose `Host` is a loopback name (localhost, 127.0.0.1, [::1]), so a web
    /// page that points its own DNS name at 127.0.0.1 (DNS rebinding) reaches nothing.
    pub loopback_host_only: bool,
    /// How a review turn announces its proposed changes (changeable at run time: `POST /__sim/review`).
    pub review_announce: ReviewAnnounce,
}

/// How a review turn tells the client that it waits for decisions. Every shape sets the job to
/// `awaiting_approval` with its `pending_changes`; they differ in the events.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewAnnounce {
    /// Each change as `proposed_change`, then one `proposed_change_batch` (the documented shape).
    #[default]
    Batch,
    /// Each change as `proposed_change` carrying `batch_id` / `batch_total`; no batch event.
    OneByOne,
    /// Each change as `proposed_change` without batch fields; only the job resource says it waits.
    OneByOneUntotalled,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            keys: Vec::new(),
            monthly_limit: 500,
            transport_cap_bytes: 32 * MIB,
            upload_cap_bytes: 50 * MIB,
            presigned_cap_bytes: 104_857_600,
            export_cap_bytes: 104_857_600,
            chat_timeout: Duration::from_secs(30 * 60),
            job_retention: Duration::from_secs(60 * 60),
            presigned_upload_ttl: Duration::from_secs(5 * 60),
            presigned_download_ttl: Duration::from_secs(15 * 60),
            job_step_delay: Duration::from_millis(5),
            keep_alive: Duration::from_secs(15),
            log_requests: false,
            bench_export_bytes: None,
            storage_dir: None,
            admin_api: true,
            loopback_host_only: true,
            review_announce: ReviewAnnounce::Batch,
        }
    }
}
