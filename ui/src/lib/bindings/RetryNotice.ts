// Provisional: the shell (src-tauri) owns this type and will generate it with ts-rs; defined here by the UI IPC contract
import type { RetryEvent } from "./RetryEvent";
/** The `retry` event: an operation started with `op_id` is waiting before its next attempt. */
export type RetryNotice = { op_id: string; retry: RetryEvent };
