//! Who may talk to the simulator: loopback names only (no DNS rebinding), and the `/__sim` admin API
//! only when configured (off in the app's demo) and never from a browser.
mod common;

use common::*;
use serde_json::json;
use superdocs_sim::SimConfig;

#[tokio::test]
async fn the_demo_has_no_admin_api_but_serves_the_service() {
    let ctx = start_with(SimConfig { admin_api: false, ..SimConfig::default() }).await;
    for path in ["/__sim/stats", "/__sim/faults", "/__sim/outbox"] {
        let (status, _) = send(ctx.http.get(ctx.url(path))).await;
        assert_eq!(status, 404, "{path}");
    }
    let (status, _) = send(ctx.http.post(ctx.url("/__sim/accounts/usage")).json(&json!({"monthly_used": 500}))).await;
    assert_eq!(status, 404);
    let (status, _) = send(ctx.http.post(ctx.url("/__sim/stats/reset"))).await;
    assert_eq!(status, 404);
    let (status, body) = ctx.get_json("/v1/sessions").await;
    assert_eq!(status, 200, "{body}");
}

#[tokio::test]
async fn tests_keep_their_admin_api_but_a_web_page_does_not_get_it() {
    let ctx = start().await;
    let (status, _) = send(ctx.http.get(ctx.url("/__sim/stats"))).await;
    assert_eq!(status, 200, "the admin API is on by default (binary and tests)");
    // A page's "simple" cross-origin POST (text/plain, no preflight) carries its Origin.
    let (status, _) = send(
        ctx.http
            .post(ctx.url("/__sim/accounts/usage"))
            .header("origin", "https://evil.example")
            .header("content-type", "text/plain")
            .body(r#"{"monthly_used":500}"#),
    )
    .await;
    assert_eq!(status, 404);
    let (status, _) = send(ctx.http.post(ctx.url("/__sim/stats/reset")).header("origin", "null")).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn only_loopback_host_names_are_answered() {
    let ctx = start().await;
    let port: u16 = ctx.sim.base_url().rsplit(':').next().and_then(|p| p.parse().ok()).expect("port");
    for host in
        ["evil.example", &format!("rebind.evil.example:{port}"), "127.0.0.1.evil.example", "10.0.0.5", "[::2]:1"]
    {
        let (status, body) = send(ctx.get("/v1/sessions").header("host", host)).await;
        assert_eq!(status, 403, "{host}: {body}");
        assert!(body["detail"].as_str().unwrap_or("").contains("loopback"), "{body}");
    }
    for host in [format!("127.0.0.1:{port}"), format!("localhost:{port}"), "LOCALHOST".into(), format!("[::1]:{port}")]
    {
        let (status, body) = send(ctx.get("/v1/sessions").header("host", host.as_str())).await;
        assert_eq!(status, 200, "{host}: {body}");
    }
    // Turned off (a server bound beyond loopback), any name is answered.
    let open = start_with(SimConfig { loopback_host_only: false, ..SimConfig::default() }).await;
    let (status, _) = send(open.get("/v1/sessions").header("host", "sim.lan")).await;
    assert_eq!(status, 200);
}

#[test]
fn loopback_host_names() {
    use superdocs_sim::is_loopback_host;
    for ok in ["localhost", "localhost:80", "127.0.0.1", "127.1.2.3:9", "[::1]", "[::1]:8787"] {
        assert!(is_loopback_host(ok), "{ok}");
    }
    for bad in
        ["", "evil.example", "localhost.evil.example", "127.0.0.1.nip.io", "[::1]x", "::1", "0.0.0.0", "192.168.1.2:80"]
    {
        assert!(!is_loopback_host(bad), "{bad}");
    }
}
