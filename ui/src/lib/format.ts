// How numbers, sizes, speeds and times read in the UI. One place, so every panel says it the same way.

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
  return `${v.toFixed(digits)} ${UNITS[i]}`;
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
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  const h = Math.floor(m / 60);
  return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
}

/** "Retrying in 3 s (attempt 2 of 5)". */
export function formatRetry(attempt: number, of: number, nextInMs: number): string {
  return `Retrying in ${Math.max(1, Math.ceil(nextInMs / 1000))} s (attempt ${attempt} of ${of})`;
}

/** When the e-mail should arrive, from the service's `eta`: a time becomes "expected around 14:05" (with
 *  the date when it is not today); any other text is the service's own words and is shown as it is. */
export function formatEta(eta: string, now: Date = new Date()): string {
  const t = /^\d{4}-\d{2}-\d{2}T/.test(eta) ? new Date(eta) : null;
  if (!t || Number.isNaN(t.getTime())) return eta;
  const time = t.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
  if (t.toDateString() === now.toDateString()) return `expected around ${time}`;
  return `expected around ${t.toLocaleDateString(undefined, { day: "numeric", month: "short" })}, ${time}`;
}

/** "just now", "5 min ago", "3 h ago", "yesterday", or a date. */
export function relativeTime(iso: string | null, now: Date = new Date()): string {
  if (!iso) return "";
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return "";
  const s = Math.round((now.getTime() - t.getTime()) / 1000);
  if (s < 45) return "just now";
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  if (s < 2 * 86400) return "yesterday";
  return t.toLocaleDateString(undefined, { day: "numeric", month: "short", year: "numeric" });
}

/** An RFC 3339 time as the user reads it in details views: "2026-11-22 05:40:59 UTC". */
export function formatUtc(iso: string): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  return t.toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC");
}

/** 100000 → "100,000" (fixed locale so counters read the same everywhere). */
export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}
