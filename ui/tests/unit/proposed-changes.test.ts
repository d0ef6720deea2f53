import { describe, expect, it } from "vitest";
import type { Change } from "../../src/lib/bindings/Change";
import { decorateDocument, DocumentView } from "../../src/lib/proposed-changes";
import { locale } from "../../src/lib/i18n.svelte";

const doc = `<h1 data-chunk-id="c1">Q4</h1><p data-chunk-id="c2">Revenue grew 15%.</p><p data-chunk-id="c3">Bye.</p>`;
const change = (c: Partial<Change>): Change => ({ change_id: "x", operation: "edit", chunk_id: null, old_html: null, new_html: null, ai_explanation: "why", batch_id: null, batch_total: null, insert_after_chunk_id: null, ...c });

function parse(html: string) {
  const d = document.createElement("div");
  d.innerHTML = html;
  return d;
}

describe("decorateDocument", () => {
  it("shows an edit in place as a word diff with Keep and Discard", () => {
    const d = parse(decorateDocument(doc, [change({ change_id: "e1", chunk_id: "c2", old_html: '<p data-chunk-id="c2">Revenue grew 15%.</p>', new_html: "<p>Revenue grew 17%.</p>" })], {}));
    const box = d.querySelector('[data-change-id="e1"]')!;
    expect(box.classList.contains("change-edit")).toBe(true);
    expect(box.querySelector("del")?.textContent).toBe("15%.");
    expect(box.querySelector("ins")?.textContent).toBe("17%.");
    expect([...box.querySelectorAll("[data-change-action]")].map((b) => b.getAttribute("data-change-action"))).toEqual(["keep", "discard"]);
    expect(d.querySelector('[data-chunk-id="c1"]')).not.toBeNull();
    expect(box.previousElementSibling?.getAttribute("data-chunk-id")).toBe("c1");
  });
  it("keeps new blocks that share an anchor in the order they were proposed", () => {
    const d = parse(decorateDocument(doc, [
      change({ change_id: "h", operation: "create", insert_after_chunk_id: "c1", new_html: "<h2>Summary</h2>" }),
      change({ change_id: "p", operation: "create", insert_after_chunk_id: "c1", new_html: "<p>Revenue grew.</p>" }),
    ], {}));
    const order = [...d.children].map((el) => el.getAttribute("data-chunk-id") ?? el.getAttribute("data-change-id"));
    expect(order).toEqual(["c1", "h", "p", "c2", "c3"]);
  });
  it("inserts a new block after its anchor chunk, sanitised", () => {
    const d = parse(decorateDocument(doc, [change({ change_id: "n1", operation: "create", insert_after_chunk_id: "c1", new_html: '<p onclick="x()">Summary<script>bad()</script></p>' })], {}));
    const box = d.querySelector('[data-change-id="n1"]')!;
    expect(box.previousElementSibling?.getAttribute("data-chunk-id")).toBe("c1");
    expect(box.innerHTML).not.toMatch(/onclick|<script/);
    expect(box.querySelector("ins")?.textContent).toBe("Summary");
  });
  it("marks a deletion and shows a decision once made", () => {
    const d = parse(decorateDocument(doc, [change({ change_id: "d1", operation: "delete", chunk_id: "c3" })], { d1: { approved: false } }));
    const box = d.querySelector('[data-change-id="d1"]')!;
    expect(box.classList.contains("is-discarded")).toBe(true);
    expect(box.querySelector("del")?.textContent).toBe("Bye.");
    expect(box.querySelector(".change-decided")?.textContent).toBe("Discarded");
    expect(box.querySelector('[data-change-action="undo"]')).not.toBeNull();
  });
  it("appends a change whose chunk is gone instead of dropping it", () => {
    const d = parse(decorateDocument(doc, [change({ change_id: "g", chunk_id: "missing", new_html: "<p>New</p>" })], {}));
    expect(d.lastElementChild?.getAttribute("data-change-id")).toBe("g");
  });
  it("a long document is drawn in groups of blocks, and a change replaces its block inside its group", () => {
    const long = Array.from({ length: 250 }, (_, i) => `<p data-chunk-id="b${i}">Paragraph ${i}.</p>`).join("");
    const root = document.createElement("article");
    const view = new DocumentView(root);
    view.setDocument(long);
    expect([...root.children].map((g) => g.className)).toEqual(["doc-group", "doc-group", "doc-group"]);
    expect(root.children[2].children.length).toBe(50);
    view.addChange(change({ change_id: "e150", chunk_id: "b150", new_html: "<p>Paragraph 150 changed.</p>" }), undefined);
    const box = root.querySelector('[data-change-id="e150"]')!;
    expect(box.parentElement).toBe(root.children[1]);
    expect(box.previousElementSibling?.getAttribute("data-chunk-id")).toBe("b149");
    expect(root.querySelectorAll("[data-chunk-id]").length, "the edited block became its change box; no other block moved or was lost").toBe(249);
    expect(root.children[1].children.length).toBe(100);
  });
  it("draws the bars in the window's language, and in the new one once the document is set again", () => {
    const root = document.createElement("article");
    const view = new DocumentView(root);
    const edit = change({ change_id: "e1", chunk_id: "c2", new_html: "<p>Revenue grew 17%.</p>" });
    const words = () => [root.querySelector(".change-label")?.textContent, ...[...root.querySelectorAll(".change-btn, .change-decided")].map((b) => b.textContent?.trim())];
    try {
      locale.chosen = "de";
      view.setDocument(doc);
      view.addChange(edit, undefined);
      expect(words()).toEqual(["Geändert", "✓ Übernehmen", "✕ Verwerfen"]);
      view.setDecision("e1", { approved: true });
      expect(words()).toEqual(["Geändert", "Übernommen", "Rückgängig"]);
      locale.chosen = "en";
      view.setDocument(doc);
      expect(root.querySelector(".change"), "setting the document again takes the changes off").toBeNull();
      view.addChange(edit, { approved: false });
      expect(words()).toEqual(["Edited", "Discarded", "Undo"]);
    } finally {
      locale.chosen = null;
    }
  });
});
