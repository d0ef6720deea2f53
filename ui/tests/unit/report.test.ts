import { describe, expect, it } from "vitest";
import type { Error as ApiError } from "../../src/lib/bindings/Error";
import { reportBody, reportMailto, SUPPORT_EMAIL } from "../../src/lib/report";

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
});
