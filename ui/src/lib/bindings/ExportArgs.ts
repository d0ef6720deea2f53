// Provisional: the shell (src-tauri) owns this type and will generate it with ts-rs; defined here by the UI IPC contract
import type { ExportFormat } from "./ExportFormat";
import type { ExportOptions } from "./ExportOptions";
/** `email` forces the e-mailed link path (the shell also takes it by itself when the output is over 100 MB). */
export type ExportArgs = { session_id: string; format: ExportFormat; options: ExportOptions; filename: string; folder: string; email: boolean };
