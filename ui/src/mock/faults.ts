// Every error the UI must show a card for, as the shell would send it (docs/error-handling.md §4).
import type { Error as ApiError } from "../lib/bindings/Error";
import type { Operation } from "../lib/bindings/Operation";

export type FaultName =
  | "server_retry" // 502 twice (the UI shows "Retrying in …"), then success
  | "server" // 502 on every attempt: retries spent
  | "quota" // 429 monthly quota
  | "auth" // 401
  | "prompt_too_long"
  | "unsupported_file"
  | "export_too_big"
  | "conflict" // 409 on revert
  | "network" // connection refused
  | "rate_limited"
  | "keyring"; // the OS keyring is locked or missing

let seq = 0;
function hex(n: number): string {
  seq += 1;
  return (seq.toString(16) + "a3f9c2e17b5d4086").repeat(4).slice(0, n);
}

function base(kind: ApiError["kind"], message: string, op: Operation | null): ApiError {
  return {
    kind,
    message,
    request_id: `cli_${hex(32)}`,
    retryable: false,
    attempts: 1,
    operation: op,
    at: new Date().toISOString(),
  };
}

export function faultError(name: FaultName, op: Operation | null): ApiError {
  switch (name) {
    case "server_retry":
    case "server":
      return {
        ...base("server", "SuperDocs is temporarily unavailable. Try again in a moment.", op),
        status: 502,
        code: "UPSTREAM_ERROR",
        detail: "<html><body><h1>502 Bad Gateway</h1></body></html>",
        trace_id: `evt_${hex(20)}`,
        retryable: true,
        attempts: 5,
        suggested_action: "retry",
      };
    case "quota":
      return {
        ...base("quota", "Your monthly operation limit is used up. Upgrade your plan or wait for the monthly reset.", op),
        status: 429,
        detail: "Monthly operation limit (500) reached. Upgrade your plan for more operations.",
        trace_id: `evt_${hex(20)}`,
        suggested_action: "upgrade_plan",
        limits: { monthly_limit: 500, monthly_used: 500, monthly_remaining: 0 },
      };
    case "auth":
      return {
        ...base("auth", "Your API key was not accepted. Open the key settings and enter a valid key.", op),
        status: 401,
        detail: "Invalid API key",
        trace_id: `evt_${hex(20)}`,
        suggested_action: "reenter_key",
      };
    case "prompt_too_long":
      return {
        ...base("prompt_too_long", "The message is over 100,000 characters. Add the text as a document instead; your text is kept.", op),
        suggested_action: "add_as_document",
      };
    case "unsupported_file":
      return {
        ...base("unsupported_file", "Legacy .doc files are not supported. Convert the file to .docx and try again.", op),
        status: 400,
        detail: "Legacy .doc files are not supported. Please convert to .docx format and try again.",
        trace_id: `evt_${hex(20)}`,
        suggested_action: "convert_to_docx",
      };
    case "export_too_big":
      return {
        ...base("too_large", "The exported file is over the 100 MB limit; it can be sent to you as an e-mailed link instead.", op),
        status: 413,
        code: "document_too_large",
        detail: "Export output exceeds 100 MB",
        trace_id: `evt_${hex(20)}`,
        suggested_action: "email_request",
        limits: { max_size_mb: 100 },
      };
    case "conflict":
      return {
        ...base("conflict", "A chat job is still running on this session. Wait for it to finish or cancel it, then try again.", op),
        status: 409,
        detail: "Cannot revert while a chat job is running for this session. Wait for it to complete or cancel it first.",
        trace_id: `evt_${hex(20)}`,
        suggested_action: "wait_for_job",
      };
    case "network":
      return {
        ...base("network", "Could not reach SuperDocs. Check your internet connection and try again.", op),
        detail: "error sending request: tcp connect error: Connection refused (os error 111)",
        retryable: true,
        attempts: 5,
        suggested_action: "retry",
      };
    case "keyring":
      return {
        ...base("keyring", "The system keyring could not be opened. Unlock it (or install one) and try again.", op),
        detail: "org.freedesktop.Secret.Error.IsLocked",
        retryable: true,
        suggested_action: "retry",
      };
    case "rate_limited":
      return {
        ...base("rate_limited", "Too many requests right now. Wait a moment and try again.", op),
        status: 429,
        code: "RATE_LIMITED",
        trace_id: `evt_${hex(20)}`,
        retryable: true,
        attempts: 5,
        retry_after_ms: 120_000,
        suggested_action: "retry",
      };
  }
}
