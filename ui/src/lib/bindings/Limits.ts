// Provisional: to be replaced by ts-rs output from crates/superdocs-client
export type Limits = { max_size_mb?: number | null; request_size_mb?: number | null; monthly_limit?: number | null; monthly_used?: number | null; monthly_remaining?: number | null };
