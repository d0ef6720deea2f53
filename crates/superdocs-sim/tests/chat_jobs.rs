//! Async chat jobs: lifecycle, SSE (with resume), review mode, cancel, retention, time cap, quota.
mod common;
use common::*;
use serde_json::{json, Value};
use std::time::Duration;
use superdocs_sim::SimConfig;

async fn with_document(ctx: &Ctx, sid: &str) -> Value {
    let (status, body) = ctx.upload_document(sid, "plan.txt", SAMPLE_TXT.as_bytes().to_vec()).await;
    assert_eq!(status, 200, "{body}");
    body
}

#[tokio::test]
async fn sse_stream_carries_the_whole_turn_and_closes() {
    let ctx = start_with(fast()).await;
    with_document(&ctx, "s").await;
    let job_id = ctx.start_chat("s", "make it formal", json!({})).await;
    let frames = ctx.read_stream("s", &job_id, None).await;
    let names: Vec<&str> = frames.iter().filter_map(|f| f.event.as_deref()).collect();
    assert!(names.contains(&"intermediate"), "{names:?}");
    assert!(names.contains(&"ui_pointer"), "an event name outside the contract: {names:?}");
    assert!(names.contains(&"heartbeat_stats"), "{names:?}");
    assert_eq!(&names[names.len() - 2..], &["final", "usage"]);
    // Ids increase, and progress items carry their sequence in the data too.
    let ids: Vec<u64> = frames.iter().filter_map(|f| f.id).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
    for f in frames.iter().filter(|f| f.event.as_deref() == Some("intermediate")) {
        assert_eq!(f.data.as_ref().unwrap()["sequence"].as_u64(), f.id);
        assert!(f.data.as_ref().unwrap()["content"].is_string());
    }
    let final_ = frames.iter().find(|f| f.event.as_deref() == Some("final")).unwrap().data.clone().unwrap();
    assert_eq!(final_["type"], "final");
    let html = final_["result"]["document_changes"]["updated_html"].as_str().unwrap();
    assert!(html.contains("cannot"), "contractions rewritten: {html}");
    let usage = frames.last().unwrap().data.clone().unwrap();
    assert_eq!(usage["monthly_used"], 1);
    // The session's document is now the edited one.
    let (_, history) = ctx.get_json("/v1/sessions/s/history").await;
    assert_eq!(history["document_state"]["html_content"], html);
    assert_eq!(history["editor_action"], "update");
}

#[tokio::test]
async fn sse_document_sync_when_the_turn_sends_html_and_resume_replays_only_later_items() {
    let ctx = start_with(fast()).await;
    let html = "<p>We can't stop.</p><p>It's fine.</p>";
    let job_id = ctx.start_chat("s", "make it formal", json!({"document_html": html})).await;
    let all = ctx.read_stream("s", &job_id, None).await;
    assert_eq!(all[0].event.as_deref(), Some("document_sync"));
    assert!(all[0].data.as_ref().unwrap()["content"].as_str().unwrap().contains("data-chunk-id"));
    let cut = all[2].id.unwrap();
    let resumed = ctx.read_stream("s", &job_id, Some(cut)).await;
    let later: Vec<u64> = all.iter().filter_map(|f| f.id).filter(|id| *id > cut).collect();
    assert_eq!(resumed.iter().filter_map(|f| f.id).collect::<Vec<_>>(), later);
    // The browser-style header resumes the same way.
    let resp = ctx
        .get(&format!("/v1/chat/s/stream?job_id={job_id}"))
        .header("Last-Event-ID", cut.to_string())
        .send()
        .await
        .unwrap();
    let by_header = parse_sse(&resp.text().await.unwrap());
    assert_eq!(by_header.iter().filter_map(|f| f.id).collect::<Vec<_>>(), later);
    // Resuming past the end of a finished job gives an empty, closed stream.
    let none = ctx.read_stream("s", &job_id, Some(*later.last().unwrap())).await;
    assert!(none.is_empty());
}

#[tokio::test]
async fn sse_reports_a_missing_job_as_an_error_event_and_accepts_the_key_in_the_query() {
    let ctx = start_with(fast()).await;
    let url = ctx.url(&format!("/v1/chat/s/stream?job_id=job_nope&api_key={}", ctx.sim.key()));
    let resp = ctx.http.get(url).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let frames = parse_sse(&resp.text().await.unwrap());
    assert_eq!(frames.len(), 1);
    assert_eq!(frames[0].event.as_deref(), Some("error"));
    assert_eq!(frames[0].data.as_ref().unwrap()["error"], "Job not found");
    let (status, body) = send(ctx.http.get(ctx.url("/v1/chat/s/stream?job_id=x&api_key=sk_bad"))).await;
    assert_eq!(status, 401);
    assert_detail(&body, "Invalid API key");
    let (status, body) = ctx.get_json("/v1/chat/s/stream").await;
    assert_eq!(status, 422);
    assert_eq!(body["detail"][0]["loc"], json!(["query", "job_id"]));
}

#[tokio::test]
async fn sse_sends_keep_alive_comments_while_a_job_waits() {
    let ctx = start_with(SimConfig { keep_alive: Duration::from_millis(20), ..fast() }).await;
    with_document(&ctx, "s").await;
    let job_id = ctx.start_chat("s", "make it formal", json!({"approval_mode": "ask_every_time"})).await;
    ctx.wait_job(&job_id, &["awaiting_approval"]).await;
    let mut resp = ctx.get(&format!("/v1/chat/s/stream?job_id={job_id}")).send().await.unwrap();
    let mut text = String::new();
    while !text.contains(": keep-alive") {
        let chunk = tokio::time::timeout(Duration::from_secs(5), resp.chunk()).await.unwrap().unwrap().unwrap();
        text.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(text.contains("event: proposed_change_batch"));
}

#[tokio::test]
async fn review_mode_proposes_changes_and_applies_only_approved_ones() {
    let ctx = start_with(fast()).await;
    with_document(&ctx, "s").await;
    let job_id = ctx.start_chat("s", "make it formal", json!({"approval_mode": "ask_every_time"})).await;
    let job = ctx.wait_job(&job_id, &["awaiting_approval"]).await;
    let pending = job["metadata"]["pending_changes"].as_array().unwrap().clone();
    assert!(pending.len() >= 2, "the sample has several contractions: {job}");
    for c in &pending {
        assert!(c["change_id"].as_str().unwrap().starts_with("chg_"));
        assert_eq!(c["operation"], "edit");
        assert!(c["chunk_id"].is_string());
        assert_ne!(c["old_html"], c["new_html"]);
        assert_eq!(c["batch_total"], pending.len());
    }
    // The stream carries them too, content as a JSON string.
    let mut resp = ctx.get(&format!("/v1/chat/s/stream?job_id={job_id}")).send().await.unwrap();
    let mut text = String::new();
    while !text.contains("event: proposed_change_batch") || !text.ends_with("\n\n") {
        let chunk = tokio::time::timeout(Duration::from_secs(5), resp.chunk()).await.unwrap().unwrap().unwrap();
        text.push_str(&String::from_utf8_lossy(&chunk));
    }
    drop(resp);
    let frames = parse_sse(&text);
    let single = frames.iter().find(|f| f.event.as_deref() == Some("proposed_change")).unwrap();
    let change: Value = serde_json::from_str(single.data.as_ref().unwrap()["content"].as_str().unwrap()).unwrap();
    assert_eq!(change["change_id"], pending[0]["change_id"]);
    let batch = frames.iter().find(|f| f.event.as_deref() == Some("proposed_change_batch")).unwrap();
    let batch: Value = serde_json::from_str(batch.data.as_ref().unwrap()["content"].as_str().unwrap()).unwrap();
    assert_eq!(batch["changes"].as_array().unwrap().len(), pending.len());

    // Approve the first one alone: the job still waits for the rest.
    let first = pending[0]["change_id"].as_str().unwrap();
    let (status, r) =
        ctx.post_json("/v1/chat/s/approve", json!({"job_id": job_id, "approved": true, "change_id": first})).await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["applied"], json!([first]));
    assert_eq!(r["status"], "awaiting_approval");
    // Deny the rest as a batch with feedback.
    let rest: Vec<Value> = pending[1..]
        .iter()
        .map(|c| json!({"change_id": c["change_id"], "approved": false, "feedback": "keep the casual tone"}))
        .collect();
    let (status, r) =
        ctx.post_json("/v1/chat/s/approve", json!({"job_id": job_id, "approved": false, "changes": rest})).await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["denied"].as_array().unwrap().len(), pending.len() - 1);
    assert_eq!(r["status"], "in_progress");
    // The job left awaiting_approval as the decision landed: a client reconciling an approve reads it at once.
    let (_, now) = ctx.get_json(&format!("/v1/jobs/{job_id}")).await;
    assert_ne!(now["status"], "awaiting_approval", "{now}");
    let job = ctx.finish_job(&job_id).await;
    assert_eq!(job["status"], "completed", "{job}");
    let html = job["result"]["document_changes"]["updated_html"].as_str().unwrap();
    let applied = pending[0]["new_html"].as_str().unwrap();
    assert!(html.contains(applied), "approved change applied");
    for c in &pending[1..] {
        assert!(html.contains(c["old_html"].as_str().unwrap()), "denied change left as it was");
    }
    assert!(job["result"]["response"].as_str().unwrap().contains("keep the casual tone"));
    assert_eq!(ctx.sim.stats().submissions("approve", &job_id), 2);
    // A decision on a job that no longer waits is a conflict.
    let (status, _) = ctx.post_json("/v1/chat/s/approve", json!({"job_id": job_id, "approved": true})).await;
    assert_eq!(status, 409);
}

#[tokio::test]
async fn approve_all_pending_at_once_and_unknown_change_ids() {
    let ctx = start_with(fast()).await;
    with_document(&ctx, "s").await;
    let job_id = ctx.start_chat("s", "make it formal", json!({"approval_mode": "ask_every_time"})).await;
    ctx.wait_job(&job_id, &["awaiting_approval"]).await;
    let (status, body) =
        ctx.post_json("/v1/chat/s/approve", json!({"job_id": job_id, "approved": true, "change_id": "chg_nope"})).await;
    assert_eq!(status, 404, "{body}");
    let (status, body) = ctx.post_json("/v1/chat/s/approve", json!({"job_id": "job_nope", "approved": true})).await;
    assert_eq!(status, 404);
    assert_detail(&body, "Job not found");
    let (status, r) = ctx.post_json("/v1/chat/s/approve", json!({"job_id": job_id, "approved": true})).await;
    assert_eq!(status, 200);
    assert!(!r["applied"].as_array().unwrap().is_empty());
    let job = ctx.finish_job(&job_id).await;
    assert!(!job["result"]["document_changes"]["updated_html"].as_str().unwrap().contains("can't"));
}

#[tokio::test]
async fn cancel_a_waiting_job_then_cancel_again_is_409() {
    let ctx = start_with(fast()).await;
    with_document(&ctx, "s").await;
    let job_id = ctx.start_chat("s", "make it formal", json!({"approval_mode": "ask_every_time"})).await;
    ctx.wait_job(&job_id, &["awaiting_approval"]).await;
    let (status, job) = ctx.post_json(&format!("/v1/jobs/{job_id}/cancel"), json!({})).await;
    assert_eq!(status, 200);
    assert_eq!(job["status"], "cancelled");
    let frames = ctx.read_stream("s", &job_id, None).await;
    assert_eq!(frames.last().unwrap().event.as_deref(), Some("error"));
    let (status, body) = ctx.post_json(&format!("/v1/jobs/{job_id}/cancel"), json!({})).await;
    assert_eq!(status, 409);
    assert!(body["detail"].as_str().unwrap().contains("cancelled"));
    // Nothing of the cancelled turn reached the history.
    let (_, history) = ctx.get_json("/v1/sessions/s/history").await;
    assert_eq!(history["messages"], json!([]));
}

#[tokio::test]
async fn jobs_list_filters_by_status_and_limits() {
    let ctx = start_with(fast()).await;
    let a = ctx.start_chat("s1", "hello", json!({})).await;
    let b = ctx.start_chat("s2", "hello again", json!({})).await;
    ctx.finish_job(&a).await;
    ctx.finish_job(&b).await;
    let (_, all) = ctx.get_json("/v1/jobs").await;
    assert_eq!(all["total"], 2);
    assert_eq!(all["jobs"][0]["job_id"], b, "newest first");
    let (_, one) = ctx.get_json("/v1/jobs?limit=1").await;
    assert_eq!(one["jobs"].as_array().unwrap().len(), 1);
    assert_eq!(one["total"], 2);
    let (_, done) = ctx.get_json("/v1/jobs?status=completed").await;
    assert_eq!(done["total"], 2);
    let (_, failed) = ctx.get_json("/v1/jobs?status=failed").await;
    assert_eq!(failed["total"], 0);
    let (status, _) = ctx.get_json("/v1/jobs?status=bogus").await;
    assert_eq!(status, 422);
    let (status, body) = ctx.get_json("/v1/jobs?limit=abc").await;
    assert_eq!(status, 422);
    assert_eq!(body["detail"][0]["type"], "int_parsing");
}

#[tokio::test]
async fn finished_jobs_expire_after_the_retention() {
    let ctx = start_with(SimConfig { job_retention: Duration::ZERO, ..fast() }).await;
    let job_id = ctx.start_chat("s", "hello", json!({})).await;
    let mut last = (200, Value::Null);
    for _ in 0..2000 {
        last = ctx.get_json(&format!("/v1/jobs/{job_id}")).await;
        if last.0 == 404 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert_eq!(last.0, 404);
    assert_detail(&last.1, "Job not found");
    let (_, list) = ctx.get_json("/v1/jobs").await;
    assert_eq!(list["total"], 0);
}

#[tokio::test]
async fn chat_time_cap_gives_504_sync_and_a_failed_job_async() {
    let ctx = start_with(SimConfig {
        chat_timeout: Duration::from_millis(30),
        job_step_delay: Duration::from_millis(200),
        ..Default::default()
    })
    .await;
    let (status, body) = ctx.post_json("/v1/chat", json!({"message": "hello", "session_id": "s"})).await;
    assert_eq!(status, 504);
    assert!(body["detail"].as_str().unwrap().contains("30-minute cap"));
    assert!(body["trace_id"].is_string());
    let job_id = ctx.start_chat("s", "hello", json!({})).await;
    let job = ctx.finish_job(&job_id).await;
    assert_eq!(job["status"], "failed");
    assert!(job["error"].as_str().unwrap().contains("splitting the task"));
}

#[tokio::test]
async fn quota_exhaustion_gives_429_with_usage_headers() {
    let ctx = start_with(SimConfig { monthly_limit: 3, ..fast() }).await;
    ctx.sim.set_monthly_used(ctx.sim.key(), 2);
    let resp = ctx.post("/v1/chat").json(&json!({"message": "hi", "session_id": "s"})).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["x-usage-remaining"], "0");
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["usage"]["monthly_remaining"], 0);
    for path in ["/v1/chat", "/v1/chat/async"] {
        let resp = ctx.post(path).json(&json!({"message": "hi", "session_id": "s"})).send().await.unwrap();
        assert_eq!(resp.status(), 429);
        assert_eq!(resp.headers()["x-usage-limit"], "3");
        assert_eq!(resp.headers()["x-usage-used"], "3");
        assert_eq!(resp.headers()["x-usage-remaining"], "0");
        let body: Value = resp.json().await.unwrap();
        assert_detail(&body, "Monthly operation limit (3) reached. Upgrade your plan for more operations.");
    }
    assert_eq!(ctx.sim.monthly_used(ctx.sim.key()), Some(3));
}

#[tokio::test]
async fn default_quota_text_names_500() {
    let ctx = start_with(fast()).await;
    ctx.sim.set_monthly_used(ctx.sim.key(), 500);
    let (status, body) = ctx.post_json("/v1/chat", json!({"message": "hi", "session_id": "s"})).await;
    assert_eq!(status, 429);
    assert_detail(&body, "Monthly operation limit (500) reached. Upgrade your plan for more operations.");
}

#[tokio::test]
async fn sync_review_mode_returns_pending_changes_and_keeps_the_document() {
    let ctx = start_with(fast()).await;
    let doc = with_document(&ctx, "s").await;
    let (status, body) = ctx
        .post_json(
            "/v1/chat",
            json!({"message": "make it formal", "session_id": "s", "approval_mode": "ask_every_time"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let changes = &body["document_changes"];
    assert_eq!(changes["requires_approval"], true);
    assert!(!changes["pending_changes"].as_array().unwrap().is_empty());
    let (_, history) = ctx.get_json("/v1/sessions/s/history").await;
    assert_eq!(history["document_state"]["html_content"], doc["html"]);
}

#[tokio::test]
async fn a_turn_without_a_document_can_draft_one() {
    let ctx = start_with(fast()).await;
    let job_id = ctx.start_chat("s", "write a project proposal", json!({})).await;
    let job = ctx.finish_job(&job_id).await;
    assert_eq!(job["status"], "completed");
    let (_, history) = ctx.get_json("/v1/sessions/s/history").await;
    let html = job["result"]["document_changes"]["updated_html"].as_str().expect("a draft was made");
    assert!(html.contains("data-chunk-id"));
    assert_eq!(history["document_state"]["html_content"], html, "the drafted document is kept");
    assert_eq!(history["messages"].as_array().unwrap().len(), 2);
}
