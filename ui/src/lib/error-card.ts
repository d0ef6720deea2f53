// From the structured error to what an error card says and offers (docs/ui.md "Error card",
// docs/error-handling.md §5). Pure: the component renders it, tests pin it.
import type { Error as ApiError } from "./bindings/Error";
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

function card(
  icon: CardIcon,
  tone: CardTone,
  title: string,
  why: string,
  primary: CardActionId | null,
  secondary: CardActionId[] = [],
  showLimits = false,
): ErrorCardModel {
  return { icon, tone, title, why, primary: primary ? A[primary] : null, secondary: secondary.map((s) => A[s]), showLimits };
}

/** When the service said to come back, as a phrase: "in 2 min". */
export function retryAfterPhrase(err: ApiError): string | null {
  return err.retry_after_ms ? `in ${formatDuration(err.retry_after_ms / 1000)}` : null;
}

export function errorCard(err: ApiError): ErrorCardModel {
  const op = err.operation?.kind;
  const isChat = op === "chat";
  // A chat failure that survived the retries offers another model (docs/error-handling.md §5, step 2).
  const chatExtras: CardActionId[] = isChat ? ["switch_model"] : [];
  const retry = err.retryable ? "retry" : null;
  const why = err.message;

  switch (err.kind) {
    case "auth":
      return card("key", "danger", "Your API key wasn't accepted", why, "reenter_key");
    case "forbidden":
      return card("lock", "danger", "This belongs to another account", why, null);
    case "not_found":
      return card("alert", "warning", "That item is no longer there", why, null);
    case "conflict":
      return card("clock", "warning", "A chat job is still running on this session", why, "wait_for_job", ["cancel_job"]);
    case "validation":
      return card("alert", "warning", "The service couldn't accept this", why, retry);
    case "too_large":
      if (err.suggested_action === "email_request" || op === "export" || op === "email_export")
        return card("file", "warning", "The export is too big to download", why, "email_link");
      if (op === "upload" || err.suggested_action === "choose_smaller_file")
        return card("file", "warning", "This file is too large", why, "choose_file");
      return card("file", "warning", "This request is too large", why, isChat ? "add_as_document" : null);
    case "quota": {
      const when = retryAfterPhrase(err);
      return card(
        "meter",
        "warning",
        "You've used this month's operations",
        when ? `${why} You can try again ${when}.` : why,
        "upgrade",
        [],
        true,
      );
    }
    case "rate_limited": {
      const when = retryAfterPhrase(err);
      return card("clock", "warning", "Too many requests right now", when ? `${why} Try again ${when}.` : why, retry ?? "retry");
    }
    case "timeout":
      if (err.suggested_action === "split_request")
        return card("clock", "warning", "This ran past the service's time limit", why, null, chatExtras);
      return card("clock", "danger", "SuperDocs took too long to answer", why, retry, chatExtras);
    case "server":
      // The core suggests another model when a chat turn keeps failing: that becomes the main way on.
      if (isChat && err.suggested_action === "switch_model")
        return card("alert", "danger", "SuperDocs is having trouble", why, "switch_model", retry ? ["retry"] : []);
      return card("alert", "danger", "SuperDocs is having trouble", why, retry, chatExtras);
    case "network":
      return card("offline", "danger", "Can't reach SuperDocs", why, retry ?? "retry", chatExtras);
    case "protocol":
      return card("alert", "danger", "The service sent an answer the app can't read", why, retry);
    case "unsupported_file":
      return card("file", "warning", "This file type isn't supported", why, "choose_file");
    case "prompt_too_long":
      return card("file", "warning", "Your message is over 100,000 characters", why, "add_as_document");
    case "keyring":
      return card("key", "danger", "The system keyring isn't available", why, retry);
    case "cancelled":
      return card("alert", "info", "Cancelled", why, null);
    case "unknown_outcome":
      // No Retry: the request may have been applied, and sending it again could do it twice. The
      // message names what to check; the trace/request id and Report problem stay on the card.
      return card("offline", "warning", "SuperDocs may have received this", why, null);
    case "internal":
    default:
      return card("alert", "danger", "Something went wrong in the app", why, retry);
  }
}
