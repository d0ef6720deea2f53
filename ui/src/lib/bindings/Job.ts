// Provisional: to be replaced by ts-rs output from crates/superdocs-client
import type { JobMetadata } from "./JobMetadata";
import type { JobResult } from "./JobResult";
import type { JobStatus } from "./JobStatus";
export type Job = { job_id: string; session_id: string | null; job_type: string | null; status: JobStatus; created_at: string | null; updated_at: string | null; progress: unknown; result: JobResult | null; error: unknown; metadata: JobMetadata };
