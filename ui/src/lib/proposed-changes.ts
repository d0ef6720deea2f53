// Shows a job's proposed changes on the document (docs/ui.md "Proposed changes"): the sanitised document
// with each change marked at its chunk, a word diff for edits, and Keep / Discard controls the
// document pane handles by delegation (data-change-action).
import type { Change } from "./bindings/Change";
import { sanitizeHtml, htmlToText } from "./sanitize";
import { wordDiff, diffToHtml, escapeHtml } from "./word-diff";

export type Decision = { approved: boolean; feedback?: string };

function bar(change: Change, label: string, decision: Decision | undefined): string {
  const why = change.ai_explanation ? `<span class="change-why one-line">${escapeHtml(change.ai_explanation)}</span>` : "";
  const id = escapeHtml(change.change_id);
  const controls = decision
    ? `<span class="change-decided">${decision.approved ? "Kept" : "Discarded"}</span>
       <button type="button" class="change-btn" data-change-action="undo" data-change-id="${id}">Undo</button>`
    : `<button type="button" class="change-btn keep" data-change-action="keep" data-change-id="${id}">✓ Keep</button>
       <button type="button" class="change-btn discard" data-change-action="discard" data-change-id="${id}">✕ Discard</button>`;
  return `<div class="change-bar" contenteditable="false"><span class="change-label">${label}</span>${why}<span class="change-controls">${controls}</span></div>`;
}

function wrapper(doc: Document, change: Change, kind: string, decision: Decision | undefined): HTMLElement {
  const box = doc.createElement("section");
  box.className = `change change-${kind}${decision ? (decision.approved ? " is-kept" : " is-discarded") : ""}`;
  box.setAttribute("data-change-id", change.change_id);
  return box;
}

function findChunk(doc: Document, chunkId: string | null): Element | null {
  if (!chunkId) return null;
  // Compared as strings, not put into a selector: a chunk id is server text.
  return [...doc.body.querySelectorAll("[data-chunk-id]")].find((el) => el.getAttribute("data-chunk-id") === chunkId) ?? null;
}

/** The document HTML with the changes shown in place. Changes whose chunk is missing are appended. */
export function decorateDocument(html: string, changes: Change[], decisions: Record<string, Decision>): string {
  const doc = new DOMParser().parseFromString(`<body>${sanitizeHtml(html)}</body>`, "text/html");
  // New blocks that share an anchor keep the order they were proposed in (a heading, then its paragraph).
  const lastAfter = new Map<Element, Element>();
  for (const change of changes) {
    const decision = decisions[change.change_id];
    const target = findChunk(doc, change.chunk_id);
    if (change.operation === "create") {
      const box = wrapper(doc, change, "new", decision);
      box.innerHTML = `<div class="change-body"><ins class="block">${sanitizeHtml(change.new_html ?? "")}</ins></div>${bar(change, "New", decision)}`;
      const anchor = findChunk(doc, change.insert_after_chunk_id) ?? target;
      if (anchor) {
        (lastAfter.get(anchor) ?? anchor).after(box);
        lastAfter.set(anchor, box);
      } else doc.body.append(box);
    } else if (change.operation === "delete") {
      const box = wrapper(doc, change, "delete", decision);
      const old = target ? target.outerHTML : sanitizeHtml(change.old_html ?? "");
      box.innerHTML = `<div class="change-body"><del class="block">${old}</del></div>${bar(change, "Removed", decision)}`;
      if (target) target.replaceWith(box);
      else doc.body.append(box);
    } else {
      const box = wrapper(doc, change, "edit", decision);
      const oldText = htmlToText(change.old_html ?? target?.outerHTML ?? "");
      const newText = htmlToText(change.new_html ?? "");
      const diff = diffToHtml(wordDiff(oldText, newText));
      const tag = target && /^(H[1-6]|P|LI|BLOCKQUOTE)$/.test(target.tagName) ? target.tagName.toLowerCase() : "p";
      box.innerHTML = `<div class="change-body"><${tag}>${diff}</${tag}></div>${bar(change, "Edited", decision)}`;
      if (target) target.replaceWith(box);
      else doc.body.append(box);
    }
  }
  return doc.body.innerHTML;
}
