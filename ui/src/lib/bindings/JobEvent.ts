// Provisional: the shell (src-tauri) owns this type and will generate it with ts-rs; defined here by the UI IPC contract
import type { Change } from "./Change";
import type { Error } from "./Error";
import type { RetryEvent } from "./RetryEvent";
import type { Usage } from "./Usage";
/** The `job` event: the tracker reporting on a chat job, for any session. */
export type JobEvent =
  | { kind: "started"; job_id: string; session_id: string; message: string }
  | { kind: "progress"; job_id: string; session_id: string; text: string; sequence: number }
  | { kind: "retrying"; job_id: string; session_id: string; retry: RetryEvent }
  | { kind: "proposed_changes"; job_id: string; session_id: string; changes: Array<Change> }
  | { kind: "awaiting_approval"; job_id: string; session_id: string }
  | { kind: "completed"; job_id: string; session_id: string; response: string; document_html: string | null; usage: Usage | null }
  | { kind: "failed"; job_id: string; session_id: string; error: Error }
  | { kind: "cancelled"; job_id: string; session_id: string };
