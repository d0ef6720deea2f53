//! Help for a user who must report a problem: the logs folder and a diagnostics text (version, OS, the
//! last log lines, already redacted) to attach or copy.

use superdocs_client::Result;
use tauri::AppHandle;

use crate::logging;

/// How many log lines a report carries: enough for the last operation, short enough for an e-mail.
const REPORT_LOG_LINES: usize = 40;

/// Opens the folder of the log files in the file manager.
#[tauri::command]
pub fn open_logs_folder(app: AppHandle) -> Result<()> {
    logging::open_folder(&app)
}

/// The app's version, the OS, where the logs are and their last lines.
#[tauri::command]
pub fn diagnostics() -> String {
    let mut out = vec![
        format!("SuperDocs Desktop {}", env!("CARGO_PKG_VERSION")),
        format!("OS: {} ({}, {})", os_name(), std::env::consts::OS, std::env::consts::ARCH),
        format!("Logs: {}", logging::dir().map(|d| d.display().to_string()).unwrap_or_else(|| "not written".into())),
        format!("Last {REPORT_LOG_LINES} log lines:"),
    ];
    out.extend(logging::tail(REPORT_LOG_LINES));
    out.join("\n")
}

/// The distribution's name on Linux (os-release); the family elsewhere.
fn os_name() -> String {
    std::fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|t| t.lines().find_map(|l| l.strip_prefix("PRETTY_NAME=").map(|v| v.trim_matches('"').to_string())))
        .unwrap_or_else(|| std::env::consts::FAMILY.to_string())
}
