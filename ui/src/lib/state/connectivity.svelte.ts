// Whether the service is in reach for the jobs being followed, from the tracker's `reconnecting` and
// `reconnected` job events: the window's calm "Offline — retrying…" strip (OfflineNotice) reads it.
// Only followed jobs tell: with nothing running, a failed call shows its own card, as everywhere.
import * as ipc from "../ipc";
import type { Error as ApiError } from "../bindings/Error";
import type { JobEvent } from "../bindings/JobEvent";

type Waiting = { attempt: number; nextTryAt: number; error: ApiError };

class Connectivity {
  /** The jobs the tracker cannot reach, with when it tries each again. */
  byJob = $state<Record<string, Waiting>>({});
  /** When the service answered again after an outage (the short "Back online" note), else null. */
  backAt = $state<number | null>(null);
  trying = $state(false);

  offline = $derived(Object.keys(this.byJob).length > 0);
  /** The soonest next try of any job (ms since the epoch), or null when online. */
  nextTryAt = $derived(this.offline ? Math.min(...Object.values(this.byJob).map((w) => w.nextTryAt)) : null);
  /** Whether the network is what failed (else the service answers with errors: "not answering"). */
  unreachable = $derived(Object.values(this.byJob).some((w) => w.error.kind === "network" || w.error.kind === "timeout"));

  onJob(e: JobEvent) {
    if (e.kind === "reconnecting") {
      this.byJob[e.job_id] = { attempt: e.attempt, nextTryAt: Date.now() + e.next_retry_ms, error: e.error };
      this.backAt = null;
      this.trying = false;
      return;
    }
    // Back online, or the job ended (Stop ends it here even while offline): it no longer waits.
    if (!["reconnected", "completed", "failed", "cancelled"].includes(e.kind) || !(e.job_id in this.byJob)) return;
    delete this.byJob[e.job_id];
    if (!this.offline) {
      this.trying = false;
      this.backAt = e.kind === "reconnected" ? Date.now() : null;
    }
  }

  /** "Try now": every waiting job tries at once; a failure comes back as a new `reconnecting`. */
  async tryNow() {
    this.trying = true;
    await ipc.retryJobsNow().catch(() => (this.trying = false));
  }
}

export const connectivity = new Connectivity();
