// Provisional: to be replaced by ts-rs output from crates/superdocs-client
/** One progress report of an upload or a download (throttled to ~10 a second by the core). */
export type TransferProgress = { bytes: number; total: number | null; bytes_per_sec: number; done: boolean };
