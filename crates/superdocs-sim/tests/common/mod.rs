//! Shared helpers of the integration tests: a sim on loopback and a client that talks to it.
#![allow(dead_code)]
use serde_json::Value;
use std::time::Duration;
use superdocs_sim::{SimConfig, SimHandle};

pub struct Ctx {
    pub sim: SimHandle,
    pub http: reqwest::Client,
}

pub async fn start() -> Ctx {
    start_with(SimConfig::default()).await
}

pub async fn start_with(config: SimConfig) -> Ctx {
    let sim = SimHandle::start(config).await.expect("sim starts");
    let http = reqwest::Client::builder().timeout(Duration::from_secs(20)).build().unwrap();
    Ctx { sim, http }
}

pub const TEST_KEY_A: &str = "sk_0123456789abcdef0123456789abcdef";
pub const TEST_KEY_B: &str = "sk_fedcba9876543210fedcba9876543210";

impl Ctx {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.sim.base_url(), path)
    }
    pub fn get(&self, path: &str) -> reqwest::RequestBuilder {
        self.http.get(self.url(path)).bearer_auth(self.sim.key())
    }
    pub fn post(&self, path: &str) -> reqwest::RequestBuilder {
        self.http.post(self.url(path)).bearer_auth(self.sim.key())
    }
    pub fn delete(&self, path: &str) -> reqwest::RequestBuilder {
        self.http.delete(self.url(path)).bearer_auth(self.sim.key())
    }
    pub async fn post_json(&self, path: &str, body: Value) -> (u16, Value) {
        send(self.post(path).json(&body)).await
    }
    pub async fn get_json(&self, path: &str) -> (u16, Value) {
        send(self.get(path)).await
    }

    /// Polls a job until it leaves the running states (or `until` is seen).
    pub async fn wait_job(&self, job_id: &str, until: &[&str]) -> Value {
        for _ in 0..2000 {
            let (status, job) = self.get_json(&format!("/v1/jobs/{job_id}")).await;
            assert_eq!(status, 200, "{job}");
            let s = job["status"].as_str().unwrap().to_string();
            if until.contains(&s.as_str()) {
                return job;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        panic!("job {job_id} never reached {until:?}");
    }

    pub async fn finish_job(&self, job_id: &str) -> Value {
        self.wait_job(job_id, &["completed", "failed", "cancelled"]).await
    }

    /// Loads a document into a session through the multipart upload.
    pub async fn upload_document(&self, session_id: &str, filename: &str, bytes: Vec<u8>) -> (u16, Value) {
        let form = reqwest::multipart::Form::new()
            .part("file", reqwest::multipart::Part::bytes(bytes).file_name(filename.to_string()))
            .text("session_id", session_id.to_string())
            .text("open_mode", "replace");
        send(self.post("/v1/documents/upload").multipart(form)).await
    }
}

pub async fn send(req: reqwest::RequestBuilder) -> (u16, Value) {
    let resp = req.send().await.expect("request sent");
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    let json = if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap_or(Value::String(text)) };
    (status, json)
}

/// `detail` and a trace id, as every sim error body carries.
pub fn assert_detail(body: &Value, detail: &str) {
    assert_eq!(body["detail"], detail, "{body}");
    assert!(body["trace_id"].as_str().is_some_and(|t| t.starts_with("req_")), "{body}");
}

pub const SAMPLE_TXT: &str = "Project plan\n\nWe can't finish the report by Friday. It's late because the data isn't ready.\n\nBudget\n\nThe budget section explains the costs of the project in detail.\n\nNext steps\n\nWe'll meet on Monday to agree the plan.";

/// One SSE frame: `id`, `event`, `data` (None for comments).
#[derive(Debug, Clone)]
pub struct SseFrame {
    pub id: Option<u64>,
    pub event: Option<String>,
    pub data: Option<Value>,
    pub comment: bool,
}

pub fn parse_sse(text: &str) -> Vec<SseFrame> {
    text.split("\n\n")
        .filter(|f| !f.trim().is_empty())
        .map(|frame| {
            let mut out = SseFrame { id: None, event: None, data: None, comment: false };
            for line in frame.lines() {
                if line.starts_with(':') {
                    out.comment = true;
                } else if let Some(v) = line.strip_prefix("id: ") {
                    out.id = v.parse().ok();
                } else if let Some(v) = line.strip_prefix("event: ") {
                    out.event = Some(v.to_string());
                } else if let Some(v) = line.strip_prefix("data: ") {
                    out.data = serde_json::from_str(v).ok();
                }
            }
            out
        })
        .collect()
}

impl Ctx {
    /// Reads a job's whole SSE stream (the sim closes it after the end).
    pub async fn read_stream(&self, session_id: &str, job_id: &str, last_sequence: Option<u64>) -> Vec<SseFrame> {
        let mut url = format!("/v1/chat/{session_id}/stream?job_id={job_id}");
        if let Some(n) = last_sequence {
            url.push_str(&format!("&last_sequence={n}"));
        }
        let resp = self.get(&url).send().await.unwrap();
        assert_eq!(resp.status(), 200);
        assert_eq!(resp.headers()["content-type"], "text/event-stream");
        parse_sse(&resp.text().await.unwrap())
    }

    pub async fn start_chat(&self, session_id: &str, message: &str, extra: Value) -> String {
        let mut body = serde_json::json!({"message": message, "session_id": session_id});
        if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
            for (k, v) in e {
                b.insert(k.clone(), v.clone());
            }
        }
        let (status, resp) = self.post_json("/v1/chat/async", body).await;
        assert_eq!(status, 200, "{resp}");
        resp["job_id"].as_str().unwrap().to_string()
    }
}

pub fn fast() -> SimConfig {
    SimConfig { job_step_delay: Duration::from_millis(2), ..Default::default() }
}
