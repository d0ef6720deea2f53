// Provisional: the shell (src-tauri) owns this type and will generate it with ts-rs; defined here by the UI IPC contract
import type { AttachmentStatus } from "./AttachmentStatus";
export type AttachmentsChanged = { session_id: string; attachments: Array<AttachmentStatus> };
