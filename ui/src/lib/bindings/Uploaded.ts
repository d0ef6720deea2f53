// Provisional: to be replaced by ts-rs output from crates/superdocs-client
import type { UploadRoute } from "./UploadRoute";
export type Uploaded =
  | { kind: "document"; route: UploadRoute; session_id: string; filename: string; document_id: string | null; html: string | null; version_id: string | null; chunks_count: number | null }
  | { kind: "attachment"; route: UploadRoute; session_id: string; filename: string; job_id: string | null; status: string | null };
