// Provisional: the shell (src-tauri) owns this type and will generate it with ts-rs; defined here by the UI IPC contract
/** What the shell knows of a dropped or picked path, so the UI can refuse a file before anything is sent. */
export type FileInfo = { path: string; name: string; size: number; is_dir: boolean };
