// Shows a job's proposed changes on the document (docs/ui.md "Proposed changes"): the sanitised document
// with each change marked at its chunk, a word diff for edits, and Keep / Discard controls the
// document pane handles by delegation (data-change-action).
//
// Thousands of changes on a document of a thousand pages: the document is sanitised and parsed once per
// version, its chunks are indexed once (chunk id → element), each change replaces only its own block,
// and a decision redraws only its change's bar. Nothing re-renders the whole article.
import type { Change } from "./bindings/Change";
import { sanitizeHtml, htmlToText } from "./sanitize";
import { wordDiff, diffToHtml, escapeHtml } from "./word-diff";
import { t, locale, type Language } from "./i18n.svelte";

export type Decision = { approved: boolean; feedback?: string };

/** The words a change's bar shows, HTML-escaped, in one language. */
type Labels = { new: string; removed: string; edited: string; keep: string; discard: string; undo: string; kept: string; discarded: string };

/** Looked up once per language, not once per change: thousands of bars are drawn from the same words. */
let labelCache: { lang: Language; labels: Labels } | null = null;
function currentLabels(): Labels {
  const lang = locale.current;
  if (labelCache?.lang !== lang) {
    labelCache = {
      lang,
      labels: {
        new: escapeHtml(t("doc:change.new")),
        removed: escapeHtml(t("doc:change.removed")),
        edited: escapeHtml(t("doc:change.edited")),
        keep: escapeHtml(t("doc:keep")),
        discard: escapeHtml(t("doc:discard")),
        undo: escapeHtml(t("doc:undo")),
        kept: escapeHtml(t("doc:kept")),
        discarded: escapeHtml(t("doc:discarded")),
      },
    };
  }
  return labelCache.labels;
}

function controls(l: Labels, id: string, decision: Decision | undefined): string {
  return decision
    ? `<span class="change-decided">${decision.approved ? l.kept : l.discarded}</span>
       <button type="button" class="change-btn" data-change-action="undo" data-change-id="${id}">${l.undo}</button>`
    : `<button type="button" class="change-btn keep" data-change-action="keep" data-change-id="${id}">✓ ${l.keep}</button>
       <button type="button" class="change-btn discard" data-change-action="discard" data-change-id="${id}">✕ ${l.discard}</button>`;
}

function bar(l: Labels, change: Change, label: string, decision: Decision | undefined): string {
  const why = change.ai_explanation ? `<span class="change-why one-line">${escapeHtml(change.ai_explanation)}</span>` : "";
  return `<div class="change-bar" contenteditable="false"><span class="change-label">${label}</span>${why}<span class="change-controls">${controls(l, escapeHtml(change.change_id), decision)}</span></div>`;
}

function boxClass(kind: string, decision: Decision | undefined): string {
  return `change change-${kind}${decision ? (decision.approved ? " is-kept" : " is-discarded") : ""}`;
}

const KIND = { create: "new", delete: "delete", edit: "edit", unknown: "edit" } as const;

/** Top-level blocks per group. A thousand pages are ~12,000 blocks: as direct children of one box, every
 *  frame that drew a change laid out all of them (a review of 9,000 changes took 47 s to draw in Chromium);
 *  in groups, a change lays out its own group and the others keep their size. */
const GROUP = 100;

/** The last document sanitised: showing the same version again (another session and back, a new pane)
 *  does not sanitise a thousand pages again. Per language: the sanitiser labels blocked images. */
let lastSanitised: { raw: string; lang: Language; clean: string } | null = null;
function sanitizedOnce(raw: string): string {
  const lang = locale.current;
  if (lastSanitised?.raw !== raw || lastSanitised.lang !== lang) lastSanitised = { raw, lang, clean: sanitizeHtml(raw) };
  return lastSanitised.clean;
}

/** The document of one pane, with the changes of one review drawn into it block by block. */
export class DocumentView {
  #root: HTMLElement;
  #doc: Document;
  /** The sanitised document as last set: setting the same text again costs nothing. */
  #html: string | null = null;
  /** chunk id → its element; built once per document version (a chunk id is server text: never a selector). */
  #chunks = new Map<string, Element>();
  /** change id → its box and the decision it shows. */
  #boxes = new Map<string, { box: HTMLElement; slot: Element | null; kind: string; decision: Decision | undefined }>();
  /** New blocks that share an anchor keep the order they were proposed in (a heading, then its paragraph). */
  #lastAfter = new Map<Element, Element>();
  /** The bars' words, taken when the document is set (a change of language sets it again). */
  #labels: Labels = currentLabels();

  constructor(root: HTMLElement) {
    this.#root = root;
    this.#doc = root.ownerDocument;
  }

  /** How many changes are drawn. */
  get shown(): number {
    return this.#boxes.size;
  }

  /** Shows `html` (server text: sanitised here, once per version) without any change. */
  setDocument(html: string) {
    this.#labels = currentLabels();
    const clean = sanitizedOnce(html);
    if (clean === this.#html && this.#boxes.size === 0) return;
    this.#html = clean;
    this.#show(clean);
  }

  /** Takes every change off again (the review ended or was replaced). */
  clearChanges() {
    if (this.#boxes.size === 0 || this.#html == null) return;
    this.#show(this.#html);
  }

  #show(clean: string) {
    this.#root.innerHTML = clean;
    const blocks = [...this.#root.childNodes];
    if (blocks.length > GROUP) {
      const groups = this.#doc.createDocumentFragment();
      for (let i = 0; i < blocks.length; i += GROUP) {
        const group = this.#doc.createElement("div");
        group.className = "doc-group";
        group.append(...blocks.slice(i, i + GROUP));
        groups.append(group);
      }
      this.#root.replaceChildren(groups);
    }
    this.#reindex();
  }

  #reindex() {
    this.#chunks.clear();
    this.#boxes.clear();
    this.#lastAfter.clear();
    for (const el of this.#root.querySelectorAll("[data-chunk-id]")) this.#index(el);
  }

  #index(el: Element) {
    const id = el.getAttribute("data-chunk-id");
    // The first in document order wins, as a document query would find it.
    if (id && !this.#chunks.has(id)) this.#chunks.set(id, el);
  }

  #chunk(id: string | null): Element | null {
    if (!id) return null;
    const el = this.#chunks.get(id);
    return el && this.#root.contains(el) ? el : null;
  }

  /** Draws one change in place (a change already drawn is left as it is). */
  addChange(change: Change, decision: Decision | undefined) {
    if (this.#boxes.has(change.change_id)) return;
    const kind = KIND[change.operation] ?? "edit";
    const box = this.#doc.createElement("section");
    box.className = boxClass(kind, decision);
    box.setAttribute("data-change-id", change.change_id);
    const target = this.#chunk(change.chunk_id);
    if (kind === "new") {
      box.innerHTML = `<div class="change-body"><ins class="block">${sanitizeHtml(change.new_html ?? "")}</ins></div>${bar(this.#labels, change, this.#labels.new, decision)}`;
      const anchor = this.#chunk(change.insert_after_chunk_id) ?? target;
      if (anchor) {
        (this.#lastAfter.get(anchor) ?? anchor).after(box);
        this.#lastAfter.set(anchor, box);
      } else this.#root.append(box);
      for (const el of box.querySelectorAll("[data-chunk-id]")) this.#index(el);
    } else if (kind === "delete") {
      // The block itself moves into the box: already sanitised, nothing to parse again.
      box.innerHTML = `<div class="change-body"><del class="block"></del></div>${bar(this.#labels, change, this.#labels.removed, decision)}`;
      const del = box.querySelector("del")!;
      if (target) {
        target.replaceWith(box);
        del.append(target);
      } else {
        del.innerHTML = sanitizeHtml(change.old_html ?? "");
        this.#root.append(box);
      }
    } else {
      // Only text is taken from the change's HTML (inertly): the diff is escaped text, nothing to sanitise.
      const oldText = target && !change.old_html ? (target.textContent ?? "").replace(/\s+/g, " ").trim() : htmlToText(change.old_html ?? "");
      const newText = htmlToText(change.new_html ?? "");
      const diff = diffToHtml(wordDiff(oldText, newText));
      const tag = target && /^(H[1-6]|P|LI|BLOCKQUOTE)$/.test(target.tagName) ? target.tagName.toLowerCase() : "p";
      box.innerHTML = `<div class="change-body"><${tag}>${diff}</${tag}></div>${bar(this.#labels, change, this.#labels.edited, decision)}`;
      if (target) target.replaceWith(box);
      else this.#root.append(box);
    }
    // The controls' slot is kept: "Keep all" on thousands must not query each box again.
    const slot = box.querySelector(":scope > .change-bar > .change-controls");
    this.#boxes.set(change.change_id, { box, slot, kind, decision });
  }

  /** Redraws the bar of a change whose decision differs from the one it shows; true when it did. */
  setDecision(changeId: string, decision: Decision | undefined): boolean {
    const shown = this.#boxes.get(changeId);
    if (!shown || shown.decision === decision) return false;
    shown.decision = decision;
    shown.box.className = boxClass(shown.kind, decision);
    if (shown.slot) shown.slot.innerHTML = controls(this.#labels, escapeHtml(changeId), decision);
    return true;
  }
}

/** The document HTML with the changes shown in place. Changes whose chunk is missing are appended. */
export function decorateDocument(html: string, changes: Change[], decisions: Record<string, Decision>): string {
  const root = document.createElement("article");
  const view = new DocumentView(root);
  view.setDocument(html);
  for (const change of changes) view.addChange(change, decisions[change.change_id]);
  return root.innerHTML;
}
