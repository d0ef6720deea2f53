// Provisional: to be replaced by ts-rs output from crates/superdocs-client
export type ExportOutcome =
  | { kind: "saved"; path: string; bytes: number; warnings: unknown }
  | { kind: "emailed"; recipient: string; eta: string | null; job_id: string; message: string | null };
