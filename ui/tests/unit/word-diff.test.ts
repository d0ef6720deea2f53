import { describe, expect, it } from "vitest";
import { diffToHtml, wordDiff } from "../../src/lib/word-diff";

describe("wordDiff", () => {
  it("marks removed and added words, keeps the rest", () => {
    const parts = wordDiff("Revenue grew 15% in Q4.", "Revenue grew 17% in Q4.");
    expect(parts.filter((p) => p.op === "del").map((p) => p.text.trim())).toEqual(["15%"]);
    expect(parts.filter((p) => p.op === "ins").map((p) => p.text.trim())).toEqual(["17%"]);
    expect(parts.map((p) => (p.op === "del" ? "" : p.text)).join("")).toBe("Revenue grew 17% in Q4.");
    expect(parts.map((p) => (p.op === "ins" ? "" : p.text)).join("")).toBe("Revenue grew 15% in Q4.");
  });
  it("handles empty sides", () => {
    expect(wordDiff("", "new text")).toEqual([{ op: "ins", text: "new text" }]);
    expect(wordDiff("old", "")).toEqual([{ op: "del", text: "old" }]);
  });
  it("falls back to whole replacement for very long inputs", () => {
    const a = Array.from({ length: 3000 }, (_, i) => `a${i}`).join(" ");
    const b = Array.from({ length: 3000 }, (_, i) => `b${i}`).join(" ");
    expect(wordDiff(a, b).map((p) => p.op)).toEqual(["del", "ins"]);
  });
  it("escapes text so a diff cannot inject markup", () => {
    expect(diffToHtml(wordDiff("<b>", "<img src=x onerror=alert(1)>"))).not.toMatch(/<img|<b>/);
  });
});
