// The activity drawer: every upload (bar, bytes, speed, ETA, cancel, retry) and chat jobs across sessions.
import * as ipc from "../ipc";
import type { Error as ApiError } from "../bindings/Error";
import type { JobEvent } from "../bindings/JobEvent";
import type { JobSummary } from "../bindings/JobSummary";
import type { QueuedUpload } from "../bindings/QueuedUpload";
import type { RetryEvent } from "../bindings/RetryEvent";
import type { TransferProgress } from "../bindings/TransferProgress";
import type { UploadEvent } from "../bindings/UploadEvent";
import type { UploadTarget } from "../bindings/UploadTarget";
import { refusalOf } from "../file-check";
import { sessions } from "./sessions.svelte";
import { toasts } from "./toasts.svelte";
import { t } from "../i18n.svelte";

export type UploadRow = {
  upload_id: string;
  filename: string;
  path: string;
  size: number;
  mode: UploadTarget;
  session_id: string;
  state: "queued" | "uploading" | "processing" | "retrying" | "done" | "failed" | "cancelled" | "refused";
  progress: TransferProgress | null;
  retry: RetryEvent | null;
  error: ApiError | null;
  /** Left unfinished when the app last quit: Retry queues the file anew. */
  interrupted?: boolean;
};

class ActivityState {
  uploads = $state<UploadRow[]>([]);
  jobs = $state<JobSummary[]>([]);

  /** Exports being made right now (the export dialog counts them). */
  exportsRunning = $state(0);
  /** What quitting would interrupt: uploads in flight and exports (jobs run on the server and resume). */
  transfersRunning = $derived(
    this.uploads.filter((u) => ["queued", "uploading", "processing", "retrying"].includes(u.state)).length + this.exportsRunning,
  );

  runningCount = $derived(
    this.uploads.filter((u) => ["queued", "uploading", "processing", "retrying"].includes(u.state)).length +
      this.jobs.filter((j) => ["pending", "in_progress", "awaiting_approval"].includes(j.status)).length,
  );

  async loadJobs() {
    this.jobs = await ipc.listJobs().catch(() => this.jobs);
  }

  trackJob(job_id: string, session_id: string, message: string) {
    if (this.jobs.some((j) => j.job_id === job_id)) return;
    this.jobs.unshift({ job_id, session_id, status: "pending", message, last_progress: null, changes: [], updated_at: new Date().toISOString() });
  }

  onJob(e: JobEvent) {
    let j = this.jobs.find((x) => x.job_id === e.job_id);
    if (!j) {
      this.trackJob(e.job_id, e.session_id, e.kind === "started" ? e.message : t("chat:activity.chatJob"));
      j = this.jobs.find((x) => x.job_id === e.job_id)!;
    }
    j.updated_at = new Date().toISOString();
    if (e.kind === "progress") {
      j.status = "in_progress";
      j.last_progress = e.text;
    } else if (e.kind === "awaiting_approval") {
      j.status = "awaiting_approval";
      j.last_progress = t("chat:waitingForReview");
    } else if (e.kind === "completed") {
      j.status = "completed";
      j.last_progress = t("chat:activity.done");
    } else if (e.kind === "failed") {
      j.status = "failed";
      j.last_progress = e.error.message;
    } else if (e.kind === "cancelled") {
      j.status = "cancelled";
      j.last_progress = t("chat:activity.cancelled");
    }
  }

  /** Events of uploads whose row does not exist yet: a small file can finish uploading before the
   *  command that queued it has answered with its id (seen in the e2e tests: the row stayed "Waiting…"). */
  #early = new Map<string, UploadEvent[]>();

  /** Applies the events that arrived before the row of `id`. */
  #replayEarly(id: string) {
    const early = this.#early.get(id);
    this.#early.delete(id);
    early?.forEach((e) => this.onEvent(e));
  }

  /** Queues paths (already checked by the UI; the shell checks again). Refused files get a row too. */
  async queue(paths: string[], sessionId: string, mode: UploadTarget): Promise<QueuedUpload[]> {
    const queued = await ipc.queueUploads(paths, sessionId, mode, (e) => this.onEvent(e));
    for (const q of queued) {
      this.uploads.unshift({
        upload_id: q.upload_id,
        filename: q.filename,
        path: q.path,
        size: q.size,
        mode: q.mode,
        session_id: q.session_id,
        state: q.refused ? "refused" : "queued",
        progress: null,
        retry: null,
        error: q.refused,
      });
      this.#replayEarly(q.upload_id);
    }
    return queued;
  }

  /** The one way files enter the queue (drop, picker, Ctrl+O): checked here first, refused files
   *  get a row with the reason and are never sent. A session is created when none is open. */
  async uploadPaths(paths: string[], mode: UploadTarget): Promise<{ queued: number; refused: number }> {
    if (!paths.length) return { queued: 0, refused: 0 };
    const sessionId = sessions.activeId ?? (await sessions.create());
    const infos = await ipc.statPaths(paths);
    const ok: string[] = [];
    let refused = 0;
    for (const f of infos) {
      const why = refusalOf(f, mode);
      if (why) {
        refused++;
        this.addRefused(f.name, f.path, f.size, mode, sessionId, why);
      } else ok.push(f.path);
    }
    const queued = ok.length ? await this.queue(ok, sessionId, mode) : [];
    return { queued: queued.filter((q) => !q.refused).length, refused: refused + queued.filter((q) => q.refused).length };
  }

  /** "Add as document": the text goes up as a .txt file and becomes the session's document. */
  async uploadText(sessionId: string, text: string, mode: UploadTarget) {
    const q = await ipc.uploadText(sessionId, text, "Pasted text.txt", mode, (e) => this.onEvent(e));
    this.uploads.unshift({ upload_id: q.upload_id, filename: q.filename, path: q.path, size: q.size, mode, session_id: sessionId, state: "queued", progress: null, retry: null, error: q.refused });
    this.#replayEarly(q.upload_id);
  }

  /** A refusal the UI made itself (before anything reached the shell), shown in the drawer too. */
  addRefused(filename: string, path: string, size: number, mode: UploadTarget, sessionId: string, error: ApiError) {
    this.uploads.unshift({ upload_id: `local_${Math.random().toString(36).slice(2)}`, filename, path, size, mode, session_id: sessionId, state: "refused", progress: null, retry: null, error });
  }

  onEvent(e: UploadEvent) {
    const u = this.uploads.find((x) => x.upload_id === e.upload_id);
    if (!u) {
      const early = this.#early.get(e.upload_id) ?? [];
      // Only the latest progress matters; the rest (processing, done, failed...) is kept in order.
      if (e.kind === "progress" && early.at(-1)?.kind === "progress") early.pop();
      early.push(e);
      this.#early.set(e.upload_id, early);
      return;
    }
    switch (e.kind) {
      case "progress":
        u.state = "uploading";
        u.progress = e.progress;
        u.retry = null;
        break;
      case "processing":
        u.state = "processing";
        break;
      case "retrying":
        u.state = "retrying";
        u.retry = e.retry;
        break;
      case "done":
        u.state = "done";
        if (sessions.activeId === u.session_id) {
          if (e.result.kind === "document" && e.result.html != null) sessions.setDocument(e.result.html);
          void sessions.reload();
        } else toasts.info(t("chat:upload.ready", { filename: u.filename }));
        void sessions.refresh();
        break;
      case "failed":
        u.state = "failed";
        u.error = e.error;
        break;
      case "cancelled":
        u.state = "cancelled";
        break;
    }
  }

  /** The uploads an earlier run did not finish, as cancelled rows with Retry (see `retry`). */
  async loadInterrupted() {
    const left = await ipc.interruptedUploads().catch(() => []);
    for (const u of left) {
      const upload_id = `interrupted_${Math.random().toString(36).slice(2)}`;
      this.uploads.push({ upload_id, filename: u.filename, path: u.path, size: u.size, mode: u.mode, session_id: u.session_id, state: "cancelled", progress: null, retry: null, error: null, interrupted: true });
    }
  }

  async cancel(id: string) {
    await ipc.cancelUpload(id);
  }

  async retry(id: string) {
    const u = this.uploads.find((x) => x.upload_id === id);
    if (!u) return;
    if (u.interrupted) {
      // Unknown to this run's shell: queued anew, into the session it was meant for.
      this.uploads = this.uploads.filter((x) => x.upload_id !== id);
      await this.queue([u.path], u.session_id, u.mode);
      return;
    }
    u.state = "queued";
    u.error = null;
    u.progress = null;
    await ipc.retryUpload(id);
  }

  clearFinished() {
    this.uploads = this.uploads.filter((u) => !["done", "cancelled", "refused"].includes(u.state));
    this.jobs = this.jobs.filter((j) => !["completed", "cancelled", "failed"].includes(j.status));
  }
}

export const activity = new ActivityState();
