// Provisional: the shell (src-tauri) owns this type and will generate it with ts-rs; defined here by the UI IPC contract
/** Where a key went: backend_label is e.g. "GNOME Keyring", "macOS Keychain", "Windows Credential Manager". */
export type KeyStored = { profile: string; backend_label: string; key_hint: string };
