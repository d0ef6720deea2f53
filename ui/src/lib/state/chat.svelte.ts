// The chat of each session: the composer (kept per session, never lost on failure), the running job
// with its live progress, proposed changes and decisions, and the inline error of the last send.
import * as ipc from "../ipc";
import type { Error as ApiError } from "../bindings/Error";
import type { JobEvent } from "../bindings/JobEvent";
import type { JobSummary } from "../bindings/JobSummary";
import type { ModelTier } from "../bindings/ModelTier";
import type { RetryEvent } from "../bindings/RetryEvent";
import type { ThinkingDepth } from "../bindings/ThinkingDepth";
import type { Decision } from "../proposed-changes";
import { composerLimit } from "../prompt-limit";
import { newOpId } from "../op-id";
import { sessions } from "./sessions.svelte";
import { app } from "./app.svelte";
import { activity } from "./activity.svelte";
import { retries } from "./retries.svelte";
import { Review } from "./review.svelte";
import { t } from "../i18n.svelte";
import { formatCount } from "../format";

export type LiveJob = {
  job_id: string;
  message: string;
  status: "running" | "awaiting_approval" | "applying";
  progress: string[];
  /** Sent from this window: `message` is the whole text (an adopted job's is a label). */
  sent: boolean;
  /** The changes proposed for review and the decisions on them. */
  review: Review;
  lastNewsAt: number;
  retry: RetryEvent | null;
};

export type SessionChat = {
  draft: string;
  tier: ModelTier;
  depth: ThinkingDepth;
  review: boolean;
  sending: boolean;
  opId: string | null;
  error: ApiError | null;
  /** The message that failed, so "Try another model" and "Retry" resend it. */
  failedMessage: string | null;
  job: LiveJob | null;
};

const TIERS: ModelTier[] = ["core", "turbo", "pro", "max"];

function newJob(job_id: string, message: string, status: LiveJob["status"]): LiveJob {
  return { job_id, message, status, sent: false, progress: [], review: new Review(), lastNewsAt: Date.now(), retry: null };
}

class ChatState {
  bySession = $state<Record<string, SessionChat>>({});

  /** The chat of a session if it was opened before (safe inside $derived: never writes). */
  get(sessionId: string | null): SessionChat | null {
    return sessionId ? (this.bySession[sessionId] ?? null) : null;
  }

  /** The chat of a session, created with the default tier, depth and review mode on first use. */
  for(sessionId: string): SessionChat {
    if (!this.bySession[sessionId]) {
      const s = app.settings;
      this.bySession[sessionId] = {
        draft: "",
        tier: s?.default_model_tier ?? "core",
        depth: s?.default_thinking_depth ?? "balanced",
        review: s?.review_by_default ?? false,
        sending: false,
        opId: null,
        error: null,
        failedMessage: null,
        job: null,
      };
    }
    return this.bySession[sessionId];
  }

  /** Sends the composer's text (or `text`). The draft is cleared only once the job is accepted. */
  async send(sessionId: string, text?: string) {
    const c = this.for(sessionId);
    const message = (text ?? c.draft).trim();
    if (!message || c.sending || c.job) return;
    const limit = composerLimit(message, app.rules?.prompt_limit_chars);
    if (limit.over) {
      c.error = {
        kind: "prompt_too_long",
        message: t("chat:promptTooLong", { limit: formatCount(limit.limit) }),
        request_id: "local",
        retryable: false,
        attempts: 0,
        suggested_action: "add_as_document",
        operation: { kind: "chat", label: "Sending a message", session_id: sessionId },
        at: new Date().toISOString(),
      };
      return;
    }
    c.sending = true;
    c.error = null;
    c.opId = newOpId("send");
    try {
      const accepted = await ipc.sendMessage(
        { session_id: sessionId, message, model_tier: c.tier, thinking_depth: c.depth, review: c.review },
        c.opId,
      );
      if (text == null || text === c.draft.trim()) c.draft = "";
      c.failedMessage = null;
      c.job = { ...newJob(accepted.job_id, message, "running"), sent: true };
      activity.trackJob(accepted.job_id, sessionId, message);
      // The list only (a new session shows up): the message shows as pending until the job's result.
      if (sessions.activeId === sessionId) void sessions.refresh();
    } catch (e) {
      c.error = ipc.asApiError(e);
      c.failedMessage = message;
      if (c.error.kind === "cancelled") c.error = null;
    } finally {
      c.sending = false;
      retries.done(c.opId);
      c.opId = null;
    }
  }

  /** "Try another model": the next tier up (wrapping), same message. */
  async sendWithAnotherModel(sessionId: string) {
    const c = this.for(sessionId);
    c.tier = TIERS[(TIERS.indexOf(c.tier) + 1) % TIERS.length];
    await this.send(sessionId, c.failedMessage ?? c.draft);
  }

  async cancelSend(sessionId: string) {
    const c = this.for(sessionId);
    if (c.opId) await ipc.cancelOperation(c.opId);
  }

  /** After a 409 on rewind: "Wait for the job" / "Cancel the job", then the rewind runs by itself. */
  async rewindAfterJob(sessionId: string, cancelFirst: boolean) {
    const turn = pendingRewind[sessionId];
    if (turn == null) return;
    const c = this.for(sessionId);
    c.error = null;
    if (!c.job) {
      delete pendingRewind[sessionId];
      await this.rewind(sessionId, turn);
      return;
    }
    waitingRewind[sessionId] = true;
    if (cancelFirst) await this.cancelJob(sessionId);
  }

  /** Jobs this window did not see start (running, or waiting for review, when the app last quit): each
   *  session with one shows it again, its proposed changes included, so it can be watched or decided. */
  adopt(jobs: JobSummary[]) {
    for (const j of jobs) {
      const status = j.status === "awaiting_approval" ? "awaiting_approval" : j.status === "pending" || j.status === "in_progress" ? "running" : null;
      if (!status) continue;
      const c = this.for(j.session_id);
      if (c.job) continue;
      const progress = j.last_progress ? [j.last_progress] : [];
      c.job = { ...newJob(j.job_id, j.message, status), progress, review: new Review(j.changes) };
    }
  }

  onJob(e: JobEvent) {
    const c = this.for(e.session_id);
    if ((e.kind === "completed" || e.kind === "failed" || e.kind === "cancelled") && waitingRewind[e.session_id]) {
      const turn = pendingRewind[e.session_id];
      delete waitingRewind[e.session_id];
      delete pendingRewind[e.session_id];
      if (turn != null) queueMicrotask(() => void this.rewind(e.session_id, turn));
    }
    // A job this window did not start (resumed after a restart, or sent from elsewhere) is adopted on
    // its first live event, so its progress and proposed changes show in its session.
    const live = e.kind === "progress" || e.kind === "retrying" || e.kind === "proposed_changes" || e.kind === "awaiting_approval";
    if (live && !c.job) {
      const known = activity.jobs.find((j) => j.job_id === e.job_id);
      c.job = newJob(e.job_id, known?.message ?? "", "running");
    }
    const job = c.job && c.job.job_id === e.job_id ? c.job : null;
    switch (e.kind) {
      case "started":
        if (!c.job) c.job = newJob(e.job_id, e.message, "running");
        break;
      case "progress":
        if (job) {
          job.progress.push(e.text);
          job.lastNewsAt = Date.now();
          job.retry = null;
        }
        break;
      case "retrying":
        if (job) job.retry = e.retry;
        break;
      case "proposed_changes":
        // Each change arrives once (`complete`: the job's whole list, normally what arrived already).
        if (job) {
          if (e.complete) job.review.replace(e.changes);
          else job.review.add(e.changes);
          job.lastNewsAt = Date.now();
        }
        break;
      case "awaiting_approval":
        if (job) job.status = "awaiting_approval";
        break;
      case "completed":
        c.job = null;
        if (e.usage) app.usage = e.usage;
        if (sessions.activeId === e.session_id) {
          // The result carries the new state: no need to read the whole history (document included) again.
          if (job?.sent && sessions.history) sessions.addTurn(job.message, e.response, e.document_html);
          else {
            if (e.document_html != null) sessions.setDocument(e.document_html);
            void sessions.reload();
          }
        } else void sessions.refresh();
        break;
      case "failed":
        c.job = null;
        c.error = e.error;
        c.failedMessage = job?.message ?? null;
        if (sessions.activeId === e.session_id) void sessions.reload();
        break;
      case "cancelled":
        c.job = null;
        if (sessions.activeId === e.session_id) void sessions.reload();
        break;
    }
    activity.onJob(e);
  }

  decide(sessionId: string, changeId: string, decision: Decision | null) {
    this.for(sessionId).job?.review.decide(changeId, decision);
  }

  decideAll(sessionId: string, approved: boolean) {
    this.for(sessionId).job?.review.decideAll(approved);
  }

  /** Sends the decisions once every change has one; the job resumes. */
  async submitDecisions(sessionId: string) {
    const c = this.for(sessionId);
    const job = c.job;
    if (!job || job.status !== "awaiting_approval") return;
    const review = job.review;
    if (!review.complete) return;
    job.status = "applying";
    try {
      await ipc.approveChanges(
        job.job_id,
        sessionId,
        review.changes.map((ch) => {
          const d = review.decisions.get(ch.change_id)!;
          return { change_id: ch.change_id, approved: d.approved, feedback: d.feedback ?? null };
        }),
      );
      review.clear();
    } catch (e) {
      job.status = "awaiting_approval";
      c.error = ipc.asApiError(e);
    }
  }

  async cancelJob(sessionId: string) {
    const job = this.for(sessionId).job;
    if (job) await ipc.cancelJob(job.job_id).catch((e) => (this.for(sessionId).error = ipc.asApiError(e)));
  }

  /** Rewind to before message `i` of the open history (its turn index read first if it is not known). */
  async rewindMessage(sessionId: string, i: number) {
    const turn = await sessions.turnIndexOf(i);
    if (turn != null) return this.rewind(sessionId, turn);
  }

  /** Rewind to before a user message; its text returns to the composer. */
  async rewind(sessionId: string, turnIndex: number) {
    const c = this.for(sessionId);
    c.error = null;
    try {
      const r = await ipc.revert(sessionId, turnIndex);
      if (r.compose_text != null) c.draft = r.compose_text;
      await sessions.reload();
      return true;
    } catch (e) {
      c.error = { ...ipc.asApiError(e) };
      pendingRewind[sessionId] = turnIndex;
      return false;
    }
  }
}

/** The rewind a 409 interrupted, so "Cancel the job" can finish it. */
export const pendingRewind: Record<string, number> = {};
const waitingRewind: Record<string, boolean> = {};

export const chat = new ChatState();
