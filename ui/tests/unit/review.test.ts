import { describe, expect, it } from "vitest";
import type { Change } from "../../src/lib/bindings/Change";
import { Review } from "../../src/lib/state/review.svelte";
import { DocumentView } from "../../src/lib/proposed-changes";

const change = (id: string, chunk: string): Change => ({ change_id: id, operation: "edit", chunk_id: chunk, old_html: null, new_html: `<p>${id} new</p>`, ai_explanation: null, batch_id: null, batch_total: null, insert_after_chunk_id: null });

describe("Review", () => {
  it("takes each change once; the complete list, when it is what arrived, changes nothing", () => {
    const r = new Review();
    r.add([change("a", "c1"), change("b", "c2")]);
    r.add([change("b", "c2"), change("c", "c3")]);
    expect(r.changes.map((c) => c.change_id)).toEqual(["a", "b", "c"]);
    r.decide("a", { approved: true });
    const generation = r.generation;
    r.replace([change("a", "c1"), change("b", "c2"), change("c", "c3")]);
    expect(r.generation).toBe(generation);
    expect(r.decided).toBe(1);
    r.replace([change("x", "c1")]);
    expect(r.generation).toBe(generation + 1);
    expect(r.decided).toBe(0);
  });
  it("counts decisions (Undo included) and Keep all", () => {
    const r = new Review([change("a", "c1"), change("b", "c2")]);
    r.decide("a", { approved: false });
    r.decide("a", { approved: true });
    expect(r.decided).toBe(1);
    r.decide("a", null);
    expect(r.decided).toBe(0);
    r.decideAll(true);
    expect(r.complete).toBe(true);
  });
});

describe("DocumentView", () => {
  it("draws changes into their own blocks and redraws only a changed decision's bar", () => {
    const root = document.createElement("article");
    const view = new DocumentView(root);
    view.setDocument(`<p data-chunk-id="c1">one</p><p data-chunk-id="c2">two</p><p data-chunk-id="c3">three</p>`);
    const untouched = root.querySelector('[data-chunk-id="c3"]');
    view.addChange(change("a", "c1"), undefined);
    view.addChange(change("b", "c2"), undefined);
    expect(view.shown).toBe(2);
    const boxB = root.querySelector('[data-change-id="b"]');
    expect(view.setDecision("a", { approved: true })).toBe(true);
    expect(root.querySelector('[data-change-id="a"]')!.className).toContain("is-kept");
    expect(root.querySelector('[data-change-id="b"]')).toBe(boxB);
    expect(root.querySelector('[data-chunk-id="c3"]')).toBe(untouched);
    const same = { approved: true };
    view.setDecision("b", same);
    expect(view.setDecision("b", same)).toBe(false);
    view.clearChanges();
    expect(root.querySelectorAll(".change").length).toBe(0);
    expect(root.querySelector('[data-chunk-id="c1"]')!.textContent).toBe("one");
  });
});
