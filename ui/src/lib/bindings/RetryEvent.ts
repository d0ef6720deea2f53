// Provisional: to be replaced by ts-rs output from crates/superdocs-client
/** What an operation reports while it waits to retry: "Retrying in 3 s (attempt 2 of 5)". */
export type RetryEvent = { attempt: number; of: number; next_in_ms: number; reason: string };
