import { describe, expect, it } from "vitest";
import type { Error as ApiError } from "../../src/lib/bindings/Error";
import { reportBody, reportMailto, SUPPORT_EMAIL } from "../../src/lib/report";
import { locale } from "../../src/lib/i18n.svelte";

const base: ApiError = { kind: "server", message: "Down.", request_id: "cli_abc", retryable: true, attempts: 5, status: 502, at: "2026-11-22T05:00:00Z", operation: { kind: "chat", label: "Sending “hello”" } };

describe("report problem", () => {
  it("holds the trace id, what the user did, the screen, the time and the version", () => {
    const body = reportBody({ ...base, trace_id: "evt_123" }, "Chat", "0.1.0");
    for (const s of ["evt_123", "Sending “hello”", "Screen: Chat", "2026-11-22T05:00:00Z", "0.1.0", "HTTP 502"]) expect(body).toContain(s);
  });
  it("says when there is no trace id and carries the request id instead", () => {
    const body = reportBody(base, "Chat", "0.1.0");
    expect(body).toContain("none given");
    expect(body).toContain("cli_abc");
  });
  it("is a mailto to support", () => {
    const url = reportMailto(base, "Chat", "0.1.0");
    expect(url.startsWith(`mailto:${SUPPORT_EMAIL}?subject=`)).toBe(true);
    expect(decodeURIComponent(url)).toContain("cli_abc");
  });
  it("carries the diagnostics header and the newest log lines that fit a mail link", () => {
    const log = Array.from({ length: 400 }, (_, i) => `2026-11-29T20:00:00Z INFO line ${i}`);
    const diag = ["SuperDocs Desktop 0.1.0", "OS: Debian (linux, x86_64)", "Logs: /home/me/.local/share/app/logs", "Last 40 log lines:", ...log].join("\n");
    const body = decodeURIComponent(reportMailto(base, "Chat", "0.1.0", diag).split("&body=")[1]);
    expect(body).toContain("OS: Debian");
    expect(body).toContain("line 399");
    expect(body).not.toContain("line 0\n");
    expect(body.length).toBeLessThanOrEqual(1900);
  });
  it("is written in the window's language, the values as they came", () => {
    locale.chosen = "de";
    try {
      const body = reportBody({ ...base, code: "UPSTREAM_ERROR" }, "Chat", "0.1.0");
      expect(body).toContain("Hallo SuperDocs-Support,");
      expect(body).toContain("Trace-ID: vom Dienst keine angegeben. Anfrage-ID des Clients: cli_abc");
      expect(body).toContain("Fehler: server (HTTP 502), Code UPSTREAM_ERROR");
      expect(body).toContain("Meldung: Down.");
      expect(decodeURIComponent(reportMailto(base, "Chat", "0.1.0"))).toContain("subject=Problembericht: cli_abc");
    } finally {
      locale.chosen = "en";
    }
  });
});
