//! Export (the core saves the file, or takes the e-mailed route by itself when the output is too
//! large) and handing files and links to the system.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use superdocs_client::export::{ExportOutcome, ExportSource, ExportSpec};
use superdocs_client::open_policy;
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
pub async fn export_document(
    app: AppHandle,
    state: State<'_, AppState>,
    args: ExportArgs,
    op_id: String,
    on_progress: Channel<TransferProgress>,
) -> Result<ExportOutcome> {
    // Only into a folder the user chose (or the default export folder): the page names it.
    let dest_dir = state.grants.folder(&args.folder)?;
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
        client.email_export(&req, &opts).await.map(|r| ExportOutcome::Emailed {
            recipient: r.recipient_email,
            eta: r.eta,
            job_id: r.job_id,
            message: r.message,
        })
    } else {
        let spec = ExportSpec {
            source: ExportSource::Session { session_id: args.session_id.clone() },
            format: args.format,
            options: Some(args.options.clone()),
            filename: Some(args.filename.clone()),
            recipient_email: None,
            dest_dir,
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
            state.grants.grant_export(path);
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            notifications::notify(&app, Finished::ExportSaved, &name, Some(&args.session_id));
        }
        ExportOutcome::Emailed { recipient, .. } => {
            notifications::notify(
                &app,
                Finished::ExportEmailed,
                &format!("A download link is on its way to {recipient}."),
                Some(&args.session_id),
            );
        }
    }
    if let Err(e) = state.profiles.store().record_export(&args.session_id, args.format, &outcome) {
        tracing::warn!(error = %e, "the export was not added to the history");
    }
    Ok(outcome)
}

fn opener_error(what: &str, e: impl std::fmt::Display) -> Error {
    Error::local(ErrorKind::Internal, format!("The system could not open {what}.")).with_detail(e.to_string())
}

/// Opens a file this app exported (and nothing else: not a path, URL or program the page names).
#[tauri::command]
pub fn open_path(app: AppHandle, state: State<'_, AppState>, path: String) -> Result<()> {
    let path = state.grants.export(&path)?;
    app.opener().open_path(path.to_string_lossy(), None::<&str>).map_err(|e| opener_error("the file", e))
}

/// Reveals an export, or a file the user gave, in the system file manager.
#[tauri::command]
pub fn show_in_folder(app: AppHandle, state: State<'_, AppState>, path: String) -> Result<()> {
    let path = state.grants.revealable(&path)?;
    app.opener().reveal_item_in_dir(path).map_err(|e| opener_error("the folder", e))
}

/// The one vetted opener for links: https, and mailto with its subject and body only.
#[tauri::command]
pub fn open_url(app: AppHandle, url: String) -> Result<()> {
    let url = open_policy::external_link(&url)?;
    app.opener().open_url(url, None::<&str>).map_err(|e| opener_error("the link", e))
}
