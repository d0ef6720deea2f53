// From the structured error to what an error card says and offers (docs/ui.md "Error card",
// docs/error-handling.md §5). Pure: the component renders it, tests pin it.
import type { Error as ApiError } from "./bindings/Error";
import type { SuggestedAction } from "./bindings/SuggestedAction";
import { formatDuration } from "./format";
import { t } from "./i18n.svelte";

export type CardActionId =
  | "retry"
  | "switch_model"
  | "add_as_document"
  | "upgrade"
  | "reenter_key"
  | "wait_for_job"
  | "cancel_job"
  | "email_link"
  | "choose_file";

export type CardAction = { id: CardActionId; label: string };
export type CardTone = "danger" | "warning" | "info";
export type CardIcon = "alert" | "key" | "meter" | "offline" | "file" | "clock" | "lock";

export type ErrorCardModel = {
  icon: CardIcon;
  tone: CardTone;
  title: string;
  why: string;
  primary: CardAction | null;
  secondary: CardAction[];
  /** Show used / limit / remaining (quota). */
  showLimits: boolean;
};

/** The buttons' labels, read when a card is made (so a card is in the window's language). */
const LABEL: Record<CardActionId, () => string> = {
  retry: () => t("common:retry"),
  switch_model: () => t("errors:action.switchModel"),
  add_as_document: () => t("errors:action.addAsDocument"),
  upgrade: () => t("errors:action.upgrade"),
  reenter_key: () => t("errors:action.reenterKey"),
  wait_for_job: () => t("errors:action.waitForJob"),
  cancel_job: () => t("errors:action.cancelJob"),
  email_link: () => t("errors:action.emailLink"),
  choose_file: () => t("errors:action.chooseFile"),
};
const action = (id: CardActionId): CardAction => ({ id, label: LABEL[id]() });

/** The core's suggested next step (docs/error-handling.md §5) as a button. Null: nothing to press; the
 *  message says what to do (split the request) and Report problem is always on the card. */
const FOR_SUGGESTION: Record<SuggestedAction, CardActionId | null> = {
  retry: "retry",
  switch_model: "switch_model",
  add_as_document: "add_as_document",
  email_request: "email_link",
  split_request: null,
  reenter_key: "reenter_key",
  upgrade_plan: "upgrade",
  wait_for_job: "wait_for_job",
  cancel_job: "cancel_job",
  convert_to_docx: "choose_file",
  choose_smaller_file: "choose_file",
  contact_support: null,
};

/** What the card offers comes from the core: its `suggested_action`, else Retry when the failure is
 *  retryable. The UI adds only what follows from the one it offers: waiting for a job or cancelling it,
 *  and for a chat turn that failed on the service, another model beside Retry. */
function offers(err: ApiError): { primary: CardActionId | null; secondary: CardActionId[] } {
  let primary = err.suggested_action ? FOR_SUGGESTION[err.suggested_action] : err.retryable ? "retry" : null;
  // Sending again could do the thing twice: an unknown outcome is never retried from the card.
  if (err.kind === "unknown_outcome" && primary === "retry") primary = null;
  const secondary: CardActionId[] = [];
  if (primary === "wait_for_job") secondary.push("cancel_job");
  if (err.operation?.kind === "chat") {
    if (primary === "switch_model" && err.retryable) secondary.push("retry");
    else if (primary !== "switch_model" && ["server", "timeout", "network"].includes(err.kind)) secondary.push("switch_model");
  }
  return { primary, secondary };
}

function card(err: ApiError, icon: CardIcon, tone: CardTone, title: string, why = err.message, showLimits = false): ErrorCardModel {
  const { primary, secondary } = offers(err);
  return { icon, tone, title, why, primary: primary ? action(primary) : null, secondary: secondary.map(action), showLimits };
}

/** When the service said to come back, as a phrase: "in 2 min". */
export function retryAfterPhrase(err: ApiError): string | null {
  return err.retry_after_ms ? t("errors:retryAfter", { duration: formatDuration(err.retry_after_ms / 1000) }) : null;
}

/** The card of an error: icon, tone and title by kind (presentation); the actions from the core (`offers`). */
export function errorCard(err: ApiError): ErrorCardModel {
  const op = err.operation?.kind;
  switch (err.kind) {
    case "auth":
      return card(err, "key", "danger", t("errors:title.auth"));
    case "forbidden":
      return card(err, "lock", "danger", t("errors:title.forbidden"));
    case "not_found":
      return card(err, "alert", "warning", t("errors:title.notFound"));
    case "conflict":
      return card(err, "clock", "warning", t("errors:title.conflict"));
    case "validation":
      return card(err, "alert", "warning", t("errors:title.validation"));
    case "too_large":
      if (err.suggested_action === "email_request" || op === "export" || op === "email_export")
        return card(err, "file", "warning", t("errors:title.exportTooLarge"));
      if (op === "upload" || err.suggested_action === "choose_smaller_file") return card(err, "file", "warning", t("errors:title.fileTooLarge"));
      return card(err, "file", "warning", t("errors:title.requestTooLarge"));
    case "quota": {
      const when = retryAfterPhrase(err);
      return card(err, "meter", "warning", t("errors:title.quota"), when ? t("errors:quotaWhy", { message: err.message, when }) : err.message, true);
    }
    case "rate_limited": {
      const when = retryAfterPhrase(err);
      return card(err, "clock", "warning", t("errors:title.rateLimited"), when ? t("errors:rateLimitedWhy", { message: err.message, when }) : err.message);
    }
    case "timeout":
      if (err.suggested_action === "split_request") return card(err, "clock", "warning", t("errors:title.timeLimit"));
      return card(err, "clock", "danger", t("errors:title.timeout"));
    case "server":
      return card(err, "alert", "danger", t("errors:title.server"));
    case "network":
      return card(err, "offline", "danger", t("errors:title.network"));
    case "protocol":
      return card(err, "alert", "danger", t("errors:title.protocol"));
    case "unsupported_file":
      return card(err, "file", "warning", t("errors:title.unsupportedFile"));
    case "prompt_too_long":
      return card(err, "file", "warning", t("errors:title.promptTooLong"));
    case "keyring":
      return card(err, "key", "danger", t("errors:title.keyring"));
    case "cancelled":
      return card(err, "alert", "info", t("errors:title.cancelled"));
    case "unknown_outcome":
      // The message names what to check; the trace/request id and Report problem stay on the card.
      return card(err, "offline", "warning", t("errors:title.unknownOutcome"));
    case "internal":
    default:
      return card(err, "alert", "danger", t("errors:title.internal"));
  }
}
