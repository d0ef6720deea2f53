//! Every operation of the SuperDocs API (docs/superdocs-api.md §3), typed, each run through the one retry
//! executor. Non-idempotent calls carry an `Idempotency-Key` (one per logical operation) and, where
//! the contract allows, reconcile after an ambiguous failure instead of resending blindly (§3 of
//! docs/error-handling.md). Uploads live in `upload`, exports in `export`.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;
use tokio::sync::Semaphore;
use url::Url;

use crate::error::{Error, ErrorKind, Operation, OperationKind, Result, SuggestedAction};
use crate::export::ExportLimits;
use crate::http::{validate_base_url, Http, Sent};
use crate::network::{DesktopProxy, Network};
use crate::redact;
use crate::retry::{CallOptions, Clock, Idempotency, RandomSource, Retrier, RetryPolicy, ThreadRandom, TokioClock};
use crate::types::*;
use crate::upload::UploadLimits;

/// An API key: `sk_` and 32 hex characters. Debug and Display show only `sk_…1a2b`.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

impl ApiKey {
    /// Checks the format locally; the message never repeats the key.
    pub fn parse(raw: &str) -> Result<Self> {
        let key = raw.trim();
        let ok = key.len() == 35 && key.starts_with("sk_") && key[3..].bytes().all(|b| b.is_ascii_hexdigit());
        if ok {
            Ok(ApiKey(key.to_string()))
        } else {
            Err(Error::local(
                ErrorKind::Auth,
                "That is not a SuperDocs API key: a key is \"sk_\" followed by 32 hexadecimal characters (0-9, a-f). Copy it again from your SuperDocs account.",
            )
            .with_action(SuggestedAction::ReenterKey))
        }
    }

    /// The key itself, for the Authorization header and the keyring only.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// `sk_…1a2b`.
    pub fn masked(&self) -> String {
        redact::mask_key(&self.0)
    }
}

impl FromStr for ApiKey {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        ApiKey::parse(s)
    }
}

impl std::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ApiKey({})", self.masked())
    }
}

impl std::fmt::Display for ApiKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.masked())
    }
}

/// Everything a [`Client`] needs. `ClientConfig::new` gives the product's defaults.
#[derive(Clone)]
pub struct ClientConfig {
    pub base_url: String,
    pub api_key: ApiKey,
    pub connect_timeout: Duration,
    /// Longest silence while reading an answer (not a total: transfers and streams may be long).
    pub read_timeout: Duration,
    pub retry_policy: RetryPolicy,
    pub clock: Arc<dyn Clock>,
    pub random: Arc<dyn RandomSource>,
    pub upload_limits: UploadLimits,
    pub export_limits: ExportLimits,
    /// How many uploads run at once; the rest wait in the queue.
    pub max_concurrent_uploads: usize,
    /// Proxy and extra certificate authorities (Settings → Advanced); the system's by default.
    pub network: Network,
    /// Where the system's proxy comes from when reqwest cannot read it (a Linux desktop's settings).
    pub desktop_proxy: Option<Arc<dyn DesktopProxy>>,
}

impl ClientConfig {
    pub fn new(base_url: impl Into<String>, api_key: ApiKey) -> Self {
        ClientConfig {
            base_url: base_url.into(),
            api_key,
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(60),
            retry_policy: RetryPolicy::default(),
            clock: Arc::new(TokioClock),
            random: Arc::new(ThreadRandom),
            upload_limits: UploadLimits::default(),
            export_limits: ExportLimits::default(),
            max_concurrent_uploads: 3,
            network: Network::default(),
            desktop_proxy: None,
        }
    }
}

impl std::fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientConfig")
            .field("base_url", &redact::text(&self.base_url))
            .field("api_key", &self.api_key)
            .field("connect_timeout", &self.connect_timeout)
            .field("read_timeout", &self.read_timeout)
            .field("retry_policy", &self.retry_policy)
            .field("upload_limits", &self.upload_limits)
            .field("export_limits", &self.export_limits)
            .field("max_concurrent_uploads", &self.max_concurrent_uploads)
            .field("network", &self.network.redacted())
            .field("desktop_proxy", &self.desktop_proxy.is_some())
            .finish()
    }
}

/// The SuperDocs client. Cheap to clone; clones share the connection pool, the retry budget and
/// the upload queue.
#[derive(Clone, Debug)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

#[derive(Debug)]
pub(crate) struct Inner {
    pub(crate) http: Http,
    pub(crate) retrier: Retrier,
    pub(crate) upload_limits: UploadLimits,
    pub(crate) export_limits: ExportLimits,
    pub(crate) upload_slots: Semaphore,
}

/// Whether the request carries the API key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Auth {
    Key,
    /// Pre-signed URLs and e-mailed links: the key must never go there.
    None,
}

/// A new `Idempotency-Key`, the same on every attempt of one logical operation.
pub(crate) fn new_idempotency_key() -> String {
    format!("idem_{:032x}", rand::random::<u128>())
}

/// What RFC 3986 keeps as is in a path segment here: the unreserved characters (ALPHA, DIGIT, `-._~`).
/// Everything else is percent-encoded, so `job_x` goes out as `job_x` and `a/b` cannot add a segment.
const SEGMENT: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// One id as a path segment. An id that is empty, `.` or `..`, or holds `/`, would name another
/// path once normalized (`GET /v1/sessions/../history` is `GET /v1/history`): refused before any request.
pub fn seg(id: &str) -> Result<String> {
    if id.is_empty() || id == "." || id == ".." || id.contains('/') || id.contains('\\') {
        let shown: String = id.chars().take(80).collect();
        return Err(Error::local(
            ErrorKind::Validation,
            format!("\"{shown}\" is not a valid id: an id cannot be empty, \".\" or \"..\", or contain \"/\". Check the id and try again."),
        ));
    }
    Ok(percent_encoding::utf8_percent_encode(id, SEGMENT).to_string())
}

/// Job and history timestamps compared with the moment an attempt began. Second-precision server
/// clocks round down, so a job created just after we began can look up to a second older.
/// The longest chat message the service takes, in characters (docs/superdocs-api.md §2).
pub const PROMPT_LIMIT_CHARS: u32 = 100_000;

const CLOCK_TOLERANCE: chrono::TimeDelta = chrono::TimeDelta::seconds(2);

pub(crate) fn created_since(ts: Option<&str>, began: DateTime<Utc>) -> bool {
    let Some(ts) = ts else { return false };
    let parsed = DateTime::parse_from_rfc3339(ts)
        .map(|d| d.with_timezone(&Utc))
        .or_else(|_| chrono::NaiveDateTime::from_str(ts).map(|n| n.and_utc()));
    parsed.is_ok_and(|t| t >= began - CLOCK_TOLERANCE)
}

impl Client {
    pub fn new(config: ClientConfig) -> Result<Self> {
        let base = validate_base_url(&config.base_url)?;
        let http = Http::new(
            base,
            config.api_key.clone(),
            config.connect_timeout,
            config.read_timeout,
            &config.network,
            config.desktop_proxy.as_ref(),
        )?;
        let retrier = Retrier::new(config.retry_policy.clone(), config.clock.clone(), config.random.clone());
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                retrier,
                upload_limits: config.upload_limits,
                export_limits: config.export_limits,
                upload_slots: Semaphore::new(config.max_concurrent_uploads.max(1)),
            }),
        })
    }

    /// The one retry executor of this client (the SSE stream's reconnects run under it too).
    pub fn retrier(&self) -> &Retrier {
        &self.inner.retrier
    }

    pub fn base_url(&self) -> &Url {
        self.inner.http.base()
    }

    pub fn http(&self) -> &Http {
        &self.inner.http
    }

    /// One call: JSON in (optional), JSON out, under the retry policy.
    pub(crate) async fn call<B, T>(
        &self,
        op: Operation,
        idem: Idempotency,
        opts: &CallOptions,
        method: Method,
        path: &str,
        body: Option<&B>,
    ) -> Result<T>
    where
        B: Serialize + ?Sized,
        T: DeserializeOwned,
    {
        let url = self.inner.http.url(path);
        // Every POST carries one (the same on each attempt): a server that honours it can drop a
        // duplicate even of calls the client itself may resend.
        let idem_key = (idem != Idempotency::Idempotent || method == Method::POST).then(new_idempotency_key);
        self.inner
            .retrier
            .run(&op, idem, opts, |_| {
                let rb = self.request(method.clone(), url.clone(), body, idem_key.as_deref());
                async move { Http::read_json(self.inner.http.send(rb, true).await?).await }
            })
            .await
    }

    /// A request builder with an optional JSON body and `Idempotency-Key`.
    pub(crate) fn request<B: Serialize + ?Sized>(
        &self,
        method: Method,
        url: Url,
        body: Option<&B>,
        idem_key: Option<&str>,
    ) -> reqwest::RequestBuilder {
        let mut rb = self.inner.http.client().request(method, url);
        if let Some(b) = body {
            rb = rb.json(b);
        }
        if let Some(k) = idem_key {
            rb = rb.header("Idempotency-Key", k);
        }
        rb
    }

    pub(crate) async fn get<T: DeserializeOwned>(&self, op: Operation, opts: &CallOptions, path: &str) -> Result<T> {
        self.call::<(), T>(op, Idempotency::Idempotent, opts, Method::GET, path, None).await
    }

    /// `GET /health` (no auth).
    pub async fn health(&self, opts: &CallOptions) -> Result<Health> {
        let url = self.inner.http.url("health");
        let op = Operation::new(OperationKind::Other, "Checking the service");
        self.inner
            .retrier
            .run(&op, Idempotency::Idempotent, opts, |_| {
                let rb = self.inner.http.client().get(url.clone());
                async move { Http::read_json(self.inner.http.send(rb, false).await?).await }
            })
            .await
    }

    /// Tests the key with the cheap `GET /v1/sessions?limit=1`: Ok = the key works.
    pub async fn check_key(&self, opts: &CallOptions) -> Result<()> {
        let op = Operation::new(OperationKind::KeyCheck, "Checking the API key");
        self.get::<serde_json::Value>(op, opts, "v1/sessions?limit=1").await.map(|_| ())
    }

    /// `GET /v1/sessions?limit=`.
    pub async fn sessions(&self, limit: Option<u32>, opts: &CallOptions) -> Result<Vec<SessionSummary>> {
        let path = match limit {
            Some(l) => format!("v1/sessions?limit={l}"),
            None => "v1/sessions".into(),
        };
        let list: SessionList =
            self.get(Operation::new(OperationKind::Sessions, "Listing sessions"), opts, &path).await?;
        Ok(list.sessions)
    }

    /// `GET /v1/sessions/{sid}/history`.
    pub async fn history(&self, session_id: &str, opts: &CallOptions) -> Result<History> {
        let op = Operation::new(OperationKind::History, "Opening the session").session(session_id);
        self.get(op, opts, &format!("v1/sessions/{}/history", seg(session_id)?)).await
    }

    /// `GET /v1/sessions/{sid}/jobs?limit=` (newest first).
    pub async fn session_jobs(&self, session_id: &str, limit: Option<u32>, opts: &CallOptions) -> Result<JobList> {
        let op = Operation::new(OperationKind::Jobs, "Listing the session's jobs").session(session_id);
        let mut path = format!("v1/sessions/{}/jobs", seg(session_id)?);
        if let Some(l) = limit {
            path.push_str(&format!("?limit={l}"));
        }
        self.get(op, opts, &path).await
    }

    /// `POST /v1/sessions/{sid}/revert`. A 409 comes back as `conflict` with `wait_for_job`.
    pub async fn revert(&self, session_id: &str, turn_index: i64, opts: &CallOptions) -> Result<RevertResponse> {
        let op = Operation::new(OperationKind::Revert, "Reverting the session").session(session_id);
        // Reverting to the same turn twice lands in the same state: safe to resend.
        let path = format!("v1/sessions/{}/revert", seg(session_id)?);
        self.call(op, Idempotency::Idempotent, opts, Method::POST, &path, Some(&RevertRequest { turn_index })).await
    }

    /// Checks a chat request locally before anything is sent.
    fn check_chat(req: &ChatRequest) -> Result<()> {
        if req.message.trim().is_empty() {
            return Err(Error::local(ErrorKind::Validation, "Type a message before sending."));
        }
        let chars = req.message.chars().count();
        if chars > PROMPT_LIMIT_CHARS as usize {
            return Err(Error::local(
                ErrorKind::PromptTooLong,
                format!("The message is {chars} characters; the limit is 100,000. Add the text as a document instead."),
            )
            .with_action(SuggestedAction::AddAsDocument));
        }
        validate_session_id(&req.session_id)
    }

    /// `POST /v1/chat`: a synchronous turn. Not resent after an ambiguous failure (it cannot be
    /// reconciled); chat runs async by default.
    pub async fn chat(&self, req: &ChatRequest, opts: &CallOptions) -> Result<ChatResponse> {
        Self::check_chat(req)?;
        let op = Operation::new(OperationKind::Chat, "Sending a message").session(&req.session_id);
        self.call(op, Idempotency::NotIdempotent, opts, Method::POST, "v1/chat", Some(req)).await
    }

    /// `POST /v1/chat/async`. After an ambiguous failure the next attempt first lists the session's
    /// jobs and adopts one with the same message created after this call began.
    pub async fn chat_async(&self, req: &ChatRequest, opts: &CallOptions) -> Result<ChatAccepted> {
        Self::check_chat(req)?;
        let op = Operation::new(OperationKind::Chat, "Sending a message").session(&req.session_id);
        let url = self.inner.http.url("v1/chat/async");
        let began = Utc::now();
        self.post_reconciled(&op, url, req, opts, move || async move {
            let Some(job) = self.find_submitted_chat(req, began).await? else { return Ok(None) };
            tracing::info!(job_id = %job.job_id, "adopted the chat job the lost attempt created");
            Ok(Some(ChatAccepted {
                job_id: job.job_id,
                session_id: job.session_id.unwrap_or_else(|| req.session_id.clone()),
                status: job.status,
                message: job.metadata.message,
            }))
        })
        .await
    }

    /// A POST that is not idempotent in the API (error-handling §3): one Idempotency-Key for every
    /// attempt, and after an ambiguous failure `reconcile` runs first; what it finds is the answer,
    /// and only when it finds nothing is the request sent again.
    async fn post_reconciled<B, R, F, Fut>(
        &self,
        op: &Operation,
        url: Url,
        body: &B,
        opts: &CallOptions,
        reconcile: F,
    ) -> Result<R>
    where
        B: Serialize + ?Sized,
        R: DeserializeOwned,
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<Option<R>>>,
    {
        let idem_key = new_idempotency_key();
        self.inner
            .retrier
            .run_reconciled(
                op,
                opts,
                |_| {
                    let rb = self.request(Method::POST, url.clone(), Some(body), Some(&idem_key));
                    async move { Http::read_json(self.inner.http.send(rb, true).await?).await }
                },
                reconcile,
            )
            .await
    }

    /// The chat job a lost attempt may have created: same message, created after `began`.
    async fn find_submitted_chat(&self, req: &ChatRequest, began: DateTime<Utc>) -> Result<Option<Job>> {
        let url = self.inner.http.url(&format!("v1/sessions/{}/jobs?limit=20", seg(&req.session_id)?));
        let list: JobList = match self.inner.http.send(self.inner.http.client().get(url), true).await {
            Ok(sent) => Http::read_json(sent).await?,
            // No such session yet: the lost attempt created nothing.
            Err(e) if e.kind == ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        Ok(list.jobs.into_iter().find(|j| {
            j.metadata.message.as_deref() == Some(req.message.as_str()) && created_since(j.created_at.as_deref(), began)
        }))
    }

    /// Opens `GET /v1/chat/{sid}/stream?job_id=..&last_sequence=..` with the key in the header (one
    /// attempt; wrap it in [`Client::retrier`] to reconnect under the policy). Returns the raw
    /// `text/event-stream` response, or the error built from a failed one.
    pub async fn open_job_stream(
        &self,
        session_id: &str,
        job_id: &str,
        last_sequence: Option<u64>,
    ) -> Result<reqwest::Response> {
        let mut url = self.inner.http.url(&format!("v1/chat/{}/stream", seg(session_id)?));
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("job_id", job_id);
            if let Some(s) = last_sequence {
                q.append_pair("last_sequence", &s.to_string());
            }
        }
        let rb = self.inner.http.client().get(url).header(reqwest::header::ACCEPT, "text/event-stream");
        let sent = self.inner.http.send(rb, true).await.map_err(|e| {
            e.with_operation(&Operation::new(OperationKind::Stream, "Following the job").session(session_id))
        })?;
        Ok(sent.response)
    }

    /// `POST /v1/chat/{sid}/approve`. After an ambiguous failure the job is read first: if it left
    /// `awaiting_approval`, the decision arrived and is not sent again.
    pub async fn approve(&self, session_id: &str, req: &ApproveRequest, opts: &CallOptions) -> Result<ApproveResponse> {
        let op = Operation::new(OperationKind::Approve, "Sending your decision").session(session_id);
        let url = self.inner.http.url(&format!("v1/chat/{}/approve", seg(session_id)?));
        self.post_reconciled(&op, url, req, opts, move || async move {
            let Some(job) = self.decision_arrived(&req.job_id).await? else { return Ok(None) };
            tracing::info!(job_id = %job.job_id, status = ?job.status, "the decision had arrived; not resending");
            Ok(Some(decision_from_job(req, &job)))
        })
        .await
    }

    /// Whether the job has left `awaiting_approval`. A server may flip the status a moment after
    /// it took the decision, so a job still waiting is read again a few times before concluding
    /// that the decision was lost.
    async fn decision_arrived(&self, job_id: &str) -> Result<Option<Job>> {
        for pause_ms in [0u64, 50, 150, 300] {
            tokio::time::sleep(Duration::from_millis(pause_ms)).await;
            let job = self.job_once(job_id).await?;
            if job.status != JobStatus::AwaitingApproval {
                return Ok(Some(job));
            }
        }
        Ok(None)
    }

    async fn job_once(&self, job_id: &str) -> Result<Job> {
        let url = self.inner.http.url(&format!("v1/jobs/{}", seg(job_id)?));
        Http::read_json(self.inner.http.send(self.inner.http.client().get(url), true).await?).await
    }

    /// `GET /v1/jobs?status=&limit=`.
    pub async fn jobs(&self, status: Option<JobStatus>, limit: Option<u32>, opts: &CallOptions) -> Result<JobList> {
        let mut url = self.inner.http.url("v1/jobs");
        {
            let mut q = url.query_pairs_mut();
            if let Some(s) = status {
                let s = serde_json::to_value(s).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default();
                q.append_pair("status", &s);
            }
            if let Some(l) = limit {
                q.append_pair("limit", &l.to_string());
            }
        }
        let path = format!("v1/jobs{}", url.query().map(|q| format!("?{q}")).unwrap_or_default());
        self.get(Operation::new(OperationKind::Jobs, "Listing jobs"), opts, &path).await
    }

    /// `GET /v1/jobs/{id}`.
    pub async fn job(&self, job_id: &str, opts: &CallOptions) -> Result<Job> {
        self.get(Operation::new(OperationKind::Jobs, "Reading the job"), opts, &format!("v1/jobs/{}", seg(job_id)?))
            .await
    }

    /// `POST /v1/jobs/{id}/cancel`. Cancelling twice is harmless, so it is resent like a GET.
    pub async fn cancel_job(&self, job_id: &str, opts: &CallOptions) -> Result<Job> {
        let op = Operation::new(OperationKind::CancelJob, "Cancelling the job");
        self.call::<(), Job>(
            op,
            Idempotency::Idempotent,
            opts,
            Method::POST,
            &format!("v1/jobs/{}/cancel", seg(job_id)?),
            None,
        )
        .await
    }

    /// `GET /v1/attachments/status/{sid}`.
    pub async fn attachment_status(&self, session_id: &str, opts: &CallOptions) -> Result<Vec<AttachmentStatus>> {
        let op = Operation::new(OperationKind::Attachments, "Reading attachments").session(session_id);
        let list: AttachmentStatusList =
            self.get(op, opts, &format!("v1/attachments/status/{}", seg(session_id)?)).await?;
        Ok(list.attachments)
    }

    /// `DELETE /v1/attachments/{id}?session_id=` (204).
    pub async fn delete_attachment(&self, attachment_id: &str, session_id: &str, opts: &CallOptions) -> Result<()> {
        let op = Operation::new(OperationKind::Attachments, "Removing the attachment").session(session_id);
        let mut url = self.inner.http.url(&format!("v1/attachments/{}", seg(attachment_id)?));
        url.query_pairs_mut().append_pair("session_id", session_id);
        self.inner
            .retrier
            .run(&op, Idempotency::Idempotent, opts, |_| {
                let rb = self.inner.http.client().delete(url.clone());
                async move { self.inner.http.send(rb, true).await.map(|_| ()) }
            })
            .await
    }

    /// `POST /v1/uploads`: a pre-signed upload slot.
    pub async fn create_upload(&self, req: &CreateUploadRequest, opts: &CallOptions) -> Result<UploadTicket> {
        let op = Operation::new(OperationKind::Upload, format!("Preparing {}", req.filename)).file(&req.filename);
        // An unused slot costs nothing: safe to ask again.
        self.call(op, Idempotency::Idempotent, opts, Method::POST, "v1/uploads", Some(req)).await
    }

    /// `POST /v1/uploads/{id}/process`.
    pub async fn process_upload(
        &self,
        upload_id: &str,
        req: &ProcessUploadRequest,
        opts: &CallOptions,
    ) -> Result<ProcessUploadResponse> {
        let op = Operation::new(OperationKind::Upload, format!("Processing {}", req.filename))
            .session(&req.session_id)
            .file(&req.filename);
        let path = format!("v1/uploads/{}/process", seg(upload_id)?);
        self.call(op, Idempotency::NotIdempotent, opts, Method::POST, &path, Some(req)).await
    }

    /// `POST /v1/documents/export/email-request`. Not resent after an ambiguous failure (a second
    /// e-mail is worse than a retry button).
    pub async fn email_export(&self, req: &EmailExportRequest, opts: &CallOptions) -> Result<EmailExportResponse> {
        let op = Operation::new(OperationKind::EmailExport, "Requesting an e-mailed export").session(&req.session_id);
        self.call(op, Idempotency::NotIdempotent, opts, Method::POST, "v1/documents/export/email-request", Some(req))
            .await
    }

    /// `POST /v1/downloads`: a pre-signed download link.
    pub async fn create_download(&self, req: &DownloadRequest, opts: &CallOptions) -> Result<DownloadLink> {
        let op = Operation::new(OperationKind::Download, "Preparing a download link").session(&req.session_id);
        self.call(op, Idempotency::Idempotent, opts, Method::POST, "v1/downloads", Some(req)).await
    }

    /// `POST /v1/templates/upload-base64`.
    pub async fn upload_template(
        &self,
        req: &TemplateUploadRequest,
        opts: &CallOptions,
    ) -> Result<TemplateUploadResponse> {
        let op =
            Operation::new(OperationKind::Template, format!("Uploading template {}", req.filename)).file(&req.filename);
        self.call(op, Idempotency::NotIdempotent, opts, Method::POST, "v1/templates/upload-base64", Some(req)).await
    }

    pub(crate) async fn send_once(&self, rb: reqwest::RequestBuilder, auth: Auth) -> Result<Sent> {
        self.inner.http.send(rb, auth == Auth::Key).await
    }
}

/// What an approve call answers, rebuilt from the job when the answer itself was lost.
fn decision_from_job(req: &ApproveRequest, job: &Job) -> ApproveResponse {
    let (mut applied, mut denied) = (Vec::new(), Vec::new());
    match &req.changes {
        Some(list) => {
            for c in list {
                if c.approved {
                    applied.push(c.change_id.clone())
                } else {
                    denied.push(c.change_id.clone())
                }
            }
        }
        None => {
            if let Some(id) = &req.change_id {
                if req.approved {
                    applied.push(id.clone())
                } else {
                    denied.push(id.clone())
                }
            }
        }
    }
    ApproveResponse { job_id: job.job_id.clone(), status: job.status, applied, denied }
}

/// `session_id`: ≤ 256 characters of `[A-Za-z0-9_.-]`.
pub fn validate_session_id(sid: &str) -> Result<()> {
    let ok =
        !sid.is_empty() && sid.len() <= 256 && sid.bytes().all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(Error::local(
            ErrorKind::Validation,
            "A session id is 1 to 256 characters of letters, digits, '_', '.' or '-'. Choose another name.",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "sk_0123456789abcdef0123456789ab1a2b";

    #[test]
    fn api_key_is_validated_and_never_printed() {
        let k = ApiKey::parse(&format!("  {KEY}\n")).unwrap();
        assert_eq!(k.expose(), KEY);
        assert_eq!(format!("{k}"), "sk_…1a2b");
        assert_eq!(format!("{k:?}"), "ApiKey(sk_…1a2b)");
        for bad in [
            "",
            "sk_123",
            "pk_0123456789abcdef0123456789ab1a2b",
            "sk_0123456789abcdef0123456789ab1a2z",
            &format!("{KEY}0"),
        ] {
            let e = ApiKey::parse(bad).unwrap_err();
            assert_eq!(e.kind, ErrorKind::Auth);
            assert_eq!(e.suggested_action, Some(SuggestedAction::ReenterKey));
            assert!(e.message.contains("32 hexadecimal"));
            if bad.len() > 8 {
                assert!(!e.message.contains(bad));
            }
        }
    }

    #[test]
    fn config_debug_hides_the_key() {
        let c = ClientConfig::new("http://127.0.0.1:1", ApiKey::parse(KEY).unwrap());
        let s = format!("{c:?}");
        assert!(!s.contains("0123456789abcdef"), "{s}");
        assert!(s.contains("sk_…1a2b"));
        let client = Client::new(c).unwrap();
        assert!(!format!("{client:?}").contains("0123456789abcdef"));
    }

    #[test]
    fn client_refuses_plain_http_to_remote_hosts() {
        let e = Client::new(ClientConfig::new("http://api.superdocs.app", ApiKey::parse(KEY).unwrap())).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Validation);
    }

    #[test]
    fn prompt_over_limit_is_never_sent() {
        let req = ChatRequest::new("s1", "x".repeat(100_001));
        let e = Client::check_chat(&req).unwrap_err();
        assert_eq!((e.kind, e.suggested_action), (ErrorKind::PromptTooLong, Some(SuggestedAction::AddAsDocument)));
        assert!(Client::check_chat(&ChatRequest::new("s1", "x".repeat(100_000))).is_ok());
        assert_eq!(Client::check_chat(&ChatRequest::new("s1", "  ")).unwrap_err().kind, ErrorKind::Validation);
        assert_eq!(Client::check_chat(&ChatRequest::new("bad/id", "hi")).unwrap_err().kind, ErrorKind::Validation);
    }

    #[test]
    fn path_segments_keep_unreserved_characters_and_refuse_escapes() {
        assert_eq!(seg("job_x").unwrap(), "job_x");
        assert_eq!(seg("a-b.c~d_E9").unwrap(), "a-b.c~d_E9");
        assert_eq!(seg("a b?c#d%e").unwrap(), "a%20b%3Fc%23d%25e");
        assert_eq!(seg("é").unwrap(), "%C3%A9");
        assert_eq!(seg("...").unwrap(), "...", "only exactly `.` and `..` are dot segments");
        for bad in ["", ".", "..", "a/b", "/", "..\\x"] {
            let e = seg(bad).unwrap_err();
            assert_eq!(e.kind, ErrorKind::Validation, "{bad:?}");
            assert!(e.message.contains("not a valid id"), "{}", e.message);
        }
    }

    #[tokio::test]
    async fn a_dot_dot_id_is_refused_before_any_request() {
        // Nothing listens on port 1: a request that went out would fail as `network`, not `validation`.
        let mut config = ClientConfig::new("http://127.0.0.1:1", ApiKey::parse(KEY).unwrap());
        config.retry_policy.max_attempts = 1;
        let client = Client::new(config).unwrap();
        let opts = CallOptions::default();
        assert_eq!(client.history("..", &opts).await.unwrap_err().kind, ErrorKind::Validation);
        assert_eq!(client.job("", &opts).await.unwrap_err().kind, ErrorKind::Validation);
        assert_eq!(client.cancel_job("a/../b", &opts).await.unwrap_err().kind, ErrorKind::Validation);
        assert_eq!(client.delete_attachment(".", "s1", &opts).await.unwrap_err().kind, ErrorKind::Validation);
        assert_eq!(client.job("job_x", &opts).await.unwrap_err().kind, ErrorKind::Network);
    }

    #[test]
    fn created_since_handles_formats_and_tolerance() {
        let began = DateTime::parse_from_rfc3339("2026-01-01T10:00:00.700Z").unwrap().with_timezone(&Utc);
        assert!(created_since(Some("2026-01-01T10:00:00Z"), began), "second precision rounds down");
        assert!(created_since(Some("2026-01-01T10:05:00+00:00"), began));
        assert!(!created_since(Some("2026-01-01T09:59:00Z"), began));
        assert!(!created_since(None, began));
        assert!(!created_since(Some("yesterday"), began));
    }
}
