// Provisional: the shell (src-tauri) owns this type and will generate it with ts-rs; defined here by the UI IPC contract
export type NotifyWhen = "off" | "unfocused" | "always";
