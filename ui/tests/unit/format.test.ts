import { describe, expect, it } from "vitest";
import { etaSeconds, formatBytes, formatCount, formatDuration, formatEta, formatRetry, formatUtc, relativeTime, formatSpeed } from "../../src/lib/format";
import { locale } from "../../src/lib/i18n.svelte";

describe("format", () => {
  it("reads sizes in binary multiples", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(104_857_600)).toBe("100 MB");
    expect(formatBytes(188_743_680)).toBe("180 MB");
    expect(formatBytes(-1)).toBe("–");
    expect(formatSpeed(2 * 1024 * 1024)).toBe("2.0 MB/s");
  });
  it("estimates the time left only when it can", () => {
    expect(etaSeconds(50, 100, 10)).toBe(5);
    expect(etaSeconds(50, null, 10)).toBeNull();
    expect(etaSeconds(50, 100, 0)).toBeNull();
    expect(etaSeconds(100, 100, 10)).toBeNull();
  });
  it("says durations the short way", () => {
    expect(formatDuration(4.2)).toBe("4 s");
    expect(formatDuration(75)).toBe("1 min 15 s");
    expect(formatDuration(120)).toBe("2 min");
    expect(formatDuration(3720)).toBe("1 h 2 min");
  });
  it("words a waiting retry as ui.md does", () => {
    expect(formatRetry(2, 5, 3000)).toBe("Retrying in 3 s (attempt 2 of 5)");
    expect(formatRetry(3, 5, 2100)).toBe("Retrying in 3 s (attempt 3 of 5)");
    expect(formatRetry(5, 5, 0)).toBe("Retrying in 1 s (attempt 5 of 5)");
  });
  it("gives times relative to now and in UTC", () => {
    const now = new Date("2026-11-22T12:00:00Z");
    expect(relativeTime("2026-11-22T11:59:40Z", now)).toBe("just now");
    expect(relativeTime("2026-11-22T11:15:00Z", now)).toBe("45 min ago");
    expect(relativeTime("2026-11-22T09:00:00Z", now)).toBe("3 h ago");
    expect(relativeTime("2026-11-21T06:00:00Z", now)).toBe("yesterday");
    expect(relativeTime(null, now)).toBe("");
    expect(relativeTime("not a date", now)).toBe("");
    expect(formatUtc("2026-11-22T05:40:59.123Z")).toBe("2026-11-22 05:40:59 UTC");
  });
});

describe("formatEta", () => {
  const now = new Date(2026, 10, 22, 9, 0);
  it("reads a time today as the hour it is expected", () => {
    const at = new Date(2026, 10, 22, 14, 5);
    const time = at.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
    expect(formatEta(at.toISOString(), now)).toBe(`expected around ${time}`);
  });
  it("adds the date when it is another day", () => {
    const eta = new Date(2026, 10, 23, 8, 30).toISOString();
    expect(formatEta(eta, now)).toMatch(/^expected around .*23.*, /);
  });
  it("leaves the service's own words alone", () => {
    expect(formatEta("within 10 minutes", now)).toBe("within 10 minutes");
    expect(formatEta("2026-13-99T00:00:00Z", now)).toBe("2026-13-99T00:00:00Z");
  });
});

describe("format in German", () => {
  it("says sizes, counts, durations, retries and times the German way", () => {
    locale.chosen = "de";
    try {
      const now = new Date("2026-11-22T12:00:00Z");
      expect(formatBytes(1536)).toBe("1,5 KB");
      expect(formatBytes(1023)).toBe("1023 B");
      expect(formatCount(100_000)).toBe("100.000");
      expect(formatDuration(75)).toBe("1\u00a0Min. 15\u00a0Sek.");
      expect(formatDuration(3720)).toBe("1\u00a0Std. 2\u00a0Min.");
      expect(formatRetry(2, 5, 3000)).toBe("Neuer Versuch in 3\u00a0Sek. (Versuch 2 von 5)");
      expect(relativeTime("2026-11-22T11:15:00Z", now)).toBe("vor 45\u00a0Min.");
      expect(relativeTime("2026-11-21T06:00:00Z", now)).toBe("gestern");
      expect(formatEta(new Date(2026, 10, 22, 14, 5).toISOString(), new Date(2026, 10, 22, 9, 0))).toBe("voraussichtlich gegen 14:05\u00a0Uhr");
    } finally {
      locale.chosen = "en";
    }
    expect(formatCount(100_000)).toBe("100,000");
  });
});
