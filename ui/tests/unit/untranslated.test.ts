// Every word the window shows comes from the catalogs: a component's markup holds no English of its own.
// A heuristic over the source (scripts, styles, comments and {expressions} taken out): what is left between
// tags, and literal aria-label/title/placeholder/alt/label attributes, must be names that are the same in
// every language. A new hard-coded string fails here with its file and text.
import { describe, expect, it } from "vitest";

const sources = import.meta.glob(["../../src/components/*.svelte", "../../src/App.svelte"], { query: "?raw", import: "default", eager: true }) as Record<string, string>;

/** Product and model names, key and address examples: the same in every language. */
const SAME_IN_EVERY_LANGUAGE = new Set(["SuperDocs", "core", "turbo", "pro", "max", "sk_…", "https://api.superdocs.app", "http://proxy.example.com:3128"]);

function literalText(source: string): string[] {
  const markup = source
    .replace(/<script[\s\S]*?<\/script>/g, "")
    .replace(/<style[\s\S]*?<\/style>/g, "")
    .replace(/<!--[\s\S]*?-->/g, "");
  const found: string[] = [];
  for (const m of markup.matchAll(/\s(?:aria-label|title|placeholder|alt|label)="([^"{]*)"/g)) found.push(m[1].trim());
  let text = markup;
  for (let i = 0; i < 6; i++) text = text.replace(/\{[^{}]*\}/g, " ");
  for (const line of text.replace(/<[^>]*>/g, "\n").split("\n")) found.push(line.trim());
  return found.filter((x) => /\p{L}{2,}/u.test(x) && !SAME_IN_EVERY_LANGUAGE.has(x));
}

describe("untranslated text", () => {
  it("finds a hard-coded string (the check itself works)", () => {
    expect(literalText(`<script>const a = "x";</script><p class="a">{t("x:y")}</p><button title="Close it">Save now</button>`)).toEqual(["Close it", "Save now"]);
  });

  it("reads every component", () => {
    expect(Object.keys(sources).length).toBeGreaterThan(20);
  });

  for (const [file, source] of Object.entries(sources)) {
    it(`${file.replace("../../src/", "")} shows only catalog messages`, () => {
      expect(literalText(source)).toEqual([]);
    });
  }
});
