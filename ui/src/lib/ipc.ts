// The one module through which the UI reaches Tauri. Components never import @tauri-apps/api directly.
//
// THE IPC CONTRACT. The shell (src-tauri) implements exactly these commands and events; the mock
// backend (src/mock/) implements them for tests. Argument names are the JS keys below (Tauri maps
// camelCase keys to snake_case Rust parameters by default, so `sessionId` here is `session_id` in Rust).
// A failed command rejects with the structured `Error` of docs/error-handling.md §4 (bindings/Error.ts).
// The API key goes IN only (connect, set_key): no command or event ever returns it.
import { invoke, Channel, type InvokeArgs } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import { getCurrentWebview } from "@tauri-apps/api/webview";
import type { Error as ApiError } from "./bindings/Error";
import type { Commands } from "./bindings/Commands";
import type { AppSettings } from "./bindings/AppSettings";
import type { StartupProblem } from "./bindings/StartupProblem";
import type { ApproveAll } from "./bindings/ApproveAll";
import type { MenuAction } from "./bindings/MenuAction";
import type { Opened } from "./bindings/Opened";
import type { ApproveResponse } from "./bindings/ApproveResponse";
import type { AttachmentStatus } from "./bindings/AttachmentStatus";
import type { AttachmentsChanged } from "./bindings/AttachmentsChanged";
import type { ChangeDecision } from "./bindings/ChangeDecision";
import type { ChatAccepted } from "./bindings/ChatAccepted";
import type { ExportArgs } from "./bindings/ExportArgs";
import type { ExportOutcome } from "./bindings/ExportOutcome";
import type { FileInfo } from "./bindings/FileInfo";
import type { History } from "./bindings/History";
import type { InterruptedUpload } from "./bindings/InterruptedUpload";
import type { JobEvent } from "./bindings/JobEvent";
import type { JobSummary } from "./bindings/JobSummary";
import type { KeyStored } from "./bindings/KeyStored";
import type { Profile } from "./bindings/Profile";
import type { ProfileList } from "./bindings/ProfileList";
import type { QueuedUpload } from "./bindings/QueuedUpload";
import type { RetryNotice } from "./bindings/RetryNotice";
import type { RevertResponse } from "./bindings/RevertResponse";
import type { SendArgs } from "./bindings/SendArgs";
import type { SessionSummary } from "./bindings/SessionSummary";
import type { TransferProgress } from "./bindings/TransferProgress";
import type { UploadEvent } from "./bindings/UploadEvent";
import type { UploadTarget } from "./bindings/UploadTarget";
import type { UpdateInfo } from "./bindings/UpdateInfo";
import type { UpdateProgress } from "./bindings/UpdateProgress";
import type { Usage } from "./bindings/Usage";

export type { ApiError };

/** Whatever a command rejected with, as the structured error (a bare string becomes `internal`). */
export function asApiError(e: unknown): ApiError {
  if (e && typeof e === "object" && "kind" in e && "message" in e) return e as ApiError;
  return {
    kind: "internal",
    message: "Something went wrong inside the app.",
    detail: String(e),
    request_id: "local",
    retryable: false,
    attempts: 0,
    suggested_action: "contact_support",
    at: new Date().toISOString(),
  };
}

/** The commands, their arguments and results: generated from the shell's one declaration of each
 *  (src-tauri/commands/mod.rs), so a misspelt command or argument does not compile. */
export type CommandName = keyof Commands;
export type CommandArgs<K extends CommandName> = Commands[K]["args"];
export type CommandResult<K extends CommandName> = Commands[K]["result"];
/** No argument object for a command that takes none. */
type ArgsParam<K extends CommandName> = CommandArgs<K> extends Record<string, never> ? [] : [CommandArgs<K>];

async function call<K extends CommandName>(cmd: K, ...args: ArgsParam<K>): Promise<CommandResult<K>> {
  try {
    return await invoke<CommandResult<K>>(cmd, args[0] as InvokeArgs | undefined);
  } catch (e) {
    throw asApiError(e);
  }
}

// ── App ────────────────────────────────────────────────────────────────────────────────────────
/** app_version → string */
export function appVersion(): Promise<string> {
  return invoke<CommandResult<"app_version">>("app_version");
}

// ── Profiles and keys ──────────────────────────────────────────────────────────────────────────
/** list_profiles → ProfileList (empty list and active = null on first run → the connect screen). */
/** The OS language ("de-DE"), or null. */
export const systemLocale = () => call("system_locale");

export const listProfiles = () => call("list_profiles");
/** Retry for the profile start-up could not reopen (ProfileList.unopened), after unlocking the keyring. */
export const reopenProfile = () => call("reopen_profile");
/** connect {name, key, baseUrl?}: checks the key (GET /v1/sessions), stores it in the OS keyring,
 *  creates the profile and makes it active → Profile. Fails with kind auth / network / keyring. */
export const connect = (name: string, key: string, baseUrl?: string) =>
  call("connect", { name, key, baseUrl: baseUrl ?? null });
/** set_key {profile, key}: checks and replaces the key of a profile → KeyStored (no key in it). */
export const setKey = (profile: string, key: string) => call("set_key", { profile, key });
/** test_key {profile} → Usage | null (the latest usage seen); rejects with the error when the key fails. */
export const testKey = (profile: string) => call("test_key", { profile });
/** delete_key {profile}: removes the key from the keyring; the profile stays (needs a new key). */
export const deleteKey = (profile: string) => call("delete_key", { profile });
/** delete_profile {profile}: removes the profile and its key → ProfileList. */
export const deleteProfile = (profile: string) => call("delete_profile", { profile });
/** switch_profile {profile} → Profile (now active). */
export const switchProfile = (profile: string) => call("switch_profile", { profile });
/** start_demo: starts the simulator in-process on loopback, makes the "Offline demo" profile active → Profile. */
export const startDemo = () => call("start_demo");

// ── Sessions ───────────────────────────────────────────────────────────────────────────────────
/** list_sessions {limit} → the newest `limit` SessionSummary[], newest activity first (the API pages with
 *  `limit` only: fewer than asked means that was all of them). */
export const listSessions = (limit: number) => call("list_sessions", { limit });
/** get_history {sessionId} → History (messages + document_state). */
export const getHistory = (sessionId: string) => call("get_history", { sessionId });
/** new_session → the new session id (chosen by the client, `[A-Za-z0-9_.-]+`). */
export const newSession = () => call("new_session");
/** list_attachments {sessionId} → AttachmentStatus[]; later changes come as the `attachments` event. */
export const listAttachments = (sessionId: string) => call("list_attachments", { sessionId });

// ── Chat jobs ──────────────────────────────────────────────────────────────────────────────────
/** send_message {args: SendArgs, opId} → ChatAccepted. Runs POST /v1/chat/async; retries report as
 *  the `retry` event under `opId` (cancel with cancel_operation); then the job reports as `job` events. */
export const sendMessage = (args: SendArgs, opId: string) => call("send_message", { args, opId });
/** approve_changes {jobId, sessionId, decisions} → ApproveResponse; the job resumes (more `job` events). */
export const approveChanges = (jobId: string, sessionId: string, decisions: ChangeDecision[]) =>
  call("approve_changes", { jobId, sessionId, decisions });
/** cancel_job {jobId}: POST /v1/jobs/{id}/cancel; a `job` cancelled event follows. */
export const cancelJob = (jobId: string) => call("cancel_job", { jobId });
/** retry_jobs_now: "Try now" while offline; jobs waiting to reach the service try at once (more `job` events). */
export const retryJobsNow = () => call("retry_jobs_now");
/** list_jobs → JobSummary[]: running and recent chat jobs of every session (incl. resumed after restart). */
export const listJobs = () => call("list_jobs");
/** revert {sessionId, turnIndex} → RevertResponse (compose_text returns to the composer). 409 → conflict. */
export const revert = (sessionId: string, turnIndex: number) => call("revert", { sessionId, turnIndex });
/** cancel_operation {opId}: ends a waiting retry (or the call) at once; the call rejects with kind cancelled. */
export const cancelOperation = (opId: string) => call("cancel_operation", { opId });

// ── Files and uploads ──────────────────────────────────────────────────────────────────────────
/** stat_paths {paths} → FileInfo[] (name, size) so the UI can refuse a file before it is queued. Only paths
 *  the user picked or dropped this run; any other rejects with kind forbidden, code path_not_granted. */
export const statPaths = (paths: string[]) => call("stat_paths", { paths });
/** input_rules → InputRules: the formats of each target, the largest file, the longest message (the core's). */
export const inputRules = () => call("input_rules");
/** pick_files {mode}: native open dialog filtered to the mode's formats → paths ([] when dismissed). */
export const pickFiles = (mode: UploadTarget) => call("pick_files", { mode });
/** pick_folder {current} → a folder path, or null when dismissed. */
export const pickFolder = (current: string | null) => call("pick_folder", { current });
/** queue_uploads {paths, sessionId, mode, onEvent: Channel<UploadEvent>} → QueuedUpload[].
 *  Files the shell refuses (type, size, or a path the user never gave) come back with `refused` and are never sent. */
export function queueUploads(
  paths: string[],
  sessionId: string,
  mode: UploadTarget,
  onEvent: (e: UploadEvent) => void,
): Promise<QueuedUpload[]> {
  const channel = new Channel<UploadEvent>();
  channel.onmessage = onEvent;
  return call("queue_uploads", { paths, sessionId, mode, onEvent: channel });
}
/** upload_text {sessionId, text, filename, mode, onEvent: Channel<UploadEvent>} → QueuedUpload:
 *  "Add as document" for a message over the prompt limit; the shell saves the text as a .txt file
 *  (.md when `filename` ends so) under a name it chooses in its private folder, uploads that, so the text
 *  is never lost, and removes the file once sent. */
export function uploadText(
  sessionId: string,
  text: string,
  filename: string,
  mode: UploadTarget,
  onEvent: (e: UploadEvent) => void,
): Promise<QueuedUpload> {
  const channel = new Channel<UploadEvent>();
  channel.onmessage = onEvent;
  return call("upload_text", { sessionId, text, filename, mode, onEvent: channel });
}
/** cancel_upload {uploadId}: a `cancelled` UploadEvent follows on the upload's channel. */
export const cancelUpload = (uploadId: string) => call("cancel_upload", { uploadId });
/** retry_upload {uploadId}: re-runs a failed or cancelled upload; events continue on its channel. */
export const retryUpload = (uploadId: string) => call("retry_upload", { uploadId });
/** interrupted_uploads → InterruptedUpload[]: what the profile's upload queue kept from an earlier run
 *  or from the CLI under the same profile (unfinished when it quit, or failed, with `error`); taken off the queue, so sending one again queues it anew. */
export const interruptedUploads = () => call("interrupted_uploads");

// ── Export ─────────────────────────────────────────────────────────────────────────────────────
/** export_document {args: ExportArgs, opId, onProgress: Channel<TransferProgress>} → ExportOutcome:
 *  saved {path, bytes} or emailed {recipient, eta} (taken by itself when the output is over 100 MB). */
export function exportDocument(args: ExportArgs, opId: string, onProgress: (p: TransferProgress) => void) {
  const channel = new Channel<TransferProgress>();
  channel.onmessage = onProgress;
  return call("export_document", { args, opId, onProgress: channel });
}
/** open_path {path}: opens a file this app exported this run with the system's default app (nothing else). */
export const openPath = (path: string) => call("open_path", { path });
/** show_in_folder {path}: reveals an export, or a file the user gave, in the system file manager. */
export const showInFolder = (path: string) => call("show_in_folder", { path });
/** open_url {url}: https and mailto: only (mailto keeps subject and body only), in the system browser / mail app. */
export const openUrl = (url: string) => call("open_url", { url });

// ── Usage and settings ─────────────────────────────────────────────────────────────────────────
/** get_usage → the latest Usage seen for the active profile, or null before the first chat. */
export const getUsage = () => call("get_usage");
/** get_settings → AppSettings. */
export const getSettings = () => call("get_settings");
/** save_settings {settings} → AppSettings as stored. */
export const saveSettings = (settings: AppSettings) => call("save_settings", { settings });
/** The native file dialog for a PEM file of extra certificate authorities; null when dismissed. */
export const pickCertificate = () => call("pick_certificate");
/** Help: the logs folder in the file manager; the diagnostics text (version, OS, last log lines, redacted). */
export const openLogsFolder = () => call("open_logs_folder");
export const diagnostics = () => call("diagnostics");
/** Start-up: why the app could not open its local data (null when it did), and the ways out. */
export const startupProblem = () => call("startup_problem");
export const retryStartup = () => call("retry_startup");
export const resetLocalData = () => call("reset_local_data");
export const openDataFolder = () => call("open_data_folder");

// ── Events (shell → UI) ────────────────────────────────────────────────────────────────────────
function on<T>(event: string, handler: (payload: T) => void): Promise<UnlistenFn> {
  return listen<T>(event, (e) => handler(e.payload));
}
/** `error`: a failure of background work (no command to reject) → shown as a toast. */
export const onError = (h: (e: ApiError) => void) => on<ApiError>("error", h);
/** watch_jobs {onEvent: Channel<JobEvent>}: chat job tracker events, any session, from now on (a Channel:
 *  in order, bulk data without a script per message; each proposed change comes once). */
export async function onJob(h: (e: JobEvent) => void): Promise<UnlistenFn> {
  const channel = new Channel<JobEvent>();
  channel.onmessage = h;
  await call("watch_jobs", { onEvent: channel });
  return () => (channel.onmessage = () => {});
}
/** `usage`: the latest usage object (after every billable call). */
export const onUsage = (h: (u: Usage) => void) => on<Usage>("usage", h);
/** `retry`: an operation started with an op id waits before its next attempt. */
export const onRetry = (h: (r: RetryNotice) => void) => on<RetryNotice>("retry", h);
/** `attachments`: a session's attachment states changed. */
export const onAttachments = (h: (a: AttachmentsChanged) => void) => on<AttachmentsChanged>("attachments", h);
/** `focus_session`: a notification was clicked → bring this session forward. Payload: session id. */
export const onFocusSession = (h: (sessionId: string) => void) => on<string>("focus_session", h);
/** approve_all: approve a job's changes from its notification (`confirm`: ask first, the notification had no
 *  button for it). */
export const onApproveAll = (h: (a: ApproveAll) => void) => on<ApproveAll>("approve_all", h);
/** menu: an item of the native menu bar that acts on the page (the same actions as the shortcuts). */
export const onMenu = (h: (action: MenuAction) => void) => on<MenuAction>("menu", h);
/** opened: a launch handed files or a superdocs:// link over; take them with takeOpened. */
export const onOpened = (h: () => void) => on<null>("opened", h);
/** quit_requested: the window's close or File → Quit. Acknowledge with quitAck (else the shell quits in 3 s),
 *  then quitNow, or quitCancelled when the user keeps the app open. */
export const onQuitRequested = (h: () => void) => on<null>("quit_requested", h);
export const quitAck = () => call("quit_ack");
export const quitCancelled = () => call("quit_cancelled");
export const quitNow = () => call("quit_now");
/** take_opened → what launches asked to open since the last call (files already granted). */
export const takeOpened = () => call("take_opened");

/** Positions are in CSS pixels of the window. */
export type DragEvent =
  | { type: "enter"; paths: string[]; x: number; y: number }
  | { type: "over"; x: number; y: number }
  | { type: "drop"; paths: string[]; x: number; y: number }
  | { type: "leave" };
/** Native file drag and drop: Tauri's own webview events (tauri://drag-*), so the shell needs no
 *  code for it beyond `dragDropEnabled: true` (the default). Yields paths, never bytes. */
export function onDrag(h: (e: DragEvent) => void): Promise<UnlistenFn> {
  return getCurrentWebview().onDragDropEvent((e) => {
    const p = e.payload;
    if (p.type === "leave") return h({ type: "leave" });
    const r = window.devicePixelRatio || 1;
    const x = p.position.x / r;
    const y = p.position.y / r;
    if (p.type === "enter") h({ type: "enter", paths: p.paths, x, y });
    else if (p.type === "over") h({ type: "over", x, y });
    else h({ type: "drop", paths: p.paths, x, y });
  });
}

// ── Updates ────────────────────────────────────────────────────────────────────────────────────
/** check_update → UpdateInfo | null (null: this is the newest version). */
export const checkUpdate = () => call("check_update");
/** download_update {onProgress: Channel<UpdateProgress>}: downloads the update found by check_update and
 *  verifies its signature; rejects (kind validation) when the package or its signature was tampered with. */
export function downloadUpdate(onProgress: (p: UpdateProgress) => void) {
  const channel = new Channel<UpdateProgress>();
  channel.onmessage = onProgress;
  return call("download_update", { onProgress: channel });
}
/** install_update: installs the verified package and relaunches the app (the promise may never settle). */
export const installUpdate = () => call("install_update");
