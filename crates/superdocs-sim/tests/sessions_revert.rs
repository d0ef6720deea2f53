//! Revert: rewinding a session, and its 409 / 422 / 404 answers.
mod common;
use common::*;
use serde_json::json;

#[tokio::test]
async fn revert_rewinds_history_and_document_and_gives_the_message_back() {
    let ctx = start_with(fast()).await;
    let (_, uploaded) = ctx.upload_document("s", "plan.txt", SAMPLE_TXT.as_bytes().to_vec()).await;
    let (s1, _) = ctx.post_json("/v1/chat", json!({"message": "make it formal", "session_id": "s"})).await;
    let (s2, _) = ctx.post_json("/v1/chat", json!({"message": "add a summary", "session_id": "s"})).await;
    assert_eq!((s1, s2), (200, 200));
    let (_, before) = ctx.get_json("/v1/sessions/s/history").await;
    assert_eq!(before["messages"].as_array().unwrap().len(), 4);
    assert_ne!(before["document_state"]["html_content"], uploaded["html"]);

    let (status, r) = ctx.post_json("/v1/sessions/s/revert", json!({"turn_index": 0})).await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["session_id"], "s");
    assert_eq!(r["reverted_to_turn"], -1);
    assert_eq!(r["compose_text"], "make it formal");
    assert_eq!(r["archived_turn_count"], 2);
    assert_eq!(r["editor_action"], "update");
    assert_eq!(r["document_state"]["html_content"], uploaded["html"], "the document as it was before turn 0");
    let (_, after) = ctx.get_json("/v1/sessions/s/history").await;
    assert_eq!(after["messages"], json!([]));
    // The turn is gone from the active history now.
    let (status, body) = ctx.post_json("/v1/sessions/s/revert", json!({"turn_index": 1})).await;
    assert_eq!(status, 404);
    assert!(body["trace_id"].is_string());
}

#[tokio::test]
async fn revert_of_a_turn_without_document_clears_the_editor() {
    let ctx = start_with(fast()).await;
    ctx.post_json("/v1/chat", json!({"message": "hello", "session_id": "s"})).await;
    ctx.post_json("/v1/chat", json!({"message": "again", "session_id": "s"})).await;
    let (status, r) = ctx.post_json("/v1/sessions/s/revert", json!({"turn_index": 1})).await;
    assert_eq!(status, 200);
    assert_eq!(r["reverted_to_turn"], 0);
    assert_eq!(r["compose_text"], "again");
    assert_eq!(r["archived_turn_count"], 1);
    assert_eq!(r["document_state"], serde_json::Value::Null);
    assert_eq!(r["editor_action"], "clear");
}

#[tokio::test]
async fn revert_while_a_job_runs_is_409() {
    let ctx = start_with(fast()).await;
    ctx.upload_document("s", "plan.txt", SAMPLE_TXT.as_bytes().to_vec()).await;
    ctx.post_json("/v1/chat", json!({"message": "hello", "session_id": "s"})).await;
    let job_id = ctx.start_chat("s", "make it formal", json!({"approval_mode": "ask_every_time"})).await;
    ctx.wait_job(&job_id, &["awaiting_approval"]).await;
    let (status, body) = ctx.post_json("/v1/sessions/s/revert", json!({"turn_index": 0})).await;
    assert_eq!(status, 409);
    assert_detail(
        &body,
        "Cannot revert while a chat job is running for this session. Wait for it to complete or cancel it first.",
    );
    ctx.post_json(&format!("/v1/jobs/{job_id}/cancel"), json!({})).await;
    let (status, _) = ctx.post_json("/v1/sessions/s/revert", json!({"turn_index": 0})).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn revert_of_a_legacy_turn_is_422_and_unknown_sessions_404() {
    let ctx = start_with(fast()).await;
    assert!(ctx.sim.seed_legacy_session(ctx.sim.key(), "old", &["an old question"]));
    let (status, body) = ctx.post_json("/v1/sessions/old/revert", json!({"turn_index": 0})).await;
    assert_eq!(status, 422);
    assert_detail(
        &body,
        "This message predates the revertability feature and cannot be reverted. Start a new chat to use revert.",
    );
    let (status, _) = ctx.post_json("/v1/sessions/nope/revert", json!({"turn_index": 0})).await;
    assert_eq!(status, 404);
    let (status, body) = ctx.post_json("/v1/sessions/old/revert", json!({"turn": 0})).await;
    assert_eq!(status, 422);
    assert_eq!(body["detail"][0]["loc"], json!(["body", "turn_index"]));
    // The admin route seeds the same.
    let (status, _) =
        send(ctx.http.post(ctx.url("/__sim/sessions/legacy")).json(&json!({"session_id": "old2", "messages": ["q"]})))
            .await;
    assert_eq!(status, 201);
    let (status, _) = ctx.post_json("/v1/sessions/old2/revert", json!({"turn_index": 0})).await;
    assert_eq!(status, 422);
}

#[tokio::test]
async fn sessions_are_listed_newest_activity_first_with_a_limit() {
    let ctx = start_with(fast()).await;
    for sid in ["a", "b", "c"] {
        ctx.post_json("/v1/chat", json!({"message": format!("hi {sid}"), "session_id": sid})).await;
    }
    ctx.post_json("/v1/chat", json!({"message": "back to a", "session_id": "a"})).await;
    let (_, list) = ctx.get_json("/v1/sessions").await;
    let ids: Vec<&str> =
        list["sessions"].as_array().unwrap().iter().map(|s| s["session_id"].as_str().unwrap()).collect();
    assert_eq!(ids, vec!["a", "c", "b"]);
    let (_, two) = ctx.get_json("/v1/sessions?limit=2").await;
    assert_eq!(two["sessions"].as_array().unwrap().len(), 2);
    let (status, _) = ctx.get_json("/v1/sessions/zzz/history").await;
    assert_eq!(status, 404);
}
