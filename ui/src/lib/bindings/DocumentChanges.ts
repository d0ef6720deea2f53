// Provisional: to be replaced by ts-rs output from crates/superdocs-client
import type { Change } from "./Change";
export type DocumentChanges = { updated_html: string | null; version_id: string | null; changes_summary: string | null; requires_approval: boolean; pending_changes: Array<Change>; chunk_diffs: Array<Change> | null };
