// Provisional: to be replaced by ts-rs output from crates/superdocs-client
import type { DocumentChanges } from "./DocumentChanges";
import type { Usage } from "./Usage";
export type JobResult = { response: string | null; session_id: string | null; document_changes: DocumentChanges | null; usage: Usage | null };
