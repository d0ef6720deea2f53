//! Exports: bytes with headers, the export cap, the e-mailed link, download links, the bench knob.
mod common;
use base64::Engine;
use common::*;
use serde_json::{json, Value};
use std::time::Duration;
use superdocs_sim::SimConfig;

async fn session_with_document(ctx: &Ctx) {
    let (status, _) = ctx.upload_document("s", "plan.txt", SAMPLE_TXT.as_bytes().to_vec()).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn export_each_format_with_type_and_disposition() {
    let ctx = start_with(fast()).await;
    session_with_document(&ctx).await;
    for (format, ext, magic) in [
        ("docx", "docx", &b"PK"[..]),
        ("pdf", "pdf", &b"%PDF-"[..]),
        ("html", "html", &b"<"[..]),
        ("markdown", "md", &b""[..]),
        ("txt", "txt", &b""[..]),
    ] {
        let resp = ctx
            .post("/v1/documents/export")
            .json(&json!({"session_id": "s", "format": format, "filename": "Report"}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200, "{format}");
        let ct = resp.headers()["content-type"].to_str().unwrap().to_string();
        let cd = resp.headers()["content-disposition"].to_str().unwrap().to_string();
        assert!(cd.contains(&format!("Report.{ext}")), "{cd}");
        let bytes = resp.bytes().await.unwrap();
        assert!(bytes.starts_with(magic), "{format}");
        assert!(!bytes.is_empty());
        if format == "txt" {
            assert!(ct.starts_with("text/plain"));
            assert!(String::from_utf8_lossy(&bytes).contains("Budget"));
        }
        if format == "pdf" {
            assert_eq!(ct, "application/pdf");
        }
    }
}

#[tokio::test]
async fn export_warnings_header_is_base64_json() {
    let ctx = start_with(fast()).await;
    session_with_document(&ctx).await;
    let resp = ctx
        .post("/v1/documents/export")
        .json(&json!({"session_id": "s", "format": "docx", "options": {"watermark_text": "DRAFT"}}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    let header = resp.headers()["x-export-warnings"].to_str().unwrap();
    let decoded = base64::engine::general_purpose::STANDARD.decode(header).unwrap();
    let warnings: Vec<String> = serde_json::from_slice(&decoded).unwrap();
    assert!(warnings.iter().any(|w| w.contains("watermark")), "{warnings:?}");
    let resp =
        ctx.post("/v1/documents/export").json(&json!({"session_id": "s", "format": "pdf"})).send().await.unwrap();
    assert!(resp.headers().get("x-export-warnings").is_none());
}

#[tokio::test]
async fn export_from_inline_html_and_from_an_upload_id() {
    let ctx = start_with(fast()).await;
    let resp = ctx
        .post("/v1/documents/export")
        .json(&json!({"html": "<h1>Title</h1><p>Body text</p>", "format": "txt"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.text().await.unwrap().contains("Body text"));
    let html = "<p>From an upload</p>";
    let (_, up) = ctx
        .post_json("/v1/uploads", json!({"filename": "doc.html", "content_type": "text/html", "size_bytes": html.len(), "purpose": "export-html"}))
        .await;
    ctx.http.put(up["upload_url"].as_str().unwrap()).body(html).send().await.unwrap();
    let resp = ctx
        .post("/v1/documents/export")
        .json(&json!({"upload_id": up["upload_id"], "format": "markdown"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.headers()["content-disposition"].to_str().unwrap().contains("doc.md"));
    assert!(resp.text().await.unwrap().contains("From an upload"));
}

#[tokio::test]
async fn export_errors() {
    let ctx = start_with(fast()).await;
    let (status, body) = ctx.post_json("/v1/documents/export", json!({"session_id": "s", "format": "odt"})).await;
    assert_eq!(status, 422);
    assert_eq!(
        body["detail"],
        json!([{"type": "literal_error", "loc": ["body", "format"], "msg": "Input should be 'docx', 'pdf', 'html', 'markdown', 'txt' or 'doc'"}])
    );
    let (status, _) = ctx.post_json("/v1/documents/export", json!({"format": "pdf"})).await;
    assert_eq!(status, 422);
    let (status, _) = ctx.post_json("/v1/documents/export", json!({"session_id": "nope", "format": "pdf"})).await;
    assert_eq!(status, 404);
    ctx.post_json("/v1/chat", json!({"message": "hi", "session_id": "empty"})).await;
    let (status, _) = ctx.post_json("/v1/documents/export", json!({"session_id": "empty"})).await;
    assert_eq!(status, 404, "a session without a document");
    let (status, body) =
        ctx.post_json("/v1/documents/export", json!({"html": "<p>x</p>", "options": {"margins": "custom"}})).await;
    assert_eq!(status, 422, "{body}");
    let (status, body) = ctx
        .post_json("/v1/documents/export", json!({"html": "<p>x</p>", "options": {"orientation": "sideways"}}))
        .await;
    assert_eq!(status, 422);
    assert_eq!(body["detail"][0]["loc"], json!(["body", "options", "orientation"]));
}

#[tokio::test]
async fn export_over_the_cap_is_413_with_email_request() {
    let ctx = start_with(SimConfig { export_cap_bytes: 200, ..fast() }).await;
    session_with_document(&ctx).await;
    let (status, body) = ctx.post_json("/v1/documents/export", json!({"session_id": "s", "format": "pdf"})).await;
    assert_eq!(status, 413);
    let d = &body["detail"];
    assert_eq!(d["error_code"], "document_too_large");
    assert_eq!(d["suggested_action"], "email_request");
    assert_eq!(d["format"], "pdf");
    assert_eq!(d["contact_email"], "hello@superdocs.app");
    assert!(d["message_user"].as_str().unwrap().contains("export limit"));
    assert!(d["document_size_mb"].is_number() && d["max_size_mb"].is_number());
    assert!(d["support_event_id"].is_string());
}

#[tokio::test]
async fn email_export_queues_a_job_and_the_mailed_link_downloads_the_file() {
    let ctx = start_with(fast()).await;
    session_with_document(&ctx).await;
    let (status, body) = ctx
        .post_json(
            "/v1/documents/export/email-request",
            json!({"session_id": "s", "format": "pdf", "filename": "Big report", "recipient_email": "me@example.com"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "queued");
    assert_eq!(body["recipient_email"], "me@example.com");
    assert!(body["eta"].is_string() && body["message"].is_string());
    let job = ctx.finish_job(body["job_id"].as_str().unwrap()).await;
    assert_eq!(job["status"], "completed", "{job}");
    let outbox = ctx.sim.outbox();
    assert_eq!(outbox.len(), 1);
    let mail = &outbox[0];
    assert_eq!(mail.to, "me@example.com");
    assert_eq!(mail.format, "pdf");
    assert_eq!(mail.filename, "Big report.pdf");
    assert_eq!(mail.job_id, body["job_id"].as_str().unwrap());
    let expires = chrono::DateTime::parse_from_rfc3339(&mail.expires_at).unwrap();
    let days = (expires.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_hours();
    assert!((167..=168).contains(&days), "link lives 7 days: {days}h");
    let resp = ctx.http.get(&mail.link).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.bytes().await.unwrap().starts_with(b"%PDF-"));
    let (_, listed) = send(ctx.http.get(ctx.url("/__sim/outbox"))).await;
    assert_eq!(listed["emails"][0]["link"], mail.link.as_str());
    assert_eq!(ctx.sim.stats().submissions("email_export", "s\u{1f}pdf"), 1);
    let (status, _) =
        ctx.post_json("/v1/documents/export/email-request", json!({"session_id": "s", "format": "rtf"})).await;
    assert_eq!(status, 422);
}

#[tokio::test]
async fn download_links_serve_the_file_until_they_expire() {
    let ctx = start_with(SimConfig { presigned_download_ttl: Duration::from_millis(800), ..fast() }).await;
    session_with_document(&ctx).await;
    let (status, body) = ctx.post_json("/v1/downloads", json!({"session_id": "s", "format": "docx"})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["format"], "docx");
    assert_eq!(body["filename"], "plan.docx");
    assert!(body["expires_at"].is_string());
    let url = body["download_url"].as_str().unwrap();
    let resp = ctx.http.get(url).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.headers()["content-disposition"].to_str().unwrap().contains("plan.docx"));
    assert!(resp.bytes().await.unwrap().starts_with(b"PK"));
    tokio::time::sleep(Duration::from_millis(900)).await;
    let (status, _) = send(ctx.http.get(url)).await;
    assert_eq!(status, 404);
    let (status, body) = ctx.post_json("/v1/downloads", json!({"session_id": "s", "format": "txt"})).await;
    assert_eq!(status, 422);
    assert_eq!(body["detail"][0]["msg"], "Input should be 'doc', 'docx', 'pdf' or 'html'");
}

#[tokio::test]
async fn bench_knob_streams_a_synthetic_export_of_the_configured_size() {
    let size = 3 * 1024 * 1024 + 17;
    let ctx = start_with(SimConfig { bench_export_bytes: Some(size), ..fast() }).await;
    session_with_document(&ctx).await;
    let resp =
        ctx.post("/v1/documents/export").json(&json!({"session_id": "s", "format": "txt"})).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["content-length"], size.to_string().as_str());
    let bytes = resp.bytes().await.unwrap();
    assert_eq!(bytes.len() as u64, size);
    assert!(String::from_utf8_lossy(&bytes[..200]).contains("Project plan"));
    // Other formats still render for real.
    let resp =
        ctx.post("/v1/documents/export").json(&json!({"session_id": "s", "format": "pdf"})).send().await.unwrap();
    assert!(resp.bytes().await.unwrap().starts_with(b"%PDF-"));
    let over = start_with(SimConfig { bench_export_bytes: Some(size), export_cap_bytes: 1024, ..fast() }).await;
    session_with_document(&over).await;
    let (status, body) = over.post_json("/v1/documents/export", json!({"session_id": "s", "format": "html"})).await;
    assert_eq!(status, 413);
    assert_eq!(body["detail"]["error_code"], "document_too_large");
    let _: Value = body;
}

/// The docs crate's readers open what the sim sent: text survives, and paper size / orientation land.
#[tokio::test]
async fn exported_docx_and_pdf_open_again_with_their_page_setup() {
    let ctx = start_with(fast()).await;
    session_with_document(&ctx).await;
    for format in ["docx", "pdf"] {
        let resp = ctx
            .post("/v1/documents/export")
            .json(&json!({"session_id": "s", "format": format,
                          "options": {"paper_size": "A4", "orientation": "landscape", "margins": "narrow"}}))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        let bytes = resp.bytes().await.unwrap();
        let doc = superdocs_docs::import(&format!("back.{format}"), &bytes).expect("the export opens");
        assert!(doc.html.contains("Budget"), "{format}: {}", doc.html);
        let setup = doc.page_setup.expect("page setup read back");
        assert_eq!((setup.paper_size.as_str(), setup.orientation.as_str()), ("A4", "landscape"), "{format}");
    }
}
