import { describe, expect, it } from "vitest";
import { composerLimit } from "../../src/lib/prompt-limit";
import { shortcutFor, shortcutLabel } from "../../src/lib/shortcuts";
import { defaultForm, exportOptions, fileNameFor, safeBaseName } from "../../src/lib/export-form";
import { titleFromHtml } from "../../src/lib/document-title";
import { locale } from "../../src/lib/i18n.svelte";

const PROMPT_LIMIT = 100_000;
const key = (k: string, mods: Partial<Record<"ctrlKey" | "metaKey" | "shiftKey" | "altKey", boolean>> = {}) => ({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });

describe("prompt limit", () => {
  it("turns over at 100,000 characters, counting code points", () => {
    expect(composerLimit("a".repeat(PROMPT_LIMIT), PROMPT_LIMIT).over).toBe(false);
    expect(composerLimit("a".repeat(PROMPT_LIMIT + 1), PROMPT_LIMIT).over).toBe(true);
    expect(composerLimit("😀".repeat(10), PROMPT_LIMIT).count).toBe(10);
    expect(composerLimit("a".repeat(95_000), PROMPT_LIMIT).near).toBe(true);
    expect(composerLimit("a".repeat(PROMPT_LIMIT + 1), undefined).over, "no limit known yet").toBe(false);
  });
});

describe("shortcuts", () => {
  it("maps the ui.md keys with Ctrl off macOS and Cmd on it", () => {
    expect(shortcutFor(key("Enter", { ctrlKey: true }), false)).toBe("send");
    expect(shortcutFor(key("Enter", { metaKey: true }), true)).toBe("send");
    expect(shortcutFor(key("Enter", { metaKey: true }), false)).toBeNull();
    expect(shortcutFor(key("n", { ctrlKey: true }), false)).toBe("new_session");
    expect(shortcutFor(key("O", { ctrlKey: true }), false)).toBe("upload");
    expect(shortcutFor(key("e", { ctrlKey: true }), false)).toBe("export");
    expect(shortcutFor(key("k", { ctrlKey: true }), false)).toBe("jump");
    expect(shortcutFor(key(",", { ctrlKey: true }), false)).toBe("settings");
    expect(shortcutFor(key("Escape"), false)).toBe("close");
    expect(shortcutFor(key("n"), false)).toBeNull();
    expect(shortcutFor(key("n", { ctrlKey: true, shiftKey: true }), false)).toBeNull();
    expect(shortcutLabel("e", false)).toBe("Ctrl+E");
    expect(shortcutLabel("e", true)).toBe("⌘E");
  });
  it("names Ctrl as a German keyboard does", () => {
    locale.chosen = "de";
    try {
      expect(shortcutLabel("e", false)).toBe("Strg+E");
      expect(shortcutLabel("enter", false)).toBe("Strg+Enter");
      expect(shortcutLabel("e", true)).toBe("⌘E");
    } finally {
      locale.chosen = "en";
    }
  });
});

describe("export form", () => {
  it("makes safe file names with the format's extension", () => {
    expect(safeBaseName('Q4: "final"/v2.docx')).toBe("Q4 final v2");
    expect(safeBaseName("...")).toBe("document");
    expect(fileNameFor({ filename: "Q4 Report", format: "markdown" })).toBe("Q4 Report.md");
  });
  it("sends paper options only for paged formats and the watermark only for PDF", () => {
    const f = defaultForm("Q4", "/tmp");
    expect(exportOptions({ ...f, format: "markdown", watermark_text: "DRAFT" })).toEqual({});
    expect(exportOptions({ ...f, format: "docx", watermark_text: "DRAFT" })).toEqual({ paper_size: "Letter", orientation: "portrait", margins: "normal" });
    expect(exportOptions({ ...f, format: "pdf", paper_size: "A4", watermark_text: " DRAFT ", watermark_opacity: 3 })).toEqual({
      paper_size: "A4",
      orientation: "portrait",
      margins: "normal",
      watermark_text: "DRAFT",
      watermark_opacity: 1,
    });
  });
});

describe("document title", () => {
  it("is the first heading's text", () => {
    expect(titleFromHtml('<p>x</p><h1 data-chunk-id="c1">Q4 <b>Report</b> &amp; more</h1>')).toBe("Q4 Report & more");
    expect(titleFromHtml("<p>none</p>")).toBeNull();
  });
});
