//! `superdocs chat --session S MESSAGE`: async by default (a job followed live), or `--sync`.

use superdocs_client::tracker::label_of;
use superdocs_client::types::{ApprovalMode, ChatRequest, ChatResponse};
use superdocs_client::Result;

use crate::cli::ChatArgs;
use crate::commands::wire;
use crate::context::Context;
use crate::follow::{follow, Followed, Review};
use crate::{exit_code, output};

fn print_usage(u: Option<&superdocs_client::types::Usage>) {
    if let Some(u) = u {
        eprintln!("({} of {} operations used this month)", u.monthly_used, u.monthly_limit);
    }
}

pub async fn run(ctx: &Context, args: ChatArgs) -> Result<u8> {
    let client = ctx.client()?;
    let mut req = ChatRequest::new(&args.session, &args.message);
    req.model_tier = args.model_tier.as_deref().map(wire);
    req.thinking_depth = args.thinking_depth.as_deref().map(wire);
    if args.review {
        req.approval_mode = Some(ApprovalMode::AskEveryTime);
    }
    if args.sync {
        let resp: ChatResponse = client.chat(&req, &ctx.call).await?;
        output::emit(ctx.json(), &resp, |r| {
            println!("{}", r.response);
            if let Some(c) = &r.document_changes {
                eprintln!("document changed: {}", c.changes_summary.as_deref().unwrap_or("(no summary)"));
            }
            print_usage(r.usage.as_ref());
        });
        return Ok(exit_code::OK);
    }
    let accepted = client.chat_async(&req, &ctx.call).await?;
    if !ctx.json() {
        eprintln!("job {} started", accepted.job_id);
    }
    let review = args.review.then_some(if args.approve_all {
        Review::ApproveAll
    } else if args.deny_all {
        Review::DenyAll
    } else {
        Review::Ask
    });
    let session = if accepted.session_id.is_empty() { args.session.clone() } else { accepted.session_id.clone() };
    let done: Followed = follow(ctx, &client, &session, &accepted.job_id, &label_of(&args.message), review).await?;
    output::emit(ctx.json(), &done, |d| {
        println!("{}", d.response.as_deref().unwrap_or(""));
        if let Some(c) = &d.document_changes {
            eprintln!("document changed: {}", c.changes_summary.as_deref().unwrap_or("(no summary)"));
        }
        print_usage(d.usage.as_ref());
    });
    Ok(exit_code::OK)
}
