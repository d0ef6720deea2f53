// Provisional: the shell (src-tauri) owns this type and will generate it with ts-rs; defined here by the UI IPC contract
import type { Profile } from "./Profile";
export type ProfileList = { profiles: Array<Profile>; active: string | null };
