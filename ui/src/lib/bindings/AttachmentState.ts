// Provisional: to be replaced by ts-rs output from crates/superdocs-client
export type AttachmentState = "pending" | "processing" | "completed" | "failed" | "unknown";
