// What a session is called in the sidebar and the document header: the document's first heading,
// else the session's preview, else its id.
import type { SessionSummary } from "./bindings/SessionSummary";
import { t } from "./i18n.svelte";

export function titleFromHtml(html: string | null | undefined): string | null {
  if (!html) return null;
  const m = /<h[1-3][^>]*>([\s\S]*?)<\/h[1-3]>/i.exec(html);
  if (!m) return null;
  const text = m[1].replace(/<[^>]+>/g, "").replace(/&nbsp;/g, " ").replace(/&amp;/g, "&").replace(/\s+/g, " ").trim();
  return text || null;
}

export function sessionTitle(s: Pick<SessionSummary, "session_id" | "preview">, docTitle?: string | null): string {
  return docTitle || s.preview?.split("\n")[0].slice(0, 60) || t("sessions:untitled");
}
