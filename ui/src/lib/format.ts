// How numbers, sizes, speeds and times read in the UI. One place, so every panel says it the same way,
// in the window's language (format.json; numbers and dates by Intl in that language).
import { intlLocale, t } from "./i18n.svelte";

const UNITS = ["B", "KB", "MB", "GB", "TB"];

/** 1536 → "1.5 KB"; binary multiples (what the caps in docs/superdocs-api.md are measured in). */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 0) return "–";
  let i = 0;
  let v = n;
  while (v >= 1024 && i < UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  const digits = i === 0 || v >= 100 ? 0 : 1;
  const num = v.toLocaleString(intlLocale(), { minimumFractionDigits: digits, maximumFractionDigits: digits, useGrouping: false });
  return `${num} ${UNITS[i]}`;
}

export function formatSpeed(bytesPerSec: number): string {
  return `${formatBytes(bytesPerSec)}/s`;
}

/** Seconds left for the rest of a transfer; null when it cannot be known yet. */
export function etaSeconds(bytes: number, total: number | null, bytesPerSec: number): number | null {
  if (total == null || bytesPerSec <= 0 || bytes >= total) return null;
  return Math.ceil((total - bytes) / bytesPerSec);
}

/** 75 → "1 min 15 s"; 3700 → "1 h 2 min". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return t("format:seconds", { s });
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? t("format:minutesSeconds", { m, s: s % 60 }) : t("format:minutes", { m });
  const h = Math.floor(m / 60);
  return m % 60 ? t("format:hoursMinutes", { h, m: m % 60 }) : t("format:hours", { h });
}

/** "Retrying in 3 s (attempt 2 of 5)". */
export function formatRetry(attempt: number, of: number, nextInMs: number): string {
  return t("format:retrying", { seconds: Math.max(1, Math.ceil(nextInMs / 1000)), attempt, of });
}

/** When the e-mail should arrive, from the service's `eta`: a time becomes "expected around 14:05" (with
 *  the date when it is not today); any other text is the service's own words and is shown as it is. */
export function formatEta(eta: string, now: Date = new Date()): string {
  const at = /^\d{4}-\d{2}-\d{2}T/.test(eta) ? new Date(eta) : null;
  if (!at || Number.isNaN(at.getTime())) return eta;
  const time = at.toLocaleTimeString(intlLocale(), { hour: "2-digit", minute: "2-digit" });
  if (at.toDateString() === now.toDateString()) return t("format:expectedAt", { time });
  return t("format:expectedOn", { date: at.toLocaleDateString(intlLocale(), { day: "numeric", month: "short" }), time });
}

/** "just now", "5 min ago", "3 h ago", "yesterday", or a date. */
export function relativeTime(iso: string | null, now: Date = new Date()): string {
  if (!iso) return "";
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return "";
  const s = Math.round((now.getTime() - at.getTime()) / 1000);
  if (s < 45) return t("format:justNow");
  if (s < 3600) return t("format:minutesAgo", { m: Math.round(s / 60) });
  if (s < 86400) return t("format:hoursAgo", { h: Math.round(s / 3600) });
  if (s < 2 * 86400) return t("format:yesterday");
  return at.toLocaleDateString(intlLocale(), { day: "numeric", month: "short", year: "numeric" });
}

/** An RFC 3339 time as the user reads it in details views: "2026-11-22 05:40:59 UTC". */
export function formatUtc(iso: string): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  return t.toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
}

/** 100000 → "100,000" ("100.000" in German): grouped as the window's language groups digits. */
export function formatCount(n: number): string {
  return n.toLocaleString(intlLocale());
}
