// Provisional: to be replaced by ts-rs output from crates/superdocs-client
import type { DocumentState } from "./DocumentState";
import type { EditorAction } from "./EditorAction";
export type RevertResponse = { session_id: string; reverted_to_turn: number; compose_text: string | null; archived_turn_count: number | null; document_state: DocumentState | null; editor_action: EditorAction | null };
