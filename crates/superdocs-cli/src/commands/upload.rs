//! `superdocs upload FILE... --session S [--attachment]`: concurrent uploads, one progress bar each.

use std::sync::Arc;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::json;
use superdocs_client::progress::{ProgressSink, TransferProgress};
use superdocs_client::store::UploadState;
use superdocs_client::types::OpenMode;
use superdocs_client::upload::{UploadKind, Uploaded};
use superdocs_client::{Error, Result};

use crate::cli::UploadArgs;
use crate::context::Context;
use crate::{exit_code, output};

pub async fn run(ctx: &Context, args: UploadArgs) -> Result<u8> {
    let client = ctx.client()?;
    let kind =
        if args.attachment { UploadKind::Attachment } else { UploadKind::Document { open_mode: OpenMode::Replace } };
    let bars = MultiProgress::with_draw_target(if ctx.json() {
        ProgressDrawTarget::hidden()
    } else {
        ProgressDrawTarget::stderr()
    });
    let style = ProgressStyle::with_template("{prefix:<24} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec}")
        .expect("a valid template")
        .progress_chars("=> ");
    let per_file: Vec<ProgressBar> = args
        .files
        .iter()
        .map(|p| {
            let bar = bars.add(ProgressBar::new(0).with_style(style.clone()));
            bar.set_prefix(output::clip(
                &p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
                24,
            ));
            bar
        })
        .collect();
    // The local upload queue records each file, so the app can show (and retry) what failed.
    let store = ctx.store().map_err(|e| tracing::warn!(error = %e, "uploads are not recorded locally")).ok();
    let target = kind.target();
    let queued: Vec<Option<i64>> = args
        .files
        .iter()
        .map(|p| {
            let store = store.as_ref()?;
            let abs = std::path::absolute(p).unwrap_or_else(|_| p.clone());
            let id = store.enqueue_upload(&abs, &args.session, target).ok()?;
            store.set_upload_state(id, UploadState::Uploading, None).ok()?;
            Some(id)
        })
        .collect();
    let sinks = per_file.clone();
    let results = client
        .upload_files(
            &args.files,
            &args.session,
            kind,
            move |i| {
                let bar = sinks[i].clone();
                Some(Arc::new(move |p: TransferProgress| {
                    if let Some(t) = p.total {
                        bar.set_length(t);
                    }
                    bar.set_position(p.bytes);
                }) as ProgressSink)
            },
            &ctx.call,
        )
        .await;
    for ((bar, r), id) in per_file.iter().zip(&results).zip(&queued) {
        let state = match r {
            Ok(_) => {
                bar.finish();
                (UploadState::Done, None)
            }
            Err(e) => {
                bar.abandon();
                (UploadState::Failed, Some(e.message.as_str()))
            }
        };
        if let (Some(store), Some(id)) = (&store, id) {
            if let Err(e) = store.set_upload_state(*id, state.0, state.1) {
                tracing::warn!(error = %e, "could not record the upload's outcome");
            }
        }
    }

    let mut first_error: Option<&Error> = None;
    let report: Vec<_> = args
        .files
        .iter()
        .zip(&results)
        .map(|(path, r)| match r {
            Ok(u) => json!({ "file": path, "ok": true, "result": u }),
            Err(e) => {
                first_error.get_or_insert(e);
                json!({ "file": path, "ok": false, "error": e })
            }
        })
        .collect();
    output::emit(ctx.json(), &report, |_| {
        for (path, r) in args.files.iter().zip(&results) {
            match r {
                Ok(Uploaded::Document { filename, chunks_count, .. }) => {
                    println!(
                        "{}: loaded as the document of {} ({} chunks)",
                        path.display(),
                        args.session,
                        chunks_count.unwrap_or(0)
                    );
                    let _ = filename;
                }
                Ok(Uploaded::Attachment { job_id, .. }) => {
                    println!(
                        "{}: attached to {} (indexing{})",
                        path.display(),
                        args.session,
                        job_id.as_deref().map(|j| format!(", job {j}")).unwrap_or_default()
                    )
                }
                Err(e) => eprintln!("{}: {}", path.display(), e.message),
            }
        }
    });
    if let (true, Some(e)) = (ctx.json(), first_error) {
        // Scripts read the failure where every command puts it.
        output::error(true, e);
    }
    Ok(first_error.map(exit_code::for_error).unwrap_or(exit_code::OK))
}
