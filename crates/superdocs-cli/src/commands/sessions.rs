//! `superdocs sessions`, `history SESSION`, `revert --session S --turn N`.

use superdocs_client::Result;

use crate::context::Context;
use crate::exit_code;
use crate::output::{clip, emit};

pub async fn list(ctx: &Context, limit: Option<u32>) -> Result<u8> {
    let sessions = ctx.client()?.sessions(limit, &ctx.call).await?;
    emit(ctx.json(), &sessions, |list| {
        if list.is_empty() {
            println!("No sessions yet.");
        }
        for s in list {
            println!(
                "{:<32} {:>4} msgs  {:<25} {}",
                s.session_id,
                s.message_count,
                s.last_message_at.as_deref().unwrap_or("-"),
                clip(s.preview.as_deref().unwrap_or(""), 60)
            );
        }
    });
    Ok(exit_code::OK)
}

pub async fn history(ctx: &Context, session: &str) -> Result<u8> {
    let h = ctx.client()?.history(session, &ctx.call).await?;
    emit(ctx.json(), &h, |h| {
        for m in &h.messages {
            let who =
                serde_json::to_value(m.sender).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default();
            let turn = m.turn_index.map(|t| format!("#{t}")).unwrap_or_default();
            println!("[{who} {turn}] {}", m.content);
        }
        match &h.document_state {
            Some(d) => println!(
                "document: {} chunks, version {}",
                d.chunk_count.unwrap_or(0),
                d.version_id.as_deref().unwrap_or("-")
            ),
            None => println!("document: none"),
        }
    });
    Ok(exit_code::OK)
}

pub async fn revert(ctx: &Context, session: &str, turn: i64) -> Result<u8> {
    let r = ctx.client()?.revert(session, turn, &ctx.call).await?;
    emit(ctx.json(), &r, |r| {
        println!(
            "Reverted {} to turn {} ({} turns archived).",
            r.session_id,
            r.reverted_to_turn,
            r.archived_turn_count.unwrap_or(0)
        );
        if let Some(t) = &r.compose_text {
            println!("Your message, to edit and resend: {t}");
        }
    });
    Ok(exit_code::OK)
}
