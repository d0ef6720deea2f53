// The one module through which the UI reaches Tauri. Components never import @tauri-apps/api directly.
import { invoke } from "@tauri-apps/api/core";

export function appVersion(): Promise<string> {
  return invoke<string>("app_version");
}
