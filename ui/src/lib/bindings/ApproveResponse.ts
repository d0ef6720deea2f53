// Provisional: to be replaced by ts-rs output from crates/superdocs-client
import type { JobStatus } from "./JobStatus";
export type ApproveResponse = { job_id: string; status: JobStatus; applied: Array<string>; denied: Array<string> };
