// "Report problem" (docs/error-handling.md §5): a message to support holding the trace id, what the user was
// doing, the screen, the time (UTC) and the app version. Never the key: the error has none, and the
// body is built only from the fields named here. The mail is the user's, so it is in the window's language;
// the values (ids, kind, screen, message) are as they come.
import type { Error as ApiError } from "./bindings/Error";
import { appVersion, diagnostics, openUrl } from "./ipc";
import { copyText } from "./clipboard";
import { t } from "./i18n.svelte";

export const SUPPORT_EMAIL = "hello@superdocs.app";

/** Mail clients (Windows' above all) cut mailto links past about 2,000 characters. */
export const MAILTO_BODY_BUDGET = 1800;

export function reportBody(err: ApiError, screen: string, appVersion: string, diagnostics = ""): string {
  const id = err.trace_id ? t("errors:mail.traceId", { id: err.trace_id }) : t("errors:mail.noTraceId", { id: err.request_id });
  const error =
    err.status && err.code
      ? t("errors:mail.errorStatusCode", { kind: err.kind, status: err.status, code: err.code })
      : err.status
        ? t("errors:mail.errorStatus", { kind: err.kind, status: err.status })
        : err.code
          ? t("errors:mail.errorCode", { kind: err.kind, code: err.code })
          : t("errors:mail.error", { kind: err.kind });
  return [
    t("errors:mail.greeting"),
    "",
    t("errors:mail.intro"),
    "",
    id,
    t("errors:mail.doing", { what: err.operation?.label ?? t("errors:mail.notRecorded") }),
    t("errors:mail.screen", { screen }),
    t("errors:mail.time", { time: err.at }),
    t("errors:mail.version", { version: appVersion }),
    error,
    t("errors:mail.message", { message: err.message }),
    ...(diagnostics ? ["", t("errors:mail.diagnostics"), diagnostics] : []),
  ].join("\n");
}

/** The diagnostics lines that fit the budget: the header lines first, then the newest log lines. */
function fitDiagnostics(diagnostics: string, room: number): string {
  const lines = diagnostics.split("\n");
  const head = lines.slice(0, 4);
  const log = lines.slice(4);
  let out = head.join("\n");
  if (out.length > room) return "";
  const kept: string[] = [];
  for (let i = log.length - 1; i >= 0; i--) {
    if (out.length + kept.reduce((n, l) => n + l.length + 1, 0) + log[i].length + 1 > room) break;
    kept.unshift(log[i]);
  }
  if (kept.length) out += "\n" + kept.join("\n");
  return out;
}

export function reportMailto(err: ApiError, screen: string, appVersion: string, diagnostics = ""): string {
  const subject = t("errors:mail.subject", { id: err.trace_id ?? err.request_id });
  const room = MAILTO_BODY_BUDGET - reportBody(err, screen, appVersion).length;
  const body = reportBody(err, screen, appVersion, fitDiagnostics(diagnostics, room));
  return `mailto:${SUPPORT_EMAIL}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(body)}`;
}

/** Help → Report a problem (no error at hand): the version and diagnostics, the rest the user writes. */
export async function reportProblem(): Promise<void> {
  const [version, diag] = await Promise.all([appVersion().catch(() => ""), diagnostics().catch(() => "")]);
  if (diag) await copyText(diag);
  const head = [
    t("errors:mail.greeting"),
    "",
    t("errors:mail.whatHappened"),
    "",
    "",
    t("errors:mail.version", { version }),
    ...(diag ? ["", t("errors:mail.diagnostics"), fitDiagnostics(diag, MAILTO_BODY_BUDGET - 200)] : []),
  ].join("\n");
  await openUrl(`mailto:${SUPPORT_EMAIL}?subject=${encodeURIComponent(t("errors:mail.subjectPlain"))}&body=${encodeURIComponent(head)}`);
}
