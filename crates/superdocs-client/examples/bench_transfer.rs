//! Transfer benchmark (not a test): the core's pre-signed PUT and export download against `curl`
//! on the same simulator URLs, with the client's peak RSS.
//!
//!   cargo run --release -p superdocs-client --example bench_transfer [-- BYTES]
//!
//! The simulator runs in a child process (this same binary, `serve` mode), so the peak RSS
//! printed (VmHWM of this process) is the client's alone. BYTES defaults to 1 GiB.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use superdocs_client::export::{ExportOutcome, ExportSource, ExportSpec};
use superdocs_client::retry::CallOptions;
use superdocs_client::types::{CreateUploadRequest, ExportFormat, UploadPurpose};
use superdocs_client::{ApiKey, Client, ClientConfig};
use superdocs_sim::{SimConfig, SimHandle};

const GIB: u64 = 1024 * 1024 * 1024;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("serve") {
        let bytes: u64 = args[2].parse().expect("bytes");
        serve(bytes);
        return;
    }
    let bytes: u64 = args.get(1).map(|s| s.parse().expect("BYTES is a number")).unwrap_or(GIB);
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    rt.block_on(bench(bytes));
}

/// Child process: a simulator whose caps fit the benchmark and whose exports are `bytes` long.
fn serve(bytes: u64) {
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let cfg = SimConfig {
            presigned_cap_bytes: bytes * 2,
            export_cap_bytes: bytes * 2,
            bench_export_bytes: Some(bytes),
            ..SimConfig::default()
        };
        let sim = SimHandle::start(cfg).await.expect("sim starts");
        println!("{} {}", sim.base_url(), sim.key());
        std::io::stdout().flush().unwrap();
        // Lives until the parent closes our stdin.
        tokio::task::spawn_blocking(|| {
            let mut s = String::new();
            let _ = std::io::stdin().read_line(&mut s);
        })
        .await
        .unwrap();
        sim.shutdown().await;
    });
}

fn mib_per_s(bytes: u64, d: Duration) -> f64 {
    bytes as f64 / 1_048_576.0 / d.as_secs_f64()
}

fn vm_hwm_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// Runs curl writing the response body to `out` and returns the wall time.
fn curl(out: &str, args: &[&str]) -> Duration {
    let t = Instant::now();
    let st = Command::new("curl").args(["-sS", "--fail", "-o", out]).args(args).status().expect("curl runs");
    assert!(st.success(), "curl failed: {args:?}");
    t.elapsed()
}

async fn bench(bytes: u64) {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["serve", &bytes.to_string()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("sim child starts");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let mut parts = line.split_whitespace();
    let (base, key) = (parts.next().unwrap().to_string(), parts.next().unwrap().to_string());

    let client = Client::new(ClientConfig::new(&base, ApiKey::parse(&key).unwrap())).unwrap();
    let opts = CallOptions::default();
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("payload.txt");
    {
        // Real bytes (not a sparse file) so both sides read the disk alike.
        let mut f = std::io::BufWriter::new(std::fs::File::create(&src).unwrap());
        let block = vec![b'x'; 1 << 20];
        let mut left = bytes;
        while left > 0 {
            let n = left.min(block.len() as u64) as usize;
            f.write_all(&block[..n]).unwrap();
            left -= n as u64;
        }
    }
    let ticket_req = CreateUploadRequest {
        filename: "payload.txt".into(),
        content_type: "text/plain".into(),
        size_bytes: bytes,
        purpose: UploadPurpose::Document,
    };

    // Upload: the core's pre-signed PUT vs curl -T to a fresh slot of the same kind.
    let ticket = client.create_upload(&ticket_req, &opts).await.expect("upload slot");
    let t = Instant::now();
    client.upload_to_ticket(&ticket, &src, "text/plain", None, &opts).await.expect("core upload");
    let core_up = t.elapsed();
    let ticket2 = client.create_upload(&ticket_req, &opts).await.expect("upload slot");
    let url2 = client.base_url().join(&ticket2.upload_url).unwrap();
    // `Expect:` off: curl would otherwise wait up to 1 s for a 100-continue the server never sends.
    let curl_up = curl(
        "/dev/null",
        &["-T", src.to_str().unwrap(), "-H", "Content-Type: text/plain", "-H", "Expect:", url2.as_str()],
    );

    // Download: the core's export (streamed to a temp file, renamed) vs curl -o.
    let session = "bench-session";
    let seed = dir.path().join("seed.html");
    std::fs::write(&seed, "<p>Benchmark document.</p>").unwrap();
    let kind = superdocs_client::upload::UploadKind::Document { open_mode: superdocs_client::types::OpenMode::Replace };
    client.upload_file(&seed, session, kind, None, &opts).await.expect("seed the session");
    let out = tempfile::tempdir().unwrap();
    let spec = ExportSpec {
        source: ExportSource::Session { session_id: session.into() },
        format: ExportFormat::Txt,
        options: None,
        filename: Some("bench.txt".into()),
        recipient_email: None,
        dest_dir: out.path().to_path_buf(),
    };
    let t = Instant::now();
    let outcome = client.export(&spec, None, &opts).await.expect("core export");
    let core_down = t.elapsed();
    let got = match outcome {
        ExportOutcome::Saved { bytes, .. } => bytes,
        other => panic!("unexpected {other:?}"),
    };
    let export_url = client.base_url().join("v1/documents/export").unwrap();
    let auth = format!("Authorization: Bearer {key}");
    let body = format!(r#"{{"session_id":"{session}","format":"txt"}}"#);
    // Same kind of target as the core's: a real file in the same folder (the core also fsyncs it).
    let curl_file = out.path().join("curl.txt");
    let curl_down = curl(
        curl_file.to_str().unwrap(),
        &["-X", "POST", "-H", &auth, "-H", "Content-Type: application/json", "-d", &body, export_url.as_str()],
    );
    assert_eq!(std::fs::metadata(&curl_file).unwrap().len(), got, "curl got the same bytes");
    std::fs::remove_file(src).ok();
    drop(child.stdin.take());
    let _ = child.wait();

    let (cu, ku) = (mib_per_s(bytes, core_up), mib_per_s(bytes, curl_up));
    let (cd, kd) = (mib_per_s(got, core_down), mib_per_s(got, curl_down));
    println!("transfer benchmark: {} MiB each way, sim on loopback", bytes / 1_048_576);
    println!(
        "upload   core pre-signed PUT: {:8.1} MiB/s ({:.2} s)   curl -T: {:8.1} MiB/s ({:.2} s)   core/curl = {:.2}",
        cu,
        core_up.as_secs_f64(),
        ku,
        curl_up.as_secs_f64(),
        cu / ku
    );
    println!(
        "download core export:         {:8.1} MiB/s ({:.2} s)   curl -o: {:8.1} MiB/s ({:.2} s)   core/curl = {:.2}",
        cd,
        core_down.as_secs_f64(),
        kd,
        curl_down.as_secs_f64(),
        cd / kd
    );
    println!("client peak RSS (VmHWM): {:.1} MiB", vm_hwm_kib() as f64 / 1024.0);
}
