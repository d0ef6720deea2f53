// Provisional: the shell (src-tauri) owns this type and will generate it with ts-rs; defined here by the UI IPC contract
import type { Error } from "./Error";
import type { RetryEvent } from "./RetryEvent";
import type { TransferProgress } from "./TransferProgress";
import type { Uploaded } from "./Uploaded";
/** Streamed over the Channel given to queue_uploads; one upload_id per file. */
export type UploadEvent =
  | { kind: "progress"; upload_id: string; progress: TransferProgress }
  | { kind: "processing"; upload_id: string }
  | { kind: "retrying"; upload_id: string; retry: RetryEvent }
  | { kind: "done"; upload_id: string; result: Uploaded }
  | { kind: "failed"; upload_id: string; error: Error }
  | { kind: "cancelled"; upload_id: string };
