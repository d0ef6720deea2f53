import { describe, expect, it } from "vitest";
import type { Error as ApiError } from "../../src/lib/bindings/Error";
import type { ErrorKind } from "../../src/lib/bindings/ErrorKind";
import { errorCard } from "../../src/lib/error-card";
import { locale } from "../../src/lib/i18n.svelte";

function err(kind: ErrorKind, extra: Partial<ApiError> = {}): ApiError {
  return { kind, message: "Because.", request_id: "cli_1", retryable: false, attempts: 1, at: "2026-11-22T05:00:00Z", ...extra };
}
const ids = (e: ApiError) => {
  const c = errorCard(e);
  return { primary: c.primary?.id ?? null, secondary: c.secondary.map((a) => a.id) };
};

// Errors as the core sends them: with its suggested_action (docs/error-handling.md §5).
describe("errorCard (error-handling.md §5)", () => {
  it("offers what the core suggests, whatever the kind", () => {
    expect(ids(err("validation", { suggested_action: "upgrade_plan" })).primary).toBe("upgrade");
    expect(ids(err("internal", { suggested_action: "reenter_key" })).primary).toBe("reenter_key");
    expect(ids(err("server", { retryable: true, suggested_action: "contact_support" })).primary).toBeNull();
  });
  it("without a suggestion, Retry only when the failure is retryable", () => {
    expect(ids(err("keyring", { retryable: true })).primary).toBe("retry");
    expect(ids(err("keyring")).primary).toBeNull();
    expect(ids(err("auth")).primary).toBeNull();
  });
  it("quota: used / limit shown, Upgrade, never a retry", () => {
    const c = errorCard(err("quota", { status: 429, suggested_action: "upgrade_plan", limits: { monthly_limit: 500, monthly_used: 500, monthly_remaining: 0 } }));
    expect(c.primary?.id).toBe("upgrade");
    expect(c.showLimits).toBe(true);
    expect([c.primary, ...c.secondary].map((a) => a?.id)).not.toContain("retry");
  });
  it("a retryable chat failure offers Retry and Try another model", () => {
    expect(ids(err("server", { retryable: true, suggested_action: "retry", operation: { kind: "chat", label: "x" } }))).toEqual({ primary: "retry", secondary: ["switch_model"] });
    expect(ids(err("network", { retryable: true, suggested_action: "retry", operation: { kind: "chat", label: "x" } }))).toEqual({ primary: "retry", secondary: ["switch_model"] });
  });
  it("when the core suggests another model for a chat turn, that is the primary action", () => {
    expect(ids(err("server", { retryable: true, suggested_action: "switch_model", operation: { kind: "chat", label: "x" } }))).toEqual({ primary: "switch_model", secondary: ["retry"] });
  });
  it("a server error that is not retryable has no Retry button", () => {
    expect(ids(err("server", { retryable: false })).primary).toBeNull();
  });
  it("401 opens the key settings", () => {
    expect(ids(err("auth", { status: 401, suggested_action: "reenter_key" })).primary).toBe("reenter_key");
  });
  it("409 on revert: wait for the job or cancel it", () => {
    expect(ids(err("conflict", { suggested_action: "wait_for_job", operation: { kind: "revert", label: "x" } }))).toEqual({ primary: "wait_for_job", secondary: ["cancel_job"] });
  });
  it("prompt too long offers Add as document", () => {
    expect(ids(err("prompt_too_long", { suggested_action: "add_as_document" })).primary).toBe("add_as_document");
  });
  it("an export over the cap offers the e-mailed link; a big upload another file", () => {
    const exp = errorCard(err("too_large", { suggested_action: "email_request", operation: { kind: "export", label: "x" } }));
    expect(exp.title).toBe("The export is too big to download");
    expect(exp.primary?.id).toBe("email_link");
    expect(ids(err("too_large", { suggested_action: "choose_smaller_file", operation: { kind: "upload", label: "x" } })).primary).toBe("choose_file");
  });
  it("unsupported files say so and offer another file", () => {
    const c = errorCard(err("unsupported_file", { suggested_action: "convert_to_docx" }));
    expect(c.title).toMatch(/isn't supported/);
    expect(c.primary?.id).toBe("choose_file");
  });
  it("an unknown outcome never offers a plain Retry (it could do the thing twice)", () => {
    const c = errorCard(err("unknown_outcome", { retryable: true, suggested_action: "retry", operation: { kind: "chat", label: "x" } }));
    expect(c.title).toBe("SuperDocs may have received this");
    expect([c.primary, ...c.secondary].map((a) => a?.id)).not.toContain("retry");
  });
  it("rate limits say when to come back", () => {
    expect(errorCard(err("rate_limited", { retry_after_ms: 120_000 })).why).toContain("in 2 min");
  });
  it("every kind has a title in the user's words and the server's message as the why", () => {
    const kinds: ErrorKind[] = ["auth", "forbidden", "not_found", "conflict", "validation", "too_large", "quota", "rate_limited", "timeout", "server", "network", "protocol", "unsupported_file", "prompt_too_long", "keyring", "cancelled", "internal", "unknown_outcome"];
    for (const k of kinds) {
      const c = errorCard(err(k));
      expect(c.title.length, k).toBeGreaterThan(5);
      expect(c.title, k).not.toMatch(/_/);
      expect(c.why.startsWith("Because."), k).toBe(true);
    }
  });
});

describe("errorCard in German", () => {
  it("titles the card, labels its buttons and says when to come back in German; the core's message stays as it came", () => {
    locale.chosen = "de";
    try {
      const c = errorCard(err("rate_limited", { retryable: true, retry_after_ms: 120_000, operation: { kind: "chat", label: "x" } }));
      expect(c.title).toBe("Im Moment zu viele Anfragen");
      expect(c.why).toBe("Because. Versuchen Sie es in 2\u00a0Min. erneut.");
      expect(c.primary?.label).toBe("Erneut versuchen");
      const q = errorCard(err("quota", { suggested_action: "upgrade_plan", retry_after_ms: 90_000 }));
      expect(q.why).toBe("Because. Sie können es in 1\u00a0Min. 30\u00a0Sek. erneut versuchen.");
      expect(q.primary?.label).toBe("Tarif erweitern");
    } finally {
      locale.chosen = "en";
    }
    expect(errorCard(err("rate_limited", { retryable: true })).primary?.label).toBe("Retry");
  });
});
