//! The app's log: to stderr (for a terminal and the e2e harness) and to a file rotated daily in the
//! platform's log folder (a Windows release build has no stderr), a week kept. Every line passes through
//! the core's key redaction on its way out, whatever wrote it. The level can be raised from Settings.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use superdocs_client::redact;
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{reload, EnvFilter, Registry};

const FILE_PREFIX: &str = "superdocs";
const FILE_SUFFIX: &str = "log";
const DAYS_KEPT: usize = 7;
const DEBUG_FILTER: &str = "info,superdocs_desktop=debug,superdocs_client=debug,superdocs_sim=debug";

static FILTER: OnceLock<reload::Handle<EnvFilter, Registry>> = OnceLock::new();
static LOG_DIR: OnceLock<PathBuf> = OnceLock::new();

/// `RUST_LOG` if set (tests, support), else info — or debug when the user asked for it in Settings.
fn filter(debug: bool) -> EnvFilter {
    match EnvFilter::try_from_default_env() {
        Ok(from_env) => from_env,
        Err(_) if debug => EnvFilter::new(DEBUG_FILTER),
        Err(_) => EnvFilter::new("info"),
    }
}

/// Starts logging to stderr and, when the folder can be made, to `dir`. Returns why the file log could
/// not start, so the caller can say so (the app still runs).
pub fn init(dir: &Path, debug: bool) -> Result<(), String> {
    let (filter, handle) = reload::Layer::new(filter(debug));
    let _ = FILTER.set(handle);
    let stderr = tracing_subscriber::fmt::layer().with_writer(Redacting(std::io::stderr));
    let file = RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix(FILE_PREFIX)
        .filename_suffix(FILE_SUFFIX)
        .max_log_files(DAYS_KEPT)
        .build(dir);
    let registry = tracing_subscriber::registry().with(filter).with(stderr);
    match file {
        Ok(appender) => {
            let _ = LOG_DIR.set(dir.to_path_buf());
            let file = tracing_subscriber::fmt::layer().with_ansi(false).with_writer(Redacting(appender));
            let _ = registry.with(file).try_init();
            Ok(())
        }
        Err(e) => {
            let _ = registry.try_init();
            Err(format!("The log file could not be opened in {}: {e}", dir.display()))
        }
    }
}

/// Applies the Settings choice (no effect when `RUST_LOG` decides).
pub fn set_debug(debug: bool) {
    if let Some(handle) = FILTER.get() {
        let _ = handle.reload(filter(debug));
    }
}

/// The folder of the log files, when the file log runs.
pub fn dir() -> Option<&'static Path> {
    LOG_DIR.get().map(PathBuf::as_path)
}

/// The last `n` lines of the newest log file (already redacted when written).
pub fn tail(n: usize) -> Vec<String> {
    let Some(dir) = dir() else { return Vec::new() };
    let newest = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(FILE_PREFIX))
        .max_by_key(|e| e.metadata().and_then(|m| m.modified()).ok());
    let Some(text) = newest.and_then(|e| std::fs::read(e.path()).ok()) else { return Vec::new() };
    let text = String::from_utf8_lossy(&text);
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(n)..].iter().map(|l| l.to_string()).collect()
}

/// A writer that masks API keys in every line it passes on.
struct Redacting<M>(M);

impl<'a, M: MakeWriter<'a>> MakeWriter<'a> for Redacting<M> {
    type Writer = RedactingWriter<M::Writer>;
    fn make_writer(&'a self) -> Self::Writer {
        RedactingWriter(self.0.make_writer())
    }
}

struct RedactingWriter<W>(W);

impl<W: Write> Write for RedactingWriter<W> {
    // The formatter writes one whole event per call, so a key is never split across two writes.
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let line = String::from_utf8_lossy(buf);
        self.0.write_all(redact::text(&line).as_bytes())?;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// Opens the folder of the log files in the file manager.
pub fn open_folder(app: &tauri::AppHandle) -> superdocs_client::Result<()> {
    use superdocs_client::{Error, ErrorKind};
    use tauri_plugin_opener::OpenerExt;
    let dir = dir().ok_or_else(|| Error::local(ErrorKind::Internal, "The log file is not running."))?;
    app.opener().open_path(dir.to_string_lossy(), None::<&str>).map_err(|e| {
        Error::local(ErrorKind::Internal, "The system could not open the logs folder.").with_detail(e.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_written_to_the_log_comes_out_masked() {
        let mut out = RedactingWriter(Vec::new());
        let key = format!("sk_{}", "ab12".repeat(8));
        writeln!(out, "connect failed for Bearer {key} at https://x/?api_key={key}").unwrap();
        let written = String::from_utf8(out.0).unwrap();
        assert!(!written.contains(&key), "{written}");
        assert!(written.contains("sk_…ab12"), "{written}");
    }
}
