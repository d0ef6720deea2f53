// Provisional: the shell (src-tauri) owns this type and will generate it with ts-rs; defined here by the UI IPC contract
import type { JobStatus } from "./JobStatus";
/** One row of the activity drawer: a chat job of any session, running or recent. */
export type JobSummary = { job_id: string; session_id: string; status: JobStatus; message: string; last_progress: string | null; updated_at: string };
