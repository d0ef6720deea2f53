//! Sessions: list, history, jobs of a session, and revert.
use axum::extract::{Path, Query, State};
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;

use crate::accounts::Caller;
use crate::errors::{ApiError, ApiResult, MSG_REVERT_PREDATES, MSG_REVERT_RUNNING};
use crate::extract::{query_u64, ApiJson, QueryMap};
use crate::ids;
use crate::state::{Document, Message, Session, Sim, World};

pub async fn list(State(sim): State<Arc<Sim>>, caller: Caller, Query(q): Query<QueryMap>) -> ApiResult<Json<Value>> {
    let limit = query_u64(&q, "limit")?.unwrap_or(50) as usize;
    let world = sim.world.lock().unwrap();
    let mut mine: Vec<&Session> = world.sessions.values().filter(|s| s.owner == caller.key()).collect();
    mine.sort_by_key(|s| std::cmp::Reverse(s.last_activity));
    let sessions: Vec<Value> = mine
        .into_iter()
        .take(limit)
        .map(|s| {
            let last = s.messages.last();
            let preview: String = s
                .messages
                .iter()
                .rev()
                .find(|m| m.sender == "user")
                .map(|m| m.content.chars().take(100).collect())
                .unwrap_or_default();
            json!({
                "session_id": s.id,
                "message_count": s.messages.len(),
                "last_message_at": last.map(|m| m.timestamp.clone()).unwrap_or_else(|| ids::rfc3339(s.last_activity)),
                "preview": preview,
            })
        })
        .collect();
    Ok(Json(json!({ "sessions": sessions })))
}

pub fn document_state(doc: &Document, attachments: Vec<Value>) -> Value {
    json!({
        "html_content": doc.html,
        "version_id": doc.version_id,
        "chunk_count": superdocs_docs::chunks::blocks(&doc.html).len(),
        "last_modified": doc.last_modified,
        "attachments": attachments,
    })
}

fn attachments_of(world: &World, sid: &str) -> Vec<Value> {
    world
        .attachments
        .values()
        .filter(|a| a.session_id == sid)
        .map(|a| json!({ "attachment_id": a.id, "filename": a.filename, "status": a.status }))
        .collect()
}

pub async fn history(State(sim): State<Arc<Sim>>, caller: Caller, Path(sid): Path<String>) -> ApiResult<Json<Value>> {
    let world = sim.world.lock().unwrap();
    let session = world.existing_session(caller.key(), &sid)?;
    let messages: Vec<Value> = session.messages.iter().map(Message::to_json).collect();
    let doc = session.document.as_ref().map(|d| document_state(d, attachments_of(&world, &sid)));
    let action = if doc.is_some() { "update" } else { "keep" };
    Ok(Json(json!({ "session_id": sid, "messages": messages, "document_state": doc, "editor_action": action })))
}

pub async fn jobs(
    State(sim): State<Arc<Sim>>,
    caller: Caller,
    Path(sid): Path<String>,
    Query(q): Query<QueryMap>,
) -> ApiResult<Json<Value>> {
    let limit = query_u64(&q, "limit")?.unwrap_or(50) as usize;
    let mut world = sim.world.lock().unwrap();
    world.check_session_access(caller.key(), &sid)?;
    world.purge_jobs(sim.config.job_retention);
    let mut jobs: Vec<&crate::jobs::Job> =
        world.jobs.values().filter(|j| j.session_id == sid && j.owner == caller.key()).collect();
    jobs.sort_by_key(|j| std::cmp::Reverse(j.created));
    let total = jobs.len();
    let list: Vec<Value> = jobs.into_iter().take(limit).map(|j| j.to_json()).collect();
    Ok(Json(json!({ "jobs": list, "total": total })))
}

#[derive(Deserialize)]
pub struct RevertRequest {
    turn_index: i64,
}

pub async fn revert(
    State(sim): State<Arc<Sim>>,
    caller: Caller,
    Path(sid): Path<String>,
    ApiJson(body): ApiJson<RevertRequest>,
) -> ApiResult<Json<Value>> {
    let mut world = sim.world.lock().unwrap();
    world.existing_session(caller.key(), &sid)?;
    if world.chat_running(&sid) {
        return Err(ApiError::conflict(MSG_REVERT_RUNNING));
    }
    let session = world.sessions.get_mut(&sid).expect("checked above");
    let target = session
        .messages
        .iter()
        .find(|m| m.sender == "user" && i64::from(m.turn_index) == body.turn_index)
        .cloned()
        .ok_or_else(|| ApiError::not_found("Message not found in active history"))?;
    if target.checkpoint_id.is_none() {
        return Err(ApiError::detail(axum::http::StatusCode::UNPROCESSABLE_ENTITY, MSG_REVERT_PREDATES));
    }
    let turn = target.turn_index;
    let archived: std::collections::BTreeSet<u32> =
        session.messages.iter().filter(|m| m.turn_index >= turn).map(|m| m.turn_index).collect();
    session.messages.retain(|m| m.turn_index < turn);
    session.document = session.checkpoints.get(&turn).cloned().flatten();
    session.checkpoints.retain(|t, _| *t < turn);
    session.next_turn = turn;
    session.touch();
    let doc = session.document.clone();
    let action = if doc.is_some() { "update" } else { "clear" };
    let state = doc.as_ref().map(|d| document_state(d, attachments_of(&world, &sid)));
    Ok(Json(json!({
        "session_id": sid,
        "reverted_to_turn": i64::from(turn) - 1,
        "compose_text": target.content,
        "archived_turn_count": archived.len(),
        "document_state": state,
        "editor_action": action,
    })))
}

/// Adds turns without revert checkpoints, as sessions from before the feature have.
pub fn seed_legacy_turns(world: &mut World, owner: &str, sid: &str, messages: &[&str]) -> ApiResult<()> {
    crate::extract::validate_session_id(sid, &["body", "session_id"])?;
    let session = world.session_mut(owner, sid)?;
    for text in messages {
        let turn_index = session.next_turn;
        session.next_turn += 1;
        for (sender, content) in [("user", text.to_string()), ("ai", format!("(earlier reply to: {text})"))] {
            session.messages.push(Message {
                id: ids::new_id("msg_"),
                sender,
                content,
                timestamp: ids::now_rfc3339(),
                turn_index,
                checkpoint_id: None,
            });
        }
    }
    session.touch();
    Ok(())
}
