// Provisional: to be replaced by ts-rs output from crates/superdocs-client
export type SubscriptionTier = "free" | "plus" | "pro" | "enterprise" | "unknown";
