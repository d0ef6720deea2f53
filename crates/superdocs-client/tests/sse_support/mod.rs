//! Shared by the sse_*, tracker_* and store_* integration tests: a simulator on this runtime and a
//! client for it whose retry waits are milliseconds (the policy's shape, not its numbers).
#![allow(dead_code)]

use std::time::Duration;

use superdocs_client::retry::RetryPolicy;
use superdocs_client::sse::FollowOptions;
use superdocs_client::{ApiKey, Client, ClientConfig};
use superdocs_sim::{SimConfig, SimHandle};

pub async fn start_sim() -> SimHandle {
    SimHandle::start(SimConfig { job_step_delay: Duration::from_millis(5), ..SimConfig::default() })
        .await
        .expect("sim starts")
}

pub fn fast_policy() -> RetryPolicy {
    RetryPolicy { base_delay: Duration::from_millis(2), max_delay: Duration::from_millis(20), ..RetryPolicy::default() }
}

pub fn client_for(sim: &SimHandle) -> Client {
    let mut config = ClientConfig::new(sim.base_url(), ApiKey::parse(sim.key()).unwrap());
    config.retry_policy = fast_policy();
    Client::new(config).expect("client")
}

/// Polls every 10 ms and never tries the stream again while polling (tests that want it say so), so the
/// stream counts stay what the retry policy alone makes them.
pub fn fast_follow() -> FollowOptions {
    FollowOptions {
        poll_interval: Duration::from_millis(10),
        stream_retry_polls: 0,
        review_check_after: Duration::from_millis(50),
        restart_after: Duration::from_millis(50),
        ..FollowOptions::default()
    }
}
