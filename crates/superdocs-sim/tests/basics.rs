//! Health, auth, sessions and chat basics over real HTTP.
mod common;
use common::*;
use serde_json::json;
use superdocs_sim::SimConfig;

#[tokio::test]
async fn health_needs_no_key_and_every_response_has_a_request_id() {
    let ctx = start().await;
    let resp = ctx.http.get(ctx.url("/health")).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let id = resp.headers()["x-request-id"].to_str().unwrap().to_string();
    assert!(id.starts_with("req_") && id.len() > 4);
    assert_eq!(resp.json::<serde_json::Value>().await.unwrap(), json!({"status": "healthy"}));
}

#[tokio::test]
async fn auth_errors_have_the_documented_bodies() {
    let ctx = start().await;
    let (status, body) = send(ctx.http.get(ctx.url("/v1/sessions"))).await;
    assert_eq!(status, 401);
    assert_detail(&body, "Invalid authorization header format. Expected 'Bearer <api_key>'");
    let (status, body) =
        send(ctx.http.get(ctx.url("/v1/sessions")).header("Authorization", ctx.sim.key().to_string())).await;
    assert_eq!(status, 401);
    assert_detail(&body, "Invalid authorization header format. Expected 'Bearer <api_key>'");
    let (status, body) = send(ctx.http.get(ctx.url("/v1/sessions")).bearer_auth(TEST_KEY_B)).await;
    assert_eq!(status, 401);
    assert_detail(&body, "Invalid API key");
    let (status, body) = send(ctx.http.get(ctx.url("/v1/sessions")).bearer_auth("sk_short")).await;
    assert_eq!(status, 401);
    assert_detail(&body, "Invalid API key");
    let (status, body) = ctx.get_json("/v1/sessions").await;
    assert_eq!(status, 200);
    assert_eq!(body, json!({"sessions": []}));
}

#[tokio::test]
async fn configured_keys_are_separate_accounts() {
    let ctx = start_with(SimConfig { keys: vec![TEST_KEY_A.into(), TEST_KEY_B.into()], ..Default::default() }).await;
    assert_eq!(ctx.sim.key(), TEST_KEY_A);
    assert_eq!(ctx.sim.keys(), vec![TEST_KEY_A.to_string(), TEST_KEY_B.to_string()]);
    let (status, _) = ctx.post_json("/v1/chat", json!({"message": "hello", "session_id": "s1"})).await;
    assert_eq!(status, 200);
    // B cannot reach A's session.
    let (status, body) = send(ctx.http.get(ctx.url("/v1/sessions/s1/history")).bearer_auth(TEST_KEY_B)).await;
    assert_eq!(status, 403, "{body}");
    assert!(body["trace_id"].is_string());
    let (status, _) = send(
        ctx.http.post(ctx.url("/v1/chat")).bearer_auth(TEST_KEY_B).json(&json!({"message": "x", "session_id": "s1"})),
    )
    .await;
    assert_eq!(status, 403);
    let (_, job) = ctx.post_json("/v1/chat/async", json!({"message": "hello", "session_id": "s1"})).await;
    let job_id = job["job_id"].as_str().unwrap();
    for path in [
        format!("/v1/jobs/{job_id}"),
        format!("/v1/chat/s1/stream?job_id={job_id}"),
        "/v1/sessions/s1/jobs".to_string(),
    ] {
        let (status, body) = send(ctx.http.get(ctx.url(&path)).bearer_auth(TEST_KEY_B)).await;
        assert_eq!(status, 403, "{path}: {body}");
    }
    let (status, _) = send(ctx.http.post(ctx.url(&format!("/v1/jobs/{job_id}/cancel"))).bearer_auth(TEST_KEY_B)).await;
    assert_eq!(status, 403);
    let (_, list) = send(ctx.http.get(ctx.url("/v1/sessions")).bearer_auth(TEST_KEY_B)).await;
    assert_eq!(list["sessions"], json!([]));
}

#[tokio::test]
async fn start_refuses_a_malformed_key() {
    let err = superdocs_sim::SimHandle::start(SimConfig { keys: vec!["sk_nothex".into()], ..Default::default() })
        .await
        .err()
        .expect("refused");
    assert!(!err.to_string().contains("sk_nothex"), "the key is redacted: {err}");
}

#[tokio::test]
async fn sync_chat_answers_and_records_the_turn() {
    let ctx = start().await;
    let (status, body) = ctx.post_json("/v1/chat", json!({"message": "hello there", "session_id": "s-1"})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["session_id"], "s-1");
    assert!(body["response"].as_str().is_some_and(|r| !r.is_empty()));
    assert_eq!(body["usage"]["monthly_used"], 1);
    assert_eq!(body["usage"]["monthly_limit"], 500);
    assert_eq!(body["usage"]["monthly_remaining"], 499);
    assert_eq!(body["usage"]["was_billable"], true);
    assert_eq!(body["usage"]["subscription_tier"], "free");
    let (_, sessions) = ctx.get_json("/v1/sessions").await;
    assert_eq!(sessions["sessions"][0]["session_id"], "s-1");
    assert_eq!(sessions["sessions"][0]["message_count"], 2);
    assert_eq!(sessions["sessions"][0]["preview"], "hello there");
    let (status, history) = ctx.get_json("/v1/sessions/s-1/history").await;
    assert_eq!(status, 200);
    let messages = history["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[0]["sender"], "user");
    assert_eq!(messages[0]["content"], "hello there");
    assert_eq!(messages[1]["sender"], "ai");
    assert_eq!(messages[0]["turn_index"], 0);
    assert_eq!(history["document_state"], serde_json::Value::Null);
}

#[tokio::test]
async fn chat_input_errors() {
    let ctx = start().await;
    let (status, body) = ctx.post_json("/v1/chat", json!({"message": "   ", "session_id": "s"})).await;
    assert_eq!(status, 400);
    assert_detail(&body, "Message cannot be empty. Please provide a text message.");
    let (status, body) = ctx.post_json("/v1/chat", json!({"session_id": "s"})).await;
    assert_eq!(status, 422);
    assert_eq!(body["detail"][0]["type"], "missing");
    assert_eq!(body["detail"][0]["loc"], json!(["body", "message"]));
    let (status, body) = ctx.post_json("/v1/chat", json!({"message": "hi", "session_id": "bad id!"})).await;
    assert_eq!(status, 422);
    assert_eq!(body["detail"][0]["loc"], json!(["body", "session_id"]));
    let (status, body) = ctx.post_json("/v1/chat", json!({"message": "x".repeat(100_001), "session_id": "s"})).await;
    assert_eq!(status, 422);
    assert_eq!(body["detail"][0]["type"], "string_too_long");
    let (status, body) =
        ctx.post_json("/v1/chat", json!({"message": "hi", "session_id": "s", "model_tier": "ultra"})).await;
    assert_eq!(status, 422);
    assert_eq!(body["detail"][0]["loc"], json!(["body", "model_tier"]));
    let (status, body) = ctx
        .post_json("/v1/chat", json!({"message": "hi", "session_id": "s", "image_attachments": vec![json!({}); 21]}))
        .await;
    assert_eq!(status, 422);
    assert_eq!(body["detail"][0]["type"], "too_long");
    let (status, body) =
        send(ctx.post("/v1/chat").header("content-type", "application/json").body("{\"message\": ")).await;
    assert_eq!(status, 422);
    assert_eq!(body["detail"][0]["type"], "json_invalid");
    // Nothing above was billed.
    assert_eq!(ctx.sim.monthly_used(ctx.sim.key()), Some(0));
}

#[tokio::test]
async fn async_chat_runs_a_job_to_completion() {
    let ctx = start().await;
    let (status, body) = ctx.post_json("/v1/chat/async", json!({"message": "hello", "session_id": "s2"})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "pending");
    assert_eq!(body["session_id"], "s2");
    let job_id = body["job_id"].as_str().unwrap();
    assert!(job_id.starts_with("job_"));
    let job = ctx.finish_job(job_id).await;
    assert_eq!(job["status"], "completed", "{job}");
    assert_eq!(job["job_type"], "chat");
    assert_eq!(job["progress"], 100);
    assert_eq!(job["metadata"]["message"], "hello");
    assert!(job["result"]["response"].is_string());
    assert_eq!(job["result"]["session_id"], "s2");
    assert_eq!(job["result"]["usage"]["monthly_used"], 1);
    assert!(!job["metadata"]["intermediate_responses"].as_array().unwrap().is_empty());
    let (_, listed) = ctx.get_json("/v1/sessions/s2/jobs").await;
    assert_eq!(listed["total"], 1);
    assert_eq!(listed["jobs"][0]["job_id"], job_id);
    let (status, body) = ctx.get_json("/v1/jobs/job_doesnotexist").await;
    assert_eq!(status, 404);
    assert_detail(&body, "Job not found");
}

#[tokio::test]
async fn unknown_routes_and_wrong_methods() {
    let ctx = start().await;
    let (status, body) = ctx.get_json("/v1/nothing-here").await;
    assert_eq!(status, 404);
    assert_detail(&body, "Not Found");
    let (status, body) = send(ctx.delete("/v1/chat")).await;
    assert_eq!(status, 405);
    assert_detail(&body, "Method Not Allowed");
}

#[tokio::test]
async fn shutdown_stops_serving() {
    let ctx = start().await;
    let url = ctx.url("/health");
    assert_eq!(ctx.http.get(&url).send().await.unwrap().status(), 200);
    let Ctx { sim, .. } = ctx;
    sim.shutdown().await;
    let fresh = reqwest::Client::new();
    assert!(fresh.get(&url).send().await.is_err());
}
