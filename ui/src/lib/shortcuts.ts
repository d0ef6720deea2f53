// The keyboard map of docs/ui.md: one table, read by the window-level handler and shown in tooltips.
import { t } from "./i18n.svelte";

export type ShortcutAction = "send" | "new_session" | "upload" | "export" | "jump" | "settings" | "close";

type KeyLike = Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "shiftKey" | "altKey">;

const WITH_MOD: Record<string, ShortcutAction> = {
  enter: "send",
  n: "new_session",
  o: "upload",
  e: "export",
  k: "jump",
  ",": "settings",
};

export function isMac(platform: string = typeof navigator === "undefined" ? "" : navigator.platform): boolean {
  return /mac/i.test(platform);
}

/** Which app action a key press asks for; the modifier is Cmd on macOS and Ctrl elsewhere. */
export function shortcutFor(e: KeyLike, mac = isMac()): ShortcutAction | null {
  const mod = mac ? e.metaKey : e.ctrlKey;
  if (e.key === "Escape" && !mod && !e.altKey) return "close";
  if (!mod || e.altKey || e.shiftKey) return null;
  return WITH_MOD[e.key.toLowerCase()] ?? null;
}

/** "Ctrl+E" / "⌘E" for a tooltip ("Strg+E" on a German keyboard). */
export function shortcutLabel(key: string, mac = isMac()): string {
  const k = key === "enter" ? (mac ? "↩" : "Enter") : key.toUpperCase();
  return mac ? `⌘${k}` : t("format:shortcut", { key: k });
}
