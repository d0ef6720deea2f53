// The catalogs: every language has exactly English's keys and the same placeholders in each message,
// and the OS's language tag picks a catalog.
import { describe, expect, it } from "vitest";
import { en } from "../../src/locales/en";
import { de } from "../../src/locales/de";
import { supported, t, locale, intlLocale } from "../../src/lib/i18n.svelte";

type Tree = { [k: string]: string | Tree };

/** "area:path.to.key" → message, for every message of a catalog. */
function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}${prefix.endsWith(":") ? "" : "."}${k}` : `${k}:`;
    if (typeof v === "string") out.set(key, v);
    else for (const [kk, vv] of flatten(v, key)) out.set(kk, vv);
  }
  return out;
}

const placeholders = (message: string) => [...message.matchAll(/\{\{\s*([\w.]+)[^}]*\}\}/g)].map((m) => m[1]).sort();

describe("catalogs", () => {
  const english = flatten(en as unknown as Tree);
  const others = { de: flatten(de as unknown as Tree) };

  it("English has messages in every area", () => {
    for (const area of Object.keys(en)) expect([...english.keys()].some((k) => k.startsWith(`${area}:`)), area).toBe(true);
  });

  for (const [lang, messages] of Object.entries(others)) {
    it(`${lang} has English's keys, no more, no fewer`, () => {
      expect([...messages.keys()].filter((k) => !english.has(k)), "keys English does not have").toEqual([]);
      expect([...english.keys()].filter((k) => !messages.has(k)), "keys missing").toEqual([]);
    });
    it(`${lang} keeps each message's placeholders`, () => {
      const wrong = [...english].filter(([k, m]) => messages.has(k) && placeholders(m).join() !== placeholders(messages.get(k)!).join());
      expect(wrong.map(([k]) => k)).toEqual([]);
    });
    it(`${lang} messages are not empty`, () => {
      expect([...messages].filter(([, m]) => !m.trim()).map(([k]) => k)).toEqual([]);
    });
  }
});

describe("language", () => {
  it("takes the catalog of the OS's language tag, whatever its form", () => {
    expect(supported("de-DE")).toBe("de");
    expect(supported("de_AT.UTF-8")).toBe("de");
    expect(supported("DE")).toBe("de");
    expect(supported("en-GB")).toBe("en");
    expect(supported("fr-FR")).toBeNull();
    expect(supported("C")).toBeNull();
    expect(supported("")).toBeNull();
    expect(supported(null)).toBeNull();
  });

  it("Settings' choice wins over the OS; without a catalog for either, English", () => {
    locale.system = "de-CH";
    locale.chosen = null;
    expect(locale.current).toBe("de");
    expect(t("connect:connect")).toBe("Verbinden");
    locale.chosen = "en";
    expect(t("connect:connect")).toBe("Connect");
    locale.system = "fr-FR";
    locale.chosen = null;
    expect(locale.current).toBe("en");
    expect(t("connect:version", { version: "1.2.3" })).toBe("SuperDocs Desktop v1.2.3");
  });

  it("formats numbers and dates in the OS's own locale when the window speaks its language", () => {
    locale.chosen = null;
    locale.system = "en-GB";
    expect(intlLocale()).toBe("en-GB");
    locale.system = "de_AT.UTF-8";
    expect(intlLocale()).toBe("de-AT");
    locale.chosen = "en";
    expect(intlLocale(), "the window is in English: not Austrian formats").toBe("en");
    locale.system = "not a locale!";
    locale.chosen = null;
    expect(intlLocale()).toBe("en");
    locale.system = "en-US";
  });
});
