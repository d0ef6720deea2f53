//! The `superdocs-sim` binary: flags, the printed demo key, and one log line per request that never
//! shows a key.
use std::io::{BufRead, BufReader, Read};
use std::process::{Command, Stdio};
use std::time::Duration;

const BIN: &str = env!("CARGO_BIN_EXE_superdocs-sim");

#[test]
fn help_lists_every_limit_flag() {
    let out = Command::new(BIN).arg("--help").output().unwrap();
    assert!(out.status.success());
    let help = String::from_utf8(out.stdout).unwrap();
    for flag in [
        "--addr",
        "--key",
        "--monthly-limit",
        "--transport-cap-bytes",
        "--upload-cap-bytes",
        "--presigned-cap-bytes",
        "--export-cap-bytes",
        "--chat-timeout-secs",
        "--job-retention-secs",
        "--presigned-upload-ttl-secs",
        "--presigned-download-ttl-secs",
        "--job-step-delay-ms",
        "--keep-alive-secs",
        "--bench-export-bytes",
    ] {
        assert!(help.contains(flag), "{flag} missing from --help");
    }
}

#[test]
fn a_malformed_key_is_refused_without_echoing_it() {
    let out = Command::new(BIN).args(["--addr", "127.0.0.1:0", "--key", "sk_secretbutbroken"]).output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("sk_secretbutbroken"), "{err}");
}

#[tokio::test]
async fn serves_with_a_generated_demo_key_and_logs_requests_without_keys() {
    let mut child = Command::new(BIN)
        .args(["--addr", "127.0.0.1:0", "--job-step-delay-ms", "1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let (mut first, mut second) = (String::new(), String::new());
    stdout.read_line(&mut first).unwrap();
    stdout.read_line(&mut second).unwrap();
    let base = first.trim().rsplit(' ').next().unwrap().to_string();
    let key = second.trim().rsplit(' ').next().unwrap().to_string();
    assert!(base.starts_with("http://127.0.0.1:"), "{first}");
    assert!(key.starts_with("sk_") && key.len() == 35, "{second}");

    let http = reqwest::Client::new();
    let resp = http.get(format!("{base}/v1/sessions")).bearer_auth(&key).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let resp = http.get(format!("{base}/v1/chat/s/stream?job_id=job_x&api_key={key}")).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    resp.text().await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    child.kill().unwrap();
    let mut log = String::new();
    child.stderr.take().unwrap().read_to_string(&mut log).unwrap();
    child.wait().unwrap();
    assert!(log.contains("GET /v1/sessions 200"), "{log}");
    assert!(log.contains("GET /v1/chat/s/stream 200"), "{log}");
    assert!(!log.contains(&key) && !log.contains("api_key"), "no key in the log: {log}");
}
