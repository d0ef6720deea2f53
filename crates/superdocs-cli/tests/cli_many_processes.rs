//! Many processes, one store: eight `superdocs` processes at once on one fresh data folder (the real
//! binary, against an in-process simulator). Every one must finish its work and record it; none may
//! report the local database as unavailable or busy.

mod support;

use std::process::Stdio;

use superdocs_client::layout::DataLayout;
use support::Env;

#[test]
fn eight_cli_processes_share_one_data_folder() {
    let env = Env::new();
    let doc = env.write("notes.txt", "Quarterly notes.\n\nSecond paragraph.");
    // The store does not exist yet: all eight create and migrate it at the same moment.
    let children: Vec<_> = (0..8)
        .map(|i| {
            let session = format!("many-{i}");
            let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("superdocs"));
            c.env("SUPERDOCS_API_KEY", env.sim.key())
                .env("SUPERDOCS_DATA_DIR", env.data.path())
                .env("SUPERDOCS_LOG", "info")
                .env_remove("SUPERDOCS_PROFILE")
                .env_remove("SUPERDOCS_BASE_URL")
                .args(["--base-url", env.sim.base_url(), "--json"])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
            match i % 2 {
                0 => c.args(["chat", "--session", &session, &format!("Draft a memo number {i}")]),
                _ => c.args(["upload", "--session", &session, doc.to_str().unwrap()]),
            };
            (i, c.spawn().unwrap())
        })
        .collect();
    for (i, child) in children {
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "process {i} failed: {stderr}");
        for bad in ["database", "not recorded locally", "could not record"] {
            assert!(!stderr.contains(bad), "process {i} had trouble with the store ({bad}): {stderr}");
        }
    }
    // Jobs and the upload queue live in the profile's own store (docs/data-layout.md).
    let store = DataLayout::new(env.data.path()).open_profile("default").unwrap();
    let jobs = store.tracked_jobs(100).unwrap();
    assert_eq!(jobs.len(), 4, "every chat recorded its job: {jobs:?}");
    assert!(jobs.iter().all(|j| j.notified), "{jobs:?}");
    // A finished upload is taken off the queue (as the app does): nothing left means every one ended well.
    let uploads = store.uploads().unwrap();
    assert!(uploads.is_empty(), "every upload finished and left the queue: {uploads:?}");
}
