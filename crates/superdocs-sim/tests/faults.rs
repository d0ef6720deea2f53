//! Fault injection (library and `/__sim` HTTP API) and stats.
mod common;
use common::*;
use serde_json::{json, Value};
use superdocs_sim::{FaultAction, FaultBody, FaultRule};

fn rule(method: &str, path: &str, action: FaultAction) -> FaultRule {
    FaultRule { method: Some(method.into()), path: path.into(), action, ..Default::default() }
}

#[tokio::test]
async fn respond_rules_give_each_body_shape_then_run_out() {
    let ctx = start_with(fast()).await;
    let cases = [
        (FaultBody::Detail("Service temporarily unavailable".into()), 503),
        (FaultBody::Gateway { code: "RATE_LIMITED".into(), message: "Slow down".into() }, 429),
        (FaultBody::Html, 502),
        (FaultBody::Empty, 500),
        (FaultBody::Truncated, 500),
        (FaultBody::Json(json!({"weird": true})), 418),
    ];
    for (body, status) in cases {
        ctx.sim.add_fault(FaultRule {
            retry_after: Some("3".into()),
            ..rule("GET", "/v1/sessions", FaultAction::Respond { status, body: body.clone() })
        });
        let resp = ctx.get("/v1/sessions").send().await.unwrap();
        assert_eq!(resp.status().as_u16(), status);
        assert_eq!(resp.headers()["retry-after"], "3");
        assert!(resp.headers()["x-request-id"].to_str().unwrap().starts_with("req_"));
        let ct = resp.headers().get("content-type").map(|v| v.to_str().unwrap().to_string());
        let text = resp.text().await.unwrap();
        match body {
            FaultBody::Detail(d) => assert_eq!(serde_json::from_str::<Value>(&text).unwrap()["detail"], d),
            FaultBody::Gateway { code, message } => {
                let v: Value = serde_json::from_str(&text).unwrap();
                assert_eq!(v["status"], "error");
                assert_eq!(v["answer"], "");
                assert_eq!(v["errors"][0], json!({"code": code, "message": message}));
                assert!(v["request_id"].is_string() && v["usage"].is_object() && v["sources"].is_array());
            }
            FaultBody::Html => {
                assert_eq!(ct.as_deref(), Some("text/html"));
                assert!(text.contains("502 Bad Gateway"));
            }
            FaultBody::Empty => assert!(text.is_empty()),
            FaultBody::Truncated => assert!(serde_json::from_str::<Value>(&text).is_err() && text.starts_with('{')),
            FaultBody::Json(v) => assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), v),
        }
        // One shot: the next call is served normally.
        assert_eq!(ctx.get("/v1/sessions").send().await.unwrap().status(), 200);
    }
}

#[tokio::test]
async fn times_skip_method_and_glob() {
    let ctx = start_with(fast()).await;
    ctx.sim.add_fault(FaultRule {
        path: "/v1/jobs/*".into(),
        times: 2,
        skip: 1,
        action: FaultAction::Respond { status: 502, body: FaultBody::Html },
        ..Default::default()
    });
    let mut statuses = Vec::new();
    for _ in 0..4 {
        statuses.push(ctx.get("/v1/jobs/job_x").send().await.unwrap().status().as_u16());
    }
    assert_eq!(statuses, vec![404, 502, 502, 404]);
    assert!(ctx.sim.faults().is_empty());
    // A method filter leaves other methods alone.
    ctx.sim.add_fault(rule("POST", "/v1/sessions", FaultAction::Respond { status: 500, body: FaultBody::Empty }));
    assert_eq!(ctx.get("/v1/sessions").send().await.unwrap().status(), 200);
    assert_eq!(ctx.sim.faults().len(), 1);
    ctx.sim.clear_faults();
    assert!(ctx.sim.faults().is_empty());
    // times = 0: every matching call until cleared.
    ctx.sim.add_fault(FaultRule {
        times: 0,
        ..rule("GET", "/health", FaultAction::Respond { status: 503, body: FaultBody::Empty })
    });
    for _ in 0..3 {
        assert_eq!(ctx.http.get(ctx.url("/health")).send().await.unwrap().status(), 503);
    }
    ctx.sim.clear_faults();
    assert_eq!(ctx.http.get(ctx.url("/health")).send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn a_responded_fault_does_not_run_the_handler() {
    let ctx = start_with(fast()).await;
    ctx.sim.add_fault(rule("POST", "/v1/chat/async", FaultAction::Respond { status: 502, body: FaultBody::Html }));
    let (status, _) = ctx.post_json("/v1/chat/async", json!({"message": "hi", "session_id": "s"})).await;
    assert_eq!(status, 502);
    assert_eq!(ctx.sim.stats().submissions("chat", "s\u{1f}hi"), 0);
    assert_eq!(ctx.sim.monthly_used(ctx.sim.key()), Some(0));
}

#[tokio::test]
async fn reset_before_handling_drops_the_connection_and_nothing_happens() {
    let ctx = start_with(fast()).await;
    ctx.sim.add_fault(rule("POST", "/v1/chat/async", FaultAction::ResetBeforeHandling));
    let err = ctx.post("/v1/chat/async").json(&json!({"message": "hi", "session_id": "s"})).send().await;
    assert!(err.is_err(), "connection dropped");
    assert_eq!(ctx.sim.stats().count("POST", "/v1/chat/async"), 1);
    assert_eq!(ctx.sim.stats().submissions("chat", "s\u{1f}hi"), 0);
    let (_, jobs) = ctx.get_json("/v1/jobs").await;
    assert_eq!(jobs["total"], 0);
}

#[tokio::test]
async fn reset_after_handling_acts_then_drops_the_connection() {
    let ctx = start_with(fast()).await;
    ctx.sim.add_fault(rule("POST", "/v1/chat/async", FaultAction::ResetAfterHandling));
    let err = ctx.post("/v1/chat/async").json(&json!({"message": "hi", "session_id": "s"})).send().await;
    assert!(err.is_err(), "no response");
    assert_eq!(ctx.sim.stats().submissions("chat", "s\u{1f}hi"), 1);
    let (_, jobs) = ctx.get_json("/v1/sessions/s/jobs").await;
    assert_eq!(jobs["total"], 1, "the job was created");
    assert_eq!(jobs["jobs"][0]["metadata"]["message"], "hi");
}

#[tokio::test]
async fn reset_after_bytes_sends_headers_and_k_bytes() {
    let ctx = start_with(fast()).await;
    ctx.upload_document("s", "plan.txt", SAMPLE_TXT.as_bytes().to_vec()).await;
    let full =
        ctx.post("/v1/documents/export").json(&json!({"session_id": "s", "format": "txt"})).send().await.unwrap();
    let full = full.bytes().await.unwrap();
    ctx.sim.add_fault(rule("POST", "/v1/documents/export", FaultAction::ResetAfterBytes(10)));
    let mut resp =
        ctx.post("/v1/documents/export").json(&json!({"session_id": "s", "format": "txt"})).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let mut got = Vec::new();
    let failed = loop {
        match resp.chunk().await {
            Ok(Some(c)) => got.extend_from_slice(&c),
            Ok(None) => break false,
            Err(_) => break true,
        }
    };
    assert!(failed, "the body was cut");
    assert_eq!(got.len(), 10);
    assert_eq!(&got[..], &full[..10]);
}

#[tokio::test]
async fn cut_sse_after_events_drops_the_stream_and_resume_continues() {
    let ctx = start_with(fast()).await;
    ctx.upload_document("s", "plan.txt", SAMPLE_TXT.as_bytes().to_vec()).await;
    let job_id = ctx.start_chat("s", "make it formal", json!({})).await;
    ctx.finish_job(&job_id).await;
    ctx.sim.add_fault(rule("GET", "/v1/chat/*/stream", FaultAction::CutSseAfterEvents(2)));
    let mut resp = ctx.get(&format!("/v1/chat/s/stream?job_id={job_id}")).send().await.unwrap();
    let mut text = String::new();
    let failed = loop {
        match resp.chunk().await {
            Ok(Some(c)) => text.push_str(&String::from_utf8_lossy(&c)),
            Ok(None) => break false,
            Err(_) => break true,
        }
    };
    assert!(failed);
    let frames = parse_sse(&text);
    assert_eq!(frames.len(), 2);
    let resumed = ctx.read_stream("s", &job_id, frames[1].id).await;
    assert_eq!(resumed.last().unwrap().event.as_deref(), Some("usage"));
    assert_eq!(resumed[0].id, Some(frames[1].id.unwrap() + 1));
}

#[tokio::test]
async fn delay_only_still_serves_the_request() {
    let ctx = start_with(fast()).await;
    ctx.sim.add_fault(FaultRule {
        delay_ms: 20,
        retry_after: Some("1".into()),
        ..rule("GET", "/health", FaultAction::DelayOnly)
    });
    let resp = ctx.http.get(ctx.url("/health")).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["retry-after"], "1");
    assert!(ctx.sim.faults().is_empty());
}

#[tokio::test]
async fn admin_http_api_controls_faults_stats_and_usage() {
    let ctx = start_with(fast()).await;
    let rule = json!({"method": "POST", "path": "/v1/chat", "times": 1,
                      "action": {"respond": {"status": 503, "body": {"detail": "busy"}}}, "retry_after": "2"});
    let (status, body) = send(ctx.http.post(ctx.url("/__sim/faults")).json(&rule)).await;
    assert_eq!(status, 201, "{body}");
    let resp = ctx.post("/v1/chat").json(&json!({"message": "hi", "session_id": "s"})).send().await.unwrap();
    assert_eq!(resp.status(), 503);
    assert_eq!(resp.headers()["retry-after"], "2");
    let many = json!([{"path": "/v1/jobs/*", "action": {"reset_after_bytes": 5}},
                      {"path": "/v1/chat/*/stream", "action": {"cut_sse_after_events": 1}},
                      {"path": "/v1/sessions", "action": "reset_before_handling"},
                      {"path": "/health", "action": {"respond": {"status": 502, "body": "html"}}},
                      {"path": "/x", "action": {"respond": {"status": 504, "body": {"gateway": {"code": "UPSTREAM_TIMEOUT", "message": "m"}}}}}]);
    let (status, body) = send(ctx.http.post(ctx.url("/__sim/faults")).json(&many)).await;
    assert_eq!(status, 201);
    assert_eq!(body["active"].as_array().unwrap().len(), 5);
    let (status, _) = send(ctx.http.delete(ctx.url("/__sim/faults"))).await;
    assert_eq!(status, 204);
    assert!(ctx.sim.faults().is_empty());
    let (status, body) = send(ctx.http.post(ctx.url("/__sim/faults")).json(&json!({"action": {"explode": 1}}))).await;
    assert_eq!(status, 422, "{body}");

    let (_, stats) = send(ctx.http.get(ctx.url("/__sim/stats"))).await;
    let calls = stats["calls"].as_array().unwrap();
    assert!(calls.iter().any(|c| c["path"] == "/v1/chat" && c["method"] == "POST" && c["count"] == 1));
    assert!(!calls.iter().any(|c| c["path"].as_str().unwrap().starts_with("/__sim")), "admin calls are not counted");
    let (status, _) = send(ctx.http.post(ctx.url("/__sim/stats/reset"))).await;
    assert_eq!(status, 204);
    assert_eq!(ctx.sim.stats().count("*", "*"), 0);

    let (status, usage) =
        send(ctx.http.post(ctx.url("/__sim/accounts/usage")).json(&json!({"key": ctx.sim.key(), "monthly_used": 499})))
            .await;
    assert_eq!(status, 200);
    assert_eq!(usage["monthly_remaining"], 1);
    assert_eq!(ctx.sim.monthly_used(ctx.sim.key()), Some(499));
    let (status, _) =
        send(ctx.http.post(ctx.url("/__sim/accounts/usage")).json(&json!({"key": TEST_KEY_B, "monthly_used": 1})))
            .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn stats_count_calls_bytes_and_submissions() {
    let ctx = start_with(fast()).await;
    for _ in 0..2 {
        ctx.post_json("/v1/chat", json!({"message": "same turn", "session_id": "s"})).await;
    }
    ctx.get_json("/v1/jobs/job_a").await;
    ctx.get_json("/v1/jobs/job_b").await;
    let stats = ctx.sim.stats();
    assert_eq!(stats.count("POST", "/v1/chat"), 2);
    assert_eq!(stats.count("post", "/v1/chat"), 2);
    assert_eq!(stats.count("GET", "/v1/jobs/*"), 2);
    assert_eq!(stats.count("POST", "/v1/jobs/*"), 0);
    assert_eq!(stats.submissions("chat", "s\u{1f}same turn"), 2);
    assert_eq!(stats.submissions("chat", "s\u{1f}other"), 0);
    let body_len = json!({"message": "same turn", "session_id": "s"}).to_string().len() as u64;
    assert_eq!(stats.bytes_received("/v1/chat"), 2 * body_len);
    ctx.sim.reset_stats();
    assert_eq!(ctx.sim.stats().count("POST", "/v1/chat"), 0);
}
