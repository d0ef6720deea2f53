//! Export (the core saves the file, or takes the e-mailed route by itself when the output is too
//! large) and handing files and links to the system.

use std::path::PathBuf;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use superdocs_client::export::{ExportOutcome, ExportSource, ExportSpec};
use superdocs_client::progress::TransferProgress;
use superdocs_client::types::{EmailExportRequest, ExportFormat, ExportOptions};
use superdocs_client::{Error, ErrorKind, Result};
use tauri::ipc::Channel;
use tauri::{AppHandle, State};
use tauri_plugin_opener::OpenerExt;
use ts_rs::TS;

use crate::events::operation_options;
use crate::notifications::{self, Finished};
use crate::state::AppState;

/// `email` forces the e-mailed link path (the shell also takes it by itself when the output is over 100 MB).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ExportArgs {
    pub session_id: String,
    pub format: ExportFormat,
    pub options: ExportOptions,
    pub filename: String,
    pub folder: String,
    pub email: bool,
}

#[tauri::command]
pub async fn export_document(app: AppHandle, state: State<'_, AppState>, args: ExportArgs, op_id: String, on_progress: Channel<TransferProgress>) -> Result<ExportOutcome> {
    let client = state.client()?;
    let opts = operation_options(&app, &op_id, state.begin_operation(&op_id));
    let outcome = if args.email {
        let req = EmailExportRequest {
            session_id: args.session_id.clone(),
            format: args.format,
            options: Some(args.options.clone()),
            filename: Some(args.filename.clone()),
            recipient_email: None,
        };
        client.email_export(&req, &opts).await.map(|r| ExportOutcome::Emailed { recipient: r.recipient_email, eta: r.eta, job_id: r.job_id, message: r.message })
    } else {
        let spec = ExportSpec {
            source: ExportSource::Session { session_id: args.session_id.clone() },
            format: args.format,
            options: Some(args.options.clone()),
            filename: Some(args.filename.clone()),
            recipient_email: None,
            dest_dir: PathBuf::from(&args.folder),
        };
        let sink = Arc::new(move |p: TransferProgress| {
            let _ = on_progress.send(p);
        });
        client.export(&spec, Some(sink), &opts).await
    };
    state.end_operation(&op_id);
    let outcome = outcome?;
    match &outcome {
        ExportOutcome::Saved { path, .. } => {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            notifications::notify(&app, Finished::ExportSaved, &name, Some(&args.session_id));
        }
        ExportOutcome::Emailed { recipient, .. } => {
            notifications::notify(&app, Finished::ExportEmailed, &format!("A download link is on its way to {recipient}."), Some(&args.session_id));
        }
    }
    if let Err(e) = state.store.record_export(&args.session_id, args.format, &outcome) {
        tracing::warn!(error = %e, "the export was not added to the history");
    }
    Ok(outcome)
}

fn opener_error(what: &str, e: impl std::fmt::Display) -> Error {
    Error::local(ErrorKind::Internal, format!("The system could not open {what}.")).with_detail(e.to_string())
}

/// Opens a saved file with the system's default app.
#[tauri::command]
pub fn open_path(app: AppHandle, path: String) -> Result<()> {
    app.opener().open_path(path, None::<&str>).map_err(|e| opener_error("the file", e))
}

/// Reveals a file in the system file manager.
#[tauri::command]
pub fn show_in_folder(app: AppHandle, path: String) -> Result<()> {
    app.opener().reveal_item_in_dir(path).map_err(|e| opener_error("the folder", e))
}

/// Only web and mail links leave the app (never file: or custom schemes from a document).
pub fn is_openable_url(url: &str) -> bool {
    let lower = url.trim_start().to_ascii_lowercase();
    ["https://", "http://", "mailto:"].iter().any(|s| lower.starts_with(s))
}

#[tauri::command]
pub fn open_url(app: AppHandle, url: String) -> Result<()> {
    if !is_openable_url(&url) {
        return Err(Error::local(ErrorKind::Validation, "Only web (http, https) and e-mail (mailto) links can be opened."));
    }
    app.opener().open_url(url, None::<&str>).map_err(|e| opener_error("the link", e))
}

#[cfg(test)]
mod tests {
    use super::is_openable_url;

    #[test]
    fn only_web_and_mail_links_open() {
        assert!(is_openable_url("https://superdocs.app/pricing"));
        assert!(is_openable_url("HTTP://example.com"));
        assert!(is_openable_url("mailto:support@superdocs.app"));
        assert!(!is_openable_url("file:///etc/passwd"));
        assert!(!is_openable_url("javascript:alert(1)"));
        assert!(!is_openable_url("superdocs://x"));
        assert!(!is_openable_url("/home/me/report.pdf"));
    }
}
