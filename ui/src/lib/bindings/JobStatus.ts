// Provisional: to be replaced by ts-rs output from crates/superdocs-client
export type JobStatus = "pending" | "in_progress" | "awaiting_approval" | "completed" | "failed" | "cancelled" | "unknown";
