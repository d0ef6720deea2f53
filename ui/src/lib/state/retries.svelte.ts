// Waiting retries of operations started with an op id (the `retry` event), read by whichever part of
// the UI started the operation: the composer's send, the export dialog.
import type { RetryEvent } from "../bindings/RetryEvent";

class Retries {
  byOp = $state<Record<string, RetryEvent>>({});

  report(opId: string, retry: RetryEvent) {
    this.byOp[opId] = retry;
  }
  /** The operation ended (success, failure or cancel): its notice goes away. */
  done(opId: string | null) {
    if (opId) delete this.byOp[opId];
  }
}

export const retries = new Retries();
