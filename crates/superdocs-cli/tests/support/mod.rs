//! The test harness of the CLI tests: an in-process simulator and the `superdocs` binary pointed at it.
#![allow(dead_code)]

use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;
use superdocs_sim::{SimConfig, SimHandle};

pub struct Env {
    // Dropped in this order: the sim before the runtime it runs on.
    pub sim: SimHandle,
    pub data: tempfile::TempDir,
    pub rt: tokio::runtime::Runtime,
}

impl Env {
    pub fn new() -> Env {
        Env::with(SimConfig::default())
    }

    pub fn with(config: SimConfig) -> Env {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
        let sim = rt
            .block_on(SimHandle::start(SimConfig { job_step_delay: std::time::Duration::from_millis(5), ..config }))
            .unwrap();
        Env { sim, data: tempfile::tempdir().unwrap(), rt }
    }

    /// The binary, pointed at the sim, with the key in the environment and a private data folder.
    pub fn cmd(&self) -> Command {
        let mut c = Command::cargo_bin("superdocs").unwrap();
        c.env("SUPERDOCS_API_KEY", self.sim.key())
            .env("SUPERDOCS_DATA_DIR", self.data.path())
            .env_remove("SUPERDOCS_PROFILE")
            .env_remove("SUPERDOCS_BASE_URL")
            .args(["--base-url", self.sim.base_url()]);
        c
    }

    pub fn run(&self, args: &[&str]) -> Output {
        let out = self.cmd().args(args).output().unwrap();
        self.assert_no_key(&out);
        out
    }

    pub fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = self.run(&all);
        assert!(out.status.success(), "{args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: stdout is not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
    }

    /// Fails with the error object from stderr.
    pub fn json_error(&self, args: &[&str], code: i32) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = self.run(&all);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        let line = String::from_utf8_lossy(&out.stderr).lines().last().unwrap_or("").to_string();
        serde_json::from_str(&line).unwrap_or_else(|e| panic!("stderr's last line is not the JSON error ({e}): {line}"))
    }

    pub fn assert_no_key(&self, out: &Output) {
        let secret = &self.sim.key()[3..];
        for (name, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
            assert!(!String::from_utf8_lossy(bytes).contains(secret), "the key appeared on {name}");
        }
    }

    pub fn write(&self, name: &str, text: &str) -> std::path::PathBuf {
        let p = self.data.path().join(name);
        std::fs::write(&p, text).unwrap();
        p
    }
}
