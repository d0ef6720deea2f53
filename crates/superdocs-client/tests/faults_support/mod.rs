//! Shared rig of the core's integration tests: a simulator on loopback and a client whose retry
//! waits are recorded instead of slept (so the suite is fast and the waits can be asserted).
#![allow(dead_code)]

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use superdocs_client::retry::{CallOptions, Clock, RandomSource};
use superdocs_client::types::{ChatRequest, Job, JobStatus};
use superdocs_client::{ApiKey, Client, ClientConfig};
use superdocs_sim::{SimConfig, SimHandle, KEY_SEPARATOR};

/// Records each wait and returns at once.
#[derive(Default)]
pub struct RecordingClock {
    pub sleeps: Mutex<Vec<Duration>>,
}

impl Clock for RecordingClock {
    fn sleep(&self, d: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        self.sleeps.lock().unwrap().push(d);
        Box::pin(tokio::task::yield_now())
    }
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

impl RecordingClock {
    pub fn waits_ms(&self) -> Vec<u64> {
        self.sleeps.lock().unwrap().iter().map(|d| d.as_millis() as u64).collect()
    }
}

/// The top of each jitter interval, so recorded waits show the bound itself.
pub struct TopOfInterval;
impl RandomSource for TopOfInterval {
    fn up_to(&self, max: u64) -> u64 {
        max
    }
}

pub struct Rig {
    pub sim: SimHandle,
    pub client: Client,
    pub clock: Arc<RecordingClock>,
}

pub fn sim_config() -> SimConfig {
    SimConfig { job_step_delay: Duration::from_millis(2), ..SimConfig::default() }
}

pub async fn rig() -> Rig {
    rig_with(sim_config(), |_| {}).await
}

pub async fn rig_with(sim_cfg: SimConfig, tune: impl FnOnce(&mut ClientConfig)) -> Rig {
    let sim = SimHandle::start(sim_cfg).await.expect("sim starts");
    let clock = Arc::new(RecordingClock::default());
    let client = client_for(&sim, sim.base_url(), clock.clone(), tune);
    Rig { sim, client, clock }
}

pub fn client_for(
    sim: &SimHandle,
    base: &str,
    clock: Arc<RecordingClock>,
    tune: impl FnOnce(&mut ClientConfig),
) -> Client {
    let mut cfg = ClientConfig::new(base, ApiKey::parse(sim.key()).expect("sim key is valid"));
    cfg.clock = clock;
    cfg.random = Arc::new(TopOfInterval);
    cfg.read_timeout = Duration::from_secs(10);
    tune(&mut cfg);
    Client::new(cfg).expect("client")
}

/// The sim's submission key of two parts.
pub fn key2(a: &str, b: &str) -> String {
    format!("{a}{KEY_SEPARATOR}{b}")
}

pub fn opts() -> CallOptions {
    CallOptions::default()
}

/// Polls a job until `done` holds (the sim's jobs are paced in milliseconds here).
pub async fn wait_job(client: &Client, job_id: &str, done: impl Fn(&Job) -> bool) -> Job {
    for _ in 0..500 {
        let j = client.job(job_id, &opts()).await.expect("job readable");
        if done(&j) {
            return j;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("job {job_id} did not reach the expected state");
}

/// A chat job of `session` that stops for approval; returns its id once it waits.
pub async fn job_awaiting_approval(client: &Client, session: &str) -> String {
    let mut req = ChatRequest::new(session, "Add a heading called Summary");
    req.approval_mode = Some(superdocs_client::types::ApprovalMode::AskEveryTime);
    // The editor proposes changes only to an existing document.
    req.document_html = Some("<h1>Plan</h1><p>First paragraph.</p><p>Second paragraph.</p>".into());
    let accepted = client.chat_async(&req, &opts()).await.expect("chat accepted");
    let job =
        wait_job(client, &accepted.job_id, |j| j.status == JobStatus::AwaitingApproval || j.status.is_terminal()).await;
    assert_eq!(job.status, JobStatus::AwaitingApproval, "setup: the job should wait for approval: {job:?}");
    accepted.job_id
}
