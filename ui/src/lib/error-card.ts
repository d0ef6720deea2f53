// From the structured error to what an error card says and offers (docs/ui.md "Error card",
// docs/error-handling.md §5). Pure: the component renders it, tests pin it.
import type { Error as ApiError } from "./bindings/Error";
import type { SuggestedAction } from "./bindings/SuggestedAction";
import { formatDuration } from "./format";

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

const A: Record<CardActionId, CardAction> = {
  retry: { id: "retry", label: "Retry" },
  switch_model: { id: "switch_model", label: "Try another model" },
  add_as_document: { id: "add_as_document", label: "Add as document" },
  upgrade: { id: "upgrade", label: "Upgrade plan" },
  reenter_key: { id: "reenter_key", label: "Re-enter key" },
  wait_for_job: { id: "wait_for_job", label: "Wait for the job" },
  cancel_job: { id: "cancel_job", label: "Cancel the job" },
  email_link: { id: "email_link", label: "Email me a link" },
  choose_file: { id: "choose_file", label: "Choose another file" },
};

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
  return { icon, tone, title, why, primary: primary ? A[primary] : null, secondary: secondary.map((s) => A[s]), showLimits };
}

/** When the service said to come back, as a phrase: "in 2 min". */
export function retryAfterPhrase(err: ApiError): string | null {
  return err.retry_after_ms ? `in ${formatDuration(err.retry_after_ms / 1000)}` : null;
}

/** The card of an error: icon, tone and title by kind (presentation); the actions from the core (`offers`). */
export function errorCard(err: ApiError): ErrorCardModel {
  const op = err.operation?.kind;
  switch (err.kind) {
    case "auth":
      return card(err, "key", "danger", "Your API key wasn't accepted");
    case "forbidden":
      return card(err, "lock", "danger", "This belongs to another account");
    case "not_found":
      return card(err, "alert", "warning", "That item is no longer there");
    case "conflict":
      return card(err, "clock", "warning", "A chat job is still running on this session");
    case "validation":
      return card(err, "alert", "warning", "The service couldn't accept this");
    case "too_large":
      if (err.suggested_action === "email_request" || op === "export" || op === "email_export")
        return card(err, "file", "warning", "The export is too big to download");
      if (op === "upload" || err.suggested_action === "choose_smaller_file") return card(err, "file", "warning", "This file is too large");
      return card(err, "file", "warning", "This request is too large");
    case "quota": {
      const when = retryAfterPhrase(err);
      return card(err, "meter", "warning", "You've used this month's operations", when ? `${err.message} You can try again ${when}.` : err.message, true);
    }
    case "rate_limited": {
      const when = retryAfterPhrase(err);
      return card(err, "clock", "warning", "Too many requests right now", when ? `${err.message} Try again ${when}.` : err.message);
    }
    case "timeout":
      if (err.suggested_action === "split_request") return card(err, "clock", "warning", "This ran past the service's time limit");
      return card(err, "clock", "danger", "SuperDocs took too long to answer");
    case "server":
      return card(err, "alert", "danger", "SuperDocs is having trouble");
    case "network":
      return card(err, "offline", "danger", "Can't reach SuperDocs");
    case "protocol":
      return card(err, "alert", "danger", "The service sent an answer the app can't read");
    case "unsupported_file":
      return card(err, "file", "warning", "This file type isn't supported");
    case "prompt_too_long":
      return card(err, "file", "warning", "Your message is over 100,000 characters");
    case "keyring":
      return card(err, "key", "danger", "The system keyring isn't available");
    case "cancelled":
      return card(err, "alert", "info", "Cancelled");
    case "unknown_outcome":
      // The message names what to check; the trace/request id and Report problem stay on the card.
      return card(err, "offline", "warning", "SuperDocs may have received this");
    case "internal":
    default:
      return card(err, "alert", "danger", "Something went wrong in the app");
  }
}
