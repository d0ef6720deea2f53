// Provisional: to be replaced by ts-rs output from crates/superdocs-client
export type SessionSummary = { session_id: string; message_count: number; last_message_at: string | null; preview: string | null };
