// Provisional: to be replaced by ts-rs output from crates/superdocs-client
import type { Sender } from "./Sender";
export type Message = { id: unknown; sender: Sender; content: string; timestamp: string | null; turn_index: number | null; checkpoint_id: string | null };
