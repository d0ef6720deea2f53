// A mock of the shell for `npm run dev:mock`, `build:mock` and the browser tests: the whole IPC
// contract of src/lib/ipc.ts over @tauri-apps/api/mocks, with sessions, a chunked document, async
// chat jobs with streaming progress and review-mode changes, uploads with progress, exports, usage,
// and every error card on demand.
//
// Controls: URL params  ?profile=demo|work  ?empty=1  ?pace=<ms>  ?fail=<cmd>:<fault>[,<cmd>:<fault>]
//           ?sessions=<n> (n more sessions)  ?paras=<n> (n more paragraphs in the first document; a review proposes one edit for each)
//           ?slow=<cmd>:<ms>[,<cmd>:<ms>] (the command answers after ms: list_profiles waiting on the keyring)
//           ?unopened=keyring|auth (the last profile, "Work", could not be reopened at start: keyring locked, key gone)
//           window.__mock.fail(cmd, fault, times?), .drag(paths), .drop(paths), .leave(), .calls, .state
import type { CommandArgs, CommandName, CommandResult } from "../lib/ipc";
import { mockIPC, mockWindows } from "@tauri-apps/api/mocks";
import { emit } from "@tauri-apps/api/event";
import type { Channel } from "@tauri-apps/api/core";
import type { Error as ApiError } from "../lib/bindings/Error";
import type { AppSettings } from "../lib/bindings/AppSettings";
import type { StartupProblem } from "../lib/bindings/StartupProblem";
import type { Opened } from "../lib/bindings/Opened";
import type { MenuAction } from "../lib/bindings/MenuAction";
import type { ApproveAll } from "../lib/bindings/ApproveAll";
import type { Unopened } from "../lib/bindings/Unopened";
import type { AttachmentStatus } from "../lib/bindings/AttachmentStatus";
import type { Change } from "../lib/bindings/Change";
import type { ChangeDecision } from "../lib/bindings/ChangeDecision";
import type { ExportArgs } from "../lib/bindings/ExportArgs";
import type { JobEvent } from "../lib/bindings/JobEvent";
import type { JobSummary } from "../lib/bindings/JobSummary";
import type { Message } from "../lib/bindings/Message";
import type { Operation } from "../lib/bindings/Operation";
import type { Profile } from "../lib/bindings/Profile";
import type { ExportOutcome } from "../lib/bindings/ExportOutcome";
import type { QueuedUpload } from "../lib/bindings/QueuedUpload";
import type { SendArgs } from "../lib/bindings/SendArgs";
import type { TransferProgress } from "../lib/bindings/TransferProgress";
import type { UploadEvent } from "../lib/bindings/UploadEvent";
import type { UploadTarget } from "../lib/bindings/UploadTarget";
import type { Usage } from "../lib/bindings/Usage";
import { checkFile, describe, PROMPT_LIMIT, RULES } from "./input-rules";
import { faultError, type FaultName } from "./faults";
import { ARCHIVE_HTML, CONTRACT_HTML, FILES, Q4_HTML, docFor } from "./fixtures";

type MockSession = {
  session_id: string;
  html: string | null;
  messages: Message[];
  attachments: AttachmentStatus[];
  last: string;
  huge: boolean;
};
type MockJob = JobSummary & { review: boolean; changes: Change[]; timers: number[] };
type MockUpload = QueuedUpload & { channel: Channel<UploadEvent>; timer: number | null; sent: number };

const params = new URLSearchParams(location.search);
const PACE = Number(params.get("pace") ?? 350);
const PARAS = Number(params.get("paras") ?? 0);
const para = (i: number, text: string) => `<p data-chunk-id="b${i}">${text}</p>`;
const MORE_HTML = Array.from({ length: PARAS }, (_, i) => para(i, `Paragraph ${i} says we don't stop.`)).join("\n");
const KEY_RE = /^sk_[0-9a-f]{32}$/;

const faults = new Map<string, { fault: FaultName; times: number }>();
for (const spec of (params.get("fail") ?? "").split(",").filter(Boolean)) {
  const [cmd, fault, times] = spec.split(":");
  faults.set(cmd, { fault: fault as FaultName, times: times ? Number(times) : Infinity });
}
const slow = new Map((params.get("slow") ?? "").split(",").filter(Boolean).map((spec) => [spec.split(":")[0], Number(spec.split(":")[1])]));

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
const msg = (sender: "user" | "ai", content: string, turn: number | null, m: number): Message => ({
  id: `${sender}_${turn}_${m}`,
  sender,
  content,
  timestamp: minutesAgo(m),
  turn_index: turn,
  checkpoint_id: turn == null ? null : `cp_${turn}`,
});

const demoProfile: Profile = { name: "Offline demo", kind: "demo", base_url: "http://127.0.0.1:48213", key_hint: null, backend_label: null };
const workProfile: Profile = {
  name: "Work",
  kind: "service",
  base_url: "https://api.superdocs.app",
  key_hint: "sk_…1a2b",
  backend_label: "GNOME Keyring",
};

const state = {
  profiles: [] as Profile[],
  active: null as string | null,
  unopened: null as Unopened | null,
  usage: { monthly_used: 412, monthly_limit: 500, monthly_remaining: 88, was_billable: true, subscription_tier: "free" } as Usage,
  settings: {
    default_model_tier: "core",
    default_thinking_depth: "balanced",
    review_by_default: false,
    notifications: "unfocused",
    download_folder: "/home/me/Downloads",
    network: { proxy: { mode: "system" } },
    debug_logging: false,
    panes: null,
    theme: (params.get("theme") as AppSettings["theme"]) ?? "system",
    update_check: "automatic",
    // `?lang=de`: the language chosen in Settings (the OS language is the browser's, `navigator.language`).
    language: params.get("lang"),
  } as AppSettings,
  sessions: [] as MockSession[],
  jobs: [] as MockJob[],
  uploads: new Map<string, MockUpload>(),
  ops: new Map<string, () => void>(),
  calls: [] as { cmd: string; args: unknown }[],
  nextPick: null as string[] | null,
  /** quit_now was called (the mock has no process to end). */
  quit: false,
  // `?open=/path/a.docx`: files a launch handed over (Open with SuperDocs).
  opened: { files: params.getAll("open"), session_id: null } as Opened,
  // `?startup=damaged`: the start-up error screen, as a damaged database shows it.
  startupProblem: (params.get("startup") === "damaged"
    ? { message: "The local database could not be opened.", detail: "file is not a database", data_dir: "/home/me/.local/share/app.superdocs.desktop", log_dir: "/home/me/.local/share/app.superdocs.desktop/logs" }
    : null) as StartupProblem | null,
};

function seedSessions() {
  if (params.get("empty") === "1") return;
  state.sessions = [
    {
      session_id: "s_q4report",
      html: Q4_HTML + MORE_HTML,
      messages: [
        msg("user", "Tighten the opening paragraph and keep the numbers.", 0, 42),
        msg("ai", "I shortened the opening paragraph and kept every figure as it was.", null, 41),
      ],
      attachments: [
        { attachment_id: "att_1", filename: "terms.pdf", status: "completed", error: null },
        { attachment_id: "att_2", filename: "logo.png", status: "processing", error: null },
      ],
      last: minutesAgo(41),
      huge: false,
    },
    {
      session_id: "s_contract",
      html: CONTRACT_HTML,
      messages: [msg("user", "Check the renewal clause.", 0, 60 * 26), msg("ai", "The renewal clause auto-renews with 60 days' notice.", null, 60 * 26)],
      attachments: [],
      last: minutesAgo(60 * 26),
      huge: false,
    },
    { session_id: "s_archive", html: ARCHIVE_HTML, messages: [], attachments: [], last: minutesAgo(60 * 24 * 9), huge: true },
    // ?sessions=<n>: n older sessions, for paging and the filter over all of them.
    ...Array.from({ length: Number(params.get("sessions") ?? 0) }, (_, i) => ({
      session_id: `s_old_${i}`,
      html: null,
      messages: [msg("user", `Old question number ${i}`, 0, 60 * 24 * 10 + i)],
      attachments: [],
      last: minutesAgo(60 * 24 * 10 + i),
      huge: false,
    })),
  ];
}

if (params.get("profile") === "demo") {
  state.profiles = [demoProfile];
  state.active = demoProfile.name;
  seedSessions();
} else if (params.get("profile") === "work") {
  state.profiles = [workProfile, demoProfile];
  state.active = workProfile.name;
  seedSessions();
}
const unopenedBy = params.get("unopened");
if (unopenedBy === "keyring" || unopenedBy === "auth") {
  state.profiles = [workProfile];
  const error = unopenedBy === "keyring" ? faultError("keyring", op("keyring", "Using the system keyring")) : { ...faultError("auth", null), message: `No API key is stored for the profile “${workProfile.name}”.` };
  state.unopened = { profile: workProfile.name, error };
}

// ── helpers ───────────────────────────────────────────────────────────────────────────────────

const later = (ms: number, f: () => void) => window.setTimeout(f, ms);

function sessionOf(id: string): MockSession {
  const s = state.sessions.find((x) => x.session_id === id);
  if (!s) throw { ...faultError("network", null), kind: "not_found", status: 404, message: "The item was not found; it may have expired or been removed.", retryable: false };
  return s;
}

function touch(s: MockSession) {
  s.last = new Date().toISOString();
}

let jobChannel: Channel<JobEvent> | null = null;
function sendJob(e: JobEvent) {
  jobChannel?.onmessage(e);
}

/** Consumes one planned fault for `cmd`, if any. */
function takeFault(cmd: string): FaultName | null {
  const f = faults.get(cmd) ?? faults.get("*");
  if (!f) return null;
  f.times -= 1;
  if (f.times <= 0) faults.delete(faults.get(cmd) ? cmd : "*");
  return f.fault;
}

/** The retry executor as the UI sees it: `retry` events under opId, cancellable, then success. */
function withRetries<T>(opId: string | undefined, times: number, run: () => T | Promise<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    let attempt = 1;
    let timer = 0;
    const cancel = () => {
      window.clearTimeout(timer);
      reject({ ...faultError("network", null), kind: "cancelled", message: "The operation was cancelled.", retryable: false });
    };
    if (opId) state.ops.set(opId, cancel);
    const step = () => {
      if (attempt > times) {
        if (opId) state.ops.delete(opId);
        try {
          resolve(run());
        } catch (e) {
          reject(e);
        }
        return;
      }
      attempt += 1;
      void emit("retry", { op_id: opId ?? "", retry: { attempt, of: 5, next_in_ms: 3000, reason: "HTTP 502 from the gateway" } });
      timer = window.setTimeout(step, PACE * 3);
    };
    step();
  });
}

function op(kind: Operation["kind"], label: string, session_id?: string, file?: string): Operation {
  return { kind, label, session_id: session_id ?? null, file: file ?? null };
}

// ── chat jobs ─────────────────────────────────────────────────────────────────────────────────

/** With ?paras: one edit for each added paragraph, as a big review proposes them. */
function paragraphChanges(s: MockSession): Change[] {
  if (!PARAS || !s.html?.includes('data-chunk-id="b0"')) return [];
  return Array.from({ length: PARAS }, (_, i) => ({
    change_id: `chg_b${i}`,
    operation: "edit" as const,
    chunk_id: `b${i}`,
    old_html: para(i, `Paragraph ${i} says we don't stop.`),
    new_html: para(i, `Paragraph ${i} says we do not stop.`),
    ai_explanation: `Formal wording in paragraph ${i}.`,
    batch_id: "b1",
    batch_total: PARAS,
    insert_after_chunk_id: null,
  }));
}

function proposedChanges(s: MockSession): Change[] {
  const chunks = [...(s.html ?? "").matchAll(/<(p|h1|h2)[^>]*data-chunk-id="([^"]+)"[^>]*>([\s\S]*?)<\/\1>/g)];
  const para = chunks.find((m) => m[1] === "p");
  const head = chunks[0];
  const changes: Change[] = [];
  if (para) {
    const shorter = para[3].replace(/, driven by [^.,]+/, "").replace(/\.\s.*$/, ".") + " Margins improved as well.";
    changes.push({
      change_id: "chg_1",
      operation: "edit",
      chunk_id: para[2],
      old_html: `<p data-chunk-id="${para[2]}">${para[3]}</p>`,
      new_html: `<p data-chunk-id="${para[2]}">${shorter}</p>`,
      ai_explanation: "Shorter opening that keeps the headline figure.",
      batch_id: "b1",
      batch_total: 2,
      insert_after_chunk_id: null,
    });
  }
  if (head) {
    changes.push({
      change_id: "chg_2",
      operation: "create",
      chunk_id: null,
      old_html: null,
      new_html: `<h2 data-chunk-id="n1">Summary</h2><p data-chunk-id="n2">Revenue grew 15% on enterprise demand; churn fell and two regions went live.</p>`,
      ai_explanation: "Adds a summary section under the title.",
      batch_id: "b1",
      batch_total: 2,
      insert_after_chunk_id: head[2],
    });
  }
  return [...changes, ...paragraphChanges(s)];
}

function applyChanges(html: string, changes: Change[]): string {
  let out = html;
  for (const c of changes) {
    if (c.operation === "edit" && c.old_html && c.new_html) out = out.replace(c.old_html, c.new_html);
    if (c.operation === "create" && c.new_html && c.insert_after_chunk_id) {
      const re = new RegExp(`(<([a-z0-9]+)[^>]*data-chunk-id="${c.insert_after_chunk_id}"[^>]*>[\\s\\S]*?</\\2>)`);
      out = out.replace(re, `$1\n${c.new_html}`);
    }
  }
  return out;
}

function runJob(job: MockJob, steps: string[], then: () => void) {
  steps.forEach((text, i) => {
    job.timers.push(
      later(PACE * (i + 1), () => {
        job.last_progress = text;
        job.updated_at = new Date().toISOString();
        if (job.status === "pending") job.status = "in_progress";
        sendJob({ kind: "progress", job_id: job.job_id, session_id: job.session_id, text, sequence: i + 1 });
      }),
    );
  });
  job.timers.push(later(PACE * (steps.length + 1), then));
}

function finishJob(job: MockJob, s: MockSession, response: string) {
  const jobFault = takeFault("job");
  if (jobFault) {
    job.status = "failed";
    sendJob({ kind: "failed", job_id: job.job_id, session_id: job.session_id, error: faultError(jobFault, op("chat", `Sending “${job.message.slice(0, 40)}”`, s.session_id)) });
    return;
  }
  job.status = "completed";
  s.messages.push(msg("ai", response, null, 0));
  touch(s);
  state.usage = {
    ...state.usage,
    monthly_used: state.usage.monthly_used + 1,
    monthly_remaining: Math.max(0, state.usage.monthly_remaining - 1),
  };
  sendJob({ kind: "completed", job_id: job.job_id, session_id: job.session_id, response, document_html: s.html, usage: state.usage });
  void emit("usage", state.usage);
}

function startJob(args: SendArgs): MockJob {
  const s = sessionOf(args.session_id);
  const turn = s.messages.filter((m) => m.sender === "user").length;
  s.messages.push(msg("user", args.message, turn, 0));
  touch(s);
  const job: MockJob = {
    job_id: `job_${Math.random().toString(16).slice(2, 10)}`,
    session_id: s.session_id,
    status: "pending",
    message: args.message,
    last_progress: null,
    updated_at: new Date().toISOString(),
    review: args.review,
    changes: [],
    timers: [],
  };
  state.jobs.unshift(job);
  later(0, () => sendJob({ kind: "started", job_id: job.job_id, session_id: s.session_id, message: args.message }));
  const steps = s.html ? ["Reading the document", "Finding the passages to change", "Drafting the changes"] : ["Thinking about your request", "Writing the answer"];
  runJob(job, steps, () => {
    if (!s.html) return finishJob(job, s, "There is no document in this session yet. Drop a file here or ask me to draft one.");
    const changes = proposedChanges(s);
    if (job.review && changes.length) {
      job.changes = changes;
      job.status = "awaiting_approval";
      job.last_progress = "Waiting for your review";
      // As the shell sends them: what arrived together as one message, then the whole list once.
      for (let i = 0; i < changes.length; i += 100)
        sendJob({ kind: "proposed_changes", job_id: job.job_id, session_id: s.session_id, changes: changes.slice(i, i + 100), complete: false });
      sendJob({ kind: "proposed_changes", job_id: job.job_id, session_id: s.session_id, changes, complete: true });
      sendJob({ kind: "awaiting_approval", job_id: job.job_id, session_id: s.session_id });
    } else {
      s.html = applyChanges(s.html, changes);
      finishJob(job, s, "Done: I tightened the opening paragraph and added a short summary under the title.");
    }
  });
  return job;
}

// ── uploads ───────────────────────────────────────────────────────────────────────────────────

function fileSize(path: string): number {
  if (path in FILES) return FILES[path];
  let h = 0;
  for (const c of path) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return 200_000 + (h % 3_000_000);
}

const baseName = (p: string) => p.split(/[\\/]/).pop() ?? p;

function pumpUpload(u: MockUpload) {
  const total = u.size;
  const chunk = Math.max(1, Math.ceil(total / 8));
  const failAt = takeFault("upload") ? Math.floor(total / 2) : null;
  const tick = () => {
    u.sent = Math.min(total, u.sent + chunk);
    if (failAt != null && u.sent >= failAt) {
      u.timer = null;
      u.channel.onmessage({ kind: "failed", upload_id: u.upload_id, error: faultError("server", op("upload", `Uploading ${u.filename}`, u.session_id, u.filename)) });
      return;
    }
    const progress: TransferProgress = { bytes: u.sent, total, bytes_per_sec: chunk * (1000 / PACE), done: u.sent >= total };
    u.channel.onmessage({ kind: "progress", upload_id: u.upload_id, progress });
    if (u.sent < total) {
      u.timer = later(PACE, tick);
      return;
    }
    u.channel.onmessage({ kind: "processing", upload_id: u.upload_id });
    u.timer = later(PACE, () => {
      u.timer = null;
      const s = sessionOf(u.session_id);
      if (u.mode === "document") {
        s.html = docFor(u.filename);
        touch(s);
        u.channel.onmessage({
          kind: "done",
          upload_id: u.upload_id,
          result: { kind: "document", route: total > 50 * 1024 * 1024 ? "presigned" : "multipart", session_id: s.session_id, filename: u.filename, document_id: `doc_${u.upload_id}`, html: s.html, version_id: "v2", chunks_count: 3 },
        });
      } else {
        const att: AttachmentStatus = { attachment_id: `att_${u.upload_id}`, filename: u.filename, status: "processing", error: null };
        s.attachments.push(att);
        void emit("attachments", { session_id: s.session_id, attachments: [...s.attachments] });
        later(PACE * 3, () => {
          att.status = "completed";
          void emit("attachments", { session_id: s.session_id, attachments: [...s.attachments] });
        });
        u.channel.onmessage({
          kind: "done",
          upload_id: u.upload_id,
          result: { kind: "attachment", route: "multipart", session_id: s.session_id, filename: u.filename, job_id: att.attachment_id, status: "processing" },
        });
      }
    });
  };
  u.timer = later(PACE / 2, tick);
}

// ── the command router ────────────────────────────────────────────────────────────────────────

/** One handler per command of the shell, typed by the generated call map: a command the shell no longer
 *  has, a renamed argument or a wrong result shape does not compile. */
type Routes = { [K in CommandName]: (a: CommandArgs<K>, retries: number) => CommandResult<K> | Promise<CommandResult<K>> };

const routes: Routes = {
  app_version: () => {
    return "0.1.0";
  },
  list_profiles: () => {
    return { profiles: state.profiles, active: state.active, unopened: state.unopened };
  },
  // The keyring unlocked meanwhile (a `fail` makes it still locked).
  reopen_profile: () => {
    const p = state.profiles.find((x) => x.name === state.unopened?.profile);
    if (!p) throw { ...faultError("network", null), kind: "validation", message: "There is no profile waiting to be reopened.", retryable: false };
    state.active = p.name;
    state.unopened = null;
    seedSessions();
    return p;
  },
  connect: (a) => {
    if (!KEY_RE.test(String(a.key ?? "").trim())) throw faultError("auth", op("key_check", "Checking your API key"));
    const p: Profile = { name: a.name || "SuperDocs", kind: "service", base_url: a.baseUrl ?? "https://api.superdocs.app", key_hint: `sk_…${String(a.key).trim().slice(-4)}`, backend_label: "GNOME Keyring" };
    state.profiles = [...state.profiles.filter((x) => x.name !== p.name), p];
    state.active = p.name;
    seedSessions();
    return p;
  },
  set_key: (a) => {
    if (!KEY_RE.test(String(a.key ?? "").trim())) throw faultError("auth", op("key_check", "Checking your API key"));
    const p = state.profiles.find((x) => x.name === a.profile);
    if (p) p.key_hint = `sk_…${String(a.key).trim().slice(-4)}`;
    return { profile: a.profile, backend_label: "GNOME Keyring", key_hint: p?.key_hint ?? "" };
  },
  test_key: () => {
    return state.usage;
  },
  delete_key: (a) => {
    const p = state.profiles.find((x) => x.name === a.profile);
    if (p) p.key_hint = null;
    return null;
  },
  delete_profile: (a) => {
    state.profiles = state.profiles.filter((x) => x.name !== a.profile);
    if (state.active === a.profile) state.active = state.profiles[0]?.name ?? null;
    return { profiles: state.profiles, active: state.active, unopened: state.unopened };
  },
  switch_profile: (a) => {
    const p = state.profiles.find((x) => x.name === a.profile);
    if (!p) throw { ...faultError("network", null), kind: "not_found", message: `There is no profile named “${a.profile}”.`, retryable: false };
    state.active = a.profile;
    return p;
  },
  start_demo: () => {
    if (!state.profiles.some((p) => p.kind === "demo")) state.profiles.push(demoProfile);
    state.active = demoProfile.name;
    seedSessions();
    return demoProfile;
  },
  list_sessions: (a, retries) => {
    return withRetries(undefined, retries, () =>
      [...state.sessions]
        .sort((x, y) => y.last.localeCompare(x.last))
        .map((s) => ({
          session_id: s.session_id,
          message_count: s.messages.length,
          last_message_at: s.last,
          preview: (s.html?.match(/<h1[^>]*>(.*?)<\/h1>/)?.[1] ?? s.messages[0]?.content ?? null),
        }))
        .slice(0, a.limit ?? 50),
    );
  },
  get_history: (a) => {
    const s = sessionOf(a.sessionId);
    return {
      session_id: s.session_id,
      messages: s.messages,
      document_state: s.html ? { html_content: s.html, version_id: "v1", chunk_count: 8, last_modified: s.last, attachments: [] } : null,
      editor_action: s.html ? "update" : "clear",
    };
  },
  new_session: () => {
    const s: MockSession = { session_id: `s_${Date.now().toString(36)}`, html: null, messages: [], attachments: [], last: new Date().toISOString(), huge: false };
    state.sessions.push(s);
    return s.session_id;
  },
  list_attachments: (a) => {
    return sessionOf(a.sessionId).attachments;
  },
  send_message: (a, retries) => {
    const args = a.args as SendArgs;
    if ([...args.message].length > PROMPT_LIMIT) throw faultError("prompt_too_long", op("chat", "Sending a message", args.session_id));
    return withRetries(a.opId, retries, () => {
      const job = startJob(args);
      return { job_id: job.job_id, session_id: job.session_id, status: "pending", message: "Job queued" };
    });
  },
  approve_changes: (a) => {
    const job = state.jobs.find((j) => j.job_id === a.jobId)!;
    const s = sessionOf(job.session_id);
    const decisions = a.decisions as ChangeDecision[];
    const keep = job.changes.filter((c) => decisions.find((d) => d.change_id === c.change_id)?.approved);
    job.status = "in_progress";
    runJob(job, ["Applying your decisions"], () => {
      s.html = applyChanges(s.html ?? "", keep);
      const n = keep.length;
      finishJob(job, s, n ? `Applied ${n} of ${job.changes.length} change${job.changes.length === 1 ? "" : "s"}.` : "No changes applied; the document is as it was.");
    });
    return { job_id: job.job_id, status: "in_progress", applied: keep.map((c) => c.change_id), denied: decisions.filter((d) => !d.approved).map((d) => d.change_id) };
  },
  cancel_job: (a) => {
    const job = state.jobs.find((j) => j.job_id === a.jobId);
    if (job && !["completed", "failed", "cancelled"].includes(job.status)) {
      job.timers.forEach((t) => window.clearTimeout(t));
      job.status = "cancelled";
      later(PACE / 3, () => sendJob({ kind: "cancelled", job_id: job.job_id, session_id: job.session_id }));
    }
    return null;
  },
  watch_jobs: (a) => {
    jobChannel = a.onEvent;
    return null;
  },
  retry_jobs_now: () => {
    if (offline.jobs.length) later(PACE, reconnecting);
    return null;
  },
  list_jobs: () => {
    // A job waiting for review carries its changes (the shell's list_jobs does, for a window after a restart).
    return state.jobs.map(({ review: _r, changes, timers: _t, ...j }) => ({ ...j, changes: j.status === "awaiting_approval" ? changes : [] }));
  },
  revert: (a) => {
    const s = sessionOf(a.sessionId);
    const running = state.jobs.some((j) => j.session_id === s.session_id && ["pending", "in_progress", "awaiting_approval"].includes(j.status));
    if (running) throw faultError("conflict", op("revert", "Rewinding the session", s.session_id));
    const idx = s.messages.findIndex((m) => m.sender === "user" && m.turn_index === a.turnIndex);
    const compose = idx >= 0 ? s.messages[idx].content : null;
    const archived = idx >= 0 ? s.messages.length - idx : 0;
    if (idx >= 0) s.messages = s.messages.slice(0, idx);
    return { session_id: s.session_id, reverted_to_turn: a.turnIndex - 1, compose_text: compose, archived_turn_count: archived, document_state: s.html ? { html_content: s.html, version_id: "v0", chunk_count: 8, last_modified: s.last, attachments: [] } : null, editor_action: "update" };
  },
  cancel_operation: (a) => {
    state.ops.get(a.opId)?.();
    state.ops.delete(a.opId);
    return null;
  },
  stat_paths: (a) => {
    return (a.paths as string[]).map((p) => describe({ path: p, name: baseName(p), size: fileSize(p), is_dir: p.endsWith("/") }));
  },
  input_rules: () => RULES,
  pick_files: () => {
    const picked = state.nextPick ?? ["/home/me/Documents/terms.pdf"];
    state.nextPick = null;
    return picked;
  },
  pick_folder: () => {
    return "/home/me/Exports";
  },
  queue_uploads: (a) => {
    const out: QueuedUpload[] = [];
    for (const path of a.paths as string[]) {
      const info = { path, name: baseName(path), size: fileSize(path), is_dir: false };
      const refused: ApiError | null = checkFile(info, a.mode as UploadTarget)
        ? info.name.toLowerCase().endsWith(".doc")
          ? faultError("unsupported_file", op("upload", `Uploading ${info.name}`, a.sessionId, info.name))
          : checkFile(info, a.mode)
        : null;
      const u: MockUpload = { upload_id: `up_${Math.random().toString(16).slice(2, 10)}`, path, filename: info.name, size: info.size, mode: a.mode, session_id: a.sessionId, refused, channel: a.onEvent, timer: null, sent: 0 };
      const { channel: _c, timer: _t, sent: _s, ...wire } = u;
      out.push(wire);
      if (!refused) {
        state.uploads.set(u.upload_id, u);
        pumpUpload(u);
      }
    }
    return out;
  },
  upload_text: (a) => {
    const size = new Blob([String(a.text)]).size;
    const u: MockUpload = { upload_id: `up_${Math.random().toString(16).slice(2, 10)}`, path: `/tmp/superdocs/${a.filename}`, filename: a.filename, size, mode: a.mode, session_id: a.sessionId, refused: null, channel: a.onEvent, timer: null, sent: 0 };
    state.uploads.set(u.upload_id, u);
    pumpUpload(u);
    const { channel: _c, timer: _t, sent: _s, ...wire } = u;
    return wire;
  },
  cancel_upload: (a) => {
    const u = state.uploads.get(a.uploadId);
    if (u?.timer != null) window.clearTimeout(u.timer);
    if (u) {
      u.timer = null;
      u.channel.onmessage({ kind: "cancelled", upload_id: u.upload_id });
    }
    return null;
  },
  interrupted_uploads: () => {
    return [];
  },
  retry_upload: (a) => {
    const u = state.uploads.get(a.uploadId);
    if (u) {
      u.sent = 0;
      pumpUpload(u);
    }
    return null;
  },
  export_document: (a, retries) => {
    const args = a.args as ExportArgs;
    const s = sessionOf(args.session_id);
    const ch = a.onProgress as Channel<TransferProgress>;
    if (s.huge || args.email)
      return withRetries(a.opId, retries, () => ({ kind: "emailed", recipient: "you@example.com", eta: "about 10 minutes", job_id: "exp_1", message: "We'll e-mail you a download link." }));
    const total = args.format === "pdf" ? 1_843_200 : 412_000;
    return withRetries(a.opId, retries, () => new Promise<ExportOutcome>((resolve) => {
      let sent = 0;
      const tick = () => {
        sent = Math.min(total, sent + total / 5);
        ch.onmessage({ bytes: Math.round(sent), total, bytes_per_sec: total / 5 / (PACE / 1000), done: sent >= total });
        if (sent < total) later(PACE / 2, tick);
        else resolve({ kind: "saved", path: `${args.folder}/${args.filename}`, bytes: total, warnings: null });
      };
      later(PACE / 2, tick);
    }));
  },
  open_path: () => {
    return null;
  },
  show_in_folder: () => {
    return null;
  },
  open_url: () => {
    return null;
  },
  get_usage: () => {
    return state.usage;
  },
  system_locale: () => {
    return navigator.language;
  },
  get_settings: () => {
    return state.settings;
  },
  check_update: () => {
    return null;
  },
  // The mock never offers an update (check_update answers null), so these are never reached by the UI.
  download_update: () => {
    throw { ...faultError("network", null), kind: "validation", message: "Check for updates first.", retryable: false };
  },
  install_update: () => {
    throw { ...faultError("network", null), kind: "validation", message: "Check for updates first.", retryable: false };
  },
  save_settings: (a) => {
    const next = a.settings;
    // The core's Network::validate, for the proxy address the browser tests type.
    if (next.network.proxy.mode === "manual" && !/^https?:\/\/[^/:]+/.test(next.network.proxy.url)) {
      throw { ...faultError("network", null), kind: "validation", message: "The proxy address is not valid (relative URL without a base). Use http://host:port.", retryable: false };
    }
    state.settings = { ...next };
    return state.settings;
  },
  pick_certificate: () => "/home/me/company-ca.pem",
  open_logs_folder: () => null,
  open_data_folder: () => null,
  quit_ack: () => null,
  quit_cancelled: () => null,
  quit_now: () => {
    state.quit = true;
    return null;
  },
  take_opened: () => {
    const taken = state.opened;
    state.opened = { files: [], session_id: null };
    return taken;
  },
  startup_problem: () => state.startupProblem,
  retry_startup: () => state.startupProblem,
  reset_local_data: () => {
    state.startupProblem = null;
    return null;
  },
  diagnostics: () =>
    ["SuperDocs Desktop 0.1.0 (mock)", "OS: mock (linux, x86_64)", "Logs: /home/me/.local/share/app.superdocs.desktop/logs", "Last 40 log lines:", "INFO superdocs_desktop: started"].join("\n"),
};

/** What the fault path reads of any command's arguments. */
type Args = { sessionId?: string; args?: { message?: string; filename?: string; session_id?: string } } & Record<string, unknown>;

async function handle(cmd: string, a: Args): Promise<unknown> {
  if (slow.get(cmd)) await new Promise((r) => setTimeout(r, slow.get(cmd)));
  const fault = takeFault(cmd);
  if (fault && fault !== "server_retry") {
    const kind: Record<string, Operation["kind"]> = { send_message: "chat", revert: "revert", export_document: "export", queue_uploads: "upload", connect: "key_check", list_sessions: "sessions", get_history: "history" };
    throw faultError(fault, op(kind[cmd] ?? "other", labelFor(cmd, a), a.sessionId ?? a.args?.session_id));
  }
  const retries = fault === "server_retry" ? 2 : 0;

  const route = (routes as Record<string, ((a: unknown, retries: number) => unknown) | undefined>)[cmd];
  if (!route) throw { ...faultError("network", null), kind: "internal", message: `The mock does not know the command ${cmd}.`, retryable: false };
  return route(a, retries);
}

function labelFor(cmd: string, a: Args): string {
  switch (cmd) {
    case "send_message":
      return `Sending “${String(a.args?.message ?? "").slice(0, 40)}”`;
    case "export_document":
      return `Exporting ${a.args?.filename ?? "the document"}`;
    case "revert":
      return "Rewinding the session";
    case "connect":
      return "Checking your API key";
    default:
      return cmd.replace(/_/g, " ");
  }
}

// ── offline: the tracker cannot reach the service for running jobs (control.goOffline / comeBack) ──
const offline = { attempt: 0, jobs: [] as MockJob[] };
function reconnecting() {
  offline.jobs = offline.jobs.filter((j) => !["completed", "failed", "cancelled"].includes(j.status));
  offline.attempt += 1;
  for (const j of offline.jobs) {
    const error = faultError("network", op("chat", `Following “${j.message.slice(0, 40)}”`, j.session_id));
    sendJob({ kind: "reconnecting", job_id: j.job_id, session_id: j.session_id, attempt: offline.attempt, next_retry_ms: 8000 * offline.attempt, error });
  }
}

mockWindows("main");
mockIPC(
  (cmd, payload) => {
    const args = (payload ?? {}) as Args;
    state.calls.push({ cmd, args: cmd === "connect" || cmd === "set_key" ? { ...args, key: "<redacted by mock log>" } : args });
    return handle(cmd, args);
  },
  { shouldMockEvents: true },
);

/** Positions as Tauri sends them: physical pixels. */
function dragEvent(name: string, paths: string[], x = 10, y = 10) {
  const r = window.devicePixelRatio || 1;
  void emit(name, { paths, position: { x: x * r, y: y * r } });
}

const control = {
  state,
  get calls() {
    return state.calls;
  },
  fail(cmd: string, fault: FaultName, times = 1) {
    faults.set(cmd, { fault, times });
  },
  clearFaults() {
    faults.clear();
  },
  pickNext(paths: string[]) {
    state.nextPick = paths;
  },
  drag(paths: string[], x?: number, y?: number) {
    dragEvent("tauri://drag-enter", paths, x, y);
  },
  over(x: number, y: number) {
    dragEvent("tauri://drag-over", [], x, y);
  },
  /** Drops at (x, y) in CSS pixels; by default on the target named by `on`. */
  drop(paths: string[], on: "document" | "attachment" = "document") {
    const el = document.querySelector(`[data-testid="drop-${on}"]`)?.getBoundingClientRect();
    dragEvent("tauri://drag-drop", paths, el ? el.x + el.width / 2 : 10, el ? el.y + el.height / 2 : 10);
  },
  leave() {
    void emit("tauri://drag-leave", null);
  },
  backgroundError(fault: FaultName) {
    void emit("error", faultError(fault, op("attachments", "Indexing attachments")));
  },
  /** A job event as the shell sends it (e.g. of a job this window did not start). */
  job(e: JobEvent) {
    sendJob(e);
  },
  focusSession(id: string) {
    void emit("focus_session", id);
  },
  /** A job's notification asked to approve all its changes (`confirm`: the platform had no button for it). */
  approveAll(a: ApproveAll) {
    void emit("approve_all", a);
  },
  /** The window's close button or File → Quit, as the shell reports it. */
  requestQuit() {
    void emit("quit_requested", null);
  },
  /** A native menu item, as the shell reports it. */
  menu(action: MenuAction) {
    void emit("menu", action);
  },
  /** Running jobs lose the service: their steps pause, `reconnecting` goes out (again on retry_jobs_now). */
  goOffline() {
    offline.jobs = state.jobs.filter((j) => ["pending", "in_progress"].includes(j.status));
    offline.jobs.forEach((j) => j.timers.forEach((t) => window.clearTimeout(t)));
    offline.attempt = 0;
    reconnecting();
  },
  /** The service is back: `reconnected`, then each paused job goes on to its end. */
  comeBack() {
    for (const j of offline.jobs.filter((x) => !["completed", "failed", "cancelled"].includes(x.status))) {
      sendJob({ kind: "reconnected", job_id: j.job_id, session_id: j.session_id });
      runJob(j, ["Back at it: finishing the draft"], () => finishJob(j, sessionOf(j.session_id), "Done: finished after the connection came back."));
    }
    offline.jobs = [];
  },
};
(window as unknown as { __mock: typeof control }).__mock = control;
