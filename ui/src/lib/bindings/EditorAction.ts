// Provisional: to be replaced by ts-rs output from crates/superdocs-client
export type EditorAction = "update" | "clear" | "keep" | "unknown";
