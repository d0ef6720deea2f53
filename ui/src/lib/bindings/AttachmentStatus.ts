// Provisional: to be replaced by ts-rs output from crates/superdocs-client
import type { AttachmentState } from "./AttachmentState";
export type AttachmentStatus = { attachment_id: string; filename: string; status: AttachmentState; error: string | null };
