// Provisional: to be replaced by ts-rs output from crates/superdocs-client
import type { DocumentState } from "./DocumentState";
import type { EditorAction } from "./EditorAction";
import type { Message } from "./Message";
export type History = { session_id: string; messages: Array<Message>; document_state: DocumentState | null; editor_action: EditorAction | null };
