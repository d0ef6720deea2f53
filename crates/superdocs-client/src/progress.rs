//! Transfer progress: bytes, total, speed, reported at most ~10 times a second (the UI and the CLI
//! cannot show more, and a 1 GiB transfer would otherwise send thousands of events).

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// One progress report of an upload or a download.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
pub struct TransferProgress {
    #[ts(type = "number")]
    pub bytes: u64,
    #[ts(type = "number | null")]
    pub total: Option<u64>,
    /// Average speed since the transfer (attempt) started.
    pub bytes_per_sec: f64,
    pub done: bool,
}

pub type ProgressSink = Arc<dyn Fn(TransferProgress) + Send + Sync>;

/// The shortest gap between two reports.
pub const MIN_INTERVAL: Duration = Duration::from_millis(100);

/// Counts bytes and calls the sink, throttled. The first and the final report always go out.
pub struct ProgressMeter {
    sink: Option<ProgressSink>,
    total: Option<u64>,
    bytes: u64,
    started: Instant,
    last_report: Option<Instant>,
}

impl ProgressMeter {
    pub fn new(sink: Option<ProgressSink>, total: Option<u64>) -> Self {
        ProgressMeter { sink, total, bytes: 0, started: Instant::now(), last_report: None }
    }

    /// Starts again from zero (a retried attempt sends every byte again).
    pub fn restart(&mut self) {
        self.bytes = 0;
        self.started = Instant::now();
        self.last_report = None;
    }

    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    pub fn add(&mut self, n: u64) {
        self.bytes += n;
        let now = Instant::now();
        let due = self.last_report.map_or(true, |t| now.duration_since(t) >= MIN_INTERVAL);
        if due {
            self.last_report = Some(now);
            self.emit(false);
        }
    }

    pub fn finish(&mut self) {
        self.emit(true);
    }

    fn emit(&self, done: bool) {
        if let Some(sink) = &self.sink {
            let secs = self.started.elapsed().as_secs_f64();
            let bytes_per_sec = if secs > 0.0 { self.bytes as f64 / secs } else { 0.0 };
            sink(TransferProgress { bytes: self.bytes, total: self.total, bytes_per_sec, done });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[test]
    fn throttles_but_always_reports_first_and_last() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let s2 = seen.clone();
        let mut m = ProgressMeter::new(Some(Arc::new(move |p| s2.lock().unwrap().push(p))), Some(10_000));
        for _ in 0..10_000 {
            m.add(1);
        }
        m.finish();
        let seen = seen.lock().unwrap();
        // 10 000 quick additions: the first one, maybe one more if the machine is slow, and the final.
        assert!(seen.len() <= 4, "{} reports", seen.len());
        assert_eq!(seen[0].bytes, 1);
        let last = seen.last().unwrap();
        assert_eq!((last.bytes, last.total, last.done), (10_000, Some(10_000), true));
    }
}
