//! One chat turn: the stand-in AI (`superdocs_docs::plan`) run against the session's document, paced
//! like a real turn, with review-mode proposals, and committed to the session history.
use serde_json::{json, Value};
use std::sync::Arc;
use std::time::Duration;

use superdocs_docs::{Edit, EditOperation, EditPlan};

use crate::config::ReviewAnnounce;
use crate::errors::MSG_CHAT_TIMEOUT;
use crate::ids;
use crate::jobs::JobStatus;
use crate::state::{Document, Message, Sim, World};

#[derive(Debug, Clone)]
pub struct TurnRequest {
    pub owner: String,
    pub session_id: String,
    pub message: String,
    pub document_html: Option<String>,
    /// `approval_mode = ask_every_time`: edits are proposed and wait for a decision.
    pub review: bool,
}

pub struct Turn {
    pub req: TurnRequest,
    /// The document the turn works on (chunked), if any.
    pub base_html: Option<String>,
    pub plan: EditPlan,
}

impl Turn {
    /// The session document after the turn: None when the turn had no document and drafted none.
    pub fn document_after<'a>(&self, final_html: &'a str) -> Option<&'a str> {
        (self.base_html.is_some() || !self.plan.edits.is_empty()).then_some(final_html)
    }
}

/// A proposed change as the wire shows it, with the edit it stands for.
pub struct Proposal {
    pub change_id: String,
    pub json: Value,
    pub edit_index: usize,
}

pub async fn prepare(sim: &Sim, req: TurnRequest) -> Turn {
    let session_html = {
        let world = sim.world.lock().unwrap();
        world.sessions.get(&req.session_id).and_then(|s| s.document.as_ref().map(|d| d.html.clone()))
    };
    let (message, sent) = (req.message.clone(), req.document_html.clone());
    let (base_html, plan) = tokio::task::spawn_blocking(move || {
        let base = sent.map(|h| superdocs_docs::chunks::chunkify(&h)).or(session_html);
        let plan = superdocs_docs::plan(&message, base.as_deref().unwrap_or(""));
        (base, plan)
    })
    .await
    .expect("planning does not panic");
    Turn { req, base_html, plan }
}

pub fn operation_name(op: EditOperation) -> &'static str {
    match op {
        EditOperation::Edit => "edit",
        EditOperation::Create => "create",
        EditOperation::Delete => "delete",
    }
}

/// Change objects for every edit of a plan, all in one batch.
pub fn proposals(edits: &[Edit]) -> Vec<Proposal> {
    let batch_id = ids::new_id("batch_");
    edits
        .iter()
        .enumerate()
        .map(|(i, edit)| {
            let change_id = ids::new_id("chg_");
            let json = json!({
                "change_id": change_id,
                "operation": operation_name(edit.operation),
                "chunk_id": edit.chunk_id,
                "old_html": edit.old_html,
                "new_html": edit.new_html,
                "ai_explanation": edit.explanation,
                "batch_id": batch_id,
                "batch_total": edits.len(),
                "insert_after_chunk_id": edit.insert_after_chunk_id,
            });
            Proposal { change_id, json, edit_index: i }
        })
        .collect()
}

pub fn document_changes(
    updated_html: &str,
    version_id: Option<&str>,
    summary: &str,
    requires_approval: bool,
    pending: Vec<Value>,
    diffs: Vec<Value>,
) -> Value {
    json!({
        "updated_html": updated_html,
        "version_id": version_id,
        "changes_summary": summary,
        "requires_approval": requires_approval,
        "pending_changes": pending,
        "chunk_diffs": diffs,
    })
}

/// Records the turn in the session: both messages, the checkpoint for revert, and the new document.
/// Returns the document's version id.
pub fn commit(world: &mut World, turn: &Turn, final_html: Option<&str>, reply: &str) -> Option<String> {
    let Ok(session) = world.session_mut(&turn.req.owner, &turn.req.session_id) else { return None };
    let turn_index = session.next_turn;
    session.next_turn += 1;
    session.checkpoints.insert(turn_index, session.document.clone());
    let checkpoint = Some(ids::new_id("ckpt_"));
    for (sender, content) in [("user", turn.req.message.as_str()), ("ai", reply)] {
        session.messages.push(Message {
            id: ids::new_id("msg_"),
            sender,
            content: content.to_string(),
            timestamp: ids::now_rfc3339(),
            turn_index,
            checkpoint_id: checkpoint.clone(),
        });
    }
    if let Some(html) = final_html {
        let unchanged = session.document.as_ref().is_some_and(|d| d.html == html);
        if !unchanged {
            let mut doc = Document::new(html.to_string(), None);
            if let Some(old) = &session.document {
                doc.document_id = old.document_id.clone();
                doc.filename = old.filename.clone();
            }
            session.document = Some(doc);
        }
    }
    session.touch();
    session.document.as_ref().map(|d| d.version_id.clone())
}

/// How long a turn may still run, measured from when it was submitted.
pub fn remaining(sim: &Sim, started: std::time::Instant) -> Duration {
    sim.config.chat_timeout.saturating_sub(started.elapsed())
}

// ---- the asynchronous job ----

/// Runs a chat job to its end (completed, failed on the time cap, or stopped by a cancel).
pub async fn run_chat_job(sim: Arc<Sim>, job_id: String, turn: Turn, started: std::time::Instant) {
    let limit = remaining(&sim, started);
    if tokio::time::timeout(limit, drive(&sim, &job_id, &turn)).await.is_err() {
        let mut world = sim.world.lock().unwrap();
        if let Some(job) = world.jobs.get_mut(&job_id) {
            if !job.status.is_terminal() {
                job.fail(JobStatus::Failed, MSG_CHAT_TIMEOUT);
            }
        }
    }
}

/// Applies `f` to the job unless it already ended (cancelled); false when it did.
fn with_job(sim: &Sim, job_id: &str, f: impl FnOnce(&mut crate::jobs::Job)) -> bool {
    let mut world = sim.world.lock().unwrap();
    match world.jobs.get_mut(job_id) {
        Some(job) if !job.status.is_terminal() => {
            f(job);
            true
        }
        _ => false,
    }
}

async fn drive(sim: &Sim, job_id: &str, turn: &Turn) {
    let step = sim.config.job_step_delay;
    let plan = &turn.plan;
    tokio::time::sleep(step).await;
    let first_chunk = plan.edits.iter().find_map(|e| e.chunk_id.clone().or(e.insert_after_chunk_id.clone()));
    let going = with_job(sim, job_id, |job| {
        job.set_status(JobStatus::InProgress);
        job.set_progress(5);
        if let Some(html) = turn.req.document_html.as_ref().and(turn.base_html.as_ref()) {
            job.emit("document_sync", json!({ "type": "document_sync", "content": html }));
        }
        // Not in the contract's list: clients must ignore event names they do not know.
        job.emit("ui_pointer", json!({ "type": "ui_pointer", "target": "editor", "chunk_id": first_chunk }));
    });
    if !going {
        return;
    }
    let lines = plan.progress.len().max(1);
    for (i, line) in plan.progress.iter().enumerate() {
        tokio::time::sleep(step).await;
        let progress = 5 + (80 * (i + 1) / lines) as u8;
        let line = line.clone();
        if !with_job(sim, job_id, |job| {
            job.emit(
                "intermediate",
                json!({ "type": "intermediate", "content": line, "timestamp": ids::now_rfc3339() }),
            );
            job.set_progress(progress);
        }) {
            return;
        }
    }

    let mut reply = plan.reply.clone();
    let (final_html, diffs) = if turn.req.review && !plan.edits.is_empty() {
        let Some((html, applied, note)) = review(sim, job_id, turn).await else { return };
        reply = format!("{reply} {note}");
        (html, applied)
    } else {
        let diffs = proposals(&plan.edits).into_iter().map(|p| p.json).collect();
        (plan.new_html.clone(), diffs)
    };

    tokio::time::sleep(step).await;
    let mut world = sim.world.lock().unwrap();
    if world.jobs.get(job_id).map_or(true, |j| j.status.is_terminal()) {
        return;
    }
    let version = commit(&mut world, turn, turn.document_after(&final_html), &reply);
    let usage = world.usage_of(&turn.req.owner, sim.config.monthly_limit);
    let changes = (!plan.edits.is_empty())
        .then(|| document_changes(&final_html, version.as_deref(), &plan.summary, false, vec![], diffs));
    let job = world.jobs.get_mut(job_id).expect("checked above");
    // A second event name outside the contract, as the real service has added such names before.
    let elapsed_ms = job.created.elapsed().as_millis() as u64;
    job.emit(
        "heartbeat_stats",
        json!({ "type": "heartbeat_stats", "elapsed_ms": elapsed_ms, "events": job.events.len() }),
    );
    job.emit(
        "final",
        json!({ "type": "final", "result": { "response": reply, "document_changes": changes, "usage": usage } }),
    );
    job.emit("usage", usage.clone());
    job.complete(json!({
        "response": reply, "session_id": turn.req.session_id, "document_changes": changes, "usage": usage,
    }));
}

/// Proposes every edit, waits until each one is approved or denied, and applies the approved ones.
/// Returns the new html, the applied changes and a sentence for the reply; None when the job ended.
async fn review(sim: &Sim, job_id: &str, turn: &Turn) -> Option<(String, Vec<Value>, String)> {
    let mut proposals = proposals(&turn.plan.edits);
    let announce = *sim.review_announce.lock().unwrap();
    if announce == ReviewAnnounce::OneByOneUntotalled {
        for p in &mut proposals {
            if let Some(o) = p.json.as_object_mut() {
                o.remove("batch_id");
                o.remove("batch_total");
            }
        }
    }
    let mut signals = None;
    let proposed = with_job(sim, job_id, |job| {
        for p in &proposals {
            job.emit("proposed_change", json!({ "type": "proposed_change", "content": p.json.to_string() }));
        }
        let batch: Vec<Value> = proposals.iter().map(|p| p.json.clone()).collect();
        if announce == ReviewAnnounce::Batch {
            let content = json!({ "changes": batch }).to_string();
            job.emit("proposed_change_batch", json!({ "type": "proposed_change_batch", "content": content }));
        }
        job.pending_changes = batch;
        job.set_status(JobStatus::AwaitingApproval);
        signals = Some(job.signals.clone());
    });
    let signals = signals.filter(|_| proposed)?;
    let decisions = loop {
        let notified = signals.decided.notified();
        {
            let world = sim.world.lock().unwrap();
            let job = world.jobs.get(job_id)?;
            if job.status.is_terminal() {
                return None;
            }
            if proposals.iter().all(|p| job.decisions.contains_key(&p.change_id)) {
                break job.decisions.clone();
            }
        }
        notified.await;
    };
    let approved: Vec<&Proposal> = proposals.iter().filter(|p| decisions[&p.change_id].approved).collect();
    let edits: Vec<&Edit> = approved.iter().map(|p| &turn.plan.edits[p.edit_index]).collect();
    let base = turn.base_html.clone().unwrap_or_default();
    let html = tokio::task::spawn_blocking({
        let edits: Vec<Edit> = edits.into_iter().cloned().collect();
        move || superdocs_docs::apply(&base, &edits.iter().collect::<Vec<_>>())
    })
    .await
    .ok()?;
    let feedback: Vec<String> = decisions.values().filter_map(|d| d.feedback.clone()).collect();
    let mut note = format!("Applied {} of {} proposed changes.", approved.len(), proposals.len());
    if !feedback.is_empty() {
        note.push_str(&format!(" Noted your feedback: {}", feedback.join("; ")));
    }
    let applied: Vec<Value> = approved.iter().map(|p| p.json.clone()).collect();
    let line = note.clone();
    with_job(sim, job_id, |job| {
        job.pending_changes.clear();
        job.set_status(JobStatus::InProgress);
        job.emit("intermediate", json!({ "type": "intermediate", "content": line, "timestamp": ids::now_rfc3339() }));
    })
    .then_some((html, applied, note))
}
