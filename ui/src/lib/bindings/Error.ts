// Provisional: to be replaced by ts-rs output from crates/superdocs-client
import type { ErrorKind } from "./ErrorKind";
import type { Limits } from "./Limits";
import type { Operation } from "./Operation";
import type { SuggestedAction } from "./SuggestedAction";
/** The error of error-handling.md §4: the payload of every failed command and of the `error` event. */
export type Error = {
  kind: ErrorKind;
  message: string;
  detail?: string | null;
  status?: number | null;
  code?: string | null;
  trace_id?: string | null;
  request_id: string;
  retryable: boolean;
  attempts: number;
  retry_after_ms?: number | null;
  suggested_action?: SuggestedAction | null;
  limits?: Limits | null;
  operation?: Operation | null;
  /** RFC 3339, UTC. */
  at: string;
};
