// Provisional: the shell (src-tauri) owns this type and will generate it with ts-rs; defined here by the UI IPC contract
import type { ProfileKind } from "./ProfileKind";
/** A connection profile. The key never crosses to the webview: only a redacted hint ("sk_…1a2b"). */
export type Profile = { name: string; kind: ProfileKind; base_url: string; key_hint: string | null; backend_label: string | null };
