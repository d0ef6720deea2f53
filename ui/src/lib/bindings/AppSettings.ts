// Provisional: the shell (src-tauri) owns this type and will generate it with ts-rs; defined here by the UI IPC contract
import type { ModelTier } from "./ModelTier";
import type { NotifyWhen } from "./NotifyWhen";
import type { Theme } from "./Theme";
import type { ThinkingDepth } from "./ThinkingDepth";
export type AppSettings = { default_model_tier: ModelTier; default_thinking_depth: ThinkingDepth; review_by_default: boolean; notifications: NotifyWhen; download_folder: string; theme: Theme };
