//! `SimHandle`: start a simulator on the current tokio runtime and control it from a test.
use std::io;
use std::sync::{Arc, Mutex};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::accounts::Account;
use crate::config::SimConfig;
use crate::faults::{FaultRule, FaultSet};
use crate::ids;
use crate::routes;
use crate::server::spawn_server;
use crate::state::{Email, Sim, World};
use crate::stats::{Stats, StatsRecorder};
use crate::storage::Storage;

pub struct SimHandle {
    sim: Arc<Sim>,
    server: Option<JoinHandle<()>>,
    /// Ends the server (not the sim): see `stop_serving`.
    serving: CancellationToken,
}

impl SimHandle {
    /// Binds `config.addr` and serves on spawned tasks of the current runtime.
    pub async fn start(mut config: SimConfig) -> io::Result<SimHandle> {
        if config.keys.is_empty() {
            config.keys.push(ids::new_api_key());
        }
        if let Some(bad) = config.keys.iter().find(|k| !ids::is_well_formed_key(k)) {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("API key {} is not sk_ followed by 32 hex digits", ids::redact_key(bad)),
            ));
        }
        let listener = TcpListener::bind(config.addr).await?;
        let addr = listener.local_addr()?;
        let storage = Storage::new(config.storage_dir.as_deref())?;
        let mut world = World::default();
        for key in &config.keys {
            world.accounts.insert(key.clone(), Account::new(key));
        }
        let review_announce = Mutex::new(config.review_announce);
        let sim = Arc::new(Sim {
            review_announce,
            base_url: format!("http://{addr}"),
            config,
            faults: FaultSet::default(),
            stats: StatsRecorder::default(),
            storage,
            world: Mutex::new(world),
            shutdown: CancellationToken::new(),
        });
        let serving = sim.shutdown.child_token();
        let server = spawn_server(sim.clone(), listener, routes::router(sim.clone()), serving.clone());
        Ok(SimHandle { sim, server: Some(server), serving })
    }

    /// The network goes away: stops listening and drops every open connection, while the service's
    /// state (accounts, sessions, jobs, which go on running) stays, as behind a cut cable.
    pub async fn stop_serving(&mut self) {
        self.serving.cancel();
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
    }

    /// The network is back: listens again on the same address, with the same state.
    pub async fn serve_again(&mut self) -> io::Result<()> {
        self.stop_serving().await;
        let addr = self.base_url().trim_start_matches("http://").to_string();
        let listener = TcpListener::bind(&addr).await?;
        self.serving = self.sim.shutdown.child_token();
        let router = routes::router(self.sim.clone());
        self.server = Some(spawn_server(self.sim.clone(), listener, router, self.serving.clone()));
        Ok(())
    }

    /// `http://127.0.0.1:PORT`
    pub fn base_url(&self) -> &str {
        &self.sim.base_url
    }

    /// The first account's key.
    pub fn key(&self) -> &str {
        &self.sim.config.keys[0]
    }

    pub fn keys(&self) -> Vec<String> {
        self.sim.config.keys.clone()
    }

    pub fn config(&self) -> &SimConfig {
        &self.sim.config
    }

    pub fn add_fault(&self, rule: FaultRule) {
        self.sim.faults.add(rule);
    }

    pub fn clear_faults(&self) {
        self.sim.faults.clear();
    }

    /// Rules still armed.
    pub fn faults(&self) -> Vec<FaultRule> {
        self.sim.faults.list()
    }

    pub fn stats(&self) -> Stats {
        self.sim.stats.snapshot()
    }

    pub fn reset_stats(&self) {
        self.sim.stats.reset();
    }

    pub fn outbox(&self) -> Vec<Email> {
        self.sim.world.lock().unwrap().outbox.clone()
    }

    /// Sets an account's operations used this month (e.g. to one below its quota). Unknown keys are ignored.
    pub fn set_monthly_used(&self, key: &str, used: u64) {
        if let Some(a) = self.sim.world.lock().unwrap().accounts.get_mut(key) {
            a.monthly_used = used;
        }
    }

    pub fn monthly_used(&self, key: &str) -> Option<u64> {
        self.sim.world.lock().unwrap().accounts.get(key).map(|a| a.monthly_used)
    }

    /// Creates (or extends) a session whose turns predate the revert feature: reverting them gives 422.
    pub fn seed_legacy_session(&self, key: &str, session_id: &str, messages: &[&str]) -> bool {
        let mut world = self.sim.world.lock().unwrap();
        routes::sessions::seed_legacy_turns(&mut world, key, session_id, messages).is_ok()
    }

    /// How review turns started from now on announce their changes.
    pub fn set_review_announce(&self, how: crate::config::ReviewAnnounce) {
        *self.sim.review_announce.lock().unwrap() = how;
    }

    /// Stops accepting, drops open connections and ends background jobs.
    pub async fn shutdown(mut self) {
        self.sim.shutdown.cancel();
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        self.sim.shutdown.cancel();
    }
}
