// Provisional: to be replaced by ts-rs output from crates/superdocs-client
export type OpenMode = "replace" | "new_focused" | "background";
