// The session list, the open session's document and messages, its attachments.
import * as ipc from "../ipc";
import type { Error as ApiError } from "../bindings/Error";
import type { AttachmentStatus } from "../bindings/AttachmentStatus";
import type { History } from "../bindings/History";
import type { SessionSummary } from "../bindings/SessionSummary";
import { sessionTitle, titleFromHtml } from "../document-title";

class SessionsState {
  list = $state<SessionSummary[]>([]);
  listLoaded = $state(false);
  listError = $state<ApiError | null>(null);
  filter = $state("");
  activeId = $state<string | null>(null);
  history = $state<History | null>(null);
  loadingHistory = $state(false);
  historyError = $state<ApiError | null>(null);
  attachments = $state<AttachmentStatus[]>([]);
  /** The document titles of the sessions opened in this run: the list itself only has message previews. */
  docTitles = $state<Record<string, string>>({});

  filtered = $derived(
    this.filter.trim()
      ? this.list.filter((s) => `${this.titleOf(s)} ${s.preview ?? ""} ${s.session_id}`.toLowerCase().includes(this.filter.trim().toLowerCase()))
      : this.list,
  );

  /** What a session is called in lists: its document's title when known, else its preview. */
  titleOf(s: Pick<SessionSummary, "session_id" | "preview">): string {
    return sessionTitle(s, this.docTitles[s.session_id]);
  }

  #remember(id: string, h: History | null) {
    const t = titleFromHtml(h?.document_state?.html_content);
    if (t) this.docTitles[id] = t;
  }
  documentHtml = $derived(this.history?.document_state?.html_content ?? null);

  async refresh() {
    try {
      this.list = await ipc.listSessions();
      this.listError = null;
    } catch (e) {
      this.listError = ipc.asApiError(e);
    } finally {
      this.listLoaded = true;
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

  setDocument(html: string | null) {
    if (!this.history) return;
    this.history.document_state = html == null ? null : { html_content: html, version_id: null, chunk_count: null, last_modified: null, attachments: [] };
    if (this.activeId) this.#remember(this.activeId, this.history);
  }
}

export const sessions = new SessionsState();
