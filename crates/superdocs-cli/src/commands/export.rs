//! `superdocs export --session S --format F [--output PATH] [options]`: writes the file, or reports
//! where the e-mailed link went (too large to download, or `--email`).

use std::path::{Path, PathBuf};

use superdocs_client::export::{ExportOutcome, ExportSource, ExportSpec};
use superdocs_client::types::{EmailExportRequest, ExportFormat, ExportOptions};
use superdocs_client::Result;

use crate::cli::ExportArgs;
use crate::commands::wire;
use crate::context::Context;
use crate::{exit_code, output};

/// `--output` as (folder, file name wanted): a folder (existing, or written with a trailing
/// separator) keeps the server's name.
fn destination(output: Option<&Path>) -> (PathBuf, Option<String>) {
    match output {
        None => (PathBuf::from("."), None),
        Some(p) if p.is_dir() || p.as_os_str().to_string_lossy().ends_with(std::path::MAIN_SEPARATOR) => {
            (p.to_path_buf(), None)
        }
        Some(p) => {
            let dir = p
                .parent()
                .filter(|d| !d.as_os_str().is_empty())
                .map(Path::to_path_buf)
                .unwrap_or_else(|| PathBuf::from("."));
            (dir, p.file_name().map(|n| n.to_string_lossy().into_owned()))
        }
    }
}

pub async fn run(ctx: &Context, args: ExportArgs) -> Result<u8> {
    let client = ctx.client()?;
    let format: ExportFormat = wire(&args.format);
    let options = ExportOptions {
        paper_size: args.paper_size.clone(),
        orientation: args.orientation.clone(),
        margins: args.margins.clone(),
        watermark_text: args.watermark.clone(),
        ..ExportOptions::default()
    };
    let (dest_dir, wanted) = destination(args.output.as_deref());
    let outcome = if args.email {
        let req = EmailExportRequest {
            session_id: args.session.clone(),
            format,
            options: Some(options),
            filename: wanted.clone(),
            recipient_email: args.email_to.clone(),
        };
        let r = client.email_export(&req, &ctx.call).await?;
        ExportOutcome::Emailed { recipient: r.recipient_email, eta: r.eta, job_id: r.job_id, message: r.message }
    } else {
        let spec = ExportSpec {
            source: ExportSource::Session { session_id: args.session.clone() },
            format,
            options: Some(options),
            filename: wanted.clone(),
            recipient_email: args.email_to.clone(),
            dest_dir: dest_dir.clone(),
        };
        let mut outcome = client.export(&spec, None, &ctx.call).await?;
        // The server may name the file itself; honour the name asked for when it is free.
        if let (ExportOutcome::Saved { path, .. }, Some(name)) = (&mut outcome, &wanted) {
            let target = dest_dir.join(name);
            if *path != target && !target.exists() && std::fs::rename(&*path, &target).is_ok() {
                *path = target;
            }
        }
        outcome
    };
    match ctx.store() {
        Ok(store) => {
            if let Err(e) = store.record_export(&args.session, format, &outcome) {
                tracing::warn!(error = %e, "export not added to the local history");
            }
        }
        Err(e) => tracing::warn!(error = %e, "export not added to the local history"),
    }
    output::emit(ctx.json(), &outcome, |o| match o {
        ExportOutcome::Saved { path, bytes, .. } => println!("Saved {} ({bytes} bytes).", path.display()),
        ExportOutcome::Emailed { recipient, eta, .. } => println!(
            "The export is being e-mailed to {recipient}{}; the link lasts 7 days.",
            eta.as_deref().map(|e| format!(" (expected {e})")).unwrap_or_default()
        ),
    });
    Ok(exit_code::OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_is_a_folder_or_a_file() {
        assert_eq!(destination(None), (PathBuf::from("."), None));
        assert_eq!(destination(Some(Path::new("out.pdf"))), (PathBuf::from("."), Some("out.pdf".into())));
        assert_eq!(destination(Some(Path::new("/tmp/x/out.pdf"))), (PathBuf::from("/tmp/x"), Some("out.pdf".into())));
        let dir = std::env::temp_dir();
        assert_eq!(destination(Some(&dir)), (dir.clone(), None));
    }
}
