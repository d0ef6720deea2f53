// "Report problem" (docs/error-handling.md §5): a message to support holding the trace id, what the user was
// doing, the screen, the time (UTC) and the app version. Never the key: the error has none, and the
// body is built only from the fields named here.
import type { Error as ApiError } from "./bindings/Error";

export const SUPPORT_EMAIL = "hello@superdocs.app";

export function reportBody(err: ApiError, screen: string, appVersion: string): string {
  const id = err.trace_id
    ? `Trace id: ${err.trace_id}`
    : `Trace id: none given by the service. Client request id: ${err.request_id}`;
  return [
    "Hello SuperDocs support,",
    "",
    "Something went wrong in the desktop app.",
    "",
    id,
    `What I was doing: ${err.operation?.label ?? "(not recorded)"}`,
    `Screen: ${screen}`,
    `Time (UTC): ${err.at}`,
    `App version: ${appVersion}`,
    `Error: ${err.kind}${err.status ? ` (HTTP ${err.status})` : ""}${err.code ? `, code ${err.code}` : ""}`,
    `Message: ${err.message}`,
  ].join("\n");
}

export function reportMailto(err: ApiError, screen: string, appVersion: string): string {
  const subject = `Problem report: ${err.trace_id ?? err.request_id}`;
  return `mailto:${SUPPORT_EMAIL}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(reportBody(err, screen, appVersion))}`;
}
