// Provisional: the shell (src-tauri) owns this type and will generate it with ts-rs; defined here by the UI IPC contract
import type { Error } from "./Error";
import type { UploadMode } from "./UploadMode";
/** One file accepted into the upload queue (or refused at once, with `refused` set and nothing sent). */
export type QueuedUpload = { upload_id: string; path: string; filename: string; size: number; mode: UploadMode; session_id: string; refused: Error | null };
