// Provisional: to be replaced by ts-rs output from crates/superdocs-client
export type IntermediateResponse = { type: string | null; content: string | null; sequence: number };
