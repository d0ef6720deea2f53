// Provisional: to be replaced by ts-rs output from crates/superdocs-client
import type { JobStatus } from "./JobStatus";
export type ChatAccepted = { job_id: string; session_id: string; status: JobStatus; message: string | null };
