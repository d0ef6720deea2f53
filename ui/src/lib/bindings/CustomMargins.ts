// Provisional: to be replaced by ts-rs output from crates/superdocs-client
export type CustomMargins = { top: number; right: number; bottom: number; left: number };
