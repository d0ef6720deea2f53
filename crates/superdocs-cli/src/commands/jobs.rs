//! `superdocs jobs [list | show ID | cancel ID | watch ID]`.

use superdocs_client::types::{Job, JobStatus};
use superdocs_client::Result;

use crate::cli::JobsCommand;
use crate::commands::wire;
use crate::context::Context;
use crate::exit_code;
use crate::follow::{follow, Review};
use crate::output::{clip, emit};

fn status_name(s: JobStatus) -> String {
    serde_json::to_value(s).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default()
}

fn print_job(j: &Job) {
    println!("job:      {}", j.job_id);
    println!("type:     {}", j.job_type.as_deref().unwrap_or("-"));
    println!("session:  {}", j.session_id.as_deref().unwrap_or("-"));
    println!("status:   {}", status_name(j.status));
    println!("created:  {}", j.created_at.as_deref().unwrap_or("-"));
    if let Some(m) = &j.metadata.message {
        println!("message:  {}", clip(m, 100));
    }
    for i in &j.metadata.intermediate_responses {
        println!(
            "  #{} {}: {}",
            i.sequence,
            i.kind.as_deref().unwrap_or("-"),
            clip(i.content.as_deref().unwrap_or(""), 100)
        );
    }
    if let Some(r) = j.result.as_ref().and_then(|r| r.response.as_deref()) {
        println!("reply:    {r}");
    }
    if !j.error.is_null() {
        println!("error:    {}", j.error);
    }
}

pub async fn run(ctx: &Context, cmd: Option<JobsCommand>) -> Result<u8> {
    let client = ctx.client()?;
    match cmd.unwrap_or(JobsCommand::List { status: None, limit: None }) {
        JobsCommand::List { status, limit } => {
            let list = client.jobs(status.as_deref().map(wire), limit, &ctx.call).await?;
            emit(ctx.json(), &list, |l| {
                if l.jobs.is_empty() {
                    println!("No jobs.");
                }
                for j in &l.jobs {
                    println!(
                        "{:<28} {:<18} {:<24} {}",
                        j.job_id,
                        status_name(j.status),
                        j.session_id.as_deref().unwrap_or("-"),
                        clip(j.metadata.message.as_deref().or(j.metadata.filename.as_deref()).unwrap_or(""), 50)
                    );
                }
            });
        }
        JobsCommand::Show { id } => {
            let j = client.job(&id, &ctx.call).await?;
            emit(ctx.json(), &j, print_job);
        }
        JobsCommand::Cancel { id } => {
            let j = client.cancel_job(&id, &ctx.call).await?;
            emit(ctx.json(), &j, |j| println!("Job {} is {}.", j.job_id, status_name(j.status)));
        }
        JobsCommand::Watch { id, approve_all, deny_all } => {
            let j = client.job(&id, &ctx.call).await?;
            let session = j.session_id.clone().unwrap_or_default();
            let label = j.metadata.message.clone().unwrap_or_else(|| id.clone());
            let review = if approve_all {
                Some(Review::ApproveAll)
            } else if deny_all {
                Some(Review::DenyAll)
            } else {
                None
            };
            let done =
                follow(ctx, &client, &session, &id, &superdocs_client::tracker::label_of(&label), review).await?;
            emit(ctx.json(), &done, |d| println!("{}", d.response.as_deref().unwrap_or("")));
        }
    }
    Ok(exit_code::OK)
}
