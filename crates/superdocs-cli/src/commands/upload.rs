//! `superdocs upload FILE... --session S [--attachment]`: concurrent uploads, one progress bar each.

use std::sync::Arc;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::json;
use superdocs_client::host::LogHost;
use superdocs_client::types::OpenMode;
use superdocs_client::upload::{UploadKind, Uploaded};
use superdocs_client::upload_queue::{UploadEvent, UploadQueue, UploadSink};
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
    // The profile's upload queue (the app's too): a failed file stays on it, so the app lists it and
    // offers to send it again.
    let store = ctx.profile_store().map_err(|e| tracing::warn!(error = %e, "uploads are not recorded locally")).ok();
    let queue = UploadQueue::without_follow_up(Arc::new(LogHost), Context::layout().outgoing_dir());
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<(usize, Result<Uploaded>)>();
    let target = kind.target();
    let mut ids = Vec::new();
    for (i, p) in args.files.iter().enumerate() {
        let abs = std::path::absolute(p).unwrap_or_else(|_| p.clone());
        let (bar, answer) = (per_file[i].clone(), tx.clone());
        let sink: UploadSink = Arc::new(move |event| match event {
            UploadEvent::Progress { progress, .. } => {
                if let Some(t) = progress.total {
                    bar.set_length(t);
                }
                bar.set_position(progress.bytes);
            }
            UploadEvent::Done { result, .. } => {
                let _ = answer.send((i, Ok(result)));
            }
            UploadEvent::Failed { error, .. } => {
                let _ = answer.send((i, Err(error)));
            }
            UploadEvent::Processing { .. } | UploadEvent::Retrying { .. } | UploadEvent::Cancelled { .. } => {}
        });
        let queued = queue.add(&client, store.as_ref(), abs, &args.session, target, sink);
        if let Some(refused) = queued.refused {
            let _ = tx.send((i, Err(refused)));
        }
        ids.push(queued.upload_id);
    }
    drop(tx);
    let mut answers: Vec<Option<Result<Uploaded>>> = args.files.iter().map(|_| None).collect();
    // Counted, not until the channel closes: the queue keeps a failed upload's sink for a retry.
    while answers.iter().any(Option::is_none) {
        tokio::select! {
            next = rx.recv() => match next {
                Some((i, r)) => answers[i] = Some(r),
                None => break,
            },
            // Ctrl-C: the queue takes the unfinished uploads off its record (cancelled, not failed).
            _ = ctx.call.cancel.cancelled() => {
                for id in &ids {
                    queue.cancel(id);
                }
                break;
            }
        }
    }
    let results: Vec<Result<Uploaded>> =
        answers.into_iter().map(|a| a.unwrap_or_else(|| Err(Error::cancelled()))).collect();
    for (bar, r) in per_file.iter().zip(&results) {
        match r {
            Ok(_) => bar.finish(),
            Err(_) => bar.abandon(),
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
