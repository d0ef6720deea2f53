//! What tests can assert on: calls per route, bytes received per path, and how often the same
//! non-idempotent operation was submitted.
use serde::Serialize;
use std::collections::HashMap;
use std::sync::Mutex;

use crate::glob::glob_match;

/// Unit separator between the parts of a submission key (`session_id` US `message`).
pub const KEY_SEPARATOR: char = '\u{1f}';

#[derive(Debug, Clone, Default, Serialize)]
pub struct Stats {
    pub calls: Vec<CallCount>,
    pub bytes: Vec<PathBytes>,
    pub submissions: Vec<SubmissionCount>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CallCount {
    pub method: String,
    pub path: String,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct PathBytes {
    pub path: String,
    pub bytes: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct SubmissionCount {
    pub kind: String,
    pub key: String,
    pub count: u32,
}

impl Stats {
    /// Calls whose method equals `method` (any case; `*` = any) and whose path matches the glob.
    pub fn count(&self, method: &str, path_glob: &str) -> usize {
        self.calls
            .iter()
            .filter(|c| (method == "*" || c.method.eq_ignore_ascii_case(method)) && glob_match(path_glob, &c.path))
            .map(|c| c.count)
            .sum()
    }

    /// Request body bytes received on paths matching the glob.
    pub fn bytes_received(&self, path_glob: &str) -> u64 {
        self.bytes.iter().filter(|b| glob_match(path_glob, &b.path)).map(|b| b.bytes).sum()
    }

    /// How many times one operation was submitted. Kinds and keys: "chat" = session_id US message,
    /// "upload" = session_id US filename, "approve" = job_id, "email_export" = session_id US format.
    pub fn submissions(&self, kind: &str, key: &str) -> u32 {
        self.submissions.iter().filter(|s| s.kind == kind && s.key == key).map(|s| s.count).sum()
    }
}

#[derive(Default)]
pub(crate) struct StatsRecorder {
    inner: Mutex<Counters>,
}

#[derive(Default)]
struct Counters {
    calls: HashMap<(String, String), usize>,
    bytes: HashMap<String, u64>,
    submissions: HashMap<(String, String), u32>,
}

impl StatsRecorder {
    pub fn call(&self, method: &str, path: &str) {
        *self.inner.lock().unwrap().calls.entry((method.to_string(), path.to_string())).or_default() += 1;
    }

    pub fn bytes(&self, path: &str, n: u64) {
        if n > 0 {
            *self.inner.lock().unwrap().bytes.entry(path.to_string()).or_default() += n;
        }
    }

    pub fn submission(&self, kind: &str, key: String) {
        *self.inner.lock().unwrap().submissions.entry((kind.to_string(), key)).or_default() += 1;
    }

    pub fn reset(&self) {
        *self.inner.lock().unwrap() = Counters::default();
    }

    pub fn snapshot(&self) -> Stats {
        let c = self.inner.lock().unwrap();
        let mut stats = Stats {
            calls: c
                .calls
                .iter()
                .map(|((method, path), count)| CallCount { method: method.clone(), path: path.clone(), count: *count })
                .collect(),
            bytes: c.bytes.iter().map(|(path, bytes)| PathBytes { path: path.clone(), bytes: *bytes }).collect(),
            submissions: c
                .submissions
                .iter()
                .map(|((kind, key), count)| SubmissionCount { kind: kind.clone(), key: key.clone(), count: *count })
                .collect(),
        };
        stats.calls.sort_by(|a, b| (&a.path, &a.method).cmp(&(&b.path, &b.method)));
        stats.bytes.sort_by(|a, b| a.path.cmp(&b.path));
        stats.submissions.sort_by(|a, b| (&a.kind, &a.key).cmp(&(&b.kind, &b.key)));
        stats
    }
}
