// The session list, the open session's document and messages, its attachments.
import * as ipc from "../ipc";
import type { Error as ApiError } from "../bindings/Error";
import type { AttachmentStatus } from "../bindings/AttachmentStatus";
import type { History } from "../bindings/History";
import type { Message } from "../bindings/Message";
import type { SessionSummary } from "../bindings/SessionSummary";
import { sessionTitle, titleFromHtml } from "../document-title";

/** Sessions asked for first. The API pages with `limit` only, so older ones come by asking for twice as
 *  many each time until the service returns fewer than asked: every session is reachable, the first
 *  screen comes at once, and the filter searches everything once all are loaded. */
const FIRST_PAGE = 100;
/** Messages added from a job's result rather than read from the service (their turn index is unknown). */
const LOCAL = "local_";
let localIds = 0;

class SessionsState {
  /** Thousands of summaries: replaced whole, never deeply reactive. */
  list = $state.raw<SessionSummary[]>([]);
  listLoaded = $state(false);
  /** Every session of the profile is in `list` (false while older ones are still loading). */
  allLoaded = $state(false);
  #loadingRest = false;
  listError = $state<ApiError | null>(null);
  filter = $state("");
  activeId = $state<string | null>(null);
  history = $state<History | null>(null);
  loadingHistory = $state(false);
  historyError = $state<ApiError | null>(null);
  attachments = $state<AttachmentStatus[]>([]);
  /** The document titles of the sessions opened in this run: the list itself only has message previews. */
  docTitles = $state<Record<string, string>>({});

  filtered = $derived.by(() => {
    const q = this.filter.trim().toLowerCase();
    return q ? this.list.filter((s) => `${this.titleOf(s)} ${s.preview ?? ""} ${s.session_id}`.toLowerCase().includes(q)) : this.list;
  });

  /** What a session is called in lists: its document's title when known, else its preview. */
  titleOf(s: Pick<SessionSummary, "session_id" | "preview">): string {
    return sessionTitle(s, this.docTitles[s.session_id]);
  }

  #remember(id: string, h: History | null) {
    const t = titleFromHtml(h?.document_state?.html_content);
    if (t) this.docTitles[id] = t;
  }
  documentHtml = $derived(this.history?.document_state?.html_content ?? null);

  /** The newest sessions (merged over the older ones already loaded), then the rest in the background. */
  async refresh() {
    try {
      const page = await ipc.listSessions(FIRST_PAGE);
      this.#merge(page, page.length < FIRST_PAGE);
      this.listError = null;
    } catch (e) {
      this.listError = ipc.asApiError(e);
    } finally {
      this.listLoaded = true;
    }
    if (!this.allLoaded && !this.listError) void this.#loadRest();
  }

  /** `page`: the newest sessions; `complete`: they are all there are. */
  #merge(page: SessionSummary[], complete: boolean) {
    if (complete) {
      this.list = page;
      this.allLoaded = true;
      return;
    }
    const ids = new Set(page.map((s) => s.session_id));
    this.list = [...page, ...this.list.filter((s) => !ids.has(s.session_id))];
  }

  async #loadRest() {
    if (this.#loadingRest) return;
    this.#loadingRest = true;
    try {
      let limit = Math.max(this.list.length, FIRST_PAGE) * 2;
      while (!this.allLoaded) {
        const page = await ipc.listSessions(limit);
        this.#merge(page, page.length < limit);
        limit *= 2;
      }
    } catch {
      /* what is loaded stays listed; the next refresh goes on from there */
    } finally {
      this.#loadingRest = false;
    }
  }

  async open(id: string) {
    this.activeId = id;
    this.loadingHistory = true;
    this.historyError = null;
    try {
      const [h, atts] = await Promise.all([ipc.getHistory(id), ipc.listAttachments(id)]);
      if (this.activeId !== id) return;
      this.history = h;
      this.#remember(id, h);
      this.attachments = atts;
    } catch (e) {
      if (this.activeId === id) this.historyError = ipc.asApiError(e);
    } finally {
      if (this.activeId === id) this.loadingHistory = false;
    }
  }

  /** Re-reads the open session without the loading state (after a job, an upload, a revert). */
  async reload() {
    if (!this.activeId) return;
    const id = this.activeId;
    try {
      const h = await ipc.getHistory(id);
      this.#remember(id, h);
      if (this.activeId === id) this.history = h;
    } catch {
      /* the visible copy stays; the next action will surface the error */
    }
    void this.refresh();
  }

  async create(): Promise<string> {
    const id = await ipc.newSession();
    await this.refresh();
    await this.open(id);
    return id;
  }

  /** A finished turn whose result carries the new state: its two messages (and the document, when it
   *  changed) join the open history without reading it all again (a thousand pages of it). The result has
   *  no turn index: `turnIndexOf` reads the history the first time one is needed (a rewind). */
  addTurn(message: string, response: string, documentHtml: string | null) {
    if (!this.history) return;
    const at = new Date().toISOString();
    const local = (sender: Message["sender"], content: string): Message =>
      ({ id: `${LOCAL}${++localIds}`, sender, content, timestamp: at, turn_index: null, checkpoint_id: null });
    this.history.messages.push(local("user", message), local("ai", response));
    if (documentHtml != null) this.setDocument(documentHtml);
    void this.refresh();
  }

  isLocal(m: Message): boolean {
    return typeof m.id === "string" && m.id.startsWith(LOCAL);
  }

  /** The turn index of message `i` of the open history; for one added by `addTurn`, read from the service. */
  async turnIndexOf(i: number): Promise<number | null> {
    const m = this.history?.messages[i];
    if (!m || m.turn_index != null || !this.isLocal(m)) return m?.turn_index ?? null;
    await this.reload();
    const fresh = this.history?.messages ?? [];
    const matches = (x: Message | undefined) => x?.sender === m.sender && x?.content === m.content;
    const same = matches(fresh[i]) ? fresh[i] : [...fresh].reverse().find(matches);
    return same?.turn_index ?? null;
  }

  setDocument(html: string | null) {
    if (!this.history) return;
    this.history.document_state = html == null ? null : { html_content: html, version_id: null, chunk_count: null, last_modified: null, attachments: [] };
    if (this.activeId) this.#remember(this.activeId, this.history);
  }
}

export const sessions = new SessionsState();
