// The proposed changes of one job under review and the decisions on them. Thousands of changes: the
// list and the decisions are plain (not deeply reactive) and two counters say when they changed, so
// an append, a decision or "Keep all" costs the views only what it touched.
import type { Change } from "../bindings/Change";
import type { Decision } from "../proposed-changes";

export class Review {
  /** In the order proposed; read after `version`. */
  readonly changes: Change[] = [];
  readonly decisions = new Map<string, Decision>();
  /** Bumped when changes are added; `generation` when the list was replaced (views redraw from scratch). */
  version = $state(0);
  generation = $state(0);
  /** Bumped on every decision. */
  decisionVersion = $state(0);
  /** The change the last decision was on; null when it was on all of them (a view redraws what it says). */
  lastDecided: string | null = null;
  decided = $state(0);
  #ids = new Set<string>();

  constructor(changes: Change[] = []) {
    this.add(changes);
  }

  get count(): number {
    void this.version;
    return this.changes.length;
  }

  /** Adds changes not seen yet (each is sent once; a repeat is ignored). */
  add(batch: Change[]) {
    let added = 0;
    for (const c of batch) {
      if (this.#ids.has(c.change_id)) continue;
      this.#ids.add(c.change_id);
      this.changes.push(c);
      added++;
    }
    if (added) this.version++;
  }

  /** The job's whole list: when it is what was shown already (the usual case), nothing changes. */
  replace(all: Change[]) {
    const same = all.length === this.changes.length && all.every((c, i) => c.change_id === this.changes[i].change_id);
    if (same) return;
    this.changes.length = 0;
    this.#ids.clear();
    this.decisions.clear();
    this.decided = 0;
    this.lastDecided = null;
    this.add(all);
    this.generation++;
    this.version++;
    this.decisionVersion++;
  }

  clear() {
    this.replace([]);
  }

  decide(changeId: string, decision: Decision | null) {
    if (!this.#ids.has(changeId)) return;
    const had = this.decisions.has(changeId);
    if (decision) this.decisions.set(changeId, decision);
    else this.decisions.delete(changeId);
    this.decided += (decision ? 1 : 0) - (had ? 1 : 0);
    this.lastDecided = changeId;
    this.decisionVersion++;
  }

  decideAll(approved: boolean) {
    for (const c of this.changes) this.decisions.set(c.change_id, { approved });
    this.decided = this.changes.length;
    this.lastDecided = null;
    this.decisionVersion++;
  }

  decisionOf(changeId: string): Decision | undefined {
    void this.decisionVersion;
    return this.decisions.get(changeId);
  }

  get complete(): boolean {
    return this.decided === this.count;
  }
}
