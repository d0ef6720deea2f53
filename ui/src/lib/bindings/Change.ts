// Provisional: to be replaced by ts-rs output from crates/superdocs-client
import type { ChangeOperation } from "./ChangeOperation";
export type Change = { change_id: string; operation: ChangeOperation; chunk_id: string | null; old_html: string | null; new_html: string | null; ai_explanation: string | null; batch_id: string | null; batch_total: number | null; insert_after_chunk_id: string | null };
