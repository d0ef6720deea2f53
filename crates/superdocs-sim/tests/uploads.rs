//! Uploads: multipart documents and attachments, the pre-signed flow, templates, and their limits.
mod common;
use base64::Engine;
use common::*;
use serde_json::{json, Value};
use std::time::Duration;
use superdocs_sim::SimConfig;

#[tokio::test]
async fn document_upload_converts_to_chunked_html_and_becomes_the_session_document() {
    let ctx = start_with(fast()).await;
    let (status, body) = ctx.upload_document("s", "plan.txt", SAMPLE_TXT.as_bytes().to_vec()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["session_id"], "s");
    assert_eq!(body["filename"], "plan.txt");
    assert!(body["document_id"].as_str().unwrap().starts_with("doc_"));
    assert!(body["version_id"].is_string());
    let html = body["html"].as_str().unwrap();
    assert!(html.contains("data-chunk-id"));
    assert!(html.contains("Budget"));
    assert!(body["chunks_count"].as_u64().unwrap() >= 2);
    let (_, history) = ctx.get_json("/v1/sessions/s/history").await;
    assert_eq!(history["document_state"]["html_content"], html);
    assert_eq!(history["document_state"]["version_id"], body["version_id"]);
    assert_eq!(ctx.sim.stats().submissions("upload", "s\u{1f}plan.txt"), 1);
    assert!(ctx.sim.stats().bytes_received("/v1/documents/upload") >= SAMPLE_TXT.len() as u64);
}

#[tokio::test]
async fn upload_refuses_legacy_doc_and_unknown_types_and_missing_parts() {
    let ctx = start_with(fast()).await;
    let (status, body) = ctx.upload_document("s", "old.doc", b"binary".to_vec()).await;
    assert_eq!(status, 400);
    assert_detail(&body, "Legacy .doc files are not supported. Please convert to .docx format and try again.");
    let (status, body) = ctx.upload_document("s", "tool.exe", b"MZ".to_vec()).await;
    assert_eq!(status, 400);
    assert!(body["detail"].as_str().unwrap().starts_with("Unsupported file type: .exe"), "{body}");
    let (status, body) = ctx.upload_document("s", "empty.txt", Vec::new()).await;
    assert_eq!(status, 400, "{body}");
    let form = reqwest::multipart::Form::new().text("session_id", "s");
    let (status, body) = send(ctx.post("/v1/documents/upload").multipart(form)).await;
    assert_eq!(status, 422);
    assert_eq!(body["detail"][0]["loc"], json!(["body", "file"]));
    let (status, _) = send(ctx.post("/v1/documents/upload").json(&json!({}))).await;
    assert_eq!(status, 422);
    let (_, sessions) = ctx.get_json("/v1/sessions").await;
    assert_eq!(sessions["sessions"], json!([]), "nothing was loaded");
}

#[tokio::test]
async fn upload_cap_and_transport_cap() {
    let ctx = start_with(SimConfig { upload_cap_bytes: 1000, transport_cap_bytes: 4000, ..fast() }).await;
    let (status, body) = ctx.upload_document("s", "big.txt", vec![b'a'; 2000]).await;
    assert_eq!(status, 413);
    assert!(body["detail"].as_str().unwrap().starts_with("File too large"), "{body}");
    let (status, body) = ctx.upload_document("s", "huge.txt", vec![b'a'; 8000]).await;
    assert_eq!(status, 413);
    assert_eq!(body["detail"], "Request body too large");
    assert_eq!(body["error_code"], "request_too_large");
    assert_eq!(body["suggested_action"], "split_request");
    assert_eq!(body["contact_email"], "hello@superdocs.app");
    assert!(body["support_event_id"].is_string());
    assert!(body["max_size_mb"].is_number() && body["request_size_mb"].is_number());
    assert!(body["message_user"].as_str().unwrap().contains("too large"));
    // JSON bodies too, including ones sent without a length.
    let (status, body) = ctx.post_json("/v1/chat", json!({"message": "x".repeat(5000), "session_id": "s"})).await;
    assert_eq!(status, 413);
    assert_eq!(body["error_code"], "request_too_large");
    let chunks = futures_util::stream::iter((0..10).map(|_| Ok::<_, std::io::Error>(vec![b' '; 1000])));
    let (status, body) =
        send(ctx.post("/v1/chat").header("content-type", "application/json").body(reqwest::Body::wrap_stream(chunks)))
            .await;
    assert_eq!(status, 413, "{body}");
    assert_eq!(body["error_code"], "request_too_large");
}

#[tokio::test]
async fn attachments_are_indexed_as_att_jobs_listed_and_deleted() {
    let ctx = start_with(fast()).await;
    let form = reqwest::multipart::Form::new()
        .part("file", reqwest::multipart::Part::bytes(SAMPLE_TXT.as_bytes().to_vec()).file_name("notes.md"))
        .text("session_id", "s");
    let (status, body) = send(ctx.post("/v1/attachments/upload").multipart(form)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "processing");
    assert_eq!(body["filename"], "notes.md");
    let job_id = body["job_id"].as_str().unwrap().to_string();
    assert!(job_id.starts_with("att_"));
    let job = ctx.finish_job(&job_id).await;
    assert_eq!(job["status"], "completed", "{job}");
    assert_eq!(job["job_type"], "attachment");
    let (_, st) = ctx.get_json("/v1/attachments/status/s").await;
    assert_eq!(st["attachments"], json!([{"attachment_id": job_id, "filename": "notes.md", "status": "completed"}]));
    // Images are taken as attachments.
    let form = reqwest::multipart::Form::new()
        .part("file", reqwest::multipart::Part::bytes(vec![0x89, b'P', b'N', b'G']).file_name("pic.png"))
        .text("session_id", "s");
    let (status, _) = send(ctx.post("/v1/attachments/upload").multipart(form)).await;
    assert_eq!(status, 200);
    let (status, _) = send(ctx.delete(&format!("/v1/attachments/{job_id}?session_id=s"))).await;
    assert_eq!(status, 204);
    let (status, body) = send(ctx.delete(&format!("/v1/attachments/{job_id}?session_id=s"))).await;
    assert_eq!(status, 404);
    assert!(body["trace_id"].is_string());
    let (_, st) = ctx.get_json("/v1/attachments/status/s").await;
    assert_eq!(st["attachments"].as_array().unwrap().len(), 1);
    let form = reqwest::multipart::Form::new()
        .part("file", reqwest::multipart::Part::bytes(b"x".to_vec()).file_name("a.doc"))
        .text("session_id", "s");
    let (status, _) = send(ctx.post("/v1/attachments/upload").multipart(form)).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn a_failing_attachment_ends_as_a_failed_job() {
    let ctx = start_with(fast()).await;
    let form = reqwest::multipart::Form::new()
        .part("file", reqwest::multipart::Part::bytes(b"not a zip".to_vec()).file_name("broken.docx"))
        .text("session_id", "s");
    let (_, body) = send(ctx.post("/v1/attachments/upload").multipart(form)).await;
    let job = ctx.finish_job(body["job_id"].as_str().unwrap()).await;
    assert_eq!(job["status"], "failed", "{job}");
    let (_, st) = ctx.get_json("/v1/attachments/status/s").await;
    assert_eq!(st["attachments"][0]["status"], "failed");
    assert!(st["attachments"][0]["error"].is_string());
}

async fn presign(ctx: &Ctx, filename: &str, size: usize, purpose: &str) -> (u16, Value) {
    ctx.post_json(
        "/v1/uploads",
        json!({"filename": filename, "content_type": "text/plain", "size_bytes": size, "purpose": purpose}),
    )
    .await
}

#[tokio::test]
async fn presigned_flow_put_without_auth_then_process_as_document_and_attachment() {
    let ctx = start_with(fast()).await;
    let bytes = SAMPLE_TXT.as_bytes().to_vec();
    let (status, up) = presign(&ctx, "plan.txt", bytes.len(), "document").await;
    assert_eq!(status, 200, "{up}");
    assert!(up["upload_id"].as_str().unwrap().starts_with("upl_"));
    assert_eq!(up["expires_in_seconds"], 300);
    assert_eq!(up["max_size_bytes"], 104_857_600u64);
    let url = up["upload_url"].as_str().unwrap();
    let resp = ctx.http.put(url).header("content-type", "text/plain").body(bytes.clone()).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let id = up["upload_id"].as_str().unwrap();
    let (status, r) = ctx
        .post_json(
            &format!("/v1/uploads/{id}/process"),
            json!({"session_id": "s", "filename": "plan.txt", "parse_mode": "document"}),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["status"], "completed");
    assert_eq!(r["parse_mode"], "document");
    assert!(r["html"].as_str().unwrap().contains("data-chunk-id"));
    assert!(r["chunks_count"].as_u64().unwrap() > 0);
    let (status, r) = ctx
        .post_json(
            &format!("/v1/uploads/{id}/process"),
            json!({"session_id": "s", "filename": "plan.txt", "parse_mode": "attachment"}),
        )
        .await;
    assert_eq!(status, 200, "{r}");
    assert_eq!(r["status"], "processing");
    let job = ctx.finish_job(r["job_id"].as_str().unwrap()).await;
    assert_eq!(job["status"], "completed");
    assert_eq!(ctx.sim.stats().bytes_received("/storage/uploads/*"), bytes.len() as u64);
}

#[tokio::test]
async fn presigned_errors() {
    let ctx =
        start_with(SimConfig { presigned_cap_bytes: 100, presigned_upload_ttl: Duration::from_millis(600), ..fast() })
            .await;
    let (status, body) = presign(&ctx, "a.txt", 101, "document").await;
    assert_eq!(status, 422);
    assert_eq!(body["detail"][0]["type"], "less_than_equal");
    let (status, _) = presign(&ctx, "a.txt", 0, "document").await;
    assert_eq!(status, 422);
    let (status, body) = presign(&ctx, "a.doc", 10, "document").await;
    assert_eq!(status, 400);
    assert_detail(&body, "Legacy .doc files are not supported. Please convert to .docx format and try again.");
    let (status, _) = presign(&ctx, "a.txt", 10, "elsewhere").await;
    assert_eq!(status, 422);
    // Over the cap while streaming.
    let (_, up) = presign(&ctx, "a.txt", 100, "document").await;
    let url = up["upload_url"].as_str().unwrap().to_string();
    let (status, _) = send(ctx.http.put(&url).body(vec![b'a'; 200])).await;
    assert_eq!(status, 413);
    // Not uploaded yet.
    let id = up["upload_id"].as_str().unwrap();
    let (status, _) =
        ctx.post_json(&format!("/v1/uploads/{id}/process"), json!({"session_id": "s", "parse_mode": "document"})).await;
    assert_eq!(status, 400);
    // A wrong signature, then expiry.
    let (status, _) = send(ctx.http.put(url.replace("signature=", "signature=00")).body("abc")).await;
    assert_eq!(status, 403);
    tokio::time::sleep(Duration::from_millis(700)).await;
    let (status, body) = send(ctx.http.put(&url).body("abc")).await;
    assert_eq!(status, 404);
    assert_detail(&body, "Upload URL expired");
    let (status, _) =
        ctx.post_json("/v1/uploads/upl_nope/process", json!({"session_id": "s", "parse_mode": "document"})).await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn presigned_put_streams_a_large_body_to_disk() {
    // 24 MiB sent in chunks without a declared length: counted as it arrives, not buffered.
    let ctx = start_with(fast()).await;
    let size = 24 * 1024 * 1024usize;
    let (_, up) = presign(&ctx, "big.txt", size, "attachment").await;
    let chunks = futures_util::stream::iter((0..(size / 65536)).map(|_| Ok::<_, std::io::Error>(vec![b'x'; 65536])));
    let resp =
        ctx.http.put(up["upload_url"].as_str().unwrap()).body(reqwest::Body::wrap_stream(chunks)).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(ctx.sim.stats().bytes_received("/storage/uploads/*"), size as u64);
}

#[tokio::test]
async fn templates_upload_base64() {
    let ctx = start_with(SimConfig { upload_cap_bytes: 1000, ..fast() }).await;
    let b64 = base64::engine::general_purpose::STANDARD.encode(SAMPLE_TXT);
    let (status, body) =
        ctx.post_json("/v1/templates/upload-base64", json!({"filename": "t.txt", "file_base64": b64})).await;
    assert_eq!(status, 200, "{body}");
    assert!(body["template_id"].as_str().unwrap().starts_with("tpl_"));
    assert_eq!(body["filename"], "t.txt");
    let (status, body) =
        ctx.post_json("/v1/templates/upload-base64", json!({"filename": "t.doc", "file_base64": b64})).await;
    assert_eq!(status, 400);
    assert_detail(&body, "Legacy .doc files are not supported. Please convert to .docx format and try again.");
    let (status, _) =
        ctx.post_json("/v1/templates/upload-base64", json!({"filename": "t.html", "file_base64": b64})).await;
    assert_eq!(status, 400, "templates take no html");
    let (status, body) =
        ctx.post_json("/v1/templates/upload-base64", json!({"filename": "t.txt", "file_base64": "%%%"})).await;
    assert_eq!(status, 422);
    assert_eq!(body["detail"][0]["loc"], json!(["body", "file_base64"]));
    let big = base64::engine::general_purpose::STANDARD.encode(vec![b'a'; 1500]);
    let (status, _) =
        ctx.post_json("/v1/templates/upload-base64", json!({"filename": "t.txt", "file_base64": big})).await;
    assert_eq!(status, 413);
}

#[tokio::test]
async fn background_open_mode_keeps_the_editable_document_and_sessions_stay_private() {
    let ctx = start_with(SimConfig { keys: vec![TEST_KEY_A.into(), TEST_KEY_B.into()], ..fast() }).await;
    let (_, first) = ctx.upload_document("s", "plan.txt", SAMPLE_TXT.as_bytes().to_vec()).await;
    let form = reqwest::multipart::Form::new()
        .part("file", reqwest::multipart::Part::bytes(b"Other text".to_vec()).file_name("other.txt"))
        .text("session_id", "s")
        .text("open_mode", "background");
    let (status, body) = send(ctx.post("/v1/documents/upload").multipart(form)).await;
    assert_eq!(status, 200, "{body}");
    let (_, history) = ctx.get_json("/v1/sessions/s/history").await;
    assert_eq!(history["document_state"]["html_content"], first["html"]);
    let form = reqwest::multipart::Form::new()
        .part("file", reqwest::multipart::Part::bytes(b"x".to_vec()).file_name("x.txt"))
        .text("session_id", "s")
        .text("open_mode", "sideways");
    let (status, _) = send(ctx.post("/v1/documents/upload").multipart(form)).await;
    assert_eq!(status, 422);
    let form = reqwest::multipart::Form::new()
        .part("file", reqwest::multipart::Part::bytes(b"x".to_vec()).file_name("x.txt"))
        .text("session_id", "s");
    let (status, _) =
        send(ctx.http.post(ctx.url("/v1/documents/upload")).bearer_auth(TEST_KEY_B).multipart(form)).await;
    assert_eq!(status, 403);
    let (status, _) = send(ctx.http.get(ctx.url("/v1/attachments/status/s")).bearer_auth(TEST_KEY_B)).await;
    assert_eq!(status, 403);
}
