// A newer version of the app: found (at start, or from Settings → Check now), downloaded with progress and
// verified, then installed with a relaunch. The shell does the work (commands/update.rs).
import type { Error as ApiError } from "../bindings/Error";
import type { UpdateInfo } from "../bindings/UpdateInfo";
import * as ipc from "../ipc";

export type UpdatePhase = "idle" | "checking" | "latest" | "available" | "downloading" | "ready" | "installing";

class Updates {
  phase = $state<UpdatePhase>("idle");
  info = $state<UpdateInfo | null>(null);
  received = $state(0);
  total = $state<number | null>(null);
  error = $state<ApiError | null>(null);
  /** The notice was closed; it comes back at the next check. */
  hidden = $state(false);

  /** `quiet`: the check at start, which says nothing when there is no update or the server is away. */
  async check(quiet = false) {
    if (this.phase === "downloading" || this.phase === "installing") return;
    this.phase = "checking";
    this.error = null;
    this.hidden = false;
    try {
      this.info = await ipc.checkUpdate();
      this.phase = this.info ? "available" : "latest";
    } catch (e) {
      this.phase = "idle";
      if (!quiet) this.error = ipc.asApiError(e);
    }
  }

  async download() {
    this.phase = "downloading";
    this.error = null;
    this.received = 0;
    this.total = null;
    try {
      await ipc.downloadUpdate((p) => {
        this.received = p.received;
        this.total = p.total;
      });
      this.phase = "ready";
    } catch (e) {
      // A refused package is dropped by the shell; the running version goes on as it was.
      this.error = ipc.asApiError(e);
      this.phase = "available";
    }
  }

  async install() {
    this.phase = "installing";
    this.error = null;
    try {
      await ipc.installUpdate();
    } catch (e) {
      this.error = ipc.asApiError(e);
      this.phase = "available";
    }
  }
}

export const updates = new Updates();
