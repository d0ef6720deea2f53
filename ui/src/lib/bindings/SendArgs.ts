// Provisional: the shell (src-tauri) owns this type and will generate it with ts-rs; defined here by the UI IPC contract
import type { ModelTier } from "./ModelTier";
import type { ThinkingDepth } from "./ThinkingDepth";
/** review = true sends approval_mode "ask_every_time". */
export type SendArgs = { session_id: string; message: string; model_tier: ModelTier; thinking_depth: ThinkingDepth; review: boolean };
