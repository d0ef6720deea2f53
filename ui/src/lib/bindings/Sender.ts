// Provisional: to be replaced by ts-rs output from crates/superdocs-client
export type Sender = "user" | "ai" | "unknown";
