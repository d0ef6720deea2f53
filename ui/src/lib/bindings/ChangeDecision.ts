// Provisional: to be replaced by ts-rs output from crates/superdocs-client
export type ChangeDecision = { change_id: string; approved: boolean; feedback?: string | null };
